"""Columns that are plain pages of links: TRS WCM static columns, and any other dated list.

Both are read by the generic listing reader (extract/listing.py: article-like links, their
dates, `下一页` links and TRS's `createPageHTML(count, current, "index", "html")`). TRS columns
also announce their page count in other ways, handled here: the newer
`createPageHTML('page_div', count, current, 'index', 'html', records)` call and the
`var countPage = 7` variable that a `createPageHTML(countPage, currentPage, …)` call reads.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from extract.families.base import ListingRead, ListingRequest, requests_for
from extract.listing import parse_listing

MAX_TRS_PAGES = 1000
_PAGE_DIV_CALL = re.compile(
    r"createPageHTML\(\s*['\"][\w-]+['\"]\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?\d+['\"]?\s*,"
    r"\s*['\"]([\w-]*)['\"]\s*,\s*['\"](\w*)['\"]"
)
_COUNT_VAR = re.compile(r"\bvar\s+countPage\s*=\s*['\"]?(\d+)")
_VAR_CALL = re.compile(
    r"createPageHTML\(\s*countPage\s*,[^,]*,\s*['\"]([\w-]*)['\"]\s*,\s*['\"](\w*)['\"]"
)


_DEFAULT_PAGE = re.compile(r"(?<=/)(?:index|default)\.s?html?$", re.I)


def same_page(a: str, b: str) -> bool:
    """`…/col/` and `…/col/index.html` are one page (a column's address and its first page)."""
    return _DEFAULT_PAGE.sub("", a) == _DEFAULT_PAGE.sub("", b)


class StaticList:
    """A plain list of dated links, paged by links if at all."""

    name = "static"

    def read(
        self,
        text: str,
        request: ListingRequest,
        final_url: str,
        item_xpath: str | None = None,
        next_xpath: str | None = None,
    ) -> ListingRead:
        page = parse_listing(text, final_url, item_xpath, next_xpath)
        more = self.more_pages(text, request, final_url, page.page_urls)
        return ListingRead(page.items, requests_for(more), page.refused)

    def more_pages(
        self, text: str, request: ListingRequest, final_url: str, linked: tuple[str, ...]
    ) -> tuple[str, ...]:
        """The further listing pages: those the page links (下一页, createPageHTML)."""
        return linked


def trs_count_pages(text: str, base_url: str) -> list[str]:
    """Pages announced by TRS's other paging forms (see the module's notes)."""
    found = _PAGE_DIV_CALL.search(text)
    if found:
        count, name, ext = int(found.group(1)), found.group(2), found.group(3)
    elif (var := _COUNT_VAR.search(text)) and (call := _VAR_CALL.search(text)):
        count, name, ext = int(var.group(1)), call.group(1), call.group(2)
    else:
        return []
    name, ext = name or "index", ext or "html"
    return [urljoin(base_url, f"{name}_{i}.{ext}") for i in range(1, min(count, MAX_TRS_PAGES))]


class TrsColumns(StaticList):
    """TRS WCM columns: `index.html`, `index_1.html` … announced by the paging script."""

    name = "trs"

    def more_pages(
        self, text: str, request: ListingRequest, final_url: str, linked: tuple[str, ...]
    ) -> tuple[str, ...]:
        """Those linked, and those the other paging forms announce; never the column's own
        first page again (`…/col/` is `…/col/index.html`)."""
        urls: list[str] = []
        for u in (*linked, *trs_count_pages(text, final_url)):
            if u not in urls and not same_page(u, final_url) and not same_page(u, request.url):
                urls.append(u)
        return tuple(urls)
