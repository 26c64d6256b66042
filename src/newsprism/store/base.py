"""The article store's contract: one abstract class, implemented for SQLite and PostgreSQL.

Everything corpus mode keeps between runs goes through :class:`Store`: articles (with every
revision of a URL), per-article caches (analysis, sketches), wire-copy links, stories and their
history, entities for filtering, the full-text index, brief snapshots and ingest bookkeeping.

Transactions: every write method is atomic on its own. Wrap several writes in
:meth:`Store.transaction` to commit them together (an article with its sketch, copy link and
story assignment); nested ``transaction()`` blocks and write methods called inside one become
savepoints, so a failed inner step can be caught without losing the outer work. Whatever was
committed survives the process being killed at any moment; nothing uncommitted is ever seen.

A store holds one connection and is not thread-safe: use one per thread or process.
Datetimes go in naive (taken as UTC) or aware, and always come out timezone-aware in UTC.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Any, NamedTuple, Self

from newsprism.model import Article, CopyLink, Story, StoryEvent
from newsprism.store.codec import ArticleRow

# ------------------------------------------------------------------------------------ errors


# ----------------------------------------------------------------------------------- records


class AddStatus(StrEnum):
    NEW = "new"  # first time this URL (or this URL-less text) is stored
    DUPLICATE = "duplicate"  # the same id is already stored: nothing was written
    REVISION = "revision"  # same normalised URL, different content: stored as a new revision


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :meth:`Store.add_article` did. ``revision`` counts from 1 per normalised URL (an
    article without URL is always revision 1); ``previous`` is the id of the revision before."""

    status: AddStatus
    article_id: str
    revision: int = 1
    previous: str | None = None


class SearchHit(NamedTuple):
    """``score``: higher is better; comparable within one result list only. ``snippet`` is a
    short excerpt with matched words between :data:`HIT_START` and :data:`HIT_END`."""

    article_id: str
    score: float
    snippet: str


HIT_START = "["
HIT_END = "]"


class SketchRow(NamedTuple):
    article_id: str
    published: datetime | None
    payload: bytes


class BriefSnapshot(NamedTuple):
    at: datetime
    brief_json: str


class StoredBrief(NamedTuple):
    """A story's current brief, built ahead of its readers: the JSON and the rendered page.
    ``articles_key`` and ``version`` say what it was built from (see ``corpus.briefs``)."""

    story_id: str
    articles_key: str
    version: str
    at: datetime
    brief_json: str
    page_html: str


class SourceStatus(StrEnum):
    DONE = "done"
    FAILED = "failed"


class StoryOrder(StrEnum):
    NEWEST = "newest"  # latest last_published first; undated stories last
    BIGGEST = "biggest"  # most articles first, then newest
    CONFLICTS = "conflicts"  # most conflicts (then updates) in the latest brief first, then newest


class StoryFlag(StrEnum):
    """Stories whose latest brief found something to look at (see :class:`StoryMarks`)."""

    CONFLICTS = "conflicts"  # a conflict, confirmed or possible
    UPDATES = "updates"  # a value that changed as the story developed
    ANY = "any"  # either


@dataclass(frozen=True, slots=True)
class StoryMarks:
    """What the latest brief of a story found, kept so a list of stories can show, filter and
    sort by it without building briefs. ``members`` identifies the articles that brief was made
    of (:func:`members_key`): when the story has gained articles since, the counts are those of
    the earlier brief."""

    conflicts: int  # confirmed
    possible: int
    updates: int
    articles: int
    members: str
    at: datetime

    def current(self, story: Story) -> bool:
        return self.members == members_key(story.articles)


