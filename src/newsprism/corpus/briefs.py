"""Briefs of stored stories: analyses cached in the store, snapshots, stored briefs, and what
changed since.

A stored story's brief reuses the per-sentence work (parse, values, quotes, embeddings) saved the
first time any brief needed it; every brief built is also saved as a snapshot, so
``newsprism changes ID --since T`` can say what the brief gained or lost since then. The current
brief of each story is kept too, built ahead of its readers (by ``newsprism ingest --briefs`` and
by the worker ``serve`` starts): a story page then serves it instead of building it while the
reader waits. It is current while the story has the same articles and the formats it was built
with have not changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from newsprism import __version__
from newsprism.compare import scorer
from newsprism.compare.analysis import Analysis, AnalysisCache
from newsprism.compare.brief import build_brief
from newsprism.compare.codec import analysis_version, decode, encode
from newsprism.config import Settings
from newsprism.errors import InputError
from newsprism.formats.jsonout import brief_to_json
from newsprism.model import Article, Brief, Story
from newsprism.nlp import Models
from newsprism.store.base import Store, StoredBrief, StoryMarks, members_key
from newsprism.timing import StageTimes

log = logging.getLogger(__name__)


class StoreAnalysisCache(AnalysisCache):
    """Analyses from memory, then from the store; new ones are written to the store."""

    def __init__(self, store: Store, settings: Settings) -> None:
        super().__init__()
        self.store = store
        self.version = analysis_version(settings)

    def get(self, article: Article) -> Analysis | None:
        hit = super().get(article)
        if hit is not None:
            return hit
        payload = self.store.get_analysis(article.id, self.version)
        if payload is None:
            return None
        analysis = decode(payload, article)
        super().put(analysis)
        return analysis

    def put(self, analysis: Analysis) -> None:
        super().put(analysis)
        with self.store.transaction():
            self.store.put_analysis(analysis.article.id, self.version, encode(analysis))


def story_brief(
    store: Store,
    story_id: str,
    *,
    models: Models,
    settings: Settings,
    snapshot: bool = True,
    timer: StageTimes | None = None,
) -> Brief:
    """The brief of a stored story; saved as a snapshot (for ``changes``) unless told not to."""
    story = store.get_story(story_id)
    if story is None:
        raise InputError(f"no story with id {story_id!r}", origin=store.name)
    articles = store.get_articles(list(story.articles))
    brief = build_brief(
        articles,
        models=models,
        settings=settings,
        cache=StoreAnalysisCache(store, settings),
        # the copies the story list shows, so the brief counts origins the same way
        links={a.id: store.copy_of(a.id) for a in articles},
        timer=timer,
    )
    # One headline rule for the list and the page: a stored story is headed by its most
    # representative member's title, the one the story list shows.
    brief = replace(brief, title=story.title or brief.title)
    if snapshot:
        with store.transaction():
            store.save_brief(
                story_id, brief.generated or datetime.now(UTC), json.dumps(brief_to_json(brief))
            )
            store.put_story_marks(story_id, story_marks(brief, story))
    return brief


def story_marks(brief: Brief, story: Story) -> StoryMarks:
    """What a story's brief found, as the story list shows it."""
    updates = sum(1 for c in brief.conflicts if c.update)
    possible = sum(1 for c in brief.conflicts if c.possible)
    return StoryMarks(
        conflicts=len(brief.conflicts) - updates - possible,
        possible=possible,
        updates=updates,
        articles=len(story.articles),
        members=members_key(story.articles),
        at=brief.generated or datetime.now(UTC),
    )


#: Bump when what a stored brief holds, or how it is rendered, changes: stored briefs of an older
#: format are then stale and rebuilt.
BRIEF_FORMAT = 1


