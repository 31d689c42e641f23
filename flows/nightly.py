"""The nightly Prefect flow: discover -> fetch -> read -> extract -> load -> publish -> report.

Each source's listing pages are walked in one task; its new reports are fetched, read and
extracted in batches (GOVREPORTS_BATCH_SIZE per task) on the flow's task runner: threads, or a
Dask cluster (flows/settings.py). Batches are loaded in the flow's process as they complete, a
bounded number in flight, so memory stays flat however many reports a run finds. Loading,
the quality gate and publishing happen in the flow's process: the DuckDB file's only writer, or
one of several concurrent writers of a DuckLake.
"""

from __future__ import annotations

import os
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.runtime import flow_run
from prefect.states import Failed, State

from extract.http import HttpClient
from extract.listing import ListingItem
from extract.memory import Revisit, to_walk, walk_record
from extract.rawstore import RawStore
from extract.sources import Selection, Source, load_sources
from flows.paths import DataPaths
from flows.readers import read_later, reading_processes
from flows.run_summary import failure_streaks, run_summary, summary_markdown, summary_table
from flows.settings import Settings, task_runner_from_env
from flows.stages import (
    ReprocessResult,
    discover_new,
    fetch_items,
    load_results,
    memory_and_revisits,
    reprocess_documents,
)
from flows.tally import SourceTally
from transform.indicators import default_catalogue
from transform.model import CrawlRecord
from warehouse.publish import publish_parquet
from warehouse.quality import CheckResult, blocking, run_checks, shrink_check
from warehouse.report import REPORT_FILE, write_report
from warehouse.search import refresh_search
from warehouse.store import Warehouse

ABANDONED_AFTER = timedelta(hours=12)  # a DuckLake load running longer than this was killed


@task(name="discover-source", retries=2, retry_delay_seconds=10, cache_policy=NONE)
def discover_task(
    source: Source,
    raw_dir: str,
    known: set[str],
    since: date | None = None,
    until: date | None = None,
    retry: list[ListingItem] | None = None,
    exhaustive: bool = False,
) -> tuple[SourceTally, list[ListingItem]]:
    client = HttpClient()
    try:
        return discover_new(
            source,
            client,
            RawStore(raw_dir),
            known,
            get_run_logger().info,
            since,
            until,
            retry or (),
            exhaustive,
        )
    finally:
        client.close()


@task(name="fetch-batch", retries=1, retry_delay_seconds=5, cache_policy=NONE)
def fetch_batch_task(
    source: Source, items: list[ListingItem], revisit: list[Revisit], raw_dir: str
) -> SourceTally:
    """Fetch, keep, read and extract one batch of a source's reports (failures are recorded in
    the result; a crash is retried once, then recorded for every report of the batch)."""
    client = HttpClient()
    try:
        return fetch_items(source, items, client, RawStore(raw_dir), revisit)
    finally:
        client.close()


@task(name="quality-gate", cache_policy=NONE)
def quality_task(
    warehouse: Warehouse, published_dir: str, may_shrink: bool = False
) -> list[CheckResult]:
    """The SQL checks, and (unless the run may shrink) that nothing published would shrink."""
    results = run_checks(warehouse.con)
    if not may_shrink:
        results.append(shrink_check(warehouse.con, published_dir))
    logger = get_run_logger()
    for r in results:
        if not r.passed:
            log = logger.error if r.severity == "error" else logger.warning
            log(
                "quality check %s (%s) failed for %d rows: %s",
                r.name,
                r.severity,
                r.failing,
                r.what,
            )
    return results


