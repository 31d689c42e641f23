"""The pipeline's plain stages against the real demo portal, without Prefect."""

from extract.http import HttpClient
from extract.rawstore import RawStore
from extract.sources import parse_sources
from flows.stages import crawl_memory, crawl_source, known_keys, load_results
from warehouse.store import Warehouse


def run_once(site, tmp_path, client):
    sources = parse_sources(site.sources_toml())
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = []
        for s in sources:
            known, failed = crawl_memory(wh, s.id)
            r = crawl_source(s, client, RawStore(tmp_path / "raw"), known, retry=failed)
            load_results(wh, r, "load-test")
            results.append(r)
        counts = wh.table_counts()
        facts = wh.con.execute(
            "SELECT fact_key, value FROM fct_indicator_value ORDER BY 1"
        ).fetchall()
    return {r.source_id: r for r in results}, counts, facts


def detail_requests(site):
    return [p for p in site.requests if "/t20" in p or p.endswith(".docx")]


def test_crawl_is_incremental_and_idempotent(demo_site, tmp_path):
    client = HttpClient()
    first, counts, facts = run_once(demo_site, tmp_path, client)
    assert first["demo-xinxiang"].fetched == 3 and first["demo-wenzhou"].fetched == 1
    assert first["demo-zhuzhou"].fetched == 0  # held back by the fixture
    assert counts["dim_document"] == 4 and counts["fct_indicator_value"] == len(facts) > 40
    # the attachment-only report was read from its .docx
    assert any(p.endswith(".docx") for p in demo_site.requests)

    demo_site.requests.clear()
    second, counts2, facts2 = run_once(demo_site, tmp_path, client)
    assert detail_requests(demo_site) == []
    assert all(r.fetched == 0 and r.new == 0 for r in second.values())
    assert (counts2, facts2) == (counts, facts)

    demo_site.publish(demo_site.held[0])
    demo_site.requests.clear()
    third, counts3, _ = run_once(demo_site, tmp_path, client)
    assert len(detail_requests(demo_site)) == 1
    assert third["demo-zhuzhou"].fetched == 1
    assert counts3["dim_document"] == 5


def test_failed_page_is_recorded_and_retried(demo_site, tmp_path):
    client = HttpClient(backoff=0.01, max_retries=1)
    broken = "/xxgk/wenzhou/201802/t20180212_2001.html"
    demo_site.broken_paths.add(broken)
    first, counts, _ = run_once(demo_site, tmp_path, client)
    assert (
        first["demo-wenzhou"].failed == 1
        and first["demo-wenzhou"].errors[0][1] == "http status 500"
    )
    with Warehouse(tmp_path / "w.duckdb") as wh:
        row = wh.crawl_state("demo-wenzhou")[broken]
    assert row["status"] == "failed" and row["error"] == "http status 500"
    assert counts["dim_document"] == 3

    demo_site.broken_paths.clear()
    second, counts2, _ = run_once(demo_site, tmp_path, client)
    assert second["demo-wenzhou"].fetched == 1 and counts2["dim_document"] == 4
    with Warehouse(tmp_path / "w.duckdb") as wh:
        row = wh.crawl_state("demo-wenzhou")[broken]
    assert row["status"] == "ok" and row["attempts"] == 2 and row["error"] is None


def test_reprocess_from_raw_zone_without_network(demo_site, tmp_path):
    from flows.stages import reprocess_documents

    _, counts, facts = run_once(demo_site, tmp_path, HttpClient())
    demo_site.stop()  # no network from here on
    store = RawStore(tmp_path / "raw")
    log = store.fetch_log()
    assert {"url", "status", "headers", "fetched_at", "sha256"} <= set(log[0])
    assert any(r["url"].endswith(".docx") for r in log) and any("index" in r["url"] for r in log)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        wh.con.execute(
            "DELETE FROM fct_indicator_value WHERE indicator = 'gdp'"
        )  # an older extractor
        result = reprocess_documents(wh, store, "reprocess-1")
        assert (result.documents, result.errors) == (4, [])
        again = wh.con.execute(
            "SELECT fact_key, value FROM fct_indicator_value ORDER BY 1"
        ).fetchall()
        assert again == facts and wh.table_counts()["dim_document"] == counts["dim_document"]
        # the attachment-only report was re-read from its .docx, not from its thin page
        docx_doc = wh.con.execute(
            "SELECT content_url, fact_count FROM dim_document WHERE content_url LIKE '%.docx'"
        ).fetchone()
        assert docx_doc[1] > 5