def brief_version(settings: Settings) -> str:
    """What a stored brief was built with: its format, the analysis format and models, the
    newsprism version (whose comparison rules make the brief) and the fitted slot and claim models
    (a refit changes which conflicts and facts a brief shows)."""
    return (
        f"{BRIEF_FORMAT}|{analysis_version(settings)}|{__version__}|"
        f"{scorer.digest()}|{scorer.digest('claim_model')}"
    )


def articles_key(story: Story) -> str:
    """The story's member articles as one short key (order does not change a brief)."""
    h = hashlib.blake2b(digest_size=16)
    for aid in sorted(set(story.articles)):
        h.update(aid.encode())
        h.update(b"\n")
    return h.hexdigest()


def current_brief(store: Store, story: Story, settings: Settings) -> StoredBrief | None:
    """The story's stored brief if it is current (same articles, same formats), else None."""
    stored = store.get_stored_brief(story.id)
    if stored is None:
        return None
    if stored.articles_key != articles_key(story) or stored.version != brief_version(settings):
        return None
    return stored


def build_stored_brief(
    store: Store,
    story_id: str,
    *,
    models: Models,
    settings: Settings,
    timer: StageTimes | None = None,
) -> tuple[Brief, StoredBrief]:
    """Build the story's brief, keep it as its current brief (and as a snapshot), return both."""
    from newsprism.formats import render

    story = store.get_story(story_id)
    if story is None:
        raise InputError(f"no story with id {story_id!r}", origin=store.name)
    brief = story_brief(store, story_id, models=models, settings=settings, timer=timer)
    stored = StoredBrief(
        story_id=story.id,
        articles_key=articles_key(story),
        version=brief_version(settings),
        at=brief.generated or datetime.now(UTC),
        brief_json=render(brief, "json"),
        page_html=render(brief, "html"),
    )
    with store.transaction():
        store.put_stored_brief(stored)
    return brief, stored


def stale_stories(store: Store, settings: Settings, *, page: int = 200) -> Iterator[Story]:
    """Stories whose current brief is missing or stale, newest first."""
    offset = 0
    while True:
        stories = store.list_stories(limit=page, offset=offset)
        for st in stories:
            if current_brief(store, st, settings) is None:
                yield st
        if len(stories) < page:
            return
        offset += page


@dataclass(frozen=True, slots=True)
class BriefChanges:
    """What a story's brief gained or lost between two snapshots."""

    story: str
    since: datetime | None  # the snapshot compared against (None: there was none)
    now: datetime
    new_sources: list[dict[str, Any]] = field(default_factory=list)
    new_facts: list[dict[str, Any]] = field(default_factory=list)
    lost_facts: list[dict[str, Any]] = field(default_factory=list)
    new_conflicts: list[dict[str, Any]] = field(default_factory=list)
    resolved_conflicts: list[dict[str, Any]] = field(default_factory=list)
    updated_values: list[dict[str, Any]] = field(default_factory=list)
    new_details: list[dict[str, Any]] = field(default_factory=list)
    #: "published" (the brief of the articles published by then) or "ingested" (a snapshot)
    basis: str = "ingested"
    #: Articles of the story published by then (basis "published").
    before_articles: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "story": self.story,
            "basis": self.basis,
            "before_articles": self.before_articles,
            "since": self.since.isoformat() if self.since else None,
            "now": self.now.isoformat(),
            "new_sources": self.new_sources,
            "new_facts": self.new_facts,
            "lost_facts": self.lost_facts,
            "new_conflicts": self.new_conflicts,
            "resolved_conflicts": self.resolved_conflicts,
            "updated_values": self.updated_values,
            "new_details": self.new_details,
        }


