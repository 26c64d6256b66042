"""People named in a story's articles: the words of a name, one person under several names, the
spelling variants of one name, and the title and affiliation words around a name.

Shared by the name and speaker conflicts, the slot features (the person beside a figure) and the
story's entities.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from newsprism.compare.analysis import Analysis, strip_honorific
from newsprism.compare.quotes import first_name_frequency
from newsprism.compare.words import FUNCTION_WORDS, word_map, word_set
from newsprism.model import Span

_NAME_SUFFIX = word_set("name_suffixes")
_POSSESSIVE_END = re.compile(r"(?:'s|\u2019s|'|\u2019)$")


def name_parts(name: str) -> list[str]:
    """The words of a person's name that identify them: no possessive, no "Jr."/"III", no
    middle initials ("John G. Roberts Jr." -> ["John", "Roberts"])."""
    words = [_POSSESSIVE_END.sub("", w) for w in re.findall(r"[\w.'\u2019-]+", name)]
    words = [w for w in words if w and w.lower().strip(".") not in _NAME_SUFFIX]
    if len(words) > 2:
        words = [words[0], *(w for w in words[1:-1] if len(w.strip(".")) > 1), words[-1]]
    return [w.strip(".") for w in words if w.strip(".")]


def surname(name: str) -> str:
    parts = name_parts(name)
    return parts[-1].lower() if parts else ""


def same_person(a: str, b: str) -> bool:
    """One person by name: the same surname, or one name's words among the other's ("Obama",
    "Barack Obama"), whatever the spelling variant ("Díaz"/"Diaz", "Ocasio-Cortez"/"Ocasio
    Cortez"). Words, not letters: "the Clintons" (the couple) is not "Mr. Clinton". Two full
    names whose first names differ are two people ("George Conway", "Kellyanne Conway"), unless
    one is the other's short form ("Jim Mattis", "James Mattis") or an initial of it."""
    a, b = strip_honorific(a) or a, strip_honorific(b) or b
    if same_spelling(a, b):
        return True
    wa = [_fold(w) for w in name_parts(a)]
    wb = [_fold(w) for w in name_parts(b)]
    wa, wb = [w for w in wa if w], [w for w in wb if w]
    if not wa or not wb:
        return False
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return True
    if wa[-1] != wb[-1]:
        return False
    if len(wa) >= 2 and len(wb) >= 2:
        fa, fb = wa[0], wb[0]
        if len(fa) == 1 or len(fb) == 1:
            return fa[0] == fb[0]
        return first_key(fa) == first_key(fb)
    return True


_CONTEXT_WORD = re.compile(r"[A-Za-z][A-Za-z.-]+")
_CONTEXT_STOP = FUNCTION_WORDS
#: Characters each side of a name whose words describe who the person is ("Rep. ... (R-Tenn.)",
#: "... , the White House counsel").
NAME_WINDOW = 45


@dataclass(frozen=True, slots=True)
class Person:
    name: str  # as written, honorific stripped
    first: str
    last: str
    span: Span
    sentence: int
    context: frozenset[str]


#: Short forms that describe a politician the same way as the long ones: "Rep. Michele Bachmann
#: (R-Minn.)" and "Representative Michele Coleman, Republican of Minnesota".
_TITLE_ALIASES = word_map("title_aliases", str)


@functools.cache
def _state_names() -> dict[str, str]:
    """US state abbreviations to the state's name, from the ``us`` package: AP style as written
    ("Minn.", "N.Y."), postal codes in capitals ("MN"), so "Ms." and "IN" stay what they are."""
    import us  # a small table; imported on first use so the core import stays light

    out: dict[str, str] = {}
    for st in [*us.states.STATES_AND_TERRITORIES, us.states.DC]:
        out[st.abbr] = st.name.lower()
        if st.ap_abbr and st.ap_abbr.endswith("."):
            out[st.ap_abbr] = st.name.lower()
    return out


def _context_key(word: str) -> str:
    state = _state_names().get(word)
    if state is not None:
        return state
    key = word.lower().replace(".", "")
    return _TITLE_ALIASES.get(key, key)


TITLE_WORDS = 3
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z.-]*$")
_TITLE_STOP = _CONTEXT_STOP | word_set("title_stop_words")


def _title_start(text: str, lo: int, name_start: int) -> int:
    """Where the title before a name begins ("FBI official" in "on how FBI official Peter
    Strzok"): up to TITLE_WORDS words right before it, stopping at punctuation or a function
    word; not before ``lo``."""
    pos = name_start
    for _ in range(TITLE_WORDS):
        k = text.rfind(" ", lo, pos - 1)
        word = text[(k + 1 if k >= 0 else lo) : pos - 1]
        if not _TITLE_WORD.match(word) or word.lower() in _TITLE_STOP:
            break
        pos = k + 1 if k >= 0 else lo
        if k < 0:
            break
    return max(lo, pos)


