"""A small .docx writer for tests, built with ElementTree: a paragraph per line, and lines of
cells (`a | b | c`, transform.text.CELL_SEP) as the rows of one Word table."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

from transform.text import CELL_SEP

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _paragraph(parent: ET.Element, text: str) -> None:
    run = ET.SubElement(ET.SubElement(parent, f"{{{W}}}p"), f"{{{W}}}r")
    ET.SubElement(run, f"{{{W}}}t").text = text


def docx_bytes(text: str) -> bytes:
    ET.register_namespace("w", W)
    document = ET.Element(f"{{{W}}}document")
    body = ET.SubElement(document, f"{{{W}}}body")
    table: ET.Element | None = None
    for line in text.split("\n"):
        if CELL_SEP not in line:
            table = None
            _paragraph(body, line)
            continue
        if table is None:
            table = ET.SubElement(body, f"{{{W}}}tbl")
        row = ET.SubElement(table, f"{{{W}}}tr")
        for cell in line.split(CELL_SEP):
            _paragraph(ET.SubElement(row, f"{{{W}}}tc"), cell)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr(
            "word/document.xml", ET.tostring(document, xml_declaration=True, encoding="utf-8")
        )
    return out.getvalue()


def corrupt_docx(docx: bytes) -> bytes:
    """`docx` with 30 bytes of its document's deflate stream flipped (zlib fails on it); the
    member's compressed bytes start after its local header (30 bytes + name + extra)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data = bytearray(docx)
    for i in range(start + 10, start + 40):
        data[i] ^= 0x5A
    return bytes(data)
