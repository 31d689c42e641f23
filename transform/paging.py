"""Paging links on portal pages, in one place: the pages of a listing (a column's
index.html, index_1.html ...) and the further pages of an article split over several
(t20240118_123.html, t20240118_123_1.html ...). Both are announced by TRS's
`createPageHTML(count, current, name, ext)` script or linked by name.

extract/listing.py walks a listing's pages with these; transform/html.py finds an article's
further pages while it reads the page, and extract/fetch.py fetches them.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html

# TRS paging: createPageHTML(count, current, name, ext), on listing pages and long articles
CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,"
    r"\s*['\"]([^'\"]*)['\"]\s*,\s*['\"]([^'\"]*)['\"]"
)
_PAGE_NAME = re.compile(r"^(?P<name>[^/]+)\.(?P<ext>s?html?)$", re.I)
_PAGE_SUFFIX = re.compile(r"^(?P<stem>.+)_(?P<n>\d{1,3})$")
MAX_CONTINUATION_PAGES = 30


def continuation_pages(root: lxml.html.HtmlElement, base_url: str) -> tuple[str, ...]:
    """The further pages of an article split over several (`t20240118_123.html`, `…_1.html`,
    `…_2.html`): announced by a TRS `createPageHTML(count, current, "t20240118_123", "html")` call
    naming this article, or linked as `t20240118_123_N.html`. Never other articles or columns.
    (`t20240118_123` may itself be page 123 of `t20240118`: the script or links decide.)"""
    parts = urlsplit(base_url) if base_url else None
    here = _PAGE_NAME.match(parts.path.rsplit("/", 1)[-1]) if parts else None
    if parts is None or here is None:
        return ()
    folder, ext = parts.path.rpartition("/")[0], here.group("ext")
    candidates = [(here.group("name"), 0)]
    if m := _PAGE_SUFFIX.match(here.group("name")):
        candidates.append((m.group("stem"), int(m.group("n"))))
    scripts = [
        m for s in root.iter("script") if (m := CREATE_PAGE.search(s.text or "")) is not None
    ]
    linked: dict[str, set[int]] = {}
    for a in root.iter("a"):
        target = urlsplit(urljoin(base_url, (a.get("href") or "").strip()))
        name = _PAGE_NAME.match(target.path.rpartition("/")[2])
        if target.netloc != parts.netloc or target.path.rpartition("/")[0] != folder or not name:
            continue
        if m := _PAGE_SUFFIX.match(name.group("name")):
            linked.setdefault(m.group("stem"), set()).add(int(m.group("n")))
    for stem, own in candidates:
        # links count for the page's own name only: `t20240118_7.html` linking to
        # `t20240118_8.html` (下一篇) is another article, not page 8
        numbers = set(linked.get(stem, ())) if own == 0 else set()
        for m in scripts:
            if m.group(3) == stem:
                numbers.update(range(1, int(m.group(1))))
        numbers.discard(own)
        if numbers:
            return tuple(
                urljoin(base_url, f"{stem}_{n}.{ext}")
                for n in sorted(numbers)
                if n <= MAX_CONTINUATION_PAGES
            )
    return ()


def trs_page_urls(script: str, base_url: str) -> list[str]:
    """URLs of all pages announced by a TRS `createPageHTML(count, current, name, ext)` call."""
    m = CREATE_PAGE.search(script)
    if not m:
        return []
    count, name, ext = int(m.group(1)), m.group(3) or "index", m.group(4) or "html"
    return [
        urljoin(base_url, f"{name}.{ext}" if i == 0 else f"{name}_{i}.{ext}")
        for i in range(min(count, 1000))
    ]
