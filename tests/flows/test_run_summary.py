"""Run summaries (flows/run_summary.py) and the per-source tally they are built from
(flows/tally.py): what a person reads after a night, in the terminal and in Prefect."""

from __future__ import annotations

from datetime import UTC, datetime

from extract.fetch import FetchedReport
from extract.listing import ListingItem
from flows.run_summary import (
    failure_streaks,
    run_summary,
    summary_markdown,
    summary_table,
    summary_text,
)
from flows.tally import KEEP_DOCUMENT_SUMMARIES, SourceTally
from tests.warehouse.test_store import fact, load
from transform.model import CrawlRecord
from warehouse.store import Warehouse

NOW = datetime(2026, 1, 21, tzinfo=UTC)


def tally_with(n_loads: int, errors: int = 0) -> SourceTally:
    result = SourceTally("city", pages=2, listed=n_loads + errors, new=n_loads + errors)
    for i in range(n_loads):
        report = FetchedReport(ListingItem(f"http://a.cn/t{i}.html", "t", None), "fetched")
        report.page_ok = True
        report.detail = CrawlRecord(f"http://a.cn/t{i}.html", "city", "detail", "ok", NOW)
        result.add_report(report, load(f"http://a.cn/t{i}.html", facts=(fact(6.0), fact(7, "cpi"))))
    for i in range(errors):
        failed = FetchedReport(
            ListingItem(f"http://a.cn/bad{i}.html", "t", None), "failed", error="http status 500"
        )
        result.add_report(failed, None)
    return result


def test_a_tally_counts_reports_and_keeps_only_a_few_summaries_once_loaded():
    batch = tally_with(3, errors=1)
    assert (batch.fetched, batch.failed, batch.documents, batch.facts) == (3, 1, 3, 6)
    assert [r.role for r in batch.records] == ["detail"] * 3  # the failed page kept no record
    source = SourceTally("city")
    for _ in range(40):  # 120 documents loaded in batches: counted, a hundred summarised
        source.absorb(tally_with(3))
    assert source.documents == 120 and source.facts == 240 and source.loads == []
    assert len(source.summary()["new_documents"]) == KEEP_DOCUMENT_SUMMARIES


def test_the_summary_in_prefect_and_in_the_terminal():
    summary = run_summary([tally_with(2, errors=1)], NOW)
    summary.update(
        load_id="abc",
        status="completed_with_failures",
        failure_streaks={"city": 3},
        quality=[
            {
                "check": "facts_year_near_report",
                "severity": "error",
                "failing": 2,
                "what": "a fact's year far from its report's",
            }
        ],
        published=False,
    )
    assert summary["totals"] == {
        "pages": 2,
        "listed": 3,
        "new": 3,
        "fetched": 2,
        "failed": 1,
        "documents": 2,
        "facts": 4,
        "sources": 1,
    }
    assert summary_table(summary) == [
        {
            "source": "city",
            "listed": 3,
            "new": 3,
            "fetched": 2,
            "failed": 1,
            "documents": 2,
            "facts": 4,
        }
    ]
    md = summary_markdown(summary)
    assert "| city | 3 | 3 | 2 | 1 | 2 | 4 |" in md
    assert "gdp growth_pct 6 exact target 2026" in md  # the headline of a new document
    assert "failed 3 runs in a row" in md and "Parquet was not published" in md
    assert "http://a.cn/bad0.html: http status 500" in md
    text = summary_text(summary)
    assert text.splitlines()[1].split() == ["city", "3", "3", "2", "1", "2", "4"]
    assert "Parquet NOT published" in text and "quality error: facts_year_near_report" in text


def test_failure_streaks_count_consecutive_failing_runs(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as wh:
        for i, failed in enumerate((1, 0, 2, 1)):  # oldest first: fail, ok, fail, fail
            wh.start_load(f"l{i}", None)
            sources = [{"source": "city", "failed": failed}, {"source": "town", "failed": 0}]
            wh.finish_load(f"l{i}", "completed", {"totals": {}, "sources": sources})
        streaks = failure_streaks(wh, ["city", "town"], failed_now={"city", "town"})
    # this run plus the two failing runs before it; town failed only now
    assert streaks == {"city": 3, "town": 1}


def test_the_run_summary_shows_targets_against_results():
    summary = run_summary([tally_with(1)], NOW)
    summary["attainment"] = [
        {
            "region": "示例县",
            "indicator": "gdp",
            "measure": "growth_pct",
            "unit": "percent",
            "year": 2023,
            "target_value": 6.5,
            "target_qualifier": "approx",
            "actual_value": 6.3,
            "target_met": True,
        },
        {
            "region": "示例县",
            "indicator": "retail_sales",
            "measure": "growth_pct",
            "unit": "percent",
            "year": 2024,
            "target_value": 7.0,
            "target_qualifier": "exact",
            "actual_value": None,
            "target_met": None,
        },
    ]
    md = summary_markdown(summary)
    assert "## Targets against results" in md
    assert "| 示例县 | gdp | growth_pct (percent) | 2023 | 6.5 approx | 6.3 | yes |" in md
    assert "retail_sales" not in md.split("## Targets against results")[1]  # pending: not shown
