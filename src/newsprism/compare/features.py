"""Features of a pair of typed values from two independent origins: evidence that they fill one
*slot* (the same thing measured, about the same event).

The conflict detector decides with a scorer fitted on data (:mod:`newsprism.compare.scorer`,
weights in ``compare/data/slot_model.json``, fitted by ``bench/fit_slots.py`` on the fit part of
the benchmark's events). This module only measures. Each feature is a named function with what it
measures in its docstring; its ``reason`` is the words a reader sees in a conflict's "why
flagged" when the feature weighs most in the decision.

A pair's features are general: how alike the words around the two values are (values masked),
how alike their sentences are, the story-rare words and names they share, the words running
outward from each value that match, the measured head words and counted nouns, the doers and the
people beside and before the figures, a quotation of one speaker on both sides, magnitudes, whether each article
gives only one figure of the kind, whether each value is the other's nearest counterpart, and how
many of the frame cues of :mod:`newsprism.compare.frames` differ.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from newsprism.compare.analysis import Analysis, ValueContext
from newsprism.compare.disagree import values_disagree
from newsprism.compare.frames import (
    WHEN_KINDS,
    Frame,
    frame_differences,
    frame_of,
    periods_differ,
)
from newsprism.compare.names import same_person, surname
from newsprism.compare.origins import Origins
from newsprism.compare.words import FUNCTION_WORDS, word_set
from newsprism.model import Value, ValueKind

Embed = Callable[[Sequence[str]], Any]


@dataclass(frozen=True, slots=True)
class ValueSide:
    """One typed value of one article, with what the features read, computed once."""

    analysis: Analysis
    index: int  # into analysis.values
    ctx: ValueContext
    origin: str
    owner: str | None  # the person named right beside the value
    group: str | None  # the party or nationality named right beside it
    names: frozenset[str]  # who and where its sentence names (surnames, lowercase names)
    frame: Frame
    lone: bool  # the article's only value of this kind (of this counted noun, for counts)
    masked: str  # its sentence, lower case, the value replaced by "#"
    window: frozenset[str]  # content-word stems of the words around it (value masked)
    others: tuple[Value, ...] = ()  # the other values of its sentence
    near: frozenset[str] = frozenset()  # content-word stems of the six words each side of it
    left: tuple[str, ...] = ()  # the words right before it in its sentence, nearest last
    right: tuple[str, ...] = ()  # the words right after it, nearest first
    speaker: str | None = None  # who is quoted, when the value stands inside a quotation
    person_before: str | None = None  # the last person its sentence names before it

    @property
    def value(self) -> Value:
        return self.ctx.value

    @property
    def article(self) -> str:
        return self.analysis.article.id

    @property
    def key(self) -> tuple[str, int]:
        return (self.analysis.article.id, self.ctx.sentence)


#: Counted nouns that all count people: "1,200 residents" and "1,500 people" count one crowd.
PEOPLE_NOUNS = word_set("people_nouns")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_STOP = FUNCTION_WORDS | word_set("context_stop_words")
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
#: Characters between a value and a name for the value to be that name's ("Huckabee at 17
#: percent", "Republicans ... 240 seats").
OWNER_WINDOW = 35


def _stem(word: str) -> str:
    w = word.lower().strip("'’-")
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def _content(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP)


def _beside(a: Analysis, ctx: ValueContext, label: str) -> str | None:
    """The name of ``label`` closest to the value within OWNER_WINDOW characters of its
    sentence, not across an opening parenthesis after it (an aside)."""
    v = ctx.value.span
    best: tuple[int, str] | None = None
    for m in a.mentions:
        if m.label != label or m.sentence != ctx.sentence:
            continue
        gap = v.start - m.span.end if m.span.end <= v.start else m.span.start - v.end
        if m.span.start >= v.end and "(" in a.article.text[v.end : m.span.start]:
            continue
        if 0 <= gap <= OWNER_WINDOW and (best is None or gap < best[0]):
            best = (gap, m.text)
    return None if best is None else best[1]


def sentence_names(a: Analysis, sentence: int) -> frozenset[str]:
    """Who and where a sentence names, as comparable keys: a person's surname, an organisation's
    or place's name in lower case ("Mr. Santorum ... in Ohio" meets "Santorum ... Ohio")."""
    keys = set()
    for m in a.mentions:
        if m.sentence != sentence or m.label not in _NAME_LABELS:
            continue
        key = surname(m.text) if m.label == "PERSON" else m.text.lower().removeprefix("the ")
        if key:
            keys.add(key)
    return frozenset(keys)