def _conflict_key(c: dict[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    return (c["kind"], c["slot"], tuple(sorted(s["value_text"] for s in c["sides"])))


def _cited_key(c: dict[str, Any]) -> str:
    return " ".join(c["text"].split()).lower()


def diff_briefs(
    story: str,
    old: dict[str, Any] | None,
    old_at: datetime | None,
    new: dict[str, Any],
    now: datetime,
) -> BriefChanges:
    """Compare two JSON briefs. Facts and details are matched by their text, conflicts by kind,
    slot and values; a conflict present before whose slot now shows a new value is an update."""
    old = old or {"sources": [], "facts": [], "conflicts": [], "details": []}
    old_sources = {s["id"] for s in old["sources"]}
    old_facts = {_cited_key(f): f for f in old["facts"]}
    new_facts = {_cited_key(f): f for f in new["facts"]}
    old_conf = {_conflict_key(c): c for c in old["conflicts"]}
    new_conf = {_conflict_key(c): c for c in new["conflicts"]}
    old_slots = {(k[0], k[1]): c for k, c in old_conf.items()}
    appeared = [c for k, c in new_conf.items() if k not in old_conf]
    updated = [
        {
            "kind": c["kind"],
            "slot": c["slot"],
            "before": old_slots[(c["kind"], c["slot"])],
            "after": c,
        }
        for c in appeared
        if (c["kind"], c["slot"]) in old_slots
    ]
    updated_slots = {(u["kind"], u["slot"]) for u in updated}
    old_details = {_cited_key(d) for d in old["details"]}
    return BriefChanges(
        story=story,
        since=old_at,
        now=now,
        new_sources=[
            {k: s[k] for k in ("id", "label", "outlet", "title", "published", "url")}
            for s in new["sources"]
            if s["id"] not in old_sources
        ],
        new_facts=[f for k, f in new_facts.items() if k not in old_facts],
        lost_facts=[f for k, f in old_facts.items() if k not in new_facts],
        new_conflicts=[c for c in appeared if (c["kind"], c["slot"]) not in updated_slots],
        resolved_conflicts=[
            c
            for k, c in old_conf.items()
            if k not in new_conf and (k[0], k[1]) not in updated_slots
        ],
        updated_values=updated,
        new_details=[d for d in new["details"] if _cited_key(d) not in old_details],
    )


def changes_since(
    store: Store,
    story_id: str,
    since: datetime,
    *,
    models: Models,
    settings: Settings,
    by_publication: bool = False,
    timer: StageTimes | None = None,
) -> BriefChanges:
    """What the story's brief gained or lost since ``since``.

    ``by_publication``: against the brief of the story's articles published at or before
    ``since`` (undated articles count as published before), so an archive ingested today
    still has a past. Otherwise against the latest snapshot made at or before ``since``: what
    a reader who looked then saw."""
    current = story_brief(store, story_id, models=models, settings=settings, timer=timer)
    now = current.generated or datetime.now(UTC)
    if by_publication:
        story = store.get_story(story_id)
        assert story is not None  # story_brief raised otherwise
        articles = store.get_articles(list(story.articles))
        when = since if since.tzinfo else since.replace(tzinfo=UTC)
        before = [
            a
            for a in articles
            if a.published is None
            or (a.published if a.published.tzinfo else a.published.replace(tzinfo=UTC)) <= when
        ]
        old = None
        if before:
            old = brief_to_json(
                build_brief(
                    before,
                    models=models,
                    settings=settings,
                    cache=StoreAnalysisCache(store, settings),
                    links={a.id: store.copy_of(a.id) for a in before},
                )
            )
        diff = diff_briefs(story_id, old, since if before else None, brief_to_json(current), now)
        return replace(diff, basis="published", before_articles=len(before))
    snap = store.brief_at(story_id, since)
    return diff_briefs(
        story_id,
        json.loads(snap.brief_json) if snap else None,
        snap.at if snap else None,
        brief_to_json(current),
        now,
    )


class BriefWorker:
    """One background thread that keeps stored briefs current, so readers never wait for a
    build: stories a reader asked for first, then stories an ingest touched, then (after
    :meth:`scan`) every story whose brief is stale, newest first. Builds take ``build_lock``
    (the models are driven by one thread at a time); ``on_built`` hears of each new brief.

    The thread opens its own store (a store is not shared between threads) and closes it on
    :meth:`stop`. A story whose build failed is not retried until it changes (or the process
    restarts): the failure is logged."""

    #: Stale stories queued by one scan; a larger backlog is picked up by the next scan.
    SCAN_LIMIT = 1000

    def __init__(
        self,
        settings: Settings,
        models: Models,
        *,
        build_lock: AbstractContextManager[Any],
        on_built: Callable[[Story, Brief, StoredBrief], None] | None = None,
    ) -> None:
        self.settings = settings
        self.models = models
        self.build_lock = build_lock
        self.on_built = on_built
        self._queue: OrderedDict[str, None] = OrderedDict()
        self._cond = threading.Condition()
        self._scan = False
        self._stopping = False
        self._busy: str | None = None
        self._failed: dict[str, str] = {}  # story id -> articles key that failed
        self._thread: threading.Thread | None = None

    def _ensure_thread(self) -> None:
        if self._thread is None and not self._stopping:
            self._thread = threading.Thread(target=self._run, name="newsprism-briefs", daemon=True)
            self._thread.start()

    def request(self, story_id: str) -> None:
        """A reader is waiting for this story: build it next."""
        with self._cond:
            self._queue[story_id] = None
            self._queue.move_to_end(story_id, last=False)
            self._ensure_thread()
            self._cond.notify()

    def touched(self, story_ids: Iterable[str]) -> None:
        """Stories an ingest changed: build them after those readers asked for."""
        with self._cond:
            for sid in story_ids:
                self._queue.setdefault(sid, None)
            self._ensure_thread()
            self._cond.notify()

    def scan(self) -> None:
        """Look for every story with a missing or stale brief once the queue is empty."""
        with self._cond:
            self._scan = True
            self._ensure_thread()
            self._cond.notify()

    def pending(self, story_id: str) -> bool:
        with self._cond:
            return story_id in self._queue or self._busy == story_id

    def idle(self) -> bool:
        with self._cond:
            return not self._queue and self._busy is None and not self._scan

    def stop(self, timeout: float | None = None) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout)

    def _next(self) -> str | None:
        with self._cond:
            while not self._stopping and not self._queue and not self._scan:
                self._cond.wait()
            if self._stopping:
                return None
            if self._queue:
                self._busy, _ = self._queue.popitem(last=False)
                return self._busy
            self._scan = False
            self._busy = ""
            return ""  # scan

    def _run(self) -> None:
        from newsprism.store import open_store

        # Readers come first: on Linux a thread has its own nice value, so the builds yield the
        # CPU to the request threads (they still share the GIL, which switches every 5 ms).
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        store = open_store(self.settings.db, self.settings)
        try:
            while (story_id := self._next()) is not None:
                try:
                    if story_id:
                        self._build(store, story_id)
                    else:
                        self._queue_stale(store)
                except Exception:  # a worker thread must outlive one bad story
                    log.exception("brief of story %s failed", story_id)
                finally:
                    with self._cond:
                        self._busy = None
        finally:
            store.close()

    def _queue_stale(self, store: Store) -> None:
        found = []
        for st in stale_stories(store, self.settings):
            if self._failed.get(st.id) != articles_key(st):
                found.append(st.id)
            if len(found) >= self.SCAN_LIMIT:
                break
        with self._cond:
            for sid in found:
                self._queue.setdefault(sid, None)
            self._scan = self._scan or len(found) >= self.SCAN_LIMIT

    def _build(self, store: Store, story_id: str) -> None:
        story = store.get_story(story_id)
        if story is None or current_brief(store, story, self.settings) is not None:
            return
        if self._failed.get(story_id) == articles_key(story):
            return
        try:
            with self.build_lock:
                brief, stored = build_stored_brief(
                    store, story_id, models=self.models, settings=self.settings
                )
        except Exception:
            self._failed[story_id] = articles_key(story)
            raise
        if self.on_built is not None:
            self.on_built(story, brief, stored)
