"""The SQLite store: one file, created on first use; WAL; FTS5 full-text index.

Durability: the database runs in WAL mode with ``synchronous=NORMAL``. A committed transaction
survives the process being killed (``kill -9``) because it is already in the WAL file; a power
loss or OS crash can lose the last few commits but never corrupts the database. ``FULL`` would
add an fsync per commit (several ms on most disks) for the power-loss case only.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from newsprism.errors import (
    StoreBusyError,
    StoreError,
    StoreIntegrityError,
    StoreOpenError,
    StoreQueryError,
    StoreSchemaError,
)
from newsprism.store import codec
from newsprism.store.base import HIT_END, HIT_START, SearchHit
from newsprism.store.migrations import Migration, split_sqlite
from newsprism.store.query import Query, fts5_match
from newsprism.store.sqlstore import SqlStore

MEMORY = ":memory:"
_BM25 = "bm25(articles_fts, 2.0, 1.0)"  # a title word counts twice a body word


class SQLiteStore(SqlStore):
    dialect = "sqlite"
    times = codec.TimeCodec()
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy timeout
    # instead of one failing with SQLITE_BUSY when it upgrades a read lock mid-transaction.
    _begin_sql = "BEGIN IMMEDIATE"
    _statement_atomic = True

    def __init__(
        self, path: str | Path, *, busy_timeout: float = 10.0, index_batch: int = 512
    ) -> None:
        """``index_batch``: index the full-text queue at a commit once it holds this many
        articles (1 indexes every article in its own transaction, at about 1 ms more each).
        Each indexing writes one FTS5 segment that automerge later merges into bigger ones:
        fewer, larger segments cost less per article (indexing time per article in a
        20,000-article ingest: 0.22 ms at 64, 0.18 at 256, 0.17 at 512). A search indexes the
        queue first, so what it finds does not depend on this."""
        memory = str(path) == MEMORY
        super().__init__(MEMORY if memory else str(path))
        self.index_batch = max(1, index_batch)
        self._queued = 0  # articles queued for the full-text index by this connection
        self.path = None if memory else Path(path)
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: the module never opens transactions behind our back;
            # transaction() issues BEGIN/SAVEPOINT/COMMIT itself.
            self._conn = sqlite3.connect(
                MEMORY if memory else str(path), timeout=busy_timeout, isolation_level=None
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreOpenError(f"cannot open the database: {exc}", origin=self.name) from exc
        try:
            self._run(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            mode = self._scalar("PRAGMA journal_mode = WAL")
            if not memory and str(mode).lower() != "wal":
                raise StoreOpenError(f"cannot switch to WAL mode (got {mode})", origin=self.name)
            self._run("PRAGMA synchronous = NORMAL")
            # A checkpoint costs an fsync (tens of ms here); 16 MB of WAL between them instead
            # of SQLite's 4 MB cuts that cost per article by four during ingest.
            self._run("PRAGMA wal_autocheckpoint = 4000")
            self._run("PRAGMA foreign_keys = ON")
            self._migrate()
            self._queued = int(self._scalar("SELECT count(*) FROM fts_pending"))
        except BaseException:
            self._conn.close()
            raise

    def _translate(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if isinstance(exc, sqlite3.IntegrityError):
            return StoreIntegrityError(f"constraint failed: {text}", origin=self.name)
        if "locked" in text or "busy" in text:
            return StoreBusyError(
                f"database is locked by another process ({text})", origin=self.name
            )
        if "no such module: fts5" in text:
            return StoreSchemaError(
                "this Python's SQLite lacks the FTS5 extension", origin=self.name
            )
        if "not a database" in text or "malformed" in text:
            return StoreOpenError(f"not a usable SQLite database: {text}", origin=self.name)
        return StoreError(f"SQLite error: {text}", origin=self.name)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc

    def _run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            self._conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc

    def _close_connection(self) -> None:
        self._conn.close()

    def _split_migration(self, m: Migration) -> list[str]:
        return split_sqlite(m.sql)

    def _article_added(self) -> None:
        self._queued += 1

    def _before_commit(self) -> None:
        if self._queued >= self.index_batch:
            self._index_queue()

    def _index_queue(self) -> None:
        with self.transaction():
            self._run(
                "INSERT INTO articles_fts (rowid, title, text)"
                " SELECT a.seq, a.title, a.text FROM fts_pending p JOIN articles a ON a.seq = p.seq"
            )
            self._run("DELETE FROM fts_pending")
            self._queued = 0

    def _prepare_search(self) -> None:
        # The count is per connection; another process may have queued articles too.
        if self._queued or self._one("SELECT 1 FROM fts_pending LIMIT 1") is not None:
            self._index_queue()

    def _on_close(self) -> None:
        # A read-only file cannot be indexed: the queue then stays for the next writer.
        if self._queued:
            with contextlib.suppress(StoreError):
                self._index_queue()

    def _matching_sql(self, q: Query) -> tuple[str, list[Any]]:
        return (
            "SELECT a.id FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ?",
            [fts5_match(q)],
        )

    def _search(
        self, q: Query, where: list[str], params: list[Any], limit: int, offset: int
    ) -> list[SearchHit]:
        conds = " ".join(f"AND {w}" for w in where)
        try:
            rows = self._all(
                f"SELECT a.id, -{_BM25},"
                f" snippet(articles_fts, -1, '{HIT_START}', '{HIT_END}', '…', 16)"
                " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
                f" WHERE articles_fts MATCH ? {conds} ORDER BY {_BM25}, a.id LIMIT ? OFFSET ?",
                [fts5_match(q), *params, limit, offset],
            )
        except StoreError as exc:  # fts5_match quotes every term, so this is not expected
            raise StoreQueryError(f"search failed: {exc.message}", origin=self.name) from exc
        return [SearchHit(r[0], float(r[1]), r[2]) for r in rows]

    def _engine_check(self) -> list[str]:
        problems = [
            f"integrity: {r[0]}"
            for r in self._all("PRAGMA integrity_check")
            if str(r[0]).lower() != "ok"
        ]
        problems += [f"foreign key: {tuple(r)}" for r in self._all("PRAGMA foreign_key_check")]
        try:
            # Compares the FTS index with the articles table it indexes.
            self._run("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        except StoreError as exc:
            problems.append(f"full-text index: {exc.message}")
        return problems
