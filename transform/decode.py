"""Bytes -> str. Order of evidence: BOM, declared charset (HTTP, then <meta>), the source's
configured encoding, UTF-16 without BOM, UTF-8, GB18030, then detection (charset-normalizer).

A declaration is evidence, not truth: a decoding is kept only when the text it gives is
plausible (made of Han, ASCII and CJK punctuation, no replacement characters). GBK bytes
served as `charset=iso-8859-1` decode without error into Latin-1 mojibake (`¶¡ÏØ2024Äê`);
that text is implausible, so the next candidate is tried. `decode_bytes` never raises; it
says how plausible its best text is, and readers refuse text that is not.

GB2312 and GBK are decoded as GB18030, their superset, so that characters outside
GB2312 that real servers send anyway are not lost.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

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


# characters report text is made of: Han, ASCII, punctuation (CJK, full-width, general), the
# symbols of figures (°, ×, ≥, ①, Ⅱ, ℃, ㎡, ■) and Latin letters with accents (pinyin)
_OUTSIDE = re.compile(
    "[^\u4e00-\u9fff\u3400-\u4dbf -~\n\r\t\u3000-\u303f\uff00-\uffef\u2000-\u206f"
    "\u00a0-\u02ff\u2100-\u27bf\u3200-\u33ff\ufe30-\ufe4f]"
)
_LATIN_HIGH = re.compile("[\u0080-\u02ff]")
_C1 = re.compile("[\u0080-\u009f]")
_HAN_RUN = re.compile("[\u4e00-\u9fff]+")  # counted by runs: a match per character is slow
# both in one scan: a character outside, or a Latin letter beyond ASCII (few in report text):
# what _OUTSIDE does not allow, or allows as \u00a0-\u02ff
_OUTSIDE_OR_LATIN = re.compile(_OUTSIDE.pattern.replace("\u00a0-\u02ff", "") + "+")  # in runs
PLAUSIBLE = 0.9  # share of such characters a decoding must reach to be taken at its word
SAMPLE_CHARS = 20_000  # plausibility is judged on the start of the text (linear, bounded)


def _plausible(text: str) -> float:
    """Share of the text's start made of characters Chinese report text is made of. Accented
    Latin letters count only where Han characters outnumber them (pinyin in a report): Latin-1
    mojibake of GBK or UTF-8 bytes (`¶¡ÏØ2024Äê`) is made of them and has no Han at all."""
    sample = text[:SAMPLE_CHARS]
    if not sample:
        return 0.0
    odd = "".join(_OUTSIDE_OR_LATIN.findall(sample))
    latin = len(_LATIN_HIGH.findall(odd)) if odd else 0
    bad = len(odd) - latin + (len(_C1.findall(odd)) if latin else 0)  # C1 controls: outside too
    if latin and not _han_at_least(sample, latin):
        bad += latin
    return 1.0 - bad / len(sample)


def _han_at_least(text: str, n: int) -> bool:
    """Whether `text` holds `n` Han characters or more (counted until there are enough)."""
    for run in _HAN_RUN.finditer(text):
        n -= run.end() - run.start()
        if n <= 0:
            return True
    return False


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


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    plausibility: float  # share of the text's start made of plausible characters (0..1)


def _detected(data: bytes) -> str | None:
    """charset-normalizer's guess, for bytes no declared or usual encoding reads plausibly."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return _canonical(best.encoding) if best is not None else None


def decode(data: bytes, content_type: str | None = None, hint: str | None = None) -> Decoded:
    """The most credible decoding of `data`: the first candidate (see the module's order) that
    decodes without error into plausible text, else the most plausible one. `hint` is the
    source's configured encoding. Never raises: undecodable bytes become U+FFFD."""
    bom = _bom(data)
    if bom:
        enc, skip = bom
        text = data[skip:].decode(enc, "replace")
        return Decoded(text, enc, _plausible(text))
    candidates = [
        charset_from_content_type(content_type),
        sniff_declared_charset(data),
        _canonical(hint),
        _looks_utf16(data),
        "utf-8",
        "gb18030",
    ]
    tried: list[Decoded] = []
    for enc in dict.fromkeys(c for c in candidates if c):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        decoded = Decoded(text, enc, _plausible(text))
        if decoded.plausibility >= PLAUSIBLE:
            return decoded
        tried.append(decoded)
    detected = _detected(data) if data else None
    if detected and detected not in {d.encoding for d in tried}:
        text = data.decode(detected, "replace")
        tried.append(Decoded(text, detected, _plausible(text)))
    # Mixed or broken bytes: also the decodings that lose the least (those not read already)
    for enc in ("utf-8", "gb18030"):
        if any(d.encoding == enc for d in tried):
            continue
        text = data.decode(enc, "replace")
        tried.append(Decoded(text, enc, _plausible(text)))
    return max(tried, key=lambda d: d.plausibility)


def decode_bytes(
    data: bytes, content_type: str | None = None, hint: str | None = None
) -> tuple[str, str]:
    """(text, encoding used) of `decode` (see there)."""
    decoded = decode(data, content_type, hint)
    return decoded.text, decoded.encoding