NEAR_WORDS = 6


def _near(text: str, s_start: int, s_end: int, v_start: int, v_end: int) -> frozenset[str]:
    """Content words among the NEAR_WORDS words each side of the value, within its sentence."""
    left = _WORD.findall(text[s_start:v_start])[-NEAR_WORDS:]
    right = _WORD.findall(text[v_end:s_end])[:NEAR_WORDS]
    return frozenset(_stem(w) for w in left + right if w.lower() not in _STOP)


#: Words each side of a value that :func:`adjacent_words` compares.
ADJACENT_WORDS = 3
_TOKEN = re.compile(r"[\w$%'’-]+(?:\.\w+)*")


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _speaker(a: Analysis, ctx: ValueContext) -> str | None:
    """The speaker of the quotation the value stands in, if any."""
    v = ctx.value.span
    for q in a.quotes:
        if q.speaker and q.span.start <= v.start and v.end <= q.span.end:
            return q.speaker
    return None


def _person_before(a: Analysis, ctx: ValueContext) -> str | None:
    """The person its sentence names last before the value: who the clause is about ("Romney
    leads the field with 21 percent ... Huckabee at 17 percent")."""
    v = ctx.value.span
    before = [
        m
        for m in a.mentions
        if m.label == "PERSON" and m.sentence == ctx.sentence and m.span.end <= v.start
    ]
    return max(before, key=lambda m: m.span.end).text if before else None


def _lone_key(v: Value) -> tuple[str, str | None]:
    kind = "when" if v.kind in WHEN_KINDS else str(v.kind)
    return kind, v.unit if v.kind is ValueKind.COUNT else None


def build_sides(analyses: Sequence[Analysis], origins: Origins) -> list[ValueSide]:
    per_kind = Counter((a.article.id, _lone_key(ctx.value)) for a in analyses for ctx in a.values)
    in_sentence: dict[tuple[str, int], list[Value]] = {}
    for a in analyses:
        for ctx in a.values:
            in_sentence.setdefault((a.article.id, ctx.sentence), []).append(ctx.value)
    sides = []
    for a in analyses:
        text = a.article.text
        for i, ctx in enumerate(a.values):
            v = ctx.value
            sent = a.sentences[ctx.sentence]
            masked = (
                text[sent.span.start : v.span.start] + "#" + text[v.span.end : sent.span.end]
            ).lower()
            group = _beside(a, ctx, "NORP")
            sides.append(
                ValueSide(
                    analysis=a,
                    index=i,
                    ctx=ctx,
                    origin=origins.sentence_origin[(a.article.id, ctx.sentence)],
                    owner=_beside(a, ctx, "PERSON"),
                    group=group.lower().removesuffix("s") if group else None,
                    names=sentence_names(a, ctx.sentence),
                    frame=frame_of(a, ctx),
                    lone=per_kind[(a.article.id, _lone_key(v))] == 1,
                    masked=masked,
                    window=_content(ctx.slot_text.replace("X", " ")),
                    near=_near(text, sent.span.start, sent.span.end, v.span.start, v.span.end),
                    left=tuple(_tokens(text[sent.span.start : v.span.start])[-ADJACENT_WORDS:]),
                    right=tuple(_tokens(text[v.span.end : sent.span.end])[:ADJACENT_WORDS]),
                    speaker=_speaker(a, ctx),
                    person_before=_person_before(a, ctx),
                    others=tuple(
                        o for o in in_sentence[(a.article.id, ctx.sentence)] if o.span != v.span
                    ),
                )
            )
    return sides


