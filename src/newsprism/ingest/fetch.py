"""A polite HTTP fetcher for the URLs a user names (and the article links of feeds a user names).

Politeness, in order of application to every request (redirect hops included):

* robots.txt is fetched once per host and obeyed (RFC 9309: a 4xx robots.txt allows everything,
  an unreachable one or a 5xx disallows everything); its Crawl-delay raises the per-host delay;
* requests to one host start at least ``per_host_delay_s`` apart, across threads;
* an honest User-Agent from Settings; at most one retry (connection error or 5xx), after a backoff;
* only public addresses, checked after name resolution and on every redirect hop, and a deadline
  over the whole fetch (robots.txt, redirects, the retry, connect, headers and body), both kept by
  :mod:`newsprism.ingest.guard`; a host that ran out of time twice is not asked again in the batch;
* a hard cap on the bytes read: the body is streamed and abandoned at the cap, so an endless or
  huge response costs little;
* redirects are followed by hand, at most ``_MAX_REDIRECTS``, so each hop passes the robots and
  rate checks of its own host;
* only HTML, XML and text responses are read; anything else is refused from its headers.

Everything that goes wrong raises an :class:`~newsprism.errors.InputError` subclass naming the URL.
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from newsprism.config import Settings
from newsprism.errors import (
    BinaryInputError,
    FetchError,
    InputTooLargeError,
    MalformedInputError,
    NewsprismError,
)
from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.guard import (
    AddressPolicy,
    Deadline,
    GuardedBackend,
    GuardedTransport,
    RefusedAddress,
    parse_networks,
)
from newsprism.model import RawDocument, SourceKind

_MAX_REDIRECTS = 5
# RFC 9309 asks crawlers to parse at least 500 KiB of robots.txt; more than that is cut, not refused.
_ROBOTS_MAX_BYTES = 512_000
# A Crawl-delay beyond this would stall a batch for hours; sites asking that much are rare.
_MAX_CRAWL_DELAY_S = 60.0
# Retry-After beyond this is taken as "not now": the request fails rather than block the batch.
_MAX_RETRY_AFTER_S = 30.0
_READ_TYPES = ("text/", "application/xhtml+xml", "application/xml")
_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/rss"}
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_HTML_SNIFF = re.compile(r"<(!doctype\s+html|html|head|body|article|p|div)[\s>]", re.IGNORECASE)
# Declared charsets that decode_bytes already covers (UTF-8, then cp1252 line by line); only other
# declared charsets (Shift-JIS, KOI8-R...) are worth trying first.
_WESTERN = frozenset({"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "cp1252"})
_RETRYABLE = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError)
# Fetches of one host that may run out of time in a batch before its other URLs are refused at
# once: a slow host holds a batch for at most this many deadlines.
_HOST_TIMEOUTS = 2


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response: the body (decompressed, within the byte cap) and its type."""

    url: str
    final_url: str
    media_type: str
    charset: str | None
    body: bytes

    @property
    def is_feed_type(self) -> bool:
        return self.media_type in _FEED_TYPES


class HostGate:
    """Spaces the starts of requests to one host at least ``delay`` seconds apart, across threads.

    A slot is reserved under the lock and waited for outside it, so threads bound for other hosts
    never wait on this one.
    """

    def __init__(
        self,
        delay_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._delay = delay_s
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}

    def raise_delay(self, host: str, delay_s: float) -> None:
        with self._lock:
            self._host_delay[host] = max(delay_s, self._host_delay.get(host, 0.0))

    def wait(self, host: str) -> float:
        """Block until a request to ``host`` may start, and reserve that start; return the
        seconds waited (politeness of ours, which a fetch's deadline does not count)."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self._delay_of(host)
        if start > now:
            self._sleep(start - now)
            return start - now
        return 0.0

    def done(self, host: str) -> None:
        """Mark a request to ``host`` finished: the next one starts no sooner than a delay later.

        Spacing starts alone lets a request that was slow to go out (connection setup) arrive
        closer than the delay to the next one; counting from the end keeps the gap the server sees.
        """
        with self._lock:
            after = self._clock() + self._delay_of(host)
            self._next[host] = max(self._next.get(host, after), after)

    def _delay_of(self, host: str) -> float:
        return max(self._delay, self._host_delay.get(host, 0.0))


@dataclass(slots=True)
class _Robots:
    lock: threading.Lock = field(default_factory=threading.Lock)
    loaded: bool = False
    parser: RobotFileParser | None = None  # None once loaded: everything allowed
    refusal: str | None = None  # set when robots.txt was unreachable: everything refused


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL with a host, else raise FetchError."""
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError as exc:
        raise FetchError(f"not a valid URL: {exc}", origin=url) from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(
            f"unsupported URL scheme {parts.scheme or '(none)'!r}; only http and https are read",
            origin=url,
        )
    if not parts.hostname or not port_ok:
        raise FetchError("not a valid URL: no host", origin=url)
    return url


