"""Listing pages: report links with titles and dates, and paging (extract/listing.py)."""

from extract.listing import parse_listing

LISTING = """<html><body><div class="menu"><a href="/index.html">首页</a></div><ul>
<li><a href="./202301/t20230115_9.html" title="2023年政府工作报告">2023年政府工作报告</a><span>2023-01-15</span></li>
<li><a href="../other/202212/t20221201_8.html">关于召开会议的通知</a><span>2022-12-01</span></li>
<li><a href="http://elsewhere.cn/a/t20230101_1.html">外站文章标题很长</a><span>2023-01-01</span></li>
</ul><script>createPageHTML(3, 0, "index", "html");</script><a href="index_1.html">下一页</a></body></html>"""


def test_listing_items_dates_and_trs_paging():
    page = parse_listing(LISTING, "http://gov.example.cn/col/index.html")
    urls = [i.url for i in page.items]
    assert urls == [
        "http://gov.example.cn/col/202301/t20230115_9.html",
        "http://gov.example.cn/other/202212/t20221201_8.html",
    ]
    assert page.items[0].date == "2023-01-15" and page.items[0].title == "2023年政府工作报告"
    assert page.page_urls == (
        "http://gov.example.cn/col/index_1.html",
        "http://gov.example.cn/col/index_2.html",
    )


ODD_LISTING = """<html><body><div class="nav"><a href="/about">关于我们网站介绍</a></div>
<div class="list"><a href="/detail?r=77">2024年政府工作报告全文</a><span>2024-01-22</span>
<a href="javascript:openWin('78')">2023年政府工作报告全文</a>
<a href="http://mirror.example.org/r/79">2022年政府工作报告全文</a></div>
<div class="pager"><a href="/list?page=2">更多</a></div></body></html>"""


def test_source_selectors_name_items_and_paging():
    generic = parse_listing(ODD_LISTING, "http://gov.example.cn/list?page=1")
    assert generic.items == ()  # no article-like paths: the generic detector finds nothing
    page = parse_listing(
        ODD_LISTING,
        "http://gov.example.cn/list?page=1",
        item_xpath="//div[@class='list']",
        next_xpath="//div[@class='pager']//a",
    )
    assert [(i.url, i.title, i.date) for i in page.items] == [
        ("http://gov.example.cn/detail?r=77", "2024年政府工作报告全文", "2024-01-22")
    ]
    assert page.page_urls == ("http://gov.example.cn/list?page=2",)
    assert page.refused == ("javascript:openWin('78')", "http://mirror.example.org/r/79")


def test_detail_pages_served_by_a_script_are_report_links():
    listing = """<html><body><ul>
    <li><a href="iDetail.jsp?id=881&cat_id=3">2024年县政府工作报告</a> 2024-01-20</li>
    <li><a href="show.aspx?InfoID=52">2023年县政府工作报告</a> 2023-01-18</li>
    <li><a href="search.jsp?keyword=报告">站内搜索结果页面</a></li>
    </ul></body></html>"""
    page = parse_listing(listing, "http://gov.example.cn/xxgk/iList.jsp?cat_id=3")
    assert [(i.url, i.date) for i in page.items] == [
        ("http://gov.example.cn/xxgk/iDetail.jsp?id=881&cat_id=3", "2024-01-20"),
        ("http://gov.example.cn/xxgk/show.aspx?InfoID=52", "2023-01-18"),
    ]
