"""The pipeline's stages as plain functions (testable without Prefect); the flow composes them.

discover_new:    listing pages -> the new report items (stops paging at items it already knows)
fetch_items:     a batch of items -> fetched, stored raw, read and extracted (one DocumentLoad each)
crawl_source:    both, for one source in one call (the sequential path)
load_results:    documents, facts and crawl state -> warehouse, in transactions

A flow runs discovery per source, then fetch_items per batch of items on its task runner, loads
each batch as it completes and keeps only counters (SourceResult.absorb): memory does not grow
with the number of reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from extract.http import FetchResult, HttpClient
from extract.rawstore import RawStore
from extract.sources import Source
from transform.decode import decode_bytes
from transform.facts import extract_facts
from transform.listing import ListingItem, parse_listing
from transform.model import Document
from transform.read import UnreadableDocument, read_document
from warehouse.keys import url_key
from warehouse.store import CrawlRecord, DocumentLoad, Warehouse

KEEP_DOCUMENT_SUMMARIES = 100  # per source, in the run summary (the rest are counted)
THIN_PAGE_CHARS = 800  # a detail page with less text than this is read from its attachments
READABLE_ATTACHMENT = re.compile(r"\.(docx|pdf)(?:$|\?)", re.I)
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Revisit:
    """A loaded report to check again for changes: conditional GET, then compare hashes."""

    item: ListingItem
    etag: str | None
    last_modified: str | None
    sha256: str


@dataclass
class SourceResult:
    """What crawling a source (or one batch of its reports) did. `loads` and `records` wait to
    be loaded; `absorb` folds a loaded batch into the source's tally as counters."""

    source_id: str
    pages: int = 0
    listed: int = 0
    new: int = 0
    fetched: int = 0
    failed: int = 0
    revisited: int = 0
    changed: int = 0
    refused_links: list[str] = field(default_factory=list)
    loads: list[DocumentLoad] = field(default_factory=list)
    records: list[CrawlRecord] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    documents_loaded: int = 0
    facts_loaded: int = 0
    document_summaries: list[dict[str, object]] = field(default_factory=list)

    COUNTERS = ("pages", "listed", "new", "fetched", "failed", "revisited", "changed")

    @property
    def facts(self) -> int:
        return self.facts_loaded + sum(len(ld.facts) for ld in self.loads)

    @property
    def documents(self) -> int:
        return self.documents_loaded + len(self.loads)

    def add_counts(self, batch: SourceResult) -> None:
        """Add a batch's counters, refused links and errors."""
        for name in self.COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(batch, name))
        self.refused_links.extend(batch.refused_links)
        self.errors.extend(batch.errors)

    def absorb(self, batch: SourceResult) -> None:
        """Add a batch's counts and a few document summaries (its loads and records are in the
        warehouse by now and are not kept)."""
        self.add_counts(batch)
        self.documents_loaded += batch.documents
        self.facts_loaded += batch.facts
        room = KEEP_DOCUMENT_SUMMARIES - len(self.document_summaries)
        self.document_summaries.extend(batch.document_summaries[:room])
        room = KEEP_DOCUMENT_SUMMARIES - len(self.document_summaries)
        self.document_summaries.extend(document_summary(ld) for ld in batch.loads[:room])

    def summary(self) -> dict[str, object]:
        room = KEEP_DOCUMENT_SUMMARIES - len(self.document_summaries)
        return {
            "source": self.source_id,
            "revisited": self.revisited,
            "changed": self.changed,
            "pages": self.pages,
            "listed": self.listed,
            "new": self.new,
            "fetched": self.fetched,
            "failed": self.failed,
            "documents": self.documents,
            "facts": self.facts,
            "errors": [{"url": u, "reason": r} for u, r in self.errors],
            "new_documents": self.document_summaries
            + [document_summary(ld) for ld in self.loads[: max(room, 0)]],
        }


def document_summary(load: DocumentLoad) -> dict[str, object]:
    return {
        "title": load.document.title,
        "url": load.url,
        "report_year": load.document.report_year,
        "facts": len(load.facts),
        "headline": headline(load),
    }


HEADLINE_INDICATORS = ("gdp", "general_budget_revenue", "fixed_asset_investment", "retail_sales")


