"""Catalogues behind query pages: a column is a script page asked for one page at a time,
`iList.jsp?cat_id=12&pageIndex=2`, `list.aspx?ClassID=5&page=3`, `…?pageNo=4`. Its report links
are often script pages too (`iDetail.jsp?id=123`). The page number lives in a query parameter,
named in the start URL or in the page's own paging links; the page count, where shown, is
`共 N 页` or a `totalPage` / `pageCount` script variable.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from extract.families.base import ListingRead, ListingRequest, requests_for
from extract.listing import parse_listing

PAGE_PARAMS = (
    "pageIndex",
    "pageNo",
    "page_no",
    "pageNum",
    "curPage",
    "cur_page",
    "currentPage",
    "page",
)
_PAGE_COUNT = re.compile(
    r"共\s*(\d+)\s*页|(?:totalPages?|pageCount|countPage|page_count)['\"]?\s*[:=]\s*['\"]?(\d+)",
    re.I,
)
_LINK = re.compile(r"href\s*=\s*['\"]([^'\"]+)['\"]", re.I)
MAX_QUERY_PAGE = 1000


def _page_param(url: str) -> tuple[str, int] | None:
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key in PAGE_PARAMS and value.isdigit():
            return key, int(value)
    return None


def _with_page(url: str, param: str, number: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
    return urlunsplit((*parts[:3], urlencode([*query, (param, str(number))]), ""))


def _linked_param(text: str, page_url: str) -> str | None:
    """The page parameter the page's own paging links use (same script, another page)."""
    here = urlsplit(page_url)
    for href in _LINK.findall(text):
        target = urlsplit(urljoin(page_url, href.replace("&amp;", "&")))
        same_script = target.netloc == here.netloc and target.path == here.path
        if same_script and (found := _page_param(target.geturl())) is not None:
            return found[0]
    return None


class QueryPages:
    name = "query"

    def read(
        self,
        text: str,
        request: ListingRequest,
        final_url: str,
        item_xpath: str | None = None,
        next_xpath: str | None = None,
    ) -> ListingRead:
        page = parse_listing(text, final_url, item_xpath, next_xpath)
        current = _page_param(request.url)
        param = current[0] if current else _linked_param(text, request.url)
        number = current[1] if current else 1
        count = _PAGE_COUNT.search(text)
        pages = int(count.group(1) or count.group(2)) if count else None
        more: list[ListingRequest] = []
        if param and page.items and number < MAX_QUERY_PAGE and (pages is None or number < pages):
            more.append(ListingRequest(_with_page(request.url, param, number + 1)))
        elif not param:
            more.extend(requests_for(page.page_urls))
        return ListingRead(page.items, tuple(more), page.refused)