def _gate_and_publish(
    wh: Warehouse,
    paths: DataPaths,
    load_id: str,
    summary: dict,
    settings: Settings,
    may_shrink: bool = False,
) -> None:
    """Run the quality gate; publish Parquet only when no error-level check failed (a run that
    would shrink what is published fails, unless it may: a reprocess, or --allow-shrink)."""
    checks = quality_task(wh, str(paths.parquet), may_shrink or settings.allow_shrink)
    summary["quality"] = [c.as_dict() for c in checks]
    if wh.lake is not None:  # commits redone after another writer's: contention, for the record
        summary["warehouse_conflicts_retried"] = wh.conflicts_retried
    if held := blocking(checks):
        summary["status"] = "failed_quality"
        summary["published"] = False
        summary["blocked_by"] = [c.name for c in held]
    else:
        summary["published"] = True
    wh.finish_load(load_id, str(summary["status"]), summary)
    if summary["published"]:
        written = publish_task(wh, str(paths.parquet), settings.search_index)
        summary["report"] = next((w for w in written if w.endswith(REPORT_FILE)), None)


@task(name="publish-parquet", cache_policy=NONE)
def publish_task(warehouse: Warehouse, parquet_dir: str, search_index: bool = True) -> list[str]:
    """Parquet and views.sql, the search index, and the visual report over what was published
    (a report that cannot be drawn is logged, never a reason to hold the data back). What has
    not changed since it was published stays: the tables whose rows are the same, and the
    search index while the documents are."""
    written = [str(p) for p in publish_parquet(warehouse.con, parquet_dir).values()]
    # the report is drawn beside the index build, not after it: in a reading process when the
    # run has them, where building its charts (Python) does not hold up the build's statements,
    # each of which waits for the interpreter lock; otherwise in a thread here
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(lambda: read_later(write_report, parquet_dir).result())
        try:
            if search_index and (index := refresh_search(warehouse.con, parquet_dir)) is not None:
                written.append(str(index))
        except duckdb.Error as exc:  # out of memory, say: the data is out, the old index stays
            get_run_logger().warning("the search index could not be rebuilt: %s", exc)
    try:
        written.append(str(report.result()))
    except Exception as exc:  # the data is published; only the picture of it is missing
        get_run_logger().warning("the visual report could not be written: %r", exc)
    return written


@contextmanager
def _new_load(data_dir: str, settings: Settings) -> Iterator[tuple[Warehouse, DataPaths, str]]:
    """The warehouse (the DuckDB file, or the DuckLake the settings name) with a new load
    registered in the audit."""
    paths = DataPaths.at(data_dir)
    load_id = uuid.uuid4().hex
    with Warehouse(paths.warehouse, lake=settings.lake_target(paths.root)) as wh:
        # a load still `running` was killed: the DuckDB file has one writer (this one), so
        # every such load; a DuckLake has several, so those older than any run takes
        now = datetime.now(UTC)
        cutoff = now if wh.lake is None else now - ABANDONED_AFTER
        if closed := wh.close_abandoned_loads(cutoff):
            get_run_logger().warning("%d earlier load(s) were interrupted; marked so", closed)
        if swept := RawStore(paths.raw).sweep():
            get_run_logger().warning("removed %d partial files a killed run left", swept)
        wh.start_load(load_id, str(flow_run.id) if flow_run.id else None)
        wh.upsert_indicators(default_catalogue(), load_id)
        yield wh, paths, load_id


@flow(name="govreports-nightly", task_runner=task_runner_from_env())
def nightly(
    sources_file: str,
    data_dir: str = "data",
    only_ids: list[str] | None = None,
    only_levels: list[str] | None = None,
    only_provinces: list[str] | None = None,
) -> dict[str, object] | State:
    """Crawl every source in `sources_file` (a TOML file or a folder of them), or those of
    the ids, levels and provinces named, and load new reports into `data_dir`."""
    selection = Selection(
        tuple(only_ids or ()), tuple(only_levels or ()), tuple(only_provinces or ())
    )
    return _crawl_run(selection.apply(load_sources(sources_file), sources_file), data_dir)


