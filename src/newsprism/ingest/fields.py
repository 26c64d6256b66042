"""Metadata fields held to a length, and kept free of characters that rewrite what is shown.

A title, outlet, byline, dateline, date or URL longer than ``max_field_chars`` fails its input
with a message naming the field, instead of reaching code that cannot hold it (the story
sketch keeps a title in at most 65,535 bytes) or a date parser that takes minutes over a page
of text. Checked on what a reader found (before cleaning) and on what cleaning found (an HTML
``<title>`` or ``<h1>``), in :func:`newsprism.pipeline.clean_one`, the one way every input takes.

Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are removed from
the one-line fields: in a story list or a terminal, an override makes the rest of the line read
backwards (``invoice<U+202E>fdp.exe``). Right-to-left text itself is untouched; it needs none.
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsprism.config import Settings
from newsprism.errors import InputTooLargeError
from newsprism.model import Article, RawDocument

_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_RAW_FIELDS = ("url", "title", "outlet", "published", "byline")
_ARTICLE_FIELDS = ("url", "title", "outlet", "byline", "dateline")
_ONE_LINE = ("title", "outlet", "byline", "dateline")


def _check(values: dict[str, str | None], origin: str, settings: Settings) -> None:
    limit = settings.max_field_chars
    for name, value in values.items():
        if value is not None and len(value) > limit:
            raise InputTooLargeError(
                f"{name} is {len(value):,} characters, over the {limit:,} limit (max_field_chars)",
                origin=origin,
            )


def bounded_raw(raw: RawDocument, settings: Settings) -> RawDocument:
    """``raw`` if its metadata fields are within the limit; else raise InputTooLargeError."""
    _check({f: getattr(raw, f) for f in _RAW_FIELDS}, raw.origin, settings)
    return raw


def bounded_article(article: Article, settings: Settings) -> Article:
    """``article`` with bidi controls out of its one-line fields, if every field is within the
    limit; else raise InputTooLargeError."""
    _check({f: getattr(article, f) for f in _ARTICLE_FIELDS}, article.origin, settings)
    if not any(_BIDI_CONTROLS.search(getattr(article, f) or "") for f in _ONE_LINE):
        return article
    return replace(
        article,
        title=_plain(article.title),
        outlet=_plain(article.outlet),
        byline=_plain(article.byline),
        dateline=_plain(article.dateline),
    )


def _plain(value: str | None) -> str | None:
    if value is None:
        return None
    return _BIDI_CONTROLS.sub("", value).strip() or None
