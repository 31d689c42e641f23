"""Files built to break the readers (transform/documents.py, transform/decode.py): each is a
clear UnreadableDocument at a bounded cost, or read right, never a crash and never an ok
document with nothing in it."""

from __future__ import annotations

import contextlib
import io
import random
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.docxgen import corrupt_docx, docx_bytes
from tests.pdfgen import pdf_bytes, pdf_file
from transform.decode import decode
from transform.documents import MAX_DOCX_XML, UnreadableDocument, read_document
from transform.facts import extract_facts

REPORT = (
    "某县2024年政府工作报告\n一、2023年工作回顾\n全县地区生产总值增长6%，一般公共预算收入增长5%。"
)


def pdf_with_stream(raw: bytes) -> bytes:
    """A one-page PDF whose content stream is `raw`, deflated."""
    comp = zlib.compress(raw, 9)
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream",
        ]
    )


def bounded(data: bytes, seconds: float = 5.0, megabytes: float = 200.0) -> str:
    """The reader's refusal of `data`, checked to come within a time and memory budget."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(UnreadableDocument) as refused:
            read_document(data)
    finally:
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    assert time.perf_counter() - start < seconds and peak < megabytes, (peak, refused.value)
    return str(refused.value)


def test_a_docx_whose_deflate_stream_is_corrupt_is_refused_with_its_reason():
    broken = corrupt_docx(docx_bytes(REPORT * 50))
    assert "broken .docx" in bounded(broken)  # zlib.error before: a crashed batch


def test_a_zip_bomb_whose_directory_lies_about_its_size_inflates_no_further_than_the_cap():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w:document>" + b" " * (MAX_DOCX_XML + 10_000_000))
    data = bytearray(buf.getvalue())
    # rewrite the sizes in the local header and the central directory: 1,000 bytes, it says
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, 1000)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1000)
    reason = bounded(bytes(data), megabytes=MAX_DOCX_XML / 1e6 * 2.5)
    assert "docx" in reason


def test_a_docx_that_inflates_past_the_cap_is_refused_before_parsing():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b" " * (MAX_DOCX_XML + 1))
    assert "too large" in bounded(buf.getvalue(), megabytes=MAX_DOCX_XML / 1e6 * 2.5)


def test_an_image_only_pdf_is_no_document_and_a_pdf_bomb_costs_little():
    assert "no text layer" in bounded(pdf_with_stream(b"q 100 0 0 100 0 0 cm /Im1 Do Q"))
    bounded(pdf_with_stream(b" " * 300_000_000))  # 300 MB of spaces, deflated to 300 KB
    assert read_document(pdf_bytes(REPORT.split("\n"))).text.startswith("某县")


def test_html_nested_past_the_parsers_depth_is_read_not_emptied():
    deep = "<div>" * 400 + "<p>" + REPORT.replace("\n", "</p><p>") + "</p>" + "</div>" * 400
    doc = read_document(f"<html><body>{deep}</body></html>".encode(), content_type="text/html")
    assert "地区生产总值增长6%" in doc.text
    assert {(f.indicator, f.value) for f in extract_facts(doc)} >= {("gdp", 6.0)}


def test_a_lying_charset_is_not_believed():
    page = f"<html><body><p>{REPORT}</p></body></html>".encode("gbk")
    for declared in ("text/html; charset=iso-8859-1", "text/html; charset=utf-8"):
        doc = read_document(page, content_type=declared)
        assert "地区生产总值增长6%" in doc.text, declared
    # no declaration at all, the source's configured encoding read first
    assert decode(REPORT.encode("big5", "replace"), None, "big5").encoding == "big5"


def test_text_no_encoding_reads_plausibly_is_refused_not_loaded_empty():
    assert "does not decode plausibly" in bounded(bytes(range(256)) * 100)
    assert "does not decode plausibly" in bounded(random.Random(3).randbytes(50_000))


FORMAT_HEADS = st.sampled_from(
    [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xd0\xcf\x11\xe0"]
)


@given(head=FORMAT_HEADS, body=st.binary(max_size=4000))
@settings(max_examples=400, deadline=None)
def test_fuzzed_bytes_raise_only_our_own_error(head, body):
    with contextlib.suppress(UnreadableDocument):
        extract_facts(read_document(head + body))  # and whatever reads, extracts without error


@given(body=st.binary(min_size=30, max_size=3000))
@settings(max_examples=150, deadline=None)
def test_fuzzed_zip_members_raise_only_our_own_error(body):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", body)
    data = bytearray(buf.getvalue())
    data[40 : 40 + min(len(body), 20)] = body[:20]  # damage the compressed bytes
    with contextlib.suppress(UnreadableDocument):
        read_document(bytes(data))


RUN_ON = "地区生产总值增长6%，一般公共预算收入增长5%，固定资产投资增长8%，"


def test_a_run_on_paragraph_costs_time_in_proportion_to_its_length():
    def seconds(n: int) -> float:
        doc = read_document(("某县2024年政府工作报告\n" + RUN_ON * n).encode())
        start = time.perf_counter()
        extract_facts(doc)
        return time.perf_counter() - start

    small, large = seconds(400), seconds(3200)  # 14k and 112k characters, no sentence end
    # quadratic work made 8x the text cost 64x (88k characters took 91 s); linear costs ~8x
    assert large < small * 20 and large < 10, (small, large)


def test_extraction_over_its_time_budget_is_refused():
    from transform.facts import OverBudget

    doc = read_document(("某县2024年政府工作报告\n" + (RUN_ON + "。\n") * 3000).encode())
    with pytest.raises(OverBudget, match="extraction took over"):
        extract_facts(doc, budget_seconds=0.05)


def test_a_document_stating_more_facts_than_any_report_is_flagged_not_loaded():
    from datetime import UTC, datetime

    from transform.assemble import document_load

    doc = read_document(("某县2024年政府工作报告\n" + (RUN_ON + "。\n") * 40).encode())
    at = datetime(2024, 1, 1, tzinfo=UTC)
    assert len(document_load("u", "s", "u", "sha", at, doc).facts) == 120
    with pytest.raises(UnreadableDocument, match="120 facts in one document .limit 100."):
        document_load("u", "s", "u", "sha", at, doc, max_facts=100)
