"""What the crawl knows from earlier runs, read from the crawl-state rows the warehouse keeps:
reports loaded or skipped for good (never fetched again), reports that failed (tried again),
and loaded reports due to be checked again for changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from extract.listing import ListingItem
from extract.sources import Source

CrawlRows = Mapping[str, Mapping[str, object]]  # crawl_state rows by url_key


@dataclass(frozen=True)
class Revisit:
    """A loaded report to check again for changes: conditional GET, then compare hashes."""

    item: ListingItem
    etag: str | None
    last_modified: str | None
    sha256: str


@dataclass(frozen=True)
class CrawlMemory:
    known: set[str] = field(default_factory=set)  # url_keys loaded or skipped for good
    failed: list[ListingItem] = field(default_factory=list)  # last attempt failed: try again


def _listing_item(row: Mapping[str, object]) -> ListingItem:
    listed = row["listing_date"]
    return ListingItem(
        url=str(row["url"]),
        title=str(row["listing_title"] or ""),
        date=listed.isoformat() if listed else None,  # type: ignore[attr-defined]
    )


def remember(rows: CrawlRows) -> CrawlMemory:
    """One pass over a source's crawl state: what is known and what failed."""
    memory = CrawlMemory()
    for key, row in rows.items():
        if row["role"] != "detail":
            continue
        if row["status"] in ("ok", "skipped"):
            memory.known.add(key)
        elif row["status"] == "failed":
            memory.failed.append(_listing_item(row))
    return memory


def due_for_revisit(rows: CrawlRows, source: Source, now: datetime) -> list[Revisit]:
    """Loaded reports of `source` last checked `revisit_days` ago or earlier."""
    if source.revisit_days is None:
        return []
    due = []
    for row in rows.values():
        age = (now - row["last_attempt"]).total_seconds() / 86400  # type: ignore[operator]
        if row["role"] == "detail" and row["status"] == "ok" and age >= source.revisit_days:
            due.append(
                Revisit(
                    _listing_item(row),
                    row["etag"],  # type: ignore[arg-type]
                    row["last_modified"],  # type: ignore[arg-type]
                    row["sha256"],  # type: ignore[arg-type]
                )
            )
    return due
