"""Nothing lost when a night is cut short: a run killed with SIGKILL after its first batches
were loaded, then run again, ends with every listed report loaded once; the killed load is
marked interrupted. A report inserted below known ones is found by the deep walk."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.faultserver import FaultServer

REPORTS = 30
PER_PAGE = 10
HTML = {"Content-Type": "text/html; charset=utf-8"}


def report_path(i: int) -> str:
    return f"/xxgk/2024/t202401{i:02d}_{i}.html"


def portal(server: FaultServer, slow: dict[str, float]) -> None:
    pages = (REPORTS + PER_PAGE - 1) // PER_PAGE
    for p in range(pages):
        ids = range(REPORTS - p * PER_PAGE, max(REPORTS - (p + 1) * PER_PAGE, 0), -1)
        items = "".join(
            f"<li><a href='.{report_path(i)[5:]}'>某县{2000 + i}年政府工作报告</a> 2024-01-{i:02d}</li>"
            for i in ids
        )
        script = f'<script>createPageHTML({pages}, {p}, "index", "html");</script>'
        body = f"<html><body><ul>{items}</ul>{script}</body></html>".encode()
        name = "/xxgk/index.html" if p == 0 else f"/xxgk/index_{p}.html"
        server.routes[name] = lambda n, b=body: (200, HTML, b)
    for i in range(1, REPORTS + 1):
        text = (
            f"<html><head><meta name='ArticleTitle' content='某县{2000 + i}年政府工作报告'></head>"
            f"<body><div class='TRS_Editor'><p>一、{1999 + i}年工作回顾</p>"
            f"<p>全县地区生产总值增长{i % 9 + 1}%，一般公共预算收入增长{i % 7 + 1}%。</p>"
            "</div></body></html>"
        ).encode()
        server.routes[report_path(i)] = lambda n, b=text: (
            200,
            {**HTML, "X-Sleep": str(slow["detail"])},
            b,
        )


def sources_file(folder: Path, server: FaultServer) -> Path:
    path = folder / "sources.toml"
    path.write_text(
        f'[[sources]]\nid = "county"\nname = "某县"\nregion = "某县"\n'
        f'start_urls = ["{server.url}/xxgk/index.html"]\nallow_private = true\n'
        "delay_seconds = 0.0\nmax_pages = 10\n",
        "utf-8",
    )
    return path


def govreports(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,  # its own process group: the kill takes Prefect's server too
    )


@pytest.mark.e2e
def test_a_run_killed_mid_night_is_finished_by_the_next_without_duplicates(tmp_path):
    slow = {"detail": 0.3}
    server = FaultServer()
    portal(server, slow)
    sources = sources_file(tmp_path, server)
    data = tmp_path / "data"
    env = {
        **os.environ,
        "GOVREPORTS_BATCH_SIZE": "5",
        "GOVREPORTS_WORKERS": "1",
        "GOVREPORTS_SEARCH_INDEX": "0",
    }
    args = ["run", "--sources", str(sources), "--data-dir", str(data)]
    try:
        first = govreports(args, env)
        seen = []
        deadline = time.monotonic() + 120
        assert first.stdout is not None
        for line in first.stdout:  # kill once two batches are loaded, long before the end
            seen.append(line)
            if "10/30 reports done" in line or time.monotonic() > deadline:
                os.killpg(first.pid, signal.SIGKILL)
                break
        first.wait(30)
        assert first.returncode == -signal.SIGKILL, "".join(seen[-20:])
        slow["detail"] = 0.0
        second = govreports(args, env)
        out, _ = second.communicate(timeout=300)
        assert second.returncode == 0, out[-3000:]
    finally:
        server.stop()
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    urls = [r[0] for r in con.execute("SELECT url FROM dim_document").fetchall()]
    assert sorted(urls) == sorted(f"{server.url}{report_path(i)}" for i in range(1, REPORTS + 1))
    total, distinct = con.execute(
        "SELECT count(*), count(DISTINCT (document_key, indicator, year, kind)) "
        "FROM fct_indicator_value"
    ).fetchone()
    assert total == distinct == 2 * REPORTS  # two facts a report, none twice
    statuses = [
        r[0] for r in con.execute("SELECT status FROM load_audit ORDER BY started_at").fetchall()
    ]
    assert statuses == ["interrupted", "completed"]
    walk = con.execute(
        "SELECT status FROM crawl_state WHERE role = 'walk' AND url = 'govreports:walk'"
    ).fetchone()
    assert walk == ("ok",)
    con.close()


@pytest.mark.e2e
def test_prefects_temporary_server_dies_with_a_killed_run(tmp_path):
    import psutil

    slow = {"detail": 0.5}
    server = FaultServer()
    portal(server, slow)
    sources = sources_file(tmp_path, server)
    env = {**os.environ, "GOVREPORTS_BATCH_SIZE": "5", "GOVREPORTS_SEARCH_INDEX": "0"}
    env.pop("PREFECT_API_URL", None)
    run = govreports(["run", "--sources", str(sources), "--data-dir", str(tmp_path / "d")], env)
    try:
        assert run.stdout is not None
        for line in run.stdout:  # the flow is running: its temporary server is up
            if "reports done" in line:
                break
        children = psutil.Process(run.pid).children(recursive=True)
        assert any("uvicorn" in " ".join(c.cmdline()) for c in children)
        run.kill()  # SIGKILL to the run alone, not its process group
        run.wait(30)
        gone, alive = psutil.wait_procs(children, timeout=20)
        assert alive == [], [c.cmdline() for c in alive]
    finally:
        server.stop()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)
