"""The brief's timeline: publication times, and the events the sources date.

A year-less date ("on Friday", "at the end of February", "March 3") means a different day
depending on the tense of its clause: "will leave at the end of February" in a January article
is the February to come, "left at the end of February" the one before. The value extractor
(:mod:`newsprism.compare.values`) resolves such dates with a short look back for a future cue,
which serves comparing two outlets' values; the timeline places each event on a calendar, so it
reads the clause's tense in both directions here and resolves again:

* a future cue before the date, nearest first ("will", "'ll", "is expected to", "plans to",
  "would", "must", "has to", "scheduled for") -> the next such day on or after publication;
* a past verb nearest before it ("was", "had", "said", "-ed" not after a form of "be") -> the
  last one on or before publication;
* a deadline ("before", "by", "until" right before the date) under a modal ("could not return
  home before Friday") -> the future;
* no verb before the date: the first verb after it decides ("On Friday, the council will vote").

Dates with a year, and "last"/"next"/"yesterday"/"tomorrow", are kept as the extractor gives
them. A publication time of exactly midnight UTC is how a date-only source arrives; it is shown
as the date alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from newsprism.compare.analysis import Analysis
from newsprism.model import TimelineEntry, Value, ValueKind

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_WEEKDAYS = {
    d: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for d in names
}
_FUTURE = re.compile(
    r"\b(?:will|shall|won['\u2019]t|would|wouldn['\u2019]t|must|should|going\s+to|"
    r"(?:has|have|need|needs)\s+(?:to|until)|(?:scheduled|expected|set|due|slated|poised|planned|"
    r"plans?|intends?|aims?|hopes?|wants?)\s+(?:to|for)|next|upcoming|coming)\b|['\u2019]ll\b",
    re.IGNORECASE,
)
_MODAL = re.compile(r"\b(?:can|could|may|might|cannot|can['\u2019]t|couldn['\u2019]t)\b", re.I)
_IRREGULAR_PAST = (
    "was were had did said told went came met left took made gave spoke saw began won lost held "
    "sent wrote rose fell struck brought found got ran paid sold bought became chose drew flew "
    "kept led meant shot stood spent fought thought knew heard felt broke threw swore caught "
    "taught built hung"
)
# "-ed" words that are no past verb (or an adjective more often than one)
_NOT_PAST = "need indeed hundred speed feed seed proceed succeed exceed breed greed shed red bed"
_PAST = re.compile(
    rf"\b(?!(?:{'|'.join(_NOT_PAST.split())})\b)"
    rf"(?:{'|'.join(_IRREGULAR_PAST.split())}|[a-z]{{2,}}ed)\b(?!\s+(?:to|for)\b)",
    re.IGNORECASE,
)
# A participle after these is passive or perfect future, not the past ("will be closed").
_BE_BEFORE = re.compile(
    r"\b(?:be|been|being|is|are|am|get|gets|remain|remains|stay|stays)\s+$", re.IGNORECASE
)
_DEADLINE = re.compile(r"\b(?:before|by|until|till)\s+(?:the\s+end\s+of\s+)?$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:\u2014]|\bbut\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_FIXED = re.compile(r"\b(?:last|next|this|yesterday|tomorrow|today|tonight)\b", re.IGNORECASE)


def tense(sentence: str, start: int, end: int) -> str | None:
    """ "future", "past" or None for the clause of the date at ``sentence[start:end]``."""
    left = sentence[:start]
    breaks = list(_CLAUSE_BREAK.finditer(left))
    lo = breaks[-1].end() if breaks else 0
    cues: list[tuple[int, str]] = []
    for m in _FUTURE.finditer(left, lo):
        cues.append((m.start(), "future"))
    future_spans = [(s, s + 40) for s, _ in cues]
    for m in _PAST.finditer(left, lo):
        if _BE_BEFORE.search(left[: m.start()]) or any(a <= m.start() < b for a, b in future_spans):
            continue
        cues.append((m.start(), "past"))
    if _DEADLINE.search(left) and _MODAL.search(left, lo):
        modal = list(_MODAL.finditer(left, lo))[-1].start()
        if not any(pos > modal and kind == "past" for pos, kind in cues):
            return "future"
    if cues:
        return max(cues)[1]
    # nothing before it: the first verb after the date ("On Friday, the council will vote")
    right = sentence[end:]
    stop = _CLAUSE_BREAK.search(right)
    right = right[: stop.start()] if stop else right
    after: list[tuple[int, str]] = [(m.start(), "future") for m in _FUTURE.finditer(right)]
    after += [
        (m.start(), "past")
        for m in _PAST.finditer(right)
        if not _BE_BEFORE.search(right[: m.start()])
    ]
    return min(after)[1] if after else None


def _weekday_in(surface: str) -> int | None:
    for w in re.findall(r"[A-Za-z]+", surface):
        if w.lower() in _WEEKDAYS:
            return _WEEKDAYS[w.lower()]
    return None


def _month_day_in(surface: str) -> tuple[int, int | None] | None:
    words = re.findall(r"[A-Za-z]+|\d{1,2}(?!\d)", surface)
    month = next((_MONTHS[w.lower()] for w in words if w.lower() in _MONTHS), None)
    if month is None:
        return None
    day = next((int(w) for w in words if w.isdigit() and 1 <= int(w) <= 31), None)
    return month, day


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def resolve(value: Value, sentence: str, offset: int, published: datetime | None) -> str | None:
    """The ISO date (or year-month) a DATE or WEEKDAY value means, read in its clause's tense;
    ``offset`` is where the sentence starts in the article. Falls back on ``value.date``."""
    if published is None or _YEAR.search(value.surface) or _FIXED.search(value.surface):
        return value.date
    pub = published.date()
    s, e = value.span.start - offset, value.span.end - offset
    t = tense(sentence, s, e)
    if t is None:
        return value.date
    wd = _weekday_in(value.surface)
    md = _month_day_in(value.surface)
    if md is None and wd is not None:
        if t == "future":
            return (pub + timedelta(days=(wd - pub.weekday()) % 7)).isoformat()
        return (pub - timedelta(days=(pub.weekday() - wd) % 7)).isoformat()
    if md is None:
        return value.date
    month, day = md
    here = (pub.month, pub.day if day else 1)
    there = (month, day or 1)
    year = pub.year
    if t == "future" and there < here:
        year += 1
    elif t == "past" and there > here:
        year -= 1
    if day is None:
        return f"{year:04d}-{month:02d}"
    d = _safe(year, month, day)
    return d.isoformat() if d else value.date


def date_only(dt: datetime) -> bool:
    """A publication time that is a bare date: midnight exactly, at UTC or with no zone."""
    off = dt.utcoffset()
    return (dt.hour, dt.minute, dt.second, dt.microsecond) == (0, 0, 0, 0) and not off


def timeline(analyses: Sequence[Analysis]) -> list[TimelineEntry]:
    """Publication times (a date-only source as its date), and events dated in the text,
    resolved against the article's date in the tense of their clause."""
    entries: list[TimelineEntry] = []
    for a in analyses:
        art = a.article
        if art.published:
            entries.append(
                TimelineEntry(
                    when=art.published.date().isoformat()
                    if date_only(art.published)
                    else art.published.isoformat(),
                    kind="published",
                    text=art.title or art.outlet or art.origin,
                    source=art.id,
                )
            )
    seen: set[tuple[str, str]] = set()
    for a in analyses:
        for ctx in a.values:
            v = ctx.value
            if v.kind not in (ValueKind.DATE, ValueKind.WEEKDAY):
                continue
            s = a.sentences[ctx.sentence]
            when = resolve(v, s.text, s.span.start, a.article.published)
            if not when:
                continue
            key = (when, s.text[:60])
            if key in seen:
                continue
            seen.add(key)
            entries.append(
                TimelineEntry(
                    when=when, kind="event", text=s.text, source=a.article.id, span=s.span
                )
            )
    entries.sort(key=lambda e: (e.when[:10], e.kind != "event", e.when))
    return entries
