"""The pipeline's stages as plain functions (testable without Prefect); the flows compose them.

discover_new:    a source's listing pages -> the reports to fetch (extract/discover)
fetch_items:     a batch of reports -> fetched and kept (extract/fetch), read and their facts
                 extracted (transform/assemble): one DocumentLoad each
crawl_source:    both, for one source in one call (the sequential path)
load_results:    documents, facts and crawl state -> warehouse, in transactions
reprocess_documents: every loaded report read again from the raw zone, its facts replaced

A flow runs discovery per source, then fetch_items per batch of reports on its task runner,
loads each batch as it completes and keeps only counters (SourceTally.absorb).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from extract.discover import new_reports, walk_listing
from extract.fetch import FetchedReport, failure_reason, fetch_page, fetch_parts, fetch_report
from extract.http import HttpClient
from extract.listing import ListingItem
from extract.memory import CrawlMemory, Revisit, remember, to_walk
from extract.memory import due_for_revisit as revisits_due
from extract.rawstore import RawStore
from extract.sources import Source
from flows.readers import Reading, read_later
from flows.reading import read_fetched, read_report
from flows.tally import SourceTally
from transform.assemble import (
    JOINED_PAGES,
    TEXT_CONTENT_TYPE,
    document_load,
    longest_text,
    read_attachment,
    read_page,
)
from transform.model import DocumentLoad
from warehouse.store import Warehouse

Progress = Callable[[str], None]
REPROCESS_BATCH = 200  # documents per warehouse transaction when reprocessing


def discover_new(
    source: Source,
    client: HttpClient,
    store: RawStore,
    known: set[str],
    progress: Progress | None = None,
    since: date | None = None,
    until: date | None = None,
    retry: Sequence[ListingItem] = (),
    exhaustive: bool = False,
) -> tuple[SourceTally, list[ListingItem]]:
    """The source's listing pages walked (all of them up to max_pages when `exhaustive`);
    returns their counters and the reports to fetch: not in `known` (url_keys already loaded),
    inside the date range, and those in `retry` (failed before) that the walk did not reach."""
    found = walk_listing(source, client, known, store, exhaustive)
    items = new_reports(found.items, known, retry, since, until)
    result = SourceTally.of_discovery(found, new=len(items))
    if len(items) > source.max_new_reports:  # the rest next run: the walk is not done
        result.deferred = len(items) - source.max_new_reports
        items = items[: source.max_new_reports]
    if progress:
        refused = result.refused_links
        progress(
            f"{source.id}: {result.pages} listing pages, {result.listed} reports listed, "
            f"{result.new} new"
            + (f", {result.deferred} left for the next run" if result.deferred else "")
            + (
                f", {len(refused)} links refused (other hosts or schemes: {', '.join(refused[:3])})"
                if refused
                else ""
            )
        )
    return result, items


def _or_failed(
    report: FetchedReport, read: Callable[[], tuple[FetchedReport, DocumentLoad | None]]
) -> tuple[FetchedReport, DocumentLoad | None]:
    """What `read` makes of the report, or the report failed with the reason it could not be
    read: one report's bytes never fail the batch beside it, the machine's trouble does."""
    try:
        return read()
    except OSError:
        raise  # a full disk, say: not the report's fault, the batch stops
    except Exception as exc:
        return report.failed(failure_reason(exc)), None


def _settled(
    report: FetchedReport,
    reading: Reading | None,
    fetch: tuple[Source, HttpClient, RawStore],
) -> tuple[FetchedReport, DocumentLoad | None]:
    """The report with what reading it came to (failed with the reason when it could not be):
    a page that turned out to need its parts has them fetched (with `fetch`: where from, how,
    kept where) and is read again with them."""
    if reading is None:
        return report, None

    def read() -> tuple[FetchedReport, DocumentLoad | None]:
        first = reading.result()
        if isinstance(first, DocumentLoad):
            return report, first
        report.page = first
        source, client, store = fetch
        whole = fetch_parts(source, report, client, store)
        second = _read_whole(whole, source)
        return whole, second.result() if second else None

    return _or_failed(report, read)


def _read_whole(report: FetchedReport, source: Source) -> Reading | None:
    """The reading of a report fetched with its parts started (None if it was not fetched)."""
    if report.status != "fetched" or report.page is None or report.content is None:
        return None
    assert report.fetched_at is not None
    return read_later(
        read_report,
        report.page,
        tuple(report.attachments),
        source.region,
        report.item.url,
        source.id,
        (report.content.url, report.content.sha256),
        report.fetched_at,
    )


def fetch_then_read(
    source: Source, item: ListingItem, client: HttpClient, store: RawStore
) -> tuple[FetchedReport, Reading | None]:
    """A new report's page fetched and kept, its reading started (in the run's reading
    processes when there are some, so that the next report is fetched meanwhile)."""
    report = fetch_page(source, item, client, store)
    if report.status != "fetched" or report.content is None:
        return report, None
    assert report.fetched_at is not None
    return report, read_later(
        read_fetched,
        report.content,
        item,
        source.region,
        source.encoding,
        source.id,
        report.fetched_at,
    )


def fetch_and_reread(
    source: Source, item: ListingItem, client: HttpClient, store: RawStore, previous: Revisit
) -> tuple[FetchedReport, DocumentLoad | None]:
    """A loaded report fetched again: unchanged when what it was read from has the same bytes,
    else read again (a correction in an attachment reloads it)."""
    report = fetch_report(source, item, client, store, previous)
    if report.status != "fetched" or report.page is None or report.content is None:
        return report, None
    fetched_at, page, content = report.fetched_at, report.page, report.content
    assert fetched_at is not None

    def reread() -> tuple[FetchedReport, DocumentLoad | None]:
        doc, attachment = longest_text(page, report.attachments, source.region)
        read_from = attachment or content
        if report.unchanged_record is not None:
            if read_from.sha256 == previous.content_sha256:
                return report.unchanged(), None  # the page and its parts as they were
            report.changed = True
        load = document_load(item.url, source.id, read_from.url, read_from.sha256, fetched_at, doc)
        return report, load

    return _or_failed(report, reread)


def fetch_items(
    source: Source,
    items: Sequence[ListingItem],
    client: HttpClient,
    store: RawStore,
    revisit: Sequence[Revisit] = (),
    progress: Progress | None = None,
) -> SourceTally:
    """Fetch, keep, read and extract a batch of new reports, and check `revisit` ones for
    changes. Failures are recorded in the result, never raised. Each report is read while the
    next is fetched when the run reads in processes."""
    result = SourceTally(source.id)
    started = [fetch_then_read(source, item, client, store) for item in items]
    for report, reading in started:
        report, load = _settled(report, reading, (source, client, store))
        result.add_report(report, load)
        if progress:
            state = "failed" if report.status == "failed" else "ok"
            progress(f"{source.id}: {state} {report.item.title[:40]}")
    for old in revisit:
        result.add_report(*fetch_and_reread(source, old.item, client, store, old))
    if progress and revisit:
        progress(f"{source.id}: revisited {result.revisited} reports, {result.changed} changed")
    return result


def crawl_source(
    source: Source,
    client: HttpClient,
    store: RawStore,
    known: set[str],
    progress: Progress | None = None,
    revisit: Sequence[Revisit] = (),
    since: date | None = None,
    until: date | None = None,
    retry: Sequence[ListingItem] = (),
    exhaustive: bool = False,
) -> SourceTally:
    """Discover the source's new reports and fetch them all in this call; `known` are url_keys
    already loaded, `retry` reports that failed before. Reports in `revisit` are checked again
    for changes."""
    result, new_items = discover_new(
        source, client, store, known, progress, since, until, retry, exhaustive
    )
    batch = fetch_items(source, new_items, client, store, revisit, progress)
    result.add_counts(batch)
    result.loads, result.records = batch.loads, batch.records
    return result


def memory_of(warehouse: Warehouse, source_id: str) -> CrawlMemory:
    """One read of the source's crawl state (extract/memory.py): what is known, what failed,
    how its last walk ended."""
    return remember(warehouse.crawl_state(source_id))


def crawl_memory(warehouse: Warehouse, source_id: str) -> tuple[set[str], list[ListingItem]]:
    """The url_keys of the source's reports loaded, skipped for good or parked (not fetched
    again tonight), and the reports whose last attempt failed (tried again)."""
    return to_walk(memory_of(warehouse, source_id), exhaustive=False)


def known_keys(warehouse: Warehouse, source_id: str) -> set[str]:
    """url_keys of the source's reports that are loaded or skipped for good."""
    return crawl_memory(warehouse, source_id)[0]


