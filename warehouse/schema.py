"""The warehouse's schema as files: the tables, migrations, views and queries under sql/, in
the order they apply, and the version of the code that writes them."""

from __future__ import annotations

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
