"""Scale-out benchmark: a generated corpus of N reports served locally, crawled end to end
(listing pages, fetch, raw zone, read, extract, load into DuckDB, quality gate, Parquet) by:

  sequential  plain function calls, one report after another, no Prefect (the baseline)
  prefect-1   the Prefect flow on a one-thread pool: the same work in the same order, so the
              difference to `sequential` is Prefect's overhead
  thread      the Prefect flow on its thread pool (default setting)
(All read reports where the flow does by default: in worker processes, flows/readers.py; the
flow's memory is reported with and without them.)
  dask        the Prefect flow on a Dask LocalCluster with 2 single-threaded worker processes

Each measurement runs in a fresh process (peak memory is its own) against one real
`prefect server` started here, as in production; the corpus is served by another process.
The search index is switched off (GOVREPORTS_SEARCH_INDEX=0): each run here is a first night,
whose index is built whole; bench/search_index.py measures it on its own. Memory: peak RSS of the flow process (and of each Dask worker) at two corpus sizes: it must
stay flat, since batches are loaded as they complete and nothing holds the whole corpus.

    .venv/bin/python bench/scale_out.py                      # 20,000 reports, ~20 min here
    .venv/bin/python bench/scale_out.py --reports 2000 --overhead-reports 500   # quick look
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.settings import Settings  # noqa: E402
from tests.localnet import free_port, healthy, wait_until  # noqa: E402


# -- the corpus ----------------------------------------------------------------------------------
def corpus_site(reports: int, sources: int):
    """A portal with `sources` 政府信息公开 columns listing `reports` reports in all (the five
    sample reports, re-titled and re-dated), 20 to a listing page."""
    from flows.demo.site import DemoSite, load_demo_corpus

    columns, seeds = load_demo_corpus()
    cols = [replace(columns[i % len(columns)], id=f"bench{i}") for i in range(sources)]
    docs = []
    for i in range(reports):
        seed = seeds[i % len(seeds)]
        day = f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        docs.append(
            replace(
                seed,
                id=100_000 + i,
                column=cols[i % sources].id,
                date=day,
                form="html",
                title=f"{seed.title}（第{i}号）",
            )
        )
    return DemoSite(cols, docs, page_size=20)


def serve(reports: int, sources: int, sources_file: Path) -> None:
    """Child process: serve the corpus until killed; write its sources file when up."""
    site = corpus_site(reports, sources)
    site.start()
    pages = reports // sources // 20 + 5
    # every report new in one run (a source's default is 500 a night)
    toml = site.sources_toml().replace(
        "max_pages = 10", f"max_pages = {pages}\nmax_new_reports = {reports}"
    )
    tmp = sources_file.with_suffix(".part")
    tmp.write_text(toml, "utf-8")
    tmp.rename(sources_file)
    while True:
        time.sleep(3600)


# -- one measurement (child process) -----------------------------------------------------------------
def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class ChildSampler:
    """Hands this process's descendants (the reading processes, flows/readers.py, children of a
    fork server) to `take` every `every` seconds, in a thread, until `stop_sampling()`; a child
    that ends meanwhile is passed over."""

    def __init__(self, every: float) -> None:
        import threading

        import psutil

        self.me = psutil.Process()
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        while not self._stop.wait(self._every):
            for child in self.me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    self.take(child)
            self.taken()

    def take(self, child) -> None:  # one descendant's reading
        raise NotImplementedError

    def taken(self) -> None:  # after each round
        pass

    def stop_sampling(self) -> None:
        self._stop.set()
        self._thread.join()


class TreePeak(ChildSampler):
    """Peak RSS of this process with its children, sampled four times a second; and the peak of
    the largest child."""

    def __init__(self) -> None:
        self.total_mb = self.child_mb = 0.0
        self._round: list[float] = []
        super().__init__(0.25)

    def take(self, child) -> None:
        self._round.append(child.memory_info().rss / 2**20)

    def taken(self) -> None:
        total = self.me.memory_info().rss / 2**20 + sum(self._round)
        self.total_mb = max(self.total_mb, total)
        self.child_mb = max([self.child_mb, *self._round])
        self._round = []

    def stop(self) -> dict:
        self.stop_sampling()
        return {"tree_peak_rss_mb": self.total_mb, "child_peak_rss_mb": self.child_mb}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def plain_run(sources_file: str, data_dir: str, batch_size: int) -> dict:
    """The flow's work as plain calls: same stages, same batches, same loads, gate and publish."""
    from extract.http import HttpClient
    from extract.rawstore import RawStore
    from extract.sources import load_sources
    from flows.paths import DataPaths
    from flows.readers import read_later, reading_processes
    from flows.stages import discover_new, fetch_items, known_keys, load_results
    from flows.tally import SourceTally
    from transform.indicators import default_catalogue
    from warehouse.publish import publish_parquet
    from warehouse.quality import run_checks
    from warehouse.report import write_report
    from warehouse.search import publish_search
    from warehouse.store import Warehouse

    paths = DataPaths.at(data_dir)
    sources = load_sources(sources_file)
    totals = SourceTally("all")
    with Warehouse(paths.warehouse) as wh:
        wh.start_load("plain", None)
        wh.upsert_indicators(default_catalogue(), "plain")
        wh.upsert_sources(sources, "plain")
        client = HttpClient()
        store = RawStore(paths.raw)
        # reports read where the flow reads them (flows/readers.py), so that the pair compares
        # Prefect and its threads, not two ways of reading; the report drawn there too, beside
        # the index build, as the flow draws it
        with reading_processes(Settings.from_env().reading_processes(), ("flows.reading",)):
            for source in sources:
                tally, items = discover_new(source, client, store, known_keys(wh, source.id))
                totals.absorb(tally)
                for i in range(0, len(items), batch_size):
                    batch = fetch_items(source, items[i : i + batch_size], client, store)
                    load_results(wh, batch, "plain")
                    totals.absorb(batch)
            client.close()
            run_checks(wh.con)
            wh.finish_load("plain", "completed", {"totals": {}})
            publish_parquet(wh.con, paths.parquet)
            drawing = read_later(write_report, str(paths.parquet))
            if Settings.from_env().search_index:
                publish_search(wh.con, paths.parquet)
            drawing.result()
    return {"documents": totals.documents, "facts": totals.facts, "failed": totals.failed}


