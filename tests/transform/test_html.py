from transform.html import read_html

DETAIL = """<html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="某区2020年政府工作报告">
<meta name="PubDate" content="2020-01-20 09:00"><meta name="ContentSource" content="某区人民政府">
<title>ignored title</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/xxgk/">政府信息公开</a></div>
<table><tr><td>索引号：</td><td>000-2020-01</td><td>发布机构：</td><td>某区人民政府</td></tr>
<tr><td>发布日期：</td><td>2020-01-21</td><td>文号：</td><td>某政〔2020〕1号</td></tr></table>
<div class="TRS_Editor"><p>一、2019年工作回顾</p><p>地区生产总值增长7%。</p>
<p>附件：<a href="./P020200121.pdf">报告全文.pdf</a> <a href="javascript:void(0)">打印</a></p></div>
<div class="footer">版权所有</div></body></html>"""


def test_detail_page_meta_info_table_and_attachments():
    page = read_html(DETAIL, "http://gov.example.cn/xxgk/202001/t20200121_1.html")
    assert page.title == "某区2020年政府工作报告"
    assert page.meta["PubDate"].startswith("2020-01-20")
    assert page.info["发布机构"] == "某区人民政府"
    assert page.info["文号"] == "某政〔2020〕1号"
    assert page.attachments == ("http://gov.example.cn/xxgk/202001/P020200121.pdf",)
    assert "地区生产总值增长7%" in page.text
    assert "版权所有" not in page.text and "政府信息公开" not in page.text


TARGET_TABLE_PAGE = """<html><head><meta charset="utf-8"><title>某市2024年主要目标</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/gk">政务公开</a> <a href="/hd">互动交流</a></div>
<div class="content"><p>二、2024年主要目标</p>
<table>
<tr><td>指标名称</td><td>单位</td><td>2023年完成</td><td>2024年目标</td></tr>
<tr><td>地区生产总值增速</td><td>%</td><td>6.2</td><td>6左右</td></tr>
<tr><td>规模以上工业增加值增速</td><td>%</td><td>7.5</td><td>8</td></tr>
<tr><td>一般公共预算收入</td><td>亿元</td><td>120.5</td><td>127</td></tr>
</table></div><div class="footer">版权所有 某市人民政府</div></body></html>"""


def test_a_page_whose_content_is_a_table_of_figures_keeps_the_whole_table():
    from transform.text import normalise_text

    text = normalise_text(read_html(TARGET_TABLE_PAGE).text)
    assert "二、2024年主要目标" in text and "版权所有" not in text
    # every row, with its cells kept apart: 6.2 and 6 are two numbers, not 6.26
    assert "地区生产总值增速 | % | 6.2 | 6左右" in text
    assert "一般公共预算收入 | 亿元 | 120.5 | 127" in text
