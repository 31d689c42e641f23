"""A report's parts read into one Document, and that Document with its facts ready to load
(transform/assemble.py): pure functions over bytes the crawl kept."""

from datetime import UTC, datetime

import pytest

from tests.docxgen import docx_bytes
from transform.assemble import (
    JOINED_PAGES,
    document_load,
    is_thin,
    join_pages,
    longest_text,
    read_page,
)
from transform.documents import UnreadableDocument
from transform.model import Part

PAGE = (
    "<html><head><meta name='ArticleTitle' content='某县2024年政府工作报告'>"
    "<meta name='PubDate' content='2024-01-20'></head><body><div class='TRS_Editor'>"
    "<p>一、2023年工作回顾</p><p>全县地区生产总值增长6%。</p>"
    "<a href='./P1.docx'>全文</a></div></body></html>"
).encode()
URL = "http://gov.example.cn/xxgk/202401/t20240120_1.html"


def test_a_thin_page_is_read_from_its_longest_attachment():
    page = read_page(PAGE, URL, "text/html", "某县", "列表标题", "2024-01-21")
    assert page.title == "某县2024年政府工作报告" and is_thin(page)
    assert page.attachments == ("http://gov.example.cn/xxgk/202401/P1.docx",)
    short = Part("http://a/P0.docx", docx_bytes("某县2024年政府工作报告"), None, "s0")
    full_text = "一、2023年工作回顾\n全县地区生产总值增长6%，一般公共预算收入增长5%。\n" * 30
    full = Part("http://a/P1.docx", docx_bytes(full_text), None, "s1")
    doc, chosen = longest_text(page, [short, full], "某县")
    assert chosen is full and "一般公共预算收入增长5%" in doc.text
    # the page's title, date and attachment list stay with the report
    assert doc.title == page.title and doc.publish_date == page.publish_date
    assert doc.attachments == page.attachments
    assert longest_text(page, [], "某县") == (page, None)
    with pytest.raises(UnreadableDocument):
        longest_text(page, [Part("http://a/P2.pdf", b"%PDF-1.4 broken", None, "s2")], "某县")


def test_an_article_over_several_pages_is_one_text_kept_as_utf8():
    first = read_page(PAGE, URL, "text/html", "某县", None, None)
    second = Part(
        URL.replace(".html", "_1.html"),
        "<html><body><div class='TRS_Editor'><p>二、2024年目标</p><p>增长6.5%左右。</p></div>"
        "</body></html>".encode("gbk"),
        "text/html; charset=gbk",
        "s",
    )
    doc, content_url, joined = join_pages(first, [second], URL, "某县")
    assert content_url == URL + JOINED_PAGES
    assert doc.text.index("全县地区生产总值增长6%") < doc.text.index("增长6.5%左右")
    assert joined.decode("utf-8").endswith(
        "二、2024年目标\n\n增长6.5%左右。"
    )  # GBK read, kept UTF-8


def test_a_load_carries_its_facts_and_the_regions_they_name_resolved():
    text = "某市2024年政府工作报告\n一、2023年工作回顾\n全市地区生产总值增长6%，株洲高新区地区生产总值增长9%。"
    page = read_page(text.encode(), "http://a.cn/r.txt", "text/plain", "某市", None, None)
    at = datetime(2024, 1, 21, tzinfo=UTC)
    load = document_load("http://a.cn/r.html", "src", "http://a.cn/r.txt", "sha", at, page)
    assert {f.region for f in load.facts} >= {"株洲高新区"}
    zones = [r for r in load.fact_regions if r.name == "株洲高新区"]
    assert zones and zones[0].level == "zone"
    assert all(r.name != (page.region.name if page.region else None) for r in load.fact_regions)