def test_unsupported_attachment_is_recorded_once(demo_site, tmp_path):
    from dataclasses import replace

    doc = replace(demo_site.held[0], id=4001, column="zhuzhou", form="docx")
    demo_site.publish(doc)
    # serve the attachment link as a legacy .doc
    original = demo_site._detail

    def detail(column, doc_id):
        status, ctype, body = original(column, doc_id)
        return status, ctype, body.replace(b".docx", b".doc") if doc_id == 4001 else body

    demo_site._detail = detail
    first, _, _ = run_once(demo_site, tmp_path, HttpClient())
    assert "unsupported attachment format (doc)" in first["demo-zhuzhou"].errors[0][1]
    with Warehouse(tmp_path / "w.duckdb") as wh:
        row = wh.crawl_state("demo-zhuzhou")[doc.path]
    assert row["status"] == "skipped"
    demo_site.requests.clear()
    second, _, _ = run_once(demo_site, tmp_path, HttpClient())
    assert doc.path not in demo_site.requests and second["demo-zhuzhou"].errors == []


def test_revisit_replaces_a_changed_report_and_skips_unchanged(demo_site, tmp_path):
    from dataclasses import replace
    from datetime import UTC, datetime

    from flows.stages import due_for_revisit

    run_once(demo_site, tmp_path, HttpClient())
    (source,) = [
        replace(s, revisit_days=0)
        for s in parse_sources(demo_site.sources_toml())
        if s.id == "demo-wenzhou"
    ]
    # the portal corrects its report: 20% becomes 21%
    old = next(d for d in demo_site.docs if d.id == 2001)
    demo_site.revise(replace(old, text=old.text.replace("增长20%、力争25%", "增长21%、力争25%")))
    with Warehouse(tmp_path / "w.duckdb") as wh:
        due = due_for_revisit(wh, source, datetime.now(UTC))
        assert [d.item.url for d in due] == [demo_site.url + old.path]
        result = crawl_source(
            source, HttpClient(), RawStore(tmp_path / "raw"), known_keys(wh, source.id), revisit=due
        )
        load_results(wh, result, "revisit")
        assert (result.revisited, result.changed, result.new) == (1, 1, 0)
        values = wh.con.execute(
            "SELECT value, qualifier FROM fct_indicator_value WHERE indicator = 'fixed_asset_investment' "
            "AND sentence LIKE '%力争25%' ORDER BY value"
        ).fetchall()
        assert values == [(21.0, "exact"), (25.0, "stretch")]
        assert (
            wh.con.execute(
                "SELECT count(*) FROM dim_document WHERE source_id = 'demo-wenzhou'"
            ).fetchone()[0]
            == 1
        )
        before = wh.con.execute("SELECT fact_key FROM fct_indicator_value ORDER BY 1").fetchall()
        # nothing changed since: checked, not reloaded
        result = crawl_source(
            source,
            HttpClient(),
            RawStore(tmp_path / "raw"),
            known_keys(wh, source.id),
            revisit=due_for_revisit(wh, source, datetime.now(UTC)),
        )
        load_results(wh, result, "revisit-2")
        assert (result.revisited, result.changed, result.loads) == (1, 0, [])
        assert (
            wh.con.execute("SELECT fact_key FROM fct_indicator_value ORDER BY 1").fetchall()
            == before
        )


