"""Portal families as code, sites as data: one adapter per platform that local governments'
portals run on, each knowing how that platform lists a column's reports, pages through them,
dates them and links their attachments. A source names its family (`family = "hanweb"`) or
the family is recognised from the marks its start page carries.

- trs: TRS WCM static columns (`createPageHTML(...)` paging, `index_N.html`, `t20240118_1.html`);
- hanweb: 大汉 jcms columns (`/col/col123/`, `/art/…/art_123_4.html`), the first records inline
  and the rest served by a `dataproxy.jsp` form POST;
- gkmlpt: Guangdong's 政府信息公开目录 platform (`/gkmlpt/index#123`), a JSON listing API;
- query: catalogues behind query pages (`iList.jsp?cat_id=…&pageIndex=2`);
- static: a plain list of dated links, paged by `下一页` links if at all.
"""

from __future__ import annotations

import re

from extract.families.base import Family, ListingRead, ListingRequest
from extract.families.gkmlpt import Gkmlpt
from extract.families.hanweb import Hanweb
from extract.families.query import QueryPages
from extract.families.static import StaticList, TrsColumns

FAMILIES: dict[str, Family] = {
    f.name: f for f in (TrsColumns(), Hanweb(), Gkmlpt(), QueryPages(), StaticList())
}
FAMILY_NAMES = (*FAMILIES, "unknown")

# The marks each platform leaves in its pages, most specific first.
_FAMILY_MARKS = (
    ("gkmlpt", re.compile(r"/gkmlpt/|window\._CONFIG\s*=", re.I)),
    ("hanweb", re.compile(r"dataproxy\.jsp|/col/col\d+/|/art/\d{4}/|jpage", re.I)),
    ("trs", re.compile(r"createPageHTML|/t20\d{6}_\d+\.s?html?", re.I)),
    ("query", re.compile(r"iList\.jsp|[?&](?:pageIndex|pageNo|page_no|curPage|cur_page)=", re.I)),
)


def detect_family(markup: str, url: str = "") -> str:
    """The family whose marks a listing page (or its address) carries; `unknown` if none."""
    for family, mark in _FAMILY_MARKS:
        if mark.search(url) or mark.search(markup):
            return family
    return "unknown"


def family_named(name: str | None, markup: str = "", url: str = "") -> Family:
    """The adapter for a family name; with none (or `unknown`), the one the page's marks name,
    and the plain-list reader when nothing is recognised."""
    if name and name in FAMILIES:
        return FAMILIES[name]
    return FAMILIES.get(detect_family(markup, url), FAMILIES["static"])


__all__ = [
    "FAMILIES",
    "FAMILY_NAMES",
    "Family",
    "ListingRead",
    "ListingRequest",
    "detect_family",
    "family_named",
]
