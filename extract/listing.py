"""Listing (column) pages of government portals: article links with titles and dates, and paging.

Handles the portal shapes, not sites: TRS `createPageHTML(count, current, "index", "html")`
paging, `下一页` links, date-stamped article paths and plain lists of dated links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html

from transform.html import ATTACHMENT_EXT, parse_html
from transform.paging import trs_page_urls

_DATE = re.compile(r"(20\d{2}|19\d{2})[-./年](\d{1,2})[-./月](\d{1,2})日?")
_ARTICLE_PATH = re.compile(
    r"/t\d{8}_\d+\.s?html?$|/20\d{4}/|/\d{6,}\.s?html?$|art_|content_|"
    r"/\d{4}-\d{2}/|\.s?html?$",
    re.I,
)
# a detail page served by a script: `iDetail.jsp?id=123`, `show.aspx?InfoID=9`, `view.do?docid=x`
_DYNAMIC_PATH = re.compile(r"\.(?:jsp|aspx?|php|do|action)$|/[^./]+$", re.I)
_ARTICLE_QUERY = re.compile(
    r"(?:^|&)(?:id|info_?id|article_?id|content_?id|doc_?id|news_?id|item_?id|aid|tid)=\w+", re.I
)
_INDEX_PATH = re.compile(r"(?:^|/)(?:index|default|list)(?:_\d+)?\.s?html?$|/$", re.I)
_NEXT_TEXT = re.compile(r"^\s*(下一页|下页|后一页|>|›|»)\s*$")
_SKIP_TEXT = re.compile(r"^(首页|尾页|上一页|下一页|更多|more|\d+)$", re.I)


@dataclass(frozen=True)
class ListingItem:
    url: str
    title: str
    date: str | None  # ISO yyyy-mm-dd


@dataclass(frozen=True)
class ListingPage:
    items: tuple[ListingItem, ...]
    page_urls: tuple[str, ...]  # further listing pages, in order
    refused: tuple[str, ...] = ()  # item-like links refused: javascript:, mailto:, other hosts


def _iso(m: re.Match[str]) -> str:
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def _anchors(root: lxml.html.HtmlElement, xpath: str | None) -> list[lxml.html.HtmlElement]:
    """<a> elements: all of them, or those a source's XPath selects (itself or inside it)."""
    if not xpath:
        return list(root.iter("a"))
    found: list[lxml.html.HtmlElement] = []
    for el in root.xpath(xpath):
        if isinstance(el, lxml.html.HtmlElement):
            found.extend([el] if el.tag == "a" else el.iter("a"))
    return found


def parse_listing(
    markup: str, base_url: str, item_xpath: str | None = None, next_xpath: str | None = None
) -> ListingPage:
    """Report links (with titles and dates) and further listing pages of a column page.
    Without selectors a generic detector picks article-like links on the page's own host;
    `item_xpath` / `next_xpath` (a source's selectors) name them instead."""
    root = parse_html(markup)
    if root is None:
        return ListingPage(items=(), page_urls=())
    host = urlsplit(base_url).netloc
    items: dict[str, ListingItem] = {}
    next_urls: list[str] = [
        urljoin(base_url, a.get("href", ""))
        for a in _anchors(root, next_xpath)
        if next_xpath and a.get("href")
    ]
    refused: list[str] = []
    for a in _anchors(root, item_xpath):
        href = (a.get("href") or "").strip()
        text = re.sub(r"\s+", " ", a.text_content()).strip()
        title = (a.get("title") or "").strip() or text
        if not href or href.startswith("#"):
            continue
        url = urljoin(base_url, href)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != host:
            if title and len(title) >= 4 and not _SKIP_TEXT.match(text):
                refused.append(href)  # javascript:, mailto:, file: or another site
            continue
        if not next_xpath and _NEXT_TEXT.match(text):
            next_urls.append(url)
            continue
        if not item_xpath and (
            _SKIP_TEXT.match(text)
            or len(title) < 4
            or _INDEX_PATH.search(parts.path)
            or not (
                _ARTICLE_PATH.search(parts.path)
                or ATTACHMENT_EXT.search(url)
                or (_DYNAMIC_PATH.search(parts.path) and _ARTICLE_QUERY.search(parts.query))
            )
        ):
            continue
        row = a.getparent()
        while row is not None and row.tag not in ("li", "tr", "dd", "div", "p", "ul", "table"):
            row = row.getparent()
        context = row.text_content() if row is not None and row.tag != "ul" else (a.tail or "")
        date = _DATE.search(context) or _DATE.search(url.replace("/t", "/ "))
        if url not in items and url != base_url:
            items[url] = ListingItem(url=url, title=title, date=_iso(date) if date else None)
    page_urls: list[str] = []
    for script in root.iter("script"):
        page_urls.extend(trs_page_urls(script.text or "", base_url))
    for url in next_urls:
        if url not in page_urls:
            page_urls.append(url)
    page_urls = [u for u in page_urls if u != base_url and urlsplit(u).netloc == host]
    return ListingPage(
        items=tuple(items.values()), page_urls=tuple(page_urls), refused=tuple(refused)
    )
