"""Renderers of a :class:`~newsprism.model.Brief`: markdown, JSON and a standalone HTML page.

Every renderer shows article text only through spans of a source's cleaned text, and treats that
text as untrusted: markdown escapes it, HTML autoescapes it. Before rendering, :func:`check_brief`
makes sure every span the brief holds points inside a known source and that every text the brief
carries for a span is exactly that span's text, so a reader can trust what the page shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Literal, get_args

from newsprism.errors import RenderError
from newsprism.model import Brief, Span

Format = Literal["markdown", "json", "html"]
FORMATS: tuple[str, ...] = get_args(Format)


def render(brief: Brief, fmt: Format | str) -> str:
    """Render ``brief`` as ``"markdown"``, ``"json"`` or ``"html"`` text."""
    check_brief(brief)
    if fmt == "markdown":
        from newsprism.formats.markdown import brief_to_markdown

        return brief_to_markdown(brief)
    if fmt == "json":
        import json

        from newsprism.formats.jsonout import brief_to_json

        return json.dumps(brief_to_json(brief), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        from newsprism.formats.html import brief_to_html

        return brief_to_html(brief)
    raise RenderError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _spans(brief: Brief) -> Iterator[tuple[str, Span, str | None]]:
    """Every span in the brief, with where it sits and the text the brief claims for it."""
    for name, items in (("summary", brief.summary), ("facts", brief.facts)):
        for i, c in enumerate(items):
            yield f"{name}[{i}]", c.span, c.text
            for s in c.support:
                yield f"{name}[{i}].support", s, None
    for i, c in enumerate(brief.details):
        yield f"details[{i}]", c.span, c.text
        for s in c.support:
            yield f"details[{i}].support", s, None
    for conflict in brief.conflicts:
        for j, side in enumerate(conflict.sides):
            where = f"conflict {conflict.id} side {j}"
            yield where + " sentence", side.sentence, side.sentence_text
            yield where + " value", side.value, side.value_text
    for i, q in enumerate(brief.quotes):
        yield f"quotes[{i}]", q.quote.span, q.quote.text
        if q.quote.speaker_span is not None:
            yield f"quotes[{i}].speaker_span", q.quote.speaker_span, None
        for s in q.others:
            yield f"quotes[{i}].others", s, None
    for e in brief.entities:
        for s in e.mentions:
            yield f"entity {e.name!r} mention", s, None
    for i, t in enumerate(brief.timeline):
        if t.span is not None:
            yield f"timeline[{i}]", t.span, None


def check_brief(brief: Brief) -> None:
    """Raise :class:`RenderError` unless every span of ``brief`` fits the source it names.

    The builder guarantees this; checking it here costs one pass and turns a builder bug into a
    clear message instead of a page that highlights the wrong words.
    """
    texts = {s.id: s.text for s in brief.sources}
    if len(texts) != len(brief.sources):
        raise RenderError("two sources of the brief share an id")
    for where, span, claimed in _spans(brief):
        text = texts.get(span.source)
        if text is None:
            raise RenderError(f"{where}: span names unknown source {span.source!r}")
        if span.end > len(text):
            raise RenderError(
                f"{where}: span {span.start}..{span.end} runs past the end of source "
                f"{span.source} ({len(text)} characters)"
            )
        if claimed is not None and text[span.start : span.end] != claimed:
            raise RenderError(
                f"{where}: text {claimed[:40]!r} is not source {span.source}'s text at "
                f"{span.start}..{span.end}"
            )


# Helpers the three renderers share.


def source_order(brief: Brief) -> dict[str, int]:
    """Source id -> its position in the brief, the order citations are listed in."""
    return {s.id: i for i, s in enumerate(brief.sources)}


def ordered_ids(brief: Brief, ids: Iterable[str]) -> list[str]:
    """The distinct source ids among ``ids``, in the brief's source order."""
    order = source_order(brief)
    return sorted(set(ids), key=lambda sid: (order.get(sid, len(order)), sid))


def cited_sources(brief: Brief, spans: Iterable[Span]) -> list[str]:
    """The distinct source ids of ``spans``, in the brief's source order."""
    return ordered_ids(brief, (s.source for s in spans))


def when_text(dt: datetime | None) -> str:
    """A datetime as a person reads it in a table: ``2026-11-18 06:05`` (plus its UTC offset);
    a bare date (midnight exactly, at UTC or without a zone: how a date-only source arrives) as
    ``2026-11-18``."""
    if dt is None:
        return ""
    if (dt.hour, dt.minute, dt.second, dt.microsecond) == (0, 0, 0, 0) and not dt.utcoffset():
        return dt.strftime("%Y-%m-%d")
    out = dt.strftime("%Y-%m-%d %H:%M")
    if dt.utcoffset() is not None:
        out += " " + dt.strftime("%z")[:3] + ":" + dt.strftime("%z")[3:]
    return out


def iso_text(value: str) -> str:
    """An ISO date or datetime string as :func:`when_text` shows it; other strings unchanged."""
    if "T" not in value:
        return value
    try:
        return when_text(datetime.fromisoformat(value))
    except ValueError:
        return value
