"""A TCP server on loopback that answers each path with a function writing to the socket as
slowly, or as wrongly, as it likes: for the tests of the fetch policy (tests/ingest) and of the
web app's fetching limits (tests/web)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable

PAGE = (
    b"<html><head><title>Harbor ferry</title></head><body><article><p>"
    + b"The harbor ferry resumed service on Monday after a two-day strike. " * 8
    + b"</p></article></body></html>"
)


Handler = Callable[[socket.socket, str], None]


class RawServer:
    """A TCP server on ``host`` whose answer to each path is a function writing to the socket
    as slowly (or as wrongly) as it likes. Records every path asked for."""

    def __init__(self, routes: dict[str, Handler], host: str = "127.0.0.1") -> None:
        self.routes = routes
        self.paths: list[str] = []
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.base = f"http://{host}:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str) -> str:
        return self.base + path

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(4096)
                if not data:
                    return
                head += data
            path = head.split(b" ", 2)[1].decode()
            self.paths.append(path)
            handler = self.routes.get(path, not_found)
            handler(conn, path)

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def not_found(conn: socket.socket, _: str) -> None:
    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def page(conn: socket.socket, _: str) -> None:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
        + f"Content-Length: {len(PAGE)}\r\n\r\n".encode()
        + PAGE
    )


def drip_headers(conn: socket.socket, _: str) -> None:
    # A header line every 0.1 s, for ever: each read returns well within the read timeout.
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for i in range(10_000):
        conn.sendall(f"X-Slow-{i}: y\r\n".encode())
        time.sleep(0.1)


def drip_body(conn: socket.socket, _: str) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(100_000):
        conn.sendall(b"x")
        time.sleep(0.05)


def slow_503(conn: socket.socket, _: str) -> None:
    time.sleep(0.7)
    conn.sendall(b"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
