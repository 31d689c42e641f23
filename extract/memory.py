"""What the crawl knows from earlier runs, read from the crawl-state rows the warehouse keeps:
reports loaded or skipped for good (never fetched again), reports that failed (tried again),
loaded reports due to be checked again for changes, and how the source's last walk ended.

A walk is recorded as `started` before its reports are loaded and `ok` once every one of them
is (`failed` when a listing page could not be had). A walk that did not end `ok` (a run killed
mid-way, a page missing) makes the next one exhaustive: every listing page up to max_pages,
so no report is left behind because the pages above it are known. So does a deep walk due.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from extract.listing import ListingItem
from extract.sources import Source
from transform.model import CrawlRecord

PARK_AFTER = 5  # failed attempts in a row after which a report is parked: retried weekly only
WALK = "govreports:walk"  # the crawl-state URL of a source's last walk (no report's URL)
DEEP_WALK = "govreports:deep-walk"  # ... and of its last exhaustive walk that ended ok

CrawlRows = Mapping[str, Mapping[str, object]]  # crawl_state rows by url_key


@dataclass(frozen=True)
class Revisit:
    """A loaded report to check again for changes: conditional GET, then compare hashes. When
    its text came from elsewhere than its page (an attachment, its joined pages), an unchanged
    page is not enough: those parts are fetched again and compared with `content_sha256`."""

    item: ListingItem
    etag: str | None
    last_modified: str | None
    sha256: str
    content_sha256: str | None = None  # what the document was read from, when not the page
    content_type: str | None = None  # the page's, to read it again from the raw zone

    @property
    def text_elsewhere(self) -> bool:
        return self.content_sha256 is not None and self.content_sha256 != self.sha256


@dataclass
class CrawlMemory:
    known: set[str] = field(default_factory=set)  # url_keys loaded or skipped for good
    failed: list[ListingItem] = field(default_factory=list)  # last attempt failed: try again
    # failed PARK_AFTER times in a row: not downloaded again nightly, only on deep walks
    parked: dict[str, ListingItem] = field(default_factory=dict)
    walk_status: str | None = None  # started | ok | failed | deferred; None: never walked
    last_deep_walk: datetime | None = None

    def exhaustive(self, source: Source, now: datetime) -> bool:
        """Walk every page this time: the last walk did not finish, or a deep walk is due."""
        if self.walk_status not in (None, "ok") or not self.known:
            return True  # unfinished; or a first walk, which stops nowhere anyway
        if source.deep_walk_days is None:
            return False
        due = timedelta(days=source.deep_walk_days)
        return self.last_deep_walk is None or now - self.last_deep_walk >= due


def to_walk(memory: CrawlMemory, exhaustive: bool) -> tuple[set[str], list[ListingItem]]:
    """What a walk skips (url_keys) and what it retries: parked reports are skipped, except on
    an exhaustive walk, which retries them with the other failures."""
    if exhaustive:
        return memory.known, [*memory.failed, *memory.parked.values()]
    return memory.known | set(memory.parked), memory.failed


def walk_record(source: Source, status: str, at: datetime, deep: bool = False) -> CrawlRecord:
    """The crawl-state row saying how a walk of `source` stands (`deep`: its deep-walk row)."""
    return CrawlRecord(DEEP_WALK if deep else WALK, source.id, "walk", status, at)


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
        if row["role"] == "walk":
            if row["url"] == WALK:
                memory.walk_status = str(row["status"])
            elif row["url"] == DEEP_WALK and row["status"] == "ok":
                memory.last_deep_walk = row["last_attempt"]  # type: ignore[assignment]
            continue
        if row["role"] != "detail":
            continue
        if row["status"] in ("ok", "skipped"):
            memory.known.add(key)
        elif row["status"] == "failed" and int(row.get("attempts") or 0) >= PARK_AFTER:  # type: ignore[call-overload]
            memory.parked[key] = _listing_item(row)
        elif row["status"] == "failed":
            memory.failed.append(_listing_item(row))
    return memory


def due_for_revisit(
    rows: CrawlRows,
    source: Source,
    now: datetime,
    contents: Mapping[str, str] | None = None,
) -> list[Revisit]:
    """Loaded reports of `source` last checked `revisit_days` ago or earlier; `contents` are
    the sha256 of what each loaded document was read from, by url_key."""
    contents = contents or {}
    if source.revisit_days is None:
        return []
    due = []
    for key, row in rows.items():
        age = (now - row["last_attempt"]).total_seconds() / 86400  # type: ignore[operator]
        if row["role"] == "detail" and row["status"] == "ok" and age >= source.revisit_days:
            due.append(
                Revisit(
                    _listing_item(row),
                    row["etag"],  # type: ignore[arg-type]
                    row["last_modified"],  # type: ignore[arg-type]
                    row["sha256"],  # type: ignore[arg-type]
                    contents.get(key),
                    row.get("content_type"),  # type: ignore[arg-type]
                )
            )
    return due
