"""The web app under an attacker's or an unlucky user's requests: who may make it fetch, what it
may fetch, how many fetches it holds at once, and the headers of every response."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from newsprism.cli import sample_dir
from newsprism.config import Settings
from newsprism.web import create_app
from newsprism.web.errors import TooManyRequests
from newsprism.web.service import WebService
from tests.rawserver import Handler, RawServer, drip_headers, not_found, page
from tests.web.conftest import WRITE_TOKEN, WebCase

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
TEXT = (sample_dir() / "ovpr.txt").read_text(encoding="utf-8")


@pytest.fixture
def raw() -> Iterator[Callable[..., RawServer]]:
    made: list[RawServer] = []

    def make(routes: dict[str, Handler], host: str = "127.0.0.1") -> RawServer:
        made.append(RawServer(routes, host))
        return made[-1]

    yield make
    for server in made:
        server.close()


def _settings(web_case: WebCase, **update: Any) -> Settings:
    base = {"per_host_delay_s": 0.0, "fetch_timeout_s": 2.0}
    return web_case.settings.model_copy(update={**base, **update})


def _compare(url: str) -> dict[str, Any]:
    return {"articles": [{"text": TEXT}, {"url": url}]}


# --------------------------------------------------------------------------- who may fetch


def test_compare_fetches_only_for_the_write_token(
    web_case: WebCase, raw: Callable[..., RawServer]
) -> None:
    server = raw({"/robots.txt": not_found, "/a.html": page})
    url = server.url("/a.html")
    with TestClient(create_app(_settings(web_case, fetch_allow_private=True))) as c:
        r = c.post("/api/compare", json=_compare(url))
        assert r.status_code == 401 and "api_token" in r.json()["error"]["message"]
        assert server.paths == []  # nothing was fetched for the anonymous visitor
        form = c.post("/compare", data={"article": [TEXT, url]})
        assert form.status_code == 401 and "paste the article" in form.text
        assert TEXT[:40] in form.text  # the form comes back with what was pasted
        assert server.paths == []
        r = c.post("/api/compare", json=_compare(url), headers=AUTH)
        # The page is fetched (then found too short to compare: it is a stub).
        assert "/a.html" in server.paths, r.text
    opened = _settings(web_case, fetch_allow_private=True, web_fetch_open=True)
    with TestClient(create_app(opened)) as c:
        server.paths.clear()
        c.post("/api/compare", json=_compare(url))
        assert "/a.html" in server.paths


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0", "2130706433", "[::1]", "localhost"])
def test_the_server_never_fetches_its_own_machine_by_default(
    web_case: WebCase, raw: Callable[..., RawServer], host: str
) -> None:
    server = raw({"/robots.txt": not_found, "/a.html": page})
    url = f"http://{host}:{server.base.rsplit(':', 1)[1]}/a.html"
    with TestClient(create_app(_settings(web_case, web_fetch_open=True))) as c:
        r = c.post("/api/compare", json=_compare(url))
        assert (r.status_code == 422 and "loopback" in r.json()["error"]["message"]) or (
            "unspecified" in r.json()["error"]["message"]
        )
        r = c.post("/api/articles", json={"articles": [{"url": url}]}, headers=AUTH)
        assert r.status_code == 422 and "refused to connect" in r.json()["error"]["message"]
    assert server.paths == []


def test_fetching_slots_per_client_and_in_all(web_case: WebCase) -> None:
    service = WebService(_settings(web_case, web_fetches_per_client=2, web_fetches_total=3))
    with service.fetch_slot("a"), service.fetch_slot("a"):
        with pytest.raises(TooManyRequests, match="web_fetches_per_client"):
            service.fetch_slot("a").__enter__()
        with service.fetch_slot("b"), pytest.raises(TooManyRequests, match="web_fetches_total"):
            service.fetch_slot("c").__enter__()
    # every slot was given back
    with service.fetch_slot("a"), service.fetch_slot("a"), service.fetch_slot("b"):
        pass


@pytest.fixture
def live(web_case: WebCase) -> Iterator[Callable[[Settings], str]]:
    """Serve an app with uvicorn on a random loopback port, as `newsprism serve` does."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(settings: Settings) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def test_slow_fetches_cannot_freeze_the_server(
    web_case: WebCase, raw: Callable[..., RawServer], live: Callable[[Settings], str]
) -> None:
    slow = raw({"/robots.txt": not_found, **{f"/s{i}": drip_headers for i in range(20)}})
    settings = _settings(
        web_case, fetch_allow_private=True, fetch_timeout_s=3.0, web_fetches_per_client=2
    )
    base = live(settings)
    answers: list[int] = []

    def post(i: int) -> None:
        r = httpx.post(
            base + "/api/compare", json=_compare(slow.url(f"/s{i}")), headers=AUTH, timeout=30
        )
        answers.append(r.status_code)

    # Many clients' worth of requests naming a slow URL, all at once, from one address.
    threads = [threading.Thread(target=post, args=(i,)) for i in range(12)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(0.5)
    r = httpx.get(base + "/api/stories", timeout=10)
    assert r.status_code == 200 and time.monotonic() - t0 < 3.0  # not the 3 s deadline + queue
    for t in threads:
        t.join()
    took = time.monotonic() - t0
    # Two fetched (and ran out of time), the others were turned away at once.
    assert sorted(answers) == [422, 422] + [429] * 10
    assert len([p for p in slow.paths if p != "/robots.txt"]) == 2
    assert took < 8.0


# --------------------------------------------------------------------------- headers


def _csp(r: httpx.Response) -> str:
    value: str = r.headers["content-security-policy"]
    assert "default-src 'none'" in value and "frame-ancestors 'none'" in value
    return value


def test_every_response_has_a_content_security_policy(
    client: TestClient, web_case: WebCase
) -> None:
    for path in ("/", "/nope", "/api/nope", "/api/stories", "/static/site.css", "/compare"):
        _csp(client.get(path))
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    policy = _csp(docs)
    assert "script-src 'self' 'sha256-" in policy and "https:" not in policy
    # /docs loads Swagger UI from this server only: it works with the network off
    assert "https://" not in docs.text.replace("https://github.com", "")
    for asset in re.findall(r'(?:src|href)="(/static/swagger/[^"]+)"', docs.text):
        assert client.get(asset).status_code == 200, asset
    assert "/static/swagger/swagger-ui-bundle.js" in docs.text
    # brief pages: the header carries the page's own policy (its inline style and script by hash)
    for path in (
        f"/stories/{web_case.derailment}",
        f"/api/stories/{web_case.derailment}/brief?format=html",
    ):
        r = client.get(path)
        meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', r.text)
        assert meta is not None
        policy = _csp(r)
        hashes = re.findall(r"'sha256-[^']+'", policy)
        assert len(hashes) == 2 and all(h.replace("'", "&#39;") in meta.group(1) for h in hashes)
    small = web_case.settings.model_copy(update={"max_request_bytes": 10})
    with TestClient(create_app(small)) as c:
        _csp(c.post("/api/compare", json=_compare("http://example.invalid/")))


def test_head_is_answered_wherever_get_is(client: TestClient, web_case: WebCase) -> None:
    for path in ("/", "/api/stories", f"/stories/{web_case.derailment}", "/static/site.css"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == 200 == get.status_code, path
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers["content-length"] == get.headers["content-length"]
        _csp(head)
    assert client.head("/api/compare").status_code == 405
    assert client.head("/api/stories/nope").status_code == 404


def test_an_oversized_field_is_a_clear_400(client: TestClient) -> None:
    body = "".join(f"<p>{p}</p>" for p in TEXT.split("\n\n"))
    html = f"<html><head><title>{'Z' * 70_000}</title></head><body><article>{body}</article>"
    r = client.post("/api/articles", json={"articles": [{"html": html}]}, headers=AUTH)
    assert r.status_code == 400, r.text
    assert "title is 70,000 characters" in r.json()["error"]["message"]
    r = client.post("/api/compare", json={"articles": [{"html": html}, {"text": TEXT}]})
    assert r.status_code == 400 and "max_field_chars" in r.json()["error"]["message"]


def test_an_app_shut_down_and_served_again_still_reads_its_store(web_case: WebCase) -> None:
    # A second server of the same app stopping (its shutdown closes the app's stores) must not
    # leave the first serving a closed store: what the browser tests' server did to the others.
    app = create_app(web_case.settings)
    with TestClient(app) as first:
        assert first.get("/api/stories").status_code == 200
        with TestClient(app) as second:
            assert second.get("/api/stories").status_code == 200
        assert first.get("/api/stories").status_code == 200
