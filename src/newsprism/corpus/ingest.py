"""``newsprism ingest``: read, clean, link wire copies, group into stories, store — resumably.

Flow for a run:

1. Sources are expanded into files, URLs and ``-``. A file already ingested with the same size and
   modification time is skipped (a restarted run resumes where it stopped).
2. Documents are cleaned and hashed (wire-copy signature, story sketch) by the executor (a
   process pool by default), in input order.
3. Cleaned articles are buffered and put in publication order (``ingest_sort_window`` at a time),
   because stories form in time order. A run of more single-document files than one window ends
   in windows that halve (see :func:`window_full`).
4. Each article is written with its copy link, story assignment and sketches; ``ingest_batch``
   articles share one transaction. A run killed at any point loses nothing committed, and the
   interrupted batch is redone when it is started again (adding a stored article is a no-op).

Wire-copy and story state lives in memory and is rebuilt from the stored sketches at start, for
the articles inside the clustering time window only: a restart costs what that window holds,
not what the corpus holds.

A resumed run stores what an uninterrupted one would have, stories included. Two things make it
so: the run's starting state and its story events are journaled (see :class:`CorpusState`), so
the resumed state is the interrupted one's, not a fresh restore; and a source skipped as done
counts into the sort windows with the articles it gave (kept with its done mark), so the resumed
run's windows hold the same articles as the interrupted run's, in the same order.
"""

from __future__ import annotations

import json
import os
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsprism.cluster import StoryClusterer
from newsprism.config import Settings
from newsprism.corpus.executors import Executor, SerialExecutor
from newsprism.corpus.stages import (
    ArticleStage,
    Prepared,
    ReadFile,
    StageInput,
    cluster_params,
    copy_params,
)
from newsprism.dedup import CopyDetector
from newsprism.dedup.minhash import Signature
from newsprism.ingest.fetch import Fetcher
from newsprism.ingest.names import display_name
from newsprism.ingest.readers import expand_sources, holds_one_document, read_source
from newsprism.model import Article, CopyKind, Rejection, StoryEventKind
from newsprism.store.base import AddStatus, IngestRun, SourceStatus, Store, StoryOrder

