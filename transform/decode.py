"""Bytes -> str. Order of evidence: BOM, declared charset (HTTP, then <meta>), UTF-8, GB18030.

GB2312 and GBK are decoded as GB18030, their superset, so that characters outside
GB2312 that real servers send anyway are not lost.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "iso-8859-1": "cp1252",
}


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*([^\s;]+)", content_type, re.I)
    return _canonical(m.group(1)) if m else None


def sniff_declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return _canonical(m.group(1).decode("ascii", "ignore")) if m else None


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return enc, len(bom)
    return None


def _plausible(text: str) -> float:
    """Share of characters that Chinese report text is made of (CJK, ASCII, CJK punctuation)."""
    if not text:
        return 0.0
    good = sum(
        1
        for ch in text
        if (
            "\u4e00" <= ch <= "\u9fff"
            or " " <= ch <= "~"
            or ch in "\n\r\t"
            or "\u3000" <= ch <= "\u303f"
            or "\uff00" <= ch <= "\uffef"
        )
    )
    return good / len(text)


def _looks_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16: the byte order whose decoding reads as text (CJK text has few NULs)."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    if sample.count(0) < len(sample) // 8 and _utf8_ok(sample):
        return None
    best = max(("utf-16-le", "utf-16-be"), key=lambda e: _plausible(sample.decode(e, "replace")))
    score = _plausible(sample.decode(best, "replace"))
    if score > 0.95 and score > _plausible(sample.decode("gb18030", "replace")):
        return best
    return None


def _utf8_ok(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(data) - 4  # only a character cut at the end of the sample
    return True


def decode_bytes(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Never raises: undecodable bytes become U+FFFD."""
    bom = _bom(data)
    if bom:
        enc, skip = bom
        return data[skip:].decode(enc, "replace"), enc
    candidates = [
        charset_from_content_type(content_type),
        sniff_declared_charset(data),
        _looks_utf16(data),
        "utf-8",
        "gb18030",
    ]
    for enc in candidates:
        if not enc:
            continue
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    # Mixed or broken bytes: choose the decoding that loses less.
    best = min(("utf-8", "gb18030"), key=lambda e: data.decode(e, "replace").count("\ufffd"))
    return data.decode(best, "replace"), best
