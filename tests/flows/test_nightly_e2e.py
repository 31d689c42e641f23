"""The real nightly flow, run by Prefect, against the real demo portal on 127.0.0.1."""

import duckdb
import pytest

from warehouse.published import parquet_connection
from warehouse.search import search

pytestmark = pytest.mark.e2e


def read_artifacts(key):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )


def test_nightly_flow_end_to_end(prefect_harness, demo_site, tmp_path):
    from flows.nightly import nightly

    sources = tmp_path / "sources.toml"
    sources.write_text(demo_site.sources_toml(), "utf-8")
    data = tmp_path / "data"

    summary = nightly(sources_file=str(sources), data_dir=str(data))
    assert summary["status"] == "completed" and summary["published"]
    assert summary["quality"] and all(
        q["failing"] == 0 for q in summary["quality"] if q["severity"] == "error"
    )
    assert summary["totals"]["documents"] == 4 and summary["totals"]["failed"] == 0

    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    facts = set(
        con.execute(
            "SELECT region, indicator, measure, value, qualifier, kind, year "
            "FROM fct_indicator_value"
        ).fetchall()
    )
    assert ("新乡市红旗区", "gdp", "level", 1.701e10, "exact", "estimate", 2017) in facts
    assert ("新乡市红旗区", "gdp", "growth_pct", 8.5, "exact", "target", 2018) in facts
    assert (
        "温州经济技术开发区",
        "fixed_asset_investment",
        "growth_pct",
        25.0,
        "stretch",
        "target",
        2018,
    ) in facts
    # the report published only as a .docx attachment
    assert (
        "新乡经济开发区",
        "industrial_va_above_scale",
        "growth_pct",
        8.0,
        "exact",
        "target",
        2018,
    ) in facts
    docs = con.execute(
        "SELECT title, report_type, report_year, publish_date::VARCHAR FROM dim_document ORDER BY 1"
    ).fetchall()
    assert ("红旗区2018年政府工作报告", "government_work_report", 2018, "2018-01-20") in docs
    published = parquet_connection(data / "parquet")
    for table in (
        "dim_region",
        "dim_indicator",
        "dim_document",
        "fct_indicator_value",
        "crawl_state",
    ):
        expected = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        got = published.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        assert got == expected and expected, table
    n_facts = con.execute("SELECT count(*) FROM fct_indicator_value").fetchone()[0]
    con.close()

    artifact = [
        a for a in read_artifacts("govreports-run-summary") if summary["load_id"] in str(a.data)
    ]
    assert artifact and "demo-xinxiang" in artifact[0].data and "Data quality" in artifact[0].data

    # a report appears on the portal; the next run fetches exactly it and duplicates nothing
    demo_site.publish(demo_site.held[0])
    demo_site.requests.clear()
    summary2 = nightly(sources_file=str(sources), data_dir=str(data))
    fetched_pages = [p for p in demo_site.requests if "/t20" in p]
    assert fetched_pages == [demo_site.held[0].path]
    assert summary2["totals"]["new"] == 1 and summary2["totals"]["fetched"] == 1

    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT url) FROM dim_document").fetchone() == (
        5,
        5,
    )
    total, distinct = con.execute(
        "SELECT count(*), count(DISTINCT fact_key) FROM fct_indicator_value"
    ).fetchone()
    assert total == distinct > n_facts
    assert (
        con.execute("SELECT count(*) FROM load_audit WHERE status = 'completed'").fetchone()[0] == 2
    )
    assert ("株洲市天元区", "gdp", "growth_pct", 8.5, "target", 2019) in con.execute(
        "SELECT region, indicator, measure, value, kind, year FROM fct_indicator_value"
    ).fetchall()
    new_url, new_text = con.execute(
        "SELECT url, doc_text FROM dim_document WHERE url LIKE ?", [f"%{demo_site.held[0].path}"]
    ).fetchone()
    con.close()
    # the search index took in the new report (cut alone, not the index rebuilt): its longest
    # line finds it first
    index = data / "parquet" / "search.duckdb"
    meta = duckdb.connect(str(index), read_only=True)
    assert meta.execute("SELECT changed_postings FROM index_meta").fetchone()[0] > 0
    meta.close()
    longest = max(new_text.splitlines(), key=len)
    assert search(index, longest)[0][1] == new_url

    # a night with nothing new republishes only its run's audit and crawl state
    parquet = data / "parquet"
    kept = [*parquet.glob("fct_indicator_value/**/*.parquet"), parquet / "search.duckdb"]
    kept += [*parquet.glob("dim_document/*.parquet")]
    before = {p: p.stat().st_mtime_ns for p in kept}
    audit = parquet / "load_audit" / "data.parquet"
    audited = audit.stat().st_mtime_ns
    summary3 = nightly(sources_file=str(sources), data_dir=str(data))
    assert summary3["totals"]["fetched"] == 0 and summary3["published"]
    assert {p: p.stat().st_mtime_ns for p in kept} == before
    assert audit.stat().st_mtime_ns != audited  # the run itself is published


