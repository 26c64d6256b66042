"""Records <-> database rows, the same for every backend except how a time is held.

SQLite keeps times as text in one fixed UTC format (``2026-03-01T09:30:00.000000+00:00``) so
that text order is time order and range queries use the index; PostgreSQL keeps ``timestamptz``.
Naive datetimes are taken as UTC: the readers produce them when a page gives no zone.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from newsprism.model import (
    Article,
    CopyKind,
    CopyLink,
    Dropped,
    SourceKind,
    StoryEvent,
    StoryEventKind,
    normalise_url,
)

#: columns of ``articles`` read back into an :class:`Article`, in this order
ARTICLE_COLUMNS = (
    "id, origin, kind, text, paragraphs, title, outlet, published, byline, dateline, url, dropped"
)


def utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


class TimeCodec:
    """How one backend holds a datetime. The base class is the text form (SQLite)."""

    def encode(self, dt: datetime | None) -> Any:
        return None if dt is None else utc(dt).isoformat(timespec="microseconds")

    def decode(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return utc(value)
        return utc(datetime.fromisoformat(str(value)))

    def decode_required(self, value: Any) -> datetime:
        dt = self.decode(value)
        if dt is None:
            raise TypeError("a stored time is NULL where the schema forbids it")
        return dt


class NativeTimeCodec(TimeCodec):
    """Drivers that take and give datetimes themselves (psycopg with timestamptz)."""

    def encode(self, dt: datetime | None) -> Any:
        return None if dt is None else utc(dt)


class ArticleRow(NamedTuple):
    """An article as the ``articles`` table holds it, every field encoded except the time.

    Made where the article is cleaned (:func:`encode_article`), so a process-pool or Ray worker
    hands the writer what it writes. A NamedTuple rather than a dataclass on purpose: it crosses
    a process boundary per article, and a tuple of strings pickles and unpickles almost entirely
    in C, where an :class:`Article` is a graph of slotted dataclasses each rebuilt by Python code
    (measured: the writer's unpickling of articles was a tenth of its time per article).
    ``published`` stays a datetime because each backend holds times its own way (``TimeCodec``).
    """

    id: str
    url_key: str  # normalise_url(url), '' without URL
    origin: str
    kind: str
    text: str
    paragraphs: str  # JSON [[start, end], ...]
    title: str | None
    outlet: str | None
    published: datetime | None
    byline: str | None
    dateline: str | None
    url: str | None
    dropped: str  # JSON [{"text", "reason"}, ...]


def encode_article(article: Article) -> ArticleRow:
    return ArticleRow(
        id=article.id,
        url_key=normalise_url(article.url),
        origin=article.origin,
        kind=article.kind.value,
        text=article.text,
        paragraphs=json.dumps([list(p) for p in article.paragraphs]),
        title=article.title,
        outlet=article.outlet,
        published=article.published,
        byline=article.byline,
        dateline=article.dateline,
        url=article.url,
        dropped=json.dumps(
            [{"text": d.text, "reason": d.reason} for d in article.dropped], ensure_ascii=False
        ),
    )


def article_from_row(row: Sequence[Any], times: TimeCodec) -> Article:
    """Inverse of :func:`article_row` for a row selected as :data:`ARTICLE_COLUMNS`."""
    (
        aid,
        origin,
        kind,
        text,
        paragraphs,
        title,
        outlet,
        published,
        byline,
        dateline,
        url,
        dropped,
    ) = row
    return Article(
        id=aid,
        origin=origin,
        kind=SourceKind(kind),
        text=text,
        paragraphs=tuple((int(s), int(e)) for s, e in json.loads(paragraphs)),
        title=title,
        outlet=outlet,
        published=times.decode(published),
        byline=byline,
        dateline=dateline,
        url=url,
        dropped=tuple(Dropped(d["text"], d["reason"]) for d in json.loads(dropped)),
    )


def copy_row(link: CopyLink) -> tuple[Any, ...]:
    return (
        link.article,
        link.original,
        link.kind.value,
        float(link.similarity),
        json.dumps(list(link.paragraphs)),
    )


def copy_from_row(row: Sequence[Any]) -> CopyLink:
    article, original, kind, similarity, paragraphs = row
    return CopyLink(
        article=article,
        original=original,
        kind=CopyKind(kind),
        similarity=float(similarity),
        paragraphs=tuple(int(p) for p in json.loads(paragraphs)),
    )


def event_row(event: StoryEvent, times: TimeCodec) -> tuple[Any, ...]:
    return (
        event.story,
        event.kind.value,
        times.encode(event.at),
        event.article,
        event.other,
        event.detail,
    )


def event_from_row(row: Sequence[Any], times: TimeCodec) -> StoryEvent:
    story, kind, at, article, other, detail = row
    return StoryEvent(
        story=story,
        kind=StoryEventKind(kind),
        at=times.decode_required(at),
        article=article,
        other=other,
        detail=detail,
    )


def entity_key(name: str) -> str:
    """The form entity names are matched by: case- and space-insensitive."""
    return " ".join(name.split()).casefold()


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***``, for messages and logs."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparseable database URL>"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        netloc = f"{userinfo}@{host}"
    query = "&".join(
        f"{k}=***" if k.lower() == "password" else (f"{k}={v}" if v or "=" in q else k)
        for q in parts.query.split("&")
        if q
        for k, _, v in [q.partition("=")]
    )
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def url_secrets(url: str) -> list[str]:
    """Passwords present in a database URL, to scrub them from driver messages."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return []
    found = []
    if parts.password:
        found += [parts.password, urllib.parse.unquote(parts.password)]
    for k, v in urllib.parse.parse_qsl(parts.query):
        if k.lower() == "password" and v:
            found.append(v)
    return [s for s in found if s]
