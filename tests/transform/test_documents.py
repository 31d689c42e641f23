"""Reading every supported form of a report into normalised text and metadata."""

import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.docxgen import docx_bytes
from tests.pdfgen import pdf_bytes
from transform.documents import UnreadableDocument, read_document
from transform.facts import extract_facts

LINES = [
    "某市2024年政府工作报告",
    "一、2023年工作回顾",
    "全市地区生产总值达到1.2万亿元，增长6.5%。",
]
EXPECTED = {("gdp", "level", 1.2e12, 2023), ("gdp", "growth_pct", 6.5, 2023)}


def facts(doc):
    return {(f.indicator, f.measure, f.value, f.year) for f in extract_facts(doc)}


@pytest.mark.parametrize(
    "form", ["pdf", "docx", "utf8", "utf8-bom", "gbk", "gb18030", "utf16", "crlf", "html"]
)
def test_every_form_reads_the_same(form):
    text = "\n".join(LINES)
    data = {
        "pdf": lambda: pdf_bytes(LINES),
        "docx": lambda: docx_bytes(text),
        "utf8": lambda: text.encode(),
        "utf8-bom": lambda: b"\xef\xbb\xbf" + text.encode(),
        "gbk": lambda: text.encode("gbk"),
        "gb18030": lambda: text.encode("gb18030"),
        "utf16": lambda: text.encode("utf-16"),
        "crlf": lambda: text.replace("\n", "\r\n").encode(),
        "html": lambda: (
            "<html><head><meta charset=gb2312><title>某市2024年政府工作报告</title></head><body>"
            + "".join(f"<p>{x}</p>" for x in LINES)
            + "</body></html>"
        ).encode("gbk"),
    }[form]()
    doc = read_document(data)
    assert doc.title == "某市2024年政府工作报告" and doc.report_year == 2024
    assert doc.report_type == "government_work_report"
    assert facts(doc) == EXPECTED


def test_unsupported_and_broken_files_raise_clear_errors():
    with pytest.raises(UnreadableDocument, match="legacy .doc/.wps"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(UnreadableDocument, match="broken PDF"):
        read_document(b"%PDF-1.4\n garbage without objects")
    with pytest.raises(UnreadableDocument, match="not a .docx"):
        read_document(b"PK\x03\x04 not really a zip")


def test_docx_entities_are_never_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", bomb)
    # the entity stays unexpanded: the document has no text and is refused as empty
    with pytest.raises(UnreadableDocument, match="empty .docx"):
        read_document(buf.getvalue())


def test_garbage_never_crashes_and_never_invents_facts():
    rng = random.Random(1)
    noise = bytes(rng.getrandbits(8) for _ in range(200_000))
    big = ("的" * 1000 + "\n") * 1700  # ~5 MB of text with no numbers
    mixed = "地区生产总值".encode() + "增长".encode("gbk") + b"\xff\xfe" + "8%".encode("utf-16-le")
    for data in (
        noise,
        big.encode(),
        mixed,
        b"%PDF",
        b"PK\x03\x04",
        b"<html><body><p>",
        b"\n" * 10000,
    ):
        try:
            doc = read_document(data)
        except UnreadableDocument:
            continue
        assert extract_facts(doc) == []


ALPHABET = "地区生产总值增长下降占比重亿万元%个百分点，。；、和分别力争左右以上以内0123456789. \n（）一二三年预计目标回顾"


@given(st.text(alphabet=ALPHABET, max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_reads_and_offsets_hold(text):
    if not text.strip():
        with pytest.raises(UnreadableDocument):
            read_document(text.encode("utf-8"))
        return
    doc = read_document(text.encode("utf-8"))
    for fact in extract_facts(doc):
        assert doc.text[fact.char_start : fact.char_end] == fact.sentence
        assert fact.value == fact.value  # never NaN
        assert fact.value_high is None or fact.value_high > fact.value


SEEDS = sorted((Path(__file__).parents[2] / "flows" / "demo" / "data").glob("*.txt"))


def hard_wrap(text: str, width: int = 38, page_every: int = 40) -> list[str]:
    """Text as a PDF or a fixed-width copy gives it: lines cut at `width` characters inside
    sentences (and inside numbers), page numbers between pages."""
    out: list[str] = []
    for para in text.split("\n"):
        for i in range(0, max(1, len(para)), width):
            out.append(para[i : i + width])
            if len(out) % page_every == 0:
                out.append(f"- {len(out) // page_every} -")
    return out


def fact_keys(doc):
    return {
        (f.indicator, f.measure, f.value, f.value_high, f.qualifier, f.kind, f.year)
        for f in extract_facts(doc)
    }


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_hard_wrapped_text_reads_like_its_paragraphs(seed):
    text = seed.read_text("utf-8")
    plain = read_document(text.encode(), name="r.txt")
    wrapped = read_document("\n".join(hard_wrap(text)).encode(), name="r.txt")
    assert fact_keys(wrapped) == fact_keys(plain) != set()
    assert (wrapped.title, wrapped.report_year) == (plain.title, plain.report_year)


def test_pdf_lines_wrapped_inside_sentences_and_numbers():
    paragraph = (
        "一、2023年工作回顾\n过去一年，全市地区生产总值达到1234.5亿元，按可比价格计算增长6.5%；"
        "规模以上工业增加值增长8.1%，固定资产投资增长10.2%，社会消费品零售总额达到512.3亿元、增长7.7%；"
        "一般公共预算收入完成85.6亿元，同口径增长9.1%；城镇和农村居民人均可支配收入分别达到"
        "45678元和23456元，分别增长5.1%和7.2%；城镇新增就业1.23万人，城镇登记失业率2.9%。"
    )
    lines = ["某市2024年政府工作报告", *hard_wrap(paragraph, width=23)]
    assert any(line.endswith(("增", "1234.")) for line in lines)  # cuts inside words and numbers
    pdf = read_document(pdf_bytes(lines))
    plain = read_document(("某市2024年政府工作报告\n" + paragraph).encode(), name="r.txt")
    assert len(fact_keys(pdf)) == 14 and fact_keys(pdf) == fact_keys(plain)


def test_an_untitled_texts_first_line_naming_a_report_to_superiors_is_its_title():
    doc = read_document(
        "某开发区2022年总体情况和2023年工作打算汇报\n今年以来，全区经济平稳运行。\n"
        "一是经济稳中向好。预计全年实现地区生产总值85亿元，增长6%。".encode(),
        name="a.txt",
    )
    assert (doc.title, doc.report_type, doc.report_year) == (
        "某开发区2022年总体情况和2023年工作打算汇报",
        "work_summary",
        2022,
    )
    assert {(f.kind, f.year) for f in extract_facts(doc)} == {("estimate", 2022)}
