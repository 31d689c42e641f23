"""Paging links (transform/paging.py): a listing's pages and an article's further pages."""

import lxml.html

from transform.paging import MAX_CONTINUATION_PAGES, continuation_pages, trs_page_urls


def pages_of(markup: str, base_url: str) -> tuple[str, ...]:
    return continuation_pages(lxml.html.document_fromstring(markup), base_url)


def test_trs_page_urls():
    assert trs_page_urls('createPageHTML(2, 0, "index", "shtml")', "http://a.cn/c/") == [
        "http://a.cn/c/index.shtml",
        "http://a.cn/c/index_1.shtml",
    ]
    assert trs_page_urls("nothing here", "http://a.cn/") == []


def test_continuation_pages_of_an_article_and_nothing_else():
    base = "http://gov.example.cn/xxgk/zfgzbg/202401/t20240118_123.html"
    page = (
        "<html><body><div class='TRS_Editor'><p>第一页正文。</p></div>"
        '<script>createPageHTML(3, 0, "t20240118_123", "html");</script>'
        '<a href="t20240118_123_1.html">下一页</a>'
        '<a href="t20240118_124.html">下一篇</a>'  # another article
        '<a href="../202312/t20231220_99_1.html">旧文</a>'  # another article's page
        '<a href="index_1.html">栏目下一页</a>'  # the column's listing
        "</body></html>"
    )
    assert pages_of(page, base) == (
        "http://gov.example.cn/xxgk/zfgzbg/202401/t20240118_123_1.html",
        "http://gov.example.cn/xxgk/zfgzbg/202401/t20240118_123_2.html",
    )
    # page 2 of 3 names the others, not itself
    second = page.replace("createPageHTML(3, 0", "createPageHTML(3, 1")
    assert pages_of(second, base.replace("_123.html", "_123_1.html")) == (
        "http://gov.example.cn/xxgk/zfgzbg/202401/t20240118_123_2.html",
    )
    # a listing's paging script is no article's
    listing = '<html><body><script>createPageHTML(5, 0, "index", "html");</script></body></html>'
    assert pages_of(listing, base) == ()


def test_the_next_article_is_no_continuation_page():
    base = "http://gov.example.cn/xxgk/202401/t20240118_7.html"
    page = '<html><body><p>正文。</p><a href="t20240118_8.html">下一篇</a></body></html>'
    assert pages_of(page, base) == ()


def test_an_article_announcing_hundreds_of_pages_gets_at_most_the_cap():
    base = "http://gov.example.cn/xxgk/t20240118_5.html"
    page = (
        '<html><body><script>createPageHTML(500, 0, "t20240118_5", "html");</script></body></html>'
    )
    pages = pages_of(page, base)
    assert len(pages) == MAX_CONTINUATION_PAGES
    assert pages[-1].endswith(f"t20240118_5_{MAX_CONTINUATION_PAGES}.html")
