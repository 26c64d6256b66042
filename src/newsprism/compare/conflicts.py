"""Conflicts between sources: different values for the same thing, and updates over time.

The two sides of a real conflict rarely sit in similar sentences ("the summit ran for three hours"
in one outlet, "a two-and-a-half-hour session" inside another's sentence about something else), so
values are matched by *slot* — what is measured, about which event — not by sentence similarity:

* two values fill the same slot when the evidence adds up (:class:`_Evidence`): the words around
  each value with the value masked (MiniLM), and whether the two *sentences* report one event --
  their similarity, the story-rare words they share ("phony theology"), the people and places
  both name -- plus independent cues of what is measured: the same head word, the same counted
  noun, magnitudes of one order, the same person beside the value. A score 0.15 above the kind's
  threshold is a conflict; between the two, a *possible* one;
* dates are compared only at one precision (a day with a day: "Friday" does not "agree" with
  "since 2002"), the same weekday in two reports is one day, and a date naming an event ("the
  Sept. 11 attacks") is not the date of what the sentence reports;
* a value conflicts only with its *best* counterpart in the other source, and only when no value
  of that source that agrees with it fills the slot about as well (an outlet that states both
  "12 killed" and "a toll of 12" elsewhere does not conflict with "at least 12 dead");
* names conflict when two origins name different people in the same role, quotes when the
  same words are attributed to different people, and places when two sentences that clearly
  report one event put it in places neither article otherwise names.

A value that differs between articles published hours apart, for a count that grows on a
developing story or with update wording ("rose to", "up from", "now"), is an **update**.
Every decision carries a short reason.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from newsprism.compare.analysis import Analysis, ValueContext, strip_honorific
from newsprism.compare.disagree import values_disagree
from newsprism.compare.origins import Origins
from newsprism.compare.places import Place, Relation, place_key
from newsprism.compare.places import lookup as place_lookup
from newsprism.compare.places import relation as place_relation
from newsprism.compare.quotes import first_name_frequency
from newsprism.model import (
    Conflict,
    ConflictKind,
    ConflictSide,
    Quote,
    Sentence,
    Span,
    Value,
    ValueKind,
)

#: Slot score needed to say two values measure the same thing: the similarity of their sentences
#: with the values masked, plus the bonuses below for independent evidence of the same slot.
SLOT_SIM = 0.62
HEAD_BONUS = 0.12  # the same head word (what is measured): "session" and "session"
UNIT_BONUS = 0.10  # the same counted noun: "23 cars" and "25 rail cars"
MAGNITUDE_BONUS = 0.06  # within a factor 2.5: outlets misreport 3 h as 2.5 h, not as 30 days
UNIT_MISMATCH_PENALTY = 0.08
OWNER_BONUS = 0.1  # the value is about the same person in both: "Romney ... 21 percent"
#: Each article counts this noun once: "23 cars" and "25 rail cars" in two reports of one
#: derailment count the same cars, however differently the sentences around them read.
ONLY_UNIT_BONUS = 0.15
#: Agreements only: per shared name in the two sentences (at most two), who and where. Tried on
#: conflicts too, it doubled the false conflicts in the benchmark's unedited stories.
NAMES_BONUS = 0.05
#: An agreeing counterpart this close to the best disagreeing one cancels the conflict.
AGREE_MARGIN = 0.06
#: Slot score at which two different figures in one article are one slot, so that the article
#: contradicts itself and an agreement elsewhere in it does not hide its disagreement with
#: another outlet. Well above EVENT_SLOT: within one article, related figures ("$5.7 billion"
#: demanded, "$1.375 billion" granted) read alike more often than across outlets.
SELF_SLOT = 1.1
ALIGN_NAMES = 2
#: A value's best counterpart must also be best the other way round, or within this of it.
MUTUAL_SLACK = 0.0
UPDATE_MIN_HOURS = 2.0

_KIND = {
    ValueKind.COUNT: ConflictKind.COUNT,
    ValueKind.DURATION: ConflictKind.DURATION,
    ValueKind.MONEY: ConflictKind.MONEY,
    ValueKind.PERCENT: ConflictKind.PERCENT,
    ValueKind.QUANTITY: ConflictKind.QUANTITY,
    ValueKind.DATE: ConflictKind.DATE,
    ValueKind.WEEKDAY: ConflictKind.DATE,
    ValueKind.TIME: ConflictKind.TIME,
    ValueKind.AGE: ConflictKind.AGE,
}
# Counted nouns that all count people: "1,200 residents" and "1,500 people" count the same
# crowd. A closed lexical class (no word-vector model ships offline that separates these from
# "1,500 cars": MiniLM puts "cars"/"people" as close as "residents"/"people").
PEOPLE_NOUNS = frozenset(
    {
        "people",
        "person",
        "resident",
        "inhabitant",
        "civilian",
        "citizen",
        "passenger",
        "worker",
        "employee",
        "student",
        "child",
        "adult",
        "man",
        "woman",
        "patient",
        "victim",
        "migrant",
        "refugee",
        "protester",
        "demonstrator",
        "voter",
        "member",
        "tourist",
        "visitor",
        "individual",
        "household",
        "family",
        "survivor",
        "casualty",
        "customer",
    }
)
#: The day something happened is not "about" the person named beside it: "Romney joined ... Sunday
#: in calling on Akin" and "Romney on Tuesday joined" name other people next to the day.
_WHEN = frozenset({ValueKind.DATE, ValueKind.WEEKDAY, ValueKind.TIME})
_UPDATABLE = frozenset({ValueKind.COUNT, ValueKind.QUANTITY, ValueKind.MONEY, ValueKind.PERCENT})
# Wording that presents a figure as the latest state of a changing one. Generic English update
# phrasing, not outlet-specific text.
_UPDATE_CUE = re.compile(
    r"\b(?:now|so far|rose|risen|rises|climbed|climbs|increased|jumped|grew|up from|down from|"
    r"has reached|latest|updated|revised|as of|continues to)\b",
    re.IGNORECASE,
)
# A plan that changed: "leaving on January 1, weeks earlier than planned", "postponed to".
_RESCHEDULE_CUE = re.compile(
    r"\b(?:(?:earlier|later|sooner) than (?:planned|expected|scheduled|announced)|postponed|"
    r"rescheduled|pushed back|moved up|brought forward|delayed until|delayed to)\b",
    re.IGNORECASE,
)
# A figure stated as intended or expected, before it happened ("will lay out 19 actions", "is
# expected to cost"): a later article's different figure reports what was done.
_PLAN_CUE = re.compile(
    r"\b(?:will|would|plans? to|planned|planning to|(?:is|are) expected to|expects? to|"
    r"(?:is|are) set to|intends? to|proposed|proposes|proposing)\b",
    re.IGNORECASE,
)
# Heads of counts that grow while a story develops (tolls, evacuations, arrests, cases).
_DEVELOPING = frozenset(
    {
        "kill",
        "killed",
        "dead",
        "die",
        "died",
        "death",
        "toll",
        "injure",
        "injured",
        "injury",
        "wound",
        "wounded",
        "hurt",
        "missing",
        "evacuate",
        "evacuated",
        "evacuation",
        "displace",
        "displaced",
        "arrest",
        "arrested",
        "case",
        "infect",
        "infected",
        "victim",
        "casualty",
        "hospitalize",
        "hospitalized",
        "treat",
        "treated",
        "rescue",
        "rescued",
    }
)


@dataclass(frozen=True, slots=True)
class _Side:
    analysis: Analysis
    ctx: ValueContext
    index: int  # into analysis.values
    owner: str | None = None  # the person the value is about, when one is named beside it
    group: str | None = None  # the party or nationality beside it ("Republicans ... 240 seats")
    names: frozenset[str] = frozenset()  # the names in the value's sentence (surnames, lowercase)
    only_of_unit: bool = False  # the article's only count of this noun ("23 cars")
    event_name: bool = False  # a date naming an event: "the Sept. 11 attacks"
    sentence_values: tuple[Value, ...] = ()  # every value of the value's sentence, itself too


#: Weights of the sentence-level evidence that two values are about one event, added to the slot
#: similarity: the two sentences' similarity (MiniLM), the story-rare words they share, and the
#: people, organisations and places both name. The slot text alone (a value's few neighbouring
#: words) misses "It was during a campaign stop in Ohio on Friday that Mr. Santorum described
#: ... phony theology" vs "In a speech ... on Saturday in Columbus, Ohio, Santorum had dismissed
#: ... phony theology": the words that say it is one event lie outside the window.
SENT_WEIGHT = 0.5
LEX_WEIGHT = 0.5
NAMES_WEIGHT = 0.05
#: The slot similarity (value's few neighbouring words) weighs half as much as in agreements:
#: with the sentence evidence beside it, the window alone no longer has to carry the decision.
SLOT_WEIGHT: dict[ValueKind, float] = {k: 0.5 for k in ValueKind}
#: Score (weighted slot similarity + sentence evidence + bonuses) at which two values are shown
#: as a possible conflict; CONFIRM_MARGIN above it, as a conflict. Set on the BASIL benchmark
#: (bench/conflicts.py): the recall gained per false conflict in its unedited stories.
EVENT_SLOT: dict[ValueKind, float] = {k: 0.8 for k in ValueKind}
CONFIRM_MARGIN = 0.15
WINDOW_OFFSET = 0.18


def _confidence(score: float, threshold: float) -> float:
    """A score as a confidence: 0.5 at its threshold, CONFLICT_CONFIRMED (0.75) CONFIRM_MARGIN
    above it. Below that the brief shows the conflict as possible."""
    return min(1.0, 0.5 + 0.25 * (score - threshold) / CONFIRM_MARGIN)


class _Evidence:
    """What a story's sentences share: words weighted by how rare they are in the story (a word
    every article uses, "president", says little; "theology" in two sentences says much)."""

    def __init__(self, analyses: Sequence[Analysis]) -> None:
        df: dict[str, int] = {}
        n = 0
        for a in analyses:
            for lem in a.lemmas:
                n += 1
                for w in lem:
                    df[w] = df.get(w, 0) + 1
        self.default = math.log(n + 1.0)
        self.idf = {w: math.log((n + 1.0) / (c + 0.5)) for w, c in df.items()}

        self._names_of: dict[tuple[str, int], frozenset[str]] = {}

    def _names(self, a: Analysis, sentence: int) -> frozenset[str]:
        key = (a.article.id, sentence)
        got = self._names_of.get(key)
        if got is None:
            got = self._names_of[key] = _sentence_names(a, sentence)
        return got

    def _weight(self, words: frozenset[str]) -> float:
        return sum(self.idf.get(w, self.default) for w in words)

    def lexical(self, a: Analysis, sa: int, b: Analysis, sb: int) -> float:
        """Weighted share of the smaller sentence's content words found in the other one."""
        la, lb = a.lemmas[sa], b.lemmas[sb]
        if not la or not lb:
            return 0.0
        return self._weight(la & lb) / min(self._weight(la), self._weight(lb))

    def sentences(self, a: Analysis, sa: int, b: Analysis, sb: int) -> float:
        """Sentence-level evidence that sentence ``sa`` of ``a`` and ``sb`` of ``b`` report one
        event: their similarity, the story-rare words and the names they share."""
        sim = float(a.embeddings[sa] @ b.embeddings[sb])
        names = len(self._names(a, sa) & self._names(b, sb))
        return (
            SENT_WEIGHT * sim
            + LEX_WEIGHT * self.lexical(a, sa, b, sb)
            + NAMES_WEIGHT * min(3, names)
        )

    def event(self, a: _Side, b: _Side) -> float:
        return self.sentences(a.analysis, a.ctx.sentence, b.analysis, b.ctx.sentence)


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def describe(v: Value) -> str:
    """The value as compared, for display: "10800 s" reads better as "3 h"."""
    if v.kind is ValueKind.DURATION and v.number is not None:
        n = v.number
        for size, unit in (
            (86400 * 365, "years"),
            (86400 * 7, "weeks"),
            (86400, "days"),
            (3600, "hours"),
            (60, "minutes"),
        ):
            if n >= size:
                return f"{n / size:g} {unit}"
        return f"{n:g} seconds"
    if v.kind in (ValueKind.DATE, ValueKind.WEEKDAY) and v.date:
        return v.date
    parts = []
    if v.qualifier:
        parts.append(v.qualifier)
    if v.number is not None:
        parts.append(f"{v.number:,.6g}")
    elif v.low is not None or v.high is not None:
        parts.append(
            f"{v.low if v.low is not None else ''}..{v.high if v.high is not None else ''}"
        )
    if v.unit:
        parts.append(v.unit)
    return " ".join(parts) or v.surface


