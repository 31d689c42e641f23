"""DuckDB extensions load offline from their pinned packages (warehouse/extensions.py)."""

import duckdb
import pytest

from warehouse.extensions import (
    ExtensionMissing,
    checkpoint_threshold,
    extension_file,
    load_extension,
    memory_limit,
)


def test_an_installed_extension_loads_without_network(tmp_path):
    path = extension_file("fts")
    assert path.name == "fts.duckdb_extension" and path.exists()
    # a fresh extension directory proves the file is installed from the package, not a cache
    con = duckdb.connect(config={"extension_directory": str(tmp_path / "ext")})
    load_extension(con, "fts")
    loaded = con.execute(
        "SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'fts'"
    ).fetchone()
    assert loaded == (True,)
    con.close()


def test_a_missing_extension_says_which_package_to_install():
    with pytest.raises(ExtensionMissing, match=r"pip install duckdb-extension-nosuch=="):
        extension_file("nosuch")


def test_memory_limit_reads_the_setting(monkeypatch):
    monkeypatch.delenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", raising=False)
    assert memory_limit() == "1GB"
    monkeypatch.setenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", " 512MB ")
    assert memory_limit() == "512MB"


@pytest.mark.parametrize(
    "limit, threshold",
    [("", "256MB"), ("1GB", "256MB"), ("4GB", "256MB"), ("256MB", "64MB"), ("64M", "16MB")]
    + [("512 MiB", "128MB"), ("32mb", "8MB"), ("2MB", "1MB")],
)
def test_the_checkpoint_threshold_is_a_quarter_of_the_memory_limit_at_most_256mb(
    monkeypatch, limit, threshold
):
    monkeypatch.setenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", limit)
    assert checkpoint_threshold() == threshold
