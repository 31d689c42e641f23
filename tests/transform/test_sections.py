"""Sections (transform/sections.py): headings, the period each section speaks of, and the
sentences with offsets into the text."""

from transform.sections import heading_of, initial_period, opens_heading, split_sentences

REPORT = """某县2024年政府工作报告
一、2023年工作回顾
全县地区生产总值增长6%。财政收入增长5%；外贸进出口增长3%。
二、2024年主要目标
地区生产总值增长6.5%左右。
（一）重点任务
1.扩大有效投资。固定资产投资增长8%。"""


def test_heading_levels_and_what_is_no_heading():
    assert heading_of("第一部分 过去五年工作回顾") == (0, "第一部分 过去五年工作回顾")
    assert heading_of("二、2024年主要目标") == (1, "二、2024年主要目标")
    assert heading_of("（一）经济运行稳中向好。预计全年增长6%") == (2, "（一）经济运行稳中向好")
    assert heading_of("1.扩大有效投资。") == (3, "1.扩大有效投资")
    assert heading_of("（2）稳就业") == (4, "（2）稳就业")
    assert heading_of("主要预期目标") == (1, "主要预期目标")  # a short untagged line
    assert heading_of("地区生产总值 | 亿元 | 120") is None  # a table row
    assert heading_of("全县地区生产总值增长6%，财政收入增长5%，外贸进出口增长3%。") is None
    assert heading_of("") is None
    assert opens_heading("三、") and not opens_heading("2024年是关键之年")


def test_a_report_reviews_last_year_until_a_heading_plans_this_one():
    sentences = list(split_sentences(REPORT, "government_work_report", 2024))
    by_text = {s.text: s for s in sentences}
    review = by_text["全县地区生产总值增长6%。"]
    assert (review.period.phase, review.period.year) == ("review", 2023)
    assert review.period.year_basis == "heading" and review.period.kind_basis == "section"
    assert review.heading == "一、2023年工作回顾"
    target = by_text["地区生产总值增长6.5%左右。"]
    assert (target.period.phase, target.period.year) == ("plan", 2024)
    # a sub-heading without period words keeps the section's period and records its path
    task = by_text["固定资产投资增长8%。"]
    assert (task.period.phase, task.period.year) == ("plan", 2024)
    assert task.section == ("二、2024年主要目标", "（一）重点任务", "1.扩大有效投资")


def test_sentences_split_at_stops_and_semicolons_with_exact_offsets():
    sentences = list(split_sentences(REPORT, "government_work_report", 2024))
    for s in sentences:
        assert REPORT[s.start : s.end] == s.text
    texts = [s.text for s in sentences]
    assert "财政收入增长5%；" in texts and "外贸进出口增长3%。" in texts


def test_the_period_before_any_heading_follows_the_kind_of_document():
    report = initial_period("government_work_report", 2024, "title", "某县2024年政府工作报告")
    assert (report.phase, report.year, report.year_basis) == ("review", 2023, "title")
    plan = initial_period("work_plan", 2024)
    assert (plan.phase, plan.year) == ("plan", 2024)
    undated = initial_period("work_summary", None)
    assert undated.year is None and undated.year_basis == "unknown"


def test_the_reports_title_standing_as_a_line_is_no_section_and_a_plan_closed_is_a_review():
    text = (
        "政府工作报告\n\n2016年某市政府工作报告\n\n各位代表：\n"
        "一、“十二五”圆满收官，各项事业有了新突破\n地区生产总值年均增长13.7%。"
    )
    sentence = [
        s for s in split_sentences(text, "government_work_report", 2016) if "13.7" in s.text
    ]
    assert (sentence[0].period.phase, sentence[0].period.year) == ("review", 2015)


def test_a_title_line_naming_the_work_report_anywhere_opens_no_section():
    text = "2021年某区政府工作报告3篇\n城镇新增就业8300人，城镇登记失业率2.22%。"
    sentence = [
        s for s in split_sentences(text, "government_work_report", 2021) if "8300" in s.text
    ]
    assert (sentence[0].period.phase, sentence[0].period.year) == ("review", 2020)
