"""A local government portal for the demo and the tests, built from the sample reports.

Serves, on 127.0.0.1 and a free port, what real 政府信息公开 columns look like: TRS-style
paging (index.html, index_1.html ... announced by createPageHTML), dated list items, detail pages
with the 政府网站 meta tags, an info table and page chrome, pages in GBK/GB2312 declared only in
<meta>, and a report published only as a .docx attachment.
"""

from __future__ import annotations

import html
import io
import re
import threading
import tomllib
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from xml.sax.saxutils import escape

from transform.text import CELL_SEP

PAGE_SIZE = 3
_FILLER_TITLES = (
    "关于公布行政事业性收费目录清单的公告",
    "关于开展安全生产大检查的通知",
    "政务公开第一季度信息发布统计",
    "关于征集民生实事项目建议的公告",
    "关于调整部分公交线路的通告",
)


PAGES = 3  # pages of a report served in the `pages` form


@dataclass(frozen=True)
class DemoDoc:
    id: int
    column: str
    title: str
    date: str  # yyyy-mm-dd
    publisher: str
    text: str
    form: str = "html"  # html | docx | pages (the article split over PAGES pages, TRS style)
    charset: str = "utf-8"
    sample: bool = False  # made-up sample data (the demo's consecutive-year county)

    @property
    def path(self) -> str:
        d = self.date.replace("-", "")
        return f"/xxgk/{self.column}/{d[:6]}/t{d}_{self.id}.html"

    @property
    def attachment_path(self) -> str:
        return f"/xxgk/{self.column}/{self.date.replace('-', '')[:6]}/P0{self.id}.docx"


@dataclass(frozen=True)
class DemoColumn:
    id: str
    name: str
    region: str
    level: str | None = None  # what a catalogue would say of the government (for selection)
    province: str | None = None
    sample: bool = False  # a column of made-up sample reports


def load_demo_corpus() -> tuple[list[DemoColumn], list[DemoDoc]]:
    root = resources.files("flows.demo.data")
    manifest = tomllib.loads(root.joinpath("manifest.toml").read_text("utf-8"))
    columns = [DemoColumn(**c) for c in manifest["column"]]
    docs = []
    for entry in manifest["doc"]:
        entry = dict(entry)
        text = root.joinpath(entry.pop("file")).read_text("utf-8")
        docs.append(DemoDoc(text=text, **entry))
    return columns, docs