class Fetcher:
    """One per batch: holds the connection pool, the per-host gate and the robots.txt cache.

    Use as a context manager, or call :meth:`close`. Safe to share between threads.
    """

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None) -> None:
        self._settings = settings
        self._transport = transport
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()
        self._gate = HostGate(settings.per_host_delay_s)
        self._robots: dict[str, _Robots] = {}
        self._robots_lock = threading.Lock()
        self._local = threading.local()  # this thread's fetch: its deadline, whether it timed out
        self._timeouts: dict[str, int] = {}
        self._timeouts_lock = threading.Lock()
        self.policy = AddressPolicy(
            allow_private=settings.fetch_allow_private,
            networks=parse_networks(settings.fetch_allow_networks),
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def _deadline(self) -> Deadline | None:
        deadline: Deadline | None = getattr(self._local, "deadline", None)
        return deadline

    def _http(self) -> httpx.Client:
        # Built on first use: a batch of local files never opens a connection pool.
        with self._client_lock:
            if self._client is None:
                transport = self._transport or GuardedTransport(
                    GuardedBackend(self.policy, self._deadline)
                )
                self._client = httpx.Client(
                    headers={"User-Agent": self._settings.user_agent},
                    timeout=httpx.Timeout(self._settings.fetch_timeout_s),
                    follow_redirects=False,
                    transport=transport,
                    trust_env=False,
                )
            return self._client

    # --- public

    def fetch(self, url: str) -> Fetched:
        """GET ``url`` politely; raise an InputError subclass naming ``url`` if it can't be read."""
        current = check_url(url)
        self._refuse_literal(current, origin=url)
        first_host = host_key(current)
        with self._timeouts_lock:
            strikes = self._timeouts.get(first_host, 0)
        if strikes >= _HOST_TIMEOUTS:
            raise FetchError(
                f"{first_host} ran out of time (fetch_timeout_s) {strikes} times in this batch, "
                "so its other URLs are not fetched",
                origin=url,
            )
        self._local.deadline = Deadline(self._settings.fetch_timeout_s)
        self._local.timed_out = None
        try:
            for _ in range(_MAX_REDIRECTS + 1):
                self._obey_robots(current, origin=url)
                outcome = self._get(current, origin=url, max_bytes=self._settings.fetch_max_bytes)
                if isinstance(outcome, str):
                    current = check_url(outcome)
                    self._refuse_literal(current, origin=url)
                    continue
                media_type, charset, body = outcome
                return Fetched(url, current, media_type, charset, body)
            raise FetchError(f"more than {_MAX_REDIRECTS} redirects", origin=url)
        finally:
            slow: str | None = self._local.timed_out
            self._local.deadline = None
            self._local.timed_out = None
            if slow is not None:
                with self._timeouts_lock:
                    self._timeouts[slow] = self._timeouts.get(slow, 0) + 1

    def _refuse_literal(self, url: str, *, origin: str) -> None:
        """Refuse a URL whose host is a forbidden IP literal before robots.txt is asked for.
        Host names (and numeric forms such as ``2130706433``) are checked when connecting."""
        host = urlsplit(url).hostname or ""
        try:
            address = str(ipaddress.ip_address(host))
        except ValueError:
            return
        why = self.policy.refusal(address)
        if why is not None:
            raise FetchError(str(RefusedAddress(host, address, why)), origin=origin)

    # --- robots.txt

    def _obey_robots(self, url: str, *, origin: str) -> None:
        if not self._settings.respect_robots:
            return
        host = host_key(url)
        with self._robots_lock:
            state = self._robots.setdefault(host, _Robots())
        with state.lock:  # one robots.txt request per host, even when threads race for it
            if not state.loaded:
                self._load_robots(host, state)
        if state.refusal is not None:
            raise FetchError(state.refusal, origin=origin)
        if state.parser is not None and not state.parser.can_fetch(self._settings.user_agent, url):
            raise FetchError(f"disallowed by {host}/robots.txt", origin=origin)

    def _load_robots(self, host: str, state: _Robots) -> None:
        robots_url = f"{host}/robots.txt"
        state.loaded = True
        try:
            current = robots_url
            for _ in range(_MAX_REDIRECTS + 1):
                outcome = self._get(
                    current, origin=robots_url, max_bytes=_ROBOTS_MAX_BYTES, robots=True
                )
                if not isinstance(outcome, str):
                    break
                current = check_url(outcome)
                self._refuse_literal(current, origin=robots_url)
            else:
                return  # a redirect loop: RFC 9309 treats robots.txt as unavailable (allow)
        except _RobotsUnavailable:
            return
        except NewsprismError as exc:
            # A host that can't be reached at all is reported as such; a robots.txt that answers
            # with an error means "stay away" (RFC 9309), and the message says that instead.
            state.refusal = (
                f"{robots_url} answered {exc.message}, so the site is not fetched (RFC 9309)"
                if exc.message.startswith("HTTP ")
                else exc.message
            )

            return
        parser = RobotFileParser(robots_url)
        parser.parse(outcome[2].decode("utf-8", "replace").splitlines())
        state.parser = parser
        delay = parser.crawl_delay(self._settings.user_agent)
        if delay:
            self._gate.raise_delay(host, min(float(delay), _MAX_CRAWL_DELAY_S))

    # --- one request, with at most one retry

    def _get(
        self, url: str, *, origin: str, max_bytes: int, robots: bool = False
    ) -> tuple[str, str | None, bytes] | str:
        """Return (media type, charset, body), or the redirect target URL."""
        host = host_key(url)
        deadline = self._deadline()
        for attempt in (1, 2):
            waited = self._gate.wait(host)
            if deadline is not None:
                deadline.extend(waited)
            try:
                return self._request(url, origin=origin, max_bytes=max_bytes, robots=robots)
            except _Retryable as exc:
                failure = exc
            finally:
                self._gate.done(host)
            out_of_time = (
                deadline is not None
                and failure.wait_s is not None
                and failure.wait_s >= deadline.remaining()
            )
            if attempt == 2 or failure.wait_s is None or out_of_time:
                raise failure.error from None
            time.sleep(failure.wait_s)
        raise AssertionError("unreachable")

    def _backoff(self) -> float:
        return max(2 * self._settings.per_host_delay_s, 0.5)

    def _request(
        self, url: str, *, origin: str, max_bytes: int, robots: bool
    ) -> tuple[str, str | None, bytes] | str:
        timeout = self._settings.fetch_timeout_s
        try:
            with self._http().stream("GET", url) as resp:
                status = resp.status_code
                if status in (301, 302, 303, 307, 308) and "location" in resp.headers:
                    return urljoin(url, resp.headers["location"])
                if status >= 500:
                    wait = _retry_after(resp.headers.get("retry-after"), self._backoff())
                    raise _Retryable(
                        FetchError(f"HTTP {status} {resp.reason_phrase}".rstrip(), origin=origin),
                        wait,
                    )
                if robots and 400 <= status < 500:
                    raise _RobotsUnavailable
                if status == 429:
                    raise FetchError(
                        "HTTP 429 Too Many Requests: the site asks us to slow down", origin=origin
                    )
                if not 200 <= status < 300:
                    raise FetchError(f"HTTP {status} {resp.reason_phrase}".rstrip(), origin=origin)
                ctype = resp.headers.get("content-type", "")
                media_type = ctype.split(";", 1)[0].strip().lower()
                if not robots and media_type and not _readable(media_type):
                    raise BinaryInputError(
                        f"content type {media_type} is not HTML, XML or text", origin=origin
                    )
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes and not robots:
                    raise InputTooLargeError(
                        f"response is {int(declared) / 1e6:.1f} MB, over the "
                        f"{max_bytes / 1e6:.1f} MB limit (fetch_max_bytes)",
                        origin=origin,
                    )
                body = _read_capped(resp, max_bytes, origin, truncate=robots)
                match = _CHARSET.search(ctype)
                return media_type, (match.group(1).lower() if match else None), body
        except (_Retryable, NewsprismError, _RobotsUnavailable):
            raise
        except RefusedAddress as exc:
            raise FetchError(str(exc), origin=origin) from None
        except httpx.TimeoutException as exc:
            self._local.timed_out = host_key(url)
            error = FetchError(
                f"no complete response within {timeout:g} s (fetch_timeout_s)", origin=origin
            )
            if isinstance(exc, httpx.ConnectTimeout):
                raise _Retryable(error, self._backoff()) from exc
            raise error from exc
        except _RETRYABLE as exc:
            raise _Retryable(
                FetchError(f"cannot connect: {exc or type(exc).__name__}", origin=origin),
                self._backoff(),
            ) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(f"not a valid URL: {exc}", origin=origin) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"request failed: {exc or type(exc).__name__}", origin=origin) from exc