@flow(name="govreports-backfill", task_runner=task_runner_from_env())
def backfill(
    sources_file: str,
    source_id: str,
    data_dir: str = "data",
    since: date | None = None,
    until: date | None = None,
    max_pages: int = 100,
    refetch: bool = False,
) -> dict[str, object] | State:
    """Crawl one source deeper than the nightly run: up to `max_pages` listing pages, only
    reports listed between `since` and `until` (inclusive), and with `refetch` also reports
    already loaded (their facts are replaced, never duplicated)."""
    chosen = [s for s in load_sources(sources_file) if s.id == source_id]
    if not chosen:
        raise ValueError(f"{sources_file}: no source with id {source_id!r}")
    return _crawl_run(
        [replace(chosen[0], max_pages=max_pages)],
        data_dir,
        refetch=refetch,
        since=since,
        until=until,
    )


def _crashed_batch(
    source: Source, items: list[ListingItem], revisit: list[Revisit], exc: BaseException
) -> SourceTally:
    """A batch whose task crashed after its retries: every new report in it is recorded as
    failed (so the next run tries it again) with the reason; reports it was to revisit keep
    their state and are due again next run."""
    reason = f"batch crashed: {exc!r}"[:500]
    now = datetime.now(UTC)
    result = SourceTally(source.id, failed=len(items) + len(revisit))
    result.errors.extend((r.item.url, reason) for r in revisit)
    for item in items:
        result.errors.append((item.url, reason))
        result.records.append(
            CrawlRecord(
                item.url, source.id, "detail", "failed", now, error=reason, listing_title=item.title
            )
        )
    return result


class _BatchWindow:
    """Fetch batches in flight on the task runner, a bounded number at once; each is loaded in
    this process as it settles (oldest first) and folded into its source's tally."""

    def __init__(self, wh: Warehouse, load_id: str, size: int, sources: int) -> None:
        self.wh, self.load_id, self.size, self.sources = wh, load_id, size, sources
        self.in_flight: deque[tuple[Source, list[ListingItem], list[Revisit], object]] = deque()
        self.tallies: dict[str, SourceTally] = {}
        self.done: dict[str, int] = {}
        self.totals: dict[str, int] = {}
        self.walks: dict[str, tuple[Source, bool, str]] = {}  # (source, exhaustive, end status)

    def start_walk(self, source: Source, exhaustive: bool, end: str, total: int) -> None:
        """Record the source's walk as started before any of its reports is loaded: if the run
        dies before they all are, the next run walks every page (extract/memory.py). `end` is
        how the walk ends once they are: ok, or failed / deferred (next run walks every page)."""
        self.totals[source.id] = total
        self.walks[source.id] = (source, exhaustive, end)
        self.wh.record_crawl([walk_record(source, "started", datetime.now(UTC))])
        if total == 0:
            self.finish_walk(source.id)

    def finish_walk(self, source_id: str) -> None:
        """Every report the walk found is loaded (or recorded failed, to be retried)."""
        source, exhaustive, end = self.walks.pop(source_id)
        now = datetime.now(UTC)
        records = [walk_record(source, end, now)]
        if exhaustive and end == "ok":
            records.append(walk_record(source, "ok", now, deep=True))
        self.wh.record_crawl(records)

    def submit(
        self, source: Source, items: list[ListingItem], revisit: list[Revisit], raw: str
    ) -> None:
        while len(self.in_flight) >= self.size:
            self.settle_oldest()
        future = fetch_batch_task.submit(source, items, revisit, raw)
        self.in_flight.append((source, items, revisit, future))

    def settle_oldest(self) -> None:
        source, items, revisit, future = self.in_flight.popleft()
        try:
            batch = future.result()  # type: ignore[attr-defined]
        except Exception as exc:  # a crashed batch never stops the run: recorded, retried
            batch = _crashed_batch(source, items, revisit, exc)
        # a plain call, not a task: the flow's own work, logged below; a task run per batch
        # would double Prefect's per-batch cost for nothing it can retry
        load_results(self.wh, batch, self.load_id)
        tally = self.tallies[source.id]
        tally.absorb(batch)
        self.done[source.id] = self.done.get(source.id, 0) + len(items) + len(revisit)
        if self.done[source.id] >= self.totals[source.id] and source.id in self.walks:
            self.finish_walk(source.id)
        get_run_logger().info(
            "%s: %d/%d reports done (%d fetched, %d failed, %d documents, %d facts loaded)",
            source.id,
            self.done[source.id],
            self.totals[source.id],
            tally.fetched,
            tally.failed,
            tally.documents,
            tally.facts,
        )
        known_total, settled = sum(self.totals.values()), sum(self.done.values())
        finished = sum(1 for sid, n in self.totals.items() if self.done.get(sid, 0) >= n)
        get_run_logger().info(
            "overall: %d of %d reports discovered so far done, %d left; %d of %d sources done",
            settled,
            known_total,
            known_total - settled,
            finished,
            self.sources,
        )

    def drain(self) -> None:
        while self.in_flight:
            self.settle_oldest()


