"""Read one document (bytes of .txt, .html, .pdf or .docx in any common encoding) into a Document."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from transform.decode import decode
from transform.html import HtmlPage, read_html
from transform.metadata import (
    dated_report_year,
    find_region,
    parse_date,
    report_type,
)
from transform.model import Document
from transform.text import CELL_SEP, normalise_text

MAX_DOCX_XML = 50 * 1024 * 1024  # bytes of word/document.xml, inflated
MAX_PDF_PAGES = 2_000
MAX_TEXT_CHARS = 5_000_000  # a report is tens of thousands; more is no report
MIN_PLAUSIBLE = 0.85  # a text whose best decoding is less plausible than this is refused


class UnreadableDocument(ValueError):
    """The bytes are not a document this reader understands."""


def sniff_format(data: bytes, content_type: str | None = None, name: str = "") -> str:
    head = data[:1024].lstrip()
    ctype = (content_type or "").lower()
    lname = name.lower()
    if head.startswith(b"%PDF") or "pdf" in ctype:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .doc / .wps
    if (
        "html" in ctype
        or lname.endswith((".htm", ".html", ".shtml"))
        or re.search(rb"<(?:!doctype|html|head|body|meta|div|p)\b", head.lower())
    ):
        return "html"
    return "text"


def _reason(exc: BaseException) -> str:
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}"[:300]


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, at most MAX_PDF_PAGES pages and MAX_TEXT_CHARS characters.
    Any failure of the parser on hostile bytes (pypdf raises a dozen kinds, its decompression
    limits included) is an UnreadableDocument with the parser's reason."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files are reported, not logged
    try:
        reader = PdfReader(io.BytesIO(data))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableDocument(f"PDF has {len(reader.pages)} pages (limit {MAX_PDF_PAGES})")
        parts, size = [], 0
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            size += len(parts[-1])
            if size > MAX_TEXT_CHARS:
                raise UnreadableDocument(f"PDF text over {MAX_TEXT_CHARS} characters")
        return "\n".join(parts)
    except UnreadableDocument:
        raise
    except Exception as exc:  # a third-party parser on hostile bytes: any error is the file's
        raise UnreadableDocument(f"broken PDF: {_reason(exc)}") from exc


def docx_text(data: bytes) -> str:
    """Paragraph text of a .docx; entities are never resolved, sizes are capped."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
            if info.file_size > MAX_DOCX_XML:
                raise UnreadableDocument("docx body too large")
            # the directory's size may lie (a zip bomb): inflate at most the limit, then stop
            with zf.open(info) as member:
                xml = member.read(MAX_DOCX_XML + 1)
            if len(xml) > MAX_DOCX_XML:
                raise UnreadableDocument(
                    f"docx body inflates past {MAX_DOCX_XML} bytes (its zip directory says "
                    f"{info.file_size})"
                )
    except UnreadableDocument:
        raise
    except (KeyError, zipfile.BadZipFile) as exc:
        raise UnreadableDocument(f"not a .docx file: {exc}") from exc
    except Exception as exc:  # zipfile and zlib on hostile bytes (BadZipFile, zlib.error, ...)
        raise UnreadableDocument(f"broken .docx: {_reason(exc)}") from exc
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocument(f"broken .docx XML: {exc}") from exc
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def text_of(el: etree._Element) -> str:
        return "".join(t.text or "" for t in el.iter(f"{ns}t"))

    lines = []
    body = root.find(f"{ns}body")
    for block in body if body is not None else root.iter(f"{ns}p"):
        if block.tag == f"{ns}tbl":
            # a table row is one line, its cells apart as the HTML reader writes them
            for row in block.iter(f"{ns}tr"):
                lines.append(CELL_SEP.join(text_of(c).strip() for c in row.iter(f"{ns}tc")))
        elif block.tag == f"{ns}p":
            lines.append(text_of(block))
    return "\n".join(lines)


def _format_text(
    data: bytes, fmt: str, content_type: str | None, base_url: str, encoding: str | None
) -> tuple[str, HtmlPage | None]:
    """The raw text of `data` in its format, and the HTML page it came from (for HTML)."""
    if fmt == "pdf":
        return pdf_text(data), None
    if fmt == "docx":
        return docx_text(data), None
    if fmt == "ole":
        raise UnreadableDocument("legacy .doc/.wps (OLE) documents are not supported")
    found = decode(data, content_type, encoding)
    if found.plausibility < MIN_PLAUSIBLE and data.strip():
        raise UnreadableDocument(
            f"text does not decode plausibly in any encoding (best: {found.encoding}, "
            f"{found.plausibility:.0%} readable); a wrong or missing charset?"
        )
    if fmt != "html":
        return found.text, None
    try:
        page = read_html(found.text, base_url)
    except Exception as exc:  # lxml and our walk on hostile markup (RecursionError, ...)
        raise UnreadableDocument(f"unreadable HTML: {_reason(exc)}") from exc
    return page.text, page