def test_a_report_split_over_pages_is_read_whole_and_reprocessed_the_same(demo_site, tmp_path):
    from dataclasses import replace

    from flows.demo.site import PAGES
    from flows.stages import reprocess_documents

    whole = next(d for d in demo_site.docs if d.id == 1001)
    demo_site.revise(replace(whole, form="pages"))
    client = HttpClient()
    _, counts, facts = run_once(demo_site, tmp_path, client)
    stem = whole.path.removesuffix(".html")
    assert {f"{stem}_{n}.html" for n in range(1, PAGES)} <= set(demo_site.requests)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        content_url, fact_count = wh.con.execute(
            "SELECT content_url, fact_count FROM dim_document WHERE url LIKE ?", [f"%{whole.path}"]
        ).fetchone()
        states = wh.crawl_state("demo-xinxiang")
    assert content_url.endswith("#pages")
    assert all(states[f"{stem}_{n}.html"]["status"] == "ok" for n in range(1, PAGES))

    # the same report on one page gives the same facts (offsets aside: pages join with breaks)
    def readings(root):
        with Warehouse(root / "w.duckdb") as wh:
            return wh.con.execute(
                "SELECT indicator, measure, value, qualifier, kind, year FROM fct_indicator_value "
                "ORDER BY ALL"
            ).fetchall()

    one_page = tmp_path / "one"
    demo_site.revise(whole)
    run_once(demo_site, one_page, client)
    assert readings(tmp_path) == readings(one_page) and fact_count == 10

    # and reprocessing from the raw zone, without network, reads the same text
    demo_site.stop()
    with Warehouse(tmp_path / "w.duckdb") as wh:
        wh.con.execute("DELETE FROM fct_indicator_value")
        result = reprocess_documents(wh, RawStore(tmp_path / "raw"), "reprocess-pages")
        again = wh.con.execute("SELECT fact_key, value FROM fct_indicator_value ORDER BY 1")
        assert result.errors == [] and again.fetchall() == facts


def test_a_missing_page_fails_the_report_and_it_is_retried(demo_site, tmp_path):
    from dataclasses import replace

    whole = next(d for d in demo_site.docs if d.id == 1001)
    demo_site.revise(replace(whole, form="pages"))
    broken = whole.path.removesuffix(".html") + "_2.html"
    demo_site.broken_paths.add(broken)
    client = HttpClient(backoff=0.01, max_retries=1)
    first, _, _ = run_once(demo_site, tmp_path, client)
    assert any(broken in reason for _, reason in first["demo-xinxiang"].errors)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        assert wh.crawl_state("demo-xinxiang")[whole.path]["status"] == "failed"
        loaded = wh.con.execute(
            "SELECT count(*) FROM dim_document WHERE url LIKE ?", [f"%{whole.path}"]
        ).fetchone()[0]
    assert loaded == 0  # never loaded half

    demo_site.broken_paths.clear()
    second, _, _ = run_once(demo_site, tmp_path, client)
    assert second["demo-xinxiang"].fetched == 1 and second["demo-xinxiang"].errors == []


def test_reports_read_in_processes_are_those_read_in_threads(demo_site, tmp_path):
    # a new report's page is read first, alone (in a reading process when the run has them);
    # a page split over further pages, or a thin one with an attachment, is read again once
    # its parts are fetched
    from dataclasses import replace

    from flows.readers import reading_processes

    whole = next(d for d in demo_site.docs if d.id == 1001)
    demo_site.revise(replace(whole, form="pages"))
    (tmp_path / "threads").mkdir()
    (tmp_path / "processes").mkdir()
    _, counts, facts = run_once(demo_site, tmp_path / "threads", HttpClient())
    with reading_processes(2):
        _, in_processes, facts_in_processes = run_once(
            demo_site, tmp_path / "processes", HttpClient()
        )
    assert (in_processes, facts_in_processes) == (counts, facts) and len(facts) > 40
    with Warehouse(tmp_path / "processes" / "w.duckdb") as wh:
        read_from = [r[0] for r in wh.con.sql("SELECT content_url FROM dim_document").fetchall()]
    assert any(u.endswith("#pages") for u in read_from)
    assert any(u.endswith(".docx") for u in read_from)
