"""Cleaning: raw documents in, :class:`~newsprism.model.Article` (or a Rejection) out.

HTML goes through main-text extraction (:mod:`.html`), scraped plain text through debris removal
(:mod:`.text`); both then pass the front-matter step (:mod:`.front`: headline, byline, dateline
kept as metadata and not repeated in the body) and are assembled here into one canonical text:
paragraphs with collapsed inner whitespace, separated by one blank line. Every later span is an
offset into that text.

Cleaning rejects an input only when not a letter or digit of article text is left; a short
article, or one without a clear body, is kept and flagged. Every character of the input (for
HTML: of the text the extractor found) is either in the body or in ``dropped`` with a reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime

from newsprism.clean.front import split_front_matter
from newsprism.clean.html import extract_html
from newsprism.clean.parts import CleanedParts
from newsprism.clean.text import clean_plain_text
from newsprism.config import Settings
from newsprism.model import Article, Dropped, RawDocument, Rejection, SourceKind, article_id

__all__ = ["CleanedParts", "clean_document", "normalise_block", "parse_published"]

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_block(block: str) -> str:
    """NFC, no invisible characters, inner whitespace (newlines too) collapsed to one space."""
    block = unicodedata.normalize("NFC", block)
    block = _INVISIBLE.sub("", block)
    block = _SPACES.sub(" ", block.replace("\r", " ").replace("\n", " "))
    return block.strip()


def _clean_meta(value: str | None) -> str | None:
    if value is None:
        return None
    value = normalise_block(value)
    return value or None


def parse_published(value: str | None) -> datetime | None:
    """ISO 8601 first (cheap and exact), then dateparser for free text ("March 3, 2019 5:30 PM")."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    import dateparser  # imported lazily: it costs ~0.3 s at import

    # English only: without it dateparser tries every locale it knows, ~1 s per odd string.
    return dateparser.parse(value, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})


def clean_document(raw: RawDocument, settings: Settings) -> Article | Rejection:
    """Clean one raw document. Raises ExtractionError only on a real fault."""
    if raw.kind is SourceKind.HTML:
        parts = extract_html(raw.content, origin=raw.origin, url=raw.url, settings=settings)
    else:
        parts = clean_plain_text(raw.content, title_hint=raw.title)
    # Metadata that came with the input (JSONL fields) beats what we guessed from the page.
    parts = replace(
        parts,
        title=raw.title or parts.title,
        outlet=raw.outlet or parts.outlet,
        published=raw.published or parts.published,
        byline=raw.byline or parts.byline,
        url=raw.url or parts.url,
    )
    parts = split_front_matter(parts)
    return assemble(parts, raw, settings)


def assemble(parts: CleanedParts, raw: RawDocument, settings: Settings) -> Article | Rejection:
    blocks = [b for b in (normalise_block(b) for b in parts.blocks) if b]
    paragraphs: list[tuple[int, int]] = []
    pos = 0
    for block in blocks:
        paragraphs.append((pos, pos + len(block)))
        pos += len(block) + 2
    text = "\n\n".join(blocks)
    if not _LETTER_OR_DIGIT.search(text):
        # The only rejection cleaning makes, on the strongest evidence: not one letter or digit
        # of the input is left to read (what there was is in ``dropped``).
        dropped = parts.dropped + tuple(Dropped(b, "no-text") for b in blocks)
        return Rejection(raw.origin, "empty", "no article text left after cleaning", dropped)
    flags = parts.flags
    if len(text) < settings.min_article_chars:
        # A brief item or a short post is still an article: kept, flagged for the reader.
        flags = (*flags, "short")
    try:
        published = parse_published(parts.published)
    except (ValueError, OverflowError):
        published = None
    if published is not None and published.tzinfo is None:
        # A time without a zone is read as UTC, so every article's time compares with every
        # other's (naive and aware datetimes cannot be compared, and a store keeps UTC).
        published = published.replace(tzinfo=UTC)
    url = _clean_meta(parts.url)
    return Article(
        id=article_id(url, text),
        origin=raw.origin,
        kind=raw.kind,
        text=text,
        paragraphs=tuple(paragraphs),
        title=_clean_meta(parts.title),
        outlet=_clean_meta(parts.outlet),
        published=published,
        byline=_clean_meta(parts.byline),
        dateline=_clean_meta(parts.dateline),
        url=url,
        dropped=parts.dropped,
        flags=flags,
    )
