"""What a value's own words say about what it measures: its *frame*.

Two outlets' figures for one thing sit in frames that match: "has dragged on for more than a
month" (done) and "the 35-day shutdown" (done); a figure "announced" ("will reopen the government
for three weeks") and one done, a part of a total ("Of that, $3 billion") and the total, one end
of a span ("between 2011 and 2014") and a single year, a distance from another event ("15 years
since they left") and a plain length are usually two things. Each cue below is read from the few
words around the value with general English patterns; the conflict detector does not obey any of
them: it counts how many differ between two values (:func:`frame_differences`) and a fitted
weight says how much that counts (see :mod:`newsprism.compare.features`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.compare.analysis import Analysis, ValueContext
from newsprism.compare.words import FUNCTION_WORDS, word_set
from newsprism.model import Value, ValueKind

_MAGNITUDE_KINDS = frozenset(
    {ValueKind.COUNT, ValueKind.MONEY, ValueKind.DURATION, ValueKind.QUANTITY}
)
WHEN_KINDS = frozenset({ValueKind.DATE, ValueKind.WEEKDAY, ValueKind.TIME})


@dataclass(frozen=True, slots=True)
class Frame:
    """The cues of one value (see the module docstring); each is comparable across outlets."""

    tense: int = 0  # +1 announced or planned, -1 done or under way, 0 neither
    anchor: str | None = None  # "since", "ago", "before", ...: a distance from another event
    partitive: bool = False  # "Of that, $3 billion": a part of a total named before
    range_end: bool = False  # one end of "between 2011 and 2014"
    purpose: str | None = None  # "60 votes to overcome": what the figure is needed for
    flow: int = 0  # money in (+1: "earned") or out (-1: "paid")
    population: frozenset[str] = frozenset()  # "among Tea Party supporters"
    adjectival: bool = False  # "a 12-person task force": measures the noun it modifies
    event_name: bool = False  # "the Sept. 11 attacks": a date naming an event
    continues: bool = False  # "kept up pressure ... Sunday": a later day of something under way
    quoted: bool = False  # inside quotation marks
    bound: bool = False  # one-sided: "more than 40", "at least 12"
    period: frozenset[int] = (
        frozenset()
    )  # the other years its sentence names: "in 2014", "since 2007"


def frame_differences(a: Frame, b: Frame) -> int:
    """How many cues differ between two values' frames (cues neither side shows do not count)."""
    return sum(
        (
            a.tense * b.tense < 0,
            a.anchor != b.anchor,
            a.partitive != b.partitive,
            a.range_end != b.range_end,
            a.purpose is not None and b.purpose is not None and a.purpose != b.purpose,
            a.flow * b.flow < 0,
            bool(a.population) != bool(b.population)
            or bool(a.population and b.population and not a.population & b.population),
            a.adjectival != b.adjectival,
            a.continues != b.continues,
        )
    )


def frame_of(an: Analysis, ctx: ValueContext) -> Frame:
    v = ctx.value
    sent = an.sentences[ctx.sentence]
    text = an.article.text
    before = text[sent.span.start : v.span.start]
    clause = _clause(before)
    magnitude = v.kind in _MAGNITUDE_KINDS
    when = v.kind in WHEN_KINDS
    return Frame(
        tense=_tense(clause) if magnitude or when else 0,
        anchor=_anchor(text, v, before) if v.kind is ValueKind.DURATION else None,
        partitive=magnitude and _PARTITIVE.search(before) is not None,
        range_end=when and _range_end(text, v),
        purpose=_purpose(text, v) if magnitude else None,
        flow=_flow(clause) if v.kind is ValueKind.MONEY else 0,
        population=_population(sent.text) if v.kind is ValueKind.PERCENT else frozenset(),
        adjectival=magnitude and "-" in v.surface and " " not in v.surface.strip(),
        event_name=when and _names_an_event(text, v),
        continues=when and _CONTINUES.search(clause) is not None,
        quoted=_quoted(before),
        bound=(v.low is None) != (v.high is None),
        period=_years(sent.text, v.span.start - sent.span.start, v.span.end - sent.span.start),
    )


_YEAR = re.compile(r"(?<![\d$.,])(?:19|20)\d\d(?![\d,])")


def _years(sentence: str, start: int, end: int) -> frozenset[int]:
    """The years a sentence names outside the value itself."""
    return frozenset(
        int(m.group()) for m in _YEAR.finditer(sentence) if m.end() <= start or m.start() >= end
    )


def periods_differ(a: Frame, b: Frame) -> bool:
    """Whether both values' sentences date them and no year is shared: a figure "for 2014" and
    one "from 2007 through 2014" share 2014; "$13 million in 2013" and "$30 million in 2014" do
    not."""
    return bool(a.period and b.period and not a.period & b.period)


# -- the cues ----------------------------------------------------------------------------------

