"""Read-only access for analysts and the CLI: views over the published Parquet, never the live
DuckDB file (which a running load holds locked).

Read-only for real, two locks deep: the connection reaches no file outside the published
folder (DuckDB's `enable_external_access = false` with `allowed_directories`, then
`lock_configuration`), so it cannot attach the warehouse, install or load extensions, or copy
elsewhere; and `read_only_query` runs one SELECT (or EXPLAIN) statement, nothing else, so it
cannot write into the published folder either.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb


class NothingPublished(RuntimeError):
    """No Parquet has been published in this data directory yet."""


class QueryRefused(RuntimeError):
    """A statement the read-only query does not run (it writes, attaches, loads, sets ...)."""


_RELATIVE_PATH = re.compile(r"read_parquet\('(?![/\\])")  # a path not yet anchored
READ_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


def lock_down(con: duckdb.DuckDBPyConnection, allowed: list[Path]) -> None:
    """From here on `con` reaches only files under `allowed`, and no setting can be changed."""
    dirs = ", ".join(
        "'" + (str(p.resolve()).rstrip("/") + "/").replace("'", "''") + "'" for p in allowed
    )
    con.execute(f"SET allowed_directories = [{dirs}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def read_only_query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of one SELECT (or EXPLAIN) statement; anything else is refused
    with QueryRefused, before it runs."""
    statements = duckdb.extract_statements(sql)
    if len(statements) != 1:
        raise QueryRefused(f"query runs one statement at a time ({len(statements)} given)")
    kind = statements[0].type
    if kind not in READ_STATEMENTS:
        name = (sql.strip().split(maxsplit=1) or [kind.name])[0].upper()
        raise QueryRefused(
            f"refused: query runs SELECT statements only, on the published data ({name} given)"
        )
    cur = con.execute(sql)
    return [d[0] for d in cur.description], cur.fetchall()


def parquet_connection(parquet_dir: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the published tables and analyst views (from views.sql)."""
    views = Path(parquet_dir) / "views.sql"
    if not views.exists():
        raise NothingPublished(
            f"no published Parquet under {parquet_dir} (no views.sql); "
            "run `govreports run` or `govreports demo` first"
        )
    con = duckdb.connect(":memory:")
    for statement in anchored_views(parquet_dir):
        con.execute(statement)
    lock_down(con, [Path(parquet_dir)])
    return con


def anchored_views(parquet_dir: str | Path) -> list[str]:
    """The statements of views.sql, their relative file paths (so the folder can move) anchored
    to where the folder is now."""
    anchor = str(Path(parquet_dir).resolve()).replace("'", "''") + "/"
    text = (Path(parquet_dir) / "views.sql").read_text("utf-8")
    return [
        _RELATIVE_PATH.sub(lambda m: m.group(0) + anchor, statement)
        for statement in text.split(";\n")
        if statement.strip()
        and not all(line.startswith("--") for line in statement.strip().splitlines())
    ]


def latest_load(con: duckdb.DuckDBPyConnection) -> tuple[str, str, str] | None:
    """(load_id, status, finished_at) of the newest finished load the published data reflects."""
    row = con.execute(
        "SELECT load_id, status, finished_at::VARCHAR FROM load_audit "
        "WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1"
    ).fetchone()
    return tuple(row) if row else None  # type: ignore[return-value]
