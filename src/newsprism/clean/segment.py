"""Sentence segmentation of cleaned article text, as exact character spans.

Why hand-written rules and not a library: ``bench/segment.py`` runs blingfire, pysbd, spaCy's
sentencizer and spaCy's statistical ``senter`` on the same data as this module (a hand-written
set of news-style cases, and the sentences BASIL's annotators marked in 300 real articles). Each
library trips on news copy in ways a short list of rules fixes: they split after titles
("Sen." | "John Smith", "Lt." | "Gen."), before a lowercase attribution ('"Are you sure?" | she
asked'), inside "No. 3"; they miss boundaries after names and before digits ("... George W.
Bush. J.R.R. Tolkien ..."). An earlier version let blingfire propose boundaries and these rules
override it: the rules ruled on all but 2 of BASIL's 3,201 candidate boundaries, so the library
(a 99 MB wheel) was dropped. The rules alone score best on both sets and run at 1.8-3.7M
words/s on this machine, against 0.2-0.7M for blingfire's wrapper, 12-33k for pysbd and 4-10k
for senter.

How it decides: every place that *looks* like a boundary (terminal punctuation, optional closing
quotes or brackets, then whitespace) is judged from the word before it and the word after it:

* a lowercase word after it continues the sentence ('"Are you sure?" she asked', "Inc. said");
* titles ("Sen.", "Lt. Gen.", "Mr.") never end one; "No." and months glue to a following number;
* a quoted ? or ! followed by a name and a speech verb ('"Why now?" Akin said') continues;
* a period inside a closing quote ends the quoted sentence ('"We will win." He said.');
* abbreviations that can also end a sentence ("U.S.", "a.m.", "Inc.", "Calif.", initials) are
  the hard case: "in the U.S. The next day" must split, "the U.S. Senate" must not. We split
  only when the next word is a capitalised *function word* (The, He, But, In, ...) or an opening
  quote. This errs towards joining: "moved to the U.S. Smith said ..." stays one sentence. A
  joined pair gives a later stage one long sentence; a split inside a name ("the U.S." |
  "Senate") would cut an entity or a quote in two, which costs more.

Datelines ("WASHINGTON (AP) — The ...", "ST. LOUIS (AP) — A ...") need no rule of their own: they
hold no boundary the rules above would take. Paragraphs (blocks separated by newlines) are
segmented independently, so no sentence crosses a paragraph break; spans are trimmed of
whitespace, so every non-whitespace character lies in exactly one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from newsprism.model import Sentence

__all__ = ["spans_from_cuts", "split_sentences"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations that precede a name or a number and (almost) never end a sentence. Matched
# case-sensitively, without the final period; all-caps forms ("ST. LOUIS") are looked up title-cased.
_TITLES = _words(
    """Mr Mrs Ms Messrs Mmes Drs Prof Profs Sen Sens Rep Reps Gov Govs Lt Gen Gens Col Maj Capt
    Cmdr Cmdre Adm Sgt Cpl Pvt Pfc Spc Brig Ens Rev Revs Fr Msgr Hon Pres Supt Insp Det Atty
    Amb Sec Secy Treas Mt Ft Ste Sts"""
)
# "No." can be the word no; months can end a sentence ("in Jan."); both glue to a following number.
_BEFORE_NUMBER = _words(
    """No Nos Vol Vols Fig Figs Art Ch Sec Pt Pts Op Ex Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct
    Nov Dec p pp approx est ca vs v"""
)
# Abbreviations that may as well end a sentence: company suffixes, AP state abbreviations,
# street types, lowercase Latin. "St.", "Dr." and "Sr." are here, not among the titles: they end
# street names and names too ("Main St.", "Elm Dr.", "John Smith Sr.").
_MAYBE_FINAL = _words(
    """Inc Corp Co Cos Ltd Plc Bros Assn Dept Univ Jr Sr Esq Ave Blvd Rd St Hwy Pkwy Sq Ln Dr Ct Pl
    Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo
    Mont Neb Nev Okla Ore Pa Penn Tenn Tex Va Vt Wash Wis Wyo Ont Que Alta Mex
    al eg ie cf vs ret Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu
    Thurs Fri Sat Sun"""
)
_COMPANY = _words("Inc Corp Co Cos Ltd Plc LLC LLP")
# Capitalised words that start sentences and rarely continue a name: after an ambiguous
# abbreviation they decide "end of sentence". Closed-class words only, so the list is finite.
_STARTERS = _words(
    """A An The This That These Those There Then Thus Their Its It He She We They I You His Her
    Our My Your Some Many Most Much More Few Several All Any Each Every Both No Not None Nor But
    And Or So Yet Also Still However Meanwhile Moreover Instead Indeed Later Earlier After Before
    When While Where What Who Whom Whose Which Why How If Although Though Because Since Unless
    Until As At In On Of For From By With Without Under Over Into Onto Among Between During Let
    Despite Through Throughout Against Asked Last Next Other Such One Two Three Four Five Six
    Seven Eight Nine Ten Is Are Was Were Has Have Had Do Does Did Can Could Will Would Should
    May Might Must Here Now Today Yesterday Tomorrow Yes Even Only Just Once Another"""
)

_OPENERS = "\"'“‘«([{"
_CLOSERS = "\"'”’»)]}"
# A place that looks like a sentence end: terminal punctuation, closing quotes/brackets, space.
_CANDIDATE = re.compile(r"([.?!…]+)([\"'”’»)\]}]*)(?=\s)")
_NEXT_WORD = re.compile(r"\s*([\"'“‘«(\[{]*)(\S*)")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # U.S, a.m, J.R.R, Ph.D (final period cut off)
_CONTRACTION = re.compile(r"['’](?:s|re|m|ll|ve|d)\Z")  # He's, We're, I'm: still starters
_INITIAL = re.compile(r"[A-Z]\.")  # "C. A. Dutch Ruppersberger": "A." is an initial, not a word
# A reporting clause right after a quoted question or exclamation: up to four capitalised words
# (a name, "Mr. Trump") and a speech verb. Closed list on purpose: it must not eat a new sentence.
_ATTRIBUTION = re.compile(
    r"\s+(?:[A-Z][\w.’'-]*\s+){1,4}(?:was quoted as saying|said|says|asked|asks|added|adds|"
    r"continued|told|tells|wrote|writes|tweeted|replied|shouted|yelled|recalled|explained|"
    r"insisted|noted|quipped|joked|responded|countered|declared|demanded|wondered|posted)\b"
)
_PARAGRAPH = re.compile(r"[^\n]+")


def split_sentences(text: str, source: str = "") -> tuple[Sentence, ...]:
    """Split cleaned text (paragraphs separated by newlines) into sentences with exact offsets."""
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        spans.extend(spans_from_cuts(text, para.start(), para.end(), _cuts(para.group(0))))
    return tuple(
        Sentence(source=source, index=i, start=s, end=e, text=text[s:e])
        for i, (s, e) in enumerate(spans)
    )


def spans_from_cuts(
    text: str, start: int, end: int, cuts: Iterable[int]
) -> Iterator[tuple[int, int]]:
    """Whitespace-trimmed, non-empty spans of ``text[start:end]`` cut at the given offsets in it.

    Public so that the bench turns other splitters' output into spans exactly the same way.
    """
    para = text[start:end]
    begin = 0
    for cut in [*sorted(c for c in set(cuts) if 0 < c < len(para)), len(para)]:
        piece = para[begin:cut]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            s = start + begin + lead
            yield s, s + len(stripped)
        begin = cut


def _cuts(para: str) -> list[int]:
    """Offsets in ``para`` where a sentence ends (right after its closing quotes)."""
    return [m.end() for m in _CANDIDATE.finditer(para) if _ends_sentence(para, m)]


def _ends_sentence(para: str, match: re.Match[str]) -> bool:
    punct, closers = match.group(1), match.group(2)
    # Positions, never slices of the rest of the paragraph: a slice per candidate is quadratic.
    word = _NEXT_WORD.match(para, match.end())
    openers, nxt = word.groups() if word else ("", "")
    if not nxt.strip(_CLOSERS):
        return False  # end of the paragraph, or a closing quote left alone after a space
    head = nxt[0]
    if head.islower():
        # "Are you sure?" she asked. / Acme Inc. said / (late.) ended / the deal was... not done
        return False
    if nxt.rstrip(".,") in _COMPANY:
        # "Yahoo! Inc.": a company suffix never starts a sentence.
        return False
    if not nxt.strip(".…"):
        # A stray ellipsis after a full stop marks words left out; it stays with the sentence.
        return False
    quoted = bool(openers) and openers[0] not in "([{"
    bare = _CONTRACTION.sub("", nxt.rstrip(_CLOSERS + ".,;:!?"))
    starter = bare in _STARTERS and _INITIAL.fullmatch(nxt) is None
    if "." not in punct:
        # ? and !: a new sentence follows, unless the quote is attributed right after it:
        # "Why can't Mitt Romney run his race?" Akin continued.
        return not (closers.strip(")]}") and _ATTRIBUTION.match(para, match.end()))
    if len(punct) > 1:
        # An ellipsis before a capital: a trailing-off quote is more often over than not.
        return True
    if closers.strip(")]}"):
        # The period sits inside a quote: the quoted sentence is over.
        return True
    if closers:
        # "(She had voted yes in 2017.) Her office ..." ends a sentence; "Schumer (D-N.Y.) ―
        # for giving" and "Gen. (ret.) David" do not: a bracket opened mid-sentence holds an
        # aside, and the period in it belongs to an abbreviation or a quoted fragment.
        # Asides are short: looking back a bounded way keeps bracket-heavy junk text linear.
        opened = max(para.rfind(b, max(0, match.start() - 400), match.start()) for b in "([{")
        if opened < 0:
            return True
        before = opened
        while before > 0 and para[before - 1].isspace():
            before -= 1
        return before == 0 or para[before - 1] in _CLOSERS + "?!…" or _full_stop(para, before)
    prev = _word_before(para, match.start())
    if prev in _TITLES:
        return False
    if prev in _BEFORE_NUMBER and head.isdigit():
        return False
    if _ambiguous(prev):
        return starter or quoted
    return True


def _word_before(para: str, end: int) -> str:
    """The word that ends at ``end`` (a period's position), without opening quotes/brackets."""
    start = end
    while start > 0 and not para[start - 1].isspace():
        start -= 1
    word = para[start:end].lstrip(_OPENERS)
    if len(word) > 1 and word.isupper() and "." not in word:
        word = word.title()  # datelines and headlines in capitals: "ST. LOUIS"
    return word


def _ambiguous(word: str) -> bool:
    """An abbreviation that may or may not end its sentence ("No" is a word too: not one)."""
    return word != "No" and (
        word in _MAYBE_FINAL
        or word in _BEFORE_NUMBER
        or _ACRONYM.fullmatch(word) is not None
        or (len(word) == 1 and word.isupper())
    )


def _full_stop(para: str, end: int) -> bool:
    """Whether ``para[:end]`` ends with a sentence's period, not an abbreviation's."""
    if para[end - 1] != ".":
        return False
    word = _word_before(para, end - 1)
    return word not in _TITLES and not _ambiguous(word)