def headline(load: DocumentLoad) -> list[str]:
    """A few facts a reader looks for first, as short text (`gdp growth_pct 6.0 target 2024`)."""
    picked = [f for code in HEADLINE_INDICATORS for f in load.facts if f.indicator == code]
    return [
        f"{f.indicator} {f.measure} {f.value:g} {f.qualifier} {f.kind} {f.year}" for f in picked[:4]
    ]


def _fetch(client: HttpClient, source: Source, url: str, **kw: object) -> FetchResult:
    return client.fetch(
        url,
        allowed_hosts=source.allowed_hosts,
        allow_private=source.allow_private,
        delay=source.delay_seconds,
        obey_robots=source.obey_robots,
        **kw,
    )


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def discover_source(
    source: Source,
    client: HttpClient,
    known: set[str],
    result: SourceResult,
    store: RawStore | None = None,
) -> list[ListingItem]:
    """Report items listed by the source's columns, newest pages first, within max_pages."""
    include = re.compile(source.title_include)
    exclude = re.compile(source.title_exclude) if source.title_exclude else None
    queue = list(source.start_urls)
    seen_pages: set[str] = set()
    items: dict[str, ListingItem] = {}
    while queue and result.pages < source.max_pages:
        url = queue.pop(0)
        if url in seen_pages:
            continue
        seen_pages.add(url)
        res = _fetch(client, source, url)
        result.pages += 1
        if not res.ok:
            result.failed += 1
            result.errors.append((url, f"listing page: {res.error}"))
            continue
        if store is not None:
            store.put(res.body, res)
        text, _ = decode_bytes(
            res.body,
            f"text/html; charset={source.encoding}" if source.encoding else res.content_type,
        )
        page = parse_listing(text, res.url, source.item_xpath, source.next_xpath)
        result.refused_links.extend(page.refused)
        matching = [
            it
            for it in page.items
            if include.search(it.title) and not (exclude and exclude.search(it.title))
        ]
        for it in matching:
            items.setdefault(it.url, it)
        if matching and all(url_key(it.url) in known for it in matching):
            break  # reached what an earlier run already has: older pages are known too
        queue.extend(u for u in page.page_urls if u not in seen_pages and u not in queue)
    result.listed = len(items)
    return list(items.values())


def _detail_record(
    source: Source, item: ListingItem, res: FetchResult, status: str, **fields: object
) -> CrawlRecord:
    """The crawl-state row of a report page after one fetch; `fields` override the defaults."""
    row: dict[str, object] = {
        "url": item.url,
        "source_id": source.id,
        "role": "detail",
        "status": status,
        "attempted_at": res.fetched_at,
        "http_status": res.status,
        "content_type": res.content_type,
        "etag": res.headers.get("etag"),
        "last_modified": res.headers.get("last-modified"),
        "listing_title": item.title,
        "listing_date": _iso_date(item.date),
    }
    return CrawlRecord(**{**row, **fields})  # type: ignore[arg-type]


def _fail(
    result: SourceResult, source: Source, item: ListingItem, res: FetchResult, reason: str
) -> None:
    """Count and record a report that could not be had this run (it is tried again next run)."""
    result.failed += 1
    result.errors.append((item.url, reason))
    result.records.append(
        _detail_record(
            source, item, res, "failed", error=reason[:500], etag=None, last_modified=None
        )
    )


def document_load(
    url: str,
    source_id: str,
    content_url: str,
    content_sha: str,
    fetched_at: datetime,
    doc: Document,
) -> DocumentLoad:
    """A read report with its facts, ready for the warehouse."""
    return DocumentLoad(
        url=url,
        source_id=source_id,
        content_url=content_url,
        sha256=content_sha,
        fetched_at=fetched_at,
        document=doc,
        facts=tuple(extract_facts(doc)),
    )


def read_page(
    data: bytes,
    url: str,
    content_type: str | None,
    region: str,
    title: str | None,
    listed: date | str | None,
) -> Document:
    """A report's detail page (or a file linked directly from the listing) as a Document."""
    return read_document(
        data,
        name=url,
        content_type=content_type,
        base_url=url,
        fallback_region=region,
        fallback_title=title,
        fallback_date=str(listed) if listed else None,
    )


