"""How a fact's year and kind are decided, and what it says decided them (docs/facts.md).

Test sentences are the team's own, written in the styles of local reports and news about them.
"""

from transform.facts import extract_facts
from transform.model import Document, Region
from transform.text import normalise_text


def dated(text, report_type="other", year=2019, title=None):
    doc = Document(
        text=normalise_text(text),
        title=title,
        publish_date=None,
        publisher=None,
        report_type=report_type,
        report_year=year,
        region=Region("某县", "county"),
        report_year_basis="title" if year else "unknown",
    )
    return [
        (f.indicator, f.measure, f.value, f.kind, f.year, f.year_basis, f.kind_basis)
        for f in extract_facts(doc)
    ]


def test_news_about_a_report_dates_results_by_the_year_its_sentence_names():
    got = dated("县长在报告中说，2018年，全县预计实现地区生产总值86亿元，增长7.5%。")
    assert got == [
        ("gdp", "level", 8.6e9, "estimate", 2018, "sentence", "预计"),
        ("gdp", "growth_pct", 7.5, "estimate", 2018, "sentence", "预计"),
    ]
    got = dated("记者获悉：2018年完成规模以上工业增加值32亿元，同比增长9%。")
    assert [(g[3], g[4], g[5]) for g in got] == [("actual", 2018, "sentence")] * 2


def test_a_year_named_at_a_paragraph_start_dates_the_sentences_after_it():
    got = dated("2018年是全县发展很不平凡的一年。全年实现财政一般预算收入5.2亿元，增长8%。")
    assert [(g[0], g[3], g[4], g[5]) for g in got] == [
        ("general_budget_revenue", "actual", 2018, "heading"),
        ("general_budget_revenue", "actual", 2018, "heading"),
    ]
    # a new paragraph does not inherit it
    got = dated("2018年是很不平凡的一年。\n地区生产总值增长7%。", year=None)
    assert [(g[4], g[5]) for g in got] == [(None, "unknown")]


def test_a_targets_block_opened_inside_a_sentence_makes_targets_even_after_an_estimate():
    got = dated(
        "报告预计2018年全县地区生产总值增长7%左右，2019年全县发展的主要预期目标是："
        "地区生产总值增长7.5%，城镇登记失业率控制在4%以内。"
    )
    assert [(g[0], g[2], g[3], g[4], g[6]) for g in got] == [
        ("gdp", 7.0, "estimate", 2018, "预计"),
        ("gdp", 7.5, "target", 2019, "预期目标"),
        ("registered_unemployment_rate", 4.0, "target", 2019, "预期目标"),
    ]


def test_a_note_that_says_estimated_covers_its_whole_sentence():
    got = dated("2018年，全县地区生产总值增长6.8%（预计，下同），社会消费品零售总额增长10%。")
    assert [(g[0], g[3], g[4]) for g in got] == [
        ("gdp", "estimate", 2018),
        ("retail_sales", "estimate", 2018),
    ]


def test_a_goal_met_or_a_plan_quoted_as_yardstick_is_no_target_cue():
    got = dated("2018年，全县超额完成目标任务，地区生产总值增长8%，完成年度计划的105%。")
    assert [(g[0], g[3], g[4]) for g in got] == [("gdp", "actual", 2018)]


def test_pinyin_glosses_and_the_care_of_sign_are_read_through():
    got = dated("2018年，全縣實現地區(qū)生產(chǎn)總值增長(zhǎng)7.5℅。")
    assert [(g[0], g[2], g[3], g[4]) for g in got] == [("gdp", 7.5, "actual", 2018)]


def test_a_year_nothing_decides_is_null_with_basis_unknown():
    got = dated("全县地区生产总值增长7%。", year=None)
    assert [(g[3], g[4], g[5]) for g in got] == [("actual", None, "unknown")]
