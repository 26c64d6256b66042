"""The typed data model: every record that travels between stages.

Records are frozen, slotted dataclasses. Offsets are character offsets into an article's cleaned
``text``; ``article.text[span.start:span.end]`` is exactly what is shown for a span.
Ids are content hashes, so any worker computes the same id for the same article.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit, urlunsplit


class SourceKind(StrEnum):
    TEXT = "text"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class Span:
    """A character range ``[start, end)`` in the cleaned text of article ``source``."""

    source: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader hands to cleaning: the raw content and whatever metadata came with it."""

    origin: str
    kind: SourceKind
    content: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """A reader's report that one input (a file, a JSONL line) could not be read.

    Readers yield these instead of raising so that one bad input never stops a batch.
    ``error`` is the :class:`newsprism.errors.NewsprismError` that says why.
    """

    origin: str
    error: Exception

    @property
    def message(self) -> str:
        return str(self.error)


@dataclass(frozen=True, slots=True)
class Dropped:
    """A block of the raw text that cleaning removed, and why (kept for audit and for the demo)."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article: an exact span of its cleaned text."""

    source: str
    index: int
    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        return Span(self.source, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article. ``text`` is the body only: no title, byline, dateline or page debris.

    Paragraphs are separated by a blank line in ``text``; ``paragraphs`` holds their spans.
    """

    id: str
    origin: str
    kind: SourceKind
    text: str
    paragraphs: tuple[tuple[int, int], ...]
    title: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    byline: str | None = None
    dateline: str | None = None
    url: str | None = None
    dropped: tuple[Dropped, ...] = field(default=(), compare=False)
    #: What cleaning found odd but did not reject for ("short": under ``min_article_chars``;
    #: "no-body-found": no run of prose stood out, so every sentence-shaped line was kept).
    flags: tuple[str, ...] = field(default=(), compare=False)

    def span_text(self, span: Span) -> str:
        if span.source != self.id:
            raise ValueError(f"span of {span.source} asked of article {self.id}")
        return self.text[span.start : span.end]

    def to_json(self, *, with_dropped: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "origin": self.origin,
            "kind": self.kind.value,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "byline": self.byline,
            "dateline": self.dateline,
            "text": self.text,
            "paragraphs": [list(p) for p in self.paragraphs],
        }
        if self.flags:
            out["flags"] = list(self.flags)
        if with_dropped:
            out["dropped"] = [{"text": d.text, "reason": d.reason} for d in self.dropped]
        return out


@dataclass(frozen=True, slots=True)
class Rejection:
    """An expected rejection (not a fault): the input was read but yields no article."""

    origin: str
    reason: str
    detail: str = ""
    #: What cleaning removed, and why: a rejected input's text is accounted for too.
    dropped: tuple[Dropped, ...] = field(default=(), compare=False)


_WS = re.compile(r"\s+")


def normalise_url(url: str | None) -> str:
    """Scheme- and case-insensitive host, no fragment, no trailing slash, no tracking params."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    query = "&".join(
        q
        for q in parts.query.split("&")
        if q and not q.lower().startswith(("utm_", "fbclid", "gclid"))
    )
    host = parts.netloc.lower().removeprefix("www.")
    return urlunsplit(("", host, parts.path.rstrip("/"), query, ""))


def article_id(url: str | None, text: str) -> str:
    """Content hash of the normalised URL and whitespace-normalised text (16 hex digits)."""
    h = hashlib.blake2b(digest_size=8)
    h.update(normalise_url(url).encode())
    h.update(b"\x00")
    h.update(_WS.sub(" ", text).strip().encode())
    return h.hexdigest()


class ValueKind(StrEnum):
    """What kind of typed value a sentence states."""

    COUNT = "count"  # "12 people", "at least 12 killed", "dozens" is not a value
    DURATION = "duration"  # "three hours", "a two-and-a-half-hour session"
    MONEY = "money"  # "$4.5 million"
    PERCENT = "percent"  # "12 percent", "12%"
    QUANTITY = "quantity"  # other measured amounts with a unit: "40 miles", "5 tons"
    DATE = "date"  # "March 3", "last Tuesday" (resolved against the article's date)
    WEEKDAY = "weekday"  # "on Tuesday" when no date can be resolved
    TIME = "time"  # "3 p.m."
    ORDINAL = "ordinal"  # "the third time"
    AGE = "age"  # "a 45-year-old man"


@dataclass(frozen=True, slots=True)
class Value:
    """A typed value stated in a source sentence, normalised so values from two outlets compare.

    ``number`` is the magnitude in the canonical unit of its kind (seconds for durations, the
    currency's unit for money, percent for percentages, a plain count for counts, minutes after
    midnight for times); ``low``/``high`` bound it for ranges and qualifiers ("at least 12" has
    low=12, high=None). ``date`` is an ISO date for DATE and WEEKDAY values that could be resolved.
    ``unit`` is the canonical unit ("s", "USD", "%", "mi", ...), or for counts the counted noun's
    lemma ("people", "vote"). ``head`` is the word the value measures or modifies, which is what
    tells "a 3-hour meeting" apart from "a 3-hour flight".
    """

    kind: ValueKind
    span: Span
    surface: str
    number: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str | None = None  # "at least", "about", "more than", "up to", "nearly", ...
    date: str | None = None
    head: str | None = None
    #: Who did what the value dates or measures, when a name says so: the named subject of the
    #: verb that governs the value ("Gov. Jan Brewer announced ... on Wednesday" -> "brewer",
    #: "the Arizona Legislature sent a bill ... Monday" -> "arizona legislature"). A surname for
    #: a person, the lowercased name otherwise; None for a pronoun or an unnamed subject.
    agent: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quote: ``span`` covers the quoted words (without the quote marks).

    ``speaker`` is the name as resolved within the article ("Jane Smith" for a later "she said" or
    "Smith said"); ``speaker_span`` is where the speaker is named in the text (the nearest mention,
    possibly a pronoun), ``cue`` the reporting verb ("said", "told").
    """

    span: Span
    text: str
    speaker: str | None
    speaker_span: Span | None = None
    cue: str | None = None
    sentence_index: int | None = None


# --------------------------------------------------------------------------------------------
# The brief: what several sources say about one event. Every text shown is a span of a source.


@dataclass(frozen=True, slots=True)
class LeftOut:
    """An input that a brief was asked to include but could not: rejected by cleaning (a page
    with no text) or unreadable. ``reason`` is the rejection's code or "failed"."""

    origin: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """One article in a brief, as the reader sees it. ``origin_id`` is the id of the independent
    origin it belongs to (itself, or the article it is a wire copy of: ``copy_of``)."""

    id: str
    label: str  # short citation label: "S1", "S2", ...
    origin: str  # file path, path:line or URL it was read from
    text: str
    url: str | None
    outlet: str | None
    title: str | None
    published: datetime | None
    byline: str | None
    origin_id: str
    copy_of: str | None = None
    copy_similarity: float | None = None


