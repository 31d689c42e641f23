"""Hostile reports through the crawl stages, on a real portal on 127.0.0.1: one report's broken
file never fails the reports beside it, and a page whose charset lies is read right."""

from __future__ import annotations

from extract.http import HttpClient
from extract.rawstore import RawStore
from extract.sources import parse_sources
from flows.stages import crawl_source, load_results
from tests.docxgen import corrupt_docx, docx_bytes
from tests.faultserver import FaultServer
from warehouse.store import Warehouse

REPORT = "某市2024年政府工作报告\n一、2023年工作回顾\n全市地区生产总值增长6.5%，一般公共预算收入增长5%。\n"
HTML = {"Content-Type": "text/html"}


def portal(server: FaultServer) -> None:
    items = "".join(
        f"<li><a href='/xxgk/202401/t2024012{i}_{i}.html'>某市2024年政府工作报告（{i}）</a>"
        f" 2024-01-2{i}</li>"
        for i in (1, 2, 3)
    )
    server.routes["/xxgk/index.html"] = lambda n: (
        200,
        HTML,
        f"<html><body><ul>{items}</ul></body></html>".encode(),
    )

    def thin_page(att: str) -> bytes:
        return (
            "<html><head><meta charset='utf-8'></head><body><div class='TRS_Editor'>"
            f"<p>全文见附件</p><a href='./{att}'>全文.docx</a></div></body></html>"
        ).encode()

    full = docx_bytes(REPORT * 30)
    server.routes["/xxgk/202401/t20240121_1.html"] = lambda n: (200, HTML, thin_page("P1.docx"))
    server.routes["/xxgk/202401/P1.docx"] = lambda n: (200, {}, full)
    server.routes["/xxgk/202401/t20240122_2.html"] = lambda n: (200, HTML, thin_page("P2.docx"))
    server.routes["/xxgk/202401/P2.docx"] = lambda n: (200, {}, corrupt_docx(full))
    # GBK bytes under a header that says Latin-1 (and no <meta>): mojibake before
    lying = f"<html><body><div class='TRS_Editor'><p>{REPORT}</p></div></body></html>"
    server.routes["/xxgk/202401/t20240123_3.html"] = lambda n: (
        200,
        {"Content-Type": "text/html; charset=iso-8859-1"},
        lying.encode("gbk"),
    )


def test_a_broken_attachment_fails_its_report_only_and_a_lying_charset_is_read_right(tmp_path):
    server = FaultServer()
    portal(server)
    (source,) = parse_sources(
        f'[[sources]]\nid = "city"\nname = "某市"\nregion = "某市"\n'
        f'start_urls = ["{server.url}/xxgk/index.html"]\nallow_private = true\ndelay_seconds = 0.0\n'
    )
    try:
        with Warehouse(tmp_path / "w.duckdb") as wh:
            result = crawl_source(
                source, HttpClient(backoff=0.01), RawStore(tmp_path / "raw"), set()
            )
            load_results(wh, result, "load")
            loaded = dict(wh.con.execute("SELECT url, fact_count FROM dim_document").fetchall())
            states = {
                r[0]: r[1:]
                for r in wh.con.execute(
                    "SELECT url, status, error FROM crawl_state WHERE role = 'detail'"
                ).fetchall()
            }
    finally:
        server.stop()
    good, broken, lying = (f"{server.url}/xxgk/202401/t2024012{i}_{i}.html" for i in (1, 2, 3))
    assert result.fetched == 3 and result.failed == 1
    assert loaded[good] >= 2 and loaded[lying] >= 2  # the GBK page has its facts
    assert broken not in loaded
    assert states[broken][0] == "failed" and "broken .docx" in states[broken][1]
    assert states[good] == ("ok", None) and states[lying] == ("ok", None)


def test_a_listing_of_thousands_of_reports_is_fetched_a_night_at_a_time(tmp_path):
    from flows.stages import discover_new

    server = FaultServer()
    links = "".join(
        f"<li><a href='/xxgk/t2024{i:04d}_{i}.html'>某县政府工作报告{i}</a></li>"
        for i in range(3000)
    )
    server.routes["/xxgk/index.html"] = lambda n: (
        200,
        HTML,
        f"<html><body><ul>{links}</ul></body></html>".encode(),
    )
    (source,) = parse_sources(
        f'[[sources]]\nid = "c"\nname = "某县"\nregion = "某县"\n'
        f'start_urls = ["{server.url}/xxgk/index.html"]\nallow_private = true\n'
        "delay_seconds = 0.0\nmax_new_reports = 200\n"
    )
    try:
        tally, items = discover_new(source, HttpClient(), RawStore(tmp_path), set())
    finally:
        server.stop()
    assert (tally.listed, tally.new, len(items), tally.deferred) == (3000, 3000, 200, 2800)
    assert server.hits["/xxgk/index.html"] == 1 and len(server.hits) <= 2  # and robots.txt


def test_a_correction_in_an_attachment_is_seen_on_revisit(tmp_path):
    from datetime import UTC, datetime, timedelta

    from flows.stages import due_for_revisit

    server = FaultServer()
    versions = {"docx": docx_bytes(REPORT * 30)}
    page = (
        "<html><head><meta charset='utf-8'></head><body><div class='TRS_Editor'>"
        "<p>全文见附件</p><a href='./P1.docx'>全文.docx</a></div></body></html>"
    ).encode()
    server.routes["/xxgk/index.html"] = lambda n: (
        200,
        HTML,
        "<html><body><ul><li><a href='/xxgk/202401/t20240121_1.html'>某市2024年政府工作报告</a>"
        " 2024-01-21</li></ul></body></html>".encode(),
    )
    server.routes["/xxgk/202401/t20240121_1.html"] = lambda n: (
        (304, {}, b"")
        if server.last_headers.get("if-none-match") == '"p1"'
        else (200, {**HTML, "ETag": '"p1"'}, page)
    )
    server.routes["/xxgk/202401/P1.docx"] = lambda n: (200, {}, versions["docx"])
    (source,) = parse_sources(
        f'[[sources]]\nid = "city"\nname = "某市"\nregion = "某市"\n'
        f'start_urls = ["{server.url}/xxgk/index.html"]\nallow_private = true\n'
        "delay_seconds = 0.0\nrevisit_days = 0\n"
    )
    client, store = HttpClient(backoff=0.01), RawStore(tmp_path / "raw")

    def night(wh: Warehouse):
        due = due_for_revisit(wh, source, datetime.now(UTC) + timedelta(days=1))
        result = crawl_source(source, client, store, {"/xxgk/202401/t20240121_1.html"}, revisit=due)
        load_results(wh, result, "load")
        facts = wh.con.execute(
            "SELECT indicator, value FROM fct_indicator_value ORDER BY 1, 2"
        ).fetchall()
        return result, facts

    try:
        with Warehouse(tmp_path / "w.duckdb") as wh:
            first = crawl_source(source, client, store, set())
            load_results(wh, first, "load")
            unchanged, facts_before = night(wh)  # page 304, attachment the same
            assert (unchanged.revisited, unchanged.changed, unchanged.fetched) == (1, 0, 0)
            versions["docx"] = docx_bytes(REPORT.replace("6.5%", "7.5%") * 30)
            corrected, facts_after = night(wh)  # page 304, the attachment corrected
    finally:
        server.stop()
    assert (corrected.revisited, corrected.changed) == (1, 1)
    assert ("gdp", 6.5) in facts_before and ("gdp", 7.5) in facts_after
    assert ("gdp", 6.5) not in facts_after  # replaced, not added
