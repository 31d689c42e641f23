"""Fetch + read + extract of a local portal's reports with reading in the fetching thread and
in worker processes (flows/readers.py), timed in the same run, alternated, best of each.

The portal is bench/scale_out.py's generated corpus served by another process (politeness off);
no Prefect and no warehouse: only what the reading processes change.

    .venv/bin/python bench/read_processes.py [--reports 600] [--processes 2] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.http import HttpClient  # noqa: E402
from extract.rawstore import RawStore  # noqa: E402
from extract.sources import load_sources  # noqa: E402
from flows.readers import reading_processes  # noqa: E402
from flows.stages import discover_new, fetch_items  # noqa: E402

BATCH = 50


def crawl(sources_file: Path, raw: Path, processes: int) -> tuple[float, float, int]:
    """(wall seconds, this process's CPU seconds, facts) of one full crawl of the portal."""
    source = load_sources(str(sources_file))[0]
    client = HttpClient()
    store = RawStore(str(raw))
    try:
        _, items = discover_new(source, client, store, set())
        wall, cpu = time.perf_counter(), time.process_time()
        with reading_processes(processes):
            tallies = [
                fetch_items(source, items[i : i + BATCH], client, store)
                for i in range(0, len(items), BATCH)
            ]
        facts = sum(len(load.facts) for t in tallies for load in t.loads)
        return time.perf_counter() - wall, time.process_time() - cpu, facts
    finally:
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=600)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sources_file = Path(tmp) / "sources.toml"
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "scale_out.py"), "--serve", str(args.reports)]
            + ["--sources", "1", "--sources-file", str(sources_file)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 120
            while not sources_file.exists():
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the corpus server did not start")
                time.sleep(0.2)
            best: dict[int, tuple[float, float, int]] = {}
            for r in range(args.rounds):
                for n in (0, args.processes):
                    got = crawl(sources_file, Path(tmp) / f"raw-{r}-{n}", n)
                    if n not in best or got[0] < best[n][0]:
                        best[n] = got
        finally:
            os.killpg(server.pid, signal.SIGKILL)
    for n, (wall, cpu, facts) in best.items():
        where = f"in {n} processes" if n else "in the fetching thread"
        print(
            f"{args.reports} reports read {where:<24} {wall:5.2f} s wall, "
            f"{cpu:5.2f} s CPU in this process, {facts} facts"
        )
    thread, procs = best[0][0], best[args.processes][0]
    print(f"reading in processes: {thread / procs:.2f}x the speed of reading in the thread")


if __name__ == "__main__":
    main()
