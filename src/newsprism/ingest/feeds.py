"""RSS and Atom feeds: each item becomes the RawDocument of its article page.

feedparser reads RSS 0.9x/1.0/2.0 and Atom 0.3/1.0, recovers from much malformed XML, and parses
the many date formats feeds use; it is given bytes only, never a URL, so it never fetches.
For each item the article page is fetched (the feed's title, date and author travel along as
metadata hints); when fetching is off or fails and the item carries its full content
(``content:encoded``, Atom ``<content>``), that content is used instead. A summary alone is not
an article and is not used.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from time import struct_time
from typing import Any

import feedparser

from newsprism.config import Settings
from newsprism.errors import EmptyInputError, MalformedInputError, NewsprismError
from newsprism.ingest.fetch import Fetcher, page_document
from newsprism.model import Failure, RawDocument, SourceKind

ReadResult = RawDocument | Failure

# The root element of RSS 2.0 (<rss>), RSS 1.0 (<rdf:RDF>) and Atom (<feed>), after any XML
# declaration, comments, processing instructions and doctype.
_FEED_ROOT = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>)\s*)*"
    rb"<(?:rss|feed|(?:[\w-]+:)?RDF)[\s>/]",
    re.DOTALL | re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class FeedItem:
    link: str | None
    title: str | None
    published: str | None
    author: str | None
    content: str | None  # full content, not a summary
    content_is_html: bool


def looks_like_feed(data: bytes) -> bool:
    """Whether ``data`` starts like an RSS or Atom document."""
    return _FEED_ROOT.match(data[:8192]) is not None


def parse_feed(data: bytes, origin: str, *, base_url: str | None = None) -> list[FeedItem]:
    """The items of a feed, or raise MalformedInputError / EmptyInputError naming ``origin``."""
    headers = {"content-location": base_url} if base_url else None
    # A file object, not bytes or str: given a str that looks like a URL, feedparser would fetch it.
    parsed: Any = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not parsed.get("version"):
            reason = parsed.get("bozo_exception")
            raise MalformedInputError(
                f"not a valid RSS or Atom feed: {reason or 'unrecognised format'}", origin=origin
            )
        raise EmptyInputError("feed has no items", origin=origin)
    return [_item(entry) for entry in entries]


def _item(entry: Any) -> FeedItem:
    content: str | None = None
    is_html = True
    for part in entry.get("content") or []:
        value = (part.get("value") or "").strip()
        if value:
            content = value
            is_html = part.get("type", "text/html") != "text/plain"
            break
    link = entry.get("link") or None
    if link and not link.lower().startswith(("http://", "https://")):
        link = None
    author = entry.get("author") or None
    return FeedItem(
        link=link,
        title=(entry.get("title") or "").strip() or None,
        published=_date(entry),
        author=author.strip() if author else None,
        content=content,
        content_is_html=is_html,
    )


def _date(entry: Any) -> str | None:
    for key in ("published", "updated"):
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, struct_time):
            # feedparser normalises to UTC; ISO 8601 keeps that unambiguous for cleaning.
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()
        raw = entry.get(key)
        if raw:
            return str(raw)
    return None


def read_feed(
    data: bytes,
    origin: str,
    settings: Settings,
    fetcher: Fetcher,
    *,
    base_url: str | None = None,
    skip_item: Callable[[str], bool] | None = None,
) -> Iterator[ReadResult]:
    """Yield a RawDocument (or a Failure naming the item) for each item of the feed in ``data``,
    but for the items whose link ``skip_item`` accepts (already stored: not asked again)."""
    try:
        items = parse_feed(data, origin, base_url=base_url)
    except NewsprismError as exc:
        yield Failure(origin, exc)
        return
    seen: set[str] = set()
    for index, item in enumerate(items[: settings.max_feed_items]):
        if item.link:
            # Feeds repeat items; one request per page is enough (and politer).
            if item.link in seen:
                continue
            seen.add(item.link)
            if skip_item is not None and skip_item(item.link):
                continue
        yield _read_item(item, f"{origin}#item{index + 1}", settings, fetcher)


def _read_item(item: FeedItem, where: str, settings: Settings, fetcher: Fetcher) -> ReadResult:
    origin = item.link or where
    fetch_error: NewsprismError | None = None
    if settings.feed_fetch_pages and item.link:
        try:
            fetched = fetcher.fetch(item.link)
            return page_document(
                fetched,
                settings,
                title=item.title,
                published=item.published,
                byline=item.author,
            )
        except NewsprismError as exc:
            fetch_error = exc
    if item.content:
        return RawDocument(
            origin=origin,
            kind=SourceKind.HTML if item.content_is_html else SourceKind.TEXT,
            content=item.content,
            url=item.link,
            title=item.title,
            published=item.published,
            byline=item.author,
        )
    if fetch_error is not None:
        return Failure(origin, fetch_error)
    why = (
        "feed item has no link and no full content"
        if not item.link
        else "feed item has only a summary, and fetching article pages is off (feed_fetch_pages)"
    )
    return Failure(origin, EmptyInputError(why, origin=origin))
