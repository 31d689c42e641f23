"""大汉 (Hanweb) jcms columns: `/col/col123/index.html`, articles at `/art/2024/1/18/art_123_4.html`.

A column page carries its first records inline, as XML inside a script:
`<div id="unitid"><script type="text/xml"><datastore><nextgroup>…</nextgroup><recordset>
<record><![CDATA[<li><a href=…>title</a><span>2024-01-18</span></li>]]></record>…`.
A browser script (jpage.js) fetches the rest from the platform's data proxy with a form POST:
`…/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15` with the fields `col, appid, webid,
path, columnid, sourceContentType, unitid, webname, permissiontype`, taken from the nextgroup
link or the page's script. The proxy answers the same datastore XML with `<totalrecord>`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from extract.families.base import ListingRead, ListingRequest, requests_for
from extract.listing import parse_listing

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_PROXY = re.compile(r"([^\s'\"<>()]*dataproxy\.jsp)(\?[^\s'\"<>]*)?", re.I)
_SCRIPT_FIELD = re.compile(
    r"\b(col|appid|webid|path|columnid|sourceContentType|unitid|webname|permissiontype)"
    r"['\"]?\s*[:=]\s*['\"]?([^,'\"}&\s]*)"
)
_PERPAGE = re.compile(r"perpage['\"]?\s*[:=]\s*['\"]?(\d+)", re.I)
_GROUP = re.compile(r"startrecord=(\d+)&(?:amp;)?endrecord=(\d+)", re.I)
_TOTAL = re.compile(r"total_?record['\"]?\s*(?:>|[:=])\s*['\"]?(\d+)", re.I)
_UNIT_DIV = re.compile(r"<div[^>]*\bid=['\"]?(\d+)['\"]?[^>]*>\s*<script[^>]*text/xml", re.I)
_COLUMN_URL = re.compile(r"/col/col(\d+)/")
_FORM_KEYS = (
    "col",
    "appid",
    "webid",
    "path",
    "columnid",
    "sourceContentType",
    "unitid",
    "webname",
    "permissiontype",
)
_FORM_DEFAULTS = {"col": "1", "appid": "1", "path": "/", "sourceContentType": "1"}
_FORM_DEFAULTS |= {"permissiontype": "0"}
DEFAULT_PER_PAGE = 15
GROUP_PAGES = 3  # jpage.js asks for three pages of records at a time


def records_markup(text: str) -> str | None:
    """The records a datastore holds, as one HTML list (None: the text holds no records)."""
    records = _RECORD.findall(text)
    return f"<html><body><ul>{''.join(records)}</ul></body></html>" if records else None


def _proxy_form(text: str, page_url: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """The data proxy's address and the form fields a column page gives it (None: no proxy)."""
    proxy = _PROXY.search(text)
    if proxy is None:
        return None
    fields: dict[str, str] = {}
    for key, value in _SCRIPT_FIELD.findall(text):
        fields.setdefault(key, value)
    for key, value in parse_qsl((proxy.group(2) or "?")[1:].replace("&amp;", "&")):
        if key in _FORM_KEYS:
            fields[key] = value  # the nextgroup link states the column's own fields
    if "columnid" not in fields and (col := _COLUMN_URL.search(urlsplit(page_url).path)):
        fields["columnid"] = col.group(1)
    if "unitid" not in fields and (unit := _UNIT_DIV.search(text)):
        fields["unitid"] = unit.group(1)
    if "columnid" not in fields:
        return None
    form = {**_FORM_DEFAULTS, **fields}
    return urljoin(page_url, proxy.group(1)), tuple((k, form[k]) for k in _FORM_KEYS if k in form)


def _group_request(proxy: str, form: tuple[tuple[str, str], ...], first: int, size: int, per: int):
    url = f"{proxy}?startrecord={first}&endrecord={first + size - 1}&perpage={per}"
    return ListingRequest(url, form)


class Hanweb:
    name = "hanweb"

    def read(
        self,
        text: str,
        request: ListingRequest,
        final_url: str,
        item_xpath: str | None = None,
        next_xpath: str | None = None,
    ) -> ListingRead:
        records = records_markup(text)
        page = parse_listing(records or text, final_url, item_xpath, next_xpath)
        total_mark = _TOTAL.search(text)
        total = int(total_mark.group(1)) if total_mark else None
        read = len(_RECORD.findall(text))
        if request.form is not None:  # an answer of the data proxy: the next group, if any
            group = _GROUP.search(request.url)
            if group is None:
                return ListingRead(page.items, (), page.refused, total)
            first, last = int(group.group(1)), int(group.group(2))
            per = int(m.group(1)) if (m := _PERPAGE.search(request.url)) else DEFAULT_PER_PAGE
            more_left = last < total if total is not None else read >= last - first + 1
            proxy = request.url.split("?", 1)[0]
            follow = (
                (_group_request(proxy, request.form, last + 1, last - first + 1, per),)
                if more_left and read
                else ()
            )
            return ListingRead(page.items, follow, page.refused, total)
        proxied = _proxy_form(text, final_url)
        if proxied is None:  # a column without a data proxy pages like a plain list
            return ListingRead(page.items, requests_for(page.page_urls), page.refused, total)
        proxy, form = proxied
        per = int(m.group(1)) if (m := _PERPAGE.search(text)) else DEFAULT_PER_PAGE
        group = _GROUP.search(text)
        size = int(group.group(2)) - int(group.group(1)) + 1 if group else per * GROUP_PAGES
        size = max(1, min(size, 1000))
        if total is not None and read >= total:
            return ListingRead(page.items, (), page.refused, total)
        if total is None and read and read < per:
            return ListingRead(page.items, (), page.refused, total)  # one short page: all there
        first = _group_request(proxy, form, read + 1, size, per)
        return ListingRead(page.items, (first,), page.refused, total)