def _slot_name(v: Value) -> str:
    """A short label of what the value measures, for the reader ("number of cars",
    "duration: session"); the head word is the parser's guess, so it is shown as a hint."""
    what = {
        ValueKind.DURATION: "duration",
        ValueKind.DATE: "date",
        ValueKind.WEEKDAY: "day",
        ValueKind.TIME: "time",
        ValueKind.MONEY: "amount",
        ValueKind.PERCENT: "share",
        ValueKind.AGE: "age",
        ValueKind.QUANTITY: "quantity",
    }.get(v.kind)
    if what is None:  # counts: the counted noun as written ("rail cars", "residents")
        words = v.surface.split()
        noun = words[-1] if words and not words[-1][0].isdigit() else (v.unit or "items")
        return f"number of {noun.lower()}"
    return f"{what}: {v.head}" if v.head else what


#: "its 12th day" on Jan. 2 and "the 14th day" on Jan. 4 are one running count: the difference
#: matches the time between the articles within this many days.
RUNNING_SLACK_DAYS = 1.0
_DAY_UNITS = {"day": 1.0, "week": 7.0}


def _days(v: Value) -> float | None:
    """A running count in days ("the 12th day", "for 22 days"), else None."""
    if v.number is None or v.low is not None or v.high is not None or v.qualifier:
        return None
    if v.kind is ValueKind.DURATION and v.unit == "s":
        return v.number / 86400
    if v.kind is ValueKind.ORDINAL and v.unit in _DAY_UNITS:
        return v.number * _DAY_UNITS[v.unit]
    return None


def _before_value(s: _Side) -> str:
    """The words of a value's sentence up to the value."""
    sent = s.analysis.sentences[s.ctx.sentence]
    return s.analysis.article.text[sent.span.start : s.ctx.value.span.start]


def _is_update(a: _Side, b: _Side) -> tuple[bool, str]:
    v = a.ctx.value
    ta, tb = _aware(a.analysis.article.published), _aware(b.analysis.article.published)
    if ta is None or tb is None:
        return False, ""
    hours = abs((tb - ta).total_seconds()) / 3600
    if hours < UPDATE_MIN_HOURS:
        return False, ""
    later, earlier = (b, a) if tb > ta else (a, b)
    grown = _days(later.ctx.value), _days(earlier.ctx.value)
    if (
        grown[0] is not None
        and grown[1] is not None
        and grown[0] > grown[1]
        and abs((grown[0] - grown[1]) - hours / 24) <= RUNNING_SLACK_DAYS
    ):
        return (
            True,
            f"published {hours:.0f} h apart; a running count of days that grew by as much",
        )
    if v.kind not in _UPDATABLE and v.kind not in _WHEN:
        return False, ""
    s = later.analysis.sentences[later.ctx.sentence].text
    if _RESCHEDULE_CUE.search(s):
        return True, f"published {hours:.0f} h apart; the later article words it as a change"
    if (
        not earlier.event_name
        and _PLAN_CUE.search(_before_value(earlier))
        and not _PLAN_CUE.search(_before_value(later))
    ):
        return True, (
            f"published {hours:.0f} h apart; the earlier article reported a plan or an "
            "expectation, the later one what was done"
        )
    if v.kind not in _UPDATABLE:
        return False, ""
    if _UPDATE_CUE.search(s):
        return True, f"published {hours:.0f} h apart; the later article words it as a change"
    heads = {
        x for x in (a.ctx.value.head, b.ctx.value.head, a.ctx.value.unit, b.ctx.value.unit) if x
    }
    if heads & _DEVELOPING:
        return True, f"published {hours:.0f} h apart; a toll that changes while the story develops"
    return False, ""


def _compare(va: Value, vb: Value) -> tuple[bool | None, str]:
    """(disagree?, how the counted nouns relate: "same", "people" or "different"). Counts of
    differently named things ("23 cars", "25 locomotives") are compared as numbers, but the caller
    then asks for a closer slot match; nouns that all count people are as good as the same."""
    d = values_disagree(va, vb)
    if va.unit == vb.unit:
        return d, "same"
    if d is None and va.kind is ValueKind.COUNT and vb.kind is ValueKind.COUNT:
        people = va.unit in PEOPLE_NOUNS and vb.unit in PEOPLE_NOUNS
        return values_disagree(va, replace(vb, unit=va.unit)), "people" if people else "different"
    return d, "different"


def _magnitude_close(va: Value, vb: Value) -> bool:
    a, b = va.number, vb.number
    if a is None or b is None or va.kind in (ValueKind.DATE, ValueKind.WEEKDAY, ValueKind.TIME):
        return False
    lo, hi = sorted((abs(a), abs(b)))
    return lo > 0 and hi / lo <= 2.5


#: Kinds whose misreports stay within one order of magnitude: two outlets that give "a year" and
#: "three days", or "$200 million" and "$8 billion", are measuring different things.
_MAGNITUDE_KINDS = frozenset(
    {ValueKind.COUNT, ValueKind.MONEY, ValueKind.DURATION, ValueKind.QUANTITY}
)
ORDERS_APART = 10.0


