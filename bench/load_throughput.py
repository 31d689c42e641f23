"""Warehouse load throughput: generated facts through the real loader (Arrow columns, keys
computed by DuckDB, one transaction per batch of documents) against the raw Arrow insert of the
same rows (the limit) and a naive row-by-row INSERT, in the same run, and peak memory.

    .venv/bin/python bench/load_throughput.py [--facts 1000000]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from transform.model import Document, DocumentLoad, Fact, Region
from warehouse.keys import surrogate_key
from warehouse.store import Warehouse

FACTS_PER_DOC = 1000
INDICATORS = ("gdp", "fixed_asset_investment", "retail_sales", "general_budget_revenue", "exports")


def document(i: int) -> DocumentLoad:
    region = f"第{i % 300}号市"
    doc = Document(
        "x" * 2000,
        f"{region}{2015 + i % 10}年政府工作报告",
        date(2015 + i % 10, 1, 20),
        None,
        "government_work_report",
        2015 + i % 10,
        Region(region, "city"),
    )
    facts = tuple(
        Fact(
            INDICATORS[j % 5],
            "地区生产总值",
            "growth_pct",
            float(j % 97) / 10,
            None,
            "percent",
            "%",
            "exact",
            "target",
            2015 + i % 10,
            region,
            "地区生产总值增长6%。",
            j,
            j + 10,
            year_basis="title",
            kind_basis="目标",
        )
        for j in range(FACTS_PER_DOC)
    )
    url = f"http://bench.example.cn/{i}.html"
    return DocumentLoad(url, "bench", url, "0" * 64, datetime(2024, 1, 1, tzinfo=UTC), doc, facts)


def insert_rate(con: duckdb.DuckDBPyConnection, rows: pa.Table, batch: int, table: str) -> float:
    """Rows per second inserting `rows` as Arrow into a new table of their shape on `con`, in
    batches of `batch` rows, one transaction each (committed: written to the database)."""
    con.register("_rows", rows.slice(0, 0))
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM _rows")
    con.unregister("_rows")
    t0 = time.perf_counter()
    for start in range(0, rows.num_rows, batch):
        con.execute("BEGIN")
        con.register("_rows", rows.slice(start, batch))
        con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
        con.unregister("_rows")
        con.execute("COMMIT")
    return rows.num_rows / (time.perf_counter() - t0)


def in_memory(rows: pa.Table, batch: int) -> float:
    with duckdb.connect(":memory:") as con:
        return insert_rate(con, rows, batch, "twin")


def numbers(rows: pa.Table) -> pa.Table:
    return rows.select([f.name for f in rows.schema if not pa.types.is_string(f.type)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--batch-docs", type=int, default=50)
    args = parser.parse_args()
    docs = args.facts // FACTS_PER_DOC
    batch_rows = args.batch_docs * FACTS_PER_DOC
    with tempfile.TemporaryDirectory() as tmp, Warehouse(Path(tmp) / "w.duckdb") as wh:
        loaded, spent = 0, 0.0
        for start in range(0, docs, args.batch_docs):
            batch = [document(i) for i in range(start, min(docs, start + args.batch_docs))]
            t0 = time.perf_counter()
            loaded += wh.load_documents(batch, "bench")
            spent += time.perf_counter() - t0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rate = loaded / spent
        print(
            f"real loader:  {loaded:,} facts in {spent:.1f} s = {rate:,.0f} facts/s "
            f"(batches of {batch_rows:,}, keys computed, documents replaced); "
            f"peak RSS {peak_mb:.0f} MB"
        )

        # the limit: the same rows, already keyed, inserted as Arrow into a twin of the fact
        # table on the same connection, in the same batches, one transaction each
        rows = wh.con.execute("SELECT * FROM fct_indicator_value").to_arrow_table()
        raw = insert_rate(wh.con, rows, batch_rows, "twin")
        print(
            f"raw Arrow insert of the same rows: {raw:,.0f} rows/s; "
            f"the loader runs at {rate / raw:.2f} of it"
        )
        # what bounds that insert: the same rows into a database held in memory (no file, no
        # write-ahead log, no compression of the text columns on checkpoint), and the rows with
        # only their number columns into the file
        print(
            f"  the same rows into an in-memory database: {in_memory(rows, batch_rows):,.0f} "
            f"rows/s; their {numbers(rows).num_columns} number columns alone into the file: "
            f"{insert_rate(wh.con, numbers(rows), batch_rows, 'twin_numbers'):,.0f} rows/s"
        )

        naive_rows = 5000
        cols = [r[0] for r in wh.con.execute("DESCRIBE fct_indicator_value").fetchall()]
        marks = ", ".join("?" for _ in cols)
        t0 = time.perf_counter()
        for j in range(naive_rows):
            row = {c: None for c in cols}
            row.update(
                fact_key=surrogate_key("naive", j),
                document_key="naive",
                indicator_key="k",
                indicator="gdp",
                indicator_text="x",
                measure="level",
                value=float(j),
                unit="CNY",
                unit_text="元",
                qualifier="exact",
                kind="actual",
                sentence="s",
                char_start=0,
                char_end=1,
                year_basis="unknown",
                kind_basis="default",
                _load_id="naive",
            )
            wh.con.execute(
                f"INSERT INTO fct_indicator_value VALUES ({marks})", [row[c] for c in cols]
            )
        naive = naive_rows / (time.perf_counter() - t0)
        print(
            f"naive insert: {naive_rows:,} rows one by one = {naive:,.0f} rows/s; "
            f"the real loader is {rate / naive:.0f}x faster"
        )


if __name__ == "__main__":
    main()