def memory_and_revisits(
    warehouse: Warehouse, source: Source, now: datetime
) -> tuple[CrawlMemory, list[Revisit]]:
    """One read of the source's crawl state: what it remembers (extract/memory.py), and its
    loaded reports due for a revisit (with what each was read from)."""
    rows = warehouse.crawl_state(source.id)
    if source.revisit_days is None:
        return remember(rows), []
    return remember(rows), revisits_due(rows, source, now, warehouse.content_shas(source.id))


def due_for_revisit(warehouse: Warehouse, source: Source, now: datetime) -> list[Revisit]:
    """Loaded reports of `source` last checked `revisit_days` ago or earlier."""
    return memory_and_revisits(warehouse, source, now)[1]


def load_results(warehouse: Warehouse, result: SourceTally, load_id: str) -> int:
    """Documents, facts and the crawl state that marks them done, in one transaction."""
    return warehouse.load_batch(result.loads, result.records, load_id)


@dataclass
class ReprocessResult:
    documents: int = 0
    facts: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)


def reread(store: RawStore, row: tuple) -> DocumentLoad:
    """A loaded report read again from its kept bytes (a row of warehouse.reprocess_inputs)."""
    url, source_id, region, content_url, content_sha, page_sha, ctype, title, listed, at = row
    doc = read_page(store.get(page_sha), url, ctype, region, title, listed)
    if content_url != url:  # an attachment, or an article's pages kept as one text
        joined = content_url.endswith(JOINED_PAGES)
        ctype_read = TEXT_CONTENT_TYPE if joined else None
        doc = read_attachment(doc, store.get(content_sha), content_url, ctype_read, region)
    return document_load(url, source_id, content_url, content_sha, at, doc)


def reprocess_documents(
    warehouse: Warehouse,
    store: RawStore,
    load_id: str,
    progress: Progress | None = None,
) -> ReprocessResult:
    """Read every loaded report again from the raw zone (no network) and replace its facts:
    after an extractor upgrade, the warehouse catches up without crawling."""
    result = ReprocessResult()
    rows = warehouse.reprocess_inputs()
    loads: list[DocumentLoad] = []
    for i, row in enumerate(rows, 1):
        try:
            loads.append(reread(store, row))
        except Exception as exc:  # a missing raw file, or bytes a reader refuses: that report only
            result.errors.append((row[0], f"{type(exc).__name__}: {exc}"[:500]))
            continue
        if progress and (i % 100 == 0 or i == len(rows)):
            progress(f"reprocess: read {i}/{len(rows)} documents")
        if len(loads) >= REPROCESS_BATCH:
            result.facts += warehouse.load_documents(loads, load_id)
            result.documents += len(loads)
            loads = []
    result.facts += warehouse.load_documents(loads, load_id)
    result.documents += len(loads)
    return result