def _orders_apart(va: Value, vb: Value) -> bool:
    a, b = va.number, vb.number
    if a is None or b is None or va.kind not in _MAGNITUDE_KINDS:
        return False
    lo, hi = sorted((abs(a), abs(b)))
    return lo > 0 and hi / lo > ORDERS_APART


_AMONG = re.compile(r"\bamong\s+((?:[A-Za-z][\w'’-]*\s*){1,4})", re.IGNORECASE)


def _population(s: _Side) -> frozenset[str]:
    """The group a share is of, when its sentence names one with "among": "finishes first among
    Tea Party supporters (at 20 percent)" -> {"tea", "party", "supporters"}."""
    text = s.analysis.sentences[s.ctx.sentence].text
    return frozenset(
        w.lower()
        for m in _AMONG.finditer(text)
        for w in m.group(1).split()
        if w.lower() not in _CONTEXT_STOP
    )


def _same_population(a: _Side, b: _Side) -> bool:
    """Shares of one group: a group named with "among" on one side must be named on the other
    ("among independent voters" is not "of likely voters"; "among Republicans" is "of Republican
    primary voters")."""
    for x, y in ((a, b), (b, a)):
        group = _population(x)
        other = y.analysis.sentences[y.ctx.sentence].text.lower()
        if not all(w.removesuffix("s") in other for w in group):
            return False
    return True


def _same_agent(a: str, b: str) -> bool:
    """One named doer: "democrats" is "house democrats", "republican" is "republicans", and
    Congress acts through its chambers ("the Senate voted Monday to override his veto" /
    "Congress on Wednesday overwhelmingly rejected his veto")."""
    wa, wb = set(a.split()), set(b.split())
    wa |= {w.removesuffix("s") for w in wa}
    wb |= {w.removesuffix("s") for w in wb}
    for x, y in ((wa, wb), (wb, wa)):
        if "congress" in x and y & _CHAMBERS:
            return True
    return bool(wa & wb)


_CHAMBERS = frozenset({"senate", "house", "congress"})


ADJECTIVAL_PENALTY = 0.05


def _adjectival(v: Value) -> bool:
    """A figure written as one hyphenated modifier ("a 12-person task force", "a three-day
    conference", "his two-term tenure"): it measures the noun it modifies, its head."""
    return v.kind in _MAGNITUDE_KINDS and "-" in v.surface and " " not in v.surface.strip()


#: Characters between a value and a person's name for the value to be about that person
#: ("Huckabee at 17 percent", "Romney leads the pack at 21 percent").
OWNER_WINDOW = 35


def _owner(a: Analysis, ctx: ValueContext, label: str = "PERSON") -> str | None:
    """The person (or, with ``label="NORP"``, the party or nationality) named right beside a
    value, if any: a poll share, an age or a vote count is about someone, and two outlets'
    figures about different people are not one slot."""
    best = _beside_name(a, ctx.sentence, ctx.value.span, label)
    if best is None:
        return None
    return best if label == "PERSON" else best.lower().removesuffix("s")


def _beside_name(a: Analysis, sentence: int, v: Span, label: str = "PERSON") -> str | None:
    """The name (of ``label``) closest to span ``v`` within OWNER_WINDOW characters of its
    sentence, not across an opening parenthesis after it."""
    best: tuple[int, str] | None = None
    for m in a.mentions:
        if m.label != label or m.sentence != sentence:
            continue
        gap = v.start - m.span.end if m.span.end <= v.start else m.span.start - v.end
        if m.span.start >= v.end and "(" in a.article.text[v.end : m.span.start]:
            continue  # "at 17 percent (Mitt Romney leads the pack at 21 percent)": an aside
        if 0 <= gap <= OWNER_WINDOW and (best is None or gap < best[0]):
            best = (gap, m.text)
    return None if best is None else best[1]


def _sentence_names(a: Analysis, sentence: int) -> frozenset[str]:
    """Who and where a sentence is about, as comparable keys (a person's surname, an
    organisation's or place's name), so "Mr. Santorum ... in Ohio" meets "Santorum ... Ohio"."""
    keys = set()
    for m in a.mentions:
        if m.sentence != sentence or m.label not in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"):
            continue
        key = _surname(m.text) if m.label == "PERSON" else m.text.lower().removeprefix("the ")
        if key:
            keys.add(key)
    return frozenset(keys)


def _after_the_other(a: _Side, b: _Side) -> bool:
    """Whether the later article dates its event after the earlier article was published, while
    the earlier one reports a day already past: the earlier article cannot have reported that
    event, so the two are different events ("spoke on Wednesday" in Wednesday's paper, "signed on
    Thursday" in Thursday's), not a conflict. A day the earlier article announces ("will vote on
    Friday") is still compared."""
    ta, tb = a.analysis.article.published, b.analysis.article.published
    if ta is None or tb is None or ta.date() == tb.date():
        return False
    early, late = (a, b) if ta < tb else (b, a)
    published = min(ta, tb).date().isoformat()
    d_early, d_late = early.ctx.value.date, late.ctx.value.date
    return d_early is not None and d_late is not None and d_early <= published < d_late


def _is_day(v: Value) -> bool:
    """A day (weekday, full date, clock time): when something happened, which other names beside
    it do not own. A year or a month can be someone's ("Schumer ... since 2005")."""
    return v.kind in _WHEN and (v.kind is not ValueKind.DATE or len(v.date or "") == 10)


def _names_an_event(a: Analysis, v: Value) -> bool:
    """A date used as the name of an event ("the Sept. 11 attacks", "the Nov. 8 election") dates
    that event, not what the sentence reports: it is no side of a conflict about the latter."""
    text = a.article.text
    before = text[max(0, v.span.start - 4) : v.span.start].lower()
    word = _NEXT_WORD.match(text, v.span.end)
    if word is None or word.group(1) in _NOT_EVENT_NOUN:
        return False
    # "the Sept. 11 attacks", "families of Sept. 11 victims", "Tuesday's vote" is not one
    return before.endswith(("the ", "of ", "’s ", "'s ")) or v.span.start == 0


_NEXT_WORD = re.compile(r" ([a-z]+)\b")
# Lowercase words that can follow a date without making it an event's name: "Sept. 11 was",
# "March 3 and 4", "Tuesday when".
_NOT_EVENT_NOUN = frozenset([
    "a", "an", "and", "or", "but", "to", "in", "at", "on", "by", "for", "from", "with", "as",
    "of", "is", "was", "were", "are", "be", "been", "will", "would", "when", "while", "after",
    "before", "until", "since", "that", "which", "who", "than", "through",
])  # fmt: skip


#: Evidence of one slot beside HEAD_BONUS: each head word in the other's sentence (as strong as
#: the same head), and a named doer both values share (weaker: one person does many things).
CROSS_HEAD_BONUS = 0.12
AGENT_BONUS = 0.05
#: Heads too common to say what is measured: "said Monday" and "said Friday" need more.
_LIGHT_HEADS = frozenset(
    ["say", "be", "have", "do", "make", "take", "get", "go", "come", "tell", "give", "add"]
)


def _heads_cross(a: _Side, b: _Side) -> bool:
    """Each value's head word appears in the other's sentence: "the House resolution ...
    passed Thursday" (head "pass") and "passing a resolution on Tuesday" (head "resolution")
    measure one thing though the parses hang the days on different words."""
    ha, hb = a.ctx.value.head, b.ctx.value.head
    if not ha or not hb or ha in _LIGHT_HEADS or hb in _LIGHT_HEADS:
        return False
    ta = a.analysis.sentences[a.ctx.sentence].text.lower()
    tb = b.analysis.sentences[b.ctx.sentence].text.lower()
    return _has_word(tb, ha) and _has_word(ta, hb)


def _has_word(text: str, lemma: str) -> bool:
    """Whether lowercase ``text`` holds a word starting with ``lemma``'s stem ("pass" in
    "passing", "release" in "released")."""
    stem = lemma[:-1] if lemma.endswith("e") and len(lemma) > 3 else lemma
    return re.search(rf"\b{re.escape(stem)}", text) is not None


# "between 2011 and 2014": the first end stands after "between"/"from" and before "and"/"to";
# the second after "between 2011 and".
_RANGE_FIRST = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
_RANGE_SECOND = re.compile(
    r"\b(?:between|from)\s+\S+(?:\s+\S+){0,2}\s+(?:and|to|through)\s+$", re.IGNORECASE
)
_RANGE_AFTER = re.compile(r"\s*(?:and|to|through|-|–)\s*\S", re.IGNORECASE)


def _bound(v: Value) -> bool:
    """A one-sided figure ("over 10 percent", "nearly $20 million", "at least 12"): it admits
    many values without stating any of them."""
    return (v.low is None) != (v.high is None)