def test_failed_quality_gate_blocks_publishing(prefect_harness, tmp_path):
    from dataclasses import replace

    from flows.nightly import _gate_and_publish
    from flows.paths import DataPaths
    from flows.settings import Settings
    from tests.warehouse.test_store import fact, load
    from transform.indicators import default_catalogue
    from warehouse.store import Warehouse

    paths = DataPaths.at(tmp_path)
    with Warehouse(paths.warehouse) as wh:
        wh.upsert_indicators(default_catalogue(), "l1")
        wh.start_load("l1", None)
        wh.load_documents([load(facts=[replace(fact(6.0), qualifier="maybe")])], "l1")
        summary = {"status": "completed", "totals": {}, "sources": []}
        _gate_and_publish(wh, paths, "l1", summary, Settings())
        status = wh.con.execute("SELECT status FROM load_audit WHERE load_id = 'l1'").fetchone()[0]
    assert summary["published"] is False and status == "failed_quality"
    assert not paths.parquet.exists()


def test_failures_fail_the_run_and_streaks_are_called_out(prefect_harness, demo_site, tmp_path):
    from flows.nightly import nightly

    sources = tmp_path / "sources.toml"
    sources.write_text(demo_site.sources_toml(), "utf-8")
    demo_site.broken_paths.add("/xxgk/wenzhou/index.html")
    for run_no in (1, 2):
        state = nightly(
            sources_file=str(sources), data_dir=str(tmp_path / "data"), return_state=True
        )
        assert state.is_failed() and "completed_with_failures" in state.message
        summary = state.result(raise_on_failure=False)
        by_source = {s["source"]: s for s in summary["sources"]}
        assert (
            by_source["demo-wenzhou"]["failed"] == 1 and by_source["demo-xinxiang"]["failed"] == 0
        )
        assert summary["published"]  # the other sources' reports are still published
        if run_no == 1:
            docs = by_source["demo-xinxiang"]["new_documents"]
            assert len(docs) == 3 and any(
                "gdp growth_pct 8.5 exact target 2018" in d["headline"] for d in docs
            )
    assert summary["failure_streaks"] == {"demo-wenzhou": 2}
    first = {s["source"]: s for s in summary["sources"]}["demo-xinxiang"]
    assert first["new_documents"] == []  # nothing new on the second run


def test_a_run_takes_the_sources_its_selection_names(prefect_harness, demo_site, tmp_path):
    from flows.nightly import nightly

    sources = tmp_path / "sources.toml"
    sources.write_text(demo_site.sources_toml(), "utf-8")
    data = str(tmp_path / "data")
    summary = nightly(sources_file=str(sources), data_dir=data, only_levels=["zone", "district"])
    assert sorted(s["source"] for s in summary["sources"]) == ["demo-wenzhou", "demo-zhuzhou"]
    summary = nightly(sources_file=str(sources), data_dir=data, only_provinces=["河南省"])
    assert [s["source"] for s in summary["sources"]] == ["demo-xinxiang"]
    state = nightly(
        sources_file=str(sources), data_dir=data, only_provinces=["火星省"], return_state=True
    )
    assert state.is_failed() and "no source in province 火星省" in str(
        state.result(raise_on_failure=False)
    )


