"""`newsprism watch` end to end, on loopback only: a local server publishes a feed and pages of
the sample's reports of the Carverton derailment, a local receiver takes the webhook's POSTs.

Across cycles and a restart, each alert (new story, conflict, update) is recorded once, written
to the log once and delivered to the webhook once, signed; a receiver that fails first gets the
alert on a retry."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from newsprism.cli import sample_dir
from newsprism.config import Settings, load_settings
from newsprism.corpus.watch import Watcher, Webhook, read_watch_list, signature
from newsprism.store import open_store

SECRET = "s3cret-webhook-key-for-tests"


class Site:
    """What the local news site serves: path -> (content type, body). Changed by the test."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.asked: list[str] = []


class Receiver:
    def __init__(self, fail_first: int) -> None:
        self.fail_first = fail_first
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.lock = threading.Lock()


def _serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Site, str]]:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.asked.append(self.path)
            if self.path not in state.pages:
                self.send_error(404)
                return
            kind, body = state.pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd, base = _serve(Handler)
    yield state, base
    httpd.shutdown()


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver(fail_first=1)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                failing = state.fail_first > 0
                state.fail_first -= 1
                if not failing:
                    state.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(500 if failing else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    httpd, base = _serve(Handler)
    yield state, base + "/hook"
    httpd.shutdown()


def _feed(base: str, items: list[tuple[str, str, datetime]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        f"<guid>{base}{path}</guid><pubDate>{format_datetime(when)}</pubDate></item>"
        for path, title, when in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local news</title>'
        f"<link>{base}/</link><description>test</description>{entries}</channel></rss>"
    ).encode()


def _settings(tmp_path: Path) -> Settings:
    return load_settings(
        db=str(tmp_path / "watch.db"),
        fetch_allow_private=True,  # the site is on loopback
        per_host_delay_s=0.0,
        webhook_secret=SECRET,
        webhook_retries=3,
        webhook_backoff_s=0.05,
    )


def _run_cycle(settings: Settings, sources: list[str], log: Path, hook_url: str) -> list[Any]:
    """One watch process: open the store, one cycle, deliver, stop (as a restart would)."""
    hook = Webhook(settings, hook_url, settings.webhook_secret, retries=3, backoff_s=0.05)
    with open_store(settings.db, settings) as store:
        watcher = Watcher(store, settings, sources, log_path=log, webhook=hook)
        hook.start()
        report = watcher.cycle()
        hook.stop(timeout=20)
    return report.alerts


def test_watch_alerts_once_each_across_a_restart(
    tmp_path: Path, site: tuple[Site, str], receiver: tuple[Receiver, str]
) -> None:
    state, base = site
    rec, hook_url = receiver
    sample = sample_dir()
    text = "text/plain; charset=utf-8"
    state.pages["/lakeshore.txt"] = (text, (sample / "lakeshore-wire.txt").read_bytes())
    state.pages["/ovpr.txt"] = (text, (sample / "ovpr.txt").read_bytes())
    first = datetime.fromisoformat("2026-11-18T06:05:00-05:00")
    later = datetime.fromisoformat("2026-11-18T18:12:00-05:00")
    state.pages["/feed.xml"] = (
        "application/rss+xml",
        _feed(base, [("/lakeshore.txt", "Freight train derails near Carverton", first)]),
    )
    watch_list = tmp_path / "watch.txt"
    watch_list.write_text(f"# the local site\n{base}/feed.xml\n\n", encoding="utf-8")
    sources = read_watch_list(watch_list)
    settings = _settings(tmp_path)
    log = tmp_path / "alerts.jsonl"
    with open_store(settings.db, settings):
        pass  # an empty store, as `newsprism watch` makes on first start

    # 1. One report: a story of one origin, nothing to alert.
    assert _run_cycle(settings, sources, log, hook_url) == []
    # 2. The radio's later report joins: a story of two origins, with what they disagree on.
    state.pages["/feed.xml"] = (
        "application/rss+xml",
        _feed(
            base,
            [
                ("/lakeshore.txt", "Freight train derails near Carverton", first),
                ("/ovpr.txt", "Carverton derailment: evacuation widened", later),
            ],
        ),
    )
    second = _run_cycle(settings, sources, log, hook_url)
    kinds = [a.kind for a in second]
    assert kinds.count("new-story") == 1
    assert "update" in kinds  # 1,200 then 1,500 residents left their homes
    # 3. A restart with nothing new: no alert again, and the stored page is not asked again.
    asked = len(state.asked)
    assert _run_cycle(settings, sources, log, hook_url) == []
    assert state.asked[asked:] == ["/robots.txt", "/feed.xml"] or state.asked[asked:] == [
        "/feed.xml"
    ]
    # 4. The Ledger's page, watched directly: new conflicts (23 or 25 cars; Whitfield or
    # Whitman), alerted once; what was alerted before is not alerted again.
    state.pages["/ledger.html"] = (
        "text/html; charset=utf-8",
        (sample / "carverton-ledger.html").read_bytes(),
    )
    watch_list.write_text(f"{base}/feed.xml\n{base}/ledger.html\n", encoding="utf-8")
    fourth = _run_cycle(settings, read_watch_list(watch_list), log, hook_url)
    assert any(a.kind == "conflict" for a in fourth)
    assert not {a.key for a in fourth} & {a.key for a in second}

    with open_store(settings.db, settings) as store:
        stored = store.alerts(limit=1000)
    keys = [a.key for a in stored]
    assert len(keys) == len(set(keys)) == len(second) + len(fourth)
    # The log holds every alert once, in order.
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [x["seq"] for x in lines] == [a.seq for a in stored]
    assert {x["kind"] for x in lines} >= {"new-story", "update", "conflict"}
    assert all(x["title"] and x["summary"] for x in lines)
    # The webhook got each alert once (the first POST failed and was retried), signed.
    seqs = [int(h["x-newsprism-seq"]) for h, _ in rec.posts]
    assert seqs == [a.seq for a in stored]
    for headers, body in rec.posts:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["x-newsprism-signature"], expected)
        assert headers["x-newsprism-signature"] == signature(SECRET, body)
        assert json.loads(body)["key"] == unquote(headers["x-newsprism-alert"])


def test_the_log_is_not_written_twice_after_a_crash(tmp_path: Path) -> None:
    """A process killed after writing lines but before recording it had: the restart reads
    the file's last line and goes on after it."""
    from datetime import UTC

    from newsprism.corpus.watch import LogSink

    settings = load_settings(db=str(tmp_path / "w.db"))
    log = tmp_path / "alerts.jsonl"
    with open_store(settings.db, settings) as store:
        for i in range(3):
            store.add_alert(f"k{i}", "conflict", "s1", datetime.now(UTC), f"T{i}", "S", {})
        assert LogSink(store, log).deliver() == 3
        store.set_cursor(LogSink(store, log).cursor, 1)  # as if the record had not been kept
        store.add_alert("k3", "update", "s1", datetime.now(UTC), "T3", "S", {})
        assert LogSink(store, log).deliver() == 1
    seqs = [json.loads(line)["seq"] for line in log.read_text().splitlines()]
    assert seqs == sorted(set(seqs)) and len(seqs) == 4


def test_a_watch_list_without_sources_is_refused(tmp_path: Path) -> None:
    from newsprism.errors import ConfigError

    empty = tmp_path / "w.txt"
    empty.write_text("# nothing yet\n\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="names no feed"):
        read_watch_list(empty)
    with pytest.raises(ConfigError, match="cannot read"):
        read_watch_list(tmp_path / "missing.txt")
