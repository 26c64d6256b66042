"""The intermediate record of cleaning: body blocks plus metadata, before the Article is built."""

from __future__ import annotations

from dataclasses import dataclass

from newsprism.model import Dropped


@dataclass(frozen=True, slots=True)
class CleanedParts:
    """Body blocks (paragraphs, in reading order, verbatim from the source) and metadata.

    Produced by the HTML extractor and the plain-text cleaner, refined by the front-matter step,
    and turned into an :class:`newsprism.model.Article` by :func:`newsprism.clean.clean_document`.
    """

    blocks: tuple[str, ...]
    dropped: tuple[Dropped, ...] = ()
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: str | None = None
    dateline: str | None = None
    url: str | None = None
    flags: tuple[str, ...] = ()
