"""The pipeline's plain stages against the real demo portal, without Prefect."""

from extract.http import HttpClient
from extract.rawstore import RawStore
from extract.sources import parse_sources
from flows.stages import crawl_source, known_keys, load_results
from warehouse.store import Warehouse


def run_once(site, tmp_path, client):
    sources = parse_sources(site.sources_toml())
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = []
        for s in sources:
            r = crawl_source(s, client, RawStore(tmp_path / "raw"), known_keys(wh, s.id))
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
