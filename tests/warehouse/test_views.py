"""Analyst views on a hand-built case: targets set in one year's report, results in the next."""

from dataclasses import replace
from datetime import UTC, date, datetime

from transform.indicators import default_catalogue
from transform.model import Document, DocumentLoad, Fact, Region


def fact(indicator, measure, value, qualifier, kind, year, high=None, unit="percent"):
    return Fact(
        indicator,
        indicator,
        measure,
        value,
        high,
        unit,
        "%",
        qualifier,
        kind,
        year,
        "某市",
        f"{indicator} {value}",
        0,
        5,
        year_basis="unknown" if year is None else "title",
    )


def report(url, report_year, facts):
    doc = Document(
        "x",
        f"某市{report_year}年政府工作报告",
        date(report_year, 1, 20),
        None,
        "government_work_report",
        report_year,
        Region("某市", "city"),
    )
    facts = [replace(f, char_start=i, char_end=i + 1) for i, f in enumerate(facts)]
    return DocumentLoad(
        url, "src", url, "0" * 64, datetime(report_year, 1, 21, tzinfo=UTC), doc, tuple(facts)
    )


def test_target_attainment(tmp_path, new_warehouse):
    r2023 = report(
        "http://a.cn/2023.html",
        2023,
        [
            fact("gdp", "growth_pct", 6.0, "approx", "target", 2023),
            fact("fixed_asset_investment", "growth_pct", 10.0, "exact", "target", 2023),
            fact("fixed_asset_investment", "growth_pct", 12.0, "stretch", "target", 2023),
            fact("registered_unemployment_rate", "rate_pct", 4.5, "at_most", "target", 2023),
            fact("retail_sales", "growth_pct", 7.0, "range", "target", 2023, high=8.0),
            fact("exports", "growth_pct", 5.0, "exact", "target", 2023),
        ],
    )
    r2024 = report(
        "http://a.cn/2024.html",
        2024,
        [
            fact("gdp", "growth_pct", 5.8, "exact", "actual", 2023),  # within 5% of "6% 左右"
            fact("fixed_asset_investment", "growth_pct", 11.0, "exact", "actual", 2023),
            fact("registered_unemployment_rate", "rate_pct", 4.8, "exact", "estimate", 2023),
            fact("retail_sales", "growth_pct", 6.5, "exact", "estimate", 2023),
            fact("retail_sales", "growth_pct", 7.2, "exact", "actual", 2023),  # the actual wins
            fact("gdp", "growth_pct", 5.0, "approx", "target", 2024),
        ],
    )
    with new_warehouse() as wh:
        wh.upsert_indicators(default_catalogue(), "l")
        wh.load_documents([r2023, r2024], "l")
        rows = wh.con.execute(
            "SELECT indicator, year, target_value, stretch_value, actual_value, actual_kind, round(gap, 2), "
            "target_met, stretch_met FROM v_target_attainment ORDER BY indicator, year"
        ).fetchall()
        assert wh.con.execute("SELECT count(*) FROM v_targets").fetchone()[0] == 7
        assert wh.con.execute("SELECT count(*) FROM v_actuals").fetchone()[0] == 5
    assert rows == [
        ("exports", 2023, 5.0, None, None, None, None, None, None),
        ("fixed_asset_investment", 2023, 10.0, 12.0, 11.0, "actual", 1.0, True, False),
        ("gdp", 2023, 6.0, None, 5.8, "actual", -0.2, True, None),
        ("gdp", 2024, 5.0, None, None, None, None, None, None),
        ("registered_unemployment_rate", 2023, 4.5, None, 4.8, "estimate", 0.3, False, None),
        ("retail_sales", 2023, 7.0, None, 7.2, "actual", 0.2, True, None),
    ]


