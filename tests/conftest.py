"""Shared fixtures. Prefect gets its own PREFECT_HOME and one temporary server per session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports prefect: never touch the user's ~/.prefect, allow a slow first start.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="govreports-test-prefect-")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW"] = "ignore"

SEEDS = Path(__file__).resolve().parents[1] / "flows" / "demo" / "data"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
        yield


@pytest.fixture
def demo_site():
    from flows.demo.site import DemoSite

    site, held = DemoSite.from_corpus(exclude_ids=(3001,))
    site.start()
    site.held = held  # type: ignore[attr-defined]
    yield site
    site.stop()


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text("utf-8")


@pytest.fixture(scope="session")
def postgres():
    """One real PostgreSQL server for the session (DuckLake catalogs: one database per test)."""
    from tests.pgserver import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer().start()
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def lake(postgres, tmp_path):
    """A fresh DuckLake (its own PostgreSQL database and data folder) for one test."""
    import uuid

    from warehouse.lake import LakeTarget

    name = f"lake_{uuid.uuid4().hex[:12]}"
    return LakeTarget(postgres.create_database(name), str(tmp_path / "lake-data"))
