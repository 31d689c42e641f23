"""The published Parquet, read-only for real (warehouse/published.py): `query` runs one SELECT
on a connection that reaches no file outside the published folder, and an empty fact table
publishes as an empty table, not a missing one."""

from __future__ import annotations

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