class Story:
    """What the features of one story's pairs share: the sides, the similarities of their
    masked neighbourhoods, story-wide word rarity, and (with ``embed``) vectors of head words."""

    def __init__(self, sides: Sequence[ValueSide], embed: Embed | None = None) -> None:
        self.sides = list(sides)
        if self.sides:
            emb = np.vstack([s.analysis.value_embeddings[s.index] for s in self.sides])
            self.sims = emb @ emb.T
        else:
            self.sims = np.zeros((0, 0))
        self.row = {id(s): i for i, s in enumerate(self.sides)}
        analyses = list({id(s.analysis): s.analysis for s in self.sides}.values())
        df: Counter[str] = Counter()
        n = 0
        for a in analyses:
            for lem in a.lemmas:
                n += 1
                df.update(lem)
        self._default_idf = math.log(n + 1.0)
        self._idf = {w: math.log((n + 1.0) / (c + 0.5)) for w, c in df.items()}
        window_df: Counter[str] = Counter()
        for s in self.sides:
            window_df.update(s.window)
        m = max(1, len(self.sides))
        self._window_idf = {w: math.log((m + 1.0) / (c + 0.5)) for w, c in window_df.items()}
        self._head_vec: dict[str, Any] = {}
        heads = sorted({s.value.head for s in self.sides if s.value.head})
        if embed is not None and heads:
            vecs = np.asarray(embed(heads))
            self._head_vec = dict(zip(heads, vecs, strict=True))
        self._nearest: dict[tuple[int, str], int] = {}
        # Computed per side or per sentence, asked per pair (up to 250 k pairs at 100 articles).
        self._top2: dict[tuple[int, str, str], tuple[Any, Any, int]] = {}
        self._sentence_weight: dict[tuple[int, int], float] = {}
        self._kinds_by_article: dict[tuple[str, str], list[int]] = {}
        for i, s in enumerate(self.sides):
            self._kinds_by_article.setdefault((s.article, _family(s.value)), []).append(i)

    def sim(self, a: ValueSide, b: ValueSide) -> float:
        return float(self.sims[self.row[id(a)], self.row[id(b)]])

    def lexical(self, a: ValueSide, b: ValueSide) -> float:
        la = a.analysis.lemmas[a.ctx.sentence]
        lb = b.analysis.lemmas[b.ctx.sentence]
        if not la or not lb:
            return 0.0
        # Both sentences' weight, not the smaller one's: a short sentence ("The train derailed
        # at 11:40 p.m. Tuesday.") shares most of its few words with any sentence of the story.
        return 2.0 * self._weight(la & lb) / (self._sentence_w(a) + self._sentence_w(b))

    def _sentence_w(self, side: ValueSide) -> float:
        key = (id(side.analysis), side.ctx.sentence)
        got = self._sentence_weight.get(key)
        if got is None:
            got = self._sentence_weight[key] = self._weight(side.analysis.lemmas[side.ctx.sentence])
        return got

    def _weight(self, words: frozenset[str]) -> float:
        return sum(self._idf.get(x, self._default_idf) for x in words)

    def window_overlap(self, a: ValueSide, b: ValueSide) -> float:
        if not a.window or not b.window:
            return 0.0
        idf = self._window_idf
        shared = sum(idf.get(w, 0.0) for w in a.window & b.window)
        return shared / min(sum(idf.get(w, 0.0) for w in x) or 1.0 for x in (a.window, b.window))

    def head_vector(self, head: str | None) -> Any:
        return self._head_vec.get(head) if head else None

    def margin(self, a: ValueSide, b: ValueSide) -> float:
        """How much more alike ``b``'s neighbourhood is to ``a``'s than the next most alike value
        of ``b``'s article (negative when another is more alike)."""
        i, j = self.row[id(a)], self.row[id(b)]
        family = _family(a.value)
        top = self._top2.get((i, b.article, family))
        if top is None:
            # The two largest similarities of row i over that article's values of the family
            # (once per side and article, not per pair): the largest without j is one of them.
            rows = self._kinds_by_article.get((b.article, family), [])
            # Kept as the matrix's own scalars: the difference is taken in its dtype, as before.
            got = sorted((self.sims[i, r] for r in rows), reverse=True)[:2]
            top = self._top2[(i, b.article, family)] = (
                got[0] if got else None,
                got[1] if len(got) > 1 else None,
                len(rows),
            )
        first, second, count = top
        in_rows = j in self._kinds_by_article.get((b.article, family), ())
        if count - in_rows == 0:
            return float(self.sims[i, j])
        other = second if in_rows and self.sims[i, j] == first else first
        return float(self.sims[i, j] - other)

    def nearest(self, a: ValueSide, article: str) -> int | None:
        """Row of the value of ``article`` whose neighbourhood is most like ``a``'s, among those
        of a comparable kind."""
        key = (self.row[id(a)], article)
        if key not in self._nearest:
            rows = self._kinds_by_article.get((article, _family(a.value)), [])
            i = self.row[id(a)]
            best = max(rows, key=lambda j: self.sims[i, j], default=None)
            self._nearest[key] = -1 if best is None else best
        got = self._nearest[key]
        return None if got < 0 else got


