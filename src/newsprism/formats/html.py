"""The brief as one standalone HTML page: the brief beside its sources, every cited span marked.

The page makes no request of its own (inline CSS and JS, no fonts, no images), and a
Content-Security-Policy with the hashes of its one style and one script forbids everything else,
so even a missed escape could not run injected script. Article text only reaches the page through
Jinja2 with autoescaping on; no ``Markup`` is ever built from it.

Each source's text is cut into segments at every span boundary; a segment lists the brief items
covering it (``data-items``), so overlapping spans need no nesting and any item can light up all
of its spans at once.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from newsprism import __version__
from newsprism.formats import cited_sources, iso_text, ordered_ids, when_text
from newsprism.formats.human import confidence_text, human_value, slot_label, why_flagged
from newsprism.model import (
    Brief,
    Cited,
    ConflictSide,
    QuoteAgreement,
    Source,
    Span,
)

#: Distinct colours for the sides of a conflict; sides beyond these reuse them in turn.
SIDE_COLOURS = 4

_ENTITY_KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
    "FAC": "facility",
    "EVENT": "event",
}


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a source's text covered by the same set of items (possibly none)."""

    text: str
    items: tuple[str, ...] = ()
    disputed: bool = False  # part of a conflicting value: marked even before anything is selected


@dataclass(frozen=True, slots=True)
class SourceView:
    source: Source
    segments: tuple[Segment, ...]
    when: str
    copy_label: str | None
    link: str | None  # the URL, only when it is http(s): never a javascript: link
    host: str | None
    name: str  # how the source is named: its outlet, else its file's name (never a path)


@dataclass(frozen=True, slots=True)
class CitedView:
    item: str
    text: str
    labels: tuple[str, ...]
    origins: int


@dataclass(frozen=True, slots=True)
class SideView:
    label: str
    colour: int
    before: str
    value: str
    after: str
    normalised: str
    when: str
    outlet: str


@dataclass(frozen=True, slots=True)
class ConflictView:
    item: str
    slot: str  # what is disputed, in words (formats.human.slot_label)
    kind: str
    update: bool
    reason: str  # why flagged, in words (formats.human.why_flagged)
    sides: tuple[SideView, ...]
    possible: bool = False
    confidence: str = ""
    values: tuple[str, ...] = ()  # each side's value as a person reads it


@dataclass(frozen=True, slots=True)
class QuoteView:
    item: str
    text: str
    speaker: str | None
    label: str
    agreement: str
    agreement_text: str
    differs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityView:
    item: str
    name: str
    kind: str
    variants: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TimelineView:
    item: str | None
    when: str
    kind: str
    text: str
    label: str


@dataclass(slots=True)
class _Marks:
    """Spans collected per source: (start, end, token, is-a-conflicting-value)."""

    by_source: dict[str, list[tuple[int, int, str, bool]]] = field(default_factory=dict)

    def add(self, spans: Iterable[Span], token: str, *, disputed: bool = False) -> None:
        for s in spans:
            if s.end > s.start:
                self.by_source.setdefault(s.source, []).append((s.start, s.end, token, disputed))


def segments(text: str, marks: list[tuple[int, int, str, bool]]) -> tuple[Segment, ...]:
    """Cut ``text`` at every span boundary; each piece lists the tokens of the spans covering it.

    Concatenating the segments' texts gives back ``text`` exactly.
    """
    cuts = sorted({0, len(text)} | {m[0] for m in marks} | {m[1] for m in marks})
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for k, (start, end, _, _) in enumerate(marks):
        if end <= start:
            continue
        opens.setdefault(start, []).append(k)
        closes.setdefault(end, []).append(k)
    active: set[int] = set()  # a sweep, so long texts with many spans stay linear
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        active.difference_update(closes.get(a, ()))
        active.update(opens.get(a, ()))
        covering = [marks[k] for k in sorted(active)]
        tokens = tuple(dict.fromkeys(m[2] for m in covering))
        out.append(Segment(text[a:b], tokens, any(m[3] for m in covering)))
    return tuple(out)


def _safe_link(url: str | None) -> str | None:
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def display_name(source: Source) -> str:
    """A source as a page names it: the outlet, else the URL's host, else the last part of
    where it was read from. Never a local path: a page is shared, a path is the reader's own."""
    if source.outlet:
        return source.outlet
    link = _safe_link(source.url)
    if link:
        return urlsplit(link).hostname or link
    return origin_name(source.origin)


def origin_name(origin: str) -> str:
    """The file name of a local origin ("ovpr.txt", "feed.jsonl:3"), a URL's host, or a
    posted article's name as it is."""
    link = _safe_link(origin)
    if link:
        return urlsplit(link).hostname or link
    return origin.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or origin


def _source_view(s: Source, marks: _Marks, label: Callable[[str], str]) -> SourceView:
    link = _safe_link(s.url)
    return SourceView(
        source=s,
        segments=segments(s.text, marks.by_source.get(s.id, [])),
        when=when_text(s.published),
        copy_label=label(s.copy_of) if s.copy_of is not None else None,
        link=link,
        host=(urlsplit(link).hostname or link) if link else None,
        name=display_name(s),
    )


