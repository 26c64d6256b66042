"""``newsprism watch``: poll feeds and pages, ingest, rebuild touched stories' briefs, alert.

A cycle:

1. **Ingest** every source of the watch list with the polite fetcher (robots.txt, per-host
   delay, deadlines: :mod:`newsprism.ingest.fetch`); a feed item whose page is stored already
   is not asked for again.
2. **Brief** every story that the story events since the last handled one touched (the
   position is kept in the store, ``watch:events``), and record alerts:

   * ``new-story``: a story that has two or more independent origins;
   * ``conflict``: a conflict in its brief;
   * ``update``: a value that changed as the story developed.

   Each alert has a key naming what it is about, and the store keeps one alert per key, ever.
   So a cycle stopped anywhere (the process killed) is simply done again on restart: briefs are
   rebuilt, the alerts already recorded are no-ops, none is lost (the event position moves on
   only after the cycle's alerts are recorded).
3. **Deliver**: the JSON Lines log is appended in the cycle (one line per alert, never twice:
   see :class:`LogSink`); the webhook is posted to by a thread of its own (:class:`Webhook`),
   with retries and backoff, so a slow or failing receiver never holds up ingest. Both keep
   their position in the store. ``newsprism serve`` serves the alerts as Atom feeds.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newsprism.config import Settings
from newsprism.errors import ConfigError
from newsprism.formats.human import headline, human_value, slot_label, why_flagged
from newsprism.model import Brief, Conflict, Story, StoryEventKind
from newsprism.nlp import Models
from newsprism.store.base import Alert, Store

log = logging.getLogger("newsprism.watch")

EVENTS_CURSOR = "watch:events"


def read_watch_list(path: Path) -> list[str]:
    """The sources of a watch list: one feed or page URL (or local path) a line; blank lines
    and lines starting with ``#`` are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read the watch list: {exc.strerror}", origin=str(path)) from exc
    sources = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if not sources:
        raise ConfigError("the watch list names no feed or page", origin=str(path))
    return sources


# ------------------------------------------------------------------------------------ alerts


def conflict_key(story_id: str, c: Conflict) -> str:
    """What a conflict alert is about: the story, the kind, what is disputed and the set of
    values, so the same disagreement alerts once however often the story is briefed again."""
    values = "|".join(sorted({s.normalised or s.value_text for s in c.sides}))
    kind = "update" if c.update else "conflict"
    return f"{kind}:{story_id}:{c.kind.value}:{' '.join(c.slot.lower().split())}:{values}"


def _conflict_alert(story: Story, brief: Brief, c: Conflict) -> tuple[str, str, dict[str, Any]]:
    by_id = {s.id: s for s in brief.sources}
    labels = [by_id[s.sentence.source].label for s in c.sides]
    sides = []
    for side in c.sides:
        src = by_id[side.sentence.source]
        sides.append(
            {
                "source": src.label,
                "outlet": src.outlet,
                "url": src.url,
                "published": src.published.isoformat() if src.published else None,
                "value": human_value(side),
                "value_text": side.value_text,
                "sentence": side.sentence_text,
            }
        )
    payload = {
        "conflict": c.id,
        "what": slot_label(c),
        "conflict_kind": c.kind.value,
        "update": c.update,
        "possible": c.possible,
        "confidence": c.confidence,
        "why": why_flagged(c, labels),
        "sides": sides,
    }
    return headline(c), why_flagged(c, labels), payload


def _story_payload(story: Story) -> dict[str, Any]:
    return {
        "story": story.id,
        "story_title": story.title,
        "outlets": list(story.outlets),
        "origins": story.origins,
        "articles": len(story.articles),
        "path": f"/stories/{story.id}",
    }


def alert_json(a: Alert) -> dict[str, Any]:
    """An alert as one JSON object: what the log holds and the webhook posts."""
    return {
        "seq": a.seq,
        "key": a.key,
        "kind": a.kind,
        "story": a.story_id,
        "at": a.at.isoformat(),
        "title": a.title,
        "summary": a.summary,
        **{k: v for k, v in a.payload.items() if k not in ("seq", "key", "kind", "at")},
    }


@dataclass(slots=True)
class CycleReport:
    ingested: int = 0
    failed: int = 0
    briefed: int = 0
    alerts: list[Alert] = field(default_factory=list)


