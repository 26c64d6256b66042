"""The SQL shared by both backends: one implementation of :class:`Store` over a DB-API connection.

Statements are written once with ``?`` placeholders and portable SQL (``ON CONFLICT`` upserts,
row-value comparisons, ``NULLS LAST``); a backend supplies the connection, how errors are
translated, how times are held, and the full-text parts, which differ per engine.
"""

from __future__ import annotations

import abc
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from datetime import UTC, datetime
from typing import Any

from newsprism.errors import StoreError, StoreIntegrityError, StoreQueryError, StoreSchemaError
from newsprism.model import Article, CopyKind, CopyLink, Story, StoryEvent, normalise_url
from newsprism.store import codec
from newsprism.store.base import (
    AddResult,
    AddStatus,
    Alert,
    BriefSnapshot,
    IngestRun,
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
)
from newsprism.store.migrations import Migration, load
from newsprism.store.query import Query, parse

PAGE = 500  # rows per page when streaming: flat memory, few round trips
CHUNK = 500  # ids per IN (...) list

_INSERT_ARTICLE = (
    "INSERT INTO articles (id, url_key, revision, previous, origin, kind, text, paragraphs,"
    " title, outlet, published, byline, dateline, url, dropped, added_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)
_STORY_COLUMNS = "s.id, s.title, s.first_published, s.last_published, s.outlets, s.origins"


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _signed(key: int) -> int:
    """An unsigned 64-bit band key as the signed integer both engines store."""
    return key - (1 << 64) if key >= 1 << 63 else key


class SqlStore(Store):
    dialect: str
    times: codec.TimeCodec

    def __init__(self, name: str) -> None:
        self.name = name
        self._depth = 0
        self._closed = False
        # Stories whose derived fields must be recomputed before the outermost commit, so a
        # batch of assignments to one story costs one recomputation, not one per article.
        self._dirty: set[str] = set()
        # Stories that only gained articles which were in no story before (what ingest does to
        # a story between rewrites), with those articles: their fields are brought up to date
        # from the new members alone. Recomputing from every member cost ingest a quarter of
        # its store time on stories of a hundred articles, and grew with story size.
        self._appended: dict[str, list[str]] = {}

    # ------------------------------------------------------------ backend hooks

    @abc.abstractmethod
    def _run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Execute one statement (``?`` placeholders), return the cursor; errors translated."""

    @abc.abstractmethod
    def _run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    @abc.abstractmethod
    def _close_connection(self) -> None: ...

    _begin_sql = "BEGIN"

    def _on_close(self) -> None:
        """Work to finish before the connection closes."""

    def _lock(self, key: str) -> None:
        """Serialise writers on ``key`` until the transaction ends (a no-op where the whole
        database is locked by a write transaction anyway)."""

    @abc.abstractmethod
    def _search(
        self, q: Query, where: list[str], params: list[Any], limit: int, offset: int
    ) -> list[SearchHit]: ...

    @abc.abstractmethod
    def _matching_sql(self, q: Query) -> tuple[str, list[Any]]:
        """A subquery selecting the ids of articles matching ``q``."""

    @abc.abstractmethod
    def _engine_check(self) -> list[str]: ...

    def _split_migration(self, m: Migration) -> list[str]:
        return [m.sql]

    def _article_added(self) -> None:
        """Called after each article row is inserted."""

    def _before_commit(self) -> None:
        """Last writes of the outermost transaction (a backend's deferred index work)."""

    def _prepare_search(self) -> None:
        """Bring the full-text index up to date before it is read."""

    # ------------------------------------------------------------ helpers

    def _error(self, cls: type[StoreError], message: str) -> StoreError:
        return cls(message, origin=self.name)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._run(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._run(sql, params).fetchall())

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._one(sql, params)
        return None if row is None else row[0]

    def _now(self) -> Any:
        return self.times.encode(datetime.now(UTC))

    def _check_open(self) -> None:
        if self._closed:
            raise self._error(StoreError, "the store is closed")

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        if self._closed:
            return
        try:
            if self._depth:
                self._run("ROLLBACK")
                self._depth = 0
            self._on_close()
        finally:
            self._closed = True
            self._depth = 0
            self._close_connection()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._check_open()
        depth = self._depth
        savepoint = f"np_sp{depth}"
        self._run(self._begin_sql if depth == 0 else f"SAVEPOINT {savepoint}")
        self._depth += 1
        try:
            yield
            if depth == 0:
                self._flush_stories()
                self._before_commit()
        except BaseException:
            self._depth = depth
            try:
                if depth == 0:
                    self._dirty.clear()
                    self._appended.clear()
                    self._run("ROLLBACK")
                else:
                    # Which appends the savepoint undid is not tracked: recompute those stories.
                    self._dirty.update(self._appended)
                    self._appended.clear()
                    self._run(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self._run(f"RELEASE SAVEPOINT {savepoint}")
            except StoreError:
                pass  # the original error says more; the connection may be gone
            raise
        self._depth = depth
        if depth == 0:
            try:
                self._run("COMMIT")
            except BaseException:
                with suppress(StoreError):
                    self._run("ROLLBACK")
                raise
        else:
            self._run(f"RELEASE SAVEPOINT {savepoint}")

    #: Whether a failed statement leaves the rest of its transaction intact. SQLite undoes just
    #: the statement; PostgreSQL aborts the whole transaction unless a savepoint is rolled back.
    _statement_atomic = False

    def _write(self) -> AbstractContextManager[None]:
        """Atomicity for a write method that issues a single write statement: a transaction of
        its own at top level; inside the caller's, a savepoint only where a failed statement
        would spoil the caller's transaction. Ingest makes seven such calls per article inside
        its batch transaction, and their savepoints were a tenth of its SQLite time."""
        if self._depth and self._statement_atomic:
            return nullcontext()
        return self.transaction()

    def _migration_lock(self) -> None:
        self._lock("newsprism-migrations")

    def _migrate(self) -> None:
        """Apply the migrations this database lacks, each in its own transaction; safe when
        several processes open a new database at once (each re-reads the version under lock)."""
        with self.transaction():
            self._migration_lock()
            self._run(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                " name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        migrations = load(self.dialect)
        known = migrations[-1].version
        current = self.schema_version()
        if current > known:
            raise self._error(
                StoreSchemaError,
                f"database schema version {current} is newer than this newsprism knows"
                f" ({known}); upgrade newsprism",
            )
        for m in migrations:
            if m.version <= current:
                continue
            with self.transaction():
                self._migration_lock()
                if self.schema_version() >= m.version:
                    continue
                try:
                    for statement in self._split_migration(m):
                        self._run(statement)
                except StoreError as exc:
                    raise self._error(
                        StoreSchemaError,
                        f"migration {m.version:04d}_{m.name} failed: {exc.message}",
                    ) from exc
                self._run(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (m.version, m.name, datetime.now(UTC).isoformat()),
                )

    def schema_version(self) -> int:
        self._check_open()
        return int(self._scalar("SELECT coalesce(max(version), 0) FROM schema_version"))

    def check(self) -> list[str]:
        self._check_open()
        self._prepare_search()
        problems = self._engine_check()
        with self.transaction():
            self._flush_stories()
        for sid, n, first, last, outlets, origins in self._all(
            "SELECT id, n_articles, first_published, last_published, outlets, origins FROM stories"
        ):
            derived = self._derive_story(sid)
            stored = (n, self.times.decode(first), self.times.decode(last), outlets, origins)
            fresh = (derived[0], self.times.decode(derived[1]), self.times.decode(derived[2]))
            if stored != (*fresh, derived[3], derived[4]):
                problems.append(f"story {sid}: derived fields out of date")
        return problems

    # ------------------------------------------------------------ articles

    def add_article(self, article: Article) -> AddResult:
        return self.add_article_row(codec.encode_article(article))

    def add_article_row(self, row: codec.ArticleRow) -> AddResult:
        self._check_open()
        with self._write():
            return self._add(row, self._now())

    def add_articles(self, articles: Iterable[Article]) -> list[AddResult]:
        self._check_open()
        with self.transaction():
            now = self._now()
            return [self._add(codec.encode_article(a), now) for a in articles]

    def _add(self, r: codec.ArticleRow, now: Any) -> AddResult:
        known = self._one("SELECT revision, previous FROM articles WHERE id = ?", (r.id,))
        if known is not None:
            return AddResult(AddStatus.DUPLICATE, r.id, known[0], known[1])
        key = r.url_key
        revision, previous = 1, None
        if key:
            self._lock("url:" + key)
            last = self._one(
                # url_key <> '' lets the planner use the partial unique index
                "SELECT id, revision FROM articles WHERE url_key = ? AND url_key <> ''"
                " ORDER BY revision DESC LIMIT 1",
                (key,),
            )
            if last is not None:
                previous, revision = last[0], last[1] + 1
        cur = self._run(
            _INSERT_ARTICLE,
            (
                r.id,
                key,
                revision,
                previous,
                r.origin,
                r.kind,
                r.text,
                r.paragraphs,
                r.title,
                r.outlet,
                self.times.encode(r.published),
                r.byline,
                r.dateline,
                r.url,
                r.dropped,
                now,
            ),
        )
        if cur.rowcount == 0:  # another writer stored it between our look-up and insert
            known = self._one("SELECT revision, previous FROM articles WHERE id = ?", (r.id,))
            return AddResult(AddStatus.DUPLICATE, r.id, known[0], known[1])
        self._article_added()
        status = AddStatus.NEW if previous is None else AddStatus.REVISION
        return AddResult(status, r.id, revision, previous)

    def _articles_where(self, where: str, params: Sequence[Any]) -> list[Article]:
        rows = self._all(f"SELECT {codec.ARTICLE_COLUMNS} FROM articles WHERE {where}", params)
        return [codec.article_from_row(row, self.times) for row in rows]

    def get_article(self, article_id: str) -> Article | None:
        self._check_open()
        found = self._articles_where("id = ?", (article_id,))
        return found[0] if found else None

    def get_articles(self, ids: Sequence[str]) -> list[Article]:
        self._check_open()
        unique = list(dict.fromkeys(ids))
        by_id: dict[str, Article] = {}
        for chunk in _chunks(unique):
            for a in self._articles_where(f"id IN ({_marks(len(chunk))})", chunk):
                by_id[a.id] = a
        return [by_id[i] for i in ids if i in by_id]

    def articles_by_url(self, url: str) -> list[Article]:
        self._check_open()
        key = normalise_url(url)
        if not key:
            return []
        return self._articles_where("url_key = ? AND url_key <> '' ORDER BY revision", (key,))

    def revision_of(self, article_id: str) -> AddResult | None:
        self._check_open()
        row = self._one("SELECT revision, previous FROM articles WHERE id = ?", (article_id,))
        if row is None:
            return None
        status = AddStatus.NEW if row[1] is None else AddStatus.REVISION
        return AddResult(status, article_id, row[0], row[1])

    def _keyset(
        self,
        select: str,
        where: list[str],
        params: list[Any],
        time_col: str,
        id_col: str,
        undated: bool,
    ) -> Iterator[Any]:
        """Stream rows by (time, id) a page at a time; ``select`` must start with the time and
        id columns. Paging by key rather than holding a cursor open keeps no transaction or
        server-side cursor alive between pages, so the caller may write while iterating."""
        last: list[Any] = []
        while True:
            conds = [*where, f"{time_col} IS NOT NULL"]
            if last:
                conds.append(f"({time_col}, {id_col}) > (?, ?)")
            rows = self._all(
                f"{select} WHERE {' AND '.join(conds)} ORDER BY {time_col}, {id_col} LIMIT {PAGE}",
                [*params, *last],
            )
            yield from rows
            if len(rows) < PAGE:
                break
            last = [rows[-1][0], rows[-1][1]]
        if not undated:
            return
        last_id: list[Any] = []
        while True:
            conds = [*where, f"{time_col} IS NULL"]
            if last_id:
                conds.append(f"{id_col} > ?")
            rows = self._all(
                f"{select} WHERE {' AND '.join(conds)} ORDER BY {id_col} LIMIT {PAGE}",
                [*params, *last_id],
            )
            yield from rows
            if len(rows) < PAGE:
                break
            last_id = [rows[-1][1]]

    def iter_articles(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[Article]:
        self._check_open()
        where, params = self._time_filter("published", since, until)
        for row in self._keyset(
            f"SELECT published, id, {codec.ARTICLE_COLUMNS} FROM articles",
            where,
            params,
            "published",
            "id",
            undated=since is None and until is None,
        ):
            yield codec.article_from_row(row[2:], self.times)

    def _time_filter(
        self, col: str, since: datetime | None, until: datetime | None
    ) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if since is not None:
            where.append(f"{col} >= ?")
            params.append(self.times.encode(since))
        if until is not None:
            where.append(f"{col} < ?")
            params.append(self.times.encode(until))
        return where, params

    def count_articles(self) -> int:
        self._check_open()
        return int(self._scalar("SELECT count(*) FROM articles"))

    # ------------------------------------------------------------ caches

    def _require_article(self, article_id: str, what: str) -> None:
        if self._one("SELECT 1 FROM articles WHERE id = ?", (article_id,)) is None:
            raise self._error(StoreIntegrityError, f"{what}: article {article_id} is not stored")

    def put_analysis(self, article_id: str, version: str, payload: bytes) -> None:
        self._check_open()
        with self.transaction():
            self._require_article(article_id, "put_analysis")
            self._run(
                "INSERT INTO analyses (article_id, version, payload) VALUES (?, ?, ?)"
                " ON CONFLICT (article_id, version) DO UPDATE SET payload = excluded.payload",
                (article_id, version, bytes(payload)),
            )

    def get_analysis(self, article_id: str, version: str) -> bytes | None:
        self._check_open()
        value = self._scalar(
            "SELECT payload FROM analyses WHERE article_id = ? AND version = ?",
            (article_id, version),
        )
        return None if value is None else bytes(value)

    def put_sketch(self, article_id: str, kind: str, payload: bytes) -> None:
        self._check_open()
        with self._write():
            cur = self._run(
                "INSERT INTO sketches (kind, article_id, published, payload)"
                " SELECT ?, id, published, ? FROM articles WHERE id = ?"
                " ON CONFLICT (kind, article_id) DO UPDATE SET payload = excluded.payload",
                (kind, bytes(payload), article_id),
            )
            if cur.rowcount == 0:
                raise self._error(
                    StoreIntegrityError, f"put_sketch: article {article_id} is not stored"
                )

    def iter_sketches(self, kind: str, since: datetime | None = None) -> Iterator[SketchRow]:
        self._check_open()
        where, params = self._time_filter("published", since, None)
        for row in self._keyset(
            "SELECT published, article_id, payload FROM sketches",
            ["kind = ?", *where],
            [kind, *params],
            "published",
            "article_id",
            undated=since is None,
        ):
            yield SketchRow(row[1], self.times.decode(row[0]), bytes(row[2]))

    def get_sketches(self, kind: str, article_ids: Sequence[str]) -> list[SketchRow]:
        self._check_open()
        rows: list[SketchRow] = []
        for chunk in _chunks(list(dict.fromkeys(article_ids))):
            for published, aid, payload in self._all(
                "SELECT published, article_id, payload FROM sketches"
                f" WHERE kind = ? AND article_id IN ({_marks(len(chunk))})",
                [kind, *chunk],
            ):
                rows.append(SketchRow(aid, self.times.decode(published), bytes(payload)))
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        rows.sort(key=lambda r: (r.published or epoch, r.article_id))
        return rows

    # ------------------------------------------------------------ copies

    def add_copy(self, link: CopyLink) -> None:
        self._check_open()
        if link.article == link.original:
            raise self._error(StoreIntegrityError, f"article {link.article} cannot copy itself")
        with self._write():
            # Both ends' presence and the copy's story in one statement: ingest links an article
            # per call, and a statement is a fixed cost of the one-process stage that bounds it.
            has_article, has_original, story = self._one(
                "SELECT (SELECT 1 FROM articles WHERE id = ?), (SELECT 1 FROM articles WHERE id = ?),"
                " (SELECT story_id FROM story_articles WHERE article_id = ?)",
                (link.article, link.original, link.article),
            )
            for aid, present in ((link.article, has_article), (link.original, has_original)):
                if present is None:
                    raise self._error(StoreIntegrityError, f"add_copy: article {aid} is not stored")
            self._run(
                "INSERT INTO copies (article, original, kind, similarity, paragraphs)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (article) DO UPDATE SET"
                " original = excluded.original, kind = excluded.kind,"
                " similarity = excluded.similarity, paragraphs = excluded.paragraphs",
                codec.copy_row(link),
            )
            # Only the copy's own story can change: a story's origins discount members that
            # are full copies of another member of the same story.
            if story is not None:
                self._dirty.add(story)

    def copy_of(self, article_id: str) -> CopyLink | None:
        self._check_open()
        row = self._one(
            "SELECT article, original, kind, similarity, paragraphs FROM copies WHERE article = ?",
            (article_id,),
        )
        return None if row is None else codec.copy_from_row(row)

    def copies_of(self, original_id: str) -> list[CopyLink]:
        self._check_open()
        rows = self._all(
            "SELECT article, original, kind, similarity, paragraphs FROM copies"
            " WHERE original = ? ORDER BY similarity DESC, article",
            (original_id,),
        )
        return [codec.copy_from_row(r) for r in rows]

    # ------------------------------------------------------------ stories

    def _derive_story(self, story_id: str) -> tuple[int, Any, Any, str, int]:
        n, first, last = self._one(
            "SELECT count(*), min(a.published), max(a.published) FROM story_articles sa"
            " JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ?",
            (story_id,),
        )
        outlets = sorted(
            {
                r[0]
                for r in self._all(
                    "SELECT DISTINCT a.outlet FROM story_articles sa JOIN articles a"
                    " ON a.id = sa.article_id WHERE sa.story_id = ? AND a.outlet IS NOT NULL",
                    (story_id,),
                )
            }
        )
        copies = self._scalar(
            "SELECT count(*) FROM story_articles sa"
            " JOIN copies c ON c.article = sa.article_id AND c.kind = ?"
            " JOIN story_articles so ON so.article_id = c.original AND so.story_id = sa.story_id"
            " WHERE sa.story_id = ?",
            (CopyKind.FULL.value, story_id),
        )
        return int(n), first, last, json.dumps(outlets, ensure_ascii=False), int(n) - int(copies)

    def _flush_stories(self) -> None:
        if not self._dirty and not self._appended:
            return
        now = self._now()
        appended = {s: ids for s, ids in self._appended.items() if s not in self._dirty}
        if appended:
            self._run_many(
                # Relative updates: under PostgreSQL's read committed, a concurrent writer's
                # committed additions are kept, not overwritten with this snapshot's sums.
                "UPDATE stories SET n_articles = n_articles + ?, origins = origins + ?,"
                " first_published = CASE WHEN first_published IS NULL OR first_published > ?"
                " THEN ? ELSE first_published END,"
                " last_published = CASE WHEN last_published IS NULL OR last_published < ?"
                " THEN ? ELSE last_published END,"
                " outlets = coalesce(?, outlets), updated_at = ? WHERE id = ?",
                [
                    (*delta[:2], delta[2], delta[2], delta[3], delta[3], delta[4], now, sid)
                    for sid, delta in self._appended_deltas(appended).items()
                ],
            )
        for sid in sorted(self._dirty):
            n, first, last, outlets, origins = self._derive_story(sid)
            self._run(
                "UPDATE stories SET n_articles = ?, first_published = ?, last_published = ?,"
                " outlets = ?, origins = ?, updated_at = ? WHERE id = ?",
                (n, first, last, outlets, origins, now, sid),
            )
        self._dirty.clear()
        self._appended.clear()

    def _appended_deltas(
        self, appended: dict[str, list[str]]
    ) -> dict[str, tuple[int, int, Any, Any, str | None]]:
        """For stories that only gained new members: (members added, origins added, earliest
        and latest date of the new members, the outlets JSON if it changed, else None)."""
        ids = [a for members in appended.values() for a in members]
        found: dict[str, tuple[Any, str | None]] = {}
        copies: set[tuple[str, str]] = set()  # (story, copy): each counted link once
        for chunk in _chunks(ids):
            marks = _marks(len(chunk))
            for aid, published, outlet in self._all(
                f"SELECT id, published, outlet FROM articles WHERE id IN ({marks})", chunk
            ):
                found[aid] = (published, outlet)
            # Full copies whose two ends are now in one story, with a new member at either end
            # (an earlier member may copy a newcomer: links can precede assignments).
            copies.update(
                (r[0], r[1])
                for r in self._all(
                    "SELECT sa.story_id, c.article FROM copies c"
                    " JOIN story_articles sa ON sa.article_id = c.article"
                    " JOIN story_articles so ON so.article_id = c.original"
                    " AND so.story_id = sa.story_id"
                    f" WHERE c.kind = ? AND (c.article IN ({marks}) OR c.original IN ({marks}))",
                    [CopyKind.FULL.value, *chunk, *chunk],
                )
            )
        linked = Counter(story for story, _ in copies)
        stored: dict[str, list[str]] = {}
        for chunk in _chunks(list(appended)):
            for sid, outlets in self._all(
                f"SELECT id, outlets FROM stories WHERE id IN ({_marks(len(chunk))})", chunk
            ):
                stored[sid] = json.loads(outlets)
        out: dict[str, tuple[int, int, Any, Any, str | None]] = {}
        for sid, members in appended.items():
            if sid not in stored:
                continue  # deleted since: nothing to update
            dates = [found[a][0] for a in members if found[a][0] is not None]
            new = {found[a][1] for a in members if found[a][1] is not None}
            outlets = None
            if not new <= set(stored[sid]):
                outlets = json.dumps(sorted(new | set(stored[sid])), ensure_ascii=False)
            out[sid] = (
                len(members),
                len(members) - linked[sid],
                min(dates) if dates else None,
                max(dates) if dates else None,
                outlets,
            )
        return out

    def _missing_articles(self, ids: Sequence[str]) -> list[str]:
        present: set[str] = set()
        for chunk in _chunks(ids):
            present.update(
                r[0]
                for r in self._all(
                    f"SELECT id FROM articles WHERE id IN ({_marks(len(chunk))})", chunk
                )
            )
        return [i for i in ids if i not in present]

    def save_story(self, story: Story) -> Story:
        self._check_open()
        members = list(dict.fromkeys(story.articles))
        with self.transaction():
            missing = self._missing_articles(members)
            if missing:
                raise self._error(
                    StoreIntegrityError,
                    f"save_story {story.id}: articles not stored: {', '.join(missing[:5])}"
                    + (f" and {len(missing) - 5} more" if len(missing) > 5 else ""),
                )
            now = self._now()
            self._run(
                "INSERT INTO stories (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
                " updated_at = excluded.updated_at",
                (story.id, story.title, now, now),
            )
            for chunk in _chunks(members):
                self._dirty.update(
                    r[0]
                    for r in self._all(
                        "SELECT DISTINCT story_id FROM story_articles"
                        f" WHERE article_id IN ({_marks(len(chunk))})",
                        chunk,
                    )
                )
            self._run("DELETE FROM story_articles WHERE story_id = ?", (story.id,))
            self._run_many(
                "INSERT INTO story_articles (article_id, story_id, position) VALUES (?, ?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id,"
                " position = excluded.position",
                [(aid, story.id, i) for i, aid in enumerate(members)],
            )
            # The saved story's own figures are derived now, for the Story returned; other
            # stories this save touched stay marked and are derived once, at commit. (Reading it
            # back with get_story flushed every pending story, so ingest, which saves a story on
            # each creation and each doubling, flushed its batch in many small pieces.)
            self._dirty.discard(story.id)
            self._appended.pop(story.id, None)
            n, first, last, outlets, origins = self._derive_story(story.id)
            self._run(
                "UPDATE stories SET n_articles = ?, first_published = ?, last_published = ?,"
                " outlets = ?, origins = ?, updated_at = ? WHERE id = ?",
                (n, first, last, outlets, origins, now, story.id),
            )
        return Story(
            id=story.id,
            title=story.title,
            articles=tuple(members),
            first_published=self.times.decode(first),
            last_published=self.times.decode(last),
            outlets=tuple(json.loads(outlets)),
            origins=origins,
        )

    def delete_story(self, story_id: str) -> None:
        self._check_open()
        with self.transaction():
            self._run("DELETE FROM stories WHERE id = ?", (story_id,))
            self._dirty.discard(story_id)
            self._appended.pop(story_id, None)

    def _stories(self, rows: list[Any]) -> list[Story]:
        ids = [r[0] for r in rows]
        members: dict[str, list[str]] = {i: [] for i in ids}
        for chunk in _chunks(ids):
            for sid, aid in self._all(
                "SELECT story_id, article_id FROM story_articles"
                f" WHERE story_id IN ({_marks(len(chunk))}) ORDER BY story_id, position",
                chunk,
            ):
                members[sid].append(aid)
        return [
            Story(
                id=sid,
                title=title,
                articles=tuple(members[sid]),
                first_published=self.times.decode(first),
                last_published=self.times.decode(last),
                outlets=tuple(json.loads(outlets)),
                origins=int(origins),
            )
            for sid, title, first, last, outlets, origins in rows
        ]

    def get_story(self, story_id: str) -> Story | None:
        self._check_open()
        self._flush_stories()
        rows = self._all(f"SELECT {_STORY_COLUMNS} FROM stories s WHERE s.id = ?", (story_id,))
        return self._stories(rows)[0] if rows else None

    def story_of(self, article_id: str) -> str | None:
        self._check_open()
        value = self._scalar(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
        )
        return None if value is None else str(value)

    def assign(self, article_id: str, story_id: str) -> None:
        self._check_open()
        with self._write():
            # The current story and both checks in one statement (one per ingested article).
            old, has_article, has_story = self._one(
                "SELECT (SELECT story_id FROM story_articles WHERE article_id = ?),"
                " (SELECT 1 FROM articles WHERE id = ?), (SELECT 1 FROM stories WHERE id = ?)",
                (article_id, article_id, story_id),
            )
            if old == story_id:
                return
            if has_article is None:
                raise self._error(
                    StoreIntegrityError, f"assign: article {article_id} is not stored"
                )
            if has_story is None:
                raise self._error(StoreIntegrityError, f"assign: story {story_id} is not stored")
            self._run(
                "INSERT INTO story_articles (article_id, story_id, position)"
                " SELECT ?, ?, coalesce(max(position), -1) + 1 FROM story_articles"
                " WHERE story_id = ?"
                " ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id,"
                " position = excluded.position",
                (article_id, story_id, story_id),
            )
            if old is None and story_id not in self._dirty:
                self._appended.setdefault(story_id, []).append(article_id)
            else:
                self._dirty.add(story_id)
            if old is not None:
                self._dirty.add(old)

    def list_stories(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        text: str | None = None,
        limit: int = 50,
        offset: int = 0,
        order: StoryOrder = StoryOrder.NEWEST,
        flag: StoryFlag | None = None,
    ) -> list[Story]:
        self._check_open()
        self._check_page(limit, offset)
        self._flush_stories()
        where, params = self._story_filter(since, until, outlet, entity, text, flag)
        order_by = {
            StoryOrder.NEWEST: "s.last_published DESC NULLS LAST, s.id",
            StoryOrder.BIGGEST: "s.n_articles DESC, s.last_published DESC NULLS LAST, s.id",
            StoryOrder.CONFLICTS: "coalesce(m.conflicts + m.possible, 0) DESC,"
            " coalesce(m.updates, 0) DESC, s.last_published DESC NULLS LAST, s.id",
        }[StoryOrder(order)]
        rows = self._all(
            f"SELECT {_STORY_COLUMNS} FROM stories s"
            " LEFT JOIN story_marks m ON m.story_id = s.id"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + f" ORDER BY {order_by} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return self._stories(rows)

    def count_stories(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        text: str | None = None,
        flag: StoryFlag | None = None,
    ) -> int:
        self._check_open()
        self._flush_stories()
        where, params = self._story_filter(since, until, outlet, entity, text, flag)
        return int(
            self._scalar(
                "SELECT count(*) FROM stories s LEFT JOIN story_marks m ON m.story_id = s.id"
                + (f" WHERE {' AND '.join(where)}" if where else ""),
                params,
            )
        )

    def _story_filter(
        self,
        since: datetime | None,
        until: datetime | None,
        outlet: str | None,
        entity: str | None,
        text: str | None,
        flag: StoryFlag | None,
    ) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if since is not None:
            where.append("s.last_published >= ?")
            params.append(self.times.encode(since))
        if until is not None:
            where.append("s.first_published < ?")
            params.append(self.times.encode(until))
        if outlet is not None:
            where.append(
                "EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
                " WHERE sa.story_id = s.id AND lower(a.outlet) = ?)"
            )
            params.append(outlet.strip().lower())
        if entity is not None:
            where.append(
                "EXISTS (SELECT 1 FROM story_articles sa JOIN entities e"
                " ON e.article_id = sa.article_id WHERE sa.story_id = s.id AND e.key = ?)"
            )
            params.append(codec.entity_key(entity))
        if text is not None:
            self._prepare_search()
            sub, sub_params = self._matching_sql(parse(text))
            where.append(
                f"s.id IN (SELECT sa.story_id FROM story_articles sa WHERE sa.article_id IN ({sub}))"
            )
            params.extend(sub_params)
        if flag is not None:
            where.append(
                {
                    StoryFlag.CONFLICTS: "m.conflicts + m.possible > 0",
                    StoryFlag.UPDATES: "m.updates > 0",
                    StoryFlag.ANY: "m.conflicts + m.possible + m.updates > 0",
                }[StoryFlag(flag)]
            )
        return where, params

    def put_story_marks(self, story_id: str, marks: StoryMarks) -> None:
        self._check_open()
        with self.transaction():
            if self._one("SELECT 1 FROM stories WHERE id = ?", (story_id,)) is None:
                raise self._error(
                    StoreIntegrityError, f"put_story_marks: story {story_id} is not stored"
                )
            self._run(
                "INSERT INTO story_marks (story_id, members, articles, conflicts, possible,"
                " updates, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (story_id) DO UPDATE SET"
                " members = excluded.members, articles = excluded.articles,"
                " conflicts = excluded.conflicts, possible = excluded.possible,"
                " updates = excluded.updates, at = excluded.at",
                (
                    story_id,
                    marks.members,
                    marks.articles,
                    marks.conflicts,
                    marks.possible,
                    marks.updates,
                    self.times.encode(marks.at),
                ),
            )

    def story_marks(self, story_ids: Sequence[str]) -> dict[str, StoryMarks]:
        self._check_open()
        out: dict[str, StoryMarks] = {}
        for chunk in _chunks(list(dict.fromkeys(story_ids))):
            for sid, members, articles, conflicts, possible, updates, at in self._all(
                "SELECT story_id, members, articles, conflicts, possible, updates, at"
                f" FROM story_marks WHERE story_id IN ({_marks(len(chunk))})",
                chunk,
            ):
                out[sid] = StoryMarks(
                    int(conflicts),
                    int(possible),
                    int(updates),
                    int(articles),
                    members,
                    self.times.decode_required(at),
                )
        return out

    def _check_page(self, limit: int, offset: int) -> None:
        if limit < 0 or offset < 0:
            raise self._error(StoreQueryError, f"bad page: limit {limit}, offset {offset}")

    def add_story_event(self, event: StoryEvent) -> None:
        self._check_open()
        with self._write():
            self._run(
                "INSERT INTO story_events (story_id, kind, at, article, other, detail)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                codec.event_row(event, self.times),
            )

    def latest_event_seq(self) -> int:
        self._check_open()
        return int(self._scalar("SELECT coalesce(max(seq), 0) FROM story_events"))

    def story_events(self, story_id: str) -> list[StoryEvent]:
        self._check_open()
        rows = self._all(
            "SELECT story_id, kind, at, article, other, detail FROM story_events"
            " WHERE story_id = ? ORDER BY at, seq",
            (story_id,),
        )
        return [codec.event_from_row(r, self.times) for r in rows]

    # ------------------------------------------------------------ entities and search

    def put_entities(self, article_id: str, names: Sequence[tuple[str, str]]) -> None:
        self._check_open()
        with self.transaction():
            self._require_article(article_id, "put_entities")
            self._run("DELETE FROM entities WHERE article_id = ?", (article_id,))
            rows = {
                (article_id, codec.entity_key(name), label): name
                for name, label in names
                if name.strip()
            }
            self._run_many(
                "INSERT INTO entities (article_id, key, label, name) VALUES (?, ?, ?, ?)",
                [(*k, name) for k, name in rows.items()],
            )

    def entities_of(self, article_id: str) -> list[tuple[str, str]]:
        self._check_open()
        rows = self._all("SELECT name, label FROM entities WHERE article_id = ?", (article_id,))
        return sorted((r[0], r[1]) for r in rows)

    def search_articles(
        self,
        query: str,
        limit: int = 20,
        offset: int = 0,
        *,
        outlet: str | None = None,
        entity: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SearchHit]:
        self._check_open()
        self._check_page(limit, offset)
        q = parse(query)
        self._prepare_search()
        where, params = self._time_filter("a.published", since, until)
        if outlet is not None:
            where.append("lower(a.outlet) = ?")
            params.append(outlet.strip().lower())
        if entity is not None:
            where.append(
                "EXISTS (SELECT 1 FROM entities e WHERE e.article_id = a.id AND e.key = ?)"
            )
            params.append(codec.entity_key(entity))
        return self._search(q, where, params, limit, offset)

    # ------------------------------------------------------------ brief snapshots

    def save_brief(self, story_id: str, at: datetime, brief_json: str) -> None:
        self._check_open()
        with self.transaction():
            if self._one("SELECT 1 FROM stories WHERE id = ?", (story_id,)) is None:
                raise self._error(
                    StoreIntegrityError, f"save_brief: story {story_id} is not stored"
                )
            self._run(
                "INSERT INTO briefs (story_id, at, brief) VALUES (?, ?, ?)"
                " ON CONFLICT (story_id, at) DO UPDATE SET brief = excluded.brief",
                (story_id, self.times.encode(at), brief_json),
            )

    def briefs(self, story_id: str) -> list[BriefSnapshot]:
        self._check_open()
        rows = self._all("SELECT at, brief FROM briefs WHERE story_id = ? ORDER BY at", (story_id,))
        return [BriefSnapshot(self.times.decode_required(at), b) for at, b in rows]

    def brief_at(self, story_id: str, t: datetime) -> BriefSnapshot | None:
        self._check_open()
        row = self._one(
            "SELECT at, brief FROM briefs WHERE story_id = ? AND at <= ? ORDER BY at DESC LIMIT 1",
            (story_id, self.times.encode(t)),
        )
        return None if row is None else BriefSnapshot(self.times.decode_required(row[0]), row[1])

    # ------------------------------------------------------------ copies outside memory

    def put_copy_keys(self, article_id: str, keys: Sequence[int]) -> None:
        self._check_open()
        with self._write():
            self._run_many(
                "INSERT INTO copy_keys (band, key, article_id) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [(band, _signed(key), article_id) for band, key in enumerate(keys)],
            )

    def copy_key_matches(self, keys: Sequence[int], limit: int = 100) -> list[str]:
        self._check_open()
        if not keys:
            return []
        pairs = " OR ".join(["(band = ? AND key = ?)"] * len(keys))
        params: list[Any] = []
        for band, key in enumerate(keys):
            params += [band, _signed(key)]
        rows = self._all(
            f"SELECT article_id, count(*) AS n FROM copy_keys WHERE {pairs}"
            " GROUP BY article_id ORDER BY n DESC, article_id LIMIT ?",
            [*params, limit],
        )
        return [r[0] for r in rows]

    # ------------------------------------------------------------ alerts and cursors

    def add_alert(
        self,
        key: str,
        kind: str,
        story_id: str,
        at: datetime,
        title: str,
        summary: str,
        payload: dict[str, Any],
    ) -> Alert | None:
        self._check_open()
        with self._write():
            seq = self._scalar(
                "INSERT INTO alerts (key, kind, story_id, at, title, summary, payload)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING seq",
                (
                    key,
                    kind,
                    story_id,
                    self.times.encode(at),
                    title,
                    summary,
                    json.dumps(payload, ensure_ascii=False),
                ),
            )
        if seq is None:
            return None
        return Alert(int(seq), key, kind, story_id, at, title, summary, payload)

    def alerts(
        self,
        *,
        after: int = 0,
        story_id: str | None = None,
        limit: int = 100,
        newest_first: bool = False,
    ) -> list[Alert]:
        self._check_open()
        self._check_page(limit, 0)
        where: list[str] = ["seq > ?"]
        params: list[Any] = [after]
        if story_id is not None:
            where.append("story_id = ?")
            params.append(story_id)
        rows = self._all(
            "SELECT seq, key, kind, story_id, at, title, summary, payload FROM alerts"
            f" WHERE {' AND '.join(where)} ORDER BY seq {'DESC' if newest_first else ''}"
            " LIMIT ?",
            [*params, limit],
        )
        return [
            Alert(
                int(seq),
                key,
                kind,
                sid,
                self.times.decode_required(at),
                title,
                summary,
                json.loads(payload),
            )
            for seq, key, kind, sid, at, title, summary, payload in rows
        ]

    def put_comparison(
        self, comparison_id: str, at: datetime, expires: datetime, title: str, page: str, brief: str
    ) -> None:
        self._check_open()
        with self.transaction():
            self._run("DELETE FROM comparisons WHERE expires < ?", (self.times.encode(at),))
            self._run(
                "INSERT INTO comparisons (id, at, expires, title, page, brief)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at,"
                " expires = excluded.expires, title = excluded.title, page = excluded.page,"
                " brief = excluded.brief",
                (
                    comparison_id,
                    self.times.encode(at),
                    self.times.encode(expires),
                    title,
                    page,
                    brief,
                ),
            )

    def get_comparison(self, comparison_id: str, now: datetime) -> tuple[str, str] | None:
        self._check_open()
        row = self._one(
            "SELECT page, brief FROM comparisons WHERE id = ? AND expires >= ?",
            (comparison_id, self.times.encode(now)),
        )
        return None if row is None else (str(row[0]), str(row[1]))

    def get_cursor(self, name: str) -> int | None:
        self._check_open()
        value = self._scalar("SELECT value FROM cursors WHERE name = ?", (name,))
        return None if value is None else int(value)

    def set_cursor(self, name: str, value: int) -> None:
        self._check_open()
        with self._write():
            self._run(
                "INSERT INTO cursors (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, int(value)),
            )

    def put_stored_brief(self, brief: StoredBrief) -> None:
        self._check_open()
        with self.transaction():
            if self._one("SELECT 1 FROM stories WHERE id = ?", (brief.story_id,)) is None:
                raise self._error(
                    StoreIntegrityError, f"put_stored_brief: story {brief.story_id} is not stored"
                )
            self._run(
                "INSERT INTO stored_briefs (story_id, articles_key, version, at, brief, page)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (story_id) DO UPDATE SET"
                " articles_key = excluded.articles_key, version = excluded.version,"
                " at = excluded.at, brief = excluded.brief, page = excluded.page",
                (
                    brief.story_id,
                    brief.articles_key,
                    brief.version,
                    self.times.encode(brief.at),
                    brief.brief_json,
                    brief.page_html,
                ),
            )

    def get_stored_brief(self, story_id: str) -> StoredBrief | None:
        self._check_open()
        row = self._one(
            "SELECT articles_key, version, at, brief, page FROM stored_briefs WHERE story_id = ?",
            (story_id,),
        )
        if row is None:
            return None
        key, version, at, brief, page = row
        return StoredBrief(story_id, key, version, self.times.decode_required(at), brief, page)

    # ------------------------------------------------------------ ingest bookkeeping

    def mark_source(
        self,
        origin: str,
        fingerprint: str,
        status: SourceStatus | str,
        detail: str = "",
        articles: int = 0,
    ) -> None:
        self._check_open()
        try:
            value = SourceStatus(status)
        except ValueError:
            raise self._error(
                StoreIntegrityError, f"mark_source: status {status!r} is not 'done' or 'failed'"
            ) from None
        with self._write():
            self._run(
                "INSERT INTO sources (origin, fingerprint, status, detail, at, articles)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (origin, fingerprint) DO UPDATE SET"
                " status = excluded.status, detail = excluded.detail, at = excluded.at,"
                " articles = excluded.articles",
                (origin, fingerprint, value.value, detail, self._now(), articles),
            )

    def source_status(self, origin: str, fingerprint: str) -> SourceStatus | None:
        self._check_open()
        value = self._scalar(
            "SELECT status FROM sources WHERE origin = ? AND fingerprint = ?", (origin, fingerprint)
        )
        return None if value is None else SourceStatus(value)

    def source_record(self, origin: str, fingerprint: str) -> SourceRecord | None:
        self._check_open()
        row = self._one(
            "SELECT status, detail, at, articles FROM sources WHERE origin = ? AND fingerprint = ?",
            (origin, fingerprint),
        )
        if row is None:
            return None
        status, detail, at, articles = row
        return SourceRecord(
            origin,
            fingerprint,
            SourceStatus(status),
            detail,
            self.times.decode_required(at),
            int(articles),
        )

    def start_ingest_run(self, base: bytes) -> IngestRun:
        self._check_open()
        with self._write():
            after = int(self._scalar("SELECT coalesce(max(seq), 0) FROM story_events"))
            run_id = self._scalar(
                "INSERT INTO ingest_runs (events_after, base, started_at) VALUES (?, ?, ?)"
                " RETURNING id",
                (after, base, self._now()),
            )
        return IngestRun(int(run_id), after, base)

    def open_ingest_run(self) -> IngestRun | None:
        self._check_open()
        row = self._one("SELECT id, events_after, base FROM ingest_runs ORDER BY id LIMIT 1")
        return None if row is None else IngestRun(int(row[0]), int(row[1]), bytes(row[2]))

    def finish_ingest_run(self, run_id: int) -> None:
        self._check_open()
        with self._write():
            self._run("DELETE FROM ingest_runs WHERE id = ?", (run_id,))

    def story_events_after(self, seq: int) -> list[StoryEvent]:
        self._check_open()
        rows = self._all(
            "SELECT story_id, kind, at, article, other, detail FROM story_events"
            " WHERE seq > ? ORDER BY seq",
            (seq,),
        )
        return [codec.event_from_row(r, self.times) for r in rows]

    def failed_sources(self) -> list[SourceRecord]:
        self._check_open()
        rows = self._all(
            "SELECT origin, fingerprint, status, detail, at FROM sources WHERE status = ?"
            " ORDER BY at, origin",
            (SourceStatus.FAILED.value,),
        )
        return [
            SourceRecord(o, f, SourceStatus(s), d, self.times.decode_required(at))
            for o, f, s, d, at in rows
        ]

    def record_rejection(self, origin: str, reason: str, detail: str = "") -> None:
        self._check_open()
        with self._write():
            self._run(
                "INSERT INTO rejections (origin, reason, detail, at) VALUES (?, ?, ?, ?)",
                (origin, reason, detail, self._now()),
            )

    def stats(self) -> StoreStats:
        self._check_open()
        row = self._one(
            "SELECT (SELECT count(*) FROM articles),"
            " (SELECT count(*) FROM articles WHERE revision > 1),"
            " (SELECT count(*) FROM stories), (SELECT count(*) FROM copies),"
            " (SELECT count(*) FROM sources WHERE status = 'failed'),"
            " (SELECT count(*) FROM sources WHERE status = 'done'),"
            " (SELECT count(*) FROM rejections)"
        )
        return StoreStats(*(int(v) for v in row))
