"""HTML detail pages: main text, 政府网站 meta tags, the 信息公开 info table, attachment links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from transform.text import CELL_SEP

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "head",
    "nav",
    "footer",
    "header",
    "iframe",
    "form",
    "select",
    "button",
    "object",
    "embed",
    "svg",
)
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "ul",
    "ol",
    "dd",
    "dt",
    "blockquote",
    "pre",
}
_CONTENT_HINT = re.compile(
    r"TRS_Editor|TRS_UEDITOR|zoom|article|content|detail|txt|text|"
    r"main|zw|view|con\b|body|wenzhang|nr",
    re.I,
)
_CHROME_HINT = re.compile(
    r"nav|menu|crumb|footer|header|share|print|sidebar|side|toolbar|"
    r"copyright|related|links?\b|pager|breadcrumb|location|position",
    re.I,
)
INFO_LABELS = (
    "索引号",
    "发布机构",
    "发文机关",
    "发布日期",
    "成文日期",
    "文号",
    "发文字号",
    "主题分类",
    "信息分类",
    "名称",
    "标题",
    "公开方式",
    "来源",
)
ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|zip|rar|txt)(?:$|\?)", re.I)
_META_NAMES = (
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "ColumnName",
    "SiteName",
    "Keywords",
    "Description",
    "Author",
    "firstpublishedtime",
)


@dataclass(frozen=True)
class HtmlPage:
    title: str | None
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    info: dict[str, str] = field(default_factory=dict)
    attachments: tuple[str, ...] = ()
    continuation: tuple[str, ...] = ()  # the article's further pages (t123_1.html, t123_2.html)


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


def parse_html(markup: str) -> lxml.html.HtmlElement | None:
    if not markup.strip():
        return None
    try:
        # lxml refuses str input with an encoding declaration; strip it first.
        markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)
        return lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None


def block_text(el: lxml.html.HtmlElement) -> str:
    """Text of an element with a line break at every block boundary."""
    parts: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _DROP_TAGS:
            if node.tail:
                parts.append(node.tail)
            return
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if tag in ("td", "th"):
            # cells apart with a bar: a space would let `6.2` and `6` be read as one number
            prev = node.getprevious()
            parts.append(CELL_SEP if prev is not None and prev.tag in ("td", "th") else " ")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(el)
    return "".join(parts)


def _han_len(s: str) -> int:
    return sum(1 for ch in s if "\u4e00" <= ch <= "\u9fff")


def _data_tables(el: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Tables of figures directly in `el` (a table of targets), not layout tables: no table
    inside, at least two rows, no cell holding a paragraph of text."""
    found = []
    for t in el:
        if not isinstance(t.tag, str) or t.tag != "table" or t.find(".//table") is not None:
            continue
        rows = t.findall(".//tr")
        cells = [c.text_content().strip() for c in t.iter("td", "th")]
        if len(rows) >= 2 and cells and max(len(c) for c in cells) <= 60:
            found.append(t)
    return found


def _main_element(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element holding the article: a content-hinted block, else the densest one."""
    body = root.find("body")
    body = body if body is not None else root
    best, best_score = body, -1.0
    for el in body.iter("div", "td", "article", "section", "span"):
        attrs = f"{el.get('id', '')} {el.get('class', '')}"
        if _CHROME_HINT.search(attrs) and not _CONTENT_HINT.search(attrs):
            continue
        paragraphs = [
            p for p in el if isinstance(p.tag, str) and p.tag in ("p", "br", "div", "span")
        ]
        own = sum(_han_len(p.text_content()) for p in paragraphs if p.tag == "p")
        own += _han_len(el.text or "") + sum(_han_len(p.tail or "") for p in el)
        own += sum(_han_len(t.text_content()) for t in _data_tables(el))
        links = sum(_han_len(a.text_content()) for a in el.iter("a"))
        score = own - 2 * links
        if _CONTENT_HINT.search(attrs):
            score *= 1.5
        if score > best_score:
            best, best_score = el, score
    return best


def _info_table(root: lxml.html.HtmlElement) -> dict[str, str]:
    info: dict[str, str] = {}
    cells = [c for c in root.iter("td", "th", "li", "span", "div", "p") if len(c) <= 3]
    for i, cell in enumerate(cells):
        text = re.sub(r"\s+", " ", cell.text_content()).strip()
        for label in INFO_LABELS:
            if label in info or not text.startswith(label):
                continue
            rest = text[len(label) :].lstrip(" :：")
            if not rest and i + 1 < len(cells):
                rest = re.sub(r"\s+", " ", cells[i + 1].text_content()).strip()
            if rest and len(rest) < 120:
                info[label] = rest
    return info


def read_html(markup: str, base_url: str = "") -> HtmlPage:
    root = parse_html(markup)
    if root is None:
        return HtmlPage(title=None, text="")
    meta = {}
    for m in root.iter("meta"):
        name = (m.get("name") or m.get("property") or "").strip()
        for known in _META_NAMES:
            if name.lower() == known.lower() and m.get("content"):
                meta[known] = m.get("content").strip()
    title_el = root.find(".//title")
    title = meta.get("ArticleTitle") or (
        title_el.text_content().strip() if title_el is not None else None
    )
    info = _info_table(root)
    attachments = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if (
            href
            and ATTACHMENT_EXT.search(href)
            and not href.lower().startswith(("javascript:", "mailto:"))
        ):
            url = urljoin(base_url, href)
            if url not in attachments:
                attachments.append(url)
    continuation = continuation_pages(root, base_url)
    for tag in _DROP_TAGS:
        for el in list(root.iter(tag)):
            el.drop_tree()
    main = _main_element(root)
    return HtmlPage(
        title=title or None,
        text=block_text(main),
        meta=meta,
        info=info,
        attachments=tuple(attachments),
        continuation=continuation,
    )