def read_document(
    data: bytes,
    *,
    name: str = "",
    content_type: str | None = None,
    base_url: str = "",
    fallback_region: str | None = None,
    fallback_title: str | None = None,
    fallback_date: str | None = None,
    known: Document | None = None,
    encoding: str | None = None,
) -> Document:
    """Decode, strip chrome and read metadata. Raises UnreadableDocument for bytes that are no
    readable document: unsupported or broken formats, a file with no text (an image-only PDF),
    text that no encoding reads plausibly, a page nested past any parser's depth.

    `known` is the page an attachment was linked from: its title, date and publisher win.
    `encoding` is the source's configured encoding, tried after the declared ones."""
    fmt = sniff_format(data, content_type, name)
    raw_text, page = _format_text(data, fmt, content_type, base_url, encoding)
    meta, info = (page.meta, page.info) if page else ({}, {})
    attachments, pages = (page.attachments, page.continuation) if page else ((), ())
    title = page.title if page else None
    if "\x00" in raw_text:
        raw_text = raw_text.replace("\x00", "")
    if len(raw_text) > MAX_TEXT_CHARS:
        raise UnreadableDocument(f"text over {MAX_TEXT_CHARS} characters: no single report")
    text = normalise_text(raw_text)
    if not text.strip() and not attachments and not pages:
        what = {"pdf": "no text layer (an image-only PDF?)", "docx": "an empty .docx"}
        raise UnreadableDocument(what.get(fmt, "no text: the page or file is empty"))
    first_line = next(
        (
            ln
            for ln in text.split("\n")[:20]
            if re.search(r"报告|汇报|要点|总结|计划|思路|打算", ln)
            and len(ln) <= 50
            and not re.search(r"[，,。；]", ln)
        ),
        None,
    )
    if known is not None:
        meta = {
            "ArticleTitle": known.title or "",
            "ContentSource": known.publisher or "",
            "PubDate": known.publish_date.isoformat() if known.publish_date else "",
        }
    title = (
        meta.get("ArticleTitle")
        or info.get("标题")
        or info.get("名称")
        or title
        or first_line
        or fallback_title
    )
    if title:
        title = normalise_text(title)
    published = (
        parse_date(meta.get("PubDate"))
        or parse_date(info.get("发布日期"))
        or parse_date(_labelled_date(text))
        or parse_date(fallback_date)
    )
    publisher = (
        meta.get("ContentSource")
        or info.get("发布机构")
        or info.get("发文机关")
        or publisher_in_text(text)
    )
    kind = report_type(title, text)
    year, year_basis, year_cue = dated_report_year(title, text, kind, published)
    region = find_region(title, publisher, text, fallback_region)
    return Document(
        text=text,
        title=title,
        publish_date=published,
        publisher=publisher,
        report_type=kind,
        report_year=year,
        region=region,
        attachments=attachments,
        pages=pages,
        report_year_basis=year_basis,
        report_year_cue=year_cue,
    )


_PUBLISHER = re.compile(
    r"(?:^|\n)([\u4e00-\u9fff]{2,16}?(?:人民政府|管理委员会|管委会))(?:办公室)?\s*\n"
)


def publisher_in_text(text: str) -> str | None:
    """An issuing body standing alone on a line near the top or the end (a signature line)."""
    for part in (text[:600], text[-400:]):
        m = _PUBLISHER.search(part)
        if m:
            return m.group(1)
    return None


def _labelled_date(text: str) -> str | None:
    """发布日期:2014-01-24 near the top, else a date alone on a line (a signature) near either end."""
    m = re.search(
        r"(?:发布日期|发布时间|时间|日期)\s*[:：]\s*(\d{4}[-./年]\d{1,2}[-./月]\d{1,2})", text[:600]
    )
    if m:
        return m.group(1)
    for part in (text[:600], text[-400:]):
        m = re.search(r"(?:^|\n)((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)[ \t]*(?:\n|$)", part)
        if m:
            return m.group(1)
    # a news page's byline: `编辑：某某2018-01-24 16:20 来源：…` (a full date with its time)
    m = re.search(r"((?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{2})/?\s*\d{1,2}:\d{2}", text[:300])
    return m.group(1) if m else None
