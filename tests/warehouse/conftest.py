"""Warehouse tests run on both backends: the DuckDB file and a DuckLake on real PostgreSQL."""

from __future__ import annotations

import pytest

from warehouse.store import Warehouse


@pytest.fixture(params=["duckdb", "ducklake"])
def new_warehouse(request, tmp_path):
    """Opens the warehouse under test: a DuckDB file, or a fresh DuckLake (one PostgreSQL
    database and data folder per test). Call it again to reopen the same warehouse."""
    if request.param == "duckdb":
        return lambda: Warehouse(tmp_path / "w.duckdb")
    lake = request.getfixturevalue("lake")
    return lambda: Warehouse(lake=lake)
