"""Corpus storage: SQLite by default (one file), PostgreSQL for teams, one interface.

>>> from newsprism.store import open_store
>>> with open_store("corpus.db", settings) as store:           # doctest: +SKIP
...     with store.transaction():
...         result = store.add_article(article)
...         store.put_sketch(article.id, "minhash", payload)

See :mod:`newsprism.store.base` for the contract and docs/store.md for the user's view.
"""

from __future__ import annotations

from pathlib import Path

from newsprism.config import Settings
from newsprism.errors import (
    StoreBusyError,
    StoreIntegrityError,
    StoreOpenError,
    StoreQueryError,
    StoreSchemaError,
)
from newsprism.store.base import (
    HIT_END,
    HIT_START,
    AddResult,
    AddStatus,
    Alert,
    BriefSnapshot,
    SearchHit,
    SketchRow,
    SourceRecord,
    SourceStatus,
    Store,
    StoredBrief,
    StoreStats,
    StoryFlag,
    StoryMarks,
    StoryOrder,
    members_key,
)
from newsprism.store.codec import mask_url

__all__ = [
    "HIT_END",
    "HIT_START",
    "AddResult",
    "AddStatus",
    "Alert",
    "BriefSnapshot",
    "SearchHit",
    "SketchRow",
    "SourceRecord",
    "SourceStatus",
    "Store",
    "StoreBusyError",
    "StoreIntegrityError",
    "StoreOpenError",
    "StoreQueryError",
    "StoreSchemaError",
    "StoreStats",
    "StoredBrief",
    "StoryFlag",
    "StoryMarks",
    "StoryOrder",
    "members_key",
    "open_store",
]

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_store(url: str | Path, settings: Settings) -> Store:
    """Open (creating on first use, migrating to the current schema) the store at ``url``:
    a file path, ``sqlite:///path``, ``:memory:``, or ``postgresql://user:pass@host/db``.

    ``settings`` is taken so store options can join the one config object; none exist yet.
    """
    del settings
    if isinstance(url, Path):
        from newsprism.store.sqlite import SQLiteStore

        return SQLiteStore(url)
    text = url.strip()
    if text.lower().startswith(_POSTGRES_SCHEMES):
        from newsprism.store.postgres import PostgresStore

        return PostgresStore(text)
    if text.lower().startswith("sqlite:"):
        from newsprism.store.sqlite import SQLiteStore

        rest = text[len("sqlite:") :]
        # sqlite:///rel/or/abs like SQLAlchemy: three slashes then the path as written
        return SQLiteStore(rest[3:] if rest.startswith("///") else rest.removeprefix("//"))
    if "://" in text:
        raise StoreOpenError(
            "unknown database URL scheme: use a file path, sqlite:///path or postgresql://...",
            origin=mask_url(text),
        )
    from newsprism.store.sqlite import SQLiteStore

    return SQLiteStore(text)


def require_store(db: str) -> None:
    """Raise :class:`StoreOpenError` when ``db`` names a SQLite file that does not exist: what
    only reads a store must not create one (a mistyped path would be read as "no stories")."""
    text = db.strip()
    if "://" in text and not text.lower().startswith("sqlite:"):
        return  # a server's database: connecting says whether it exists
    path = text.removeprefix("sqlite:").removeprefix("///").removeprefix("//")
    if path == ":memory:" or not path:
        return
    if not Path(path).expanduser().exists():
        raise StoreOpenError(
            "no store here: ingest articles into it first (newsprism ingest SOURCES --db "
            f"{path}), or check the --db path",
            origin=path,
        )