def measure(mode: str, sources_file: str, data_dir: str, batch_size: int) -> None:
    """Child process: one run, timed; prints one JSON line."""
    os.environ["GOVREPORTS_BATCH_SIZE"] = str(batch_size)
    extra: dict = {}
    cpu0 = cpu_seconds()
    if mode == "sequential":
        t0 = time.perf_counter()
        out = plain_run(sources_file, data_dir, batch_size)
        seconds = time.perf_counter() - t0
    else:
        from prefect.task_runners import ThreadPoolTaskRunner

        from flows.nightly import nightly

        cluster = None
        if mode == "dask":
            from distributed import Client, LocalCluster
            from prefect_dask import DaskTaskRunner

            cluster = LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                env={"PREFECT_API_URL": os.environ["PREFECT_API_URL"]},
            )
            runner = DaskTaskRunner(address=cluster.scheduler_address)
        else:
            runner = ThreadPoolTaskRunner(max_workers=1 if mode == "prefect-1" else None)
        tree = TreePeak()
        t0 = time.perf_counter()
        summary = nightly.with_options(task_runner=runner)(
            sources_file=sources_file, data_dir=data_dir
        )
        seconds = time.perf_counter() - t0
        extra.update(tree.stop())
        totals = summary["totals"]
        out = {
            "documents": totals["documents"],
            "facts": totals["facts"],
            "failed": totals["failed"],
        }
        if cluster is not None:
            with Client(cluster) as client:
                peaks = client.run(
                    lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                )
                cpus = client.run(cpu_seconds)
            extra["worker_peak_rss_mb"] = sorted(round(v) for v in peaks.values())
            extra["worker_cpu_s"] = sorted(round(v) for v in cpus.values())
            cluster.close()
    print(
        "RESULT "
        + json.dumps(
            {
                "mode": mode,
                "seconds": seconds,
                "peak_rss_mb": peak_rss_mb(),
                "cpu_s": cpu_seconds() - cpu0,
                **out,
                **extra,
            }
        )
    )


