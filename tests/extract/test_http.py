"""The HTTP layer against a real misbehaving server on 127.0.0.1 (no mocks)."""

import socket
import time

import pytest

from extract.http import HttpClient, allowed
from tests.faultserver import FaultServer


@pytest.fixture
def server():
    s = FaultServer()
    yield s
    s.stop()


@pytest.fixture
def client():
    c = HttpClient(
        backoff=0.01, max_retries=2, read_timeout=0.5, max_bytes=1000, max_retry_after=0.2
    )
    yield c
    c.close()


def fetch(client, server, path, **kw):
    return client.fetch(server.url + path, allowed_hosts={"127.0.0.1"}, allow_private=True, **kw)


def test_ok_and_conditional_get(server, client):
    def page(n):
        return (200, {"ETag": '"v1"', "Content-Type": "text/html"}, "正文".encode())

    server.routes["/a"] = page
    res = fetch(client, server, "/a")
    assert res.ok and res.body == "正文".encode() and res.headers["etag"] == '"v1"'
    server.routes["/b"] = lambda n: (304, {}, b"")
    res = fetch(client, server, "/b", etag='"v1"')
    assert res.not_modified and res.error is None


def test_5xx_then_success_is_retried(server, client):
    server.routes["/flaky"] = lambda n: (500, {}, b"err") if n < 3 else (200, {}, b"ok")
    res = fetch(client, server, "/flaky")
    assert res.ok and res.attempts == 3


def test_503_with_retry_after_and_429(server, client):
    server.routes["/busy"] = lambda n: (
        (503, {"Retry-After": "0.1"}, b"") if n == 1 else (200, {}, b"ok")
    )
    server.routes["/slowdown"] = lambda n: (429, {"Retry-After": "0"}, b"")
    assert fetch(client, server, "/busy").ok
    res = fetch(client, server, "/slowdown")
    assert res.status == 429 and res.error == "http status 429" and server.hits["/slowdown"] == 3


def test_timeouts_resets_and_truncation_are_reported(server, client):
    server.routes["/slow"] = lambda n: (200, {"X-Sleep": "2"}, b"late")
    server.routes["/reset"] = lambda n: None
    server.routes["/short"] = lambda n: (200, {"X-Truncate": "1"}, b"half")
    for path in ("/slow", "/reset", "/short"):
        res = fetch(client, server, path)
        assert not res.ok and res.error, path
        assert res.attempts == 3


def test_oversize_and_empty_bodies(server, client):
    server.routes["/big"] = lambda n: (200, {}, b"x" * 5000)
    server.routes["/empty"] = lambda n: (200, {}, b"")
    assert "too large" in fetch(client, server, "/big").error
    assert fetch(client, server, "/empty").error == "empty body"


def test_redirects_loop_and_offsite(server, client):
    server.routes["/loop"] = lambda n: (302, {"Location": "/loop"}, b"")
    server.routes["/away"] = lambda n: (302, {"Location": "http://example.org/x"}, b"")
    server.routes["/moved"] = lambda n: (301, {"Location": "/a"}, b"")
    server.routes["/a"] = lambda n: (200, {}, b"here")
    assert "redirect loop" in fetch(client, server, "/loop").error
    assert "http://example.org:80 is not an origin" in fetch(client, server, "/away").error
    res = fetch(client, server, "/moved")
    assert res.ok and res.url.endswith("/a")


def test_private_addresses_and_schemes_refused(server, client):
    res = client.fetch(server.url + "/a", allowed_hosts={"127.0.0.1"})
    assert res.error and "private or loopback" in res.error and server.hits["/a"] == 0
    assert "scheme 'file'" in client.fetch("file:///etc/passwd", allowed_hosts={""}).error


