"""The warehouse on real DuckDB files."""

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from transform.indicators import default_catalogue
from transform.model import Document, DocumentLoad, Fact, Region
from warehouse.keys import document_key, surrogate_key
from warehouse.publish import PUBLISHED_TABLES, STATE_FILE, publish_parquet
from warehouse.quality import run_checks
from warehouse.store import Warehouse, WarehouseBusy


def fact(value, indicator="gdp", start=0):
    return Fact(
        indicator,
        "地区生产总值",
        "growth_pct",
        value,
        None,
        "percent",
        "%",
        "exact",
        "target",
        2026,
        "某市",
        "地区生产总值增长6%。",
        start,
        start + 11,
        year_basis="title",
        kind_basis="目标",
    )


def load(url="http://a.cn/t1.html", facts=None, text="地区生产总值增长6%。"):
    facts = (fact(6.0),) if facts is None else facts
    doc = Document(
        text,
        "某市2026年政府工作报告",
        date(2026, 1, 20),
        "某市人民政府",
        "government_work_report",
        2026,
        Region("某市", "city"),
    )
    return DocumentLoad(
        url, "src", url, "0" * 64, datetime(2026, 1, 21, tzinfo=UTC), doc, tuple(facts)
    )


def test_reload_is_idempotent_and_keys_are_stable(tmp_path, new_warehouse):
    with new_warehouse() as wh:
        wh.upsert_indicators(default_catalogue(), "l1")
        wh.load_documents([load()], "l1")
        before = wh.con.execute("SELECT * EXCLUDE (_load_id) FROM fct_indicator_value").fetchall()
        wh.load_documents([load()], "l2")
        after = wh.con.execute("SELECT * EXCLUDE (_load_id) FROM fct_indicator_value").fetchall()
        assert before == after and len(after) == 1
        assert after[0][0] == surrogate_key(
            document_key("src", "https://a.cn:8080/t1.html#top"),
            0,
            "gdp",
            "growth_pct",
            "target",
            2026,
            6.0,
            None,
            "exact",
        )
        assert wh.table_counts()["dim_document"] == 1


def test_changed_document_replaces_its_facts(tmp_path, new_warehouse):
    with new_warehouse() as wh:
        wh.load_documents([load(facts=(fact(6.0), fact(7.0, "retail_sales", 20)))], "l1")
        wh.load_documents([load(url="http://a.cn/t2.html")], "l1")
        wh.load_documents([load(facts=(fact(6.5),))], "l2")
        rows = wh.con.execute(
            "SELECT d.url, f.value FROM fct_indicator_value f JOIN dim_document d "
            "USING (document_key) ORDER BY 1, 2"
        ).fetchall()
    assert rows == [("http://a.cn/t1.html", 6.5), ("http://a.cn/t2.html", 6.0)]


def test_failed_load_leaves_previous_state(tmp_path, new_warehouse):
    with new_warehouse() as wh:
        wh.load_documents([load()], "l1")
        broken = load(
            facts=(fact(6.0), replace(fact(7.0), indicator_text=None))
        )  # NOT NULL violated
        with pytest.raises(duckdb.Error):
            wh.load_documents([broken], "l2")
        assert wh.con.execute("SELECT value FROM fct_indicator_value").fetchall() == [(6.0,)]


def test_parquet_equals_tables(tmp_path, new_warehouse):
    from warehouse.published import parquet_connection

    with new_warehouse() as wh:
        wh.upsert_indicators(default_catalogue(), "l1")
        wh.load_documents(
            [
                load(),
                load(url="http://a.cn/t2.html"),
                load(url="http://a.cn/t3.html", facts=[replace(fact(1.0), year=None)]),
            ],
            "l1",
        )
        publish_parquet(wh.con, tmp_path / "parquet")
        publish_parquet(wh.con, tmp_path / "parquet")  # republishing swaps cleanly
        published = parquet_connection(tmp_path / "parquet")
        for table in PUBLISHED_TABLES:
            expected = wh.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            assert (
                published.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == expected
            ), table
            # pyarrow too: the year is inside the fact files, so no partition discovery is needed
            folder = tmp_path / "parquet" / table
            assert pq.read_table(folder, partitioning=None).num_rows == len(expected)
    names = sorted(p.name for p in (tmp_path / "parquet").iterdir())
    assert names == sorted([*PUBLISHED_TABLES, "views.sql", "catalog.duckdb", STATE_FILE])
    years = sorted(p.name for p in (tmp_path / "parquet" / "fct_indicator_value").iterdir())
    assert years == ["year=2026", "year=__HIVE_DEFAULT_PARTITION__"]


