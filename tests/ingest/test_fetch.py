"""The polite fetcher, against a local server on 127.0.0.1 (see conftest.py)."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from newsprism import __version__
from newsprism.config import Settings, load_settings
from newsprism.errors import BinaryInputError, FetchError, InputTooLargeError
from newsprism.ingest import iter_inputs
from newsprism.ingest.fetch import Fetcher, HostGate
from newsprism.model import Failure, RawDocument, SourceKind

from .conftest import WebServer, start_server


def fast(**overrides: object) -> Settings:
    base: dict[str, object] = {
        "per_host_delay_s": 0.0,
        "fetch_timeout_s": 2.0,  # generous: a loaded CI machine is slow; /slow sleeps 3 s
        "fetch_max_bytes": 200_000,
        # The test server is on loopback, which the fetch policy refuses unless told otherwise.
        "fetch_allow_private": True,
    }
    base.update(overrides)
    return load_settings(**base)


def one(url: str, settings: Settings) -> RawDocument | Failure:
    (result,) = list(iter_inputs([url], settings))
    return result


def test_article_page_is_read_with_an_honest_user_agent(web: WebServer) -> None:
    doc = one(web.url("/articles/council.html"), fast())
    assert isinstance(doc, RawDocument)
    assert doc.kind is SourceKind.HTML
    assert doc.origin == doc.url == web.url("/articles/council.html")
    assert "voted 5-2 on Tuesday night" in doc.content
    agents = {h.user_agent for h in web.hits}
    assert agents == {
        f"newsprism/{__version__} (+https://example.invalid/newsprism; news comparison research)"
    }


def test_plain_text_page_is_text(web: WebServer) -> None:
    doc = one(web.url("/notes.txt"), fast())
    assert isinstance(doc, RawDocument)
    assert doc.kind is SourceKind.TEXT


def test_robots_disallowed_url_is_a_failure_naming_it(web: WebServer) -> None:
    url = web.url("/private/secret.html")
    result = one(url, fast())
    assert isinstance(result, Failure)
    assert isinstance(result.error, FetchError)
    assert result.origin == url
    assert str(result.error).startswith(f"{url}: disallowed by ")
    assert "robots.txt" in str(result.error) and "[NP210]" in str(result.error)
    assert "/private/secret.html" not in [h.path for h in web.hits]


def test_robots_is_fetched_once_per_host(web: WebServer) -> None:
    urls = [
        web.url("/articles/council.html"),
        web.url("/articles/bridge.html"),
        web.url("/notes.txt"),
    ]
    results = list(iter_inputs(urls, fast()))
    assert all(isinstance(r, RawDocument) for r in results)
    assert web.counts["/robots.txt"] == 1


def test_robots_can_be_turned_off(web: WebServer) -> None:
    doc = one(web.url("/private/secret.html"), fast(respect_robots=False))
    assert isinstance(doc, RawDocument)
    assert web.counts["/robots.txt"] == 0


def test_requests_to_one_host_are_spaced_by_the_delay(web: WebServer) -> None:
    delay = 0.3
    urls = [web.url("/articles/council.html"), web.url("/articles/bridge.html")]
    results = list(iter_inputs(urls, fast(per_host_delay_s=delay)))
    assert all(isinstance(r, RawDocument) for r in results)
    arrivals = sorted(h.at for h in web.hits)  # robots.txt and both pages
    assert len(arrivals) == 3
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) >= delay - 0.02  # the server's clock read lands a hair after the client's


def test_host_gate_spaces_threads_and_leaves_other_hosts_alone() -> None:
    gate = HostGate(0.1)
    starts: list[float] = []
    lock = threading.Lock()

    def go() -> None:
        gate.wait("http://a")
        with lock:
            starts.append(time.monotonic())

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts.sort()
    # The gate grants four passes 0.1 s apart; a loaded machine may delay a thread between its
    # pass and its clock reading, so check the span, which such delays can shrink only a little.
    assert starts[-1] - starts[0] >= 0.25
    t0 = time.monotonic()
    gate.wait("http://b")
    assert time.monotonic() - t0 < 0.05


def test_crawl_delay_in_robots_raises_the_delay(no_proxy: None) -> None:
    server, httpd = start_server(robots=b"User-agent: *\nCrawl-delay: 1\n")
    try:
        urls = [server.url("/articles/council.html"), server.url("/articles/bridge.html")]
        results = list(iter_inputs(urls, fast()))
        assert all(isinstance(r, RawDocument) for r in results)
        pages = sorted(
            server.times("/articles/council.html") + server.times("/articles/bridge.html")
        )
        assert pages[1] - pages[0] >= 0.98
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_robots_server_error_keeps_us_off_the_site(no_proxy: None) -> None:
    server, httpd = start_server(robots_status=503)
    try:
        url = server.url("/articles/council.html")
        result = one(url, fast())
        assert isinstance(result, Failure)
        assert "robots.txt answered HTTP 503" in str(result.error)
        assert "/articles/council.html" not in [h.path for h in server.hits]
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_missing_robots_allows_everything(no_proxy: None) -> None:
    server, httpd = start_server(robots_status=404)
    try:
        assert isinstance(one(server.url("/private/secret.html"), fast()), RawDocument)
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_slow_response_times_out(web: WebServer) -> None:
    url = web.url("/slow")
    t0 = time.monotonic()
    result = one(url, fast(fetch_timeout_s=0.4))
    assert time.monotonic() - t0 < 2.0
    assert isinstance(result, Failure)
    assert isinstance(result.error, FetchError)
    assert str(result.error) == (
        f"{url}: no complete response within 0.4 s (fetch_timeout_s) [NP210]"
    )
    assert web.counts["/slow"] == 1  # a read timeout is not retried


def test_oversized_response_is_abandoned_while_streaming(web: WebServer) -> None:
    url = web.url("/big")
    result = one(url, fast(fetch_max_bytes=100_000))
    assert isinstance(result, Failure)
    assert isinstance(result.error, InputTooLargeError)
    assert str(result.error).startswith(f"{url}: response is over the 0.1 MB limit")


def test_oversized_declared_length_is_refused_before_reading(web: WebServer) -> None:
    url = web.url("/big-declared")
    result = one(url, fast(fetch_max_bytes=100_000))
    assert isinstance(result, Failure)
    assert isinstance(result.error, InputTooLargeError)
    assert "response is 1.0 MB, over the 0.1 MB limit" in str(result.error)


def test_http_error_names_the_url(web: WebServer) -> None:
    url = web.url("/articles/nope.html")
    result = one(url, fast())
    assert isinstance(result, Failure)
    assert str(result.error) == f"{url}: HTTP 404 Not Found [NP210]"


def test_binary_content_type_is_refused(web: WebServer) -> None:
    url = web.url("/image.png")
    result = one(url, fast())
    assert isinstance(result, Failure)
    assert isinstance(result.error, BinaryInputError)
    assert str(result.error) == f"{url}: content type image/png is not HTML, XML or text [NP202]"


def test_server_error_is_retried_once_only(web: WebServer) -> None:
    result = one(web.url("/always-503"), fast())
    assert isinstance(result, Failure)
    assert "HTTP 503" in str(result.error)
    assert web.counts["/always-503"] == 2


def test_one_retry_recovers_from_a_passing_server_error(web: WebServer) -> None:
    doc = one(web.url("/once-503"), fast())
    assert isinstance(doc, RawDocument)
    assert web.counts["/once-503"] == 2


def test_redirect_is_followed_and_the_final_url_kept(web: WebServer) -> None:
    url = web.url("/redirect")
    doc = one(url, fast())
    assert isinstance(doc, RawDocument)
    assert doc.origin == url
    assert doc.url == web.url("/articles/council.html")


def test_redirect_loop_stops(web: WebServer) -> None:
    result = one(web.url("/loop"), fast())
    assert isinstance(result, Failure)
    assert "more than 5 redirects" in str(result.error)
    assert web.counts["/loop"] == 6


@pytest.fixture
def closed_port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    yield port


def test_refused_connection_names_the_url(closed_port: int, no_proxy: None) -> None:
    url = f"http://127.0.0.1:{closed_port}/article.html"
    result = one(url, fast())
    assert isinstance(result, Failure)
    assert isinstance(result.error, FetchError)
    assert str(result.error).startswith(f"{url}: cannot connect")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://127.0.0.1/a.html", "unsupported URL scheme 'ftp'"),
        ("http:///nohost", "no host"),
    ],
)
def test_unusable_urls_are_failures(url: str, words: str) -> None:
    result = one(url, fast())
    assert isinstance(result, Failure)
    assert words in str(result.error)
    assert str(result.error).startswith(url)


def test_one_bad_url_does_not_stop_the_others(web: WebServer) -> None:
    urls = [
        web.url("/articles/council.html"),
        web.url("/articles/nope.html"),
        web.url("/private/secret.html"),
        web.url("/slow"),
        web.url("/image.png"),
        "ftp://127.0.0.1/x",
        web.url("/articles/bridge.html"),
    ]
    results = list(iter_inputs(urls, fast(fetch_timeout_s=1.5)))
    assert [r.origin for r in results] == urls
    assert [type(r).__name__ for r in results] == [
        "RawDocument",
        "Failure",
        "Failure",
        "Failure",
        "Failure",
        "Failure",
        "RawDocument",
    ]


def test_fetcher_is_shared_safely_between_threads(web: WebServer) -> None:
    urls = [web.url(p) for p in ("/articles/council.html", "/articles/bridge.html", "/notes.txt")]
    out: list[str] = []
    with Fetcher(fast(per_host_delay_s=0.05)) as fetcher:
        threads = [
            threading.Thread(target=lambda u=u: out.append(fetcher.fetch(u).final_url))
            for u in urls
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(out) == sorted(urls)
    assert web.counts["/robots.txt"] == 1
