"""The `govreports` command as users run it (real subprocesses)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli_files import DOCUMENT_FIELDS
from tests.conftest import SEEDS
from transform.model import FACT_FIELDS


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_reprocess_without_a_warehouse(tmp_path):
    res = cli("reprocess", "--data-dir", str(tmp_path))
    assert res.returncode == 2 and res.stderr.strip().endswith("no warehouse here to reprocess")


def test_bad_sources_file_is_one_line_error(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text(
        '[[sources]]\nid = "a"\nname = "A"\nregion = "A市"\nstart_urls = "http://a.cn/"\n', "utf-8"
    )
    res = cli("run", "--sources", str(bad), "--data-dir", str(tmp_path / "d"))
    assert res.returncode == 2
    assert res.stderr.strip() == (
        f"govreports: {bad}: [[sources]] #1 (id 'a'): field 'start_urls' has the wrong type (str)"
    )
    res = cli("run", "--sources", str(tmp_path / "missing.toml"))
    assert (
        res.returncode == 2
        and "cannot read sources file" in res.stderr
        and "Traceback" not in res.stderr
    )


CATALOGUE = str(Path(__file__).parents[2] / "deploy" / "sources")


def test_sources_list_shows_the_catalogue_and_what_a_selection_takes():
    res = cli(
        "sources", "list", CATALOGUE, "--only-province", "浙江省", "--only-level", "county,district"
    )
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split()[:4] == ["source", "region", "level", "province"]
    rows = [ln.split() for ln in lines[2:] if ln.startswith("zj-")]
    assert rows and {(r[2], r[3]) for r in rows} <= {("county", "浙江省"), ("district", "浙江省")}
    assert lines[-1].startswith(f"{len(rows)} sources in 1 provinces")
    listed = json.loads(
        cli("sources", "list", CATALOGUE, "--only-level", "province", "--format", "json").stdout
    )
    # every provincial government, some with a second column (plans as well as reports)
    assert len({r["region"] for r in listed}) == 31 and {r["level"] for r in listed} == {"province"}


def test_a_selection_that_takes_nothing_is_one_line_before_anything_runs(tmp_path):
    for flags, says in (
        (("--only-province", "火星省"), "no source in province 火星省"),
        (("--only-level", "village"), "unknown level village"),
        (("--only", "nope"), "no source with id nope"),
    ):
        res = cli("run", "--sources", CATALOGUE, "--data-dir", str(tmp_path / "d"), *flags)
        assert res.returncode == 2 and says in res.stderr and len(res.stderr.splitlines()) == 1
    assert not (tmp_path / "d").exists()  # nothing fetched, nothing written


def test_extract_prints_facts_with_the_contract_fields(tmp_path):
    seed = next(SEEDS.glob("003_*.txt"))
    gbk = tmp_path / "report_gbk.txt"
    gbk.write_bytes(seed.read_text("utf-8").encode("gbk", errors="ignore"))
    res = cli("extract", str(seed), str(gbk))
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert rows and set(rows[0]) == {*FACT_FIELDS, *DOCUMENT_FIELDS}
    assert rows[0]["report_type"] == "work_summary" and rows[0]["report_year"] == 2018
    by_doc = {}
    for r in rows:
        by_doc.setdefault(r["document"], []).append((r["indicator"], r["value"], r["qualifier"]))
    assert by_doc[str(seed)] == by_doc[str(gbk)]  # same facts from UTF-8 and GBK bytes
    assert ("fixed_asset_investment", 25.0, "stretch") in by_doc[str(seed)]

    res = cli("extract", "--format", "csv", str(seed))
    assert res.stdout.splitlines()[0].startswith("indicator,indicator_text,measure,value")


def test_extract_with_the_region_a_crawler_would_know():
    seed = next(SEEDS.glob("002_*.txt"))
    res = cli("extract", "--region", "新乡市", str(seed))
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert {(r["doc_region"], r["region_level"], r["region_code"]) for r in rows} == {
        ("新乡市红旗区", "district", "410702")
    }


def test_extract_bad_and_empty_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = cli("extract", str(empty))  # an empty file is named, never a silent success
    assert (res.returncode, res.stdout) == (1, "")
    assert res.stderr.strip() == f"govreports: {empty}: no text: the page or file is empty"
    noise = tmp_path / "noise.bin"
    noise.write_bytes(bytes(range(256)) * 64)
    res = cli("extract", str(noise), str(empty))  # goes on past a bad file, names each
    assert res.returncode == 1 and "does not decode plausibly" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 2
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    res = cli("extract", str(tmp_path / "missing.txt"), str(doc), str(empty))
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert lines == [
        f"govreports: {tmp_path / 'missing.txt'}: cannot read (No such file or directory)",
        f"govreports: {doc}: legacy .doc/.wps (OLE) documents are not supported",
        f"govreports: {empty}: no text: the page or file is empty",
    ]


def test_query_reads_published_parquet(tmp_path):
    from tests.warehouse.test_store import load
    from transform.indicators import default_catalogue
    from warehouse.publish import publish_parquet
    from warehouse.store import Warehouse

    with Warehouse(tmp_path / "warehouse.duckdb") as wh:
        wh.upsert_indicators(default_catalogue(), "l1")
        wh.start_load("l1", None)
        wh.load_documents([load()], "l1")
        wh.finish_load("l1", "completed", {"totals": {}})
        publish_parquet(wh.con, tmp_path / "parquet")
        # the live file stays locked by this writer: the query must not need it
        res = cli(
            "query",
            "--data-dir",
            str(tmp_path),
            "--format",
            "json",
            "SELECT indicator, value, indicator_name FROM v_indicator_values",
        )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {
        "indicator": "gdp",
        "value": 6.0,
        "indicator_name": "地区生产总值",
    }
    res = cli("query", "--data-dir", str(tmp_path), "SELEC nonsense")
    assert (
        res.returncode == 2
        and res.stderr.startswith("govreports: Parser Error")
        and len(res.stderr.strip().splitlines()) == 1
    )


@pytest.mark.e2e
def test_demo_command_and_rerun(tmp_path):
    data = tmp_path / "data"
    first = cli("demo", "--data-dir", str(data))
    assert first.returncode == 0, first.stderr[-2000:]
    assert "total" in first.stdout and "facts per indicator: " in first.stdout
    total_line = next(line for line in first.stdout.splitlines() if line.startswith("total"))
    # listed, new, fetched, failed: five sample reports and two made-up ones (示例县)
    assert total_line.split()[1:5] == ["7", "7", "7", "0"]
    assert (data / "parquet" / "views.sql").exists()
    assert "<svg" in (data / "parquet" / "report.html").read_text("utf-8")
    assert list((data / "parquet" / "fct_indicator_value").glob("year=*/*.parquet"))

    assert "overall: 7 of 7 reports discovered so far done, 0 left; 4 of 4 sources done" in (
        first.stdout + first.stderr
    )
    # a new port, the same portal: nothing new; --quiet: no progress lines
    second = cli("demo", "--data-dir", str(data), "--quiet")
    assert "reports done" not in second.stdout + second.stderr
    total_line2 = next(line for line in second.stdout.splitlines() if line.startswith("total"))
    # paging stops at known items, so fewer items are even listed
    assert total_line2.split()[2:5] == ["0", "0", "0"] and int(total_line2.split()[1]) < 7
    res = cli(
        "query",
        "--data-dir",
        str(data),
        "--format",
        "csv",
        "SELECT count(*) AS facts, count(DISTINCT fact_key) AS distinct_facts, "
        "(SELECT count(*) FROM dim_document) AS docs FROM fct_indicator_value",
    )
    facts, distinct, docs = res.stdout.splitlines()[1].split(",")
    assert facts == distinct and docs == "7"
    met = cli(
        "query",
        "--data-dir",
        str(data),
        "--format",
        "csv",
        "SELECT target_met, count(*) FROM v_target_attainment WHERE actual_value IS NOT NULL "
        "GROUP BY ALL ORDER BY 1",
    )
    assert met.stdout.splitlines()[1:] == ["False,2", "True,4"]  # the made-up county

    found = cli("search", "--data-dir", str(data), "--limit", "3", "限上固定资产投资 力争")
    assert (
        found.returncode == 0 and "温州经济技术开发区2018年工作报告" in found.stdout.splitlines()[0]
    )

    st = cli("status", "--data-dir", str(data))
    assert st.returncode == 0, st.stderr
    assert (
        "demo-xinxiang" in st.stdout
        and "last runs:" in st.stdout
        and "failing URLs" not in st.stdout
    )

    rep = cli("reprocess", "--data-dir", str(data))  # offline: the demo portal is gone
    assert rep.returncode == 0, rep.stderr[-2000:]
    assert f"reprocessed 7 documents from the raw zone: {facts} facts, 0 failures" in rep.stdout
    res = cli(
        "query",
        "--data-dir",
        str(data),
        "--format",
        "csv",
        "SELECT count(*), max(status) FROM load_audit",
    )
    assert res.stdout.splitlines()[1] == "3,completed"
    assert Path(data / "demo_sources.toml").exists()


def test_eval_command(tmp_path):
    gold = Path(__file__).parents[1] / "transform" / "gold" / "seeds.jsonl"
    res = cli("eval", str(gold), "--docs", str(SEEDS), "--format", "json")
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["strict"]["f1"] >= 0.95 and "gdp" in report["per_indicator"]
    res = cli("eval", str(gold), "--docs", str(SEEDS), "--min-f1", "1.01")
    assert res.returncode == 1 and "below --min-f1" in res.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"document": "x.txt", "indicator": "gdp"}\n', "utf-8")
    res = cli("eval", str(bad))
    assert res.returncode == 2 and res.stderr.startswith(
        f"govreports: {bad}:1: missing field(s) measure"
    )


def test_extract_explains_how_each_fact_was_dated(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(
        "某区2024年政府工作报告\n一、2023年工作回顾\n预计全年实现地区生产总值520亿元，增长7.5%。\n"
        "二、2024年主要预期目标\n地区生产总值增长6%左右，力争增长6.5%。\n"
        "全区单位生产总值能耗下降3%。\n",
        "utf-8",
    )
    rows = [json.loads(line) for line in cli("extract", str(report)).stdout.splitlines()]
    assert [(r["kind"], r["year"], r["year_basis"], r["kind_basis"]) for r in rows] == [
        ("estimate", 2023, "heading", "预计"),
        ("estimate", 2023, "heading", "预计"),
        ("target", 2024, "heading", "section"),
        ("target", 2024, "heading", "力争"),
        ("target", 2024, "heading", "section"),
    ]
    res = cli("extract", "--explain", str(report))
    assert res.returncode == 0, res.stderr
    blocks = res.stdout.split("report.txt [")[1:]
    assert len(blocks) == 5
    assert "gdp level 52,000,000,000 CNY (exact) -> estimate 2023" in blocks[0]
    assert "year 2023: from the section above «一、2023年工作回顾»" in blocks[0]
    assert "kind estimate: the word «预计»" in blocks[0]
    assert "kind target: the section it sits in «二、2024年主要预期目标»" in blocks[2]
    assert "kind target: the word «力争»" in blocks[3]
    assert "sentence: 全区单位生产总值能耗下降3%。" in blocks[4]
    res = cli("extract", "--format", "table", str(report))
    assert "heading" in res.stdout.splitlines()[2]  # the year_basis column, below the header


def test_extract_into_a_closed_pipe_is_quiet(tmp_path):
    seed = next(SEEDS.glob("002_*.txt"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "extract", "--explain", str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    assert proc.wait(timeout=120) == 0
    assert proc.stderr.read() == b""


def test_eval_scores_per_level_and_genre(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("一、2023年工作回顾\n全县地区生产总值增长7%。", "utf-8")
    (docs / "b.txt").write_text("一、2023年工作回顾\n全区地区生产总值增长5%。", "utf-8")
    fact = {"indicator": "gdp", "measure": "growth_pct", "value_high": None, "unit": "percent",
            "qualifier": "exact", "kind": "actual", "year": 2023}  # fmt: skip
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "\n".join(
            json.dumps(row, ensure_ascii=False)
            for row in [
                {"document": "a.txt", "region_hint": "甲县", "level": "county", "genre": "report"},
                {
                    "document": "b.txt",
                    "region_hint": "乙区",
                    "level": "district",
                    "genre": "report",
                },
                {"document": "a.txt", **fact, "value": 7.0},
                {"document": "b.txt", **fact, "value": 6.0},  # the text says 5: a miss
            ]
        ),
        "utf-8",
    )
    res = cli("eval", str(gold), "--docs", str(docs), "--format", "json")
    assert res.returncode == 0, res.stderr
    groups = json.loads(res.stdout)["per_group"]
    assert groups["level"]["county"]["f1"] == 1.0 and groups["level"]["district"]["f1"] == 0.0
    assert groups["genre"]["report"]["tp"] == 1 and groups["genre"]["report"]["fn"] == 1
    text = cli("eval", str(gold), "--docs", str(docs)).stdout
    assert "level county" in text and "genre report" in text


def test_a_damaged_warehouse_is_one_line_and_exit_1(tmp_path):
    (tmp_path / "warehouse.duckdb").write_bytes(b"not a database" * 1000)
    res = cli("reprocess", "--data-dir", str(tmp_path))
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1
    assert "is damaged and cannot be opened" in res.stderr and "in use" not in res.stderr


def test_version_and_a_table_with_a_header_and_plain_numbers(tmp_path):
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("govreports 0.")
    report = tmp_path / "r.txt"
    report.write_text(
        "某市2024年政府工作报告\n二、2024年主要目标\n一般公共预算收入达到170.1亿元。\n", "utf-8"
    )
    res = cli("extract", "--format", "table", str(report))
    lines = res.stdout.splitlines()
    assert lines[0].split()[:3] == ["indicator", "measure", "value"]
    assert "17010000000" in lines[2] and "e+" not in res.stdout  # not 1.701e+10


def test_search_without_an_index_or_on_an_older_one_is_one_line(tmp_path):
    import duckdb

    res = cli("search", "--data-dir", str(tmp_path), "投资")
    assert res.returncode == 2 and "no search index yet" in res.stderr
    (tmp_path / "parquet").mkdir()
    old = duckdb.connect(str(tmp_path / "parquet" / "search.duckdb"))  # as fts built them
    old.execute("CREATE TABLE passages (passage_key VARCHAR, tokens VARCHAR)")
    old.close()
    res = cli("search", "--data-dir", str(tmp_path), "投资")
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    assert "the next `govreports run` rebuilds it" in res.stderr