def test_report_texts_larger_than_the_memory_limit_load_and_publish(
    tmp_path, new_warehouse, monkeypatch
):
    # 4,000 reports of ~20 KB: their texts (~78 MB) are more than the 64 MB the warehouse may
    # use, so only a read of a slice of rows at a time gets through; and the loads must
    # checkpoint before their log outgrows the memory limit. (A checkpoint merges the row
    # groups the loads appended, and their texts must fit: ~83 KB texts did not, in 64 MB.)
    monkeypatch.setenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", "64MB")
    paragraph = "全年地区生产总值增长6%，固定资产投资增长8%，社会消费品零售总额增长5%。" * 30 + "\n"
    with new_warehouse() as wh:
        for start in range(0, 4000, 100):
            wh.load_documents(
                [
                    load(url=f"http://a.cn/t{i}.html", text=paragraph * 6 + f"第{i}号报告。")
                    for i in range(start, start + 100)
                ],
                "l1",
            )
        with pytest.raises(duckdb.OutOfMemoryException):  # the whole table at once does not fit
            wh.con.execute(f"COPY dim_document TO '{tmp_path / 'whole.parquet'}' (FORMAT parquet)")
        publish_parquet(wh.con, tmp_path / "parquet")
        expected = wh.con.execute("SELECT count(*), sum(text_chars) FROM dim_document").fetchone()
        assert publish_parquet(wh.con, tmp_path / "parquet") == {}  # the same fingerprints
    published = pq.read_table(tmp_path / "parquet" / "dim_document", columns=["doc_text"])
    texts = published.column("doc_text").to_pylist()
    assert (len(texts), sum(len(t) for t in texts)) == expected
    assert any(t.endswith("第3999号报告。") for t in texts)


def test_publishing_rewrites_only_the_tables_that_changed(tmp_path, new_warehouse):
    out = tmp_path / "parquet"
    with new_warehouse() as wh:
        wh.upsert_indicators(default_catalogue(), "l1")
        wh.load_documents([load()], "l1")
        first = publish_parquet(wh.con, out)
        assert set(PUBLISHED_TABLES) | {"views", "catalog"} == set(first)
        files = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
        assert publish_parquet(wh.con, out) == {}  # nothing changed: nothing written
        assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == files
        wh.load_documents([load(url="http://a.cn/t2.html")], "l2")  # a new report
        second = publish_parquet(wh.con, out)
        assert {"dim_document", "fct_indicator_value", "catalog"} <= set(second)
        assert "dim_indicator" not in second and "views" not in second
        shutil.rmtree(out / "dim_region")  # a folder someone removed is written again
        assert set(publish_parquet(wh.con, out)) == {"dim_region", "catalog"}
        assert set(publish_parquet(wh.con, out, force=True)) >= set(PUBLISHED_TABLES)
        moved = tmp_path / "moved"
        out.rename(moved)  # a folder moved: the catalog is anchored anew, tables stay
        assert set(publish_parquet(wh.con, moved)) == {"catalog"}


def test_second_writer_gets_a_clear_error(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "w.duckdb"
    Warehouse(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(path)!r}); "
            "print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseBusy, match="in use by another process"):
            Warehouse(path)
    finally:
        holder.kill()


def test_kill_9_during_a_load_leaves_the_previous_state(tmp_path):
    import signal
    import subprocess
    import sys
    import textwrap
    import time

    path = tmp_path / "w.duckdb"
    with Warehouse(path) as wh:
        wh.load_documents([load()], "l1")
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parents[2])!r})
        from tests.warehouse.test_store import fact, load
        from warehouse.store import Warehouse
        facts = [fact(float(i), start=i) for i in range(200_000)]
        wh = Warehouse({str(path)!r})
        print("loading", flush=True)
        while True:  # keep loading until killed
            wh.load_documents([load(url="http://a.cn/big.html", facts=facts)], "l2")
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "loading"
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Warehouse(path) as wh:  # opens, recovers from its WAL, and holds no partial document
        n = wh.con.execute(
            "SELECT count(*) FROM fct_indicator_value WHERE document_key IN "
            "(SELECT document_key FROM dim_document WHERE url = 'http://a.cn/big.html')"
        ).fetchone()[0]
        assert n in (0, 200_000)
        assert (
            wh.con.execute(
                "SELECT count(*) FROM dim_document WHERE url = 'http://a.cn/t1.html'"
            ).fetchone()[0]
            == 1
        )
        wh.load_documents([load(url="http://a.cn/t3.html")], "l3")  # the next run completes
        assert wh.table_counts()["dim_document"] == (3 if n else 2)


