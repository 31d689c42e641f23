"""Local replicas of the portal families' page shapes, written by the team from the platforms'
observed structure (no page copied): a TRS WCM column, a Hanweb jcms column with its data
proxy, a gkmlpt catalogue with its JSON API, a query-page catalogue and a plain list. Each is
served under a root path on a FaultServer, with report articles that link a PDF attachment.

Every replica answers like its platform does when asked wrongly, too: Hanweb's proxy gives an
empty datastore to a form without the column's fields; gkmlpt's API a 404 without its site id;
a query page past its last page repeats the last page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from tests.faultserver import FaultServer, Request
from tests.pdfgen import pdf_bytes

HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "text/xml; charset=utf-8"}
JSON = {"Content-Type": "application/json; charset=utf-8"}
PDF = {"Content-Type": "application/pdf"}
REPORT_LINES = [
    "政府工作报告",
    "一、2023年工作回顾",
    "全年地区生产总值增长6.5%，一般公共预算收入增长8.2%。",
    "二、2024年主要目标",
    "地区生产总值增长6%左右，固定资产投资增长10%。",
]


@dataclass(frozen=True)
class Report:
    title: str
    day: date
    number: int  # the article's number in the platform's scheme


def reports(count: int, place: str = "某县") -> list[Report]:
    """`count` listed items, newest first: every other one a work report, the rest notices."""
    out = []
    for i in range(count):
        year = 2024 - i // 2
        title = f"{place}{year}年政府工作报告" if i % 2 == 0 else f"关于{year}年第{i}批项目的通知"
        out.append(Report(title, date(year, 1, 18) - timedelta(days=i % 2 * 40), 1000 + i))
    return out


def _article(title: str, attachment: str) -> bytes:
    return (
        f"<html><head><meta name='ArticleTitle' content='{title}'><title>{title}</title></head>"
        f"<body><div class='article'><h1>{title}</h1><p>报告全文见附件。</p>"
        f"<a href='{attachment}'>{title}.pdf</a></div></body></html>"
    ).encode()


def _pdf(request: Request) -> tuple[int, dict[str, str], bytes]:
    return 200, PDF, pdf_bytes(REPORT_LINES)


def _page_html(body: str, head: str = "") -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def trs_column(
    server: FaultServer, root: str, items: list[Report], per_page: int = 4, first: str = ""
) -> str:
    """`root/` lists `items` per_page at a time: index.html, index_1.html …, announced by the
    newer `createPageHTML('page_div', count, current, 'index', 'html', records)` call.
    Articles are `root/202401/t20240118_1000.html`, linking `./P020240118_1000.pdf`."""
    pages = max(1, -(-len(items) // per_page))
    for n in range(pages):
        chunk = items[n * per_page : (n + 1) * per_page]
        rows = "".join(
            f"<li><a href='./{r.day:%Y%m}/t{r.day:%Y%m%d}_{r.number}.html' target='_blank'>"
            f"{r.title}</a><span>{r.day:%Y-%m-%d}</span></li>"
            for r in chunk
        )
        script = (
            f"<script>createPageHTML('page_div',{pages},{n},'index','html',{len(items)});</script>"
        )
        body = _page_html(f"<ul class='list'>{rows}</ul><div id='page_div'></div>{script}")
        name = "index.html" if n == 0 else f"index_{n}.html"
        server.pages[f"{root}/{name}"] = lambda req, body=body: (200, HTML, body)
        if n == 0:
            for path in (f"{root}/", first):
                server.pages[path or f"{root}/"] = lambda req, body=body: (200, HTML, body)
    for r in items:
        stem = f"t{r.day:%Y%m%d}_{r.number}"
        page = _article(r.title, f"./P0{r.day:%Y%m%d}_{r.number}.pdf")
        server.pages[f"{root}/{r.day:%Y%m}/{stem}.html"] = lambda req, p=page: (200, HTML, p)
        server.pages[f"{root}/{r.day:%Y%m}/P0{r.day:%Y%m%d}_{r.number}.pdf"] = _pdf
    return first or f"{root}/"


def _hanweb_record(root: str, column: int, r: Report) -> str:
    href = f"{root}/art/{r.day.year}/{r.day.month}/{r.day.day}/art_{column}_{r.number}.html"
    return (
        f"<record><![CDATA[<li><a href='{href}' target='_blank' title='{r.title}'>{r.title}</a>"
        f"<span class='bt-data-time'>{r.day:%Y-%m-%d}</span></li>]]></record>"
    )


def hanweb_column(
    server: FaultServer,
    root: str,
    column: int,
    items: list[Report],
    per_page: int = 2,
    inline: int = 6,
    unit: int = 4868857,
) -> str:
    """`root/col/col<column>/index.html` with its first `inline` records in the datastore and
    the rest behind `root/module/web/jpage/dataproxy.jsp` (a form POST, groups of three pages).
    Articles `root/art/Y/M/D/art_<column>_<n>.html` link `root/module/download/downfile.jsp?
    classid=0&filename=<n>.pdf`."""
    proxy = f"{root}/module/web/jpage/dataproxy.jsp"
    nextgroup = (
        f"<a href='{proxy}?page=1&appid=1&webid=3&path=/&columnid={column}&unitid={unit}"
        f"&webname=%E6%9F%90%E5%8E%BF&permissiontype=0'></a>"
    )
    first = "".join(_hanweb_record(root, column, r) for r in items[:inline])
    page = _page_html(
        f"<div class='nav'><a href='{root}/col/col{column}/index.html'>政务公开</a></div>"
        f"<div id='{unit}'><script type='text/xml'><datastore><nextgroup><![CDATA[{nextgroup}]]>"
        f"</nextgroup><recordset>{first}</recordset></datastore></script>"
        f"<script language='javascript' src='{root}/module/web/jpage/jpage.js'></script>"
        f"<script>$('#{unit}').jpage({{perPage:{per_page}, totalRecord:{len(items)},"
        f" proxyUrl:'{proxy}', dataStore:document.getElementById('{unit}')}});</script></div>"
    )
    server.pages[f"{root}/col/col{column}/index.html"] = lambda req: (200, HTML, page)

    def answer(req: Request) -> tuple[int, dict[str, str], bytes]:
        if req.method != "POST" or req.form.get("columnid") != str(column):
            body = "<?xml version='1.0' encoding='UTF-8'?><datastore><totalrecord>0</totalrecord>"
            return 200, XML, (body + "<recordset></recordset></datastore>").encode()
        start, end = int(req.query["startrecord"]), int(req.query["endrecord"])
        chunk = "".join(_hanweb_record(root, column, r) for r in items[start - 1 : end])
        body = (
            "<?xml version='1.0' encoding='UTF-8'?><datastore>"
            f"<totalrecord>{len(items)}</totalrecord><totalpage>{-(-len(items) // per_page)}"
            f"</totalpage><recordset>{chunk}</recordset></datastore>"
        )
        return 200, XML, body.encode()

    server.pages[proxy] = answer
    for r in items:
        art = f"{root}/art/{r.day.year}/{r.day.month}/{r.day.day}/art_{column}_{r.number}.html"
        link = f"{root}/module/download/downfile.jsp?classid=0&filename={r.number}.pdf"
        page_of = _article(r.title, link)
        server.pages[art] = lambda req, p=page_of: (200, HTML, p)
    server.pages[f"{root}/module/download/downfile.jsp"] = _pdf
    return f"{root}/col/col{column}/index.html"


def gkmlpt_catalogue(
    server: FaultServer,
    root: str,
    column: int,
    items: list[Report],
    sid: str = "755001",
    per_page: int = 3,
) -> str:
    """`root/gkmlpt/index#<column>`: a page whose `window._CONFIG` names the site, and
    `root/gkmlpt/api/all/<column>?page=N&sid=<sid>` giving the records as JSON (`total`,
    `articles` with `url`, `title`, `created_at` or epoch `first_publish_time`). Articles
    `root/gkmlpt/content/1/<n>/post_<n>.html` link `root/attachment/0/1/<n>/<n>.pdf`."""
    tree = json.dumps([{"id": column, "name": "政府工作报告"}], ensure_ascii=False)
    page = _page_html(
        "<div id='app'></div><script src='/gkmlpt/gkml/pc/js/chunk-common.js'></script>",
        f"<script>window._CONFIG = {{SID: '{sid}', TREE: {tree}, SERVICE_AREA_ID: 1}};</script>",
    )
    server.pages[f"{root}/gkmlpt/index"] = lambda req: (200, HTML, page)
    host = server.url

    def article_json(i: int, r: Report) -> dict[str, object]:
        url = f"{host}{root}/gkmlpt/content/1/{r.number}/post_{r.number}.html"
        out: dict[str, object] = {"id": r.number, "title": r.title, "url": url}
        noon = datetime(r.day.year, r.day.month, r.day.day, 4)  # 12:00 in Beijing
        if i % 2:
            out["first_publish_time"] = int((noon - datetime(1970, 1, 1)).total_seconds())
        else:
            out["created_at"] = f"{r.day:%Y-%m-%d} 12:00:00"
        return out

    def answer(req: Request) -> tuple[int, dict[str, str], bytes]:
        if req.query.get("sid") != sid:
            return 404, JSON, b'{"error": "not found"}'
        page_no = int(req.query.get("page", "1"))
        chunk = items[(page_no - 1) * per_page : page_no * per_page]
        data = {
            "total": len(items),
            "articles": [
                article_json((page_no - 1) * per_page + i, r) for i, r in enumerate(chunk)
            ],
        }
        return 200, JSON, json.dumps(data, ensure_ascii=False).encode()

    server.pages[f"{root}/gkmlpt/api/all/{column}"] = answer
    for r in items:
        link = f"{root}/attachment/0/1/{r.number}/{r.number}.pdf"
        page_of = _article(r.title, link)
        server.pages[f"{root}/gkmlpt/content/1/{r.number}/post_{r.number}.html"] = (
            lambda req, p=page_of: (200, HTML, p)
        )
        server.pages[link] = _pdf
    return f"{root}/gkmlpt/index#{column}"


def query_catalogue(server: FaultServer, root: str, items: list[Report], per_page: int = 3) -> str:
    """`root/xxgk/iList.jsp?cat_id=12` (pageIndex=N for page N, past the last page the last
    page again, `共 N 页` shown); articles `root/xxgk/iDetail.jsp?id=<n>` link
    `root/xxgk/download.jsp?file=<n>.pdf`."""
    pages = max(1, -(-len(items) // per_page))

    def answer(req: Request) -> tuple[int, dict[str, str], bytes]:
        n = min(max(int(req.query.get("pageIndex", "1") or 1), 1), pages)
        chunk = items[(n - 1) * per_page : n * per_page]
        rows = "".join(
            f"<tr><td><a href='iDetail.jsp?id={r.number}'>{r.title}</a></td>"
            f"<td>{r.day:%Y-%m-%d}</td></tr>"
            for r in chunk
        )
        pager = (
            f"<div class='pager'>共 {pages} 页 <a href='iList.jsp?cat_id=12&pageIndex=1'>首页</a>"
            f"<a href='iList.jsp?cat_id=12&pageIndex={min(n + 1, pages)}'>下一页</a></div>"
        )
        return 200, HTML, _page_html(f"<table>{rows}</table>{pager}")

    def detail(req: Request) -> tuple[int, dict[str, str], bytes]:
        found = [r for r in items if str(r.number) == req.query.get("id")]
        if not found:
            return 404, HTML, b"not found"
        return 200, HTML, _article(found[0].title, f"download.jsp?file={found[0].number}.pdf")

    server.pages[f"{root}/xxgk/iList.jsp"] = answer
    server.pages[f"{root}/xxgk/iDetail.jsp"] = detail
    server.pages[f"{root}/xxgk/download.jsp"] = _pdf
    return f"{root}/xxgk/iList.jsp?cat_id=12"


def static_list(
    server: FaultServer, root: str, items: list[Report], per_page: int = 4, first: str = ""
) -> str:
    """`root/list.html` then `root/list2.html` … linked by 下一页; articles
    `root/a/<YYYY-MM-DD>/<n>.html` link `root/files/<n>.pdf`."""
    pages = max(1, -(-len(items) // per_page))
    for n in range(pages):
        chunk = items[n * per_page : (n + 1) * per_page]
        rows = "".join(
            f"<p><a href='{root}/a/{r.day:%Y-%m-%d}/{r.number}.html'>{r.title}</a> "
            f"{r.day:%Y-%m-%d}</p>"
            for r in chunk
        )
        more = f"<a href='{root}/list{n + 2}.html'>下一页</a>" if n + 1 < pages else ""
        body = _page_html(f"<div class='list'>{rows}</div>{more}")
        name = (first or f"{root}/list.html") if n == 0 else f"{root}/list{n + 1}.html"
        server.pages[name] = lambda req, b=body: (200, HTML, b)
    for r in items:
        page_of = _article(r.title, f"{root}/files/{r.number}.pdf")
        server.pages[f"{root}/a/{r.day:%Y-%m-%d}/{r.number}.html"] = lambda req, p=page_of: (
            200,
            HTML,
            p,
        )
        server.pages[f"{root}/files/{r.number}.pdf"] = _pdf
    return first or f"{root}/list.html"


def replica_of(server: FaultServer, family: str, url: str, root: str) -> str:
    """A replica of `family` answering `url`'s path (and query, fragment) under `root`: the
    local address to start from. A page of an unknown family is served as a plain list."""
    parts = urlsplit(url)
    path, items = parts.path or "/", reports(5)
    folder = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    if family == "hanweb":
        column = re.search(r"^(.*)/col/col(\d+)/", path)
        assert column is not None, f"a Hanweb column address without /col/colN/: {url}"
        return hanweb_column(server, root + column.group(1), int(column.group(2)), items)
    if family == "gkmlpt":
        column = int(parts.fragment) if parts.fragment.isdigit() else 0
        return gkmlpt_catalogue(server, root + path.split("/gkmlpt/")[0], column, items)
    if family == "query":
        return query_catalogue(server, root, items)
    first = root + path + (f"?{parts.query}" if parts.query else "")
    if family == "trs":
        return trs_column(server, root + folder.rstrip("/"), items, first=root + path)
    return (
        static_list(server, root + folder.rstrip("/"), items, first=root + path)
        + (first[len(root + path) :])
    )
