"""The warehouse's schema as files: the tables, migrations, views and queries under sql/, in
the order they apply, and the version of the code that writes them."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version

TABLES = (
    "dim_period",
    "dim_region",
    "dim_indicator",
    "dim_source",
    "dim_document",
    "fct_indicator_value",
    "crawl_state",
    "load_audit",
)


def code_version() -> str:
    try:
        return version("govreports")
    except PackageNotFoundError:
        return "unknown"


def sql_files(folder: str) -> list[str]:
    root = resources.files(f"warehouse.sql.{folder}")
    return [
        f.read_text("utf-8")
        for f in sorted(root.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".sql")
    ]


@cache
def query_sql(name: str) -> str:
    """A query of sql/queries/ by file name (read once)."""
    return resources.files("warehouse.sql.queries").joinpath(name).read_text("utf-8")


# One name per concept across tables and views (issue 14): columns renamed since warehouses
# were first created, as (table, old name, new name). A fresh warehouse has the new names from
# sql/tables/; an older one is renamed in place when it is opened for writing.
RENAMED_COLUMNS = (
    ("dim_indicator", "indicator_code", "indicator"),
    ("dim_region", "region_name", "region"),
    ("dim_region", "level", "region_level"),
    ("dim_document", "region_name", "region"),
    ("dim_source", "region_name", "region"),
)


# Constraints dropped since warehouses were first created, as (table, constraint type): DuckDB
# cannot drop a PRIMARY KEY in place, so an older warehouse's table is rebuilt without it.
DROPPED_CONSTRAINTS = (
    ("fct_indicator_value", "PRIMARY KEY"),
    ("dim_document", "PRIMARY KEY"),
)


def table_sql(table: str) -> str:
    """The CREATE TABLE statement of sql/tables/ for `table`."""
    return resources.files("warehouse.sql.tables").joinpath(f"{table}.sql").read_text("utf-8")


def rebuilds(constraints_of: Callable[[str], set[str]]) -> list[str]:
    """The statements that rebuild an older warehouse's tables without the constraints dropped
    since (`constraints_of`: a table's constraint types). The new table is made from its file,
    so it keeps the constraints that stay (NOT NULL), and the rows are copied by column name.
    The views are made again after."""
    out: list[str] = []
    for table, constraint in DROPPED_CONSTRAINTS:
        if constraint in constraints_of(table):
            create, found = re.subn(
                rf"\bCREATE TABLE IF NOT EXISTS {table}\b",
                f"CREATE TABLE _rebuilt_{table}",
                table_sql(table),
            )
            if found != 1:
                raise ValueError(f"sql/tables/{table}.sql: no CREATE TABLE of {table} to rebuild")
            out += [
                create,
                f"INSERT INTO _rebuilt_{table} BY NAME SELECT * FROM {table}",
                f"DROP TABLE {table} CASCADE",
                f"ALTER TABLE _rebuilt_{table} RENAME TO {table}",
            ]
    return out


def renames(columns_of: Callable[[str], set[str]]) -> list[str]:
    """The ALTER statements an existing warehouse still needs (`columns_of`: a table's
    current column names)."""
    return [
        f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}"
        for table, old, new in RENAMED_COLUMNS
        if old in columns_of(table)
    ]
