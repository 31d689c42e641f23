"""Publish warehouse tables as Parquet for BI tools: written aside, then swapped in; a table
whose rows have not changed since it was last published is left as it is (a night with nothing
new rewrites only its run's audit and crawl state).

Layout under the output folder: `<table>/data.parquet` for each table, the fact table partitioned
by year (`fct_indicator_value/year=2024/data_0.parquet`, hive style), and `views.sql`: DuckDB
views over those files with the tables' own names, columns and types, plus the analyst views,
so read-only consumers never need the warehouse file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from warehouse.scans import passing_scan, unordered
from warehouse.schema import TABLES

CATALOG_FILE = "catalog.duckdb"
STATE_FILE = ".published.json"  # what each published table held when it was written
PUBLISHED_TABLES = TABLES  # every table, the audit and crawl state included
PARTITIONED = {"fct_indicator_value": "year"}
# Tables whose rows are large (dim_document holds each report's whole text, 50 KB and more; 20,000
# reports are ~1 GB), read a slice of this many rows at a time. DuckDB works on vectors of 2,048
# rows and its Parquet writer on row groups of at least 2,048: one vector of such texts is
# ~100 MB per thread, beyond a small memory limit (an out-of-memory error) and the bulk of the
# run's peak memory under a large one. A slice of 256 rows (by rowid, the storage order, so a
# slice reads only its own rows) keeps that to ~13 MB, whatever the table's size.
SLICED_ROWS = {"dim_document": 256}
# Columns a table's fingerprint leaves out: a report's text is only ever written with its whole
# row, by one load, which stamps the row's _load_id (the search index relies on the same), so the
# other columns change whenever it does. Hashing the texts read every report's text on every
# publish, a night with nothing new included (1 s at 20,000 reports, and a cache full of them).
UNHASHED = {"dim_document": ("doc_text",)}
# Rows per Parquet row group of the fact table (DuckDB's default, 122,880 rows of ~300 bytes
# with their sentences, is ~40 MB a writer holds before it writes)
FACT_ROW_GROUP_ROWS = 16_384
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # the folder of rows whose partition value is NULL


def row_slices(con: duckdb.DuckDBPyConnection, table: str, rows: int) -> list[str]:
    """WHERE conditions that cut `table` into slices of `rows` rows in storage order (by rowid,
    which a DuckDB table and a DuckLake table both have); [] for an empty table."""
    starts = [
        r[0]
        for r in con.execute(
            f"SELECT rowid FROM (SELECT rowid, row_number() OVER (ORDER BY rowid) - 1 AS n "
            f"FROM {table}) WHERE n % {int(rows)} = 0 ORDER BY rowid"
        ).fetchall()
    ]
    ends = [*starts[1:], None] if starts else []
    return [
        f"rowid >= {lo}" + (f" AND rowid < {hi}" if hi is not None else "")
        for lo, hi in zip(starts, ends, strict=True)
    ]


def _write_slices(con: duckdb.DuckDBPyConnection, table: str, target: Path) -> None:
    """One Parquet file written a slice of rows at a time (a row group per slice)."""
    schema = con.execute(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
    with passing_scan(con), pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for where in row_slices(con, table, SLICED_ROWS[table]):
            writer.write_table(con.execute(f"SELECT * FROM {table} WHERE {where}").to_arrow_table())


def _copy(con: duckdb.DuckDBPyConnection, table: str, staging: Path) -> None:
    if table in SLICED_ROWS:
        staging.mkdir()
        _write_slices(con, table, staging / "data.parquet")
        return
    empty = con.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
    with unordered(con):  # rows in the order DuckDB reads them; SQL promises none
        if table in PARTITIONED and not empty:
            # one partition at a time, hive style (year=2024/data_0.parquet): one writer open at
            # once, where a partitioned COPY holds a buffer per year in memory together
            column = PARTITIONED[table]
            values = con.execute(f"SELECT DISTINCT {column} FROM {table} ORDER BY 1").fetchall()
            for (value,) in values:
                folder = staging / f"{column}={HIVE_NULL if value is None else int(value)}"
                folder.mkdir(parents=True)
                where = f"{column} IS NULL" if value is None else f"{column} = {int(value)}"
                # the year in each file as well as in its folder name: a file read alone
                # (pyarrow, polars, a BI tool without hive options) still has it, same type
                con.execute(
                    f"COPY (SELECT * FROM {table} WHERE {where}) TO "
                    f"'{(folder / 'data_0.parquet').as_posix()}' "
                    f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {FACT_ROW_GROUP_ROWS})"
                )
        else:
            staging.mkdir()
            con.execute(
                f"COPY (SELECT * FROM {table}) TO '{(staging / 'data.parquet').as_posix()}' "
                "(FORMAT parquet, COMPRESSION zstd)"
            )


def _view_sql(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The view of a published table, its path relative to the published folder (so the folder
    can be copied or moved: start DuckDB inside it, or let `published.parquet_connection`
    resolve the paths)."""
    columns = con.execute(f"DESCRIBE {table}").fetchall()
    select = ", ".join(f'CAST("{name}" AS {ctype}) AS "{name}"' for name, ctype, *_ in columns)
    if table in PARTITIONED:
        source = f"read_parquet('{table}/**/*.parquet', hive_partitioning = true)"
    else:
        source = f"read_parquet('{table}/*.parquet')"
    return f"CREATE OR REPLACE VIEW {table} AS SELECT {select} FROM {source};"


def fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """What a table holds, in a few words: its columns and types, its row count and the sum of
    its rows' hashes (one scan; any row written, changed or deleted changes it). A column in
    UNHASHED is left out of the rows' hashes: it is written only with its row, which says so
    in its other columns."""
    columns = con.execute(f"DESCRIBE {table}").fetchall()
    shape = hashlib.sha256(repr([c[:2] for c in columns]).encode()).hexdigest()[:16]
    names = {c[0] for c in columns}
    left_out = [c for c in UNHASHED.get(table, ()) if c in names]
    rows = f"(SELECT * EXCLUDE ({', '.join(left_out)}) FROM {table})" if left_out else table
    count, total = con.execute(
        f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {rows} t"
    ).fetchone()
    return f"{shape}:{count}:{int(total)}"


def read_state(out_dir: str | Path) -> dict[str, object]:
    """What the published folder's state file says (empty if it has none)."""
    return _read_state(Path(out_dir).resolve())


def record_state(out_dir: str | Path, **items: object) -> None:
    """Add to the published folder's state file (what a product built from the tables, such
    as the search index, was built from)."""
    out = Path(out_dir).resolve()
    _write_state(out, {**_read_state(out), **items})


def _read_state(out: Path) -> dict[str, object]:
    try:
        state = json.loads((out / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _write_state(out: Path, state: dict[str, object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=out, prefix=".state-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(state, fh, indent=1, sort_keys=True)
    os.replace(tmp, out / STATE_FILE)


def settle(con: duckdb.DuckDBPyConnection) -> None:
    """Write what loading left in memory to the database file before publishing reads every
    table (the search index, built after it, relies on this too): a DuckDB file holds the rows
    written since its last checkpoint in memory (up to the checkpoint threshold), which the
    reads would otherwise have to fit beside. A DuckLake has
    written its files already (its CHECKPOINT is maintenance, not this)."""
    kind = con.execute(
        "SELECT type FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if kind is not None and kind[0] == "duckdb":
        con.execute("CHECKPOINT")


def publish_parquet(
    con: duckdb.DuckDBPyConnection, out_dir: str | Path, force: bool = False
) -> dict[str, Path]:
    """Write every table whose rows changed since it was last published (all with `force`)
    aside and swap each folder in whole: a reader sees the old or the new folder, never a
    half-written file. Then rewrite views.sql and the catalog if they changed. Returns what was
    written (an unchanged table is not in it)."""
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    settle(con)
    state = {} if force else _read_state(out)
    tables = state.get("tables") if isinstance(state.get("tables"), dict) else {}
    written: dict[str, Path] = {}
    views = [
        "-- Views over the published Parquet (written by govreports after each load).",
        "-- Paths are relative to this folder: start DuckDB here (cd data/parquet &&",
        "-- duckdb -init views.sql), wherever the folder was copied to.",
    ]
    for table in PUBLISHED_TABLES:
        final = out / table
        now = fingerprint(con, table)
        views.append(_view_sql(con, table))
        if final.is_dir() and tables.get(table) == now:
            continue  # published as it is
        staging = out / f".staging-{table}-{uuid.uuid4().hex[:8]}"
        _copy(con, table, staging)
        retired = out / f".retired-{table}-{uuid.uuid4().hex[:8]}"
        if final.exists():
            final.rename(retired)
        staging.rename(final)
        shutil.rmtree(retired, ignore_errors=True)
        written[table] = final
        tables[table] = now
        _write_state(out, {**state, "tables": tables})  # a kill after this keeps what is done
    for view in sorted(resources.files("warehouse.sql.views").iterdir(), key=lambda f: f.name):
        if view.name.endswith(".sql"):
            views.append(view.read_text("utf-8").strip())
    text = "\n\n".join(views) + "\n"
    views_file = out / "views.sql"
    if not views_file.exists() or views_file.read_text("utf-8") != text:
        fd, tmp = tempfile.mkstemp(dir=out, prefix=".views-", suffix=".sql")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, views_file)
        written["views"] = views_file
    # the catalog anchors the views to where the folder is: again when either moved
    if written or not (out / CATALOG_FILE).exists() or state.get("anchored_at") != str(out):
        written["catalog"] = _write_catalog(out)
    _write_state(out, {**state, "tables": tables, "anchored_at": str(out)})
    return written


def _write_catalog(out: Path) -> Path:
    """`catalog.duckdb`: a DuckDB file holding only the views (anchored to where the Parquet
    is now), for BI tools that connect to a database file (DuckDB, or SQLAlchemy's
    `duckdb:///…/catalog.duckdb` through duckdb-engine). Written aside, swapped in whole;
    rewritten by every publish, so a moved folder's catalog is right after its next run."""
    from warehouse.published import anchored_views

    fd, tmp = tempfile.mkstemp(dir=out, prefix=".catalog-", suffix=".duckdb")
    os.close(fd)
    os.unlink(tmp)  # DuckDB creates the file itself
    con = duckdb.connect(tmp)
    try:
        for statement in anchored_views(out):
            con.execute(statement)
    finally:
        con.close()
    Path(tmp + ".wal").unlink(missing_ok=True)
    os.replace(tmp, out / CATALOG_FILE)
    return out / CATALOG_FILE
