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


def test_a_plan_execution_report_reviews_its_plan_year():
    got = dated(
        "一、2018年国民经济和社会发展计划执行情况\n全县地区生产总值完成86亿元，"
        "完成年计划90亿元的95.6%，增长6%。",
        report_type="other",
        year=2018,
    )
    # the plan figure and the share of it completed are yardsticks, not facts
    assert [(g[1], g[2], g[3], g[4]) for g in got] == [
        ("level", 8.6e9, "actual", 2018),
        ("growth_pct", 6.0, "actual", 2018),
    ]


def test_a_block_of_goals_runs_to_the_end_of_its_paragraph():
    got = dated(
        "县长提出了2019年发展指标安排，具体为：地区生产总值增长7%；税收收入增长6%。"
        "民生方面，城镇登记失业率控制在4%以内。\n2018年，城镇登记失业率为3.2%。"
    )
    assert [(g[0], g[2], g[3], g[4]) for g in got] == [
        ("gdp", 7.0, "target", 2019),
        ("tax_revenue", 6.0, "target", 2019),
        ("registered_unemployment_rate", 4.0, "target", 2019),
        ("registered_unemployment_rate", 3.2, "actual", 2018),
    ]


def test_goals_in_news_dated_only_by_its_opening_results_are_for_the_year_after():
    # a story opening on last year's results, then this year's goals (no year named for them)
    text = (
        "2022年，全州实现地区生产总值53亿元，增长2.7%。\n"
        "全州划定发展预期目标，地区生产总值增长3%。去年全州固定资产投资增长31%。"
    )
    doc_year = 2022  # what the opening words date the story by
    from transform.documents import read_document

    doc = read_document(text.encode(), name="news.txt")
    assert (doc.report_type, doc.report_year, doc.report_year_cue) == (
        "other",
        doc_year,
        "2022年，",
    )
    facts = [(f.indicator, f.value, f.kind, f.year) for f in extract_facts(doc)]
    assert facts == [
        ("gdp", 5.3e9, "actual", 2022),
        ("gdp", 2.7, "actual", 2022),
        ("gdp", 3.0, "target", 2023),
        ("fixed_asset_investment", 31.0, "actual", 2022),
    ]


def test_a_news_byline_dates_the_page():
    from transform.documents import read_document

    doc = read_document(
        "编辑：某某2018-01-24 16:20 来源：某某网\n预计全区地区生产总值增长8%。".encode(),
        name="news.txt",
    )
    assert doc.publish_date is not None and doc.publish_date.isoformat() == "2018-01-24"


def test_goals_listed_after_a_sentence_naming_their_year_take_that_year():
    got = dated(
        "市长在报告中提出2009年经济社会发展的预期目标。\n"
        "主要预期目标是：地区生产总值增长13%，全社会固定资产投资增长30%。",
        report_type="government_work_report",
        year=2010,  # a headline that got the year wrong
    )
    assert [(g[0], g[3], g[4], g[5]) for g in got] == [
        ("gdp", "target", 2009, "heading"),
        ("fixed_asset_investment", "target", 2009, "heading"),
    ]


def test_an_estimate_for_an_earlier_year_after_goals_is_an_estimate():
    got = dated(
        "甲市2023年主要预期目标是地区生产总值增长6.5%，乙市2022年预计地区生产总值增长4.8%。",
        year=2023,
    )
    assert [(g[2], g[3], g[4]) for g in got] == [(6.5, "target", 2023), (4.8, "estimate", 2022)]
    # 预计 inside a block of goals (no earlier year named) stays a goal
    got = dated("主要预期目标：集聚区预计地区生产总值增长8%。", report_type="work_plan", year=2018)
    assert [(g[3], g[4]) for g in got] == [("target", 2018)]


def test_a_heading_saying_goals_were_met_opens_a_review():
    got = dated(
        "（一）坚持项目为重，目标任务全面完成\n园区规上工业企业实现工业总产值81亿元。",
        report_type="other",
        year=None,
    )
    assert [(g[3], g[4], g[5]) for g in got] == [("actual", None, "unknown")]


def test_a_change_between_two_dated_figures_has_happened():
    got = dated(
        "十三五以来，全县一般公共预算收入从2015年的2007万元上升到2020年的2468万元。", year=None
    )
    assert [(g[2], g[3], g[4]) for g in got] == [
        (2.007e7, "actual", 2015),
        (2.468e7, "actual", 2020),
    ]
    # a goal for a later year named the same way stays a goal
    got = dated("全县城镇化率从2020年的50%提高到2025年的60%。", report_type="work_plan", year=2021)
    assert [(g[2], g[3], g[4]) for g in got] == [(50.0, "actual", 2020), (60.0, "target", 2025)]


