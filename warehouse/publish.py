"""Publish warehouse tables as Parquet for BI tools: written aside, then swapped in."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import duckdb

from warehouse.store import TABLES

PUBLISHED_TABLES = TABLES  # every table, the audit and crawl state included


def publish_parquet(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> dict[str, Path]:
    """Write each table to out_dir/<table>/data.parquet (zstd). A reader sees the old or the new
    directory, never a half-written file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for table in PUBLISHED_TABLES:
        staging = out / f".staging-{table}-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        target = staging / "data.parquet"
        con.execute(
            f"COPY (SELECT * FROM {table}) TO '{target.as_posix()}' "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
        final = out / table
        retired = out / f".retired-{table}-{uuid.uuid4().hex[:8]}"
        if final.exists():
            final.rename(retired)
        staging.rename(final)
        shutil.rmtree(retired, ignore_errors=True)
        written[table] = final / "data.parquet"
    return written