def read_attachment(
    page: Document, data: bytes, url: str, content_type: str | None, region: str
) -> Document:
    """The report's text from a file its page links to, with the page's title, date and publisher."""
    doc = read_document(
        data, name=url, content_type=content_type, fallback_region=region, known=page
    )
    return replace(doc, attachments=page.attachments)


def _fetch_part(
    client: HttpClient,
    source: Source,
    store: RawStore,
    url: str,
    role: str,
    records: list[CrawlRecord],
) -> tuple[FetchResult, str]:
    """A further part of a report (an attachment, a continuation page): fetched, its bytes kept
    and its crawl record added; one that cannot be had fails the report (UnreadableDocument)."""
    res = _fetch(client, source, url)
    if not res.ok:
        raise UnreadableDocument(f"{role} {url}: {res.error or res.status}")
    digest = store.put(res.body, res)
    records.append(
        CrawlRecord(
            url=url,
            source_id=source.id,
            role=role,
            status="ok",
            attempted_at=res.fetched_at,
            http_status=res.status,
            sha256=digest,
            content_type=res.content_type,
        )
    )
    return res, digest


def read_continued(
    source: Source,
    client: HttpClient,
    store: RawStore,
    first: Document,
    url: str,
    records: list[CrawlRecord],
) -> tuple[Document, str, str]:
    """An article split over several pages: fetch and keep each further page, then read the
    pages' texts, in order, as one document. The joined text is kept too (UTF-8, at
    `<url>#pages`), so that `reprocess` reads exactly what the crawl read. A page that cannot be
    had fails the report (recorded, retried next run), never loads it half."""
    texts = [first.text]
    for page_url in first.pages:
        pres, _ = _fetch_part(client, source, store, page_url, "page", records)
        texts.append(
            read_page(pres.body, pres.url, pres.content_type, source.region, None, None).text
        )
    joined = "\n".join(texts).encode("utf-8")
    content_url = f"{url}#pages"
    content_sha = store.put(joined)
    doc = read_attachment(first, joined, content_url, TEXT_CONTENT_TYPE, source.region)
    return doc, content_url, content_sha


def fetch_item(
    source: Source,
    item: ListingItem,
    client: HttpClient,
    store: RawStore,
    result: SourceResult,
    previous: Revisit | None = None,
) -> None:
    """Fetch one report (and its attachments when the page itself is thin), keep the raw bytes,
    read it and extract its facts. Failures are recorded, never raised. With `previous`, the
    fetch is conditional and an unchanged page is only marked as checked."""
    if previous is None:
        res = _fetch(client, source, item.url)
    else:
        result.revisited += 1
        res = _fetch(
            client, source, item.url, etag=previous.etag, last_modified=previous.last_modified
        )
        if res.not_modified or (res.ok and res.sha256 == previous.sha256):
            result.records.append(
                _detail_record(
                    source,
                    item,
                    res,
                    "ok",
                    sha256=previous.sha256,
                    etag=res.headers.get("etag") or previous.etag,
                    last_modified=res.headers.get("last-modified") or previous.last_modified,
                )
            )
            return
        if res.ok:
            result.changed += 1
    if not res.ok:
        _fail(result, source, item, res, res.error or f"status {res.status}")
        return
    result.fetched += 1
    digest = store.put(res.body, res)
    content_url, content_sha = res.url, digest
    records = []
    try:
        doc = read_page(res.body, res.url, res.content_type, source.region, item.title, item.date)
        if doc.pages:
            doc, content_url, content_sha = read_continued(
                source, client, store, doc, res.url, records
            )
        thin = len(doc.text) < THIN_PAGE_CHARS
        readable = [a for a in doc.attachments if READABLE_ATTACHMENT.search(a)]
        if thin and doc.attachments and not readable:
            kinds = sorted({a.rsplit(".", 1)[-1].lower() for a in doc.attachments})
            result.records.append(
                _detail_record(
                    source,
                    item,
                    res,
                    "skipped",
                    sha256=digest,
                    etag=None,
                    last_modified=None,
                    error=f"unsupported attachment format ({', '.join(kinds)}); not retried",
                )
            )
            result.errors.append((item.url, f"unsupported attachment format ({', '.join(kinds)})"))
            return
        for att_url in readable[:5] if thin else []:
            ares, att_digest = _fetch_part(client, source, store, att_url, "attachment", records)
            att_doc = read_attachment(doc, ares.body, att_url, ares.content_type, source.region)
            if len(att_doc.text) > len(doc.text):
                doc, content_url, content_sha = att_doc, att_url, att_digest
    except UnreadableDocument as exc:
        _fail(result, source, item, res, str(exc))
        return
    result.loads.append(
        document_load(item.url, source.id, content_url, content_sha, res.fetched_at, doc)
    )
    result.records.extend(records)
    result.records.append(_detail_record(source, item, res, "ok", sha256=digest))