def people(an: Analysis) -> list[Person]:
    out = []
    text = an.article.text
    # last first: cutting a later name's title out of the window keeps earlier offsets valid
    people_spans = sorted(
        (m.span for m in an.mentions if m.label == "PERSON"), key=lambda sp: -sp.start
    )
    for m in an.mentions:
        if m.label != "PERSON":
            continue
        name = strip_honorific(m.text.strip())
        words = [w for w in name_parts(name) if w[:1].isupper()]
        if len(words) < 2:
            continue
        sent = an.sentences[m.sentence]
        lo = max(sent.start, m.span.start - NAME_WINDOW)
        hi = min(sent.end, m.span.end + NAME_WINDOW)
        # whole words only: a window cut inside "restaurants" must not yield "taurants"
        while lo > sent.start and text[lo - 1].isalnum():
            lo += 1
        while hi < sent.end and text[hi].isalnum():
            hi -= 1
        # The title words before a later person's name describe that person, not this one:
        # "Chris Farrell on how FBI official Peter Strzok" says nothing of Farrell and the FBI
        # (the later name itself stays: "a staffer for Rep. Roger Williams"). Words before this
        # name stay too: "senators Jeff Flake and John McCain" share the title.
        after = text[m.span.end : max(hi, m.span.end)]
        for o in people_spans:
            if m.span.end <= o.start < hi:
                cut = _title_start(text, m.span.end, o.start) - m.span.end
                after = after[:cut] + " " + after[o.start - m.span.end :]
        window = text[lo : m.span.start] + " " + after
        context = frozenset(
            key
            for w in _CONTEXT_WORD.findall(window)
            if w not in words
            # "F.B.I." and "FBI", "then-FBI Director" and "the FBI director" share "fbi".
            for part in w.split("-")
            if (key := _context_key(part)) and key not in _CONTEXT_STOP
        )
        out.append(Person(name, words[0], words[-1], m.span, m.sentence, context))
    return out


#: Sentence evidence (see :class:`_Evidence`) at which one shared word around two names suffices.
NAME_EVENT = 0.55
# The usual English short forms of given names: "Jim Clyburn" is "James E. Clyburn". A closed
# list (no offline library maps these); a short form not listed only loses the first-name cue.
_NICKNAMES = word_map("nicknames", str)


#: Percent of the US population (1990 census lists) below which a first name is rare: two people
#: of one story seldom share "Antonin" or "Steny", often "John".
RARE_FIRST_NAME = 0.01


def rare_first_name(first: str) -> bool:
    m, w = first_name_frequency().get(first.upper(), (0.0, 0.0))
    return max(m, w) < RARE_FIRST_NAME and len(first) > 2


def first_key(first: str) -> str:
    f = first.lower()
    return _NICKNAMES.get(f, f)


def _fold(word: str) -> str:
    """A name word without accents, hyphens, apostrophes and dots, in lower case: the spelling
    variants outlets write for one person ("Ocasio-Cortez" / "Ocasio Cortez", "José" / "Jose",
    "O'Rourke" / "ORourke")."""
    nfkd = unicodedata.normalize("NFKD", word)
    return "".join(c for c in nfkd if c.isalnum()).lower()


def spelling_key(name: str) -> str:
    """One key for the spellings of a name: folded words, hyphenated parts joined, initials
    dropped ("Alexandria Ocasio-Cortez", "Alexandria Ocasio Cortez" -> "alexandria ocasiocortez";
    "John G. Roberts Jr." -> "john roberts")."""
    words = name_parts(name)
    folded = [_fold(w) for w in words]
    if len(folded) > 2:
        folded = [folded[0], *(w for w in folded[1:-1] if len(w) > 1), folded[-1]]
    out: list[str] = []
    for w in folded:
        if w:
            out.append(w)
    if len(out) >= 3:  # "Ocasio Cortez" written apart: its last two words as one surname
        out = [out[0], "".join(out[1:])]
    return " ".join(out)


def same_spelling(a: str, b: str) -> bool:
    """Whether two names are one name spelled two ways (hyphen, space, accent, initial)."""
    ka, kb = spelling_key(a), spelling_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    la, lb = ka.split()[-1], kb.split()[-1]
    # "Ocasio-Cortez" (one word) and "Cortez" alone, or "ocasiocortez" against "ocasio cortez"
    return ka.replace(" ", "") == kb.replace(" ", "") or (
        ka.split()[0] == kb.split()[0]
        and (la.endswith(lb) or lb.endswith(la))
        and min(len(la), len(lb)) >= 4
    )