def _crawl_sources(
    wh: Warehouse,
    sources: list[Source],
    raw: str,
    load_id: str,
    settings: Settings,
    started: datetime,
    refetch: bool,
    since: date | None,
    until: date | None,
) -> list[SourceTally]:
    """Discover each source's new reports (one task each), then fetch, read and extract them in
    batches on the task runner, loading each batch as it completes."""
    plans = {s.id: memory_and_revisits(wh, s, started) for s in sources}  # (memory, revisits)
    memory = {sid: plan[0] for sid, plan in plans.items()}
    exhaustive = {s.id: refetch or memory[s.id].exhaustive(s, started) for s in sources}
    walks = {s.id: to_walk(memory[s.id], exhaustive[s.id]) for s in sources}  # (skip, retry)
    discoveries = [
        discover_task.submit(
            s,
            raw,
            set() if refetch else walks[s.id][0],
            since,
            until,
            walks[s.id][1],
            exhaustive[s.id],
        )
        for s in sources
    ]
    in_flight = 2 * max(2, settings.workers or os.cpu_count() or 2)
    window = _BatchWindow(wh, load_id, in_flight, len(sources))
    for source, discovery in zip(sources, discoveries, strict=True):
        try:
            tally, items = discovery.result()
        except Exception as exc:  # one source failing never stops the others
            tally, items = SourceTally(source.id, failed=1), []
            tally.errors.append((source.start_urls[0], f"source crashed: {exc!r}"[:500]))
        window.tallies[source.id] = tally
        revisit = [] if refetch else plans[source.id][1]
        step = settings.batch_size
        batches = [(items[i : i + step], []) for i in range(0, len(items), step)]
        batches += [([], revisit[i : i + step]) for i in range(0, len(revisit), step)]
        # failed: a listing page was not had (no report has failed yet); deferred: reports over
        # the source's max_new_reports wait for the next run
        end = "failed" if tally.failed else "deferred" if tally.deferred else "ok"
        window.start_walk(source, exhaustive[source.id], end, len(items) + len(revisit))
        for batch_items, batch_revisit in batches:
            window.submit(source, batch_items, batch_revisit, raw)
    window.drain()
    return [window.tallies[s.id] for s in sources]


def _log_results(results: list[SourceTally]) -> None:
    logger = get_run_logger()
    for result in results:
        logger.info(
            "%s: %d listed, %d new, %d fetched, %d failed, %d documents, %d facts",
            result.source_id,
            result.listed,
            result.new,
            result.fetched,
            result.failed,
            result.documents,
            result.facts,
        )
        for url, reason in result.errors[:50]:
            logger.warning("%s: %s: %s", result.source_id, url, reason)