def _side_view(side: ConflictSide, n: int, src: Source) -> SideView:
    s, v = side.sentence, side.value
    if v.source == s.source and s.start <= v.start <= v.end <= s.end:
        before = side.sentence_text[: v.start - s.start]
        value = side.sentence_text[v.start - s.start : v.end - s.start]
        after = side.sentence_text[v.end - s.start :]
    else:
        before, value, after = side.sentence_text + " ", side.value_text, ""
    return SideView(
        label=src.label,
        colour=n % SIDE_COLOURS,
        before=before,
        value=value,
        after=after,
        normalised=side.normalised,
        when=when_text(side.published or src.published),
        outlet=display_name(src),
    )


def _csp_hash(text: object) -> str:
    digest = hashlib.sha256(str(text).encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _environment() -> Environment:
    # autoescape=True on every template: article text is untrusted wherever it appears.
    env = Environment(
        loader=PackageLoader("newsprism", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["csp_hash"] = _csp_hash
    return env


def brief_to_html(brief: Brief) -> str:
    """The brief as one self-contained HTML page."""
    by_id = {s.id: s for s in brief.sources}

    def label(source_id: str) -> str:
        s = by_id.get(source_id)
        return s.label if s is not None else source_id

    def labels(spans: Iterable[Span]) -> tuple[str, ...]:
        return tuple(label(sid) for sid in cited_sources(brief, spans))

    marks = _Marks()

    def cited(prefix: str, items: Iterable[Cited]) -> list[CitedView]:
        views = []
        for i, c in enumerate(items):
            token = f"{prefix}-{i}"
            marks.add((c.span, *c.support), token)
            views.append(CitedView(token, c.text.strip(), labels((c.span, *c.support)), c.origins))
        return views

    summary = cited("sum", brief.summary)
    facts = cited("fact", brief.facts)

    details_flat = cited("det", brief.details)
    details: list[tuple[Source, list[CitedView]]] = []
    for s in brief.sources:
        mine = [
            v for c, v in zip(brief.details, details_flat, strict=True) if c.span.source == s.id
        ]
        if mine:
            details.append((s, mine))

    conflicts = []
    for i, c in enumerate(brief.conflicts):
        token = f"conf-{i}"
        sides = []
        for j, side in enumerate(c.sides):
            marks.add([side.sentence], token)
            # Updates are not disputes: only contradicting values are marked at rest.
            marks.add([side.value], f"{token}.v{j % SIDE_COLOURS}", disputed=not c.update)
            sides.append(_side_view(side, j, by_id[side.sentence.source]))
        conflicts.append(
            ConflictView(
                token,
                slot_label(c),
                c.kind.value,
                c.update,
                why_flagged(c, [label(side.sentence.source) for side in c.sides]),
                tuple(sides),
                c.possible,
                confidence_text(c),
                tuple(human_value(side) for side in c.sides),
            )
        )

    quotes = []
    for i, q in enumerate(brief.quotes):
        token = f"quote-{i}"
        spans = [q.quote.span, *q.others]
        if q.quote.speaker_span is not None:
            spans.append(q.quote.speaker_span)
        marks.add(spans, token)
        others = ", ".join(labels(q.others))
        if q.agreement is QuoteAgreement.VERBATIM:
            agreement_text = f"verbatim in {others}" if others else "verbatim elsewhere"
        elif q.agreement is QuoteAgreement.PARAPHRASE:
            agreement_text = f"paraphrased in {others}" if others else "paraphrased elsewhere"
        else:
            agreement_text = "only this source"
        differs = tuple(
            f"{label(span.source)} attributes it to {who}"
            for span, who in zip(q.others, q.other_speakers, strict=False)
            if who and who != q.quote.speaker
        )
        quotes.append(
            QuoteView(
                token,
                q.quote.text.strip(),
                q.quote.speaker,
                label(q.source),
                q.agreement.value,
                agreement_text,
                differs,
            )
        )

    entities = []
    for i, e in enumerate(brief.entities):
        token = f"ent-{i}"
        marks.add(e.mentions, token)
        entities.append(
            EntityView(
                token,
                e.name,
                _ENTITY_KINDS.get(e.label, e.label.lower()),
                tuple(v for v in e.variants if v != e.name),
                tuple(label(sid) for sid in ordered_ids(brief, e.sources)),
            )
        )

    timeline = []
    for i, t in enumerate(brief.timeline):
        item: str | None = None
        if t.span is not None:
            item = f"time-{i}"
            marks.add([t.span], item)
        timeline.append(
            TimelineView(item, iso_text(t.when), t.kind, t.text.strip(), label(t.source))
        )

    sources = [_source_view(s, marks, label) for s in brief.sources]
    template = _environment().get_template("brief.html.j2")
    updates = sum(1 for c in brief.conflicts if c.update)
    return template.render(
        n_conflicts=len(brief.conflicts) - updates,
        n_updates=updates,
        left_out_names=[origin_name(x.origin) for x in brief.left_out],
        title=brief.title or "Brief",
        generated=when_text(brief.generated),
        version=__version__,
        origins=len({s.origin_id for s in brief.sources}),
        sources=sources,
        left_out=brief.left_out,
        summary=summary,
        facts=facts,
        conflicts=conflicts,
        details=details,
        quotes=quotes,
        entities=entities,
        timeline=timeline,
    )
