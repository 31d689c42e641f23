"""Read-only access for analysts and the CLI: views over the published Parquet, never the live
DuckDB file (which a running load holds locked)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from warehouse.publish import PUBLISHED_TABLES


class NothingPublished(RuntimeError):
    """No Parquet has been published in this data directory yet."""


def parquet_connection(parquet_dir: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose tables are views over `parquet_dir/<table>/*.parquet`."""
    root = Path(parquet_dir)
    missing = [t for t in PUBLISHED_TABLES if not any((root / t).glob("*.parquet"))]
    if missing:
        raise NothingPublished(
            f"no published Parquet under {root} (missing {', '.join(missing)}); "
            "run `govreports run` or `govreports demo` first"
        )
    con = duckdb.connect(":memory:")
    for table in PUBLISHED_TABLES:
        con.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{(root / table).as_posix()}/*.parquet')"
        )
    for sql_file in sorted(resources.files("warehouse.sql.views").iterdir(), key=lambda f: f.name):
        if sql_file.name.endswith(".sql"):
            con.execute(sql_file.read_text("utf-8"))
    return con


def latest_load(con: duckdb.DuckDBPyConnection) -> tuple[str, str, str] | None:
    """(load_id, status, finished_at) of the newest finished load the published data reflects."""
    row = con.execute(
        "SELECT load_id, status, finished_at::VARCHAR FROM load_audit "
        "WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1"
    ).fetchone()
    return tuple(row) if row else None  # type: ignore[return-value]
