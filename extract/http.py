"""Polite, bounded HTTP fetching: one pooled session, timeouts, retries with backoff and jitter
(honouring Retry-After), conditional GET, per-host spacing, size cap, host and address checks.

`fetch` never raises for network trouble: it returns a FetchResult whose `error` says why.
"""

from __future__ import annotations

import ipaddress
import random
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests

from extract.rawstore import sha256_hex

USER_AGENT = "govreports/0.1 (+https://github.com/govreports; open-data research crawler)"
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


def _is_private_host(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False  # unresolvable hosts fail later with a connection error
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
            return True
    return False


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
        self._last_request: dict[str, float] = {}
        self._lock = threading.Lock()
        self.requests_made = 0

    def close(self) -> None:
        self.session.close()

    def _wait_turn(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            ready = self._last_request.get(host, 0.0) + delay
            wait = max(0.0, ready - now)
            self._last_request[host] = now + wait
        if wait:
            time.sleep(wait)

    def _retry_after(self, response: requests.Response, attempt: int) -> float:
        header = response.headers.get("Retry-After")
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
        host = parts.hostname or ""
        if host not in allowed_hosts:
            return f"refused: host {host!r} is not allowed for this source"
        if not allow_private and _is_private_host(host):
            return f"refused: host {host!r} resolves to a private or loopback address"
        return None

    def fetch(
        self,
        url: str,
        *,
        allowed_hosts: Iterable[str],
        allow_private: bool = False,
        delay: float = 0.0,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        allowed = frozenset(allowed_hosts)
        current = url
        attempts = 0
        redirects = 0
        while True:
            refusal = self._check_url(current, allowed, allow_private)
            if refusal:
                return FetchResult(current, url, None, error=refusal, attempts=max(attempts, 1))
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            self._wait_turn(urlsplit(current).netloc, delay)
            attempts += 1
            self.requests_made += 1
            try:
                response = self.session.get(
                    current,
                    headers=headers,
                    timeout=self.timeout,
                    stream=True,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                if attempts <= self.max_retries:
                    time.sleep(self._backoff(attempts - 1))
                    continue
                return FetchResult(
                    current,
                    url,
                    None,
                    error=f"network: {type(exc).__name__}: {exc}"[:500],
                    attempts=attempts,
                )
            with response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location")
                    redirects += 1
                    if not location or redirects > self.max_redirects:
                        return FetchResult(
                            current,
                            url,
                            status,
                            dict(response.headers),
                            error="redirect loop or missing Location",
                            attempts=attempts,
                        )
                    current = urljoin(current, location)
                    continue
                if status in RETRY_STATUSES and attempts <= self.max_retries:
                    time.sleep(self._retry_after(response, attempts - 1))
                    continue
                resp_headers = {k.lower(): v for k, v in response.headers.items()}
                if status == 304:
                    return FetchResult(current, url, 304, resp_headers, attempts=attempts)
                if status != 200:
                    return FetchResult(
                        current,
                        url,
                        status,
                        resp_headers,
                        error=f"http status {status}",
                        attempts=attempts,
                    )
                declared = int(response.headers.get("Content-Length") or 0)
                if declared > self.max_bytes:
                    return FetchResult(
                        current,
                        url,
                        status,
                        resp_headers,
                        error=f"body too large ({declared} bytes)",
                        attempts=attempts,
                    )
                chunks: list[bytes] = []
                size = 0
                try:
                    for chunk in response.iter_content(65536):
                        size += len(chunk)
                        if size > self.max_bytes:
                            return FetchResult(
                                current,
                                url,
                                status,
                                resp_headers,
                                error=f"body too large (over {self.max_bytes} bytes)",
                                attempts=attempts,
                            )
                        chunks.append(chunk)
                except requests.RequestException as exc:
                    if attempts <= self.max_retries:
                        time.sleep(self._backoff(attempts - 1))
                        continue
                    return FetchResult(
                        current,
                        url,
                        status,
                        resp_headers,
                        error=f"truncated body: {type(exc).__name__}"[:500],
                        attempts=attempts,
                    )
                body = b"".join(chunks)
                if not body:
                    return FetchResult(
                        current, url, status, resp_headers, error="empty body", attempts=attempts
                    )
                return FetchResult(current, url, status, resp_headers, body, attempts=attempts)