COPY_SKETCH = "copies"
STORY_SKETCH = "story"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(slots=True)
class IngestStats:
    sources: int = 0
    skipped_sources: int = 0
    read: int = 0
    new: int = 0
    revisions: int = 0
    duplicates: int = 0
    copies: int = 0
    stories_created: int = 0
    stories_joined: int = 0
    merges: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    #: Each rejected input, named: ``origin: reason: detail``.
    rejections: list[str] = field(default_factory=list)
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        rejected = sum(self.rejected.values())
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(self.rejected.items()))
        return (
            f"ingested {self.new} new articles ({self.revisions} revisions), "
            f"{self.duplicates} already stored, {self.copies} wire copies linked; "
            f"stories: {self.stories_created} new, {self.stories_joined} joined, {self.merges} merged; "
            f"rejected {rejected}"
            + (f" ({reasons})" if reasons else "")
            + f", failed {self.failed}"
            + (
                f"; {self.skipped_sources} sources skipped (already ingested)"
                if self.skipped_sources
                else ""
            )
        )


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def window_full(buffered: int, left: int | None, window: int) -> bool:
    """Whether the articles buffered so far are put in order and stored now.

    ``left`` is how many sources remain after the one just read, known when every source is a
    single-document file (else None). A window is full at ``window`` articles; in a run of more
    than one window, it is also full once it holds as many articles as there are sources left,
    but never fewer than a sixteenth of a window. So a run ends in windows of a half, a quarter,
    ... of a window instead of one whole window.

    Why: the driver can store a window only once every article of it is cleaned, so the last
    window is stored by the driver alone while the workers stand idle (2,000 articles: 2.4-3.2 s
    of one core, measured, in a 2-core run of 47 s). With halving windows the driver stores each while the
    workers clean the next, half as big, and what is left after the last article is cleaned is
    a sixteenth of a window. The cost: the last window's articles are put in order among
    fewer, a cut in the publication order like any window boundary, four more of them per run.
    It depends only on the input, so every executor stores the same.
    """
    if buffered >= window:
        return True
    return left is not None and buffered >= max(left, window // 16, 1)


def fingerprint(source: str) -> str | None:
    """A local file's identity for resuming: size and modification time. None for URLs and
    stdin, which are read again every time (a page may have changed: a new revision)."""
    if source == "-" or "://" in source:
        return None
    try:
        st = os.stat(source)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


class CorpusState:
    """The in-memory wire-copy index and story clusterer, rebuilt from the store.

    With ``journal`` (what ``newsprism ingest`` uses), the state is the one of an ingest run
    recorded in the store: a new run records the state it starts from (the articles it restored,
    with their stories), and a run started while an earlier one is unfinished (killed) takes
    that run's starting state and replays its story events in the order they were committed. So
    a resumed run holds what the interrupted one held when it stopped, to the bit (IDF, centroids,
    merges, the copy index), and decides as an uninterrupted run would have. Restoring from the
    stories alone would not: the IDF of a restored story differs from the one its articles were
    weighed with, and a story may have been merged since.
    """

    def __init__(self, store: Store, settings: Settings, *, journal: bool = False) -> None:
        self.store = store
        self.settings = settings
        self._stage: ArticleStage | None = None
        self.detector = CopyDetector(copy_params(settings))
        self.params = cluster_params(settings)
        self.clusterer = StoryClusterer(self.params)
        self.run: IngestRun | None = None
        self._restore(journal)

    def finish(self) -> None:
        """The run ended: the next one starts afresh from the store."""
        if self.run is not None:
            with self.store.transaction():
                self.store.finish_ingest_run(self.run.id)
            self.run = None

    def _window_members(self) -> list[tuple[str, str]]:
        """The stories still open for new articles: every story whose last article is within
        two clustering windows of the newest one, with all its members (a story is restored
        whole, whatever its members' dates), as (article id, story id)."""
        newest = self.store.list_stories(limit=1, order=StoryOrder.NEWEST)
        latest = _aware(newest[0].last_published) if newest else None
        since = None if latest is None else latest - timedelta(days=self.params.window_days * 2)
        members: list[tuple[str, str]] = []
        offset = 0
        while True:
            page = self.store.list_stories(since=since, limit=500, offset=offset)
            members += [(aid, st.id) for st in page for aid in st.articles]
            if len(page) < 500:
                break
            offset += 500
        return members

    def _restore(self, journal: bool) -> None:
        """Rebuild from the stories open for new articles and the copy index for the same
        span (see the class docstring for ``journal``)."""
        run = self.store.open_ingest_run() if journal else None
        if run is not None:
            members = [(a, s) for a, s in json.loads(zlib.decompress(run.base))]
        else:
            members = self._window_members()
            if journal:
                base = zlib.compress(json.dumps(members, separators=(",", ":")).encode(), 6)
                with self.store.transaction():
                    run = self.store.start_ingest_run(base)
        story_of = dict(members)
        ids = [aid for aid, _ in members]
        rows = [
            (row.article_id, story_of[row.article_id], row.published, row.payload)
            for row in self.store.get_sketches(STORY_SKETCH, ids)
        ]
        self.clusterer = StoryClusterer.restore(rows, self.params)
        for row in self.store.get_sketches(COPY_SKETCH, ids):
            self.detector.load(
                row.article_id, row.published, row.payload, self.store.copy_of(row.article_id)
            )
        if run is not None:
            self._replay(run.events_after)
        self.run = run

    def _replay(self, after: int) -> None:
        """Add what the run committed so far, in commit order, to the stories it went to."""
        events = self.store.story_events_after(after)
        added = [
            e.article
            for e in events
            if e.article and e.kind in (StoryEventKind.CREATE, StoryEventKind.JOIN)
        ]
        if not added:
            return
        story = {r.article_id: r for r in self.store.get_sketches(STORY_SKETCH, added)}
        copies = {r.article_id: r for r in self.store.get_sketches(COPY_SKETCH, added)}
        for e in events:
            if e.kind is StoryEventKind.MERGE and e.other:
                self.clusterer.replay_merge(e.story, e.other)
                continue
            if not e.article or e.kind not in (StoryEventKind.CREATE, StoryEventKind.JOIN):
                continue
            row = story.get(e.article)
            if row is None:  # deleted since
                continue
            self.clusterer.replay(e.article, e.story, row.published, row.payload)
            cp = copies.get(e.article)
            if cp is not None:
                self.detector.load(
                    cp.article_id, cp.published, cp.payload, self.store.copy_of(cp.article_id)
                )

    def _load_stored_matches(self, article_id: str, keys: list[int]) -> None:
        """Bring into memory the stored articles that share a document band key with the new
        one but were not restored (older than the window a run restores): a reprint of any
        stored article is linked, whatever the store's size. The match itself is verified in
        memory, on the signatures, as for any candidate."""
        if not keys:
            return
        missing = [
            aid
            for aid in self.store.copy_key_matches(keys)
            if aid != article_id and aid not in self.detector
        ]
        for row in self.store.get_sketches(COPY_SKETCH, missing):
            self.detector.load(
                row.article_id, row.published, row.payload, self.store.copy_of(row.article_id)
            )

    def add(self, item: Article | Prepared, stats: IngestStats) -> None:
        """Link, cluster and store one article (inside the caller's transaction). A ``Prepared``
        article comes encoded, with its sketches, from where it was cleaned."""
        if isinstance(item, Article):
            if self._stage is None:
                self._stage = ArticleStage(self.settings)
            item = self._stage.prepare(item)
        row, copy_sketch, sketch = item
        result = self.store.add_article_row(row)
        if result.status is AddStatus.DUPLICATE:
            stats.duplicates += 1
            return
        if result.status is AddStatus.REVISION:
            stats.revisions += 1
        stats.new += 1
        aid, published = row.id, row.published
        sig = Signature.from_bytes(
            copy_sketch, self.detector.hasher, article=aid, published=published
        )
        keys = self.detector.doc_keys(sig)
        self._load_stored_matches(aid, keys)
        link = self.detector.add_signature(sig)
        self.store.put_sketch(aid, COPY_SKETCH, copy_sketch)
        if link is not None:
            self.store.add_copy(link)
            stats.copies += 1
        if keys and (link is None or link.kind is not CopyKind.FULL):
            # A full copy is left out as it is of the index in memory: its original stands
            # for it.
            self.store.put_copy_keys(aid, keys)
        self.store.put_sketch(aid, STORY_SKETCH, sketch)
        assignment = self.clusterer.add_sketch(aid, published, sketch)
        sid = self.clusterer.story_of(aid) or assignment.story_id
        merges = [e for e in assignment.events if e.kind is StoryEventKind.MERGE and e.other]
        size = self.clusterer.size(sid)
        if assignment.created or merges or size & (size - 1) == 0:
            # A new story, a merge, or a story that doubled in size: (re)write it whole, with
            # the title of its most representative member. In between, a join is one row: a
            # story of n articles costs O(log n) full rewrites, not n.
            story = self.clusterer.story(sid)
            members = list(story.articles)
            for event in merges:
                stats.merges += 1
                # Every stored member of the merged story moves to the survivor (the clusterer
                # may hold only the recent ones); the store keeps the event.
                gone = self.store.get_story(event.other or "")
                if gone is not None:
                    members += [a for a in gone.articles if a not in members]
            self.store.save_story(replace(story, articles=tuple(members)))
            for event in merges:
                self.store.delete_story(event.other or "")
        else:
            # The store derives dates, outlets and origin counts from the members at commit.
            self.store.assign(aid, sid)
        for event in assignment.events:
            self.store.add_story_event(event)
        if assignment.created:
            stats.stories_created += 1
        else:
            stats.stories_joined += 1


def ingest(
    sources: Iterable[str],
    store: Store,
    settings: Settings,
    *,
    executor: Executor | None = None,
    on_progress: Callable[[IngestStats], None] | None = None,
    skip_item: Callable[[str], bool] | None = None,
) -> IngestStats:
    """``skip_item``: feed items whose link it accepts are not fetched. It is called from
    where the executor reads its input (the calling thread for the serial executor)."""
    stats = IngestStats()
    state = CorpusState(store, settings, journal=True)
    executor = executor or SerialExecutor(settings)
    # Sources are expanded and checked against the store before any is read: the executor may
    # consume its input in a thread of its own, which must not touch the store.
    expanded = list(expand_sources(sources, settings))
    todo: list[tuple[int, str]] = []  # (place among all sources, source)
    fingerprints: dict[str, str] = {}
    # Sources done already, by place: the articles each gave. A resumed run counts them into
    # its sort windows as if read again (they would all be already stored), so that its windows
    # are cut where the interrupted run cut them, and hold the same articles in the same order.
    skipped: dict[int, int] = {}
    for place, source in enumerate(expanded):
        stats.sources += 1
        fp = fingerprint(source)
        if fp is not None:
            record = store.source_record(display_name(source), fp)
            if record is not None and record.status is SourceStatus.DONE:
                stats.skipped_sources += 1
                skipped[place] = record.articles
                continue
            fingerprints[source] = fp
        todo.append((place, source))
    # What the feeder thread tells this one, in item order: the item's source, whether it is that
    # source's last item (so the source can be marked done once its articles are committed), and
    # the source's place among all sources.
    tags: deque[tuple[str, bool, int]] = deque()
    # Sources left after each one, for the last windows (see window_full): known when every
    # source is one document. Counted in sources, not items read, so that a file one executor's
    # reader finds empty and another's reports as a failure still gives every executor the
    # same windows.
    total = len(expanded)
    countable = total > settings.ingest_sort_window and all(
        holds_one_document(s, settings) for s in expanded
    )
    empty: deque[str] = deque()

    by_path = executor.reads_files

    def items() -> Iterator[StageInput]:
        with Fetcher(settings) as fetcher:
            for position, source in todo:
                if by_path and holds_one_document(source, settings):
                    # Read by the worker that cleans it: the driver's time is what bounds the
                    # run, and reading and shipping a document's bytes was a sixth of it.
                    tags.append((source, True, position))
                    yield ReadFile(source)
                    continue
                pending: StageInput | None = None
                for item in read_source(source, settings, fetcher, skip_item=skip_item):
                    if pending is not None:
                        tags.append((source, False, position))
                        yield pending
                    pending = item
                if pending is None:
                    empty.append(source)
                else:
                    tags.append((source, True, position))
                    yield pending

    remaining: Counter[str] = Counter()
    finished_reading: set[str] = set()

    buffer: list[tuple[str, Prepared]] = []
    virtual = 0  # articles of skipped (done) sources counted into the current window
    prepared: Counter[str] = Counter()  # articles each source gave, for mark_source
    pending_skips = deque(sorted(skipped))
    # Sources this run marked done: the check after the last batch need not ask the store again
    # about each of them (one query per file, in the driver's tail, after the workers are idle).
    marked: set[str] = set()

    def settle(source: str) -> None:
        remaining[source] -= 1
        if remaining[source] == 0 and source in finished_reading and source in fingerprints:
            store.mark_source(
                display_name(source),
                fingerprints[source],
                SourceStatus.DONE,
                "",
                articles=prepared[source],
            )
            marked.add(source)

    def left_after(place: int) -> int | None:
        return total - 1 - place if countable else None

    def flush(force: bool, left: int | None = None) -> None:
        nonlocal virtual
        if not buffer and not virtual:
            return
        if not force and not window_full(len(buffer) + virtual, left, settings.ingest_sort_window):
            return
        virtual = 0
        buffer.sort(key=lambda x: (_aware(x[1].row.published) or _EPOCH, x[1].row.id))
        batch = buffer[:]
        buffer.clear()
        for start in range(0, len(batch), settings.ingest_batch):
            with store.transaction():
                for source, article in batch[start : start + settings.ingest_batch]:
                    state.add(article, stats)
                    settle(source)
            if on_progress is not None:
                on_progress(stats)

    def count_skipped(before: int) -> None:
        """The done sources placed before ``before``, counted in as the interrupted (or an
        earlier) run read them: one window check per article, as for an article read."""
        nonlocal virtual
        while pending_skips and pending_skips[0] < before:
            place = pending_skips.popleft()
            for _ in range(skipped[place]):
                virtual += 1
                flush(force=False, left=left_after(place))

    for outcome in executor.clean(items()):
        source, last, position = tags.popleft()
        count_skipped(position)
        remaining[source] += 1
        if last:
            finished_reading.add(source)
        stats.read += 1
        if isinstance(outcome, Prepared):
            buffer.append((source, outcome))
            prepared[source] += 1
            flush(force=False, left=left_after(position))
            continue
        with store.transaction():
            if isinstance(outcome, Rejection):
                stats.rejected[outcome.reason] += 1
                stats.rejections.append(
                    f"{outcome.origin}: {outcome.reason}"
                    + (f": {outcome.detail}" if outcome.detail else "")
                )
                store.record_rejection(outcome.origin, outcome.reason, outcome.detail)
            else:
                stats.failed += 1
                stats.failures.append(outcome.message)
                if source in fingerprints and outcome.origin == display_name(source):
                    # The whole file failed: it will be tried again on the next run (so it
                    # must not be settled as done below).
                    store.mark_source(
                        outcome.origin, fingerprints[source], SourceStatus.FAILED, outcome.message
                    )
                    fingerprints.pop(source)
            settle(source)
        if on_progress is not None:
            on_progress(stats)
    count_skipped(total)
    flush(force=True)
    # Sources whose every item was a rejection or failure, or that held nothing.
    finished_reading.update(empty)
    with store.transaction():
        for source in finished_reading:
            if (
                remaining[source] <= 0
                and source in fingerprints
                and source not in marked
                and store.source_status(display_name(source), fingerprints[source]) is None
            ):
                store.mark_source(
                    display_name(source),
                    fingerprints[source],
                    SourceStatus.DONE,
                    "",
                    articles=prepared[source],
                )
    state.finish()
    return stats


def db_location(value: str) -> str:
    """A store location for messages and defaults: URLs as given, paths made absolute."""
    return value if "://" in value else str(Path(value).expanduser())
