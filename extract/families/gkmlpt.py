"""Guangdong's 政府信息公开目录 platform (gkmlpt), run by the province's cities, counties and
departments: a column is `…/gkmlpt/index#123` (the number after `#` names the catalogue
column), a page whose script builds the list in the browser. The page's
`window._CONFIG = {SID: '755001', TREE: […]}` names the site; the records come from a JSON API,
`…/gkmlpt/api/all/123?page=2&sid=755001`: `{"total": 145, "articles": [{"title": …,
"url": "…/gkmlpt/content/9/9530/post_9530123.html", "created_at": "2024-01-18 09:30:00",
"first_publish_time": 1705541400, …}]}`. Articles link their attachments under
`…/attachment/…`, read like any page's.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from extract.families.base import ListingRead, ListingRequest
from extract.listing import ListingItem

_SID = re.compile(r"\bSID['\"]?\s*:\s*['\"]?(\d+)")
_API = re.compile(r"/gkmlpt/api/all/(\d+)")
_DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_EPOCH_FIELDS = ("first_publish_time", "display_publish_time", "publish_time", "create_time")
_CHINA = timedelta(hours=8)  # the platform's epochs are instants; its dates are Beijing dates
MAX_PAGE = 1000


def _iso(article: dict) -> str | None:
    for key in ("created_at", "date"):
        value = article.get(key)
        if isinstance(value, str) and (m := _DATE_TEXT.match(value.strip())):
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    for key in (*_EPOCH_FIELDS, "date"):
        value = article.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            seconds = value / 1000 if value > 1e11 else value  # milliseconds on some sites
            try:
                return (datetime.fromtimestamp(seconds, UTC) + _CHINA).date().isoformat()
            except (OverflowError, OSError, ValueError):
                continue
    return None


def _on_site(url: str, site: str) -> str | None:
    """An article address on the site's own host, in the site's scheme (the API writes
    `http://` addresses for sites served over https); None for another host."""
    parts, here = urlsplit(url), urlsplit(site)
    if parts.scheme not in ("http", "https") or parts.hostname != here.hostname:
        return None
    return urlunsplit((here.scheme, here.netloc, parts.path, parts.query, ""))


def _root(url: str) -> str:
    """`https://host/yjzjj/gkmlpt/index#721` -> `https://host/yjzjj/gkmlpt/`."""
    parts = urlsplit(url)
    head = parts.path.split("/gkmlpt/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/gkmlpt/", "", ""))


class Gkmlpt:
    name = "gkmlpt"

    def read(
        self,
        text: str,
        request: ListingRequest,
        final_url: str,
        item_xpath: str | None = None,
        next_xpath: str | None = None,
    ) -> ListingRead:
        api = _API.search(urlsplit(request.url).path)
        if api is None:  # the column page: its site id and column lead to the API
            sid = _SID.search(text)
            if sid is None:
                return ListingRead(())
            column = urlsplit(request.url).fragment
            column = column if column.isdigit() else "0"  # 0: the whole catalogue
            first = f"{_root(final_url)}api/all/{column}?page=1&sid={sid.group(1)}"
            return ListingRead((), (ListingRequest(first),))
        try:
            data = json.loads(text)
        except ValueError:
            return ListingRead(())
        if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
            return ListingRead(())
        items: list[ListingItem] = []
        refused: list[str] = []
        for article in data["articles"]:
            if not isinstance(article, dict):
                continue
            link = article.get("url") or article.get("post_url")
            title = article.get("title")
            if not isinstance(link, str) or not isinstance(title, str) or not title.strip():
                continue
            url = _on_site(link, final_url)
            if url is None:
                refused.append(link)
                continue
            items.append(ListingItem(url=url, title=title.strip(), date=_iso(article)))
        total = data.get("total")
        if not isinstance(total, int):
            classify = data.get("classify")
            total = classify.get("post_count") if isinstance(classify, dict) else None
            total = total if isinstance(total, int) else None
        query = dict(parse_qsl(urlsplit(request.url).query))
        page = int(query.get("page", "1")) if query.get("page", "1").isdigit() else 1
        more: tuple[ListingRequest, ...] = ()
        if items and page < MAX_PAGE and (total is None or page * len(data["articles"]) < total):
            following = {**query, "page": str(page + 1)}
            parts = urlsplit(request.url)
            next_query = "&".join(f"{k}={v}" for k, v in following.items())
            more = (ListingRequest(urlunsplit((*parts[:3], next_query, ""))),)
        return ListingRead(tuple(items), more, tuple(refused), total)