def _range_end(s: _Side) -> bool:
    """Whether a date is one end of a span ("between 2011 and 2014", "from Dec. 22 through
    Jan. 25"): the span is the fact, not either end."""
    text = s.analysis.article.text
    v = s.ctx.value.span
    before = text[max(0, v.start - 40) : v.start]
    if _RANGE_SECOND.search(before):
        return True
    return _RANGE_FIRST.search(before) is not None and _RANGE_AFTER.match(text, v.end) is not None


def _beside(s: _Side, kinds: frozenset[ValueKind]) -> list[Value]:
    """The values of ``kinds`` in a value's sentence that go with it: those on the value's own
    head word, or the only one of its kind in the sentence (the parse may hang "$13 million" on
    "authority" and "in 2023" on "earned")."""
    v = s.ctx.value
    others = [o for o in s.sentence_values if o.kind in kinds and o.span != v.span]
    if len(others) == 1:
        return others
    return [o for o in others if v.head is not None and o.head == v.head]


_FIGURE_KINDS = frozenset({ValueKind.COUNT, ValueKind.MONEY, ValueKind.PERCENT})
_YEAR_KINDS = frozenset({ValueKind.DATE})


def _dated_differ(a: _Side, b: _Side, kinds: frozenset[ValueKind]) -> bool:
    """Whether two values each come with a value of ``kinds`` on the same head, and those differ
    too: a year beside a figure is the period of that figure, and a different figure for a
    different year is two facts ("earned $13.17 million in 2013", "earned approximately $30
    million ... in 2014"), not one fact misdated or misreported."""
    fa, fb = _beside(a, kinds), _beside(b, kinds)
    same_kind = [(x, y) for x in fa for y in fb if x.kind is y.kind]
    return bool(same_kind) and not any(values_disagree(x, y) is False for x, y in same_kind)


_ANCHOR = re.compile(r"\s+(since|after|before|ago|later|earlier)\b", re.IGNORECASE)


def _anchor(s: _Side) -> str | None:
    """The word that ties a duration to another event ("15 years since they left", "two weeks
    before the elections", "three days later"): such a duration is a distance between two events,
    comparable only with a distance of the same kind."""
    m = _ANCHOR.match(s.analysis.article.text, s.ctx.value.span.end)
    if m:
        return m.group(1).lower()
    if _GAP.search(_before_value(s)):
        return "since"  # "the first in 22 days": the time since the last one
    return None


_GAP = re.compile(r"\b(?:first|only|last)(?:\s+[\w-]+){0,3}\s+in\s+(?:more than\s+|nearly\s+)?$")


#: Which way money goes for the verbs that move it: +1 to the subject, -1 from it. A sum paid
#: and a sum earned are two sums, however alike their sentences.
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


def _flow(s: _Side) -> int:
    """+1 when the verb right before a sum brings it in ("earned $140 million"), -1 when it
    sends it out ("have paid $43 million"), 0 otherwise."""
    before = _clause_before(s)
    if _FLOW_IN.search(before):
        return 1
    if _FLOW_OUT.search(before):
        return -1
    return 0


_PURPOSE = re.compile(
    r"\s+(?:(?:necessary|needed|required|enough)\s+)?(?:in order\s+)?to\s+([a-z]+)"
)


def _purposes_differ(a: _Side, b: _Side) -> bool:
    """Whether both figures say what they are needed for, right after them, and it differs
    ("60 votes to overcome a filibuster", "the 41 votes necessary to filibuster")."""
    ma = _PURPOSE.match(a.analysis.article.text, a.ctx.value.span.end)
    mb = _PURPOSE.match(b.analysis.article.text, b.ctx.value.span.end)
    return ma is not None and mb is not None and ma.group(1) != mb.group(1)


_PARTITIVE = re.compile(
    r"\b(?:of|among)\s+(?:that|this|those|these|them|which|whom|it)\s*,?\s*(?:only\s+)?$",
    re.IGNORECASE,
)


def _partitive(s: _Side) -> bool:
    """A figure given as a part of a total named before ("Of that, $3 billion could be
    diverted", "of whom 12 were children"): it is not the total another outlet reports."""
    return _PARTITIVE.search(_before_value(s)) is not None


_PERFECT = re.compile(
    r"\b(?:has|have|had)\s+(?:been\s+|already\s+|now\s+)?\w+(?:ed|en|un|wn)\b", re.IGNORECASE
)
_CLAUSE_START = re.compile(r"(?:[,;:(\u2014]|--|\b(?:that|which|who|while|as)\b)", re.IGNORECASE)


def _clause_before(s: _Side) -> str:
    """The words of a value's own clause up to the value: from the last comma, dash or clause
    word ("that", "which", "while") before it."""
    text = _before_value(s)
    cut = 0
    for m in _CLAUSE_START.finditer(text):
        cut = m.end()
    return text[cut:]


def _tense(s: _Side) -> int:
    """+1 when a value's clause announces it ("will reopen the government for three weeks"),
    -1 when it reports it as done or under way ("the shutdown that has dragged on for more than a
    month"), 0 when it says neither. An announced figure and a completed one are two things."""
    clause = _clause_before(s)
    if _PLAN_CUE.search(clause):
        return 1
    if _PERFECT.search(clause):
        return -1
    return 0


_CONTINUES = re.compile(
    r"\b(?:kept|keeps|keep|keeping)\s+up\b|\b(?:continued|continues|continuing|renewed|renews|"
    r"stepped up|ramped up|pressed on|again)\b",
    re.IGNORECASE,
)


def _continues(s: _Side) -> bool:
    """Whether a day's clause reports a later stage of something under way ("Republican senators
    kept up pressure on Steele Sunday", "continued on Tuesday"): its day is not the day the thing
    began, which another outlet may report."""
    return _CONTINUES.search(_clause_before(s)) is not None


RESTATE_CHARS = 40
_RESTATE_CUE = re.compile(
    r"\s*,?\s*(?:who|that|which)\s+(?:serve|serves|served|work|works|are|were)\s+as\b"
)


def _restates(s: _Side, unit: str | None) -> bool:
    """Whether a count's own words go on to say it counts ``unit`` ("at least 865 women who serve
    as store managers"): the other outlet's noun is this one's too."""
    if not unit or s.ctx.value.kind is not ValueKind.COUNT:
        return False
    text = s.analysis.article.text
    end = s.ctx.value.span.end
    m = _RESTATE_CUE.match(text, end)
    if m is None:
        return False
    return _has_word(text[m.end() : m.end() + RESTATE_CHARS].lower(), unit)


