"""The PostgreSQL store, for a team sharing one corpus: ``--db postgresql://user@host/db``.

Same tables as SQLite; the full-text index is a generated ``tsvector`` column (English
configuration, title weighted above text) with a GIN index, so it is written in the same
statement as the article. Concurrent writers are safe: revisions of one URL are serialised by a
transaction-scoped advisory lock, and a duplicate inserted by another worker is reported as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from newsprism.errors import StoreBusyError, StoreError, StoreIntegrityError, StoreOpenError
from newsprism.store import codec
from newsprism.store.base import HIT_END, HIT_START, SearchHit
from newsprism.store.query import Query
from newsprism.store.sqlstore import SqlStore

try:
    import psycopg
    from psycopg import errors as pg_errors
except ImportError:  # pragma: no cover - depends on the install
    psycopg = None  # type: ignore[assignment]

_MIGRATION_LOCK = 0x6E657773  # any constant shared by every newsprism process
_HEADLINE = (
    f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=24, MinWords=10, MaxFragments=1,"
    " FragmentDelimiter=…"
)


class PostgresStore(SqlStore):
    dialect = "postgresql"
    times = codec.NativeTimeCodec()

    def __init__(self, url: str, *, connect_timeout: float = 10.0) -> None:
        super().__init__(codec.mask_url(url))
        self._secrets = codec.url_secrets(url)
        self._sql_cache: dict[str, str] = {}
        if psycopg is None:
            raise StoreOpenError(
                "PostgreSQL support needs the psycopg package: pip install 'psycopg[binary]'",
                origin=self.name,
            )
        try:
            # autocommit: transaction() sends BEGIN/SAVEPOINT/COMMIT itself, as for SQLite.
            self._conn = psycopg.connect(
                url,
                autocommit=True,
                connect_timeout=max(1, int(connect_timeout)),
                application_name="newsprism",
            )
        except psycopg.Error as exc:
            raise StoreOpenError(
                f"cannot connect: {self._scrub(str(exc).strip())}", origin=self.name
            ) from exc
        try:
            self._run("SET TIME ZONE 'UTC'")
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _translate(self, exc: Exception) -> StoreError:
        text = self._scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc))
        if isinstance(exc, pg_errors.IntegrityError):
            return StoreIntegrityError(f"constraint failed: {text}", origin=self.name)
        if isinstance(exc, pg_errors.LockNotAvailable | pg_errors.DeadlockDetected):
            return StoreBusyError(f"lock not available: {text}", origin=self.name)
        if isinstance(exc, psycopg.OperationalError):
            return StoreOpenError(f"connection failed: {text}", origin=self.name)
        return StoreError(f"PostgreSQL error: {text}", origin=self.name)

    def _sql(self, sql: str) -> str:
        out = self._sql_cache.get(sql)
        if out is None:
            out = self._sql_cache[sql] = sql.replace("%", "%%").replace("?", "%s")
        return out

    def _run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            if params:
                return self._conn.execute(self._sql(sql), params)
            # Without parameters the simple protocol is used, which also runs a migration's
            # several statements in one call.
            return self._conn.execute(sql.encode())
        except psycopg.Error as exc:
            raise self._translate(exc) from exc

    def _run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if not batch:
            return
        try:
            with self._conn.cursor() as cur:
                cur.executemany(self._sql(sql), batch)
        except psycopg.Error as exc:
            raise self._translate(exc) from exc

    def _close_connection(self) -> None:
        self._conn.close()

    def _lock(self, key: str) -> None:
        self._run("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (key,))

    def _migration_lock(self) -> None:
        self._run("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))

    @staticmethod
    def _tsquery(q: Query) -> tuple[str, list[Any]]:
        """The query as SQL combining ``plainto_tsquery``/``phraseto_tsquery`` of bound
        strings: user text is never parsed as tsquery syntax, so it cannot be a syntax error."""
        params: list[Any] = []
        groups = []
        for group in q:
            alts = []
            for term in group:
                fn = "phraseto_tsquery" if term.phrase else "plainto_tsquery"
                alts.append(f"{fn}('english', ?)")
                params.append(term.text)
            groups.append("(" + " || ".join(alts) + ")")
        return "(" + " && ".join(groups) + ")", params

    def _matching_sql(self, q: Query) -> tuple[str, list[Any]]:
        expr, params = self._tsquery(q)
        return f"SELECT a.id FROM articles a WHERE a.tsv @@ {expr}", params

    def _search(
        self, q: Query, where: list[str], params: list[Any], limit: int, offset: int
    ) -> list[SearchHit]:
        expr, qparams = self._tsquery(q)
        conds = " ".join(f"AND {w}" for w in where)
        # The headline is costly, so it is computed only for the page, after ranking.
        rows = self._all(
            f"WITH q AS (SELECT {expr} AS q),"
            " hits AS (SELECT a.id, a.text, ts_rank(a.tsv, q.q) AS score FROM articles a, q"
            f" WHERE a.tsv @@ q.q {conds} ORDER BY score DESC, a.id LIMIT ? OFFSET ?)"
            " SELECT hits.id, hits.score, ts_headline('english', hits.text, q.q, ?)"
            " FROM hits, q ORDER BY hits.score DESC, hits.id",
            [*qparams, *params, limit, offset, _HEADLINE],
        )
        return [SearchHit(r[0], float(r[1]), r[2]) for r in rows]

    def _engine_check(self) -> list[str]:
        # The full-text column is generated, so it cannot drift; check what constraints
        # cannot express: revision chains.
        rows = self._all(
            "SELECT a.id FROM articles a LEFT JOIN articles p ON p.id = a.previous"
            " WHERE a.revision > 1 AND (p.id IS NULL OR p.url_key <> a.url_key)"
        )
        return [f"article {r[0]}: broken revision link" for r in rows]
