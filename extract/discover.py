"""Discovery: a source's listing pages walked, newest first, into the reports they list.

The walk follows paging (TRS createPageHTML, 下一页 links) up to the source's max_pages and
stops at the first page whose matching reports are all known: older pages were walked by an
earlier run. What is new is then what is neither known nor outside a backfill's date range,
plus reports that failed before and lie beyond where the walk stopped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from extract.families import Family, ListingRequest, family_named
from extract.http import FetchResult, HttpClient
from extract.listing import ListingItem
from extract.rawstore import RawStore
from extract.sources import Source
from transform.decode import decode_bytes
from transform.model import url_key


@dataclass
class Discovery:
    """What walking a source's listing pages found (`items`: every matching report listed)."""

    source_id: str
    pages: int = 0
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    refused_links: list[str] = field(default_factory=list)
    items: list[ListingItem] = field(default_factory=list)
    families: list[str] = field(default_factory=list)  # the family each start URL was read as

    @property
    def listed(self) -> int:
        return len(self.items)


def fetch_from(client: HttpClient, source: Source, url: str, **kw: object) -> FetchResult:
    """One polite GET within the source's hosts, delay and robots rules."""
    return client.fetch(
        url,
        allowed_hosts=source.allowed_origins,
        allow_private=source.allow_private,
        delay=source.delay_seconds,
        obey_robots=source.obey_robots,
        **kw,
    )


def fetch_listing(
    client: HttpClient, source: Source, request: ListingRequest
) -> tuple[FetchResult, str]:
    """One listing request (a GET, or a platform's form POST) within the source's rules, and
    its text decoded as the source says (its configured encoding first); "" when it failed."""
    form = dict(request.form) if request.form is not None else None
    res = fetch_from(client, source, request.url, form=form)
    if not res.ok:
        return res, ""
    declared = f"text/html; charset={source.encoding}" if source.encoding else None
    text, _ = decode_bytes(res.body, declared or res.content_type, source.encoding)
    return res, text


def iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def walk_listing(
    source: Source,
    client: HttpClient,
    known: set[str],
    store: RawStore | None = None,
    exhaustive: bool = False,
) -> Discovery:
    """The reports listed by the source's columns, newest pages first, within max_pages;
    `known` are the url_keys an earlier run already has: the walk stops at a page whose reports
    are all known, unless it is `exhaustive` (every page up to max_pages)."""
    include = re.compile(source.title_include)
    exclude = re.compile(source.title_exclude) if source.title_exclude else None
    found = Discovery(source.id)
    # each request carries the family its column was read as (named, or recognised on the
    # column's first page); a follow-up request is read by the same adapter
    queue: list[tuple[ListingRequest, Family | None]] = [
        (ListingRequest(u), None) for u in source.start_urls
    ]
    seen_pages: set[str] = set()
    queued = {request.key for request, _ in queue}
    listed: set[str] = set()  # every link any page of this walk listed
    items: dict[str, ListingItem] = {}
    while queue and found.pages < source.max_pages:
        request, family = queue.pop(0)
        if request.key in seen_pages:
            continue
        seen_pages.add(request.key)
        res, text = fetch_listing(client, source, request)
        found.pages += 1
        if not res.ok:
            found.failed += 1
            found.errors.append((request.url, f"listing page: {res.error}"))
            continue
        if store is not None:
            store.put(res.body, res)
        if family is None:
            family = family_named(source.family, text, res.url)
            found.families.append(family.name)
        page = family.read(text, request, res.url, source.item_xpath, source.next_xpath)
        found.refused_links.extend(page.refused)
        matching = [
            it
            for it in page.items
            if include.search(it.title) and not (exclude and exclude.search(it.title))
        ]
        repeated = bool(page.items) and all(it.url in listed for it in page.items)
        listed.update(it.url for it in page.items)
        for it in matching:
            items.setdefault(it.url, it)
        if not exhaustive and matching and all(url_key(it.url) in known for it in matching):
            break  # reached what an earlier run already has: older pages are known too
        if repeated:
            continue  # a query page past the end answers an earlier page again: stop there
        for follow in page.more:
            if follow.key not in seen_pages and follow.key not in queued:
                queue.append((follow, family))
                queued.add(follow.key)
    found.items = list(items.values())
    return found


def in_range(item: ListingItem, since: date | None, until: date | None) -> bool:
    """A listed report inside a backfill's date range (undated items are kept)."""
    listed = iso_date(item.date)
    return listed is None or (
        (since is None or listed >= since) and (until is None or listed <= until)
    )


def new_reports(
    listed: Sequence[ListingItem],
    known: set[str],
    retry: Sequence[ListingItem] = (),
    since: date | None = None,
    until: date | None = None,
) -> list[ListingItem]:
    """The listed reports not in `known` and inside the date range, plus the reports in `retry`
    (failed before) that the walk did not reach: paging stops at known reports, so a failed
    report older than those would otherwise never be tried again."""
    keys = {url_key(it.url) for it in listed}
    items = [*listed, *(it for it in retry if url_key(it.url) not in keys)]
    return [it for it in items if url_key(it.url) not in known and in_range(it, since, until)]
