"""A night's cost against what its work costs, timed in the same run.

A local portal (another process) lists N reports (default 600); the nightly Prefect flow runs
on it twice against a real `prefect server`, politeness off:
  - bare flow:  an empty Prefect flow run, the fixed start every run pays (server warm);
  - first night: every report new: fetch, raw zone, read, extract, load, gate, publish, report;
  - no-op night: nothing new (the listing walked, nothing fetched, nothing republished);
  - extract alone: read + extract of the same report pages (already in memory), one core.
Goals (issue 16): the first night beyond the bare flow within 1.5x extract alone; the no-op
night within the bare flow + 3 s.

    .venv/bin/python bench/nightly_throughput.py [--reports 600]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale_out import Bench, ChildSampler  # noqa: E402


def _timed(work) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = work()
    return time.perf_counter() - t0, out


class CpuAccount(ChildSampler):
    """CPU seconds spent since it was made: by this process; by the processes it starts (the
    reading processes: sampled five times a second, each one's last reading kept, as they end
    with the run); by the portal serving the corpus and by the Prefect server (their pids in
    BENCH_PORTAL_PIDS, BENCH_SERVER_PID)."""

    def __init__(self) -> None:
        import psutil

        def group(names: str) -> list:
            return [psutil.Process(int(p)) for p in os.environ.get(names, "").split(",") if p]

        self.groups = {
            "portal": group("BENCH_PORTAL_PIDS"),
            "Prefect server": group("BENCH_SERVER_PID"),
        }
        for procs in self.groups.values():  # with the processes they started
            procs.extend(c for p in list(procs) for c in p.children(recursive=True))
        self.children: dict[int, float] = {}
        super().__init__(0.2)
        self.start = self._now()

    def take(self, child) -> None:
        self.children[child.pid] = sum(child.cpu_times()[:2])

    def _now(self) -> dict[str, float]:
        now = {
            "flow process": sum(self.me.cpu_times()[:2]),
            "reading processes": sum(self.children.values()),
        }
        for name, procs in self.groups.items():
            now[name] = sum(sum(p.cpu_times()[:2]) for p in procs if p.is_running())
        return now

    def spent(self) -> dict[str, float]:
        self.stop_sampling()
        now = self._now()
        return {name: now[name] - self.start[name] for name in now}


def measure(sources_file: str, data_dir: str) -> None:
    """Child process: bare flow, first night, no-op night, extract alone; one JSON line."""
    import requests
    from prefect import flow

    from extract.sources import load_sources
    from flows.nightly import nightly
    from transform.documents import read_document
    from transform.facts import extract_facts

    @flow(name="bare")
    def bare() -> int:
        return 0

    bare()  # the client's first contact with the server is not a run's cost
    bare_s, _ = _timed(bare)
    cpu = CpuAccount()
    profiler = None
    if os.environ.get("BENCH_PROFILE"):  # where a night's time goes (pyinstrument, all threads)
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002, async_mode="disabled")
        profiler.start()
    first_s, first = _timed(lambda: nightly(sources_file=sources_file, data_dir=data_dir))
    first_cpu = cpu.spent()
    if profiler is not None:
        profiler.stop()
        Path(os.environ["BENCH_PROFILE"]).write_text(profiler.output_text(color=False), "utf-8")
        profiler = Profiler(interval=0.002, async_mode="disabled")
        profiler.start()
    noop_s, noop = _timed(lambda: nightly(sources_file=sources_file, data_dir=data_dir))
    if profiler is not None:
        profiler.stop()
        Path(os.environ["BENCH_PROFILE"] + ".noop").write_text(
            profiler.output_text(color=False), "utf-8"
        )
    # the same report pages, read and extracted alone
    from warehouse.store import Warehouse

    with Warehouse(Path(data_dir) / "warehouse.duckdb", read_only=True) as wh:
        urls = [r[0] for r in wh.con.execute("SELECT url FROM dim_document").fetchall()]
    with requests.Session() as s:
        pages = [s.get(u).content for u in urls]
    region = load_sources(sources_file)[0].region
    cpu = CpuAccount()
    extract_s, facts = _timed(
        lambda: sum(len(extract_facts(read_document(p, fallback_region=region))) for p in pages)
    )
    extract_cpu = cpu.spent()["flow process"]
    print(
        "RESULT "
        + json.dumps(
            {
                "bare_s": bare_s,
                "first_s": first_s,
                "noop_s": noop_s,
                "extract_s": extract_s,
                "documents": first["totals"]["documents"],
                "facts": first["totals"]["facts"],
                "noop_fetched": noop["totals"]["fetched"],
                "extract_facts": facts,
                "pages": len(pages),
                "first_cpu": first_cpu,
                "extract_cpu": extract_cpu,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=600)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sources-file", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.sources_file, args.data_dir)
        return
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp), sources=1, batch_size=50)
        try:
            search = os.environ.get("GOVREPORTS_SEARCH_INDEX", "1")  # on, as by default
            env = {**bench.env, "GOVREPORTS_SEARCH_INDEX": search}
            sources_file = bench.corpus(args.reports)
            env["BENCH_SERVER_PID"] = str(bench.server_pid)
            env["BENCH_PORTAL_PIDS"] = ",".join(
                str(p.pid) for p in bench.procs if p.pid != bench.server_pid
            )
            if os.environ.get("BENCH_PROFILE"):
                env["BENCH_PROFILE"] = os.environ["BENCH_PROFILE"]
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--measure",
                    "--sources-file",
                    sources_file,
                ]
                + ["--data-dir", str(Path(tmp) / "data")],
                env=env,
                capture_output=True,
                text=True,
            )
        finally:
            bench.close()
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if done.returncode or line is None:
        raise SystemExit(f"the run failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    r = json.loads(line[7:])
    beyond = r["first_s"] - r["bare_s"]
    print(f"bare Prefect flow run:   {r['bare_s']:6.1f} s (the fixed start)")
    print(
        f"first night:             {r['first_s']:6.1f} s, {r['documents']} reports, "
        f"{r['facts']} facts; beyond the fixed start {beyond:.1f} s"
    )
    print(
        f"extract alone:           {r['extract_s']:6.1f} s for the same {r['pages']} pages "
        f"({r['extract_facts']} facts)"
    )
    print(
        f"  the night beyond its fixed start costs {beyond / r['extract_s']:.2f}x extract alone "
        "(goal <= 1.5x)"
    )
    spent = r["first_cpu"]
    print(
        f"  CPU of the first night: {sum(spent.values()):.1f} s on {os.cpu_count()} cores "
        f"({', '.join(f'{name} {s:.1f} s' for name, s in spent.items())}); "
        f"extract alone {r['extract_cpu']:.1f} s: "
        f"{(sum(spent.values()) - spent['portal']) / r['extract_cpu']:.2f}x its CPU, the portal's "
        "own left out"
    )
    # the least the night could take: its CPU (the portal's too: it runs on the same cores)
    # spread over every core, busy all along; no scheduling brings the night below it
    floor = sum(spent.values()) / (os.cpu_count() or 1)
    print(
        f"  with every core busy all along it could take no less than {floor:.1f} s: "
        f"{(floor - r['bare_s']) / r['extract_s']:.2f}x extract alone beyond the fixed start"
    )
    print(
        f"no-op night:             {r['noop_s']:6.1f} s, {r['noop_fetched']} reports fetched; "
        f"{r['noop_s'] - r['bare_s']:+.1f} s against the bare flow (goal <= +3 s)"
    )


if __name__ == "__main__":
    main()