def test_facts_of_unknown_year_stay_out_of_attainment(tmp_path, new_warehouse):
    # a target and a result whose year could not be decided, beside a dated pair
    r2023 = report(
        "http://a.cn/2023.html",
        2023,
        [
            fact("gdp", "growth_pct", 6.0, "exact", "target", 2023),
            fact("retail_sales", "growth_pct", 7.0, "exact", "target", None),
        ],
    )
    r2024 = report(
        "http://a.cn/2024.html",
        2024,
        [
            fact("gdp", "growth_pct", 6.1, "exact", "actual", None),
            fact("retail_sales", "growth_pct", 7.5, "exact", "actual", None),
        ],
    )
    with new_warehouse() as wh:
        wh.upsert_indicators(default_catalogue(), "l")
        wh.load_documents([r2023, r2024], "l")
        rows = wh.con.execute(
            "SELECT indicator, year, target_value, actual_value FROM v_target_attainment"
        ).fetchall()
        basis = wh.con.execute(
            "SELECT year_basis, count(*) FROM v_indicator_values GROUP BY ALL ORDER BY 1"
        ).fetchall()
    assert rows == [("gdp", 2023, 6.0, None)]
    assert basis == [("title", 1), ("unknown", 3)]


# The pick of v_target_attainment as a window states it: the first row of each group in the
# order the view promises. The view picks by arg_min instead (a window carried every sentence
# through its sort); on many ties the two must agree row for row.
WINDOW_PICK = """
WITH ranked AS (
    SELECT *, row_number() OVER (PARTITION BY region, indicator, measure, unit, year, role
                                 ORDER BY kind = 'actual' DESC, publish_date DESC NULLS LAST,
                                          document_url, sentence) AS pick
    FROM (SELECT *, CASE WHEN kind = 'target' THEN 't' ELSE 'r' END AS role
          FROM v_indicator_values
          WHERE year IS NOT NULL AND ((kind = 'target' AND qualifier <> 'stretch'
                                       AND report_year = year)
                 OR (kind IN ('actual', 'estimate') AND report_year = year + 1)))
)
SELECT t.region, t.indicator, t.year, t.value, t.sentence, r.value, r.kind, r.sentence
FROM ranked t
LEFT JOIN ranked r ON r.role = 'r' AND r.pick = 1 AND r.region = t.region
     AND r.indicator = t.indicator AND r.measure = t.measure AND r.unit = t.unit
     AND r.year = t.year
WHERE t.role = 't' AND t.pick = 1
ORDER BY ALL
"""


def test_attainment_picks_as_the_window_order_says_on_ties(tmp_path, new_warehouse):
    loads = []
    for d in range(24):  # reports sharing dates (and some without one) and addresses' order
        published = None if d % 5 == 0 else date(2024 + d % 2, 1 + d % 3, 1)
        year = 2024 + d % 2
        facts = [
            fact(ind, "growth", float((d * 7 + k) % 11), qual, kind, yr)
            for k, (ind, qual, kind, yr) in enumerate(
                [
                    ("gdp", "plain", "target", year),
                    ("gdp", "approx", "target", year),
                    ("fixed_asset_investment", "plain", "target", year),
                    ("gdp", "plain", ["actual", "estimate"][d % 2], year - 1),
                    ("fixed_asset_investment", "plain", "estimate", year - 1),
                    ("fixed_asset_investment", "plain", "actual", year - 1),
                ][: 3 + d % 4]
            )
        ]
        load = report(f"http://a.cn/{'zyx'[d % 3]}{d}.html", year, facts)
        loads.append(replace(load, document=replace(load.document, publish_date=published)))
    with new_warehouse() as wh:
        wh.upsert_indicators(default_catalogue(), "l")
        wh.load_documents(loads, "l")
        picked = wh.con.execute(
            "SELECT a.region, a.indicator, a.year, a.target_value, a.target_sentence, "
            "a.actual_value, a.actual_kind, a.actual_sentence FROM v_target_attainment a "
            "ORDER BY ALL"
        ).fetchall()
        expected = wh.con.execute(WINDOW_PICK).fetchall()
    assert len(expected) >= 4 and any(r[5] is not None for r in expected)
    assert picked == expected


