"""Where a fetch may connect, and for how long: the address policy and the whole-fetch deadline.

Every request newsprism makes goes through :class:`GuardedTransport` (the
:class:`~newsprism.ingest.fetch.Fetcher` builds its client on it), so the two rules below hold
for the command line, the web app, feeds and redirects alike:

* **Addresses.** A host name is resolved here, each address it resolves to is checked, and the
  connection is made to that checked address, not to the name again: a DNS answer that changes
  between the check and the connection (DNS rebinding) cannot slip a private address through.
  Loopback, private, link-local, shared, multicast, reserved and unspecified addresses are
  refused, including IPv4 written as one number (``2130706433``) or inside IPv6 (``::ffff:7f00:1``,
  6to4, NAT64), unless ``fetch_allow_private`` or ``fetch_allow_networks`` opens them. Redirect
  hops connect through the same code, so a public page redirecting to ``127.0.0.1`` is refused
  at the hop. Proxies from the environment are not used: a proxy would resolve names itself.
* **Time.** httpx's timeouts bound each read, so a server sending one byte per read-timeout
  holds a request for ever. Here every socket operation (name look-up, connect, TLS, each read
  and write) is given at most what is left of the current fetch's :class:`Deadline`, so a whole
  fetch (robots.txt, redirects and the one retry included) ends by its deadline.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from ssl import SSLContext
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class RefusedAddress(Exception):
    """A connection the address policy forbids (turned into a FetchError naming the URL)."""

    def __init__(self, host: str, address: str, why: str) -> None:
        shown = host if host == address else f"{host} ({address})"
        super().__init__(
            f"refused to connect to {shown}: {why} address; set fetch_allow_private "
            "(or list its network in fetch_allow_networks) to fetch it"
        )
        self.host = host
        self.address = address


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values)


class AddressPolicy:
    """Which addresses a fetch may connect to: public ones, plus what the settings open."""

    def __init__(self, *, allow_private: bool, networks: Iterable[IPNetwork] = ()) -> None:
        self.allow_private = allow_private
        self.networks = tuple(networks)

    def refusal(self, address: str) -> str | None:
        """Why ``address`` may not be connected to (its kind), or None when it may."""
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return "an unparsable"
        if self.allow_private or any(ip in net for net in self.networks):
            return None
        return _kind(ip)


def _kind(ip: IPAddress) -> str | None:
    """None for a globally routable unicast address, else what it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4 carried inside IPv6 is judged as the IPv4 address it reaches.
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is None and ip in _NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is None and ip.teredo is not None:
            inner = ip.teredo[1]
        if inner is not None:
            return _kind(inner)
    if ip.is_loopback:
        return "a loopback"
    if ip.is_unspecified:
        return "an unspecified"
    if ip.is_link_local:
        return "a link-local"
    if ip.is_multicast:
        return "a multicast"
    if ip.is_private:
        return "a private"
    if ip.is_reserved or not ip.is_global:
        return "a reserved"
    return None


class Deadline:
    """The time one fetch has left; politeness waits of our own are added back (:meth:`extend`)."""

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        return self._end - self._clock()

    def extend(self, seconds: float) -> None:
        self._end += seconds

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0


DeadlineOf = Callable[[], Deadline | None]


def _clamp(
    timeout: float | None, deadline: Deadline | None, expired: type[Exception]
) -> float | None:
    if deadline is None:
        return timeout
    left = deadline.remaining()
    if left <= 0:
        raise expired("the fetch's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every operation ends by the current fetch's deadline. The deadline
    is looked up per operation: a pooled connection may serve several fetches in turn."""

    def __init__(self, inner: httpcore.NetworkStream, deadline_of: DeadlineOf) -> None:
        self._inner = inner
        self._deadline_of = deadline_of

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        t = _clamp(timeout, self._deadline_of(), httpcore.ReadTimeout)
        return self._inner.read(max_bytes, t)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        t = _clamp(timeout, self._deadline_of(), httpcore.WriteTimeout)
        self._inner.write(buffer, t)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        t = _clamp(timeout, self._deadline_of(), httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, t), self._deadline_of
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, connecting only to addresses the policy allows, by deadline."""

    def __init__(self, policy: AddressPolicy, deadline_of: DeadlineOf) -> None:
        self._policy = policy
        self._deadline_of = deadline_of
        self._inner = httpcore.SyncBackend()
        self._resolver: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        deadline = self._deadline_of()
        addresses = self._resolve(host, port, _clamp(timeout, deadline, httpcore.ConnectTimeout))
        allowed = [a for a in addresses if self._policy.refusal(a) is None]
        if not allowed:
            first = addresses[0]
            raise RefusedAddress(host, first, self._policy.refusal(first) or "a refused")
        failure: Exception | None = None
        for address in allowed:
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    _clamp(timeout, deadline, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
            except httpcore.ConnectError as exc:  # the next address may answer
                failure = exc
                continue
            return _DeadlineStream(stream, self._deadline_of)
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def close(self) -> None:
        with self._lock:
            if self._resolver is not None:
                # A look-up still running cannot be interrupted; it is left to finish alone.
                self._resolver.shutdown(wait=False, cancel_futures=True)
                self._resolver = None

    def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        bare = host.strip("[]")
        try:
            return [str(ipaddress.ip_address(bare))]
        except ValueError:
            pass
        # getaddrinfo has no timeout of its own: it runs in a thread, waited for by deadline.
        with self._lock:
            if self._resolver is None:
                self._resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="np-dns")
            job = self._resolver.submit(
                socket.getaddrinfo, bare, port, 0, socket.SOCK_STREAM, socket.IPPROTO_TCP
            )
        try:
            infos = job.result(timeout=timeout)
        except FutureTimeout:
            raise httpcore.ConnectTimeout(f"looking up {host} took too long") from None
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        found = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not found:
            raise httpcore.ConnectError(f"cannot resolve {host}: no address")
        return found


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over :class:`GuardedBackend`."""

    def __init__(self, backend: GuardedBackend) -> None:
        super().__init__(trust_env=False)
        # httpx has no public way to hand its connection pool a network backend: the pool is
        # made again as httpx makes it (httpx 0.28 defaults), with the guarded backend.
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )
        self._backend = backend

    def close(self) -> None:
        super().close()
        self._backend.close()
