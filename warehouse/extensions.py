"""DuckDB extensions installed offline from their PyPI packages (`duckdb-extension-<name>`).

Extensions cannot be downloaded at run time here (and should not be on production workers):
each ships as a `.duckdb_extension` file inside a package pinned to the same version as duckdb.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import duckdb


class ExtensionMissing(RuntimeError):
    """The extension's package is not installed for this duckdb version."""


def extension_file(name: str) -> Path:
    """The `.duckdb_extension` file of package `duckdb-extension-<name>`."""
    try:
        package = importlib.import_module(f"duckdb_extension_{name}")
    except ImportError:
        raise ExtensionMissing(
            f"DuckDB extension {name!r} is not installed: pip install "
            f"duckdb-extension-{name}=={duckdb.__version__}"
        ) from None
    root = Path(package.__file__).parent / "extensions"
    exact = root / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if exact.exists():
        return exact
    found = sorted(root.glob(f"*/{name}.duckdb_extension"))
    if not found:
        raise ExtensionMissing(f"package duckdb-extension-{name} holds no {name}.duckdb_extension")
    return found[-1]


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Install (from the package's file, no network) and load one extension."""
    con.execute(f"INSTALL '{extension_file(name).as_posix()}'")
    con.execute(f"LOAD {name}")


def memory_limit() -> str:
    """How much memory one DuckDB connection of ours may use before it spills to disk
    (GOVREPORTS_DUCKDB_MEMORY_LIMIT, default 1GB; DuckDB's own default is 80% of the machine)."""
    return os.environ.get("GOVREPORTS_DUCKDB_MEMORY_LIMIT", "").strip() or "1GB"