def discover_new(
    source: Source,
    client: HttpClient,
    store: RawStore,
    known: set[str],
    progress: Callable[[str], None] | None = None,
    since: date | None = None,
    until: date | None = None,
    retry: Sequence[ListingItem] = (),
) -> tuple[SourceResult, list[ListingItem]]:
    """The source's listing pages walked; returns their counters and the reports not in
    `known` (url_keys already loaded) and inside the date range, plus the reports in `retry`
    (failed before) that the walk did not reach: paging stops at known reports, so a failed
    report older than those would otherwise never be tried again."""
    result = SourceResult(source.id)
    items = discover_source(source, client, known, result, store)
    listed = {url_key(it.url) for it in items}
    items += [it for it in retry if url_key(it.url) not in listed]
    new_items = [it for it in items if url_key(it.url) not in known and _in_range(it, since, until)]
    result.new = len(new_items)
    if progress:
        progress(
            f"{source.id}: {result.pages} listing pages, {result.listed} reports listed, "
            f"{result.new} new"
            + (
                f", {len(result.refused_links)} links refused (other hosts or schemes: "
                f"{', '.join(result.refused_links[:3])})"
                if result.refused_links
                else ""
            )
        )
    return result, new_items


def fetch_items(
    source: Source,
    items: Sequence[ListingItem],
    client: HttpClient,
    store: RawStore,
    revisit: Sequence[Revisit] = (),
    progress: Callable[[str], None] | None = None,
) -> SourceResult:
    """Fetch, keep, read and extract a batch of new reports, and check `revisit` ones for
    changes. Failures are recorded in the result, never raised."""
    result = SourceResult(source.id)
    for item in items:
        fetch_item(source, item, client, store, result)
        if progress:
            state = "failed" if result.errors and result.errors[-1][0] == item.url else "ok"
            progress(f"{source.id}: {state} {item.title[:40]}")
    for old in revisit:
        fetch_item(source, old.item, client, store, result, previous=old)
    if progress and revisit:
        progress(f"{source.id}: revisited {result.revisited} reports, {result.changed} changed")
    return result


def crawl_source(
    source: Source,
    client: HttpClient,
    store: RawStore,
    known: set[str],
    progress: Callable[[str], None] | None = None,
    revisit: Sequence[Revisit] = (),
    since: date | None = None,
    until: date | None = None,
    retry: Sequence[ListingItem] = (),
) -> SourceResult:
    """Discover the source's new reports and fetch them all in this call; `known` are url_keys
    already loaded, `retry` reports that failed before. Reports in `revisit` are checked again
    for changes."""
    result, new_items = discover_new(source, client, store, known, progress, since, until, retry)
    batch = fetch_items(source, new_items, client, store, revisit, progress)
    result.add_counts(batch)
    result.loads, result.records = batch.loads, batch.records
    return result


def _in_range(item: ListingItem, since: date | None, until: date | None) -> bool:
    """A listed report inside a backfill's date range (undated items are kept)."""
    listed = _iso_date(item.date)
    return listed is None or (
        (since is None or listed >= since) and (until is None or listed <= until)
    )


def due_for_revisit(warehouse: Warehouse, source: Source, now: datetime) -> list[Revisit]:
    """Loaded reports of `source` last checked `revisit_days` ago or earlier."""
    if source.revisit_days is None:
        return []
    due = []
    for row in warehouse.crawl_state(source.id).values():
        age = (now - row["last_attempt"]).total_seconds() / 86400
        if row["role"] == "detail" and row["status"] == "ok" and age >= source.revisit_days:
            date = row["listing_date"].isoformat() if row["listing_date"] else None
            due.append(
                Revisit(
                    ListingItem(row["url"], row["listing_title"] or "", date),
                    row["etag"],
                    row["last_modified"],
                    row["sha256"],
                )
            )
    return due


