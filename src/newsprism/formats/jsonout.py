"""The brief as a JSON document, format v1, described by ``schema/brief.schema.json``.

Every span is ``{"source": id, "start": int, "end": int}`` into the ``text`` of the source with that
id, which the document includes, so a reader can check each span without newsprism. Datetimes are
ISO 8601. See docs/brief-format.md.
"""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources
from typing import Any

from newsprism import __version__
from newsprism.model import (
    Brief,
    Cited,
    Conflict,
    ConflictSide,
    Entity,
    QuoteEntry,
    Source,
    Span,
    TimelineEntry,
)

SCHEMA_ID = "https://newsprism.dev/schema/brief/v1"
#: Version of the format (not of newsprism): minor bumps only add optional fields.
FORMAT_VERSION = "1.1"  # 1.1: left_out


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every :func:`brief_to_json` document satisfies."""
    text = (resources.files("newsprism") / "schema" / "brief.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _when(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def _span(span: Span) -> dict[str, Any]:
    return {"source": span.source, "start": span.start, "end": span.end}


def _source(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "label": s.label,
        "origin": s.origin,
        "url": s.url,
        "outlet": s.outlet,
        "title": s.title,
        "published": _when(s.published),
        "byline": s.byline,
        "origin_id": s.origin_id,
        "copy_of": s.copy_of,
        "copy_similarity": s.copy_similarity,
        "text": s.text,
    }


def _cited(c: Cited) -> dict[str, Any]:
    return {
        "span": _span(c.span),
        "text": c.text,
        "support": [_span(s) for s in c.support],
        "origins": c.origins,
        "score": c.score,
        "reason": c.reason,
    }


def _side(side: ConflictSide) -> dict[str, Any]:
    return {
        "sentence": _span(side.sentence),
        "sentence_text": side.sentence_text,
        "value": _span(side.value),
        "value_text": side.value_text,
        "normalised": side.normalised,
        "published": _when(side.published),
    }


def _conflict(c: Conflict) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind.value,
        "slot": c.slot,
        "update": c.update,
        "possible": c.possible,
        "reason": c.reason,
        "confidence": c.confidence,
        "sides": [_side(s) for s in c.sides],
    }


def _quote(q: QuoteEntry) -> dict[str, Any]:
    return {
        "source": q.source,
        "span": _span(q.quote.span),
        "text": q.quote.text,
        "speaker": q.quote.speaker,
        "speaker_span": _span(q.quote.speaker_span) if q.quote.speaker_span else None,
        "cue": q.quote.cue,
        "sentence_index": q.quote.sentence_index,
        "agreement": q.agreement.value,
        "others": [_span(s) for s in q.others],
        "other_speakers": list(q.other_speakers),
    }


def _entity(e: Entity) -> dict[str, Any]:
    return {
        "name": e.name,
        "label": e.label,
        "variants": list(e.variants),
        "sources": list(e.sources),
        "mentions": [_span(s) for s in e.mentions],
    }


def _timeline(t: TimelineEntry) -> dict[str, Any]:
    return {
        "when": t.when,
        "kind": t.kind,
        "text": t.text,
        "source": t.source,
        "span": _span(t.span) if t.span is not None else None,
    }


def brief_to_json(brief: Brief) -> dict[str, Any]:
    """The brief as a JSON-ready dict (format v1); ``json.dumps`` it as it is."""
    return {
        "schema": SCHEMA_ID,
        "version": FORMAT_VERSION,
        "generator": f"newsprism {__version__}",
        "title": brief.title,
        "generated": _when(brief.generated),
        "sources": [_source(s) for s in brief.sources],
        "summary": [_cited(c) for c in brief.summary],
        "facts": [_cited(c) for c in brief.facts],
        "conflicts": [_conflict(c) for c in brief.conflicts],
        "details": [_cited(c) for c in brief.details],
        "quotes": [_quote(q) for q in brief.quotes],
        "entities": [_entity(e) for e in brief.entities],
        "timeline": [_timeline(t) for t in brief.timeline],
        "left_out": [
            {"origin": x.origin, "reason": x.reason, "detail": x.detail} for x in brief.left_out
        ],
    }
