"""The fetch policy: which addresses a fetch may reach, and how long a fetch may take.

Everything is on loopback: servers on 127.0.0.1 (and 127.0.0.2, which Linux routes to the same
interface) that answer well or misbehave on purpose. Nothing here leaves the machine: the default
policy refuses every address used, and the tests that connect open loopback explicitly.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

import pytest
from tests.rawserver import (
    PAGE,
    Handler,
    RawServer,
    drip_body,
    drip_headers,
    not_found,
    page,
    slow_503,
)

from newsprism.config import Settings, load_settings
from newsprism.errors import FetchError
from newsprism.ingest import iter_inputs
from newsprism.ingest.fetch import Fetcher
from newsprism.ingest.guard import AddressPolicy
from newsprism.model import Failure, RawDocument


def settings(**overrides: object) -> Settings:
    base: dict[str, object] = {"per_host_delay_s": 0.0, "fetch_timeout_s": 1.0}
    base.update(overrides)
    return load_settings(**base)


def one(url: str, s: Settings) -> RawDocument | Failure:
    (result,) = list(iter_inputs([url], s))
    return result


@pytest.fixture
def raw(no_proxy: None) -> Iterator[Callable[..., RawServer]]:
    made: list[RawServer] = []

    def make(routes: dict[str, Handler], host: str = "127.0.0.1") -> RawServer:
        server = RawServer(routes, host)
        made.append(server)
        return server

    yield make
    for server in made:
        server.close()


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("2130706433", "loopback"),  # 127.0.0.1 written as one number
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("localhost", "loopback"),  # a host name that resolves to loopback
    ],
)
def test_default_policy_refuses_local_and_private_addresses(
    raw: Callable[..., RawServer], host: str, kind: str
) -> None:
    # A server really listens on loopback, so a refusal is the policy's, not a dead port's.
    server = raw({"/robots.txt": not_found, "/a.html": page})
    port = server.base.rsplit(":", 1)[1]
    url = f"http://{host}:{port}/a.html"
    t0 = time.monotonic()
    result = one(url, settings())
    assert isinstance(result, Failure)
    assert isinstance(result.error, FetchError)
    assert f"{kind} address" in result.message and "fetch_allow_private" in result.message
    assert result.message.startswith(url)
    assert server.paths == []  # not even robots.txt was asked for
    assert time.monotonic() - t0 < 0.9


def test_opening_private_addresses_fetches_them(raw: Callable[..., RawServer]) -> None:
    server = raw({"/robots.txt": not_found, "/a.html": page})
    port = server.base.rsplit(":", 1)[1]
    for host in ("127.0.0.1", "2130706433", "localhost"):
        doc = one(f"http://{host}:{port}/a.html", settings(fetch_allow_private=True))
        assert isinstance(doc, RawDocument), doc
    assert server.paths.count("/a.html") == 3


def test_an_allowed_network_opens_only_itself(raw: Callable[..., RawServer]) -> None:
    server = raw({"/robots.txt": not_found, "/a.html": page})
    ok = one(server.url("/a.html"), settings(fetch_allow_networks=["127.0.0.1/32"]))
    assert isinstance(ok, RawDocument)
    port = server.base.rsplit(":", 1)[1]
    refused = one(
        f"http://127.0.0.2:{port}/a.html", settings(fetch_allow_networks=["127.0.0.1/32"])
    )
    assert isinstance(refused, Failure) and "loopback address" in refused.message


def test_a_redirect_to_loopback_is_refused_at_the_hop(raw: Callable[..., RawServer]) -> None:
    inner = raw({"/robots.txt": not_found, "/secret.html": page}, host="127.0.0.2")

    def redirect(conn: socket.socket, _: str) -> None:
        conn.sendall(
            b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\nConnection: close\r\n"
            + f"Location: {inner.url('/secret.html')}\r\n\r\n".encode()
        )

    outer = raw({"/robots.txt": not_found, "/go": redirect})
    # The outer server stands for a public site: its one address is opened, nothing else.
    result = one(outer.url("/go"), settings(fetch_allow_networks=["127.0.0.1/32"]))
    assert isinstance(result, Failure)
    assert "refused to connect to 127.0.0.2: a loopback address" in result.message
    assert outer.paths == ["/robots.txt", "/go"] and inner.paths == []
    # The same chain with loopback open does reach the inner server: the refusal above was the
    # policy's doing.
    doc = one(outer.url("/go"), settings(fetch_allow_private=True))
    assert isinstance(doc, RawDocument) and "/secret.html" in inner.paths


def test_the_checked_address_is_the_one_connected(
    raw: Callable[..., RawServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: a name that answers an allowed address to the check and a forbidden one
    to a second look-up. The connection is made to the checked address, without a second
    look-up of the name."""
    server = raw({"/robots.txt": not_found, "/a.html": page})
    port = int(server.base.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"] + ["10.9.9.9"] * 10)
    asked: list[str] = []

    def rebinding(host: str, *args: object, **kwargs: object) -> object:
        if host == "news.rebind.test":
            asked.append(host)
            return real(next(answers), *args, **kwargs)  # type: ignore[arg-type]
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    s = settings(fetch_allow_networks=["127.0.0.1/32"], respect_robots=False)
    with Fetcher(s) as fetcher:
        fetched = fetcher.fetch(f"http://news.rebind.test:{port}/a.html")
    assert fetched.body == PAGE
    assert asked == ["news.rebind.test"]  # resolved once, for the check; connected by address


def test_policy_judges_ipv4_inside_ipv6() -> None:
    policy = AddressPolicy(allow_private=False)
    assert policy.refusal("93.184.216.34") is None
    assert policy.refusal("2606:2800:220:1::1") is None
    for address in ("::ffff:10.0.0.1", "2002:7f00:1::1", "64:ff9b::a00:1", "fc00::1", "fe80::1"):
        assert policy.refusal(address) is not None, address
    assert policy.refusal("224.0.0.1") == "a multicast"
    assert policy.refusal("100.64.0.1") == "a reserved"  # shared (carrier-grade NAT)


# --------------------------------------------------------------------------- time


def _timed(url: str, s: Settings) -> tuple[RawDocument | Failure, float]:
    t0 = time.monotonic()
    result = one(url, s)
    return result, time.monotonic() - t0


def test_headers_sent_slowly_end_at_the_deadline(raw: Callable[..., RawServer]) -> None:
    server = raw({"/robots.txt": not_found, "/slow": drip_headers})
    result, took = _timed(server.url("/slow"), settings(fetch_allow_private=True))
    assert isinstance(result, Failure)
    assert "no complete response within 1 s (fetch_timeout_s)" in result.message
    assert took < 2.0


def test_a_dripping_body_ends_at_the_deadline(raw: Callable[..., RawServer]) -> None:
    server = raw({"/robots.txt": not_found, "/drip": drip_body})
    result, took = _timed(server.url("/drip"), settings(fetch_allow_private=True))
    assert isinstance(result, Failure) and "fetch_timeout_s" in result.message
    assert took < 2.0


def test_a_slow_robots_txt_counts_against_the_deadline(raw: Callable[..., RawServer]) -> None:
    server = raw({"/robots.txt": drip_headers, "/a.html": page})
    result, took = _timed(server.url("/a.html"), settings(fetch_allow_private=True))
    assert isinstance(result, Failure)
    assert "/robots.txt" in server.paths and "/a.html" not in server.paths
    assert took < 2.0


def test_the_retry_fits_in_the_deadline(raw: Callable[..., RawServer]) -> None:
    server = raw({"/robots.txt": not_found, "/busy": slow_503})
    result, took = _timed(server.url("/busy"), settings(fetch_allow_private=True))
    assert isinstance(result, Failure) and "HTTP 503" in result.message
    # 0.7 s for the first answer leaves too little for the 0.5 s backoff and another 0.7 s.
    assert server.paths.count("/busy") == 1
    assert took < 2.5  # the 1 s deadline, with slack for a loaded 2-core machine


def test_a_slow_host_cannot_hold_the_rest_of_the_batch(raw: Callable[..., RawServer]) -> None:
    slow = raw({"/robots.txt": not_found, **{f"/s{i}": drip_body for i in range(6)}})
    good = raw({"/robots.txt": not_found, "/a.html": page}, host="127.0.0.2")
    urls = [slow.url(f"/s{i}") for i in range(6)] + [good.url("/a.html")]
    t0 = time.monotonic()
    results = list(iter_inputs(urls, settings(fetch_allow_private=True)))
    took = time.monotonic() - t0
    assert [type(r).__name__ for r in results] == ["Failure"] * 6 + ["RawDocument"]
    # Two deadlines, then the host's other URLs are refused without a request.
    assert [p for p in slow.paths if p != "/robots.txt"] == ["/s0", "/s1"]
    assert "ran out of time (fetch_timeout_s) 2 times in this batch" in results[2].message
    assert took < 4.5  # two 1 s deadlines and the good page; slack for a loaded machine


def test_a_network_that_is_not_one_is_refused_when_settings_load() -> None:
    from newsprism.errors import NewsprismError

    with pytest.raises((ValueError, NewsprismError), match="not a network"):
        load_settings(fetch_allow_networks=["10.20.0.0/16", "intranet"])
    assert load_settings(fetch_allow_networks=[" 10.20.0.0/16 "]).fetch_allow_networks
