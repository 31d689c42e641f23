"""A source's tally in a run: what its crawl did, as counters, and what waits to be loaded.

A batch's tally holds its DocumentLoads and CrawlRecords until the flow loads them; the
source's tally then absorbs the batch as counters and a few document summaries, so memory
does not grow with the number of reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.discover import Discovery
from extract.fetch import FetchedReport
from transform.model import CrawlRecord, DocumentLoad

KEEP_DOCUMENT_SUMMARIES = 100  # per source, in the run summary (the rest are counted)
HEADLINE_INDICATORS = ("gdp", "general_budget_revenue", "fixed_asset_investment", "retail_sales")


@dataclass
class SourceTally:
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
    deferred: int = 0  # new reports left for the next run (over the source's max_new_reports)
    refused_links: list[str] = field(default_factory=list)
    loads: list[DocumentLoad] = field(default_factory=list)
    records: list[CrawlRecord] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    documents_loaded: int = 0
    facts_loaded: int = 0
    document_summaries: list[dict[str, object]] = field(default_factory=list)

    COUNTERS = ("pages", "listed", "new", "fetched", "failed", "revisited", "changed", "deferred")

    @classmethod
    def of_discovery(cls, found: Discovery, new: int) -> SourceTally:
        return cls(
            found.source_id,
            pages=found.pages,
            listed=found.listed,
            new=new,
            failed=found.failed,
            refused_links=list(found.refused_links),
            errors=list(found.errors),
        )

    @property
    def facts(self) -> int:
        return self.facts_loaded + sum(len(ld.facts) for ld in self.loads)

    @property
    def documents(self) -> int:
        return self.documents_loaded + len(self.loads)

    def add_report(self, report: FetchedReport, load: DocumentLoad | None) -> None:
        """Count one report's fetch and keep its records and, when read, its load."""
        self.revisited += report.revisited
        self.changed += report.changed
        self.fetched += report.page_ok
        self.failed += report.status == "failed"
        if report.error is not None:
            self.errors.append((report.item.url, report.error))
        if load is not None:
            self.loads.append(load)
            self.records.extend(report.done())
        else:
            self.records.extend(report.records)

    def add_counts(self, batch: SourceTally) -> None:
        """Add a batch's counters, refused links and errors."""
        for name in self.COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(batch, name))
        self.refused_links.extend(batch.refused_links)
        self.errors.extend(batch.errors)

    def absorb(self, batch: SourceTally) -> None:
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
            "deferred": self.deferred,
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


def headline(load: DocumentLoad) -> list[str]:
    """A few facts a reader looks for first, as short text (`gdp growth_pct 6.0 target 2024`)."""
    picked = [f for code in HEADLINE_INDICATORS for f in load.facts if f.indicator == code]
    return [
        f"{f.indicator} {f.measure} {f.value:g} {f.qualifier} {f.kind} {f.year}" for f in picked[:4]
    ]