def test_a_sentence_dating_itself_leaves_the_paragraphs_block_of_goals():
    got = dated(
        "2023年甲市的主要预期目标是地区生产总值增长7%。乙市2022年预计地区生产总值增长4.8%。",
        year=2023,
    )
    assert [(g[2], g[3], g[4]) for g in got] == [(7.0, "target", 2023), (4.8, "estimate", 2022)]


def test_news_of_a_work_report_opening_on_last_years_results():
    from transform.documents import read_document

    doc = read_document(
        "某市第十六届人民代表大会第三次会议开幕\n 2019/02/22/ 15:31 来源：某某网\n"
        "市长代表市政府向大会作政府工作报告。2018年，全市地区生产总值增长6.5%。\n"
        "这一年，全市新增城镇就业9.48万人。".encode(),
        name="news.txt",
    )
    assert doc.publish_date is not None and doc.publish_date.isoformat() == "2019-02-22"
    assert (doc.report_type, doc.report_year) == ("government_work_report", 2019)
    assert {(f.indicator, f.year) for f in extract_facts(doc)} == {
        ("gdp", 2018),
        ("urban_new_jobs", 2018),
    }


def test_a_span_of_years_with_respectively_gives_each_figure_its_year():
    got = dated(
        "2016年至2018年，开发区分别完成地区生产总值236.3亿元、314.5亿元、365亿元。", year=2018
    )
    assert [(g[2], g[4], g[5]) for g in got] == [
        (2.363e10, 2016, "sentence"),
        (3.145e10, 2017, "sentence"),
        (3.65e10, 2018, "sentence"),
    ]
    # a count that does not match the span leaves the figures as they were
    got = dated("2016年至2018年，开发区地区生产总值分别为236亿元、365亿元。", year=2018)
    assert {g[4] for g in got} == {2018}


def test_a_share_of_a_larger_area_and_its_change_are_no_facts():
    got = dated("2014年，规模以上工业增加值753亿元，总量占全市的23%、比2013年提高1.2个百分点。")
    assert [(g[1], g[2]) for g in got] == [("level", 7.53e10)]


def test_a_plan_periods_end_dates_later_clauses_of_its_sentence_too():
    got = dated(
        "十一五期末，全区完成生产总值249亿元，年均增长15%；完成社会消费品零售总额107亿元。",
        report_type="government_work_report",
        year=2024,  # a copy site rewrote the report's year
    )
    assert [(g[0], g[4], g[5]) for g in got] == [
        ("gdp", 2010, "plan_period"),
        ("gdp", 2010, "plan_period"),
        ("retail_sales", 2010, "plan_period"),
    ]
    got = dated("十三五以来，全县一般公共预算收入年均增长4.22%。", year=None)
    assert [(g[2], g[4], g[5]) for g in got] == [(4.22, 2020, "plan_period")]


def test_a_year_after_a_comparison_word_dates_nothing():
    # 比2015年 / 较去年 name the base of a comparison, not the year of the figure
    got = dated("全县地区生产总值比2015年增长8%。", report_type="government_work_report")
    assert [(g[3], g[4], g[5]) for g in got] == [("actual", 2018, "title")]
    got = dated("2017年，全县一般公共预算收入较去年增长9%。")
    assert [(g[3], g[4], g[5]) for g in got] == [("actual", 2017, "sentence")]
    got = dated("去年，全县一般公共预算收入增长9%。")
    assert [(g[3], g[4], g[5]) for g in got] == [("actual", 2018, "sentence")]
    # a goal met (完成目标) is no goal word; a goal set (目标增长) is one
    assert dated("2018年超额完成目标，一般公共预算收入增长9%。")[0][3] == "actual"
    assert dated("一般公共预算收入目标增长9%。")[0][3] == "target"


def test_a_forecast_is_an_estimate():
    got = dated("据统计预测，全县地区生产总值增长9%，达到52亿元。", year=2021)
    assert {(g[3], g[6]) for g in got} == {("estimate", "预测")}


def test_a_report_summary_titled_by_the_year_it_completed_reviews_that_year():
    from transform.documents import read_document

    doc = read_document(
        "《政府工作报告》摘要：2021年全县各项目标任务全面完成\n"
        "县长在作政府工作报告时说，一年来全县上下团结奋斗。\n"
        "全县地区生产总值增长8.1%，一般公共预算收入增长5%。".encode(),
        name="news.txt",
    )
    assert (doc.report_type, doc.report_year) == ("government_work_report", 2022)
    assert {(f.indicator, f.kind, f.year) for f in extract_facts(doc)} == {
        ("gdp", "actual", 2021),
        ("general_budget_revenue", "actual", 2021),
    }


def test_an_estimate_inside_a_clause_covers_that_clause_not_the_ones_after_it():
    got = dated(
        "2018年，全县实现地区生产总值86亿元；居民人均可支配收入预计3.2万元，增长8%；"
        "城镇登记失业率为2.3%。",
        report_type="government_work_report",
    )
    kinds = {(g[0], g[3]) for g in got}
    assert kinds == {
        ("gdp", "actual"),
        ("disposable_income", "estimate"),
        ("registered_unemployment_rate", "actual"),
    }
    # one that opens the sentence (after its date) covers every clause
    got = dated("1月7日，县长介绍，2018年预计地区生产总值86亿元；城镇登记失业率为2.3%。")
    assert {g[3] for g in got} == {"estimate"}


