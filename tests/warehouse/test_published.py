"""The published Parquet, read-only for real (warehouse/published.py): `query` runs one SELECT
on a connection that reaches no file outside the published folder, and an empty fact table
publishes as an empty table, not a missing one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.warehouse.test_store import load
from warehouse.publish import publish_parquet
from warehouse.published import QueryRefused, parquet_connection, read_only_query
from warehouse.store import Warehouse


@pytest.fixture
def published(tmp_path):
    with Warehouse(tmp_path / "warehouse.duckdb") as wh:
        wh.load_documents([load()], "l1")
        publish_parquet(wh.con, tmp_path / "parquet")
    return tmp_path


def test_a_select_reads_the_published_facts(published):
    con = parquet_connection(published / "parquet")
    names, rows = read_only_query(con, "SELECT indicator, value FROM fct_indicator_value")
    assert names == ["indicator", "value"] and rows == [("gdp", 6.0)]


@pytest.mark.parametrize(
    ("sql", "word"),
    [
        ("ATTACH '{d}/warehouse.duckdb' AS w", "ATTACH"),
        ("COPY (SELECT 1) TO '{d}/parquet/x.csv'", "COPY"),
        ("INSTALL httpfs", "INSTALL"),
        ("LOAD fts", "LOAD"),
        ("SET enable_external_access = true", "SET"),
        ("CREATE TABLE t AS SELECT 1", "CREATE"),
        ("DROP VIEW fct_indicator_value", "DROP"),
    ],
)
def test_statements_that_write_attach_or_load_are_refused_before_they_run(published, sql, word):
    con = parquet_connection(published / "parquet")
    with pytest.raises(QueryRefused, match=f"SELECT statements only.*{word} given"):
        read_only_query(con, sql.format(d=published))
    assert not (published / "parquet" / "x.csv").exists()
    with Warehouse(published / "warehouse.duckdb", read_only=True) as wh:  # untouched
        assert wh.con.execute("SELECT count(*) FROM fct_indicator_value").fetchone() == (1,)


def test_a_select_cannot_reach_files_outside_the_published_folder(published, tmp_path):
    secret = tmp_path.parent / "secret.csv"
    secret.write_text("a\n1\n")
    con = parquet_connection(published / "parquet")
    with pytest.raises(duckdb.PermissionException):
        read_only_query(con, f"SELECT * FROM read_csv('{secret}')")
    with pytest.raises(duckdb.PermissionException):  # the live warehouse beside the folder
        con.execute(f"ATTACH '{published}/warehouse.duckdb' AS w (READ_ONLY)")
    with pytest.raises(QueryRefused, match="one statement"):
        read_only_query(con, "SELECT 1; SELECT 2")


def test_an_empty_fact_table_publishes_and_reads_as_empty(tmp_path):
    with Warehouse(tmp_path / "warehouse.duckdb") as wh:
        wh.load_documents([load(facts=())], "l1")  # a night where no report had a figure
        publish_parquet(wh.con, tmp_path / "parquet")
    con = parquet_connection(tmp_path / "parquet")
    assert read_only_query(con, "SELECT count(*) FROM fct_indicator_value")[1] == [(0,)]
    assert read_only_query(con, "SELECT count(*) FROM v_indicator_values")[1] == [(0,)]


def test_a_warehouse_without_documents_publishes_empty_tables(tmp_path):
    # a first night whose every report failed: nothing loaded, and publishing still works
    with Warehouse(tmp_path / "warehouse.duckdb") as wh:
        publish_parquet(wh.con, tmp_path / "parquet")
    con = parquet_connection(tmp_path / "parquet")
    assert read_only_query(con, "SELECT count(*) FROM dim_document")[1] == [(0,)]
    assert read_only_query(con, "SELECT count(*) FROM fct_indicator_value")[1] == [(0,)]


def test_a_copied_data_folder_reads_from_its_new_place_in_duckdb_pyarrow_and_polars(
    published, tmp_path_factory
):
    import shutil
    import subprocess
    import sys

    import polars as pl
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    elsewhere = tmp_path_factory.mktemp("colleague") / "parquet"
    shutil.copytree(published / "parquet", elsewhere)
    shutil.rmtree(published / "parquet")  # the original is gone: nothing may point at it
    views = (elsewhere / "views.sql").read_text("utf-8")
    assert str(published) not in views
    con = parquet_connection(elsewhere)
    assert read_only_query(con, "SELECT indicator, year FROM fct_indicator_value")[1] == [
        ("gdp", 2026)
    ]
    # the duckdb command started in the folder, as README says
    cli = Path(sys.executable).parent / "duckdb"
    out = subprocess.run(
        [
            str(cli),
            "-csv",
            "-init",
            "views.sql",
            "-c",
            "SELECT year, value FROM fct_indicator_value",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "2026,6.0"
    # one fact file read alone has its year, with the type the warehouse gives it
    (single,) = sorted(elsewhere.glob("fct_indicator_value/year=*/*.parquet"))
    table = pq.read_table(single)
    assert (
        table.column("year").to_pylist() == [2026]
        and str(table.schema.field("year").type) == "int32"
    )
    assert pl.read_parquet(single)["year"].to_list() == [2026]
    dataset = ds.dataset(elsewhere / "fct_indicator_value", format="parquet")
    assert dataset.to_table(columns=["year", "value"]).to_pylist() == [{"year": 2026, "value": 6.0}]


def test_a_bi_tool_reads_the_catalog_file_through_sqlalchemy(published, tmp_path):
    import sqlalchemy

    catalog = published / "parquet" / "catalog.duckdb"
    engine = sqlalchemy.create_engine(f"duckdb:///{catalog}", connect_args={"read_only": True})
    with engine.connect() as con:
        rows = con.execute(
            sqlalchemy.text(
                "SELECT region, indicator, measure, value, unit, year FROM fct_indicator_value"
            )
        ).fetchall()
        tables = set(sqlalchemy.inspect(con).get_view_names())
    engine.dispose()
    assert [tuple(r) for r in rows] == [("某市", "gdp", "growth_pct", 6.0, "percent", 2026)]
    assert {"fct_indicator_value", "dim_document", "v_target_attainment"} <= tables