def test_robots_txt_is_obeyed(server):
    client = HttpClient(backoff=0.01, max_retries=0)
    server.routes["/robots.txt"] = lambda n: (200, {}, b"User-agent: *\nDisallow: /*.pdf$\n")
    server.routes["/report.pdf"] = lambda n: (200, {}, b"%PDF")
    server.routes["/page.html"] = lambda n: (200, {}, b"ok")
    res = fetch(client, server, "/report.pdf")
    assert res.error == "refused: disallowed by robots.txt" and server.hits["/report.pdf"] == 0
    assert fetch(client, server, "/page.html").ok
    assert fetch(client, server, "/report.pdf", obey_robots=False).ok  # a source may opt out
    assert server.hits["/robots.txt"] == 1  # fetched once per host


def test_robots_txt_missing_or_failing(server):
    server.routes["/page.html"] = lambda n: (200, {}, b"ok")
    assert fetch(HttpClient(max_retries=0), server, "/page.html").ok  # 404: no rules
    server.routes["/robots.txt"] = lambda n: (503, {}, b"")
    res = fetch(HttpClient(max_retries=0), server, "/page.html")
    # unreadable: stay away this run, and say so (not "disallowed")
    assert res.error == (
        "refused: robots.txt could not be read (http status 503); not fetched this run"
    )
    assert server.hits["/page.html"] == 1


def test_crawl_delay_is_a_floor_under_the_sources_delay(server):
    server.routes["/robots.txt"] = lambda n: (200, {}, b"User-agent: *\nCrawl-delay: 0.4\n")
    server.routes["/p"] = lambda n: (200, {}, b"ok")
    client = HttpClient(max_retries=0)
    start = time.monotonic()
    for _ in range(3):
        assert fetch(client, server, "/p", delay=0.0).ok
    assert time.monotonic() - start >= 0.8  # two waits of the site's 0.4 s


def test_per_host_concurrency_is_capped_across_clients(server):
    from concurrent.futures import ThreadPoolExecutor

    from extract.http import HostGate

    gate = HostGate(max_concurrent=2)
    server.routes["/slowish"] = lambda n: (200, {"X-Sleep": "0.2"}, b"ok")
    clients = [
        HttpClient(gate=gate, max_retries=0) for _ in range(3)
    ]  # e.g. three sources, one host
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda i: fetch(clients[i % 3], server, "/slowish"), range(6)))
    assert all(r.ok for r in results)
    assert 1 <= server.max_in_flight <= 2


def test_a_redirect_to_the_same_host_on_another_port_is_refused(server, client):
    other = FaultServer()
    other.routes["/admin"] = lambda n: (200, {}, b"internal")
    server.routes["/hop"] = lambda n: (302, {"Location": f"{other.url}/admin"}, b"")
    try:
        res = client.fetch(server.url + "/hop", allowed_hosts={server.url}, allow_private=True)
    finally:
        other.stop()
    assert res.error and "is not an origin of this source" in res.error
    assert other.hits["/admin"] == 0
    # the same site upgraded to TLS is the same origin; a bare host name allows any port
    assert allowed("https://gov.a.cn/x", {"http://gov.a.cn"})
    assert not allowed("http://gov.a.cn/x", {"https://gov.a.cn"})  # never a downgrade
    assert not allowed("http://gov.a.cn:8080/x", {"http://gov.a.cn"})
    assert allowed("http://gov.a.cn:8080/x", {"gov.a.cn"})


def test_a_name_that_does_not_resolve_is_refused(client):
    res = client.fetch("http://no-such-host.invalid/x", allowed_hosts={"no-such-host.invalid"})
    assert res.error == "refused: host 'no-such-host.invalid' does not resolve"


def test_dns_rebinding_is_caught_on_the_connection_itself(server, client, monkeypatch):
    """A resolver that answers a public address to the check and loopback to the connection
    (what a rebinding DNS server does): the request is refused before its body is read."""
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host, *args, **kw):
        if host == "rebind.example":
            address = next(answers, "127.0.0.1")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, args[0] or 80))]
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    server.routes["/secret"] = lambda n: (200, {}, b"internal data")
    port = server.url.rsplit(":", 1)[1]
    res = client.fetch(
        f"http://rebind.example:{port}/secret", allowed_hosts={"rebind.example"}, obey_robots=False
    )
    assert res.error == "refused: connected to a private or loopback address (DNS rebinding?)"
    assert res.body == b"" and res.attempts == 1
