"""Seeded one-value edits for the conflict benchmark (``bench/conflicts.py``).

The benchmark needs factual conflicts whose truth is known. BASIL gives three outlets' reports of
one event; where two outlets state the *same* value about the same thing (both say "12 people",
"on Tuesday", "Mr. Steele said"), we change that value in one of the two and know that the pair
now conflicts. This module finds such shared values and makes the edits. It is deliberately
independent of the detector under test (nothing here is imported from ``newsprism.compare``), so
the detector's rules never see how edits are made:

* sentences come from pysbd, values from the regular expressions below, content-word overlap from
  a crude stopword list and suffix stripping. Person mentions are handed in by the caller (the
  bench runs spaCy NER; the tests write them by hand), so this module loads no model;
* a *candidate* is one value stated by two outlets in sentences that share enough content words
  (Jaccard over content words, value tokens excluded) -- the same thing, phrased differently;
* an *edit* replaces the value in one of the two places (chosen by ``random.Random(seed)``) with a
  different plausible value in a varied phrasing, keeping number agreement.

Everything is a pure function of the texts, the person mentions and the seed.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from math import floor, log10

import pysbd


class EditKind(StrEnum):
    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"
    DURATION = "duration"
    DATE = "date"  # a calendar date or a weekday
    NAME = "name"  # a person named in the same role
    SPEAKER = "speaker"  # the same quoted words attributed to the same person
    PLACE = "place"  # the same place named for the same thing (a separate pass: place_edits)


@dataclass(frozen=True, slots=True)
class Doc:
    """One article as the edit maker sees it: its cleaned text and PERSON mentions in it."""

    id: str
    outlet: str
    text: str
    persons: tuple[tuple[int, int], ...] = ()
    places: tuple[tuple[int, int], ...] = ()  # GPE/LOC/FAC mentions


@dataclass(frozen=True, slots=True)
class Mention:
    """A value in a document. ``start``/``end`` cover what an edit replaces; ``key`` is the value
    normalised so that "12" and "twelve", "90 minutes" and "an hour and a half" compare equal."""

    kind: EditKind
    start: int
    end: int
    key: str
    sentence: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One value stated in two outlets' sentences about the same thing."""

    kind: EditKind
    a: str  # doc id
    ma: Mention
    b: str
    mb: Mention
    similarity: float


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` (== ``old``) of document ``doc`` with ``new``.

    ``partner``/``partner_range`` is the other outlet's unedited statement of the same value.
    """

    kind: EditKind
    doc: str
    start: int
    end: int
    old: str
    new: str
    sentence: tuple[int, int]
    partner: str
    partner_range: tuple[int, int]
    partner_sentence: tuple[int, int]
    similarity: float
    note: str = field(default="")

    def apply(self, text: str) -> str:
        if text[self.start : self.end] != self.old:
            raise ValueError(f"edit of {self.doc} does not match its text at {self.start}")
        return text[: self.start] + self.new + text[self.end :]

    @property
    def new_range(self) -> tuple[int, int]:
        """Where the new value lies in the edited text."""
        return self.start, self.start + len(self.new)


# ---------------------------------------------------------------------------------------------
# Sentences and content words.

_SEGMENTER = pysbd.Segmenter(language="en", clean=False)
_PARA = re.compile(r"[^\n]+")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence ranges, paragraph by paragraph. pysbd's own char spans drift on some inputs, so
    offsets are found by searching each returned sentence from a cursor."""
    out: list[tuple[int, int]] = []
    for para in _PARA.finditer(text):
        cursor = para.start()
        for sent in _SEGMENTER.segment(para.group()):
            stripped = sent.strip()
            if not stripped:
                continue
            pos = text.find(stripped, cursor, para.end())
            if pos < 0:
                continue
            out.append((pos, pos + len(stripped)))
            cursor = pos + len(stripped)
    return out


_STOP = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "said",
        "says",
        "say",
        "told",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gov",
        "new",
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
        "last",
        "first",
        "week",
        "year",
        "years",
        "day",
        "days",
        "time",
        "percent",
        "million",
        "billion",
        "thousand",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "according",
        "like",
        "would",
        "just",
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def _stem(word: str) -> str:
    # Crude on purpose: enough that "protesters"/"protester" and "voted"/"votes" meet.
    for suffix in ("ing", "ers", "er", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    words = (w.lower().replace("’", "'").removesuffix("'s") for w in _WORD.findall(text))
    return frozenset(_stem(w) for w in words if len(w) > 2 and w not in _STOP)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


# ---------------------------------------------------------------------------------------------
# Values.

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD_NUM = (
    r"(?:(?:"
    + "|".join(_TENS)
    + r")(?:-(?:"
    + "|".join(list(_UNITS)[1:10])
    + r"))?|"
    + "|".join(sorted(_UNITS, key=len, reverse=True))
    + r")"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUM = rf"(?:{_DIGITS}|(?i:{_WORD_NUM}))"
_SCALE = r"(?:thousand|million|billion|trillion)"
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_DUR_UNITS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
    "decade": 3650 * 86400,
}
_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONEY = re.compile(rf"\$\s?(?P<num>{_DIGITS})(?:\s+(?P<scale>{_SCALE})\b)?")
_PERCENT = re.compile(rf"\b(?P<num>{_NUM})(?:\s?%|\s+per\s?cent\b)")
_DURATION = re.compile(
    rf"(?<![\d][-–])\b(?P<num>{_NUM}|an?)(?P<half>\s+and\s+a\s+half)?(?P<sep>[\s-]+)"
    rf"(?P<unit>{'|'.join(_DUR_UNITS)})s?\b(?P<after>[\s-]+(?:old|ago)\b)?",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.|Feb\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)\s(?P<day>\d{1,2})"
    r"(?P<suffix>st|nd|rd|th)?\b"
)
# "every Sunday" is a habit, not the date of an event
_WEEKDAY = re.compile(r"(?<!every )\b(?:" + "|".join(WEEKDAYS) + r")\b(?!s\b)(?!['’]s\b)")
_COUNT = re.compile(rf"(?<![\w$#/.,:-])(?P<num>{_NUM})(?:\s+(?P<scale>{_SCALE})\b)?(?![\w%/:-])")
_NOT_COUNT_AFTER = re.compile(
    r"\s*(?:%|percent|per cent|a\.m\.|p\.m\.|-year|th\b|st\b|nd\b|rd\b|,\s?\d{3}\b|"
    r"(?:[-‑]|\s?to\s)\d|\)|of (?:the|them|those|us|these)\b)",
    re.IGNORECASE,
)
_NOT_COUNT_BEFORE = re.compile(
    r"(?:No\.|Nos\.|Article|Section|Title|Route|Flight|Proposition|Prop\.|Amendment|District|"
    r"Chapter|H\.R\.|S\.|page|Apollo|Air Force|Fox|\(|Channel|Interstate|I-|Highway|version)\s*$",
    re.IGNORECASE,
)


def parse_number(text: str) -> float | None:
    """``"1,200"`` -> 1200, ``"twenty-five"`` -> 25, ``"a"``/``"an"`` -> 1."""
    t = text.strip().lower()
    if t in ("a", "an"):
        return 1.0
    if t and t[0].isdigit():
        try:
            return float(t.replace(",", ""))
        except ValueError:
            return None
    if t in _UNITS:
        return float(_UNITS[t])
    head, _, tail = t.partition("-")
    if head in _TENS and (not tail or tail in _UNITS):
        return float(_TENS[head] + (_UNITS[tail] if tail else 0))
    return None


def _fmt_key(x: float) -> str:
    return f"{x:.6g}"


def _sentence_of(sents: Sequence[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    for s in sents:
        if s[0] <= pos < s[1]:
            return s
    return None


def _is_year(num: str, value: float) -> bool:
    return bool(re.fullmatch(r"\d{4}", num)) and 1800 <= value <= 2100


def find_values(text: str, sents: Sequence[tuple[int, int]]) -> list[Mention]:
    """Numbers, money, percentages, durations, dates and weekdays in ``text``.

    Each character belongs to at most one mention; the more specific patterns claim first.
    """
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(kind: EditKind, a: int, b: int, key: str, claim: tuple[int, int]) -> None:
        sent = _sentence_of(sents, a)
        taken.append(claim)
        if sent is not None and sent[0] <= a and b <= sent[1]:
            out.append(Mention(kind, a, b, key, sent))

    for m in _MONEY.finditer(text):
        value = parse_number(m.group("num"))
        if value is None or not free(*m.span()):
            continue
        scale = _SCALES.get((m.group("scale") or "").lower(), 1.0)
        add(EditKind.MONEY, *m.span("num"), f"USD {_fmt_key(value * scale)}", m.span())
    for m in _PERCENT.finditer(text):
        value = parse_number(m.group("num"))
        if value is None or not free(*m.span()):
            continue
        add(EditKind.PERCENT, *m.span("num"), f"{_fmt_key(value)} %", m.span())
    for m in _DURATION.finditer(text):
        if not free(*m.span()):
            continue
        if m.group("after"):  # "45 years old", "two years ago": an age or a date, not a duration
            taken.append(m.span())
            continue
        value = parse_number(m.group("num"))
        if value is None or (value == 1 and not m.group("half")) or value == 0:
            continue  # "a day", "one year": too idiomatic to edit or to compare
        if m.group("half"):
            value += 0.5
        seconds = value * _DUR_UNITS[m.group("unit").lower()]
        add(EditKind.DURATION, m.start(), m.end(), f"{_fmt_key(seconds)} s", m.span())
    for m in _DATE.finditer(text):
        day = int(m.group("day"))
        month = _MONTHS[m.group("month").lower().rstrip(".")]
        if not 1 <= day <= 31 or not free(*m.span()):
            continue
        end = m.end("suffix") if m.group("suffix") else m.end("day")
        add(EditKind.DATE, m.start("day"), end, f"{month:02d}-{day:02d}", m.span())
    for m in _WEEKDAY.finditer(text):
        if free(*m.span()):
            add(EditKind.DATE, *m.span(), m.group().lower(), m.span())
    for m in _COUNT.finditer(text):
        num = m.group("num")
        value = parse_number(num)
        if value is None or not free(*m.span()):
            continue
        before = text[max(0, m.start() - 20) : m.start()]
        after = text[m.end() : m.end() + 12]
        if (
            value < 2
            or _is_year(num, value)
            or _NOT_COUNT_AFTER.match(after)
            or _NOT_COUNT_BEFORE.search(before)
            or (
                re.search(r",\s*$", before) and re.match(r"\s*,", after)
            )  # "Smith, 45, said": an age
        ):
            continue
        scale = _SCALES.get((m.group("scale") or "").lower(), 1.0)
        add(EditKind.COUNT, *m.span("num"), _fmt_key(value * scale), m.span())
    out.sort(key=lambda x: x.start)
    return out


# ---------------------------------------------------------------------------------------------
# People.

_NAME_TOKEN = re.compile(r"[A-Z][A-Za-z'’.-]*[a-z]")
_SURNAME = re.compile(r"(?:O['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?")
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|wrote|writes|tweeted|asked|asks|stated|declared|"
    r"explained|argued|insisted|continued|recalled|warned|according to)\b"
)
_QUOTED = re.compile(r"“([^”]{10,})”|\"([^\"]{10,})\"")


def _person_tokens(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Capitalised name tokens in a PERSON mention (titles like "Mr." excluded)."""
    out = []
    for m in _NAME_TOKEN.finditer(text, span[0], span[1]):
        if m.group().endswith(".") or m.group() in ("Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov"):
            continue
        out.append(m.span())
    return out


def surname_span(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    tokens = _person_tokens(text, span)
    if not tokens:
        return None
    a, b = tokens[-1]
    word = text[a:b]
    for tail in ("'s", "’s"):
        if word.endswith(tail):
            b -= len(tail)
    if b - a < 3 or text[a:b].lower() in _STOP or not _SURNAME.fullmatch(text[a:b]):
        return None
    return a, b


def word_count(text: str, word: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text))


def find_people(doc: Doc, sents: Sequence[tuple[int, int]]) -> list[Mention]:
    """Surnames of the PERSON mentions, keyed by the lowercased surname."""
    out = []
    for span in doc.persons:
        sur = surname_span(doc.text, span)
        sent = _sentence_of(sents, span[0])
        if sur is None or sent is None or sur[1] > sent[1]:
            continue
        out.append(Mention(EditKind.NAME, *sur, doc.text[sur[0] : sur[1]].lower(), sent))
    return out


def quote_ngrams(text: str, sent: tuple[int, int], n: int = 6) -> frozenset[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for m in _QUOTED.finditer(text, sent[0], sent[1]):
        words = [w.lower() for w in re.findall(r"[A-Za-z0-9']+", m.group(1) or m.group(2))]
        grams.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return frozenset(grams)


def _inside_quote(text: str, sent: tuple[int, int], pos: int) -> bool:
    return any(m.start() <= pos < m.end() for m in _QUOTED.finditer(text, sent[0], sent[1]))


def is_attribution(text: str, mention: Mention) -> bool:
    """A named speaker: a speech verb within a few words of the name, outside the quote."""
    if _inside_quote(text, mention.sentence, mention.start):
        return False
    before = text[max(mention.sentence[0], mention.start - 40) : mention.start]
    raw_after = text[mention.end : min(mention.sentence[1], mention.end + 30)]
    after = re.split(r"[“\"]", raw_after)[0]
    before = re.split(r"[”\"]", before)[-1]
    if _SPEECH.match(re.sub(r"^(?:['’]s)?\s*(?:,[^,]{0,40},\s*)?", "", after)):
        return True  # "Smith said", "Smith, the spokesman, said"
    # "said Smith." / "said Smith, who ..." but not "said Smith was wrong"
    return bool(
        re.search(r"\b(?:said|says|according to)\s+(?:\w+\.?\s+){0,3}$", before)
        and re.match(r"\s*(?:[,.;]|$)", raw_after)
    )


# ---------------------------------------------------------------------------------------------
# Candidates.


@dataclass(frozen=True, slots=True)
class _Analysed:
    doc: Doc
    sents: list[tuple[int, int]]
    words: dict[tuple[int, int], frozenset[str]]
    values: list[Mention]
    people: list[Mention]


def analyse(doc: Doc) -> _Analysed:
    sents = sentences(doc.text)
    words = {s: content_words(doc.text[s[0] : s[1]]) for s in sents}
    return _Analysed(doc, sents, words, find_values(doc.text, sents), find_people(doc, sents))


def _value_words(text: str, m: Mention) -> frozenset[str]:
    return content_words(text[m.start : m.end])


def find_candidates(
    docs: Sequence[Doc], *, min_jaccard: float = 0.2, min_shared: int = 3
) -> list[Candidate]:
    """Values that two outlets state in sentences sharing content words (the value excluded)."""
    analysed = [analyse(d) for d in docs]
    return _closest(
        cand
        for i, x in enumerate(analysed)
        for y in analysed[i + 1 :]
        if x.doc.outlet != y.doc.outlet
        for cand in _pair_candidates(x, y, min_jaccard, min_shared)
    )


def _closest(cands: Iterable[Candidate]) -> list[Candidate]:
    """One partner per (value occurrence, other document): the closest sentence."""
    best: dict[tuple[str, int, str], Candidate] = {}
    for cand in cands:
        for key in ((cand.a, cand.ma.start, cand.b), (cand.b, cand.mb.start, cand.a)):
            old = best.get(key)
            if old is None or cand.similarity > old.similarity:
                best[key] = cand
    unique = {(c.a, c.ma.start, c.b, c.mb.start): c for c in best.values()}
    return sorted(unique.values(), key=lambda c: (c.a, c.ma.start, c.b, c.mb.start))


def _pair_candidates(
    x: _Analysed, y: _Analysed, min_jaccard: float, min_shared: int
) -> Iterable[Candidate]:
    by_key: dict[tuple[EditKind, str], list[Mention]] = defaultdict(list)
    for m in y.values:
        by_key[(m.kind, m.key)].append(m)
    for ma in x.values:
        for mb in by_key.get((ma.kind, ma.key), ()):
            sim = _similar(x, ma, y, mb, min_jaccard, min_shared)
            if sim is not None:
                yield Candidate(ma.kind, x.doc.id, ma, y.doc.id, mb, sim)
    people_b: dict[str, list[Mention]] = defaultdict(list)
    for m in y.people:
        people_b[m.key].append(m)
    for ma in x.people:
        for mb in people_b.get(ma.key, ()):
            quoted = quote_ngrams(x.doc.text, ma.sentence) & quote_ngrams(y.doc.text, mb.sentence)
            if quoted and is_attribution(x.doc.text, ma) and is_attribution(y.doc.text, mb):
                sim = jaccard(x.words[ma.sentence], y.words[mb.sentence])
                yield Candidate(
                    EditKind.SPEAKER,
                    x.doc.id,
                    _as(ma, EditKind.SPEAKER),
                    y.doc.id,
                    _as(mb, EditKind.SPEAKER),
                    sim,
                )
                continue
            if is_attribution(x.doc.text, ma) or is_attribution(y.doc.text, mb):
                continue  # a speaker without a shared quote is not a "role" we can vouch for
            sim = _similar(x, ma, y, mb, min_jaccard, min_shared)
            if sim is not None:
                yield Candidate(EditKind.NAME, x.doc.id, ma, y.doc.id, mb, sim)


def _as(m: Mention, kind: EditKind) -> Mention:
    return Mention(kind, m.start, m.end, m.key, m.sentence)


def _similar(
    x: _Analysed,
    ma: Mention,
    y: _Analysed,
    mb: Mention,
    min_jaccard: float,
    min_shared: int,
    min_overlap: float = 0.35,
) -> float | None:
    wa = x.words[ma.sentence] - _value_words(x.doc.text, ma)
    wb = y.words[mb.sentence] - _value_words(y.doc.text, mb)
    if ma.kind is EditKind.NAME:
        wa, wb = wa - {ma.key}, wb - {mb.key}
    shared = len(wa & wb)
    sim = jaccard(wa, wb)
    # Overlap (shared / smaller set) lets a short sentence match a long one that says more.
    overlap = shared / max(1, min(len(wa), len(wb)))
    if _generic(x.doc.text, ma):
        ok = sim >= min_jaccard and overlap >= min_overlap
    else:
        ok = sim >= min_jaccard * 0.75 or overlap >= min_overlap
    return sim if ok and shared >= min_shared else None


def _generic(text: str, m: Mention) -> bool:
    """Values so common that sharing them says little (weekdays, counts of two or three), and
    names, where a loose match would not vouch for the same role."""
    if m.kind is EditKind.NAME or (m.kind is EditKind.DATE and not m.key[0].isdigit()):
        return True
    return m.kind is EditKind.COUNT and float(m.key) <= 3


# ---------------------------------------------------------------------------------------------
# New values.

#: Common US surnames used for NAME edits (only those absent from the cluster are used).
SURNAMES = [
    "Anderson",
    "Bennett",
    "Brooks",
    "Carter",
    "Coleman",
    "Collins",
    "Cooper",
    "Crawford",
    "Ellis",
    "Fisher",
    "Foster",
    "Gibson",
    "Graham",
    "Hayes",
    "Henderson",
    "Hughes",
    "Jenkins",
    "Jordan",
    "Kelly",
    "Lawson",
    "Marshall",
    "Mitchell",
    "Morgan",
    "Murphy",
    "Parker",
    "Perry",
    "Porter",
    "Powell",
    "Reed",
    "Reynolds",
    "Russell",
    "Sanders",
    "Simmons",
    "Stewart",
    "Sullivan",
    "Turner",
    "Wallace",
    "Warren",
    "Watson",
    "Wells",
    "Wheeler",
    "Whitaker",
]

_WORDS_OUT = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
]  # fmt: skip


def _sig_digits(num: str) -> int:
    digits = num.replace(",", "").replace(".", "").lstrip("0")
    return max(1, len(digits.rstrip("0")) if "." not in num else len(digits))


def _round_sig(x: float, sig: int) -> float:
    if x == 0:
        return 0.0
    return round(x, -floor(log10(abs(x))) + (sig - 1))


def _render_digits(x: float, like: str) -> str:
    decimals = len(like.split(".")[1]) if "." in like else 0
    if x != int(x):
        decimals = max(decimals, 1)
    text = f"{x:,.{decimals}f}" if ("," in like or x >= 10000) else f"{x:.{decimals}f}"
    return text


def new_number(
    value: float, rng: random.Random, *, cap: float | None = None, sig: int = 2
) -> float:
    """A clearly different value: another small integer, or the value scaled by 1.3-2 (or its
    inverse), rounded to the original's ``sig`` significant digits (at least two)."""
    if value == int(value) and value <= 12:
        top = max(2 * int(value) + 2, 7)  # "two" becomes four to seven, not seventeen
        options = [m for m in range(2, top + 1) if abs(m - value) >= 2 and (cap is None or m < cap)]
        return float(rng.choice(options))
    sig = max(2, sig)
    for _ in range(50):
        factor = rng.uniform(1.3, 2.0)
        if rng.random() < 0.5 or (cap is not None and value * factor >= cap):
            factor = 1 / factor
        new = _round_sig(value * factor, sig)
        if value == int(value) and new != int(new) and new > 10:
            new = float(round(new))
        ratio = max(new, value) / max(min(new, value), 1e-9)
        if new >= 2 and ratio >= 1.25 and (cap is None or new < cap):
            return new
    return value * 2 if cap is None or value * 2 < cap else value / 2


def render_number(new: float, old_surface: str, rng: random.Random) -> str:
    """Digits stay digits or become words now and then, and the other way round."""
    was_word = not old_surface[0].isdigit()
    as_word = new == int(new) and new <= 20
    use_word = as_word and (rng.random() < 0.7 if was_word else rng.random() < 0.3)
    if use_word:
        word = _WORDS_OUT[int(new)]
        return word.capitalize() if old_surface[0].isupper() else word
    if was_word and old_surface[0].isupper() and as_word:
        return _WORDS_OUT[int(new)].capitalize()  # no digits at the start of a sentence
    like = old_surface if not was_word else "0"
    return _render_digits(new, like)


def _duration_text(amount: float, unit: str, adjectival: bool, rng: random.Random) -> str:
    whole = int(amount)
    half = amount - whole == 0.5
    if half:
        base = _WORDS_OUT[whole] if whole <= 20 else str(whole)
        if adjectival:
            return f"{base}-and-a-half-{unit}"
        return f"{base} and a half {unit}s"
    number = _WORDS_OUT[whole] if whole <= 10 and rng.random() < 0.6 else str(whole)
    if adjectival:
        return f"{number}-{unit}"
    return f"{number} {unit}{'s' if whole != 1 else ''}"


_SMALLER = {"hour": ("minute", 60), "day": ("hour", 24), "week": ("day", 7), "year": ("month", 12)}
_SMALLER.update({"minute": ("second", 60), "month": ("week", 4), "decade": ("year", 10)})


def new_duration(surface: str, rng: random.Random) -> str | None:
    m = _DURATION.fullmatch(surface)
    if m is None:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        return None
    if m.group("half"):
        value += 0.5
    unit = m.group("unit").lower()
    adjectival = "-" in m.group("sep")
    # halves only where people say them ("two and a half hours", not "eight and a half weeks")
    grid = [1.5, 2.5, 3.5] + [float(x) for x in range(2, 61)]
    options = [g for g in grid if 1.3 <= max(g, value) / min(g, value) <= 3]
    if not options:
        return None
    amount = rng.choice(options)
    if amount != int(amount) and unit in _SMALLER and rng.random() < 0.5:
        small, factor = _SMALLER[unit]
        if amount * factor == int(amount * factor) and amount * factor <= 120:
            return _duration_text(amount * factor, small, adjectival, rng)
    text = _duration_text(amount, unit, adjectival, rng)
    return text[0].upper() + text[1:] if surface[0].isupper() else text


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def make_edit(
    cand: Candidate, docs: dict[str, Doc], rng: random.Random, *, banned: frozenset[str]
) -> Edit | None:
    """Edit one of the candidate's two places (chosen by ``rng``). ``banned`` holds lowercased
    words that must not be introduced (the cluster's vocabulary, for NAME edits); ``docs`` is the
    cluster's articles."""
    sides = [(cand.a, cand.ma, cand.b, cand.mb), (cand.b, cand.mb, cand.a, cand.ma)]
    if rng.random() < 0.5:
        sides.reverse()
    if cand.kind in (EditKind.NAME, EditKind.PLACE):
        # Only a surname or a place said once in its article can be changed "in that one place"
        # without leaving the article contradicting itself.
        sides = [
            s
            for s in sides
            if word_count(docs[s[0]].text, docs[s[0]].text[s[1].start : s[1].end]) == 1
        ]
        if not sides:
            return None
    doc_id, m, partner, pm = sides[0]
    doc = docs[doc_id]
    old = doc.text[m.start : m.end]
    if cand.kind is EditKind.PLACE:
        new = _new_place(docs, rng)
    else:
        new = _new_value(cand.kind, old, doc, m, rng, banned)
    if new is None or new == old:
        return None
    return Edit(
        kind=cand.kind,
        doc=doc_id,
        start=m.start,
        end=m.end,
        old=old,
        new=new,
        sentence=m.sentence,
        partner=partner,
        partner_range=(pm.start, pm.end),
        partner_sentence=pm.sentence,
        similarity=cand.similarity,
    )


def _new_value(
    kind: EditKind, old: str, doc: Doc, m: Mention, rng: random.Random, banned: frozenset[str]
) -> str | None:
    if kind in (EditKind.COUNT, EditKind.MONEY, EditKind.PERCENT):
        value = parse_number(old)
        if value is None:
            return None
        cap = 100.0 if kind is EditKind.PERCENT else None
        new = new_number(value, rng, cap=cap, sig=_sig_digits(old) if old[0].isdigit() else 2)
        if kind is EditKind.MONEY:
            return _render_digits(new, old)
        return render_number(new, old, rng)
    if kind is EditKind.DURATION:
        return new_duration(old, rng)
    if kind is EditKind.DATE:
        if old in WEEKDAYS:
            return rng.choice([d for d in WEEKDAYS if d != old])
        day = int(re.sub(r"\D", "", old))
        new_day = rng.choice([d for d in range(1, 29) if 2 <= abs(d - day) <= 9])
        return f"{new_day}{_ordinal(new_day)}" if old[-1].isalpha() else str(new_day)
    if kind is EditKind.NAME:
        options = [s for s in SURNAMES if s.lower() not in banned]
        return rng.choice(options) if options else None
    if kind is EditKind.SPEAKER:
        return _other_person(doc, m, rng)
    return None


def _other_person(doc: Doc, m: Mention, rng: random.Random) -> str | None:
    """Another person named in the same article, in the same form as the speaker's mention."""
    quoted = " ".join(
        (q.group(1) or q.group(2)).lower()
        for q in _QUOTED.finditer(doc.text, m.sentence[0], m.sentence[1])
    )
    names: dict[str, str] = {}
    for span in doc.persons:
        sur = surname_span(doc.text, span)
        if sur is None:
            continue
        surname = doc.text[sur[0] : sur[1]]
        if surname.lower() == m.key or surname.lower() in quoted:
            continue
        tokens = _person_tokens(doc.text, span)
        full = doc.text[tokens[0][0] : sur[1]]
        if len(full.split()) <= 3 and len(full) > len(names.get(surname, "")):
            names[surname] = full
    if not names:
        return None
    surname = rng.choice(sorted(names))
    return surname


def select_edits(
    candidates: dict[str, list[Candidate]],
    docs: dict[str, dict[str, Doc]],
    *,
    seed: int,
    target: int = 160,
    per_cluster: int = 6,
) -> list[tuple[str, Edit]]:
    """Choose and make about ``target`` edits, balanced over kinds as the candidates allow.

    Kinds take turns; within a kind candidates come in seeded random order; a value occurrence is
    edited at most once and a cluster gets at most ``per_cluster`` edits.
    """
    rng = random.Random(seed)
    by_kind: dict[EditKind, list[tuple[str, Candidate]]] = defaultdict(list)
    for cluster in sorted(candidates):
        for cand in candidates[cluster]:
            by_kind[cand.kind].append((cluster, cand))
    for kind in EditKind:
        rng.shuffle(by_kind[kind])
    banned = {
        cluster: frozenset(w.lower() for d in ds.values() for w in re.findall(r"[A-Za-z]+", d.text))
        for cluster, ds in docs.items()
    }
    used: set[tuple[str, int]] = set()
    facts: set[tuple[str, EditKind, str]] = set()  # one edit per fact and cluster, for variety
    count: dict[str, int] = defaultdict(int)
    out: list[tuple[str, Edit]] = []
    queues = {k: list(v) for k, v in by_kind.items() if v}
    while len(out) < target and queues:
        for kind in [k for k in EditKind if k in queues]:
            queue = queues[kind]
            while queue:
                cluster, cand = queue.pop(0)
                if count[cluster] >= per_cluster:
                    continue
                if (cand.a, cand.ma.start) in used or (cand.b, cand.mb.start) in used:
                    continue
                if (cluster, cand.kind, cand.ma.key) in facts:
                    continue
                edit = make_edit(cand, docs[cluster], rng, banned=banned[cluster])
                if edit is None:
                    continue
                used.update({(cand.a, cand.ma.start), (cand.b, cand.mb.start)})
                facts.add((cluster, cand.kind, cand.ma.key))
                count[cluster] += 1
                out.append((cluster, edit))
                break
            if not queue:
                del queues[kind]
            if len(out) >= target:
                break
    return out


# ---------------------------------------------------------------------------------------------
# Places: a separate pass, so that adding it left the seeded edits above unchanged.

#: US cities used for PLACE edits (only those absent from the cluster are used).
CITIES = [
    "Albuquerque",
    "Tucson",
    "Spokane",
    "Omaha",
    "Boise",
    "Chattanooga",
    "Fresno",
    "Wichita",
    "Tallahassee",
    "Savannah",
    "Duluth",
    "Reno",
    "Billings",
    "Lubbock",
    "Scranton",
]


def find_place_candidates(
    docs: Sequence[Doc], *, min_jaccard: float = 0.2, min_shared: int = 3
) -> list[Candidate]:
    """The same place name in two outlets' sentences that share content words: any GPE, LOC or
    FAC mention, however it is introduced ("in Columbus", "Columbus officials")."""
    analysed = []
    for d in docs:
        a = analyse(d)
        places = []
        for start, end in d.places:
            sent = _sentence_of(a.sents, start)
            if sent is not None and end <= sent[1]:
                places.append(Mention(EditKind.PLACE, start, end, d.text[start:end], sent))
        analysed.append((a, places))
    return _closest(
        Candidate(EditKind.PLACE, x.doc.id, ma, y.doc.id, mb, sim)
        for i, (x, px) in enumerate(analysed)
        for y, py in analysed[i + 1 :]
        if x.doc.outlet != y.doc.outlet
        for ma in px
        for mb in py
        if ma.key == mb.key and (sim := _similar(x, ma, y, mb, min_jaccard, min_shared)) is not None
    )


def _new_place(docs: dict[str, Doc], rng: random.Random) -> str | None:
    """A city the cluster never names."""
    text = " ".join(d.text for d in docs.values())
    cities = [c for c in CITIES if c not in text]
    return rng.choice(cities) if cities else None


def select_place_edits(
    candidates: dict[str, list[Candidate]],
    docs: dict[str, dict[str, Doc]],
    *,
    seed: int,
    target: int = 30,
    per_cluster: int = 2,
) -> list[tuple[str, Edit]]:
    """Replace one side's place (said once in its article) with a city the cluster never names."""
    rng = random.Random(seed)
    pool = [(c, cand) for c in sorted(candidates) for cand in candidates[c]]
    rng.shuffle(pool)
    count: dict[str, int] = defaultdict(int)
    facts: set[tuple[str, str]] = set()
    out: list[tuple[str, Edit]] = []
    for cluster, cand in pool:
        if len(out) >= target:
            break
        if count[cluster] >= per_cluster or (cluster, cand.ma.key) in facts:
            continue
        edit = make_edit(cand, docs[cluster], rng, banned=frozenset())
        if edit is None:
            continue
        out.append((cluster, edit))
        count[cluster] += 1
        facts.add((cluster, cand.ma.key))
    return out
