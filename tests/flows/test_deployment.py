"""Production path: a real `prefect server` on 127.0.0.1 with its own PREFECT_HOME, the work pool,
`prefect deploy` from deploy/prefect.yaml, a process worker, and the `nightly` deployment run
against the demo portal; checked through the API and the warehouse. Everything started is stopped."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.localnet import free_port, healthy, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).parent / "prefect")


def test_nightly_deployment_runs_on_a_worker(demo_site, tmp_path):
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    sources = tmp_path / "sources.toml"
    sources.write_text(demo_site.sources_toml(), "utf-8")
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GOVREPORTS_HOME": str(ROOT),
        "GOVREPORTS_SOURCES": str(sources),
        "GOVREPORTS_DATA_DIR": str(tmp_path / "data"),
    }
    started: list[subprocess.Popen] = []
    logs = []

    def spawn(*args: str, log: str) -> subprocess.Popen:
        logs.append((tmp_path / log).open("w"))
        proc = subprocess.Popen(
            [PREFECT, *args],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=logs[-1],
            stderr=subprocess.STDOUT,
        )
        started.append(proc)
        return proc

    def prefect(*args: str) -> str:
        done = subprocess.run(
            [PREFECT, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return done.stdout

    try:
        spawn("server", "start", "--host", "127.0.0.1", "--port", str(port), log="server.log")
        wait_until(lambda: healthy(f"{api}/health"), 120, "the Prefect server")
        prefect("work-pool", "create", "govreports", "--type", "process")
        out = prefect("--no-prompt", "deploy", "--all", "--prefect-file", "deploy/prefect.yaml")
        assert "govreports-nightly/nightly" in out and "govreports-backfill/backfill" in out
        spawn("worker", "start", "--pool", "govreports", log="worker.log")
        run_out = prefect("deployment", "run", "govreports-nightly/nightly")
        flow_run_id = next(
            line.split("UUID:")[1].strip() for line in run_out.splitlines() if "UUID:" in line
        )

        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
        from prefect.settings import PREFECT_API_URL, temporary_settings

        def final_state():
            with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
                state = client.read_flow_run(flow_run_id).state
            return state if state and state.is_final() else None

        state = wait_until(final_state, 240, "the nightly flow run")
        assert state.is_completed(), (tmp_path / "worker.log").read_text()[-3000:]
        with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
            artifacts = client.read_artifacts(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            )
        assert {a.key for a in artifacts} >= {"govreports-sources", "govreports-run-summary"}
        con = duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True)
        assert con.execute("SELECT count(*) FROM dim_document").fetchone()[0] == 4
        assert con.execute("SELECT flow_run_id, status FROM load_audit").fetchall() == [
            (flow_run_id, "completed")
        ]
        con.close()
    finally:
        for proc in reversed(started):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGKILL)
        for log in logs:
            log.close()