def members_key(article_ids: Iterable[str]) -> str:
    """A short hash of a set of article ids (order does not matter)."""
    import hashlib

    h = hashlib.blake2b(digest_size=8)
    for aid in sorted(set(article_ids)):
        h.update(aid.encode())
        h.update(b"\x00")
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert of ``newsprism watch``: ``kind`` is "new-story", "conflict" or "update";
    ``key`` names what it is about (one alert per key, ever); ``payload`` holds the details
    (the conflict's sides, the story's outlets...) as JSON-ready data."""

    seq: int
    key: str
    kind: str
    story_id: str
    at: datetime
    title: str
    summary: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    origin: str
    fingerprint: str
    status: SourceStatus
    detail: str
    at: datetime
    articles: int = 0  # articles the source gave (stored, duplicates included) when done


class IngestRun(NamedTuple):
    """An ingest run not finished yet: where its story events start, and the state it started
    from (opaque to the store; see :mod:`newsprism.corpus.ingest`)."""

    id: int
    events_after: int
    base: bytes


@dataclass(frozen=True, slots=True)
class StoreStats:
    articles: int
    revisions: int  # articles that are a later revision of an earlier one (included in articles)
    stories: int
    copies: int
    failures: int  # sources whose last status is "failed"
    sources_done: int
    rejections: int


# ------------------------------------------------------------------------------------- store


class Store(abc.ABC):
    """The store interface. Open one with :func:`newsprism.store.open_store`.

    Story records returned by the store are always consistent with what is stored:
    ``first_published``, ``last_published``, ``outlets`` (sorted) and ``origins`` (member
    articles minus those that are full copies of another member) are derived from the member
    articles and copy links. :meth:`save_story` takes the id, title and member list from the
    record it is given and ignores its derived fields.
    """

    #: the database as shown in messages (a path, or a URL with its password masked)
    name: str

    # ---------------------------------------------------------------- lifecycle

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection; a transaction still open is rolled back. Idempotent."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """Commit everything written inside the block at once, or nothing if it raises.
        Nested blocks are savepoints: an exception caught outside an inner block undoes only
        that block."""

    @abc.abstractmethod
    def schema_version(self) -> int:
        """The highest migration applied to this database."""

    @abc.abstractmethod
    def check(self) -> list[str]:
        """Verify the database (engine integrity, full-text index, derived story fields);
        return the problems found, an empty list when healthy."""

    # ---------------------------------------------------------------- articles

    @abc.abstractmethod
    def add_article(self, article: Article) -> AddResult:
        """Store ``article`` unless its id is already stored (:attr:`AddStatus.DUPLICATE`, a
        no-op). An article whose normalised URL is stored with other content becomes a new
        revision linked to the latest one."""

    @abc.abstractmethod
    def add_article_row(self, row: ArticleRow) -> AddResult:
        """:meth:`add_article` for an article already encoded by
        :func:`~newsprism.store.codec.encode_article` (in the worker that cleaned it)."""

    @abc.abstractmethod
    def add_articles(self, articles: Iterable[Article]) -> list[AddResult]:
        """:meth:`add_article` for many articles in one transaction (faster); results in order.
        The same article twice in the batch is NEW then DUPLICATE."""

    @abc.abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abc.abstractmethod
    def get_articles(self, ids: Sequence[str]) -> list[Article]:
        """The stored articles among ``ids``, in the order of ``ids`` (unknown ids skipped)."""

    @abc.abstractmethod
    def articles_by_url(self, url: str) -> list[Article]:
        """Every revision stored for the normalised form of ``url``, oldest revision first."""

    @abc.abstractmethod
    def revision_of(self, article_id: str) -> AddResult | None:
        """The revision number and predecessor of a stored article (status NEW or REVISION)."""

    @abc.abstractmethod
    def iter_articles(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[Article]:
        """Articles published in ``[since, until)``, by publication time then id, fetched in
        pages so memory stays flat. Without bounds, undated articles follow the dated ones; with
        a bound they are left out."""

    @abc.abstractmethod
    def count_articles(self) -> int: ...

    # ---------------------------------------------------------------- caches

    @abc.abstractmethod
    def put_analysis(self, article_id: str, version: str, payload: bytes) -> None:
        """Cache an article's analysis computed by analysis code ``version`` (replaces)."""

    @abc.abstractmethod
    def get_analysis(self, article_id: str, version: str) -> bytes | None: ...

    @abc.abstractmethod
    def put_sketch(self, article_id: str, kind: str, payload: bytes) -> None:
        """Store a sketch (MinHash, embedding...) of kind ``kind`` for an article (replaces)."""

    @abc.abstractmethod
    def iter_sketches(self, kind: str, since: datetime | None = None) -> Iterator[SketchRow]:
        """Sketches of ``kind`` by publication time then id; ``since`` keeps those published at
        or after it (undated articles are then left out)."""

    @abc.abstractmethod
    def get_sketches(self, kind: str, article_ids: Sequence[str]) -> list[SketchRow]:
        """Sketches of ``kind`` of these articles (those that have one), by publication time
        then id."""

    # ---------------------------------------------------------------- copies

    @abc.abstractmethod
    def add_copy(self, link: CopyLink) -> None:
        """Record that ``link.article`` copies ``link.original`` (replaces an earlier link of
        the same article). Both articles must be stored."""

    @abc.abstractmethod
    def copy_of(self, article_id: str) -> CopyLink | None: ...

    @abc.abstractmethod
    def copies_of(self, original_id: str) -> list[CopyLink]:
        """Links to ``original_id``, most similar first."""

    # ---------------------------------------------------------------- stories

    @abc.abstractmethod
    def save_story(self, story: Story) -> Story:
        """Insert or update a story: its title, and its members become exactly
        ``story.articles`` in that order (articles in another story move here; former members
        not listed are left without a story). Returns the story as stored."""

    @abc.abstractmethod
    def delete_story(self, story_id: str) -> None:
        """Remove a story (after a merge); its articles are left without a story, its events
        stay as history."""

    @abc.abstractmethod
    def get_story(self, story_id: str) -> Story | None: ...

    @abc.abstractmethod
    def story_of(self, article_id: str) -> str | None:
        """The id of the story the article is in."""

    @abc.abstractmethod
    def assign(self, article_id: str, story_id: str) -> None:
        """Put the article in the story (appended last), moving it out of any other story."""

    @abc.abstractmethod
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
        """Stories overlapping ``[since, until)`` (by first and last publication), with an article
        from ``outlet`` (case-insensitive), an article naming ``entity`` (case-insensitive), an
        article matching the search query ``text``, whose latest brief found what ``flag``
        names; paged by ``limit``/``offset``."""

    @abc.abstractmethod
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
        """How many stories :meth:`list_stories` would list over all pages."""

    @abc.abstractmethod
    def put_story_marks(self, story_id: str, marks: StoryMarks) -> None:
        """Keep what the story's latest brief found (replaces)."""

    @abc.abstractmethod
    def story_marks(self, story_ids: Sequence[str]) -> dict[str, StoryMarks]:
        """The marks of those stories that have some."""

    @abc.abstractmethod
    def add_story_event(self, event: StoryEvent) -> None: ...

    @abc.abstractmethod
    def latest_event_seq(self) -> int:
        """The sequence number of the latest story event (0 when there is none)."""

    @abc.abstractmethod
    def story_events(self, story_id: str) -> list[StoryEvent]:
        """Events of ``story_id`` (as ``story``), by time then insertion order."""

    # ---------------------------------------------------------------- entities and search

    @abc.abstractmethod
    def put_entities(self, article_id: str, names: Sequence[tuple[str, str]]) -> None:
        """Replace the article's entities: ``(name, label)`` pairs such as ``("Jane Roe",
        "PERSON")``. Names match case-insensitively in filters."""

    @abc.abstractmethod
    def entities_of(self, article_id: str) -> list[tuple[str, str]]:
        """The article's ``(name, label)`` pairs, sorted."""

    @abc.abstractmethod
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
        """Full-text search over title and text, best first. Query syntax, the same on every
        backend: words (all must match, stemmed English), ``"quoted phrases"``, and ``OR``
        between two terms (``flood OR storm levee``). Punctuation is ignored, so no input
        raises a syntax error; a query without any word raises :class:`StoreQueryError`."""

    # ---------------------------------------------------------------- brief snapshots

    @abc.abstractmethod
    def save_brief(self, story_id: str, at: datetime, brief_json: str) -> None:
        """Keep the story's brief as of ``at`` (replaces a snapshot at the same instant)."""

    @abc.abstractmethod
    def briefs(self, story_id: str) -> list[BriefSnapshot]:
        """Snapshots of the story, oldest first."""

    @abc.abstractmethod
    def brief_at(self, story_id: str, t: datetime) -> BriefSnapshot | None:
        """The latest snapshot taken at or before ``t``."""

    # ---------------------------------------------------------------- copies outside memory

    @abc.abstractmethod
    def put_copy_keys(self, article_id: str, keys: Sequence[int]) -> None:
        """Keep the band keys of the article's copy signature (``keys[b]`` is band ``b``'s
        unsigned 64-bit key). An article's keys never change: adding them again is a no-op."""

    @abc.abstractmethod
    def copy_key_matches(self, keys: Sequence[int], limit: int = 100) -> list[str]:
        """Ids of stored articles that share a band key with ``keys``, those sharing most
        first, at most ``limit``."""

    # ---------------------------------------------------------------- alerts and cursors

    @abc.abstractmethod
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
        """Record an alert unless one with ``key`` exists already (then None)."""

    @abc.abstractmethod
    def alerts(
        self,
        *,
        after: int = 0,
        story_id: str | None = None,
        limit: int = 100,
        newest_first: bool = False,
    ) -> list[Alert]:
        """Alerts with ``seq`` above ``after`` (of one story, if given), in seq order."""

    @abc.abstractmethod
    def put_comparison(
        self, comparison_id: str, at: datetime, expires: datetime, title: str, page: str, brief: str
    ) -> None:
        """Keep a comparison's rendered page and JSON brief until ``expires`` (replaces); the
        expired ones are removed."""

    @abc.abstractmethod
    def get_comparison(self, comparison_id: str, now: datetime) -> tuple[str, str] | None:
        """(page, brief JSON) of a comparison not expired at ``now``."""

    @abc.abstractmethod
    def get_cursor(self, name: str) -> int | None: ...

    @abc.abstractmethod
    def set_cursor(self, name: str, value: int) -> None: ...

    @abc.abstractmethod
    def put_stored_brief(self, brief: StoredBrief) -> None:
        """Keep ``brief`` as the story's current brief (replacing the one before)."""

    @abc.abstractmethod
    def get_stored_brief(self, story_id: str) -> StoredBrief | None:
        """The story's current brief, fresh or stale, if one was ever stored."""

    # ---------------------------------------------------------------- ingest bookkeeping

    @abc.abstractmethod
    def mark_source(
        self,
        origin: str,
        fingerprint: str,
        status: SourceStatus | str,
        detail: str = "",
        articles: int = 0,
    ) -> None:
        """Record that input ``origin`` with content ``fingerprint`` was processed (or failed),
        so a restarted run skips it, with the number of articles it gave. Replaces the
        previous status."""

    @abc.abstractmethod
    def source_status(self, origin: str, fingerprint: str) -> SourceStatus | None: ...

    @abc.abstractmethod
    def source_record(self, origin: str, fingerprint: str) -> SourceRecord | None: ...

    @abc.abstractmethod
    def start_ingest_run(self, base: bytes) -> IngestRun:
        """Record that an ingest run starts from ``base``; its events are those added after
        the latest story event now stored."""

    @abc.abstractmethod
    def open_ingest_run(self) -> IngestRun | None:
        """The ingest run started and not finished (interrupted), if any: the oldest one."""

    @abc.abstractmethod
    def finish_ingest_run(self, run_id: int) -> None: ...

    @abc.abstractmethod
    def story_events_after(self, seq: int) -> list[StoryEvent]:
        """Every story event recorded after event ``seq``, in the order they were added."""

    @abc.abstractmethod
    def failed_sources(self) -> list[SourceRecord]:
        """Sources whose last status is failed, oldest first (to retry or report)."""

    @abc.abstractmethod
    def record_rejection(self, origin: str, reason: str, detail: str = "") -> None: ...

    @abc.abstractmethod
    def stats(self) -> StoreStats: ...