class _Retryable(Exception):  # internal control flow: never escapes this module
    def __init__(self, error: NewsprismError, wait_s: float | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait_s = wait_s


class _RobotsUnavailable(Exception):  # internal control flow
    pass


def _readable(media_type: str) -> bool:
    return media_type.startswith(_READ_TYPES) or media_type.endswith("+xml")


def _retry_after(header: str | None, default: float) -> float | None:
    """Seconds to wait before the one retry; None when the server asks for longer than we wait."""
    if not header:
        return default
    header = header.strip()
    if header.isdigit():
        seconds = float(header)
    else:
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return default
        seconds = when.timestamp() - time.time()
    return None if seconds > _MAX_RETRY_AFTER_S else max(seconds, default)


def _read_capped(resp: httpx.Response, max_bytes: int, origin: str, *, truncate: bool) -> bytes:
    chunks: list[bytes] = []
    size = 0
    # iter_bytes yields decompressed bytes, so a gzip bomb is stopped at the cap too; with no
    # chunk size it yields what each read brought, so the deadline is checked at every read.
    for chunk in resp.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            if truncate:
                return b"".join(chunks)[:max_bytes]
            raise InputTooLargeError(
                f"response is over the {max_bytes / 1e6:.1f} MB limit (fetch_max_bytes); "
                "stopped reading",
                origin=origin,
            )
    return b"".join(chunks)


def decode_body(
    data: bytes, charset: str | None, origin: str, *, limit: int, setting: str = "fetch_max_bytes"
) -> str:
    """Decode a response body, trusting a declared non-Western charset when the bytes fit it."""
    if charset and charset not in _WESTERN and data[:2] != b"\x1f\x8b":
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if text.strip():
                return text
    return decode_bytes(data, origin, limit=limit, setting=setting)


def page_document(
    fetched: Fetched,
    settings: Settings,
    *,
    origin: str | None = None,
    title: str | None = None,
    published: str | None = None,
    byline: str | None = None,
) -> RawDocument:
    """The RawDocument of a fetched article page (HTML, XHTML or plain text)."""
    where = origin or fetched.url
    text = decode_body(fetched.body, fetched.charset, where, limit=settings.fetch_max_bytes)
    if fetched.media_type == "text/plain":
        kind = SourceKind.TEXT
    elif fetched.media_type in _HTML_TYPES or _HTML_SNIFF.search(text[:4096]):
        kind = SourceKind.HTML
    elif "xml" in fetched.media_type:
        raise MalformedInputError(
            f"{fetched.media_type} that is neither an RSS/Atom feed nor an HTML page", origin=where
        )
    else:
        kind = SourceKind.TEXT
    return RawDocument(
        origin=where,
        kind=kind,
        content=text,
        url=fetched.final_url,
        title=title,
        published=published,
        byline=byline,
    )
