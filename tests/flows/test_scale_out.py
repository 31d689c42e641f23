"""Scale-out: the flow on a Dask cluster, and runs writing one DuckLake (real PostgreSQL catalog)
at the same time. Every run here is a real Prefect flow run against the demo portal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.settings import ENV, Settings, SettingsError, prefect_api_url
from tests.localnet import free_port
from warehouse.lake import LakeTarget
from warehouse.store import Warehouse

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]

# Each table without the columns that differ between runs by nature (load ids, fetch times).
COMPARED = {
    "dim_period": "SELECT * FROM dim_period",
    "dim_region": "SELECT * EXCLUDE (_load_id) FROM dim_region",
    "dim_indicator": "SELECT * EXCLUDE (_load_id) FROM dim_indicator",
    "dim_source": "SELECT * EXCLUDE (_load_id) FROM dim_source",
    "dim_document": "SELECT * EXCLUDE (_load_id, fetched_at) FROM dim_document",
    "fct_indicator_value": "SELECT * EXCLUDE (_load_id) FROM fct_indicator_value",
    "crawl_state": "SELECT * EXCLUDE (first_seen, last_attempt) FROM crawl_state",
    "v_target_attainment": "SELECT * FROM v_target_attainment",
}
KEYS = {
    "dim_region": "region_key",
    "dim_indicator": "indicator_key",
    "dim_source": "source_key",
    "dim_document": "document_key",
    "fct_indicator_value": "fact_key",
    "crawl_state": "crawl_key",
    "dim_period": "year",
}


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {name: con.execute(f"{sql} ORDER BY ALL").fetchall() for name, sql in COMPARED.items()}


def assert_keys_unique(con: duckdb.DuckDBPyConnection) -> None:
    for table, key in KEYS.items():
        total, distinct = con.execute(
            f"SELECT count(*), count(DISTINCT {key}) FROM {table}"
        ).fetchone()
        assert total == distinct, f"{table}: {total} rows, {distinct} distinct {key}"


def reference_run(site, tmp_path: Path) -> dict[str, list[tuple]]:
    """The demo corpus through the default path: threads, one DuckDB file."""
    from flows.nightly import nightly

    sources = tmp_path / "ref-sources.toml"
    sources.write_text(site.sources_toml(), "utf-8")
    summary = nightly(sources_file=str(sources), data_dir=str(tmp_path / "ref"))
    assert summary["status"] == "completed"
    with Warehouse(tmp_path / "ref" / "warehouse.duckdb", read_only=True) as wh:
        return snapshot(wh.con)


def test_settings_read_validate_and_round_trip():
    assert Settings.from_env({}) == Settings()
    env = {
        ENV["task_runner"]: "Dask",
        ENV["dask_address"]: "tcp://10.0.0.5:8786",
        ENV["warehouse"]: "ducklake",
        ENV["ducklake_catalog"]: "postgres:dbname=lake host=db port=5432",
        ENV["batch_size"]: "40",
    }
    settings = Settings.from_env(env)
    assert (settings.task_runner, settings.batch_size) == ("dask", 40)
    assert Settings.from_env(settings.as_env()) == settings
    assert settings.lake_target("/srv/data") == LakeTarget(
        "postgres:dbname=lake host=db port=5432", "/srv/data/lake"
    )
    bad = [
        ({ENV["task_runner"]: "spark"}, "GOVREPORTS_TASK_RUNNER='spark'"),
        ({ENV["warehouse"]: "ducklake"}, "needs GOVREPORTS_DUCKLAKE_CATALOG"),
        ({ENV["batch_size"]: "lots"}, "not a whole number"),
        ({ENV["batch_size"]: "0"}, "positive"),
        ({ENV["dask_address"]: "tcp://x:1"}, "set it to dask"),
    ]
    for env, message in bad:
        with pytest.raises(SettingsError, match=message.replace("(", r"\(")):
            Settings.from_env(env)


def test_cli_settings_errors_are_one_line(tmp_path):
    env = {**os.environ, "GOVREPORTS_WAREHOUSE": "ducklake"}
    env.pop("GOVREPORTS_DUCKLAKE_CATALOG", None)
    sources = tmp_path / "s.toml"
    sources.write_text('[[sources]]\nid="a"\nname="A"\nregion="A市"\nstart_urls=["http://a.cn/"]\n')
    res = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--sources", str(sources)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "govreports: GOVREPORTS_WAREHOUSE=ducklake needs GOVREPORTS_DUCKLAKE_CATALOG "
        "(e.g. postgres:dbname=lake host=127.0.0.1 port=5433)"
    ]


def _cli_run(tmp_path, env: dict[str, str]) -> subprocess.CompletedProcess:
    sources = tmp_path / "s.toml"
    sources.write_text('[[sources]]\nid="a"\nname="A"\nregion="A市"\nstart_urls=["http://a.cn/"]\n')
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--sources", str(sources)]
        + ["--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=REPO,
        timeout=120,
    )


def test_unreachable_lake_is_one_line_before_any_flow_run(tmp_path):
    """The warehouse is opened before Prefect starts: no crashed flow run, no traceback."""
    catalog = f"postgres:dbname=lake host=127.0.0.1 port={free_port()} user=postgres"
    res = _cli_run(
        tmp_path, {"GOVREPORTS_WAREHOUSE": "ducklake", "GOVREPORTS_DUCKLAKE_CATALOG": catalog}
    )
    assert res.returncode == 2
    [line] = res.stderr.strip().splitlines()
    assert line.startswith(f"govreports: cannot attach DuckLake {catalog!r}: ")
    assert "Flow run" not in res.stdout + res.stderr


def test_busy_duckdb_file_is_one_line_before_any_flow_run(tmp_path):

    with Warehouse(tmp_path / "data" / "warehouse.duckdb"):  # another run is writing
        res = _cli_run(tmp_path, {"GOVREPORTS_WAREHOUSE": "duckdb"})
    assert res.returncode == 2
    [line] = res.stderr.strip().splitlines()
    assert "warehouse.duckdb is in use by another process" in line
    assert "Flow run" not in res.stdout + res.stderr


def test_flow_on_a_dask_cluster_matches_the_thread_pool(
    prefect_harness, demo_site, tmp_path, monkeypatch
):
    from distributed import Client, LocalCluster
    from prefect_dask import DaskTaskRunner

    from flows.nightly import nightly

    expected = reference_run(demo_site, tmp_path)
    sources = tmp_path / "sources.toml"
    sources.write_text(demo_site.sources_toml(), "utf-8")
    monkeypatch.setenv("GOVREPORTS_BATCH_SIZE", "1")  # one task per report: several batches
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={"PREFECT_API_URL": prefect_api_url()},
    ) as cluster:
        runner = DaskTaskRunner(address=cluster.scheduler_address)
        summary = nightly.with_options(task_runner=runner)(
            sources_file=str(sources), data_dir=str(tmp_path / "dask")
        )
        with Client(cluster) as client:
            ran = client.run_on_scheduler(
                lambda dask_scheduler: sorted(dask_scheduler.task_prefixes)
            )
            worker_pids = set(client.run(os.getpid).values())
    assert summary["status"] == "completed" and summary["totals"]["documents"] == 4
    assert any(p.startswith("fetch") for p in ran) and any(p.startswith("discover") for p in ran)
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids
    with Warehouse(tmp_path / "dask" / "warehouse.duckdb", read_only=True) as wh:
        assert snapshot(wh.con) == expected


def test_both_backends_hold_equal_tables(prefect_harness, demo_site, lake, tmp_path, monkeypatch):
    from flows.nightly import nightly

    expected = reference_run(demo_site, tmp_path)
    sources = tmp_path / "sources.toml"
    sources.write_text(demo_site.sources_toml(), "utf-8")
    for name, value in (
        ("GOVREPORTS_WAREHOUSE", "ducklake"),
        ("GOVREPORTS_DUCKLAKE_CATALOG", lake.catalog),
        ("GOVREPORTS_DUCKLAKE_DATA_PATH", lake.data_path),
    ):
        monkeypatch.setenv(name, value)
    summary = nightly(sources_file=str(sources), data_dir=str(tmp_path / "lakerun"))
    assert summary["status"] == "completed" and summary["published"]
    assert summary["warehouse"]["backend"] == "ducklake"
    assert not (tmp_path / "lakerun" / "warehouse.duckdb").exists()
    assert any(Path(lake.data_path).rglob("*.parquet"))  # the lake's own data files
    with Warehouse(lake=lake, read_only=True) as wh:
        assert snapshot(wh.con) == expected
        assert_keys_unique(wh.con)
    # a rerun finds nothing new and changes no row
    again = nightly(sources_file=str(sources), data_dir=str(tmp_path / "lakerun"))
    assert again["totals"]["fetched"] == 0
    with Warehouse(lake=lake, read_only=True) as wh:
        assert snapshot(wh.con)["fct_indicator_value"] == expected["fct_indicator_value"]


def test_two_runs_write_one_ducklake_at_the_same_time(prefect_harness, lake, tmp_path):
    """Two flow runs in two processes (as on two workers), one per source group, start together
    on a fresh lake: schema creation, shared dimensions and loads race. Every document and fact
    lands exactly once, and the tables equal one run over all sources into a DuckDB file."""
    from flows.demo.site import DemoSite

    site, _ = DemoSite.from_corpus()
    site.start()
    try:
        expected = reference_run(site, tmp_path)
        blocks = ["[[sources]]" + b for b in site.sources_toml().split("[[sources]]") if b.strip()]
        groups = {"group-a": blocks[:1], "group-b": blocks[1:]}
        settings = Settings(
            warehouse="ducklake",
            ducklake_catalog=lake.catalog,
            ducklake_data_path=lake.data_path,
            batch_size=1,  # a commit per report: many chances to collide
        )
        env = {**os.environ, "PREFECT_API_URL": prefect_api_url(), **settings.as_env()}
        procs = []
        for name, group in groups.items():
            sources = tmp_path / f"{name}.toml"
            sources.write_text("\n".join(group), "utf-8")
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "flows.cli", "run", "--sources", str(sources)]
                    + ["--data-dir", str(tmp_path / name)],
                    env=env,
                    cwd=REPO,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
        outputs = [p.communicate(timeout=300)[0] for p in procs]
    finally:
        site.stop()
    for proc, out in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, out[-3000:]
    with Warehouse(lake=lake, read_only=True) as wh:
        assert_keys_unique(wh.con)
        assert snapshot(wh.con) == expected
        audit = wh.con.execute(
            "SELECT status, documents_loaded FROM load_audit ORDER BY 2"
        ).fetchall()
    assert audit == [("completed", 2), ("completed", 3)]