# -- orchestration ---------------------------------------------------------------------------------
class Bench:
    def __init__(self, work: Path, sources: int, batch_size: int, duckdb_memory: str = "256MB"):
        self.work = work
        self.sources = sources
        self.batch_size = batch_size
        self.procs: list[subprocess.Popen] = []
        port = free_port()
        self.env = {
            **os.environ,
            "PREFECT_HOME": str(work / "prefect-home"),
            "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            # Every run here is a first night, whose full-text index is built whole: measured on
            # its own (bench/search_index.py), not inside the crawl numbers.
            "GOVREPORTS_SEARCH_INDEX": "0",
            # DuckDB caches the warehouse's blocks up to its memory limit: a small limit shows the
            # flow's own footprint, which is what must not grow with the corpus.
            "GOVREPORTS_DUCKDB_MEMORY_LIMIT": duckdb_memory,
            "PYTHONPATH": str(ROOT),
        }
        self.server_pid = 0
        prefect = str(Path(sys.executable).parent / "prefect")
        log = (work / "prefect-server.log").open("w")
        t0 = time.perf_counter()
        self.procs.append(
            subprocess.Popen(
                [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        wait_until(lambda: healthy(f"http://127.0.0.1:{port}/api/health"), 180, "prefect server")
        self.server_pid = self.procs[0].pid
        print(f"prefect server up in {time.perf_counter() - t0:.0f} s", flush=True)

    def corpus(self, reports: int) -> str:
        sources_file = self.work / f"sources-{reports}.toml"
        if not sources_file.exists():
            self.procs.append(
                subprocess.Popen(
                    [sys.executable, __file__, "--serve", str(reports)]
                    + ["--sources", str(self.sources), "--sources-file", str(sources_file)],
                    env=self.env,
                    start_new_session=True,
                )
            )
            wait_until(sources_file.exists, 120, "corpus server")
        return str(sources_file)

    def run(self, mode: str, reports: int) -> dict:
        import psutil

        data = self.work / f"data-{mode}-{reports}"
        shutil.rmtree(data, ignore_errors=True)
        self.corpus(reports)
        server = psutil.Process(self.server_pid)
        family = [server, *server.children(recursive=True)]

        def server_cpu() -> float:
            return sum(sum(p.cpu_times()[:2]) for p in family if p.is_running())

        cpu0 = server_cpu()
        done = subprocess.run(
            [sys.executable, __file__, "--measure", mode, "--sources-file", self.corpus(reports)]
            + ["--data-dir", str(data), "--batch-size", str(self.batch_size)],
            env=self.env,
            capture_output=True,
            text=True,
        )
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if done.returncode or line is None:
            raise SystemExit(
                f"{mode} at {reports} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
        result = json.loads(line[7:])
        result["prefect_server_cpu_s"] = server_cpu() - cpu0
        shutil.rmtree(data, ignore_errors=True)
        workers = result.get("worker_peak_rss_mb")
        print(
            f"{mode:<11}{reports:>7} reports  {result['seconds']:7.1f} s  "
            f"{result['documents'] / result['seconds']:6.1f} docs/s  {result['facts']:>8} facts  "
            f"{result['failed']} failed  peak RSS {result['peak_rss_mb']:.0f} MB"
            + (f" (workers {', '.join(map(str, workers))} MB)" if workers else "")
            + (
                f"; with its children {result['tree_peak_rss_mb']:.0f} MB "
                f"(largest child {result['child_peak_rss_mb']:.0f} MB)"
                if "tree_peak_rss_mb" in result
                else ""
            ),
            flush=True,
        )
        print(
            f"{'':11}CPU s: flow process {result['cpu_s']:.0f}"
            + (
                f", Dask workers {' + '.join(map(str, result['worker_cpu_s']))}"
                if "worker_cpu_s" in result
                else ""
            )
            + f", Prefect server {result['prefect_server_cpu_s']:.0f}",
            flush=True,
        )
        return result

    def close(self) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--overhead-reports", type=int, default=1000)
    parser.add_argument("--overhead-pairs", type=int, default=3)
    parser.add_argument("--memory-small", type=int, default=2000, help="smaller corpus for RSS")
    parser.add_argument(
        "--duckdb-memory", default="256MB", help="GOVREPORTS_DUCKDB_MEMORY_LIMIT of the runs"
    )
    parser.add_argument("--sources", type=int, default=4)
    parser.add_argument(
        "--batch-size", type=int, default=Settings().batch_size, help="reports per task"
    )
    parser.add_argument("--modes", default="sequential,thread,dask")
    parser.add_argument("--serve", type=int)
    parser.add_argument("--measure")
    parser.add_argument("--sources-file")
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve, args.sources, Path(args.sources_file))
    if args.measure:
        return measure(args.measure, args.sources_file, args.data_dir, args.batch_size)

    work = Path(tempfile.mkdtemp(prefix="govreports-bench-"))
    bench = Bench(work, args.sources, args.batch_size, args.duckdb_memory)
    try:
        print(
            f"\n1. Prefect overhead at {args.overhead_reports} reports ({args.batch_size} per task), "
            f"{args.overhead_pairs} pairs alternated (a single pair here varies by +-15%)"
        )
        pairs = [
            (
                bench.run("sequential", args.overhead_reports)["seconds"],
                bench.run("prefect-1", args.overhead_reports)["seconds"],
            )
            for _ in range(args.overhead_pairs)
        ]
        base, one = min(p[0] for p in pairs), min(p[1] for p in pairs)
        ratios = sorted(f"{b / a:.2f}" for a, b in pairs)
        print(
            f"   Prefect flow on one thread / plain calls, best of each: {one / base:.2f}x "
            f"(+{(one / base - 1) * 100:.0f}%; goal at most +20%); pair by pair: {', '.join(ratios)}"
        )
        print(f"\n2. Throughput at {args.reports} reports, {args.sources} sources")
        results = {m: bench.run(m, args.reports) for m in args.modes.split(",")}
        if "sequential" in results:
            for mode, r in results.items():
                if mode != "sequential":
                    print(
                        f"   {mode} vs sequential: "
                        f"{results['sequential']['seconds'] / r['seconds']:.2f}x the docs/s"
                    )
        print(
            f"\n3. Peak memory as the corpus grows ({args.memory_small} vs {args.reports}; "
            f"DuckDB memory limit {args.duckdb_memory})"
        )
        for mode in ("thread", "dask"):
            if mode in results:
                small = bench.run(mode, args.memory_small)
                print(
                    f"   {mode}: flow process {small['peak_rss_mb']:.0f} MB -> "
                    f"{results[mode]['peak_rss_mb']:.0f} MB for "
                    f"{args.reports / args.memory_small:.0f}x the reports"
                )
    finally:
        bench.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