def test_backfill_refetches_one_source_within_dates(prefect_harness, demo_site, tmp_path):
    from datetime import date

    from flows.nightly import backfill, nightly

    sources = tmp_path / "sources.toml"
    sources.write_text(demo_site.sources_toml(), "utf-8")
    data = str(tmp_path / "data")
    nightly(sources_file=str(sources), data_dir=data)
    con = duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True)
    before = con.execute("SELECT fact_key FROM fct_indicator_value ORDER BY 1").fetchall()
    con.close()
    demo_site.requests.clear()
    summary = backfill(
        sources_file=str(sources),
        source_id="demo-xinxiang",
        data_dir=data,
        since=date(2018, 1, 1),
        refetch=True,
        max_pages=5,
    )
    assert [s["source"] for s in summary["sources"]] == ["demo-xinxiang"]
    assert summary["sources"][0]["fetched"] == 2  # the 2014 report is outside the range
    assert sorted(p for p in demo_site.requests if "/t20" in p) == [
        "/xxgk/xinxiang/201801/t20180120_1002.html",
        "/xxgk/xinxiang/201802/t20180226_1003.html",
    ]
    con = duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True)
    assert con.execute("SELECT fact_key FROM fct_indicator_value ORDER BY 1").fetchall() == before
    con.close()


def test_a_crashed_batch_is_recorded_and_retried_next_run(
    prefect_harness, demo_site, tmp_path, monkeypatch
):
    """A fetch/extract task that crashes (after its retries) loses nothing: its reports are
    recorded as failed with the reason, the other batches load, and the next run gets them."""
    import flows.nightly as nightly_module
    from flows.nightly import nightly

    sources = tmp_path / "sources.toml"
    sources.write_text(demo_site.sources_toml(), "utf-8")
    data = tmp_path / "data"
    real_fetch_items = nightly_module.fetch_items

    def crashing(source, items, *args, **kwargs):
        if any("_2001." in it.url for it in items):
            raise MemoryError("worker ran out of memory")
        return real_fetch_items(source, items, *args, **kwargs)

    monkeypatch.setenv("GOVREPORTS_BATCH_SIZE", "1")
    monkeypatch.setattr(nightly_module, "fetch_items", crashing)
    monkeypatch.setattr(
        nightly_module,
        "fetch_batch_task",
        nightly_module.fetch_batch_task.with_options(retries=0),
    )
    state = nightly(sources_file=str(sources), data_dir=str(data), return_state=True)
    summary = state.result(raise_on_failure=False)
    assert state.is_failed() and summary["status"] == "completed_with_failures"
    assert (summary["totals"]["documents"], summary["totals"]["failed"]) == (3, 1)
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    (failed,) = con.execute("SELECT url, error FROM crawl_state WHERE status = 'failed'").fetchall()
    con.close()
    assert "_2001." in failed[0] and "batch crashed" in failed[1] and "MemoryError" in failed[1]

    monkeypatch.setattr(nightly_module, "fetch_items", real_fetch_items)
    again = nightly(sources_file=str(sources), data_dir=str(data))
    assert again["status"] == "completed"
    assert (again["totals"]["fetched"], again["totals"]["documents"]) == (1, 1)


def test_publishing_never_shrinks_silently(prefect_harness, demo_site, tmp_path):
    """The fact table emptied behind the pipeline's back (say by a DROP a user typed): the next
    night fails unpublished and the good Parquet stays; --allow-shrink publishes."""
    import os

    from flows.nightly import nightly
    from warehouse.store import Warehouse

    sources = tmp_path / "sources.toml"
    sources.write_text(demo_site.sources_toml(), "utf-8")
    data = tmp_path / "data"
    assert nightly(sources_file=str(sources), data_dir=str(data), return_state=True).is_completed()
    published = parquet_connection(data / "parquet")
    facts = published.execute("SELECT count(*) FROM fct_indicator_value").fetchone()[0]
    published.close()
    with Warehouse(data / "warehouse.duckdb") as wh:
        wh.con.execute("DELETE FROM fct_indicator_value")
    state = nightly(sources_file=str(sources), data_dir=str(data), return_state=True)
    assert state.is_failed() and "blocked by publish_would_shrink" in state.message
    summary = state.result(raise_on_failure=False)
    shrink = next(q for q in summary["quality"] if q["check"] == "publish_would_shrink")
    assert shrink["failing"] == 1 and shrink["sample"][0][0] == "fct_indicator_value"
    published = parquet_connection(data / "parquet")
    assert published.execute("SELECT count(*) FROM fct_indicator_value").fetchone()[0] == facts
    published.close()
    os.environ["GOVREPORTS_ALLOW_SHRINK"] = "1"
    try:
        state = nightly(sources_file=str(sources), data_dir=str(data), return_state=True)
    finally:
        del os.environ["GOVREPORTS_ALLOW_SHRINK"]
    assert state.is_completed()
    published = parquet_connection(data / "parquet")
    assert published.execute("SELECT count(*) FROM fct_indicator_value").fetchone()[0] == 0
    published.close()
