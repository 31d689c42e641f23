"""Fault injection through the crawl stages: a real portal on 127.0.0.1 whose report page
misbehaves on the first run. Each time the run completes, the failure is recorded with its
reason, the next run retries it, and the warehouse holds no duplicate and no partial document."""

import pytest

from extract.http import HttpClient
from extract.rawstore import RawStore
from extract.sources import parse_sources
from flows.stages import crawl_source, known_keys, load_results
from tests.faultserver import FaultServer
from warehouse.store import Warehouse

DETAIL = "/xxgk/202401/t20240120_1.html"
REPORT = (
    "<html><head><meta charset='gbk'><meta name='ArticleTitle' content='某市2024年政府工作报告'>"
    "</head><body><div class='TRS_Editor'><p>一、2023年工作回顾</p>"
    "<p>全市地区生产总值增长6.5%，一般公共预算收入增长5%。</p>"
    "<p>二、2024年工作安排</p><p>地区生产总值增长6%左右。</p></div></body></html>"
).encode("gbk")
LISTING = (
    f"<html><body><ul><li><a href='.{DETAIL[5:]}'>某市2024年政府工作报告</a> 2024-01-20</li>"
    "</ul></body></html>"
).encode()

FAULTS = {
    "500": lambda n: (500, {}, b"error"),
    "503-retry-after": lambda n: (503, {"Retry-After": "0"}, b""),
    "429": lambda n: (429, {"Retry-After": "0"}, b""),
    "read-timeout": lambda n: (200, {"X-Sleep": "1.5"}, REPORT),
    "connection-reset": lambda n: None,
    "truncated-body": lambda n: (200, {"X-Truncate": "1"}, REPORT[:200]),
    "empty-body": lambda n: (200, {}, b""),
    "oversize-body": lambda n: (200, {}, b"x" * 300_000),
    "redirect-loop": lambda n: (302, {"Location": DETAIL}, b""),
    "off-site-redirect": lambda n: (302, {"Location": "http://example.org/report.html"}, b""),
}
EXPECTED_REASON = {
    "500": "http status 500",
    "503-retry-after": "http status 503",
    "429": "http status 429",
    "read-timeout": "network",
    "connection-reset": "network",
    "truncated-body": "truncated body",
    "empty-body": "empty body",
    "oversize-body": "body too large",
    "redirect-loop": "redirect loop",
    "off-site-redirect": "not an origin of this source",
    "robots-disallow": "robots.txt",
}


def run(server, tmp_path):
    (source,) = parse_sources(
        f'[[sources]]\nid = "city"\nname = "某市"\nregion = "某市"\nstart_urls = ["{server.url}/xxgk/index.html"]\n'
        "allow_private = true\ndelay_seconds = 0.0\n"
    )
    client = HttpClient(backoff=0.01, max_retries=1, read_timeout=0.5, max_bytes=200_000)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        result = crawl_source(source, client, RawStore(tmp_path / "raw"), known_keys(wh, "city"))
        load_results(wh, result, "load")
        state = wh.crawl_state("city").get(DETAIL)
        docs = wh.con.execute("SELECT count(*), sum(fact_count) FROM dim_document").fetchone()
        facts = wh.con.execute(
            "SELECT count(*), count(DISTINCT fact_key) FROM fct_indicator_value"
        ).fetchone()
    return result, state, docs, facts


@pytest.mark.parametrize("fault", [*FAULTS, "robots-disallow"])
def test_fault_is_recorded_and_retried(fault, tmp_path):
    server = FaultServer()
    healthy = {"on": False}
    server.routes["/xxgk/index.html"] = lambda n: (200, {"Content-Type": "text/html"}, LISTING)
    server.routes["/robots.txt"] = lambda n: (
        (200, {}, b"User-agent: *\nDisallow: /xxgk/2024")
        if fault == "robots-disallow" and not healthy["on"]
        else (404, {}, b"")
    )

    def detail(n):
        if healthy["on"]:
            return 200, {"Content-Type": "text/html"}, REPORT  # charset only in <meta>
        return FAULTS[fault](n) if fault in FAULTS else (200, {}, REPORT)

    server.routes[DETAIL] = detail
    try:
        result, state, docs, facts = run(server, tmp_path)
        assert result.failed == 1 and EXPECTED_REASON[fault] in result.errors[0][1]
        assert state["status"] == "failed" and EXPECTED_REASON[fault] in state["error"]
        assert docs == (0, None) and facts == (0, 0)  # nothing partial

        healthy["on"] = True
        result, state, docs, facts = run(server, tmp_path)
        assert result.failed == 0 and result.fetched == 1
        assert state["status"] == "ok" and state["attempts"] == 2 and state["error"] is None
        assert docs == (1, 3) and facts == (3, 3)

        result, state, docs, facts = run(server, tmp_path)  # and nothing is fetched or added again
        assert result.fetched == 0 and docs == (1, 3) and facts == (3, 3)
    finally:
        server.stop()


def test_wrong_http_charset_is_overridden_by_the_page(tmp_path):
    server = FaultServer()
    server.routes["/xxgk/index.html"] = lambda n: (200, {"Content-Type": "text/html"}, LISTING)
    # the header claims UTF-8, the bytes are GBK (declared in <meta>)
    server.routes[DETAIL] = lambda n: (200, {"Content-Type": "text/html; charset=utf-8"}, REPORT)
    try:
        result, state, docs, facts = run(server, tmp_path)
    finally:
        server.stop()
    assert result.failed == 0 and docs == (1, 3)
    assert result.loads[0].document.title == "某市2024年政府工作报告"


def test_revisit_uses_conditional_get(tmp_path):
    from dataclasses import replace
    from datetime import UTC, datetime

    from flows.stages import due_for_revisit

    server = FaultServer()
    server.routes["/xxgk/index.html"] = lambda n: (200, {"Content-Type": "text/html"}, LISTING)

    def detail(n):
        if server.last_headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"Content-Type": "text/html", "ETag": '"v1"'}, REPORT

    server.routes[DETAIL] = detail
    try:
        run(server, tmp_path)
        (source,) = parse_sources(
            f'[[sources]]\nid = "city"\nname = "某市"\nregion = "某市"\nstart_urls = ["{server.url}/xxgk/index.html"]\n'
            "allow_private = true\ndelay_seconds = 0.0\nrevisit_days = 0\n"
        )
        with Warehouse(tmp_path / "w.duckdb") as wh:
            due = due_for_revisit(wh, source, datetime.now(UTC))
            assert [(d.etag, d.item.title) for d in due] == [('"v1"', "某市2024年政府工作报告")]
            result = crawl_source(
                replace(source),
                HttpClient(),
                RawStore(tmp_path / "raw"),
                known_keys(wh, "city"),
                revisit=due,
            )
            load_results(wh, result, "revisit")
            assert (result.revisited, result.changed, result.loads) == (1, 0, [])
            assert wh.crawl_state("city")[DETAIL]["http_status"] == 304
    finally:
        server.stop()