@dataclass(frozen=True, slots=True)
class Cited:
    """A sentence (or clause) shown in the brief: ``span`` is where it is taken from, ``text`` is
    exactly that span's text, ``support`` the spans in every source that say the same thing."""

    span: Span
    text: str
    support: tuple[Span, ...] = ()
    origins: int = 1  # independent origins among span + support
    score: float = 0.0
    reason: str = ""


class ConflictKind(StrEnum):
    COUNT = "count"
    DURATION = "duration"
    MONEY = "money"
    PERCENT = "percent"
    QUANTITY = "quantity"
    DATE = "date"
    TIME = "time"
    AGE = "age"
    NAME = "name"  # different people named in the same role
    SPEAKER = "speaker"  # the same quote attributed to different people
    PLACE = "place"


@dataclass(frozen=True, slots=True)
class ConflictSide:
    """One source's version: the sentence it is stated in and the exact value expression."""

    sentence: Span
    sentence_text: str
    value: Span
    value_text: str
    normalised: str  # the value as compared: "10800 s", "2026-11-17", "Dana Whitfield"
    published: datetime | None = None


#: Below this confidence a conflict is shown as *possible*: the values differ, but the evidence
#: that they are about the same thing is weaker (see newsprism.compare.conflicts).
CONFLICT_CONFIRMED = 0.75


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources that state different values for the same thing. ``update`` marks a value that
    changed over time on a developing story (the sides are then in publication order)."""

    id: str
    kind: ConflictKind
    slot: str  # what is measured, about what: "duration of meeting", "railroad spokesman"
    sides: tuple[ConflictSide, ...]
    update: bool
    reason: str
    confidence: float = 1.0

    @property
    def possible(self) -> bool:
        """A possible conflict: shown apart, with its weaker evidence."""
        return not self.update and self.confidence < CONFLICT_CONFIRMED


class QuoteAgreement(StrEnum):
    VERBATIM = "verbatim"  # another source carries the same words
    PARAPHRASE = "paraphrase"  # another source carries a different wording of it
    NONE = "none"  # only this source has it


@dataclass(frozen=True, slots=True)
class QuoteEntry:
    quote: Quote
    source: str
    agreement: QuoteAgreement
    others: tuple[Span, ...] = ()  # the matching quotes in other sources
    other_speakers: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place, with name variants merged within the story."""

    name: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT
    variants: tuple[str, ...]
    mentions: tuple[Span, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    when: str  # ISO date or datetime
    kind: str  # "published" or "event"
    text: str
    source: str
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Brief:
    sources: tuple[Source, ...]
    summary: tuple[Cited, ...]
    facts: tuple[Cited, ...]  # corroborated by two or more independent origins
    conflicts: tuple[Conflict, ...]
    details: tuple[Cited, ...]  # single-origin details, ranked, each naming its source
    quotes: tuple[QuoteEntry, ...]
    entities: tuple[Entity, ...]
    timeline: tuple[TimelineEntry, ...]
    title: str | None = None
    generated: datetime | None = None
    #: Inputs given for the brief but left out of it, with the reason.
    left_out: tuple[LeftOut, ...] = ()


# --------------------------------------------------------------------------------------------
# Corpus mode: copies and stories.


class CopyKind(StrEnum):
    FULL = "full"  # the whole article is a copy (a syndicated wire story, perhaps trimmed)
    PARTIAL = "partial"  # the outlet's own article embeds paragraphs of another


@dataclass(frozen=True, slots=True)
class CopyLink:
    """``article`` copies ``original`` (published earlier, or seen first). ``paragraphs`` are the
    indices of the copied paragraphs in ``article`` (all of them for a full copy)."""

    article: str
    original: str
    kind: CopyKind
    similarity: float
    paragraphs: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    """A real-world event: the articles about it. The id is stable: it is never renamed when
    articles join, and merges or splits are recorded as :class:`StoryEvent` values."""

    id: str
    title: str
    articles: tuple[str, ...]
    first_published: datetime | None
    last_published: datetime | None
    outlets: tuple[str, ...] = ()
    origins: int = 0  # independent origins among the articles (wire copies count once)


class StoryEventKind(StrEnum):
    CREATE = "create"
    JOIN = "join"
    MERGE = "merge"  # ``other`` was merged into ``story``
    SPLIT = "split"  # ``other`` was split off ``story``


@dataclass(frozen=True, slots=True)
class StoryEvent:
    story: str
    kind: StoryEventKind
    at: datetime
    article: str | None = None
    other: str | None = None
    detail: str = ""