def _crawl_run(
    sources: list[Source],
    data_dir: str,
    refetch: bool = False,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, object] | State:
    started = datetime.now(UTC)
    settings = Settings.from_env()
    get_run_logger().info("%d sources; %s", len(sources), settings.describe())
    # the reading processes last until the data is published: the visual report is drawn there
    readers = reading_processes(settings.reading_processes(), ("flows.reading",))
    with _new_load(data_dir, settings) as (wh, paths, load_id), readers:
        wh.upsert_sources(sources, load_id)
        results = _crawl_sources(
            wh, sources, str(paths.raw), load_id, settings, started, refetch, since, until
        )
        _log_results(results)
        summary = run_summary(results, started)
        summary["load_id"] = load_id
        summary["warehouse"] = {"backend": settings.warehouse, "target": wh.label}
        summary["settings"] = settings.describe()
        streaks = failure_streaks(
            wh, [s.id for s in sources], {r.source_id for r in results if r.failed}
        )
        summary["failure_streaks"] = {sid: n for sid, n in streaks.items() if n >= 2}
        status = "completed_with_failures" if summary["totals"]["failed"] else "completed"  # type: ignore[index]
        summary["status"] = status
        summary["attainment"] = wh.attainment()
        _gate_and_publish(wh, paths, load_id, summary, settings)
    create_table_artifact(
        key="govreports-sources",
        table=summary_table(summary),
        description="Per source: listed, new, fetched, failed, facts",
    )
    create_markdown_artifact(
        key="govreports-run-summary",
        markdown=summary_markdown(summary),
        description="govreports nightly run summary",
    )
    if summary["status"] != "completed":  # never silently green: the run shows as failed
        totals = summary["totals"]
        held = summary.get("blocked_by")
        return Failed(
            message=f"{summary['status']}"
            + (f" (blocked by {', '.join(held)})" if held else "")  # type: ignore[arg-type]
            + f": {totals['failed']} failures, "  # type: ignore[index]
            f"{totals['documents']} documents and {totals['facts']} facts loaded",  # type: ignore[index]
            data=summary,
        )
    return summary


@task(name="reprocess-documents", cache_policy=NONE)
def reprocess_task(warehouse: Warehouse, raw_dir: str, load_id: str) -> ReprocessResult:
    return reprocess_documents(
        warehouse, RawStore(raw_dir), load_id, progress=get_run_logger().info
    )


@flow(name="govreports-reprocess", task_runner=task_runner_from_env())
def reprocess(data_dir: str = "data") -> dict[str, object]:
    """Re-read every loaded report from the raw zone (no network) and replace its facts."""
    logger = get_run_logger()
    started = datetime.now(UTC)
    settings = Settings.from_env()
    with _new_load(data_dir, settings) as (wh, paths, load_id):
        result = reprocess_task(wh, str(paths.raw), load_id)
        for url, reason in result.errors:
            logger.warning("reprocess: %s: %s", url, reason)
        status = "completed_with_failures" if result.errors else "completed"
        summary: dict[str, object] = {
            "load_id": load_id,
            "status": status,
            "kind": "reprocess",
            "started_at": started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "totals": {
                "sources": 0,
                "listed": 0,
                "fetched": 0,
                "failed": len(result.errors),
                "documents": result.documents,
                "facts": result.facts,
            },
            "sources": [],
            "errors": [{"url": u, "reason": r} for u, r in result.errors],
        }
        _gate_and_publish(wh, paths, load_id, summary, settings, may_shrink=True)
    logger.info(
        "reprocessed %d documents, %d facts, %d failures",
        result.documents,
        result.facts,
        len(result.errors),
    )
    create_markdown_artifact(
        key="govreports-reprocess-summary",
        markdown=f"# govreports reprocess {load_id}\n\n{result.documents} documents re-read from the "
        f"raw zone, {result.facts} facts loaded, {len(result.errors)} failures.\n"
        + "".join(f"\n- {u}: {r}" for u, r in result.errors),
    )
    return summary
