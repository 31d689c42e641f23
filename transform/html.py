"""HTML detail pages: main text, 政府网站 meta tags, the 信息公开 info table, attachment links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from transform.paging import continuation_pages
from transform.text import CELL_SEP, han_count

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


# huge_tree lifts libxml2's nesting limit (256 levels): past it, the default parser silently
# drops the page's body. The input is bounded already (the HTTP size cap).
_PARSER = lxml.html.HTMLParser(huge_tree=True)


def parse_html(markup: str) -> lxml.html.HtmlElement | None:
    if not markup.strip():
        return None
    try:
        # lxml refuses str input with an encoding declaration; strip it first.
        markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)
        return lxml.html.document_fromstring(markup, parser=_PARSER)
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


_SPACES = re.compile(r"\s+")


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
        own = sum(han_count(p.text_content()) for p in paragraphs if p.tag == "p")
        own += han_count(el.text or "") + sum(han_count(p.tail or "") for p in el)
        own += sum(han_count(t.text_content()) for t in _data_tables(el))
        links = sum(han_count(a.text_content()) for a in el.iter("a"))
        score = own - 2 * links
        if _CONTENT_HINT.search(attrs):
            score *= 1.5
        if score > best_score:
            best, best_score = el, score
    return best


def _info_table(root: lxml.html.HtmlElement) -> dict[str, str]:
    info: dict[str, str] = {}
    cells = [c for c in root.iter("td", "th", "li", "span", "div", "p") if len(c) <= 3]
    firsts = {label[0] for label in INFO_LABELS}
    for i, cell in enumerate(cells):
        raw = cell.text_content()
        if raw.lstrip()[:1] not in firsts:
            continue  # starts with no label (the first character is all the test needs)
        text = _SPACES.sub(" ", raw).strip()
        for label in INFO_LABELS:
            if label in info or not text.startswith(label):
                continue
            rest = text[len(label) :].lstrip(" :：")
            if not rest and i + 1 < len(cells):
                rest = _SPACES.sub(" ", cells[i + 1].text_content()).strip()
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