def test_period_dimension_and_audit_versions(tmp_path, new_warehouse):
    with new_warehouse() as wh:
        assert wh.con.execute(
            "SELECT five_year_plan, plan_first_year, year_in_plan FROM dim_period WHERE year = 2023"
        ).fetchone() == ("十四五", 2021, 3)
        assert wh.con.execute(
            "SELECT five_year_plan FROM dim_period WHERE year = 2016"
        ).fetchone() == ("十三五",)
        wh.start_load("l1", None)
        assert (
            wh.con.execute("SELECT code_version, extractor_version FROM load_audit").fetchone()[0]
            != "unknown"
        )


def test_region_rows_carry_level_kind_code_and_parent(tmp_path, new_warehouse):
    doc_region = Region("新乡市红旗区", "district", "410702")
    ld = load()
    ld = replace(
        ld,
        document=replace(ld.document, region=doc_region),
        facts=(
            replace(fact(6.0), region="新乡市红旗区"),
            replace(fact(8.0, start=20), region="株洲高新区"),
        ),
        # regions arrive resolved by transform (transform/assemble.document_load)
        fact_regions=(Region("株洲高新区", "zone"),),
    )
    with new_warehouse() as wh:
        wh.load_documents([ld], "l")
        rows = wh.con.execute(
            "SELECT region, region_level, kind, gb2260_code, parent_name FROM dim_region ORDER BY 1"
        ).fetchall()
    assert rows == [
        ("新乡市红旗区", "district", "government", "410702", "新乡市"),
        ("株洲高新区", "zone", "zone", None, None),
    ]


def test_unchanged_catalogue_and_sources_write_no_row(tmp_path, new_warehouse):
    from extract.sources import parse_sources

    sources = parse_sources(
        '[[sources]]\nid = "a"\nname = "A"\nregion = "A市"\nstart_urls = ["http://a.cn/"]\n'
    )
    with new_warehouse() as wh:
        for load_id in ("l1", "l2"):
            wh.upsert_indicators(default_catalogue(), load_id)
            wh.upsert_sources(sources, load_id)
        assert wh.con.execute("SELECT DISTINCT _load_id FROM dim_indicator").fetchall() == [("l1",)]
        wh.upsert_sources([replace(sources[0], name="A2")], "l3")
        assert wh.con.execute("SELECT source_name, _load_id FROM dim_source").fetchall() == [
            ("A2", "l3")
        ]


def test_a_warehouse_from_before_year_basis_gains_the_columns(tmp_path):
    path = tmp_path / "old.duckdb"
    sql = (Path(__file__).parents[2] / "warehouse/sql/tables/fct_indicator_value.sql").read_text()
    old = "\n".join(line for line in sql.splitlines() if "_basis" not in line)
    con = duckdb.connect(str(path))
    con.execute(old)  # the fact table as it was created before facts said how they were dated
    con.close()
    with Warehouse(path) as wh:
        wh.load_documents([load()], "l1")
        rows = wh.con.execute(
            "SELECT year, year_basis, kind_basis FROM fct_indicator_value"
        ).fetchall()
    assert rows == [(2026, "title", "目标")]


def test_a_damaged_file_is_called_damaged_not_busy(tmp_path):
    from warehouse.store import WarehouseCorrupt

    path = tmp_path / "w.duckdb"
    with Warehouse(path) as wh:
        wh.load_documents([load()], "l1")
    data = bytearray(path.read_bytes())
    data[8192 : 8192 + 512] = bytes(512)  # a block whose checksum no longer matches
    path.write_bytes(bytes(data))
    with pytest.raises(WarehouseCorrupt, match="is damaged and cannot be opened .*block"):
        Warehouse(path)
    garbage = tmp_path / "g.duckdb"
    garbage.write_bytes(b"not a database" * 1000)
    with pytest.raises(WarehouseCorrupt, match="not a valid DuckDB database"):
        Warehouse(garbage)