_PLAN = re.compile(
    r"\b(?:will|would|plans? to|planned|planning to|(?:is|are) expected to|expects? to|"
    r"(?:is|are) set to|intends? to|proposed|proposes|proposing)\b",
    re.IGNORECASE,
)
_PERFECT = re.compile(
    r"\b(?:has|have|had)\s+(?:been\s+|already\s+|now\s+)?\w+(?:ed|en|un|wn)\b", re.IGNORECASE
)
_CLAUSE_START = re.compile(r"(?:[,;:(\u2014]|--|\b(?:that|which|who|while|as)\b)", re.IGNORECASE)


def _clause(before: str) -> str:
    """The words of the value's own clause before it: from the last comma, dash or clause word."""
    cut = 0
    for m in _CLAUSE_START.finditer(before):
        cut = m.end()
    return before[cut:]


def _tense(clause: str) -> int:
    if _PLAN.search(clause):
        return 1
    if _PERFECT.search(clause):
        return -1
    return 0


_ANCHOR = re.compile(r"\s+(since|after|before|ago|later|earlier)\b", re.IGNORECASE)
_GAP = re.compile(r"\b(?:first|only|last)(?:\s+[\w-]+){0,3}\s+in\s+(?:more than\s+|nearly\s+)?$")


def _anchor(text: str, v: Value, before: str) -> str | None:
    m = _ANCHOR.match(text, v.span.end)
    if m:
        return m.group(1).lower()
    if _GAP.search(before):
        return "since"  # "the first in 22 days": the time since the last one
    return None


_PARTITIVE = re.compile(
    r"\b(?:of|among)\s+(?:that|this|those|these|them|which|whom|it)\s*,?\s*(?:only\s+)?$",
    re.IGNORECASE,
)
_RANGE_FIRST = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
_RANGE_SECOND = re.compile(
    r"\b(?:between|from)\s+\S+(?:\s+\S+){0,2}\s+(?:and|to|through)\s+$", re.IGNORECASE
)
_RANGE_AFTER = re.compile(r"\s*(?:and|to|through|-|–)\s*\S", re.IGNORECASE)


def _range_end(text: str, v: Value) -> bool:
    before = text[max(0, v.span.start - 40) : v.span.start]
    if _RANGE_SECOND.search(before):
        return True
    return (
        _RANGE_FIRST.search(before) is not None and _RANGE_AFTER.match(text, v.span.end) is not None
    )


_PURPOSE = re.compile(
    r"\s+(?:(?:necessary|needed|required|enough)\s+)?(?:in order\s+)?to\s+([a-z]+)"
)


def _purpose(text: str, v: Value) -> str | None:
    m = _PURPOSE.match(text, v.span.end)
    return m.group(1) if m else None


_FLOW_IN = re.compile(
    r"\b(?:earn(?:s|ed|ing)?|receiv(?:e|es|ed|ing)|rais(?:e|es|ed|ing)|collect(?:s|ed|ing)?|"
    r"won|wins?|winning|gain(?:s|ed|ing)?)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_FLOW_OUT = re.compile(
    r"\b(?:pa(?:y|ys|id|ying)|sp(?:end|ends|ent|ending)|g(?:ive|ives|ave|iven|iving)|"
    r"donat(?:e|es|ed|ing)|los(?:e|es|t|ing)|ow(?:e|es|ed|ing)|contribut(?:e|es|ed|ing)|"
    r"len(?:d|ds|t|ding))\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _flow(clause: str) -> int:
    if _FLOW_IN.search(clause):
        return 1
    if _FLOW_OUT.search(clause):
        return -1
    return 0


_AMONG = re.compile(r"\bamong\s+((?:[A-Za-z][\w'’-]*\s*){1,4})", re.IGNORECASE)


def _population(sentence: str) -> frozenset[str]:
    return frozenset(
        w.lower().removesuffix("s")
        for m in _AMONG.finditer(sentence)
        for w in m.group(1).split()
        if w.lower() not in FUNCTION_WORDS
    )


_NEXT_WORD = re.compile(r" ([a-z]+)\b")
# Lowercase words that can follow a date without making it an event's name: "Sept. 11 was",
# "March 3 and 4", "Tuesday when".
_NOT_EVENT_NOUN = word_set("not_event_name_followers")


def _names_an_event(text: str, v: Value) -> bool:
    before = text[max(0, v.span.start - 4) : v.span.start].lower()
    word = _NEXT_WORD.match(text, v.span.end)
    if word is None or word.group(1) in _NOT_EVENT_NOUN:
        return False
    return before.endswith(("the ", "of ", "’s ", "'s ")) or v.span.start == 0


_CONTINUES = re.compile(
    r"\b(?:kept|keeps|keep|keeping)\s+up\b|\b(?:continued|continues|continuing|renewed|renews|"
    r"stepped up|ramped up|pressed on|again)\b",
    re.IGNORECASE,
)
_OPEN_QUOTES = ("\u201c", '"')


def _quoted(before: str) -> bool:
    """Whether the value stands inside a quotation that opened earlier in its sentence."""
    curly_open = before.count("\u201c") > before.count("\u201d")
    return curly_open or before.count('"') % 2 == 1
