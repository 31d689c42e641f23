"""Fetching one report and its parts into the raw zone.

A report is its page (or a file the listing links to), the further pages an article is split
over, and, when the page itself holds too little text, its readable attachments. The page is
read (through transform/assemble) only for its layout: which further pages and attachments it
links and whether its text is on the page. `fetch_report` reads it here; a new report's page
can be fetched alone (`fetch_page`), read where the caller reads reports (flows/stages: in the
run's reading processes) and its parts fetched after (`fetch_parts`). Every part's bytes are
kept in the raw zone and every attempt ends in crawl records; a part that cannot be had fails
the whole report (it is retried next run), never loads it half.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from extract.discover import fetch_from, iso_date
from extract.http import FetchResult, HttpClient
from extract.listing import ListingItem
from extract.memory import Revisit
from extract.rawstore import RawStore
from extract.sources import Source
from transform.assemble import is_thin, join_pages, read_page
from transform.documents import UnreadableDocument
from transform.model import CrawlRecord, Document, Part

READABLE_ATTACHMENT = re.compile(r"\.(docx|pdf)(?:$|\?)", re.I)
MAX_ATTACHMENTS = 5  # of a thin page, fetched and read; the longest text wins


@dataclass
class FetchedReport:
    """What fetching one report came to. `status`: fetched (its parts are in `page`, `content`
    and `attachments`, waiting to be read), unchanged (a revisit found the same bytes), failed
    (tried again next run) or skipped (nothing readable; not tried again)."""

    item: ListingItem
    status: str
    records: list[CrawlRecord] = field(default_factory=list)
    error: str | None = None
    revisited: bool = False
    changed: bool = False
    page_ok: bool = False  # the page itself was had (a part may still have failed)
    fetched_at: datetime | None = None  # when the page was fetched
    page: Document | None = None  # the page (its further pages joined) as read for its layout
    content: Part | None = None  # where `page`'s text came from: the page, or its joined pages
    attachments: list[Part] = field(default_factory=list)
    detail: CrawlRecord | None = None  # the page's record, added once the report is read
    # a revisit whose page is unchanged but whose text came from its parts: the record that
    # says so, if the parts turn out unchanged too (flows/stages compares them)
    unchanged_record: CrawlRecord | None = None

    def unchanged(self) -> FetchedReport:
        """The revisited report, found unchanged in its parts too."""
        assert self.unchanged_record is not None
        return FetchedReport(self.item, "unchanged", [self.unchanged_record], revisited=True)

    def failed(self, reason: str) -> FetchedReport:
        """The same report, failed for `reason` (its parts' records are dropped: retried)."""
        assert self.detail is not None
        record = replace(
            self.detail,
            status="failed",
            error=reason[:500],
            etag=None,
            last_modified=None,
            sha256=None,
        )
        return replace(self, status="failed", error=reason, records=[record], detail=None)

    def done(self) -> list[CrawlRecord]:
        """The crawl records of a report that was read and loaded: its parts, then its page."""
        return [*self.records, *([self.detail] if self.detail else [])]


def failure_reason(exc: BaseException) -> str:
    """Why a report failed, in one line: the reader's own message, or the error's type and
    first line for anything else a reader raised on hostile bytes."""
    if isinstance(exc, UnreadableDocument):
        return str(exc)
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"unreadable: {type(exc).__name__}: {first}"[:500]


def detail_record(
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
        "listing_date": iso_date(item.date),
    }
    return CrawlRecord(**{**row, **fields})  # type: ignore[arg-type]


def _failed(
    source: Source, item: ListingItem, res: FetchResult, reason: str, **flags: bool
) -> FetchedReport:
    """A report whose page could not be had (FetchedReport.failed writes its record)."""
    detail = detail_record(source, item, res, "ok")
    return FetchedReport(item, "fetched", detail=detail, **flags).failed(reason)


def fetch_part(
    client: HttpClient, source: Source, store: RawStore, url: str, role: str
) -> tuple[Part, CrawlRecord]:
    """A further part of a report (an attachment, a continuation page), fetched and kept; one
    that cannot be had raises UnreadableDocument (the report fails)."""
    res = fetch_from(client, source, url)
    if not res.ok:
        raise UnreadableDocument(f"{role} {url}: {res.error or res.status}")
    digest = store.put(res.body, res)
    record = CrawlRecord(
        url=url,
        source_id=source.id,
        role=role,
        status="ok",
        attempted_at=res.fetched_at,
        http_status=res.status,
        sha256=digest,
        content_type=res.content_type,
    )
    return Part(url, res.body, res.content_type, digest), record


def _fetch_page(
    source: Source, item: ListingItem, client: HttpClient, previous: Revisit | None
) -> tuple[FetchResult, FetchedReport | None]:
    """The report's page; with `previous`, conditionally, and an unchanged page ends here."""
    if previous is None:
        return fetch_from(client, source, item.url), None
    res = fetch_from(
        client, source, item.url, etag=previous.etag, last_modified=previous.last_modified
    )
    if res.not_modified or (res.ok and res.sha256 == previous.sha256):
        record = detail_record(
            source,
            item,
            res,
            "ok",
            sha256=previous.sha256,
            etag=res.headers.get("etag") or previous.etag,
            last_modified=res.headers.get("last-modified") or previous.last_modified,
        )
        return res, FetchedReport(item, "unchanged", [record], revisited=True)
    return res, None


def fetch_report(
    source: Source,
    item: ListingItem,
    client: HttpClient,
    store: RawStore,
    previous: Revisit | None = None,
) -> FetchedReport:
    """Fetch one report and the parts it needs, keeping every part's bytes, its page read here
    for its layout. Failures are returned, never raised. With `previous`, the fetch is
    conditional and an unchanged page is only marked as checked."""
    res, unchanged = _fetch_page(source, item, client, previous)
    if unchanged is not None:
        if previous is None or not previous.text_elsewhere:
            return unchanged
        # the page is the same, its attachment or further pages may not be: read it from the
        # raw zone and fetch those parts again (flows/stages compares what they give)
        kept = store.get(previous.sha256)
        res = replace(
            res, status=200, body=kept, headers={"content-type": previous.content_type or ""}
        )
        report = _read_here(_kept(source, item, res, previous.sha256, True, False), source)
        report = fetch_parts(source, report, client, store)
        report.unchanged_record = unchanged.records[0]
        return report
    if not res.ok:
        reason = res.error or f"status {res.status}"
        return _failed(source, item, res, reason, revisited=previous is not None)
    digest = store.put(res.body, res)
    report = _kept(source, item, res, digest, previous is not None, previous is not None)
    return fetch_parts(source, _read_here(report, source), client, store)


def fetch_page(
    source: Source, item: ListingItem, client: HttpClient, store: RawStore
) -> FetchedReport:
    """A new report's page fetched and kept, not read: `content` holds its bytes (read them
    where it suits, then `fetch_parts` for what the page turns out to need), or it failed."""
    res, _ = _fetch_page(source, item, client, None)
    if not res.ok:
        return _failed(source, item, res, res.error or f"status {res.status}")
    return _kept(source, item, res, store.put(res.body, res))


def _kept(
    source: Source,
    item: ListingItem,
    res: FetchResult,
    digest: str,
    revisited: bool = False,
    changed: bool = False,
) -> FetchedReport:
    """The report whose page `res` is kept under `digest`, its page not read yet."""
    flags = {"revisited": revisited, "changed": changed}
    report = FetchedReport(item, "fetched", page_ok=True, fetched_at=res.fetched_at, **flags)
    report.detail = detail_record(source, item, res, "ok", sha256=digest)
    report.content = Part(res.url, res.body, res.content_type, digest)
    return report


def read_for_layout(page: Part, item: ListingItem, region: str, encoding: str | None) -> Document:
    """The kept page read (transform/assemble), for its layout among the rest."""
    return read_page(
        page.body, page.url, page.content_type, region, item.title, item.date, encoding
    )


def needs_parts(page: Document) -> bool:
    """Whether the page read is not the whole report: it is split over further pages, or it
    holds too little text and links attachments (then read, or the report skipped)."""
    return bool(page.pages) or (is_thin(page) and bool(page.attachments))


def _read_here(report: FetchedReport, source: Source) -> FetchedReport:
    """The kept report with its page read here for its layout (failed if it cannot be)."""
    assert report.content is not None
    try:
        report.page = read_for_layout(report.content, report.item, source.region, source.encoding)
    except OSError:
        raise  # the machine's trouble (a full disk), not the report's: the batch stops
    except Exception as exc:  # the report's own: its bytes broke a reader
        return report.failed(failure_reason(exc))
    return report


def fetch_parts(
    source: Source, report: FetchedReport, client: HttpClient, store: RawStore
) -> FetchedReport:
    """The parts the report's page (read, in `report.page`) needs, fetched and kept: its
    further pages (joined to it), and its readable attachments when it is thin. A report whose
    thin page links only attachments of formats that cannot be read is skipped."""
    if report.status != "fetched" or report.page is None or not needs_parts(report.page):
        return report
    page, item, flags = report.page, report.item, {"revisited": report.revisited}
    assert report.content is not None and report.detail is not None
    try:
        if page.pages:
            further = [fetch_part(client, source, store, u, "page") for u in page.pages]
            report.records += [record for _, record in further]
            parts = [part for part, _ in further]
            page, joined_url, joined = join_pages(
                page, parts, report.content.url, source.region, source.encoding
            )
            report.content = Part(joined_url, joined, None, store.put(joined))
        report.page = page
        readable = [a for a in page.attachments if READABLE_ATTACHMENT.search(a)]
        if is_thin(page) and page.attachments and not readable:
            kinds = ", ".join(sorted({a.rsplit(".", 1)[-1].lower() for a in page.attachments}))
            record = replace(
                report.detail,
                status="skipped",
                etag=None,
                last_modified=None,
                error=f"unsupported attachment format ({kinds}); not retried",
            )
            reason = f"unsupported attachment format ({kinds})"
            return FetchedReport(
                item,
                "skipped",
                [record],
                error=reason,
                page_ok=True,
                changed=report.changed,
                **flags,
            )
        for url in readable[:MAX_ATTACHMENTS] if is_thin(page) else []:
            part, record = fetch_part(client, source, store, url, "attachment")
            report.attachments.append(part)
            report.records.append(record)
    except OSError:
        raise  # the machine's trouble (a full disk), not the report's: the batch stops
    except Exception as exc:  # the report's own: its bytes broke a reader, or a part is missing
        return report.failed(failure_reason(exc))
    return report
