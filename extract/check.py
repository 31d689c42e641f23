"""First contact with a source: its start page fetched once, politely, and read for structure
only (the portal family it runs on, the report links it lists, its paging, its newest date),
with a verdict a person can act on before the source joins a nightly run.

Families are recognised by the marks their platforms leave in listing pages:
- trs: TRS WCM static columns (`createPageHTML(...)` paging, `t20240118_123.html` articles);
- hanweb: 大汉 jcms columns (`/col/col123/`, `/art/…` articles, records from `dataproxy.jsp`);
- gkmlpt: Guangdong's 政府信息公开目录 platform (`/gkmlpt/` addresses, a JSON listing);
- query: catalogues behind query pages (`iList.jsp`, `?pageIndex=`-style forms);
- static: a plain list of dated links;
- unknown: none of these.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from extract.discover import fetch_from
from extract.http import HttpClient
from extract.listing import parse_listing
from extract.sources import Source
from transform.decode import decode_bytes

_FAMILY_MARKS = (
    ("gkmlpt", re.compile(r"/gkmlpt/", re.I)),
    ("hanweb", re.compile(r"dataproxy\.jsp|/col/col\d+/|/art/\d{4}/|jpage", re.I)),
    ("trs", re.compile(r"createPageHTML|/t20\d{6}_\d+\.s?html?", re.I)),
    ("query", re.compile(r"iList\.jsp|[?&](?:pageIndex|pageNo|page_no)=", re.I)),
)
VERDICTS = ("ok", "needs selectors", "unreachable", "refused by robots", "refused")


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


def detect_family(markup: str) -> str:
    """The portal family whose marks a listing page carries (see the module's list)."""
    for family, mark in _FAMILY_MARKS:
        if mark.search(markup):
            return family
    return "unknown"


def check_source(source: Source, client: HttpClient) -> CheckResult:
    """Fetch the source's first start page once and say what a nightly run would find there."""
    url = source.start_urls[0]
    res = fetch_from(client, source, url)
    if not res.ok:
        error = res.error or f"http status {res.status}"
        verdict = (
            "refused by robots"
            if "robots.txt" in error
            else "refused"
            if error.startswith("refused")
            else "unreachable"
        )
        return CheckResult(source.id, url, verdict, reason=error)
    declared = f"text/html; charset={source.encoding}" if source.encoding else None
    markup, _ = decode_bytes(res.body, declared or res.content_type, source.encoding)
    page = parse_listing(markup, res.url, source.item_xpath, source.next_xpath)
    include = re.compile(source.title_include)
    reports = [it for it in page.items if include.search(it.title)]
    dates = sorted(it.date for it in page.items if it.date)
    family = detect_family(markup)
    result = CheckResult(
        source.id,
        url,
        "ok" if reports else "needs selectors",
        family=family,
        items=len(page.items),
        report_like=len(reports),
        pages=len(page.page_urls),
        newest=dates[-1] if dates else None,
        examples=[it.title for it in reports[:3]],
    )
    if not reports:
        result.reason = (
            f"{len(page.items)} links found, none with a report-like title: add item_xpath"
            if page.items
            else "no article links found"
            + (
                f" (a {family} page: its records may come from a data request)"
                if family in ("hanweb", "gkmlpt", "query")
                else ": add item_xpath"
            )
        )
    return result