def test_a_warehouse_from_before_the_renames_is_renamed_in_place_keeping_its_rows(tmp_path):
    from warehouse.schema import RENAMED_COLUMNS

    path = tmp_path / "old.duckdb"
    with Warehouse(path) as wh:
        wh.upsert_indicators(default_catalogue(), "l1")
        wh.load_documents([load()], "l1")
        for table, old, new in RENAMED_COLUMNS:  # as the tables were before
            wh.con.execute(f"ALTER TABLE {table} RENAME COLUMN {new} TO {old}")
        assert "indicator_code" in {
            r[0] for r in wh.con.execute("DESCRIBE dim_indicator").fetchall()
        }
    with Warehouse(path) as wh:  # opening for writing renames them
        columns = {r[0] for r in wh.con.execute("DESCRIBE dim_region").fetchall()}
        assert {"region", "region_level"} <= columns and "region_name" not in columns
        rows = wh.con.execute(
            "SELECT region, region_level, indicator, indicator_name FROM v_indicator_values"
        ).fetchall()
    assert rows == [("某市", "city", "gdp", "地区生产总值")]
    with Warehouse(path) as wh:  # and again: nothing left to rename
        assert wh.con.execute("SELECT count(*) FROM dim_indicator").fetchone()[0] > 20


@pytest.mark.parametrize(
    ("table", "key"), [("fct_indicator_value", "fact_key"), ("dim_document", "document_key")]
)
def test_a_warehouse_whose_table_has_its_old_primary_key_is_rebuilt_keeping_its_rows(
    tmp_path, table, key
):
    path = tmp_path / "old.duckdb"
    with Warehouse(path) as wh:
        wh.upsert_indicators(default_catalogue(), "l1")
        wh.load_documents([load()], "l1")
        before = wh.con.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
        # the table as warehouses created before its index was dropped have it: the key first
        # (as the old file made it), the other columns in another order
        columns = [r[0] for r in wh.con.execute(f"DESCRIBE {table}").fetchall()]
        order = ", ".join([key, *reversed([c for c in columns if c != key])])
        wh.con.execute(f"CREATE TABLE old_rows AS SELECT {order} FROM {table}")
        wh.con.execute(f"DROP TABLE {table} CASCADE")
        wh.con.execute(f"ALTER TABLE old_rows RENAME TO {table}")
        wh.con.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({key})")
        assert wh._constraints(table) >= {"PRIMARY KEY"}
    with Warehouse(path) as wh:  # opening for writing rebuilds it, views and all
        assert "PRIMARY KEY" not in wh._constraints(table)
        assert "NOT NULL" in wh._constraints(table)  # made from its file: the rest stays
        assert [r[0] for r in wh.con.execute(f"DESCRIBE {table}").fetchall()] == columns
        after = wh.con.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
        assert after == before
        assert wh.con.execute("SELECT count(*) FROM v_indicator_values").fetchone()[0] == len(
            wh.con.execute("SELECT * FROM fct_indicator_value").fetchall()
        )
        wh.load_documents([load()], "l2")  # a reload replaces the document and its facts
        again = wh.con.execute(f"SELECT {key} FROM {table} ORDER BY 1").fetchall()
        assert again == [(r[columns.index(key)],) for r in before]
        assert all(r.passed for r in run_checks(wh.con) if r.severity == "error")


def test_the_columnar_loader_keys_facts_as_the_python_keys_do(tmp_path):
    from dataclasses import replace

    from warehouse.keys import document_key, name_key, surrogate_key

    odd = [  # values whose text differs most between writers: exponents, -0.0, long fractions
        replace(fact(v, start=i * 20), value_high=high, year=year, region=region)
        for i, (v, high, year, region) in enumerate(
            [
                (6.5, None, 2026, "某市"),
                (1e-05, 2.5, None, None),
                (1e16, 1e17, 2020, ""),
                (-0.0, None, 2019, "某市红旗区"),
                (1 / 3, 0.1 + 0.2, 2025, "某市"),
                (123456789.0, None, None, "某市"),
            ]
        )
    ]
    ld = load(facts=odd)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        wh.load_documents([ld], "l1")
        rows = wh.con.execute(
            "SELECT fact_key, indicator_key, region_key, char_start FROM fct_indicator_value"
        ).fetchall()
    doc = document_key(ld.source_id, ld.url)
    by_start = {f.char_start: f for f in ld.facts}
    for fact_key, indicator_key, region_key, start in rows:
        f = by_start[start]
        parts = (doc, f.char_start, f.indicator, f.measure, f.kind, f.year, f.value)
        assert fact_key == surrogate_key(*parts, f.value_high, f.qualifier)
        assert indicator_key == name_key(f.indicator)
        assert region_key == (name_key(f.region) if f.region else None)