def _family(v: Value) -> str:
    """Values that can be compared at all: dates with weekdays, otherwise by kind."""
    return "when" if v.kind in (ValueKind.DATE, ValueKind.WEEKDAY) else str(v.kind)


# -- the features ------------------------------------------------------------------------------


def context_similarity(a: ValueSide, b: ValueSide, s: Story) -> float:
    """How alike the words around the two values are, each value masked (MiniLM cosine of the
    value's neighbourhood in its sentence)."""
    return s.sim(a, b)


def context_margin(a: ValueSide, b: ValueSide, s: Story) -> float:
    """How clearly each is the other's best match by neighbourhood: the similarity above the
    next most alike value of the other article, averaged both ways."""
    return 0.5 * (s.margin(a, b) + s.margin(b, a))


def also_stated(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 for two days or times when either sentence also states the other side's day: "On
    Monday, Trump said ... Flynn, who pleaded guilty on Friday" holds the "Friday" of "Flynn
    pleaded guilty on Friday"; its "Monday" is another event. (A sentence that gives two figures
    of a count, "six people, up from four", reports a change of one figure: not counted here.)"""
    if a.value.kind not in WHEN_KINDS:
        return 0.0
    for x, y in ((a, b), (b, a)):
        for o in x.others:
            if (o.low is None) != (o.high is None):
                continue  # a bound admits the figure without stating it
            if values_disagree(o, y.value) is False:
                return 1.0
    return 0.0


def sentence_similarity(a: ValueSide, b: ValueSide, s: Story) -> float:
    """How alike the two whole sentences are (MiniLM cosine)."""
    ea = a.analysis.embeddings[a.ctx.sentence]
    eb = b.analysis.embeddings[b.ctx.sentence]
    return float(ea @ eb)


def shared_rare_words(a: ValueSide, b: ValueSide, s: Story) -> float:
    """Share of the two sentences' content words (weighted by rarity in the story) that both
    use: "phony theology" in two sentences says much, "president" little."""
    return s.lexical(a, b)


def window_rare_words(a: ValueSide, b: ValueSide, s: Story) -> float:
    """The same for the few words right around each value: what the figure is of."""
    return s.window_overlap(a, b)


def near_words(a: ValueSide, b: ValueSide, s: Story) -> float:
    """Share of the content words right beside each value (six words each side) that the other
    also has right beside it: "fired Friday afternoon" / "fired late Thursday afternoon"."""
    if not a.near or not b.near:
        return 0.0
    return len(a.near & b.near) / min(len(a.near), len(b.near))


def adjacent_words(a: ValueSide, b: ValueSide, s: Story) -> float:
    """How many of the words right around the two values are the same, running outward from each
    value (up to three each side, as a share of six): "tax rate of # percent" / "a tax rate of #
    percent", a value in an otherwise identical phrase, whatever the rest of the sentences say."""
    n = 0
    for x, y in ((a.left[::-1], b.left[::-1]), (a.right, b.right)):
        for u, w in zip(x, y, strict=False):
            if u != w:
                break
            n += 1
    return n / (2.0 * ADJACENT_WORDS)


