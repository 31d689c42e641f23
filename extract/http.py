"""Polite, bounded HTTP fetching: one pooled session, timeouts, retries with backoff and jitter
(honouring Retry-After), conditional GET, per-host spacing, size cap, host and address checks.

`fetch` never raises for network trouble: it returns a FetchResult whose `error` says why.
"""

from __future__ import annotations

import ipaddress
import os
import random
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests

from extract.rawstore import sha256_hex
from extract.robots import RobotsRules, parse_robots, unreadable_robots

USER_AGENT = "govreports/0.1 (open-data research crawler of published government work reports)"
ROBOTS_AGENT = "govreports"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL after redirects
    requested_url: str
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    error: str | None = None
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def sha256(self) -> str:
        return sha256_hex(self.body)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def _is_private_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def _private_host(host: str) -> str | None:
    """Why `host` may not be fetched from a source that forbids private addresses, or None.
    A name that does not resolve is refused too (it cannot be checked)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return f"refused: host {host!r} does not resolve"
    if any(_is_private_ip(info[4][0]) for info in infos):
        return f"refused: host {host!r} resolves to a private or loopback address"
    return None


def _peer_refusal(response: requests.Response) -> str | None:
    """Checked on the connection actually made, before its body is read: a name that resolved
    to a public address for the check and to a private one for the connection (DNS
    rebinding) is refused here."""
    connection = getattr(response.raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is None:
        return "refused: the connected address cannot be checked"
    if _is_private_ip(sock.getpeername()[0]):
        return "refused: connected to a private or loopback address (DNS rebinding?)"
    return None


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of a URL, the port filled in from the scheme."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1  # a malformed port matches no origin
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, parts.hostname or "", port or default


def allowed(url: str, allowed_hosts: Iterable[str]) -> bool:
    """Is `url` on an allowed origin? Entries are origins (`https://gov.a.cn:8443`: that
    scheme, host and port; an http origin also admits the same host upgraded to https on
    443) or bare host names (any scheme and port)."""
    scheme, host, port = origin(url)
    for entry in allowed_hosts:
        if "://" not in entry:
            if entry == host:
                return True
            continue
        e_scheme, e_host, e_port = origin(entry)
        if e_host != host:
            continue
        if (e_scheme, e_port) == (scheme, port):
            return True
        if (e_scheme, scheme, port) == ("http", "https", 443):
            return True  # an upgrade to TLS: the same site, never a downgrade
    return False


class HostGate:
    """Politeness per host, shared by every client in the process: at most `max_concurrent`
    requests at a time to one host, and at least `delay` seconds between their starts."""

    def __init__(self, max_concurrent: int = 2):
        self.max_concurrent = max_concurrent
        self._lock = threading.Lock()
        self._next_start: dict[str, float] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def turn(self, host: str, delay: float) -> Iterator[None]:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.max_concurrent))
        with slot:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, 0.0))
                self._next_start[host] = start + delay
            if start > now:
                time.sleep(start - now)
            yield


HOST_GATE = HostGate(max_concurrent=int(os.environ.get("GOVREPORTS_HOST_CONCURRENCY", "2")))


@dataclass(frozen=True)
class _Exchange:
    """One request and its answer, before any retry decision."""

    status: int | None
    headers: dict[str, str]
    body: bytes = b""
    error: str | None = None
    retryable: bool = False  # worth another try although a status came (a body cut short)


class HttpClient:
    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_retry_after: float = 30.0,
        max_bytes: int = 30 * 1024 * 1024,
        max_redirects: int = 5,
        gate: HostGate = HOST_GATE,
    ):
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"})
        adapter = requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=8, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.timeout = (connect_timeout, read_timeout)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.gate = gate
        self._robots: dict[str, RobotsRules] = {}
        self._robots_lock = threading.Lock()
        self.requests_made = 0

    def close(self) -> None:
        self.session.close()

    def _retry_after(self, header: str | None, attempt: int) -> float:
        if header:
            try:
                seconds = float(header)
            except ValueError:
                try:
                    seconds = (parsedate_to_datetime(header) - datetime.now(UTC)).total_seconds()
                except (TypeError, ValueError):
                    seconds = 0.0
            return min(max(seconds, 0.0), self.max_retry_after)
        return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        return self.backoff * (2**attempt) * (0.5 + random.random() / 2)

    def _check_url(self, url: str, allowed_hosts: Iterable[str], allow_private: bool) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"refused: scheme {parts.scheme or '(none)'!r} is not http(s)"
        if not allowed(url, allowed_hosts):
            scheme, host, port = origin(url)
            return f"refused: {scheme}://{host}:{port} is not an origin of this source"
        if not allow_private:
            return _private_host(parts.hostname or "")
        return None

    def robots_for(
        self, url: str, *, allowed_hosts: Iterable[str], allow_private: bool, delay: float
    ) -> RobotsRules:
        """The site's robots.txt rules, fetched once per client and host."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if origin not in self._robots:
                res = self.fetch(
                    origin + "/robots.txt",
                    allowed_hosts=allowed_hosts,
                    allow_private=allow_private,
                    delay=delay,
                    obey_robots=False,
                )
                if res.ok:
                    rules = parse_robots(res.body.decode("utf-8", "replace"), ROBOTS_AGENT)
                elif res.error == "empty body" or (
                    res.status is not None and 400 <= res.status < 500
                ):
                    rules = RobotsRules()  # no robots.txt: everything allowed
                else:  # unreadable: stay away for this run, and say why
                    rules = unreadable_robots(res.error or f"http status {res.status}")
                self._robots[origin] = rules
            return self._robots[origin]

    def _exchange(
        self,
        url: str,
        headers: dict[str, str],
        delay: float,
        allow_private: bool = True,
        form: Mapping[str, str] | None = None,
    ) -> _Exchange:
        """One GET (or, with a `form`, one form POST), body read within the size cap, under the
        host's politeness gate."""
        with self.gate.turn(urlsplit(url).netloc, delay):
            self.requests_made += 1
            try:
                response = self.session.request(
                    "POST" if form is not None else "GET",
                    url,
                    data=dict(form) if form is not None else None,
                    headers=headers,
                    timeout=self.timeout,
                    stream=True,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                return _Exchange(None, {}, error=f"network: {type(exc).__name__}: {exc}"[:500])
            with response:
                if not allow_private and (refusal := _peer_refusal(response)):
                    return _Exchange(None, {}, error=refusal)
                got = {k.lower(): v for k, v in response.headers.items()}
                status = response.status_code
                if status != 200:
                    return _Exchange(status, got)
                declared = int(got.get("content-length") or 0)
                if declared > self.max_bytes:
                    return _Exchange(status, got, error=f"body too large ({declared} bytes)")
                chunks: list[bytes] = []
                size = 0
                try:
                    for chunk in response.iter_content(65536):  # decompressed: caps gzip bombs too
                        size += len(chunk)
                        if size > self.max_bytes:
                            return _Exchange(
                                status, got, error=f"body too large (over {self.max_bytes} bytes)"
                            )
                        chunks.append(chunk)
                except requests.RequestException as exc:
                    return _Exchange(
                        status,
                        got,
                        error=f"truncated body: {type(exc).__name__}"[:500],
                        retryable=True,
                    )
                return _Exchange(status, got, b"".join(chunks))

    def fetch(
        self,
        url: str,
        *,
        allowed_hosts: Iterable[str],
        allow_private: bool = False,
        delay: float = 0.0,
        etag: str | None = None,
        last_modified: str | None = None,
        obey_robots: bool = True,
        form: Mapping[str, str] | None = None,
    ) -> FetchResult:
        """GET `url` politely (POST `form` to it, for listings some platforms serve only to a
        form, such as Hanweb's data proxy). Never raises: the result's `error` says what went
        wrong."""
        allowed = frozenset(allowed_hosts)
        current = url
        attempts = 0
        redirects = 0
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        while True:
            refusal = self._check_url(current, allowed, allow_private)
            if refusal is None and obey_robots:
                rules = self.robots_for(
                    current, allowed_hosts=allowed, allow_private=allow_private, delay=delay
                )
                refusal = rules.refusal(current)
                delay = max(delay, rules.crawl_delay or 0.0)  # the site's Crawl-delay: a floor
            if refusal:
                return FetchResult(current, url, None, error=refusal, attempts=max(attempts, 1))
            attempts += 1
            ex = self._exchange(current, headers, delay, allow_private, form)
            refused = (ex.error or "").startswith("refused")
            retryable = not refused and (
                ex.retryable or ex.status is None or ex.status in RETRY_STATUSES
            )
            if retryable and attempts <= self.max_retries:
                time.sleep(self._retry_after(ex.headers.get("retry-after"), attempts - 1))
                continue
            if ex.status in (301, 302, 303, 307, 308):
                location = ex.headers.get("location")
                redirects += 1
                if not location or redirects > self.max_redirects:
                    return FetchResult(
                        current,
                        url,
                        ex.status,
                        ex.headers,
                        error="redirect loop or missing Location",
                        attempts=attempts,
                    )
                current = urljoin(current, location)
                form = None  # a redirected form POST is followed with a GET, as browsers do
                continue
            if ex.error:
                return FetchResult(
                    current, url, ex.status, ex.headers, error=ex.error, attempts=attempts
                )
            if ex.status == 304:
                return FetchResult(current, url, 304, ex.headers, attempts=attempts)
            if ex.status != 200:
                return FetchResult(
                    current,
                    url,
                    ex.status,
                    ex.headers,
                    error=f"http status {ex.status}",
                    attempts=attempts,
                )
            if not ex.body:
                return FetchResult(
                    current, url, ex.status, ex.headers, error="empty body", attempts=attempts
                )
            return FetchResult(current, url, ex.status, ex.headers, ex.body, attempts=attempts)