def _pair_score(
    a: _Side,
    b: _Side,
    sim: float,
    event: float = 0.0,
    need: float = SLOT_SIM,
    *,
    aligned: bool = False,
) -> tuple[float, bool] | None:
    """(slot score, disagree) of two comparable values, or None when they cannot be about the
    same thing. The score is the masked-sentence similarity plus evidence that the same thing is
    measured: the same head word, the same counted noun, magnitudes of the same order."""
    va, vb = a.ctx.value, b.ctx.value
    # Values that cannot be compared at all (another kind, unit or currency) first: the text
    # rules below read the sentences, and most pairs of a story fail here.
    disagree, units = _compare(va, vb)
    if disagree is None:
        return None
    if a.event_name != b.event_name and not (va.head and va.head == vb.head):
        return None  # the date of the attacks is not the date of the vote
    if not _is_day(va) and a.group and b.group and a.group != b.group:
        return None  # the Republicans' 240 seats and the Democrats' 60 are two figures
    if _is_day(va) and _after_the_other(a, b):
        return None
    if _is_day(va) and (_continues(a) or _continues(b)):
        return None  # "kept up pressure on Steele Sunday": a later day of what began earlier
    owned = not _is_day(va) and a.owner and b.owner
    if owned and not same_person(a.owner or "", b.owner or ""):
        return None
    if va.agent and vb.agent and not _same_agent(va.agent, vb.agent) and not owned:
        # Murray announced on Saturday, Inslee on Monday: two announcements. The same person
        # right beside both figures says more than the parse's subject ("Romney leads ...
        # followed by Trump and Huckabee at 12 percent").
        return None
    if _orders_apart(va, vb):
        return None
    if va.kind is ValueKind.PERCENT and not _same_population(a, b):
        return None  # 14 percent "among Tea Party supporters" is no share of all voters
    if va.kind in _WHEN and va.qualifier != vb.qualifier and not (va.head and va.head == vb.head):
        return None  # taxes paid "since 2007" and returns released "back to 1977"
    if va.kind in _WHEN and _range_end(a) != _range_end(b):
        return None  # "between 2011 and 2014" is a span of years, "in 2015" one year
    if va.kind in _WHEN and _dated_differ(a, b, _FIGURE_KINDS):
        return None  # "earned $13.17 million in 2013", "earned $30 million in 2014"
    if va.kind is ValueKind.DURATION and _anchor(a) != _anchor(b):
        return None  # "the 15 years since they left the White House" is no "eight year span"
    if va.kind in _MAGNITUDE_KINDS and _purposes_differ(a, b):
        return None  # "the 41 votes necessary to filibuster", "60 votes to overcome" one
    if va.kind is ValueKind.MONEY and _flow(a) * _flow(b) < 0:
        return None  # "paid $43 million in federal taxes" is not what they "earned"
    if va.kind in _MAGNITUDE_KINDS and _partitive(a) != _partitive(b):
        return None  # "Of that, $3 billion could be diverted" is a part of a total
    if va.kind in _MAGNITUDE_KINDS and _tense(a) * _tense(b) < 0:
        return None  # "will reopen the government for three weeks" / "has dragged on for a month"
    if va.kind in _FIGURE_KINDS and _dated_differ(a, b, _YEAR_KINDS):
        return None  # "$43 million ... since 2007", "nearly $20 million between 2011 and 2014"
    if units == "different" and (_restates(a, vb.unit) or _restates(b, va.unit)):
        units = "same"  # "865 women who serve as store managers" counts store managers
    if units == "different" and event and not aligned:
        # With sentence evidence this generous, counts of differently named things ("43 votes",
        # "60 seats") are not one slot; only the window path below could tell, and it is not
        # enough on its own. Unless the two sentences are one fact by another figure they share
        # or the names they share, and each holds no other count ("protections for 390,000 young
        # undocumented immigrants in exchange for $5.7 billion" / "for 700,000 DACA recipients,
        # in exchange for the $5.7 billion"; "seven more of the explosive devices: one addressed
        # to Senator Cory Booker and the other to James R. Clapper" / "two additional packages
        # ..., one addressed to Sen. Cory Booker, and the other to ... James Clapper"): then the
        # two counts are its two versions, whatever each calls them.
        return None
    score = SLOT_WEIGHT.get(va.kind, 1.0) * sim + event
    if event and va.kind not in _WHEN:
        # A value's own words can say what it measures when its sentence reads otherwise
        # ("derailed ..., sending 23 cars off the tracks" vs "scattering 25 rail cars"). Not a
        # day's: "on Friday" reads the same whatever happened that day.
        score = max(score, sim + WINDOW_OFFSET)
    if va.head and va.head == vb.head:
        score += HEAD_BONUS
    elif _heads_cross(a, b):
        score += CROSS_HEAD_BONUS
    if va.agent and vb.agent:  # (different doers were refused above)
        score += AGENT_BONUS
    if va.kind is ValueKind.COUNT and va.unit and units != "different":
        score += UNIT_BONUS
        if a.only_of_unit and b.only_of_unit and units == "same":
            score += ONLY_UNIT_BONUS
    if _magnitude_close(va, vb):
        score += MAGNITUDE_BONUS
    if owned:  # (different owners were refused above)
        score += OWNER_BONUS
    if units == "different":
        need += UNIT_MISMATCH_PENALTY
    if (_adjectival(va) or _adjectival(vb)) and not (va.head and va.head == vb.head):
        if va.kind is ValueKind.COUNT:
            return None  # a "12-person task force" is a task force, not "26 people killed"
        # A duration may name its event with a noun where the other uses a verb: only sentences
        # that clearly report one event make "a two-and-a-half-hour session with emergency
        # managers" the same as "met with emergency officials for three hours".
        need += ADJECTIVAL_PENALTY
    if score < need:
        return None
    return score, disagree


def _sides(
    analyses: Sequence[Analysis], kinds: frozenset[ValueKind] | None = None
) -> tuple[list[_Side], Any]:
    """Every value (of ``kinds``) with its owner and sentence names, and the slot similarities
    between all of them: one construction for conflicts and agreements alike."""
    if kinds is None:
        kinds = frozenset(ValueKind)
    per_unit = Counter(
        (a.article.id, ctx.value.unit)
        for a in analyses
        for ctx in a.values
        if ctx.value.kind is ValueKind.COUNT
    )
    in_sentence: dict[tuple[str, int], list[Value]] = {}
    for a in analyses:
        for ctx in a.values:
            in_sentence.setdefault((a.article.id, ctx.sentence), []).append(ctx.value)
    sides = [
        _Side(
            a,
            ctx,
            i,
            _owner(a, ctx),
            _owner(a, ctx, "NORP"),
            _sentence_names(a, ctx.sentence),
            ctx.value.kind is ValueKind.COUNT and per_unit[(a.article.id, ctx.value.unit)] == 1,
            ctx.value.kind in _WHEN and _names_an_event(a, ctx.value),
            tuple(in_sentence[(a.article.id, ctx.sentence)]),
        )
        for a in analyses
        for i, ctx in enumerate(a.values)
        if ctx.value.kind in kinds
    ]
    if not sides:
        return sides, np.zeros((0, 0))
    emb = np.vstack([s.analysis.value_embeddings[s.index] for s in sides])
    return sides, emb @ emb.T


def value_conflicts(
    analyses: Sequence[Analysis], origins: Origins, ev: _Evidence | None = None
) -> list[Conflict]:
    sides, sims = _sides(analyses)
    if not sides:
        return []
    ev = ev if ev is not None else _Evidence(analyses)

    def origin(s: _Side) -> str:
        return origins.sentence_origin[(s.analysis.article.id, s.ctx.sentence)]

    by_sentence: dict[tuple[str, int], list[int]] = {}
    for z, s in enumerate(sides):
        by_sentence.setdefault((s.analysis.article.id, s.ctx.sentence), []).append(z)

    def also_states(k: int, j: int) -> bool:
        """Whether j's sentence also states k's value: "Ryan, named Saturday as Romney's running
        mate, told Fox News on Tuesday" holds the Tuesday of "an interview with Fox News on
        Tuesday"; its Saturday is another event of that sentence, whatever the slot scores."""
        sk, sj = sides[k], sides[j]
        for z in by_sentence[(sj.analysis.article.id, sj.ctx.sentence)]:
            sz = sides[z]
            if z == j or _compare(sk.ctx.value, sz.ctx.value) != (False, "same"):
                continue
            if _bound(sk.ctx.value) or _bound(sz.ctx.value):
                continue  # "over 10 percent" is compatible with 52.8 percent, not a statement of it
            # Only a value that could fill k's slot at all (not Bush's 36 percent beside the
            # Clintons' 35.7): the refusals of _pair_score, whatever the similarity.
            if _pair_score(sk, sz, float(sims[k, z]), ev.event(sk, sz), -math.inf) is not None:
                return True
        return False

    # Per sentence, for aligned(): whether it holds exactly one count, and the figures (other
    # than counts, not bounds) it states, as (kind, number, unit).
    lone_count: set[tuple[str, int]] = set()
    figures: dict[tuple[str, int], set[tuple[ValueKind, float, str | None]]] = {}
    for sentence, members in by_sentence.items():
        values = [sides[z].ctx.value for z in members]
        if sum(v.kind is ValueKind.COUNT for v in values) == 1:
            lone_count.add(sentence)
        figures[sentence] = {
            (v.kind, v.number, v.unit)
            for v in values
            if v.kind in _FIGURE_KINDS
            and v.kind is not ValueKind.COUNT
            and v.number is not None
            and not _bound(v)
        }

    def aligned(k: int, j: int) -> bool:
        """Whether k's and j's sentences are one fact by other evidence than the counts (a
        figure they share, with the same number, unit and kind, not a bound; or ALIGN_NAMES
        people, places or organisations both name) and neither holds another count: see
        _pair_score."""
        sk, sj = sides[k], sides[j]
        if sk.ctx.value.kind is not ValueKind.COUNT:
            return False
        kk = (sk.analysis.article.id, sk.ctx.sentence)
        kj = (sj.analysis.article.id, sj.ctx.sentence)
        if kk not in lone_count or kj not in lone_count:
            return False
        return len(sk.names & sj.names) >= ALIGN_NAMES or bool(figures[kk] & figures[kj])

    # best[(k, article)] = (score, j): k's best counterpart among the values of another article.
    best: dict[tuple[int, str], tuple[float, int]] = {}
    agree_best: dict[tuple[int, str], tuple[float, int]] = {}
    for k, sk in enumerate(sides):
        for j, sj in enumerate(sides):
            if sj.analysis is sk.analysis or origin(sj) == origin(sk):
                continue
            scored = _pair_score(
                sk,
                sj,
                float(sims[k, j]),
                ev.event(sk, sj),
                EVENT_SLOT[sk.ctx.value.kind],
                aligned=aligned(k, j),
            )
            if scored is None:
                continue
            score, disagree = scored
            key = (k, sj.analysis.article.id)
            if disagree:
                if also_states(k, j) or also_states(j, k):
                    continue
                if score > best.get(key, (-1.0, -1))[0]:
                    best[key] = (score, j)
            else:
                if score > agree_best.get(key, (-1.0, -1))[0]:
                    agree_best[key] = (score, j)

    def agreed(k: int, art: str, score: float, j: int) -> bool:
        """Whether article ``art`` states k's value in a slot as good as j's, so that j, which
        differs, is some other figure. Not when j and that agreeing value are themselves one slot:
        then ``art`` gives both figures for one thing ("$4.3 billion" for the wall in one
        sentence, "$5.7 billion" in another) and the disagreement stands."""
        agree = agree_best.get((k, art))
        if agree is None or agree[0] < score - AGREE_MARGIN:
            return False
        z = agree[1]
        inside = _pair_score(
            sides[j], sides[z], float(sims[j, z]), ev.event(sides[j], sides[z]), SELF_SLOT
        )
        return inside is None

    pairs: list[tuple[int, int, float]] = []
    seen: set[tuple[int, int]] = set()
    for (k, art), (score, j) in best.items():
        if agreed(k, art, score, j):
            continue
        back = best.get((j, sides[k].analysis.article.id))
        if (
            back is None
            or (back[1] != k and back[0] - score > MUTUAL_SLACK)
            or agreed(j, sides[k].analysis.article.id, score, k)
        ):
            continue
        pair = (min(k, j), max(k, j))
        if pair not in seen:
            seen.add(pair)
            pairs.append((*pair, _confidence(score, EVENT_SLOT[sides[k].ctx.value.kind])))
    return _merge_pairs(sides, pairs)