def test_attainment_runs_in_a_small_memory_limit_over_many_facts(tmp_path, monkeypatch):
    # 200,000 facts (targets and results of 25 groups) with sentences of ~600 bytes, written
    # by SQL: the run summary's query over them fits in 80 MB. A window over the facts (which
    # sorted every sentence) ran out of 96 MB here; three passes joined, out of 64.
    from warehouse.schema import query_sql
    from warehouse.store import Warehouse

    monkeypatch.setenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", "80MB")
    with Warehouse(tmp_path / "w.duckdb") as wh:
        wh.upsert_indicators(default_catalogue(), "l")
        wh.con.execute(
            "INSERT INTO dim_document BY NAME SELECT md5(i::VARCHAR) AS document_key, "
            "'s' AS source_id, 'u' || i AS url_key, 'http://a.cn/r' || i || '.html' AS url, "
            "'work_report' AS report_type, DATE '2023-01-01' + (i % 700)::INTEGER AS publish_date, "
            "2023 + i % 2 AS report_year, 'http://a.cn/r' || i || '.html' AS content_url, "
            "'0' AS sha256, 4 AS text_chars, 0 AS fact_count, 'v' AS extractor_version, "
            "now() AS fetched_at, 'text' AS doc_text, 'l' AS _load_id FROM range(2000) t(i)"
        )
        wh.con.execute(
            "INSERT INTO fct_indicator_value BY NAME SELECT md5('f' || i) AS fact_key, "
            "md5((i % 2000)::VARCHAR) AS document_key, d.indicator_key, d.indicator, "
            "d.indicator AS indicator_text, 'growth' AS measure, (i % 97) / 10.0 AS value, "
            "'percent' AS unit, '%' AS unit_text, 'plain' AS qualifier, "
            "CASE WHEN i % 2 = 0 THEN 'target' ELSE 'actual' END AS kind, "
            "2023 - i % 2 + (i % 2000) % 2 AS year, '某市' || (i // 2 % 25) AS region, "
            "repeat('全年地区生产总值增长', 20) || i AS sentence, 0 AS char_start, 5 AS char_end, "
            "'sentence' AS year_basis, 'sentence' AS kind_basis, 'l' AS _load_id "
            "FROM range(200000) t(i), "
            "(SELECT indicator_key, indicator FROM dim_indicator ORDER BY indicator LIMIT 1) d"
        )
        wh.con.execute("CHECKPOINT")
        rows = wh.con.execute(query_sql("attainment.sql"), [20]).fetchall()
        decided = wh.con.execute(
            "SELECT count(*) FROM v_target_attainment WHERE target_met IS NOT NULL"
        ).fetchone()[0]
    assert len(rows) == 20 and decided == 25


def test_a_target_without_a_region_is_shown_but_never_paired(tmp_path, new_warehouse):
    # two facts whose region is unknown may be two regions' numbers: the target is listed,
    # with neither a result nor a stretch goal beside it
    target, stretch, result = (
        replace(f, region=None)
        for f in (
            fact("gdp", "growth", 6.0, "plain", "target", 2024),
            fact("gdp", "growth", 7.0, "stretch", "target", 2024),
            fact("gdp", "growth", 6.5, "plain", "actual", 2024),
        )
    )
    with new_warehouse() as wh:
        wh.upsert_indicators(default_catalogue(), "l")
        wh.load_documents(
            [
                report("http://a.cn/2024.html", 2024, [target, stretch]),
                report("http://a.cn/2025.html", 2025, [result]),
            ],
            "l",
        )
        rows = wh.con.execute(
            "SELECT region, target_value, stretch_value, actual_value, target_met "
            "FROM v_target_attainment"
        ).fetchall()
    assert rows == [(None, 6.0, None, None, None)]
