"""The crawl's own modules against a real server on 127.0.0.1: the listing walk and its stop
rule (extract/discover.py), a report and its parts into the raw zone (extract/fetch.py), and
what earlier runs left in the crawl state (extract/memory.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from extract.discover import in_range, new_reports, walk_listing
from extract.fetch import fetch_report
from extract.http import HttpClient
from extract.listing import ListingItem
from extract.memory import Revisit, due_for_revisit, remember
from extract.rawstore import RawStore
from extract.sources import parse_sources
from tests.faultserver import FaultServer
from tests.pdfgen import pdf_bytes
from transform.model import url_key

HTML = {"Content-Type": "text/html; charset=utf-8"}


def listing(page: int, items: list[tuple[str, str]], pages: int) -> bytes:
    links = "".join(
        f"<li><a href='{u}'>{t}</a> 2024-01-{10 + i:02d}</li>" for i, (u, t) in enumerate(items)
    )
    script = f'<script>createPageHTML({pages}, {page}, "index", "html");</script>'
    return f"<html><body><ul>{links}</ul>{script}</body></html>".encode()


@pytest.fixture
def server():
    s = FaultServer()
    yield s
    s.stop()


def source_for(server: FaultServer, **extra: object):
    lines = "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in extra.items())
    (source,) = parse_sources(
        f'[[sources]]\nid = "c"\nname = "某市"\nregion = "某市"\n'
        f'start_urls = ["{server.url}/col/index.html"]\nallow_private = true\n'
        f"delay_seconds = 0.0\n{lines}"
    )
    return source


def test_the_walk_follows_paging_and_stops_where_everything_is_known(server, tmp_path):
    page0 = [("/col/t20240112_3.html", "2024年政府工作报告"), ("/col/t20240111_2.html", "通知")]
    page1 = [("/col/t20230110_1.html", "2023年政府工作报告")]
    server.routes["/col/index.html"] = lambda n: (200, HTML, listing(0, page0, 3))
    server.routes["/col/index_1.html"] = lambda n: (200, HTML, listing(1, page1, 3))
    server.routes["/col/index_2.html"] = lambda n: (500, {}, b"")
    source = source_for(server, title_include="政府工作报告")
    client = HttpClient(backoff=0.01, max_retries=0)

    found = walk_listing(source, client, known=set(), store=RawStore(tmp_path / "raw"))
    assert found.pages == 3 and found.failed == 1 and "listing page" in found.errors[0][1]
    assert [it.title for it in found.items] == ["2024年政府工作报告", "2023年政府工作报告"]

    server.hits.clear()  # a later night: the first page's reports are all known, paging stops
    known = {url_key(server.url + "/col/t20240112_3.html")}
    again = walk_listing(source, client, known)
    assert again.pages == 1 and server.hits["/col/index_1.html"] == 0


def test_new_reports_leave_out_the_known_and_the_out_of_range_and_add_failed_ones():
    listed = [
        ListingItem("http://a.cn/t1.html", "一", "2024-01-10"),
        ListingItem("http://a.cn/t2.html", "二", "2023-06-01"),
        ListingItem("http://a.cn/t3.html", "三", None),
    ]
    retry = [
        ListingItem("https://b.cn/t1.html", "一", "2024-01-10"),
        ListingItem("http://a.cn/old.html", "旧", "2020-01-01"),
    ]
    new = new_reports(listed, known={"/t3.html"}, retry=retry, since=date(2021, 1, 1))
    # t1 listed once (the retry of the same path on another host is the same report), t3 known,
    # the failed old report outside the range
    assert [it.url for it in new] == ["http://a.cn/t1.html", "http://a.cn/t2.html"]
    assert in_range(ListingItem("u", "t", None), date(2024, 1, 1), None)  # undated: kept
    assert not in_range(ListingItem("u", "t", "2024-02-01"), None, date(2024, 1, 31))


REPORT_TEXT = "某市2024年政府工作报告\n一、2023年工作回顾\n全市地区生产总值增长6%。" * 40


def test_a_thin_page_brings_its_readable_attachments_into_the_raw_zone(server, tmp_path):
    page = (
        "<html><head><meta name='ArticleTitle' content='某市2024年政府工作报告'></head><body>"
        "<div class='TRS_Editor'><p>报告全文见附件。</p>"
        "<a href='./P1.pdf'>全文.pdf</a><a href='./P2.xls'>附表.xls</a></div></body></html>"
    ).encode()
    server.routes["/col/t1.html"] = lambda n: (200, HTML, page)
    pdf = pdf_bytes(REPORT_TEXT.split("\n")[:60])
    server.routes["/col/P1.pdf"] = lambda n: (200, {"Content-Type": "application/pdf"}, pdf)
    source = source_for(server)
    store = RawStore(tmp_path / "raw")
    item = ListingItem(server.url + "/col/t1.html", "某市2024年政府工作报告", "2024-01-20")

    report = fetch_report(source, item, HttpClient(backoff=0.01), store)
    assert report.status == "fetched" and report.page_ok
    assert [p.url for p in report.attachments] == [server.url + "/col/P1.pdf"]  # not the .xls
    assert store.get(report.attachments[0].sha256) == pdf
    assert [r.role for r in report.done()] == ["attachment", "detail"]
    assert server.hits["/col/P2.xls"] == 0


def test_a_part_that_cannot_be_had_fails_the_report_with_its_reason(server, tmp_path):
    page = (
        "<html><body><div class='TRS_Editor'><p>见附件</p><a href='./P1.docx'>全文</a></div>"
        "</body></html>"
    ).encode()
    server.routes["/col/t1.html"] = lambda n: (200, HTML, page)
    server.routes["/col/P1.docx"] = lambda n: (404, {}, b"")
    item = ListingItem(server.url + "/col/t1.html", "某市2024年政府工作报告", None)
    report = fetch_report(
        source_for(server), item, HttpClient(backoff=0.01, max_retries=0), RawStore(tmp_path)
    )
    assert report.status == "failed" and report.page_ok
    assert "attachment" in report.error and "P1.docx" in report.error
    (record,) = report.records
    assert record.status == "failed" and record.sha256 is None  # retried next run


def test_a_thin_page_with_only_unreadable_attachments_is_skipped_for_good(server, tmp_path):
    page = b"<html><body><div class='TRS_Editor'><a href='./P1.wps'>full</a></div></body></html>"
    server.routes["/col/t1.html"] = lambda n: (200, HTML, page)
    item = ListingItem(server.url + "/col/t1.html", "报告", None)
    report = fetch_report(source_for(server), item, HttpClient(), RawStore(tmp_path))
    assert report.status == "skipped" and "unsupported attachment format (wps)" in report.error
    assert report.records[0].status == "skipped"


def test_an_unchanged_report_is_only_marked_as_checked(server, tmp_path):
    body = (
        "<html><body><div class='TRS_Editor'><p>" + REPORT_TEXT + "</p></div></body></html>"
    ).encode()
    server.routes["/col/t1.html"] = lambda n: (200, {**HTML, "ETag": '"v1"'}, body)
    source, store = source_for(server), RawStore(tmp_path)
    item = ListingItem(server.url + "/col/t1.html", "报告", None)
    first = fetch_report(source, item, HttpClient(), store)
    assert first.status == "fetched" and first.content is not None
    previous = Revisit(item, '"v1"', None, first.content.sha256)
    again = fetch_report(source, item, HttpClient(), store, previous)
    assert again.status == "unchanged" and again.revisited and not again.changed
    assert server.last_headers.get("if-none-match") == '"v1"'


def test_memory_knows_loaded_and_skipped_retries_failed_and_finds_revisits_due():
    now = datetime(2024, 6, 1, tzinfo=UTC)

    def row(url: str, status: str, role: str = "detail", days: int = 1) -> dict:
        return {
            "url": url,
            "role": role,
            "status": status,
            "listing_title": "t",
            "listing_date": date(2024, 1, 1),
            "last_attempt": now - timedelta(days=days),
            "etag": None,
            "last_modified": None,
            "sha256": "s",
        }

    rows = {
        "/ok.html": row("http://a.cn/ok.html", "ok", days=40),
        "/skip.html": row("http://a.cn/skip.html", "skipped"),
        "/bad.html": row("http://a.cn/bad.html", "failed"),
        "/P1.pdf": row("http://a.cn/P1.pdf", "ok", role="attachment", days=40),
    }
    memory = remember(rows)
    assert memory.known == {"/ok.html", "/skip.html"}
    assert [it.url for it in memory.failed] == ["http://a.cn/bad.html"]
    assert memory.failed[0].date == "2024-01-01"

    class Every30Days:
        revisit_days = 30

    class Never:
        revisit_days = None

    due = due_for_revisit(rows, Every30Days(), now)  # type: ignore[arg-type]
    assert [r.item.url for r in due] == ["http://a.cn/ok.html"]
    assert due_for_revisit(rows, Never(), now) == []  # type: ignore[arg-type]


def test_a_report_inserted_below_known_ones_is_found_by_an_exhaustive_walk(server):
    known_items = [(f"/col/t2024011{i}_{i}.html", "政府工作报告") for i in range(3)]
    inserted = [("/col/t20230101_99.html", "2023年政府工作报告")]
    server.routes["/col/index.html"] = lambda n: (200, HTML, listing(0, known_items, 3))
    server.routes["/col/index_1.html"] = lambda n: (200, HTML, listing(1, known_items, 3))
    server.routes["/col/index_2.html"] = lambda n: (200, HTML, listing(2, inserted, 3))
    source = source_for(server)
    known = {url_key(server.url + u) for u, _ in known_items}
    client = HttpClient()
    assert walk_listing(source, client, known).pages == 1  # stops: the first page is known
    deep = walk_listing(source, client, known, exhaustive=True)
    assert deep.pages == 3
    assert [it.url for it in new_reports(deep.items, known)] == [server.url + inserted[0][0]]


def test_a_walk_that_did_not_finish_or_a_deep_walk_due_makes_the_next_exhaustive(server):
    from extract.memory import DEEP_WALK, WALK

    now = datetime(2024, 6, 1, tzinfo=UTC)
    source = source_for(server)  # deep_walk_days = 7 by default
    report = {
        "url": "http://a.cn/t1.html",
        "role": "detail",
        "status": "ok",
        "listing_title": "t",
        "listing_date": None,
        "last_attempt": now,
        "etag": None,
        "last_modified": None,
        "sha256": "s",
    }

    def walk(url: str, status: str, days: int) -> dict:
        return {
            **report,
            "url": url,
            "role": "walk",
            "status": status,
            "last_attempt": now - timedelta(days=days),
        }

    assert remember({}).exhaustive(source, now)  # a first walk stops nowhere anyway
    finished = {
        "/t1.html": report,
        "walk": walk(WALK, "ok", 1),
        "deep-walk": walk(DEEP_WALK, "ok", 2),
    }
    assert not remember(finished).exhaustive(source, now)
    killed = {**finished, "walk": walk(WALK, "started", 1)}
    assert remember(killed).exhaustive(source, now)
    listing_failed = {**finished, "walk": walk(WALK, "failed", 1)}
    assert remember(listing_failed).exhaustive(source, now)
    stale = {**finished, "deep-walk": walk(DEEP_WALK, "ok", 8)}
    assert remember(stale).exhaustive(source, now)
    memory = remember(killed)
    assert memory.known == {"/t1.html"} and memory.walk_status == "started"


def test_a_report_failing_night_after_night_is_parked_and_retried_on_deep_walks():
    from extract.memory import PARK_AFTER, to_walk

    def failed(url: str, attempts: int) -> dict:
        return {
            "url": url,
            "role": "detail",
            "status": "failed",
            "attempts": attempts,
            "listing_title": "t",
            "listing_date": None,
        }

    memory = remember(
        {
            "/flaky.html": failed("http://a.cn/flaky.html", 2),
            "/broken.html": failed("http://a.cn/broken.html", PARK_AFTER),
        }
    )
    assert [it.url for it in memory.failed] == ["http://a.cn/flaky.html"]
    assert list(memory.parked) == ["/broken.html"]
    skip, retry = to_walk(memory, exhaustive=False)  # a normal night: not downloaded again
    assert "/broken.html" in skip and [it.url for it in retry] == ["http://a.cn/flaky.html"]
    skip, retry = to_walk(memory, exhaustive=True)  # a deep walk: tried again
    assert "/broken.html" not in skip and len(retry) == 2