#: Kinds whose agreement across origins is evidence that two sentences state one fact ("23
#: cars" in both): a weekday or a year in common is not.
_AGREEMENT_KINDS = frozenset(
    {
        ValueKind.COUNT,
        ValueKind.MONEY,
        ValueKind.PERCENT,
        ValueKind.DURATION,
        ValueKind.QUANTITY,
        ValueKind.AGE,
    }
)
#: Slot score at which an agreeing value links two sentences into one fact; the very same figure
#: ("23 cars" and "23 cars", not just overlapping ranges) counts as more evidence.
AGREE_LINK = 0.75
SAME_FIGURE_BONUS = 0.1


def value_agreements(
    analyses: Sequence[Analysis], origins: Origins
) -> list[tuple[tuple[str, int], tuple[str, int], float]]:
    """Sentence pairs of different origins that state the same value in the same slot:
    ((article id, sentence), (article id, sentence), score). The alignment uses them as
    evidence of one fact where the sentences are worded too differently for embeddings alone."""
    sides, sims = _sides(analyses, _AGREEMENT_KINDS)
    if len(sides) < 2:
        return []
    out = []
    for k, sk in enumerate(sides):
        ok = origins.sentence_origin[(sk.analysis.article.id, sk.ctx.sentence)]
        for j in range(k + 1, len(sides)):
            sj = sides[j]
            if sj.analysis is sk.analysis or sj.ctx.value.kind is not sk.ctx.value.kind:
                continue
            if origins.sentence_origin[(sj.analysis.article.id, sj.ctx.sentence)] == ok:
                continue
            scored = _pair_score(sk, sj, float(sims[k, j]))
            if scored is None or scored[1]:
                continue
            va, vb = sk.ctx.value, sj.ctx.value
            same = va.number is not None and va.number == vb.number and va.unit == vb.unit
            shared = min(2, len(sk.names & sj.names))
            score = scored[0] + (SAME_FIGURE_BONUS if same else 0.0) + NAMES_BONUS * shared
            if score >= AGREE_LINK:
                out.append(
                    (
                        (sk.analysis.article.id, sk.ctx.sentence),
                        (sj.analysis.article.id, sj.ctx.sentence),
                        score,
                    )
                )
    return out


