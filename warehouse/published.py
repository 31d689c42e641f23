"""Read-only access for analysts and the CLI: views over the published Parquet, never the live
DuckDB file (which a running load holds locked)."""

from __future__ import annotations

from pathlib import Path

import duckdb


class NothingPublished(RuntimeError):
    """No Parquet has been published in this data directory yet."""


def parquet_connection(parquet_dir: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the published tables and analyst views (from views.sql)."""
    views = Path(parquet_dir) / "views.sql"
    if not views.exists():
        raise NothingPublished(
            f"no published Parquet under {parquet_dir} (no views.sql); "
            "run `govreports run` or `govreports demo` first"
        )
    con = duckdb.connect(":memory:")
    for statement in views.read_text("utf-8").split(";\n"):
        if statement.strip() and not all(
            line.startswith("--") for line in statement.strip().splitlines()
        ):
            con.execute(statement)
    return con


def latest_load(con: duckdb.DuckDBPyConnection) -> tuple[str, str, str] | None:
    """(load_id, status, finished_at) of the newest finished load the published data reflects."""
    row = con.execute(
        "SELECT load_id, status, finished_at::VARCHAR FROM load_audit "
        "WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1"
    ).fetchone()
    return tuple(row) if row else None  # type: ignore[return-value]