def test_a_figure_named_a_goal_right_after_it_is_a_target():
    got = dated("上半年，全县聚焦地区生产总值年度增长6%目标任务，狠抓经济运行。")
    assert [(g[0], g[3], g[6]) for g in got] == [("gdp", "target", "目标")]
    got = dated("全县上下围绕一般公共预算收入增长8%左右的目标，强化征管。")
    assert [(g[0], g[3]) for g in got] == [("general_budget_revenue", "target")]
    # a goal word after a comma is another clause's
    got = dated("2018年，全县地区生产总值增长8%，目标任务全面完成。", year=2019)
    assert [(g[0], g[3]) for g in got] == [("gdp", "actual")]


def test_a_goal_quoted_as_met_is_a_yardstick_not_a_fact():
    got = dated("全区增速有望领跑全市，提前两年完成十四五规划地区生产总值1250亿元的目标。")
    assert got == []


def test_an_estimate_word_after_a_clauses_subject_is_that_clauses_own():
    got = dated(
        "2015年，全区生产总值预计达到739亿元，年均增长10%；实现一般公共预算收入92.28亿元。",
        report_type="government_work_report",
        year=2016,
    )
    assert [(g[0], g[1], g[3]) for g in got] == [
        ("gdp", "level", "estimate"),
        ("gdp", "growth_pct", "estimate"),
        ("general_budget_revenue", "level", "actual"),
    ]
    # nor does one after a figure (in words or digits) open the sentence
    got = dated(
        "本区生产总值增长八个百分点，预计2011年达到316亿元；税收收入48.6亿元。",
        report_type="government_work_report",
        year=2012,
    )
    assert [(g[0], g[2], g[3]) for g in got if g[2] > 1e9] == [
        ("gdp", 3.16e10, "estimate"),
        ("tax_revenue", 4.86e9, "actual"),
    ]


def test_news_of_a_report_opening_on_this_years_plans_is_dated_by_its_page():
    from transform.documents import read_document

    doc = read_document(
        "近日，某县县长作政府工作报告，回顾了2012年的政府工作。\n"
        "2013年，某县计划招引20个以上项目。\n"
        "县长指出，2013年的主要预期目标是：生产总值增长13%，公共财政预算收入增长18%。".encode(),
        name="a.txt",
        fallback_date="2013-01-10",
    )
    assert doc.report_year == 2013
    assert {(f.kind, f.year) for f in extract_facts(doc)} == {("target", 2013)}


def test_news_saying_the_report_reviewed_a_year_dates_the_report_the_year_after():
    from transform.documents import read_document

    doc = read_document(
        "某市人大会议上午开幕,市长作《政府工作报告》\n今年GDP预期增长7.5%左右\n"
        "报告首先回顾了2017年工作。预计全年地区生产总值2.15万亿元，增长7%以上。\n"
        "今年经济社会发展主要预期目标是：地区生产总值增长7.5%左右。".encode(),
        name="a.txt",
        fallback_date="2018-01-11",
    )
    assert doc.report_year == 2018
    assert {(f.kind, f.year) for f in extract_facts(doc)} == {
        ("estimate", 2017),
        ("target", 2018),
    }


def test_a_year_in_a_bracketed_remark_dates_nothing_after_it():
    got = dated(
        "2023年主要预期目标建议为：地区生产总值增长8%以上；一般公共预算支出（扣除2022年灾后重建支出外）"
        "增长3%以上；社会消费品零售总额增长5%以上。",
        report_type="government_work_report",
        year=2023,
    )
    assert {(g[0], g[4]) for g in got} == {("gdp", 2023), ("retail_sales", 2023)}


def test_last_year_as_the_base_of_a_change_dates_nothing():
    got = dated(
        "三次产业结构由上年的9.4:66.8:23.8调整为8.3:71.1:20.6，服务业比重比上年下降3.2个百分点。"
        "全区人均生产总值达91243元。",
        year=2022,
    )
    assert {(g[0], g[4]) for g in got} == {("tertiary_industry_va", 2022), ("gdp_per_capita", 2022)}


def test_a_release_opening_on_its_year_is_about_that_year_whenever_posted():
    from transform.documents import read_document

    doc = read_document(
        "2022年党的二十大胜利召开，全区经济保持增长。\n一、综合\n全年实现地区生产总值346.02亿元，比上年增长5.7%。".encode(),
        name="a.txt",
        fallback_date="2023-07-01",
    )
    assert {(f.kind, f.year) for f in extract_facts(doc)} == {("actual", 2022)}