def _merge_pairs(sides: Sequence[_Side], pairs: list[tuple[int, int, float]]) -> list[Conflict]:
    """One conflict per slot: pairwise conflicts that share a side (S1 says 23, S2 says 25, S3
    says 23) become one conflict listing every version, in publication order. It is an update
    only when every pair in it is one."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, j, _ in pairs:
        parent[find(j)] = find(k)
    groups: dict[int, list[tuple[int, int, float]]] = {}
    for p in pairs:
        groups.setdefault(find(p[0]), []).append(p)
    conflicts: list[Conflict] = []
    for members in groups.values():
        members.sort(key=lambda p: -p[2])
        k, j, score = members[0]
        verdicts = [_is_update(sides[a], sides[b]) for a, b, _ in members]
        update = all(u for u, _ in verdicts)
        idx = sorted({x for a, b, _ in members for x in (a, b)})
        ordered = sorted(
            (sides[x] for x in idx),
            key=lambda s: (
                _aware(s.analysis.article.published) or datetime.max.replace(tzinfo=UTC),
                s.analysis.article.id,
            ),
        )
        va, vb = sides[k].ctx.value, sides[j].ctx.value
        same_head = bool(va.head) and va.head == vb.head
        reason = (
            verdicts[0][1]
            if update
            else (
                f"same slot (confidence {score:.2f}{', same head word' if same_head else ''}); "
                f"{' vs '.join(dict.fromkeys(describe(s.ctx.value) for s in ordered))} cannot all hold"
            )
        )
        conflicts.append(
            Conflict(
                id="",
                kind=_KIND.get(va.kind, ConflictKind.QUANTITY),
                slot=_slot_name(va),
                sides=tuple(_side(s) for s in ordered),
                update=update,
                reason=reason,
                confidence=round(min(1.0, score), 3),
            )
        )
    return conflicts


def _side(s: _Side) -> ConflictSide:
    sent = s.analysis.sentences[s.ctx.sentence]
    v = s.ctx.value
    return ConflictSide(
        sentence=sent.span,
        sentence_text=sent.text,
        value=v.span,
        value_text=v.surface,
        normalised=describe(v),
        published=s.analysis.article.published,
    )


_NAME_SUFFIX = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
_POSSESSIVE_END = re.compile(r"(?:'s|\u2019s|'|\u2019)$")


def name_parts(name: str) -> list[str]:
    """The words of a person's name that identify them: no possessive, no "Jr."/"III", no
    middle initials ("John G. Roberts Jr." -> ["John", "Roberts"])."""
    words = [_POSSESSIVE_END.sub("", w) for w in re.findall(r"[\w.'\u2019-]+", name)]
    words = [w for w in words if w and w.lower().strip(".") not in _NAME_SUFFIX]
    if len(words) > 2:
        words = [words[0], *(w for w in words[1:-1] if len(w.strip(".")) > 1), words[-1]]
    return [w.strip(".") for w in words if w.strip(".")]


def _surname(name: str) -> str:
    parts = name_parts(name)
    return parts[-1].lower() if parts else ""


def same_person(a: str, b: str) -> bool:
    """One person by name: the same surname, or one name's words among the other's ("Obama",
    "Barack Obama"). Words, not letters: "the Clintons" (the couple) is not "Mr. Clinton"."""
    wa = [w.lower() for w in name_parts(a)]
    wb = [w.lower() for w in name_parts(b)]
    if not wa or not wb:
        return False
    return wa[-1] == wb[-1] or set(wa) <= set(wb) or set(wb) <= set(wa)


_CONTEXT_WORD = re.compile(r"[A-Za-z][A-Za-z.-]+")
_CONTEXT_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "by",
        "with",
        "from",
        "as",
        "that",
        "this",
        "said",
        "says",
        "say",
        "told",
        "who",
        "which",
        "whose",
        "his",
        "her",
        "their",
        "its",
        "he",
        "she",
        "they",
        "also",
        "had",
        "has",
        "have",
        "not",
    ]
)
#: Characters each side of a name whose words describe who the person is ("Rep. ... (R-Tenn.)",
#: "... , the White House counsel").
NAME_WINDOW = 45


@dataclass(frozen=True, slots=True)
class _Person:
    name: str  # as written, honorific stripped
    first: str
    last: str
    span: Span
    sentence: int
    context: frozenset[str]


#: Short forms that describe a politician the same way as the long ones: "Rep. Michele Bachmann
#: (R-Minn.)" and "Representative Michele Coleman, Republican of Minnesota".
_TITLE_ALIASES = {
    "rep": "representative", "reps": "representative", "representatives": "representative",
    "sen": "senator", "sens": "senator", "senators": "senator", "gov": "governor",
    "lt": "lieutenant", "gen": "general", "atty": "attorney", "pres": "president",
    "r": "republican", "gop": "republican", "republicans": "republican",
    "d": "democrat", "democratic": "democrat", "democrats": "democrat", "i": "independent",
}  # fmt: skip


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
_TITLE_STOP = _CONTEXT_STOP | frozenset([
    "how", "what", "why", "when", "where", "whether", "if", "after", "before", "than", "while",
    "about",
])  # fmt: skip


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


def _people(an: Analysis) -> list[_Person]:
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
        out.append(_Person(name, words[0], words[-1], m.span, m.sentence, context))
    return out


#: Sentence evidence (see :class:`_Evidence`) at which one shared word around two names suffices.
NAME_EVENT = 0.55
# The usual English short forms of given names: "Jim Clyburn" is "James E. Clyburn". A closed
# list (no offline library maps these); a short form not listed only loses the first-name cue.
_NICKNAMES = {
    "jim": "james", "jimmy": "james", "jamie": "james", "bob": "robert", "rob": "robert",
    "bobby": "robert", "bill": "william", "billy": "william", "will": "william",
    "mike": "michael", "mick": "michael", "tom": "thomas", "tommy": "thomas",
    "dick": "richard", "rick": "richard", "rich": "richard", "chuck": "charles",
    "charlie": "charles", "joe": "joseph", "joey": "joseph", "dave": "david", "dan": "daniel",
    "danny": "daniel", "steve": "stephen", "ted": "edward", "ed": "edward", "eddie": "edward",
    "ken": "kenneth", "larry": "lawrence", "tony": "anthony", "andy": "andrew",
    "drew": "andrew", "pat": "patrick", "matt": "matthew", "chris": "christopher",
    "nick": "nicholas", "alex": "alexander", "sam": "samuel", "ben": "benjamin",
    "jon": "jonathan", "greg": "gregory", "jeff": "jeffrey", "fred": "frederick",
    "ron": "ronald", "don": "donald", "jerry": "gerald", "liz": "elizabeth",
    "beth": "elizabeth", "betsy": "elizabeth", "kate": "katherine", "kathy": "katherine",
    "sue": "susan", "debbie": "deborah", "peggy": "margaret", "maggie": "margaret",
}  # fmt: skip


#: Percent of the US population (1990 census lists) below which a first name is rare: two people
#: of one story seldom share "Antonin" or "Steny", often "John".
RARE_FIRST_NAME = 0.01


def _rare_first_name(first: str) -> bool:
    m, w = first_name_frequency().get(first.upper(), (0.0, 0.0))
    return max(m, w) < RARE_FIRST_NAME and len(first) > 2


def _first_key(first: str) -> str:
    f = first.lower()
    return _NICKNAMES.get(f, f)


def name_conflicts(
    analyses: Sequence[Analysis], origins: Origins, ev: _Evidence | None = None
) -> list[Conflict]:
    """Two origins naming different people for what looks like one person: "spokesman Dana
    Whitfield" vs "spokesman Dana Whitman", "Rep. Stephen Porter (R-Tenn.)" vs "Rep. Stephen
    Fincher, R-Tenn.". Evidence required, to stay precise:

    * the names look like versions of one person: the same first name, or (in the same role) a
      similar surname;
    * neither full name appears in the other article (two people both named in one article are
      two people, not a conflict);
    * the same role, or at least two words in common in the few words around each name (title,
      party and state, organisation).
    """
    roles: dict[tuple[str, int], str] = {}
    for an in analyses:
        for r in an.roles:
            roles[(an.article.id, r.name_span.start)] = r.role
    people = {an.article.id: _people(an) for an in analyses}
    ev = ev if ev is not None else _Evidence(analyses)
    out: list[Conflict] = []
    seen: set[tuple[str, str]] = set()
    for x, a in enumerate(analyses):
        for b in analyses[x + 1 :]:
            if origins.article_origin[a.article.id] == origins.article_origin[b.article.id]:
                continue
            ta, tb = a.article.text.lower(), b.article.text.lower()
            for pa in people[a.article.id]:
                for pb in people[b.article.id]:
                    if pa.last.lower() == pb.last.lower() or same_person(pa.name, pb.name):
                        continue
                    if (
                        f"{pb.first} {pb.last}".lower() in ta
                        or f"{pa.first} {pa.last}".lower() in tb
                    ):
                        continue
                    role_a = _role_near(roles, a.article.id, pa.span)
                    role_b = _role_near(roles, b.article.id, pb.span)
                    same_role = role_a is not None and role_a == role_b
                    first_same = _first_key(pa.first) == _first_key(pb.first)
                    similar = fuzz.ratio(pa.last.lower(), pb.last.lower()) >= 60
                    if not (first_same or (same_role and similar)):
                        continue
                    shared = pa.context & pb.context
                    # One word in common is enough when the two sentences report one event
                    # ("Mitt Reynolds leads ... with 21 percent" / "Mitt Romney leads the pack
                    # at 21 percent") or the first name is rare ("Justice Antonin Scalia" and
                    # "Justice Antonin Morgan"); otherwise two, or the same role.
                    if (
                        not same_role
                        and len(shared) < 2
                        and (
                            not shared
                            or not (
                                (first_same and _rare_first_name(pa.first))
                                or ev.sentences(a, pa.sentence, b, pb.sentence) >= NAME_EVENT
                            )
                        )
                    ):
                        continue
                    key = (min(pa.name, pb.name), max(pa.name, pb.name))
                    if key in seen:
                        continue
                    seen.add(key)
                    sides = []
                    for an, p in ((a, pa), (b, pb)):
                        sent = an.sentences[p.sentence]
                        text = an.article.text[p.span.start : p.span.end]
                        sides.append(
                            ConflictSide(
                                sent.span, sent.text, p.span, text, p.name, an.article.published
                            )
                        )
                    slot = role_a if same_role and role_a else ", ".join(sorted(shared)[:4])
                    why = (
                        f"the same role ({role_a})"
                        if same_role
                        else f"the same words around the names ({', '.join(sorted(shared)[:4])})"
                    )
                    out.append(
                        Conflict(
                            id="",
                            kind=ConflictKind.NAME,
                            slot=slot,
                            sides=tuple(sides),
                            update=False,
                            reason=f"{pa.name} vs {pb.name}: {'same first name' if first_same else 'similar surnames'}, {why}, and neither article names the other",
                            confidence=0.9 if same_role else 0.8,
                        )
                    )
    return out


def _role_near(roles: dict[tuple[str, int], str], article: str, span: Span) -> str | None:
    for (aid, start), role in roles.items():
        if aid == article and span.start <= start < span.end + 2:
            return role
    return None


def _norm_quote(q: Quote) -> str:
    return " ".join(re.findall(r"\w+", q.text.lower()))


def quote_matches(a: Quote, b: Quote) -> float:
    """How closely two quotes carry the same words: 100 for verbatim, ~70+ for a close variant."""
    na, nb = _norm_quote(a), _norm_quote(b)
    if not na or not nb:
        return 0.0
    if na == nb or (min(len(na), len(nb)) >= 25 and (na in nb or nb in na)):
        return 100.0
    wa, wb = na.split(), nb.split()
    if min(len(wa), len(wb)) < 4:
        return 0.0
    # A different wording of one statement shares most of its words, not just "the president":
    # token_set_ratio alone scores a short quote high against any long one that holds its few
    # common words.
    shared = len(set(wa) & set(wb))
    if shared < max(4, 0.6 * min(len(set(wa)), len(set(wb)))):
        return 0.0
    return float(fuzz.token_set_ratio(na, nb))


_PRONOUNS = frozenset(["he", "she", "they", "i", "we", "it", "him", "her", "them", "you"])


#: Words the shorter of two quotes needs to count as the same quotation, and how closely
#: (rapidfuzz partial_ratio) it must stand inside the longer one when their lengths differ.
SAME_QUOTE_WORDS = 6
SAME_QUOTE_PARTIAL = 92.0
SAME_QUOTE_PART_WORDS = 8
SAME_QUOTE_TOKENS = 95.0


def _same_words(a: Quote, b: Quote) -> bool:
    """The same quotation, not one nested in or overlapping another: near-identical wording of
    similar length (a short phrase quoted inside a longer quote is a different quote)."""
    na, nb = _norm_quote(a), _norm_quote(b)
    if min(len(na.split()), len(nb.split())) < SAME_QUOTE_WORDS:
        return False
    if min(len(na), len(nb)) / max(len(na), len(nb)) < 0.75:
        # One outlet quotes more of the same statement than the other: the shorter must stand
        # nearly verbatim inside the longer.
        short = min(len(na.split()), len(nb.split()))
        return short >= SAME_QUOTE_PART_WORDS and fuzz.partial_ratio(na, nb) >= SAME_QUOTE_PARTIAL
    if fuzz.ratio(na, nb) >= 90:
        return True
    # Two transcriptions of one spoken sentence ("and nothing happened to her" / "nothing
    # happened to her"): nearly all words shared, most of the text aligned.
    return (
        min(len(na.split()), len(nb.split())) >= SAME_QUOTE_PART_WORDS
        and fuzz.partial_ratio(na, nb) >= SAME_QUOTE_PARTIAL
        and fuzz.token_set_ratio(na, nb) >= SAME_QUOTE_TOKENS
    )


def _explicit(an: Analysis, q: Quote) -> bool:
    """A speaker named by name next to the quote (not a pronoun resolved from an earlier
    paragraph, not a group like "Republican senators"): attributions are right ~86% of the time
    overall, and a speaker conflict needs both to be right, so only the surest ones count."""
    if not q.speaker or not q.speaker_span:
        return False
    words = q.speaker.split()
    if not words or not all(w[0].isupper() for w in words if w.isalpha()):
        return False
    if not strip_honorific(q.speaker):  # a bare title ("Secretary") names nobody
        return False
    mention = an.article.text[q.speaker_span.start : q.speaker_span.end]
    if mention.lower() in _PRONOUNS or not mention[:1].isupper():
        return False
    sent = _sentence_covering(an, q.span)
    if sent is None:
        return False
    # The name stands within the quote's sentence (or directly around it).
    return sent.start - 200 <= q.speaker_span.start <= sent.end + 200


def _attributes(an: Analysis, q: Quote, speaker: str) -> bool:
    return any(
        other.speaker and same_person(other.speaker, speaker) and quote_matches(q, other) >= 70
        for other in an.quotes
    )


def speaker_conflicts(analyses: Sequence[Analysis], origins: Origins) -> list[Conflict]:
    out: list[Conflict] = []
    for x, a in enumerate(analyses):
        for b in analyses[x + 1 :]:
            if origins.article_origin[a.article.id] == origins.article_origin[b.article.id]:
                continue
            for qa in a.quotes:
                for qb in b.quotes:
                    if not _same_words(qa, qb) or not (_explicit(a, qa) and _explicit(b, qb)):
                        continue
                    assert qa.speaker and qb.speaker  # _explicit checked it
                    la, lb = len(_norm_quote(qa)), len(_norm_quote(qb))
                    whole = min(la, lb) >= 0.75 * max(la, lb)
                    if same_person(qa.speaker, qb.speaker):
                        continue
                    # An article that also gives these words to the other speaker (a phrase
                    # quoted back by a critic) does not contradict it.
                    if _attributes(a, qb, qb.speaker) or _attributes(b, qa, qa.speaker):
                        continue
                    sides = []
                    for an, q in ((a, qa), (b, qb)):
                        sent = _sentence_covering(an, q.span)
                        where = q.speaker_span or q.span
                        sides.append(
                            ConflictSide(
                                sent.span if sent else q.span,
                                sent.text if sent else q.text,
                                where,
                                an.article.text[where.start : where.end],
                                q.speaker or "",
                                an.article.published,
                            )
                        )
                    out.append(
                        Conflict(
                            id="",
                            kind=ConflictKind.SPEAKER,
                            slot=f"speaker of \u201c{_short(qa.text)}\u201d",
                            sides=tuple(sides),
                            update=False,
                            reason=f"the same words are attributed to {qa.speaker} and to {qb.speaker}"
                            + ("" if whole else " (one quote holds the other)"),
                            # A quote found inside a longer one is less sure to be the same
                            # statement than two whole matching quotes: shown as possible.
                            confidence=0.85 if whole else 0.7,
                        )
                    )
    return out


def _short(text: str, n: int = 8) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("\u2026" if len(words) > n else "")


def _sentence_covering(a: Analysis, span: Span) -> Sentence | None:
    for s in a.sentences:
        if s.start <= span.start < s.end:
            return s
    return None


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Sentence evidence (see :class:`_Evidence`) two sentences need for their places to be where one
#: event happened. High: without a gazetteer, "in Columbus" and "in Ohio" can both be true, and
#: "Md." is "Maryland", so only sentences that clearly report one event are compared, and only
#: places neither article names at all. At 0.7 the benchmark's unedited stories gained two false
#: place conflicts (a dateline against a mayor's city; "Maryland" vs "Md.").
PLACE_EVENT = 0.8
#: The same for two places the gazetteer says cannot both hold ("Lubbock" and "California"):
#: the gazetteer, not the sentences, rules out "in Columbus" / "in Ohio". Set on the benchmark's
#: place edits (recall 0.23 -> 0.33) at the lowest value that added no false place conflict to
#: its 50 unedited stories (0.4 added two).
PLACE_EVENT_DISJOINT = 0.5


def _places(an: Analysis) -> list[tuple[int, str, Span, str | None]]:
    """(sentence, name, span, the person it belongs to) of every place mention. Any mention, not
    only "in X": "Ohio Gov. Kasich" and "Tucson Gov. Kasich" disagree too. (Requiring a locative
    preposition halved recall on the benchmark's place edits and removed no false conflict.) A
    place beside a person's name ("Clyburn, 76, of South Carolina", "Hoyer (Md.)", "New York City
    Mayor Michael Bloomberg") is that person's, not where the event happened."""
    return [
        (m.sentence, m.text, m.span, _beside_name(an, m.sentence, m.span))
        for m in an.mentions
        if m.label in _PLACE_LABELS and m.text[:1].isupper()  # not "plain manila envelopes"
    ]


def _names_place(text: str, readings: frozenset[Place], name: str) -> bool:
    """Whether an article names a place anywhere, as written or by another name for it ("Md."
    for "Maryland"); ``text`` is the article's text in lower case, ``readings`` the gazetteer's
    readings of its place names."""
    return place_key(name) in text or bool(readings & set(place_lookup(name)))


def place_conflicts(
    analyses: Sequence[Analysis], origins: Origins, ev: _Evidence | None = None
) -> list[Conflict]:
    """Two origins putting one event in different places: "met with officials in Columbus" vs
    "a session with emergency managers in Cleveland". Precise by construction: the sentences
    must clearly report one event, and neither article may name the other's place anywhere (an article that names both knows they differ, or
    that one holds the other)."""
    ev = ev if ev is not None else _Evidence(analyses)
    places = {an.article.id: _places(an) for an in analyses}
    readings = {
        art: frozenset(r for _, name, _, _ in ps for r in place_lookup(name))
        for art, ps in places.items()
    }
    out: list[Conflict] = []
    for x, a in enumerate(analyses):
        for b in analyses[x + 1 :]:
            if origins.article_origin[a.article.id] == origins.article_origin[b.article.id]:
                continue
            ta, tb = a.article.text.lower(), b.article.text.lower()
            best: dict[tuple[int, int], tuple[float, int, int]] = {}
            for i, (sa, na, _, oa) in enumerate(places[a.article.id]):
                for j, (sb, nb, _, ob) in enumerate(places[b.article.id]):
                    ka, kb = place_key(na), place_key(nb)
                    if not ka or not kb or ka in kb or kb in ka:
                        continue
                    if (oa is None) != (ob is None) or (oa and ob and not same_person(oa, ob)):
                        continue  # Hoyer's Maryland and Clyburn's South Carolina
                    if _names_place(tb, readings[b.article.id], na) or _names_place(
                        ta, readings[a.article.id], nb
                    ):
                        continue
                    where = place_relation(na, nb)
                    if where in (Relation.SAME, Relation.NESTED):
                        continue  # "in Columbus" and "in Ohio" both hold
                    need = PLACE_EVENT_DISJOINT if where is Relation.DISJOINT else PLACE_EVENT
                    score = ev.sentences(a, sa, b, sb)
                    if score < need:
                        continue
                    if score > best.get((sa, sb), (-1.0, -1, -1))[0]:
                        best[(sa, sb)] = (score, i, j)
            for score, i, j in best.values():
                sides = []
                for an, (sent_i, name, span, _) in (
                    (a, places[a.article.id][i]),
                    (b, places[b.article.id][j]),
                ):
                    sent = an.sentences[sent_i]
                    sides.append(
                        ConflictSide(sent.span, sent.text, span, name, name, an.article.published)
                    )
                out.append(
                    Conflict(
                        id="",
                        kind=ConflictKind.PLACE,
                        slot="place",
                        sides=tuple(sides),
                        update=False,
                        reason=(
                            f"the same event (sentence evidence {score:.2f}) placed in "
                            f"{sides[0].value_text} and in {sides[1].value_text}; neither article "
                            "names the other place"
                        ),
                        confidence=round(_confidence(score, PLACE_EVENT), 3),
                    )
                )
    return out


def find_conflicts(analyses: Sequence[Analysis], origins: Origins) -> list[Conflict]:
    # A wire copy repeats its original's claims: compare originals only, or every conflict of the
    # original would be reported again for each copy.
    analyses = [a for a in analyses if origins.article_origin[a.article.id] == a.article.id]
    # One story's word weights and sentence names, shared by every kind that reads them.
    ev = _Evidence(analyses)
    found = (
        value_conflicts(analyses, origins, ev)
        + name_conflicts(analyses, origins, ev)
        + speaker_conflicts(analyses, origins)
        + place_conflicts(analyses, origins, ev)
    )
    out = []
    seen: set[str] = set()
    for c in found:
        key = "|".join(sorted(f"{s.value.source}:{s.value.start}:{s.value.end}" for s in c.sides))
        if key in seen:
            continue
        seen.add(key)
        cid = hashlib.blake2b(f"{c.kind}|{key}".encode(), digest_size=5).hexdigest()
        out.append(
            Conflict(
                id=cid,
                kind=c.kind,
                slot=c.slot,
                sides=c.sides,
                update=c.update,
                reason=c.reason,
                confidence=c.confidence,
            )
        )
    # Confirmed conflicts first, then updates, then possible conflicts.
    out.sort(key=lambda c: (c.possible, c.update, -c.confidence))
    return out