def same_speaker_quote(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when both values stand inside quotations of the same person: one speaker's one remark
    quoted by two outlets with different figures."""
    if a.speaker and b.speaker and same_person(a.speaker, b.speaker):
        return 1.0
    return 0.0


def preceding_person(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when the last person named before each value is the same person, -1 when both sentences
    name someone before the value and they differ, else 0: "Romney leads with 21 percent" and
    "Romney leads the pack at 21 percent" give Romney's share; "Huckabee at 17 percent" another's."""
    pa, pb = a.person_before, b.person_before
    if not pa or not pb:
        return 0.0
    return 1.0 if same_person(pa, pb) else -1.0


def heads_cross(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when each value's measured word stands in the other's sentence ("the resolution ...
    passed Thursday" / "passing a resolution on Tuesday"), though the parses differ."""
    ha, hb = a.value.head, b.value.head
    if not ha or not hb or ha in _LIGHT_HEADS or hb in _LIGHT_HEADS:
        return 0.0
    return 1.0 if _has_stem(b.masked, ha) and _has_stem(a.masked, hb) else 0.0


#: Heads too common to say what is measured: "said Monday" and "said Friday" need more.
_LIGHT_HEADS = frozenset(
    ["say", "be", "have", "do", "make", "take", "get", "go", "come", "tell", "give", "add"]
)


def _has_stem(text: str, lemma: str) -> bool:
    stem = lemma[:-1] if lemma.endswith("e") and len(lemma) > 3 else lemma
    return re.search(rf"\b{re.escape(stem)}", text) is not None


def period_mismatch(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when both sentences date their figures with years and share none: "$13 million in
    2013" and "$30 million in 2014" are two facts."""
    return 1.0 if periods_differ(a.frame, b.frame) else 0.0


def event_name_mismatch(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when one date names an event ("the Sept. 11 attacks") and the other dates what its
    sentence reports."""
    return 1.0 if a.frame.event_name != b.frame.event_name else 0.0


def same_wording(a: ValueSide, b: ValueSide, s: Story) -> float:
    """How nearly the two sentences are the same text once the values are masked (0..1): two
    outlets quoting one sentence with different figures."""
    return fuzz.ratio(a.masked, b.masked) / 100.0


def same_head(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when the parse hangs both values on the same word ("session" and "session")."""
    ha, hb = a.value.head, b.value.head
    return 1.0 if ha and ha == hb else 0.0


def head_similarity(a: ValueSide, b: ValueSide, s: Story) -> float:
    """How alike the two measured words are (MiniLM cosine of the words alone): "hearing",
    "session" and "testimony" name one event; 1 for the same word, 0 when either is unknown."""
    ha, hb = a.value.head, b.value.head
    if not ha or not hb:
        return 0.0
    if ha == hb:
        return 1.0
    va, vb = s.head_vector(ha), s.head_vector(hb)
    if va is None or vb is None:
        return 0.0
    return float(va @ vb)


def same_counted_noun(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when two counts count the same noun ("23 cars", "25 rail cars") or both count people
    ("1,200 residents", "1,500 people"); only for counts."""
    va, vb = a.value, b.value
    if va.kind is not ValueKind.COUNT or not va.unit or not vb.unit:
        return 0.0
    if va.unit == vb.unit:
        return 1.0
    return 1.0 if va.unit in PEOPLE_NOUNS and vb.unit in PEOPLE_NOUNS else 0.0


def different_counted_noun(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when two counts name what they count and the nouns differ ("43 votes", "60 seats")."""
    va, vb = a.value, b.value
    if va.kind is not ValueKind.COUNT or not va.unit or not vb.unit:
        return 0.0
    return 1.0 - same_counted_noun(a, b, s)


def same_doer(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when the parse names the same doer of both ("Murray announced on Saturday" / "Sen.
    Murray announced Monday"), or the same person right beside both figures."""
    if a.owner and b.owner and same_person(a.owner, b.owner):
        return 1.0
    ga, gb = a.value.agent, b.value.agent
    return 1.0 if ga and gb and _same_agent(ga, gb) else 0.0


def different_doer(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when the parse names different doers of the two ("Murray announced on Saturday",
    "Inslee announced Monday")."""
    ga, gb = a.value.agent, b.value.agent
    return 1.0 if ga and gb and not _same_agent(ga, gb) else 0.0


def different_owner(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when a different person, party or nation is named right beside each figure: Lauten's
    age and the Obama daughters'; the Republicans' 240 seats and the Democrats' 60."""
    if a.owner and b.owner:
        return 0.0 if same_person(a.owner, b.owner) else 1.0
    return 1.0 if a.group and b.group and a.group != b.group else 0.0


_CHAMBERS = frozenset({"senate", "house", "congress"})


def _same_agent(a: str, b: str) -> bool:
    wa, wb = set(a.split()), set(b.split())
    wa |= {w.removesuffix("s") for w in wa}
    wb |= {w.removesuffix("s") for w in wb}
    for x, y in ((wa, wb), (wb, wa)):
        if "congress" in x and y & _CHAMBERS:
            return True
    return bool(wa & wb)


def shared_names(a: ValueSide, b: ValueSide, s: Story) -> float:
    """How many people, organisations and places both sentences name (0..3, as a third)."""
    return min(3, len(a.names & b.names)) / 3.0


def magnitude_gap(a: ValueSide, b: ValueSide, s: Story) -> float:
    """How many times one figure is the other, as a log (0 for equal, capped at 3): outlets
    misreport 3 hours as 2.5, not as 30 days. 0 for dates."""
    x, y = a.value.number, b.value.number
    if a.value.kind in WHEN_KINDS or x is None or y is None or x <= 0 or y <= 0:
        return 0.0
    return min(3.0, abs(math.log(x / y)))


def same_lone_noun(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when two counts count the same noun and each article counts it only here: two reports
    of one derailment that each give one number of cars ("23 cars", "25 rail cars") count the
    same cars, however differently their sentences read."""
    return same_counted_noun(a, b, s) * only_figures(a, b, s)


def only_figures(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when each article gives only this one figure of the kind (of this counted noun): two
    reports of one derailment that each count cars once count the same cars."""
    return 1.0 if a.lone and b.lone else 0.0


def nearest_counterparts(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when each value's neighbourhood is the most like the other's among its article's
    comparable values, 0.5 when only one way round, else 0."""
    ia, ib = s.row[id(a)], s.row[id(b)]
    return 0.5 * (s.nearest(a, b.article) == ib) + 0.5 * (s.nearest(b, a.article) == ia)


def frame_mismatch(a: ValueSide, b: ValueSide, s: Story) -> float:
    """How many frame cues differ (see :mod:`newsprism.compare.frames`): planned vs done, a part
    vs a total, one end of a span vs one point, a distance from another event vs a length..."""
    return float(frame_differences(a.frame, b.frame))


def bound_side(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when one side is a one-sided figure ("more than 40", "at least 12")."""
    return 1.0 if a.frame.bound or b.frame.bound else 0.0


def both_quoted(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when both figures stand inside quotations (someone's words, carried by both)."""
    return 1.0 if a.frame.quoted and b.frame.quoted else 0.0


def later_day(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 for two days where the later article's day falls after the earlier article was
    published while the earlier one's day had passed: the earlier article cannot have reported
    that day's event."""
    ta, tb = a.analysis.article.published, b.analysis.article.published
    if ta is None or tb is None or ta.date() == tb.date():
        return 0.0
    early, late = (a, b) if ta < tb else (b, a)
    published = min(ta, tb).date().isoformat()
    de, dl = early.value.date, late.value.date
    if de is None or dl is None or len(de) != 10 or len(dl) != 10:
        return 0.0
    return 1.0 if de <= published < dl else 0.0


def _kind_flag(*kinds: ValueKind) -> Callable[[ValueSide, ValueSide, Story], float]:
    def flag(a: ValueSide, b: ValueSide, s: Story) -> float:
        return 1.0 if a.value.kind in kinds else 0.0

    names = "/".join(str(k) for k in kinds)
    flag.__doc__ = f"1 when the values are of kind {names} (each kind's own base rate)."
    return flag


def day_kind(a: ValueSide, b: ValueSide, s: Story) -> float:
    """1 when both values are days (a weekday or a full date): "on Friday" reads the same
    whatever happened that day, so the words around it say less."""
    return 1.0 if _is_day(a.value) and _is_day(b.value) else 0.0


def _is_day(v: Value) -> bool:
    return v.kind is ValueKind.WEEKDAY or (v.kind is ValueKind.DATE and len(v.date or "") == 10)


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    fn: Callable[[ValueSide, ValueSide, Story], float]
    reason: str  # for the reader: what a high value of this feature says

    @property
    def evidence(self) -> bool:
        """Whether a high value is something to show a reader (not a base rate of a kind)."""
        return not self.name.startswith("kind_") and self.name != "day_kind"


VALUE_FEATURES: tuple[Feature, ...] = (
    Feature("context_similarity", context_similarity, "the words around both figures match"),
    Feature("context_margin", context_margin, "no other figure matches either one as well"),
    Feature("also_stated", also_stated, "a sentence states the other's figure too"),
    Feature("sentence_similarity", sentence_similarity, "the two sentences say much the same"),
    Feature("shared_rare_words", shared_rare_words, "the sentences share the story's rarer words"),
    Feature("window_rare_words", window_rare_words, "the words right beside the figures match"),
    Feature("same_wording", same_wording, "the sentences are nearly word for word the same"),
    Feature("near_words", near_words, "the words right next to both figures are the same"),
    Feature("adjacent_words", adjacent_words, "the figures stand in the same phrase"),
    Feature("same_speaker_quote", same_speaker_quote, "both are quoted from the same person"),
    Feature("preceding_person", preceding_person, "both figures follow the same person's name"),
    Feature("heads_cross", heads_cross, "each sentence names what the other's figure measures"),
    Feature("same_head", same_head, "both figures measure the same word"),
    Feature("head_similarity", head_similarity, "the measured words mean much the same"),
    Feature("same_counted_noun", same_counted_noun, "both count the same thing"),
    Feature("different_counted_noun", different_counted_noun, "they count different things"),
    Feature("same_doer", same_doer, "both are about the same person or body"),
    Feature("different_doer", different_doer, "different people did what they date or measure"),
    Feature("different_owner", different_owner, "they are about different people"),
    Feature("shared_names", shared_names, "both sentences name the same people or places"),
    Feature("magnitude_gap", magnitude_gap, "the figures are far apart in size"),
    Feature("only_figures", only_figures, "each article gives only this one figure of the kind"),
    Feature("same_lone_noun", same_lone_noun, "each article counts this thing once, here"),
    Feature("nearest_counterparts", nearest_counterparts, "each is the other's closest match"),
    Feature("frame_mismatch", frame_mismatch, "the figures are framed differently"),
    Feature("period_mismatch", period_mismatch, "they are dated to different years"),
    Feature("event_name_mismatch", event_name_mismatch, "one date names an event, not the news"),
    Feature("bound_side", bound_side, "one figure is only a bound"),
    Feature("both_quoted", both_quoted, "both stand in quotations"),
    Feature("later_day", later_day, "the later report dates it after the earlier was out"),
    Feature("day_kind", day_kind, "days of the week or dates"),
    Feature("kind_count", _kind_flag(ValueKind.COUNT), "counts"),
    Feature("kind_money", _kind_flag(ValueKind.MONEY), "sums of money"),
    Feature("kind_percent", _kind_flag(ValueKind.PERCENT), "percentages"),
    Feature("kind_duration", _kind_flag(ValueKind.DURATION), "durations"),
    Feature("kind_time", _kind_flag(ValueKind.TIME), "clock times"),
    Feature("kind_age", _kind_flag(ValueKind.AGE), "ages"),
    Feature("kind_quantity", _kind_flag(ValueKind.QUANTITY), "measured quantities"),
)
FEATURE_NAMES = tuple(f.name for f in VALUE_FEATURES)


def vector(a: ValueSide, b: ValueSide, s: Story) -> np.ndarray:
    return np.array([f.fn(a, b, s) for f in VALUE_FEATURES], dtype=np.float64)