def crawl_memory(warehouse: Warehouse, source_id: str) -> tuple[set[str], list[ListingItem]]:
    """One read of the source's crawl state: the url_keys of its reports loaded or skipped for
    good (not fetched again), and the reports whose last attempt failed, as listing items to
    try again."""
    known: set[str] = set()
    failed: list[ListingItem] = []
    for key, row in warehouse.crawl_state(source_id).items():
        if row["role"] != "detail":
            continue
        if row["status"] in ("ok", "skipped"):
            known.add(key)
        elif row["status"] == "failed":
            failed.append(
                ListingItem(
                    url=str(row["url"]),
                    title=str(row["listing_title"] or ""),
                    date=row["listing_date"].isoformat() if row["listing_date"] else None,
                )
            )
    return known, failed


def known_keys(warehouse: Warehouse, source_id: str) -> set[str]:
    """url_keys of the source's reports that are loaded or skipped for good (failed ones are
    tried again)."""
    return crawl_memory(warehouse, source_id)[0]


def load_results(warehouse: Warehouse, result: SourceResult, load_id: str) -> int:
    """Documents and facts first, then the crawl state that marks them done."""
    facts = warehouse.load_documents(result.loads, load_id)
    warehouse.record_crawl(result.records)
    return facts


@dataclass
class ReprocessResult:
    documents: int = 0
    facts: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)


def reprocess_documents(
    warehouse: Warehouse,
    store: RawStore,
    load_id: str,
    progress: Callable[[str], None] | None = None,
) -> ReprocessResult:
    """Read every loaded report again from the raw zone (no network) and replace its facts:
    after an extractor upgrade, the warehouse catches up without crawling."""
    result = ReprocessResult()
    rows = warehouse.reprocess_inputs()
    loads = []
    for i, (
        url,
        source_id,
        region,
        content_url,
        content_sha,
        page_sha,
        ctype,
        title,
        listed,
        fetched_at,
    ) in enumerate(rows, 1):
        try:
            doc = read_page(store.get(page_sha), url, ctype, region, title, listed)
            if content_url != url:
                joined = content_url.endswith("#pages")  # an article's pages, read as one text
                ctype_read = TEXT_CONTENT_TYPE if joined else None
                doc = read_attachment(doc, store.get(content_sha), content_url, ctype_read, region)
        except (OSError, UnreadableDocument) as exc:
            result.errors.append((url, f"{type(exc).__name__}: {exc}"[:500]))
            continue
        loads.append(document_load(url, source_id, content_url, content_sha, fetched_at, doc))
        if progress and (i % 100 == 0 or i == len(rows)):
            progress(f"reprocess: read {i}/{len(rows)} documents")
        if len(loads) >= 200:
            result.facts += warehouse.load_documents(loads, load_id)
            result.documents += len(loads)
            loads = []
    result.facts += warehouse.load_documents(loads, load_id)
    result.documents += len(loads)
    return result


def failure_streaks(
    warehouse: Warehouse, source_ids: list[str], failed_now: set[str]
) -> dict[str, int]:
    """Per source, how many runs in a row (this one included) reported failures."""
    streaks = {}
    history = warehouse.recent_run_summaries(30)
    for sid in source_ids:
        n = 1 if sid in failed_now else 0
        while n and n <= len(history):
            past = next(
                (s for s in history[n - 1].get("sources", []) if s.get("source") == sid), None
            )
            if not past or not past.get("failed"):
                break
            n += 1
        streaks[sid] = n
    return streaks


def run_summary(results: list[SourceResult], started_at: datetime) -> dict[str, object]:
    per_source = [r.summary() for r in results]
    totals = {
        key: sum(int(s[key]) for s in per_source)  # type: ignore[arg-type]
        for key in ("pages", "listed", "new", "fetched", "failed", "documents", "facts")
    }
    totals["sources"] = len(results)
    return {
        "started_at": started_at.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "totals": totals,
        "sources": per_source,
    }
