"""First contact with a source: its start page fetched once, politely, and read for structure
only (the portal family it runs on, the report links it lists, its paging, its newest date),
with a verdict a person can act on before the source joins a nightly run.

The family is the source's own (`family = …`) or the one the page's marks name (see
extract/families). A column whose records come from a data request (Hanweb's data proxy,
gkmlpt's JSON API) is asked that request too, once, as a nightly run would.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from extract.discover import fetch_listing
from extract.families import (
    FAMILIES,
    ListingRead,
    ListingRequest,
    detect_family,
    family_named,
)
from extract.http import HttpClient
from extract.sources import Source

VERDICTS = ("ok", "needs selectors", "unreachable", "refused by robots", "refused")
DATA_REQUESTS = 1  # follow-up requests a check may make for a column filled by a data request


@dataclass
class CheckResult:
    """What the start page of a source showed."""

    source_id: str
    url: str
    verdict: str
    family: str = "unknown"
    items: int = 0  # article links the listing detector found
    report_like: int = 0  # of those, titles the source's title_include accepts
    pages: int = 0  # further listing pages announced
    newest: str | None = None  # the newest listed date (ISO)
    reason: str = ""
    examples: list[str] = field(default_factory=list)  # a few report-like titles

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _verdict_of_failure(error: str) -> str:
    if "robots.txt" in error:
        return "refused by robots"
    return "refused" if error.startswith("refused") else "unreachable"


def check_source(source: Source, client: HttpClient) -> CheckResult:
    """Fetch the source's first start page once (and, for a column filled by a data request,
    that request once) and say what a nightly run would find there."""
    url = source.start_urls[0]
    request = ListingRequest(url)
    res, markup = fetch_listing(client, source, request)
    if not res.ok:
        error = res.error or f"http status {res.status}"
        return CheckResult(source.id, url, _verdict_of_failure(error), reason=error)
    family = source.family if source.family in FAMILIES else detect_family(markup, res.url)
    adapter = family_named(family)  # the plain-list reader for a page of no known family
    page = adapter.read(markup, request, res.url, source.item_xpath, source.next_xpath)
    reason = ""
    for _ in range(DATA_REQUESTS):
        if page.items or not page.more:
            break
        request = page.more[0]
        follow, text = fetch_listing(client, source, request)
        if not follow.ok:
            reason = f"its data request failed: {follow.error or follow.status} ({request.url})"
            page = ListingRead(())
            break
        page = adapter.read(text, request, follow.url, source.item_xpath, source.next_xpath)
    include = re.compile(source.title_include)
    reports = [it for it in page.items if include.search(it.title)]
    dates = sorted(it.date for it in page.items if it.date)
    result = CheckResult(
        source.id,
        url,
        "ok" if reports else "needs selectors",
        family=family,
        items=len(page.items),
        report_like=len(reports),
        pages=len(page.more),
        newest=dates[-1] if dates else None,
        examples=[it.title for it in reports[:3]],
        reason=reason,
    )
    if not reports and not reason:
        result.reason = (
            f"{len(page.items)} links found, none with a report-like title: add item_xpath"
            if page.items
            else "no article links found"
            + (
                f" (a {family} page whose data request was not recognised)"
                if family in ("hanweb", "gkmlpt", "query")
                else ": add item_xpath"
            )
        )
    return result