def record_alerts(
    store: Store,
    settings: Settings,
    models: Models,
    *,
    brief_of: Callable[[str], Brief] | None = None,
) -> tuple[int, list[Alert]]:
    """Brief the stories touched by story events after the ``watch:events`` position and
    record their alerts; then move the position on. Returns (stories briefed, new alerts)."""
    from newsprism.corpus.briefs import story_brief

    build = brief_of or (lambda sid: story_brief(store, sid, models=models, settings=settings))
    after = store.get_cursor(EVENTS_CURSOR)
    latest = store.latest_event_seq()
    if after is None:
        after = 0
    touched: list[str] = []
    gone: dict[str, str] = {}
    for e in store.story_events_after(after):
        if e.kind is StoryEventKind.MERGE and e.other:
            gone[e.other] = e.story
        if e.story not in touched:
            touched.append(e.story)
    new: list[Alert] = []
    briefed = 0
    now = datetime.now(UTC)
    for sid in dict.fromkeys(_resolve(s, gone) for s in touched):
        story = store.get_story(sid)
        if story is None or story.origins < 2:
            continue  # one origin cannot disagree with itself: no brief needed
        base = _story_payload(story)
        a = store.add_alert(
            f"new-story:{sid}",
            "new-story",
            sid,
            now,
            f"New story: {story.title}",
            f"{story.origins} independent origins: {', '.join(story.outlets)}",
            base,
        )
        if a is not None:
            new.append(a)
        brief = build(sid)
        briefed += 1
        for c in brief.conflicts:
            title, summary, payload = _conflict_alert(story, brief, c)
            a = store.add_alert(
                conflict_key(sid, c),
                "update" if c.update else "conflict",
                sid,
                now,
                f"{title} ({story.title})",
                summary,
                {**base, **payload},
            )
            if a is not None:
                new.append(a)
    store.set_cursor(EVENTS_CURSOR, latest)
    return briefed, new


def _resolve(story_id: str, gone: dict[str, str]) -> str:
    seen = set()
    while story_id in gone and story_id not in seen:
        seen.add(story_id)
        story_id = gone[story_id]
    return story_id


# ---------------------------------------------------------------------------------- delivery


