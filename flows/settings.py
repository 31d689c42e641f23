"""Run settings: which task runner executes fetch/read/extract, and which warehouse backend
loads the results. Each is an environment variable (for deployments and workers) and a CLI
option (which sets the variable for the run it starts).

GOVREPORTS_TASK_RUNNER        thread (default) | dask
GOVREPORTS_DASK_ADDRESS       scheduler address (tcp://host:8786); unset with `dask`: a temporary
                              LocalCluster on this machine, one worker process per core
GOVREPORTS_WAREHOUSE          duckdb (default: <data dir>/warehouse.duckdb) | ducklake
GOVREPORTS_DUCKLAKE_CATALOG   DuckLake catalog, e.g. postgres:dbname=lake host=127.0.0.1 port=5433
GOVREPORTS_DUCKLAKE_DATA_PATH where DuckLake writes Parquet (default <data dir>/lake/); in
                              production an object-store prefix (s3://bucket/govreports/)
GOVREPORTS_BATCH_SIZE         reports per fetch/extract task (default 50)
GOVREPORTS_WORKERS            thread-pool size (default: Prefect's)
GOVREPORTS_READ_PROCESSES     processes that read reports and extract their facts while the
                              threads fetch and load (default: one per core on a machine with
                              several; 0: in the fetching threads; with dask, its workers read)
GOVREPORTS_SEARCH_INDEX       1 (default) | 0: update the full-text search file after each run
                              (the reports the run loaded or rewrote; built whole the first time)
GOVREPORTS_ALLOW_SHRINK       0 (default) | 1: publish although the warehouse lost more than 5%
                              of the documents or facts last published (otherwise the run fails)
GOVREPORTS_DUCKDB_MEMORY_LIMIT per DuckDB connection before it spills to disk (default 1GB)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from warehouse.lake import LakeTarget

ENV = {
    "task_runner": "GOVREPORTS_TASK_RUNNER",
    "dask_address": "GOVREPORTS_DASK_ADDRESS",
    "warehouse": "GOVREPORTS_WAREHOUSE",
    "ducklake_catalog": "GOVREPORTS_DUCKLAKE_CATALOG",
    "ducklake_data_path": "GOVREPORTS_DUCKLAKE_DATA_PATH",
    "batch_size": "GOVREPORTS_BATCH_SIZE",
    "workers": "GOVREPORTS_WORKERS",
    "read_processes": "GOVREPORTS_READ_PROCESSES",
    "search_index": "GOVREPORTS_SEARCH_INDEX",
    "allow_shrink": "GOVREPORTS_ALLOW_SHRINK",
}
TASK_RUNNERS = ("thread", "dask")
WAREHOUSES = ("duckdb", "ducklake")


class SettingsError(ValueError):
    """A setting has a value the pipeline cannot use (the message names the variable)."""


@dataclass(frozen=True)
class Settings:
    task_runner: str = "thread"
    dask_address: str | None = None
    warehouse: str = "duckdb"
    ducklake_catalog: str | None = None
    ducklake_data_path: str | None = None
    batch_size: int = 50
    workers: int | None = None
    read_processes: int | None = None  # None: one per core where there are several
    search_index: bool = True
    allow_shrink: bool = False  # publish even when documents or facts would shrink past 5%

    def __post_init__(self) -> None:
        if self.task_runner not in TASK_RUNNERS:
            raise SettingsError(
                f"{ENV['task_runner']}={self.task_runner!r}: use one of {', '.join(TASK_RUNNERS)}"
            )
        if self.warehouse not in WAREHOUSES:
            raise SettingsError(
                f"{ENV['warehouse']}={self.warehouse!r}: use one of {', '.join(WAREHOUSES)}"
            )
        if self.warehouse == "ducklake" and not self.ducklake_catalog:
            raise SettingsError(
                f"{ENV['warehouse']}=ducklake needs {ENV['ducklake_catalog']} "
                "(e.g. postgres:dbname=lake host=127.0.0.1 port=5433)"
            )
        if self.dask_address and self.task_runner != "dask":
            raise SettingsError(
                f"{ENV['dask_address']} is set but {ENV['task_runner']} is "
                f"{self.task_runner!r}; set it to dask"
            )
        for name in ("batch_size", "workers"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise SettingsError(f"{ENV[name]}={value}: must be a positive whole number")
        if self.read_processes is not None and self.read_processes < 0:
            raise SettingsError(
                f"{ENV['read_processes']}={self.read_processes}: must be 0 or a whole number"
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = (env.get(ENV[f.name]) or "").strip()
            if not raw:
                continue
            if f.name in ("search_index", "allow_shrink"):
                if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
                    raise SettingsError(f"{ENV[f.name]}={raw!r}: use 1 or 0")
                values[f.name] = raw.lower() in ("1", "true", "yes")
            elif f.name in ("batch_size", "workers", "read_processes"):
                try:
                    values[f.name] = int(raw)
                except ValueError:
                    raise SettingsError(f"{ENV[f.name]}={raw!r}: not a whole number") from None
            else:
                values[f.name] = raw.lower() if f.name in ("task_runner", "warehouse") else raw
        return cls(**values)

    def as_env(self) -> dict[str, str]:
        """The settings as environment variables (for a worker's job or a child process)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[ENV[f.name]] = str(int(value)) if isinstance(value, bool) else str(value)
        return out

    def lake_target(self, data_dir: str | Path) -> LakeTarget | None:
        """The DuckLake to load into, or None for the DuckDB file."""
        if self.warehouse != "ducklake":
            return None
        data_path = self.ducklake_data_path or str(Path(data_dir).resolve() / "lake")
        return LakeTarget(str(self.ducklake_catalog), data_path)

    def make_task_runner(self) -> Any:
        """The Prefect task runner these settings ask for."""
        if self.task_runner == "dask":
            from prefect_dask import DaskTaskRunner

            if self.dask_address:
                return DaskTaskRunner(address=self.dask_address)
            return DaskTaskRunner(
                cluster_class=local_dask_cluster,
                cluster_kwargs={"n_workers": self.workers or os.cpu_count() or 1},
            )
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=self.workers)

    def reading_processes(self) -> int:
        """How many processes read reports in a run of this process (0: its threads do)."""
        if self.task_runner == "dask":
            return 0  # the dask workers are processes already, and read what they fetch
        if self.read_processes is not None:
            return self.read_processes
        cores = os.cpu_count() or 1
        return cores if cores > 1 else 0

    def describe(self) -> str:
        runner = self.task_runner + (f" at {self.dask_address}" if self.dask_address else "")
        store = "ducklake" if self.warehouse == "ducklake" else "duckdb file"
        reading = self.reading_processes()
        where = f"read in {reading} processes" if reading else "read in the fetching threads"
        return (
            f"task runner {runner}, warehouse {store}, {self.batch_size} reports per task, {where}"
        )


def prefect_api_url() -> str | None:
    """The Prefect API this process reports to: the configured one, or the temporary server a
    process without one has started."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    if url:
        return str(url)
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    return server.api_url if server.running else None


def local_dask_cluster(n_workers: int) -> Any:
    """A Dask LocalCluster (one single-threaded worker process per core) whose workers report
    task runs to this flow's Prefect API, the temporary one included (without it each worker
    process would start a temporary server of its own)."""
    from distributed import LocalCluster

    api = prefect_api_url()
    return LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={"PREFECT_API_URL": api} if api else None,
    )


def task_runner_from_env() -> Any:
    """The flows' default task runner, read when the flows module is imported (a worker's job
    environment sets the variables before that); a bad value falls back to threads here and
    fails the run with its message when the flow reads the settings."""
    try:
        return Settings.from_env().make_task_runner()
    except SettingsError:
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner()
