"""Tables of figures (targets and results by column) read as facts, from HTML and .docx."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.docxgen import docx_bytes
from transform.documents import read_document
from transform.facts import extract_facts
from transform.tables import find_cells

TARGETS = [
    "指标名称 | 单位 | 2023年完成 | 2024年目标",
    "地区生产总值增速 | % | 6.2 | 6左右",
    "一般公共预算收入 | 亿元 | 120.5 | 127",
    "城镇新增就业 | 万人 | 5.1 | 5以上",
    "城镇调查失业率 | % | 5.2 | 5.5以内",
]
TARGET_FACTS = [
    ("gdp", "growth_pct", 6.2, "exact", "actual", 2023),
    ("gdp", "growth_pct", 6.0, "approx", "target", 2024),
    ("general_budget_revenue", "level", 1.205e10, "exact", "actual", 2023),
    ("general_budget_revenue", "level", 1.27e10, "exact", "target", 2024),
    ("urban_new_jobs", "level", 51000.0, "exact", "actual", 2023),
    ("urban_new_jobs", "level", 50000.0, "at_least", "target", 2024),
    ("surveyed_unemployment_rate", "rate_pct", 5.2, "exact", "actual", 2023),
    ("surveyed_unemployment_rate", "rate_pct", 5.5, "at_most", "target", 2024),
]


def keys(doc):
    return [
        (f.indicator, f.measure, f.value, f.qualifier, f.kind, f.year) for f in extract_facts(doc)
    ]


def html_page(heading, rows):
    cells = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row.split(" | ")) + "</tr>" for row in rows
    )
    return (
        '<html><head><meta charset="gb2312"><title>某市2024年政府工作报告</title></head><body>'
        '<div class="nav"><a href="/">首页</a> <a href="/gk">政务公开</a></div>'
        f'<div class="content"><p>{heading}</p><table>{cells}</table></div>'
        '<div class="footer">版权所有 某市人民政府</div></body></html>'
    ).encode("gbk")


@pytest.mark.parametrize("form", ["html", "docx"])
def test_a_table_of_results_and_targets_gives_a_fact_per_cell(form):
    heading = "二、2024年主要目标"
    data = (
        html_page(heading, TARGETS)
        if form == "html"
        else docx_bytes("某市2024年政府工作报告\n" + heading + "\n" + "\n".join(TARGETS))
    )
    doc = read_document(data, name=f"r.{form}")
    assert keys(doc) == TARGET_FACTS
    fact = extract_facts(doc)[2]
    assert fact.sentence == "一般公共预算收入 | 亿元 | 120.5 | 127"  # the row, with its offsets
    assert doc.text[fact.char_start : fact.char_end] == fact.sentence


def test_growth_columns_units_in_labels_and_cue_words_in_cells():
    rows = [
        "指标 | 2023年完成 | 增长（%） | 2024年预期目标",
        "地区生产总值（亿元） | 356.2 | 6.1 | 增长6.5%左右",
        "固定资产投资（亿元） | 210 | -3.2 | 增长8%",
    ]
    doc = read_document(html_page("一、主要经济指标", rows), name="r.html")
    assert keys(doc) == [
        ("gdp", "level", 3.562e10, "exact", "actual", 2023),
        ("gdp", "growth_pct", 6.1, "exact", "actual", 2023),  # the column after 2023年完成
        ("gdp", "growth_pct", 6.5, "approx", "target", 2024),
        ("fixed_asset_investment", "level", 2.1e10, "exact", "actual", 2023),
        ("fixed_asset_investment", "growth_pct", -3.2, "exact", "actual", 2023),
        ("fixed_asset_investment", "growth_pct", 8.0, "exact", "target", 2024),
    ]


def test_what_is_not_a_table_of_figures():
    # a header row of figures, a single row, prose with a bar in it
    assert list(find_cells("2023 | 2024\n6.2 | 6")) == []
    assert list(find_cells("指标 | 2024年目标")) == []
    assert list(find_cells("见附件 | 详见下文\n请 | 参阅")) == []
    # a row whose label is no indicator gives no fact, the others still do
    doc = read_document(
        html_page(
            "二、2024年主要目标", [TARGETS[0], "游客接待量 | 万人次 | 1200 | 1300", TARGETS[2]]
        ),
        name="r.html",
    )
    assert [k[0] for k in keys(doc)] == ["general_budget_revenue", "general_budget_revenue"]


ATOMS = [
    "指标",
    "单位",
    "%",
    "亿元",
    "2023年完成",
    "2024年目标",
    "增长（%）",
    "地区生产总值",
    "6.2",
]
ATOMS += [
    "6左右",
    "-3",
    "",
    "（亿元）",
    "一般公共预算收入",
    "万人",
    "5以上",
    "增长6%",
    "预计",
    "1-2",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(ATOMS), min_size=1, max_size=5).map(" | ".join),
        min_size=1,
        max_size=6,
    )
)
def test_any_grid_of_cells_reads_without_error_and_facts_point_at_their_rows(rows):
    from transform.model import Document

    text = "\n".join(rows)
    doc = Document(text, None, None, None, "government_work_report", 2024, None)
    for f in extract_facts(doc):
        assert text[f.char_start : f.char_end] == f.sentence


def test_a_price_index_row_under_a_percent_change_header_is_a_growth():
    text = (
        "2023年某县国民经济和社会发展统计公报\n表2 2023年居民消费价格指数\n"
        "指标 | 比上年涨跌(%) |\n居民消费价格总指数 | 102.5 |\n其中：食品烟酒 | 98.4 |\n"
    )
    doc = read_document(text.encode(), name="a.txt")
    assert [(f.indicator, f.measure, f.value) for f in extract_facts(doc)] == [
        ("cpi", "growth_pct", 2.5)
    ]