def docx_bytes(text: str) -> bytes:
    """A minimal, valid .docx with one paragraph per line; consecutive lines of cells
    (`a | b | c`) become one table, a row per line, as Word holds a table."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def para(line: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'

    blocks: list[str] = []
    rows: list[str] = []
    for line in text.split("\n") + [""]:
        if CELL_SEP in line:
            rows.append(
                "<w:tr>"
                + "".join(f"<w:tc>{para(c)}</w:tc>" for c in line.split(CELL_SEP))
                + "</w:tr>"
            )
            continue
        if rows:
            blocks.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
            rows = []
        blocks.append(para(line))
    paras = "".join(blocks[:-1])  # the sentinel line
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{ns}"><w:body>{paras}</w:body></w:document>'
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, part in (
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", rels),
            ("word/document.xml", document),
        ):  # a fixed timestamp: the same file is the same bytes on every request, as on a real site
            entry = zipfile.ZipInfo(name, date_time=(2018, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(entry, part)
    return buf.getvalue()


def _chrome_top(title: str, charset: str, doc: DemoDoc | None, column: DemoColumn) -> str:
    meta = ""
    if doc is not None:
        meta = (
            f'<meta name="ArticleTitle" content="{html.escape(doc.title)}">\n'
            f'<meta name="PubDate" content="{doc.date} 09:30">\n'
            f'<meta name="ContentSource" content="{html.escape(doc.publisher)}">\n'
            f'<meta name="ColumnName" content="{html.escape(column.name)}">\n'
        )
    return (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; '
        f'charset={charset}">\n{meta}<title>{html.escape(title)}</title>\n'
        f'<script src="/js/common.js"></script></head><body>\n'
        f'<div class="header"><a href="/">网站首页</a> <a href="/xxgk/">政府信息公开</a> '
        f'<a href="/hdjl/">互动交流</a></div>\n'
        f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; '
        f'<a href="/xxgk/{column.id}/index.html">{html.escape(column.name)}</a></div>\n'
    )


_FOOTER = (
    '<div class="footer">主办单位：人民政府办公室 | 网站标识码 4107000001 | '
    '<a href="/sitemap.html">网站地图</a></div>\n</body></html>\n'
)


@dataclass
class DemoSite:
    columns: list[DemoColumn]
    docs: list[DemoDoc] = field(default_factory=list)
    page_size: int = PAGE_SIZE
    requests: list[str] = field(default_factory=list)
    broken_paths: set[str] = field(default_factory=set)  # answered with 500, for fault tests

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._by_id = {d.id: d for d in self.docs}  # generated corpora hold 20,000 reports

    @classmethod
    def from_corpus(
        cls, exclude_ids: tuple[int, ...] = (), made_up: bool = False
    ) -> tuple[DemoSite, list[DemoDoc]]:
        """The demo site with every sample report but `exclude_ids` (returned for later
        publishing); with `made_up`, also the made-up consecutive-year reports (`govreports
        demo` shows targets against results with them; the tests run on the real ones)."""
        columns, docs = load_demo_corpus()
        if not made_up:
            columns = [c for c in columns if not c.sample]
            docs = [d for d in docs if not d.sample]
        held = [d for d in docs if d.id in exclude_ids]
        return cls(columns, [d for d in docs if d.id not in exclude_ids]), held

    # -- serving -----------------------------------------------------------------------------
    def start(self) -> str:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                with site._lock:
                    site.requests.append(self.path)
                status, ctype, body = site.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None, "site not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def revise(self, doc: DemoDoc) -> None:
        """The portal corrects a published report in place (same id, same URL, new content)."""
        with self._lock:
            self.docs[self.docs.index(self._by_id[doc.id])] = doc
            self._by_id[doc.id] = doc

    def publish(self, doc: DemoDoc) -> None:
        with self._lock:
            self.docs.append(doc)
            self._by_id[doc.id] = doc

    def listing_url(self, column: str) -> str:
        return f"{self.url}/xxgk/{column}/index.html"

    def sources_toml(self) -> str:
        out = []
        for c in self.columns:
            out.append(
                f'[[sources]]\nid = "demo-{c.id}"\nname = "{c.name}"\nregion = "{c.region}"\n'
                f'start_urls = ["{self.listing_url(c.id)}"]\nallow_private = true\n'
                f"delay_seconds = 0.0\nmax_pages = 10\n"
                + (f'level = "{c.level}"\n' if c.level else "")
                + (f'province = "{c.province}"\n' if c.province else "")
            )
        return "\n".join(out)

    # -- pages -------------------------------------------------------------------------------
    def _entries(self, column: str) -> list[tuple[str, str, str]]:
        """(date, title, path) of a column, newest first, reports mixed with other notices."""
        with self._lock:
            docs = [d for d in self.docs if d.column == column]
        entries = [(d.date, d.title, d.path) for d in docs]
        for i, title in enumerate(_FILLER_TITLES):
            date = f"201{3 + i}-0{1 + i}-1{i}"
            entries.append(
                (
                    date,
                    title,
                    f"/xxgk/{column}/{date.replace('-', '')[:6]}/t{date.replace('-', '')}_9{i}.html",
                )
            )
        return sorted(entries, reverse=True)

    def respond(self, path: str) -> tuple[int, str, bytes]:
        path = path.split("?")[0]
        if path in self.broken_paths:
            return 500, "text/html", b"<html><body>Internal Server Error</body></html>"
        col = {c.id: c for c in self.columns}
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nDisallow: /admin/\n"
        m = re.fullmatch(r"/xxgk/(\w+)/index(?:_(\d+))?\.html", path)
        if m and m.group(1) in col:
            return self._listing(col[m.group(1)], int(m.group(2) or 0))
        m = re.fullmatch(r"/xxgk/(\w+)/\d{6}/t\d{8}_(\d+)(?:_(\d+))?\.html", path)
        if m and m.group(1) in col:
            if m.group(3):  # a further page of an article served in pages
                return self._detail(col[m.group(1)], int(m.group(2)), int(m.group(3)))
            return self._detail(col[m.group(1)], int(m.group(2)))
        m = re.fullmatch(r"/xxgk/(\w+)/\d{6}/P0(\d+)\.docx", path)
        if m:
            doc = self._doc(int(m.group(2)))
            if doc and doc.form == "docx":
                return (
                    200,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    docx_bytes(doc.text),
                )
        return 404, "text/html", b"<html><body><h1>404</h1></body></html>"

    def _doc(self, doc_id: int) -> DemoDoc | None:
        with self._lock:
            return self._by_id.get(doc_id)

    def _listing(self, column: DemoColumn, page: int) -> tuple[int, str, bytes]:
        entries = self._entries(column.id)
        pages = max(1, -(-len(entries) // self.page_size))
        if page >= pages:
            return 404, "text/html", b"<html><body>404</body></html>"
        rows = entries[page * self.page_size : (page + 1) * self.page_size]
        items = "\n".join(
            f'<li><a href="./{p.split("/", 3)[3]}" target="_blank" title="{html.escape(t)}">'
            f'{html.escape(t[:24])}</a><span class="date">{d}</span></li>'
            for d, t, p in rows
        )
        nxt = f'<a href="index_{page + 1}.html">下一页</a>' if page + 1 < pages else ""
        body = (
            _chrome_top(column.name, "utf-8", None, column)
            + f'<div class="list"><ul>\n{items}\n</ul></div>\n<div class="page">'
            + f'<script>createPageHTML({pages}, {page}, "index", "html");</script>{nxt}</div>\n'
            + _FOOTER
        )
        return 200, "text/html; charset=utf-8", body.encode("utf-8")

    def _detail(self, column: DemoColumn, doc_id: int, page_no: int = 0) -> tuple[int, str, bytes]:
        doc = self._doc(doc_id)
        if page_no and (doc is None or doc.form != "pages" or page_no >= PAGES):
            return 404, "text/html", b"<html><body>404</body></html>"
        if doc is None:
            filler = next((t for i, t in enumerate(_FILLER_TITLES) if 90 + i == doc_id), None)
            if filler is None:
                return 404, "text/html", b"<html><body>404</body></html>"
            doc = DemoDoc(
                doc_id, column.id, filler, "2016-01-01", "人民政府办公室", f"{filler}。详见附件。"
            )
        if doc.form == "docx":
            content = (
                f'<p>{html.escape(doc.title)}</p><p>附件：<a href="{doc.attachment_path.rsplit("/", 1)[1]}">'
                f"{html.escape(doc.title)}.docx</a></p>"
            )
        elif doc.form == "pages":
            lines = [line for line in doc.text.split("\n") if line.strip()]
            size = -(-len(lines) // PAGES)
            stem = doc.path.rsplit("/", 1)[1].removesuffix(".html")
            nxt = f'<a href="{stem}_{page_no + 1}.html">下一页</a>' if page_no + 1 < PAGES else ""
            content = "\n".join(
                f"<p>{html.escape(line)}</p>"
                for line in lines[page_no * size : (page_no + 1) * size]
            ) + (
                f'\n<div class="page"><script>createPageHTML({PAGES}, {page_no}, "{stem}", '
                f'"html");</script>{nxt}</div>'
            )
        else:
            content = "\n".join(
                f"<p>{html.escape(line)}</p>" for line in doc.text.split("\n") if line.strip()
            )
        info = (
            f'<table class="xxgk-info"><tr><td>索引号：</td><td>11410700-{doc.id:06d}</td>'
            f"<td>主题分类：</td><td>综合政务</td></tr><tr><td>发布机构：</td><td>{html.escape(doc.publisher)}</td>"
            f"<td>发布日期：</td><td>{doc.date}</td></tr><tr><td>名称：</td><td>{html.escape(doc.title)}</td>"
            f"<td>文号：</td><td></td></tr></table>"
        )
        page = (
            _chrome_top(doc.title, doc.charset, doc, column)
            + info
            + f'<div class="article"><h1>{html.escape(doc.title)}</h1>'
            + '<div class="tools">【字体：<a>大</a> <a>中</a> <a>小</a>】</div>'
            + f'<div class="TRS_Editor">\n{content}\n</div>'
            + '<div class="print"><a href="javascript:window.print()">打印本页</a> '
            + '<a href="javascript:window.close()">关闭窗口</a></div></div>\n'
            + _FOOTER
        )
        body = page.encode(
            "gb18030" if doc.charset in ("gbk", "gb2312") else doc.charset,
            errors="xmlcharrefreplace",
        )
        # Like many portals: the charset is only in <meta>, not in the HTTP header.
        ctype = "text/html" if doc.charset != "utf-8" else "text/html; charset=utf-8"
        return 200, ctype, body
