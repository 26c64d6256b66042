"""A local HTTP server for the fetcher and feed tests: 127.0.0.1 on a random port, nothing else.

It serves tests/fixtures/web/ (``http://SERVER`` in a fixture becomes the server's base URL) and
a few endpoints that misbehave on purpose. Every request is logged with its arrival time.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parent.parent / "fixtures" / "web"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "text/xml",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
}


@dataclass
class Hit:
    path: str
    at: float
    user_agent: str


@dataclass
class WebServer:
    base: str
    robots: bytes | None = None  # None: serve the fixture robots.txt
    robots_status: int = 200
    hits: list[Hit] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def times(self, path: str) -> list[float]:
        with self.lock:
            return [h.at for h in self.hits if h.path == path]

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.counts.clear()


def _handler(server: WebServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with server.lock:
                server.hits.append(Hit(path, time.monotonic(), self.headers.get("User-Agent", "")))
                server.counts[path] += 1
                count = server.counts[path]
            if path == "/robots.txt" and (server.robots is not None or server.robots_status != 200):
                self._send(server.robots_status, server.robots or b"", "text/plain")
            elif path == "/slow":
                time.sleep(3)
                with contextlib.suppress(OSError):  # the client gave up long ago, as it should
                    self._send(200, b"<html><body><p>too late</p></body></html>")
            elif path == "/big":
                # No Content-Length: the client can only find out by reading.
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                try:
                    self.wfile.write(b"<html><body>")
                    for _ in range(100):
                        self.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>")
                except OSError:  # the client stopped reading at its cap, as it should
                    pass
            elif path == "/big-declared":
                self._send(200, b"<p>" + b"y" * 1_000_000 + b"</p>")
            elif path == "/always-503":
                self._send(503, b"down for maintenance")
            elif path == "/once-503":
                if count == 1:
                    self._send(503, b"down for a moment")
                else:
                    self._send(200, (WEB / "articles" / "bridge.html").read_bytes())
            elif path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/articles/council.html")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/loop":
                self.send_response(301)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/feed-as-text-xml":
                self._send(200, _fixture(server, WEB / "feed.rss"), "text/xml")
            else:
                file = (WEB / path.lstrip("/")).resolve()
                if WEB in file.parents and file.is_file():
                    self._send(200, _fixture(server, file), _TYPES.get(file.suffix, "text/plain"))
                else:
                    self._send(404, b"<html><body>not found</body></html>")

    return Handler


def _fixture(server: WebServer, file: Path) -> bytes:
    return file.read_bytes().replace(b"http://SERVER", server.base.encode())


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the environment must never carry a test's requests off this machine.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


def start_server(**options: object) -> tuple[WebServer, ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    server = WebServer(base=f"http://127.0.0.1:{httpd.server_address[1]}", **options)  # type: ignore[arg-type]
    httpd.RequestHandlerClass = _handler(server)
    threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server, httpd


@pytest.fixture(scope="module")
def _web_module() -> Iterator[WebServer]:
    server, httpd = start_server()
    yield server
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def web(_web_module: WebServer, no_proxy: None) -> WebServer:
    _web_module.reset()
    return _web_module