class LogSink:
    """Alerts appended to a JSON Lines file, each once. The store keeps the last seq written;
    a process killed between the write and that record would write the line again, so the
    file's own last line is read at start and wins when it is further on."""

    def __init__(self, store: Store, path: Path) -> None:
        self.store = store
        self.path = path
        self.cursor = f"log:{path.resolve()}"

    def _last_in_file(self) -> int:
        try:
            with self.path.open("rb") as fh:
                fh.seek(0, os.SEEK_END)
                size = fh.tell()
                fh.seek(max(0, size - 65536))
                tail = fh.read().splitlines()
        except FileNotFoundError:
            return 0
        for line in reversed(tail):
            try:
                return int(json.loads(line)["seq"])
            except (ValueError, KeyError, TypeError):
                continue
        return 0

    def deliver(self) -> int:
        done = max(self.store.get_cursor(self.cursor) or 0, self._last_in_file())
        written = 0
        while True:
            batch = self.store.alerts(after=done, limit=500)
            if not batch:
                break
            with self.path.open("a", encoding="utf-8") as fh:
                for a in batch:
                    fh.write(json.dumps(alert_json(a), ensure_ascii=False) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            done = batch[-1].seq
            written += len(batch)
            self.store.set_cursor(self.cursor, done)
        return written


def signature(secret: str, body: bytes) -> str:
    """The ``X-Newsprism-Signature`` of a webhook body: ``sha256=`` and the hex HMAC-SHA256 of
    the raw body under the shared secret (check it with a constant-time compare)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Webhook:
    """Posts each alert, in order, to a URL from a thread of its own, with its own store
    connection. A failed post (a network error or a status that is not 2xx) is tried again
    after ``backoff_s``, doubling, up to ``retries`` times; then the alert is given up (named in
    the log) and the next one is sent. The position is kept in the store, so a restart goes on
    from the first alert not delivered."""

    def __init__(
        self,
        settings: Settings,
        url: str,
        secret: str | None,
        *,
        retries: int = 5,
        backoff_s: float = 1.0,
        timeout_s: float = 10.0,
    ) -> None:
        self.settings = settings
        self.url = url
        self.secret = secret
        self.retries = retries
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s
        self.cursor = f"webhook:{url}"
        self.given_up: list[int] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="newsprism-webhook", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """New alerts may be waiting."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Deliver what is waiting (for up to ``timeout`` seconds), then stop; what is not
        delivered by then is sent after the next start."""
        self._draining = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._stop.set()
            self._thread.join(timeout)

    _draining = False

    def _run(self) -> None:
        import httpx

        from newsprism.store import open_store

        with (
            open_store(self.settings.db, self.settings) as store,
            httpx.Client(timeout=self.timeout_s, follow_redirects=False) as client,
        ):
            while not self._stop.is_set():
                self._wake.clear()
                self.deliver(store, client)
                if self._draining:
                    break
                self._wake.wait(30.0)

    def deliver(self, store: Store, client: Any) -> int:
        """Send every alert after the position; returns how many were delivered."""
        sent = 0
        done = store.get_cursor(self.cursor) or 0
        while not self._stop.is_set():
            batch = store.alerts(after=done, limit=100)
            if not batch:
                break
            for a in batch:
                if self._post(client, a):
                    sent += 1
                elif self._stop.is_set():
                    return sent  # not given up: tried again after a restart
                else:
                    self.given_up.append(a.seq)
                    log.error("webhook %s: alert %d given up after retries", self.url, a.seq)
                done = a.seq
                store.set_cursor(self.cursor, done)
        return sent

    def _post(self, client: Any, a: Alert) -> bool:
        body = json.dumps(alert_json(a), ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": self.settings.user_agent,
            # header values are ASCII: the key (which may quote an article) is %-encoded
            "X-Newsprism-Alert": quote(a.key, safe=""),
            "X-Newsprism-Seq": str(a.seq),
        }
        if self.secret:
            headers["X-Newsprism-Signature"] = signature(self.secret, body)
        delay = self.backoff_s
        for attempt in range(self.retries + 1):
            try:
                r = client.post(self.url, content=body, headers=headers)
                if 200 <= r.status_code < 300:
                    return True
                why = f"HTTP {r.status_code}"
            except Exception as exc:  # any transport failure is retried alike
                why = type(exc).__name__
            log.warning("webhook %s: alert %d attempt %d: %s", self.url, a.seq, attempt + 1, why)
            if attempt < self.retries and self._stop.wait(delay):
                return False
            delay *= 2
        return False


# --------------------------------------------------------------------------------------- loop


class Watcher:
    """The watch loop over one store (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        sources: Iterable[str],
        *,
        log_path: Path | None = None,
        webhook: Webhook | None = None,
        models: Models | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.sources = list(sources)
        self.models = models or Models(settings)
        self.sink = LogSink(store, log_path) if log_path is not None else None
        self.webhook = webhook
        if store.get_cursor(EVENTS_CURSOR) is None:
            # A first watch alerts on what happens from now on, not on the whole archive.
            with store.transaction():
                store.set_cursor(EVENTS_CURSOR, store.latest_event_seq())

    def _stored(self, url: str) -> bool:
        return bool(self.store.articles_by_url(url))

    def cycle(self) -> CycleReport:
        from newsprism.corpus.executors import SerialExecutor
        from newsprism.corpus.ingest import ingest

        report = CycleReport()
        stats = ingest(
            self.sources,
            self.store,
            self.settings,
            executor=SerialExecutor(self.settings),
            skip_item=self._stored,
        )
        report.ingested, report.failed = stats.new, stats.failed
        for message in stats.failures:
            log.warning("watch: %s", message)
        report.briefed, report.alerts = record_alerts(self.store, self.settings, self.models)
        if self.sink is not None:
            self.sink.deliver()
        if self.webhook is not None:
            self.webhook.poke()
        return report

    def run(
        self,
        every_s: float,
        *,
        cycles: int | None = None,
        stop: threading.Event | None = None,
        on_cycle: Callable[[CycleReport], None] | None = None,
    ) -> None:
        """Cycle every ``every_s`` seconds (from the start of one to the next), ``cycles``
        times or until ``stop`` is set."""
        stop = stop or threading.Event()
        n = 0
        while not stop.is_set():
            started = time.monotonic()
            report = self.cycle()
            n += 1
            if on_cycle is not None:
                on_cycle(report)
            if cycles is not None and n >= cycles:
                break
            stop.wait(max(0.0, every_s - (time.monotonic() - started)))
