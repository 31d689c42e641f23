"""The fact grammar on the conventions of docs/facts.md."""

import pytest

from transform.documents import read_document
from transform.facts import extract_facts
from transform.model import Document, Region


def facts_of(text, report_type="government_work_report", year=2026):
    doc = Document(
        text=text,
        title=None,
        publish_date=None,
        publisher=None,
        report_type=report_type,
        report_year=year,
        region=Region("某市", "city"),
    )
    return [
        (f.indicator, f.measure, f.value, f.value_high, f.unit, f.qualifier, f.kind, f.year)
        for f in extract_facts(doc)
    ]


def test_spec_example_targets():
    got = facts_of(
        "二、2026年工作安排\n主要预期目标是：地区生产总值增长6%左右，城镇新增就业8万人以上。"
    )
    assert got == [
        ("gdp", "growth_pct", 6.0, None, "percent", "approx", "target", 2026),
        ("urban_new_jobs", "level", 80000.0, None, "person", "at_least", "target", 2026),
    ]


def test_review_section_gives_actuals_of_previous_year_and_estimates():
    text = "一、2025年工作回顾\n全年实现地区生产总值3.12万亿元、增长5.8%。预计全年社会消费品零售总额增长6%。"
    assert facts_of(text) == [
        ("gdp", "level", 3.12e12, None, "CNY", "exact", "actual", 2025),
        ("gdp", "growth_pct", 5.8, None, "percent", "exact", "actual", 2025),
        ("retail_sales", "growth_pct", 6.0, None, "percent", "exact", "estimate", 2025),
    ]


def test_stretch_target_is_two_facts():
    got = facts_of("今年的目标是：固定资产投资增长20%、力争25%。", report_type="work_plan")
    assert [(g[2], g[5]) for g in got] == [(20.0, "exact"), (25.0, "stretch")]


def test_respectively_lists_pair_subjects_and_numbers():
    got = facts_of("一、2025年工作回顾\nPM10、PM2.5平均浓度同比分别下降14.39%、13.33%。")
    assert got == [("pm25", "growth_pct", -13.33, None, "percent", "exact", "actual", 2025)]
    got = facts_of(
        "目标：城镇居民人均可支配收入和农村居民人均可支配收入分别增长4.5%、5.5%左右。",
        report_type="work_plan",
    )
    assert [(g[0], g[2], g[5]) for g in got] == [
        ("urban_disposable_income", 4.5, "approx"),
        ("rural_disposable_income", 5.5, "approx"),
    ]


def test_shares_rates_points_and_reductions():
    text = (
        "二、今年主要目标\n第三产业增加值占GDP比重达到52%，城镇调查失业率控制在5.5%左右，"
        "城镇登记失业率控制在4%以内，单位地区生产总值能耗下降3%，常住人口城镇化率提高1个百分点。"
    )
    got = facts_of(text)
    assert (
        "tertiary_industry_va",
        "share_pct",
        52.0,
        None,
        "percent",
        "exact",
        "target",
        2026,
    ) in got
    assert (
        "surveyed_unemployment_rate",
        "rate_pct",
        5.5,
        None,
        "percent",
        "approx",
        "target",
        2026,
    ) in got
    assert (
        "registered_unemployment_rate",
        "rate_pct",
        4.0,
        None,
        "percent",
        "at_most",
        "target",
        2026,
    ) in got
    assert (
        "energy_intensity_reduction",
        "growth_pct",
        3.0,
        None,
        "percent",
        "exact",
        "target",
        2026,
    ) in got
    assert ("urbanization_rate", "change_pp", 1.0, None, "pp", "exact", "target", 2026) in got
    assert len(got) == 5


def test_decline_is_negative_and_ranges_keep_high_end():
    got = facts_of("一、过去一年回顾\n规模以上工业增加值下降2.1%。", year=2026)
    assert got[0][:3] == ("industrial_va_above_scale", "growth_pct", -2.1)
    got = facts_of("主要目标：地区生产总值增长5%-5.5%。", report_type="work_plan")
    assert got == [("gdp", "growth_pct", 5.0, 5.5, "percent", "range", "target", 2026)]


def test_qualifiers_on_results():
    got = facts_of("一、2025年工作回顾\n外贸进出口增幅超过68%，一般公共预算收入突破500亿元。")
    assert [(g[0], g[5]) for g in got] == [
        ("foreign_trade", "at_least"),
        ("general_budget_revenue", "at_least"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "地区生产总值增速高于全国0.6个百分点。",
        "经济增长排全省第一位。",
        "优良天数较上年增加41天。",
        "总书记3次亲临视察。",
        "居民收入增长与经济增长同步。",
        "三次产业比调整为12.1:47.5:40.4。",
        "2025年是十四五收官之年。",
    ],
)
def test_non_facts(sentence):
    assert facts_of("一、2025年工作回顾\n" + sentence) == []


def test_price_index_level_is_growth():
    got = facts_of("一、2025年工作回顾\n居民消费价格指数为102.7。")
    assert got == [
        ("cpi", "growth_pct", pytest.approx(2.7), None, "percent", "exact", "actual", 2025)
    ]


def test_two_currencies_are_two_facts():
    got = facts_of("一、2025年工作回顾\n实际利用外资52.3亿美元、折合372亿元人民币。")
    assert [(g[0], g[4], g[2]) for g in got] == [
        ("foreign_investment", "USD", 5.23e9),
        ("foreign_investment", "CNY", 3.72e10),
    ]


def test_multi_year_goals_give_the_end_year():
    got = facts_of("二、今后五年目标\n到2030年，常住人口城镇化率达到70%。")
    assert got == [
        ("urbanization_rate", "share_pct", 70.0, None, "percent", "exact", "target", 2030)
    ]


def test_sentence_offsets_point_into_the_text():
    text = "一、2025年工作回顾\n全年地区生产总值增长5%。"
    doc = Document(text, None, None, None, "government_work_report", 2026, None)
    (fact,) = extract_facts(doc)
    assert text[fact.char_start : fact.char_end] == fact.sentence == "全年地区生产总值增长5%。"


def test_seed_red_flag_district_report():
    from tests.conftest import seed_text

    doc = read_document(seed_text("002").encode("gb18030"), fallback_region="新乡市")
    assert doc.report_type == "government_work_report" and doc.report_year == 2018
    assert doc.region.name == "新乡市红旗区"
    got = {(f.indicator, f.measure, f.value, f.kind, f.year) for f in extract_facts(doc)}
    assert ("gdp", "level", 1.701e10, "estimate", 2017) in got
    assert ("gdp", "growth_pct", 8.0, "estimate", 2017) in got
    # 预计 opens the sentence; its clauses after ； are estimates too, up to the 。
    assert ("general_budget_revenue", "level", 7.09e8, "estimate", 2017) in got
    assert ("tertiary_industry_va", "share_pct", 80.0, "actual", 2017) in got
    assert ("pm25", "growth_pct", -13.33, "actual", 2017) in got
    assert ("good_air_days", "level", 215.0, "actual", 2017) in got
    assert ("gdp", "growth_pct", 8.5, "target", 2018) in got
    assert not any(v == 26.0 for _, _, v, _, _ in got)  # 超过目标任务26天 is a gap


def test_seed_work_plan_stretch_and_year():
    from tests.conftest import seed_text

    doc = read_document(seed_text("001").encode("utf-8"))
    assert doc.report_type == "work_plan" and doc.report_year == 2014
    got = [(f.indicator, f.value, f.qualifier, f.kind, f.year) for f in extract_facts(doc)]
    assert ("general_budget_revenue", 10.0, "exact", "target", 2014) in got
    assert ("general_budget_revenue", 15.0, "stretch", "target", 2014) in got


R, P = "一、2023年工作回顾\n", "二、2024年工作安排\n"
GRAMMAR_CASES = [
    (
        R + "实现地区生产总值（GDP）1234.5亿元，同比增长5.2%。",
        {
            ("gdp", "level", 1.2345e11, None, "exact", "actual", 2023),
            ("gdp", "growth_pct", 5.2, None, "exact", "actual", 2023),
        },
    ),
    (
        R + "一般公共预算收入完成85.6亿元，增长7.1%，其中税收收入62.3亿元，增长9.4%。",
        {
            ("general_budget_revenue", "level", 8.56e9, None, "exact", "actual", 2023),
            ("general_budget_revenue", "growth_pct", 7.1, None, "exact", "actual", 2023),
            ("tax_revenue", "level", 6.23e9, None, "exact", "actual", 2023),
            ("tax_revenue", "growth_pct", 9.4, None, "exact", "actual", 2023),
        },
    ),
    (
        P + "居民消费价格涨幅控制在3%左右。",
        {("cpi", "growth_pct", 3.0, None, "approx", "target", 2024)},
    ),
    (
        P + "粮食产量稳定在500万吨以上，常住人口城镇化率达到65.2%，提高1.1个百分点。",
        {
            ("grain_output", "level", 5e9, None, "at_least", "target", 2024),
            ("urbanization_rate", "share_pct", 65.2, None, "exact", "target", 2024),
            ("urbanization_rate", "change_pp", 1.1, None, "exact", "target", 2024),
        },
    ),
    (
        R + "城乡居民人均可支配收入分别增长8.5%和9%。",
        {
            ("urban_disposable_income", "growth_pct", 8.5, None, "exact", "actual", 2023),
            ("rural_disposable_income", "growth_pct", 9.0, None, "exact", "actual", 2023),
        },
    ),
    (
        P + "规模以上工业增加值、固定资产投资、社会消费品零售总额分别增长8%、10%和12%。",
        {
            ("industrial_va_above_scale", "growth_pct", 8.0, None, "exact", "target", 2024),
            ("fixed_asset_investment", "growth_pct", 10.0, None, "exact", "target", 2024),
            ("retail_sales", "growth_pct", 12.0, None, "exact", "target", 2024),
        },
    ),
    (
        P + "地区生产总值增长6.5%—7%，在实际工作中力争更好结果。",
        {("gdp", "growth_pct", 6.5, 7.0, "range", "target", 2024)},
    ),
    (
        P + "到2025年，地区生产总值突破5000亿元，人均地区生产总值达到8万元。",
        {
            ("gdp", "level", 5e11, None, "at_least", "target", 2025),
            ("gdp_per_capita", "level", 80000.0, None, "exact", "target", 2025),
        },
    ),
    (
        P + "R&D经费支出占地区生产总值比重达到2.5%，万元GDP能耗下降3.5%。",
        {
            ("rd_intensity", "share_pct", 2.5, None, "exact", "target", 2024),
            ("energy_intensity_reduction", "growth_pct", 3.5, None, "exact", "target", 2024),
        },
    ),
    (
        P + "PM2.5平均浓度下降到35微克/立方米，空气质量优良天数比例达到85%。",
        {("pm25", "level", 35.0, None, "exact", "target", 2024)},
    ),
    (
        R + "税收占一般公共预算收入比重达80%，粮食总产量达到120亿斤。",
        {
            ("tax_revenue", "share_pct", 80.0, None, "exact", "actual", 2023),
            ("grain_output", "level", 6e9, None, "exact", "actual", 2023),
        },
    ),
    (
        R + "居民消费价格指数(CPI)涨幅为2.3%。",
        {("cpi", "growth_pct", 2.3, None, "exact", "actual", 2023)},
    ),
    (R + "全年接待游客1200万人次，旅游总收入120亿元，金融机构各项存款余额5000亿元。", set()),
    (
        P + "社会消费品零售总额增长百分之八。",
        {("retail_sales", "growth_pct", 8.0, None, "exact", "target", 2024)},
    ),
    (
        R + "城镇新增就业6500余人，城镇失业登记率为2.3%。",
        {
            ("urban_new_jobs", "level", 6500.0, None, "at_least", "actual", 2023),
            ("registered_unemployment_rate", "rate_pct", 2.3, None, "exact", "actual", 2023),
        },
    ),
    (
        R
        + "城镇居民人均可支配收入达到42000元，农村居民人均可支配收入达到18000元，分别增长6.5%、8%。",
        {
            ("urban_disposable_income", "level", 42000.0, None, "exact", "actual", 2023),
            ("rural_disposable_income", "level", 18000.0, None, "exact", "actual", 2023),
            ("urban_disposable_income", "growth_pct", 6.5, None, "exact", "actual", 2023),
            ("rural_disposable_income", "growth_pct", 8.0, None, "exact", "actual", 2023),
        },
    ),
    (
        R + "全市规模以上工业企业实现工业增加值300亿元。",
        {("industrial_va_above_scale", "level", 3e10, None, "exact", "actual", 2023)},
    ),
    (
        R + "预计全年地区生产总值增长6%左右（预计数，下同）。\n一般公共预算收入增长5%。",
        {
            ("gdp", "growth_pct", 6.0, None, "approx", "estimate", 2023),
            ("general_budget_revenue", "growth_pct", 5.0, None, "exact", "estimate", 2023),
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), GRAMMAR_CASES, ids=range(len(GRAMMAR_CASES)))
def test_grammar_cases(text, expected):
    got = {(i, m, v, h, q, k, y) for i, m, v, h, _, q, k, y in facts_of(text, year=2024)}
    assert got == expected


def test_work_summary_with_next_year():
    got = facts_of(
        "2024年工作总结\n全年完成固定资产投资120亿元，同比下降3.2%。\n明年，固定资产投资增长8%。",
        report_type="work_summary",
        year=2024,
    )
    assert [(g[1], g[2], g[6], g[7]) for g in got] == [
        ("level", 1.2e10, "actual", 2024),
        ("growth_pct", -3.2, "actual", 2024),
        ("growth_pct", 8.0, "target", 2025),
    ]


def test_falling_range_is_stored_low_to_high():
    got = facts_of(
        "主要目标：单位地区生产总值能耗下降2%-3%，规模以上工业增加值下降1%-2%。",
        report_type="work_plan",
    )
    assert [(g[0], g[2], g[3]) for g in got] == [
        ("energy_intensity_reduction", 2.0, 3.0),
        ("industrial_va_above_scale", -2.0, -1.0),
    ]


NATIONAL_STYLE_CASES = [
    (
        P
        + "国内生产总值增长5%左右；城镇新增就业1200万人以上；粮食产量1.3万亿斤以上；单位国内生产总值能耗降低2.5%左右。",
        {
            ("gdp", "growth_pct", 5.0, None, "approx", "target", 2024),
            ("urban_new_jobs", "level", 1.2e7, None, "at_least", "target", 2024),
            ("grain_output", "level", 6.5e11, None, "at_least", "target", 2024),
            ("energy_intensity_reduction", "growth_pct", 2.5, None, "approx", "target", 2024),
        },
    ),
    (
        R
        + "年末城镇调查失业率降到5.1%。粮食产量13908亿斤，增产1.3%。常住人口城镇化率提高到66.16%。",
        {
            ("surveyed_unemployment_rate", "rate_pct", 5.1, None, "exact", "actual", 2023),
            ("grain_output", "level", 6.954e11, None, "exact", "actual", 2023),
            ("grain_output", "growth_pct", 1.3, None, "exact", "actual", 2023),
            ("urbanization_rate", "share_pct", 66.16, None, "exact", "actual", 2023),
        },
    ),
    (
        P + "新增高新技术企业2000家以上，总数达到1.2万家。地区生产总值增长7%以上，力争达到8%。",
        {
            ("high_tech_enterprises", "level", 2000.0, None, "at_least", "target", 2024),
            ("high_tech_enterprises", "level", 12000.0, None, "exact", "target", 2024),
            ("gdp", "growth_pct", 7.0, None, "at_least", "target", 2024),
            ("gdp", "growth_pct", 8.0, None, "stretch", "target", 2024),
        },
    ),
    (
        R + "实现地区生产总值1.2万亿元，按可比价格计算，增长6%。固定资产投资（不含农户）增长5%。",
        {
            ("gdp", "level", 1.2e12, None, "exact", "actual", 2023),
            ("gdp", "growth_pct", 6.0, None, "exact", "actual", 2023),
            ("fixed_asset_investment", "growth_pct", 5.0, None, "exact", "actual", 2023),
        },
    ),
    (
        R
        + "全年地区生产总值增长6%，高于全国0.8个百分点，居全省第3位。第三产业增加值占比提高1.2个百分点。",
        {
            ("gdp", "growth_pct", 6.0, None, "exact", "actual", 2023),
            ("tertiary_industry_va", "change_pp", 1.2, None, "exact", "actual", 2023),
        },
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), NATIONAL_STYLE_CASES, ids=range(len(NATIONAL_STYLE_CASES))
)
def test_national_style_cases(text, expected):
    test_grammar_cases(text, expected)


def test_shared_head_and_dated_base_figures():
    got = facts_of(
        R + "城镇和农村居民人均可支配收入分别为4.2万元和1.8万元，分别增长5%和7%。", year=2024
    )
    assert {(g[0], g[1], g[2]) for g in got} == {
        ("urban_disposable_income", "level", 42000.0),
        ("rural_disposable_income", "level", 18000.0),
        ("urban_disposable_income", "growth_pct", 5.0),
        ("rural_disposable_income", "growth_pct", 7.0),
    }
    got = facts_of(
        R + "地区生产总值由2018年的500亿元增加到2023年的800亿元，年均增长9.8%。", year=2024
    )
    assert [(g[2], g[6], g[7]) for g in got] == [
        (5e10, "actual", 2018),
        (8e10, "actual", 2023),
        (9.8, "actual", 2023),
    ]


def test_short_names_after_a_full_one():
    got = facts_of(
        R + "全体居民人均可支配收入3.5万元，增长6.2%，其中城镇居民4.5万元、农村居民2.1万元。",
        year=2024,
    )
    assert [(g[0], g[2]) for g in got] == [
        ("disposable_income", 35000.0),
        ("disposable_income", 6.2),
        ("urban_disposable_income", 45000.0),
        ("rural_disposable_income", 21000.0),
    ]
    # without a full income name first, 城镇居民 names nothing
    assert facts_of(R + "城镇居民4.5万人参加医保，农村居民2.1万元补助。", year=2024) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "城镇居民人均可支配收入首次突破3万元、达到30215元。",  # docs/facts.md's own example
        "城镇居民人均可支配收入达到30215元，首次突破3万元大关。",
        "城镇居民人均可支配收入迈上3万元新台阶，达到30215元。",
    ],
)
def test_a_milestone_restated_with_its_exact_figure_is_one_fact(sentence):
    got = facts_of("一、2025年工作回顾\n" + sentence)
    assert got == [
        ("urban_disposable_income", "level", 30215.0, None, "CNY", "exact", "actual", 2025)
    ]


def test_a_milestone_alone_or_far_from_the_next_figure_stays():
    got = facts_of("一、2025年工作回顾\n地区生产总值迈上3000亿元新台阶。")
    assert [(g[0], g[2], g[5]) for g in got] == [("gdp", 3e11, "at_least")]
    got = facts_of("二、2026年工作安排\n新增高新技术企业200家以上，总数达到1200家。")
    assert [(g[2], g[5]) for g in got] == [(200.0, "at_least"), (1200.0, "exact")]


def test_stretch_aim_before_the_floor():
    got = facts_of("二、2026年工作安排\n全年地区生产总值力争增长7%，确保6.5%。")
    assert [(g[2], g[5]) for g in got] == [(7.0, "stretch"), (6.5, "exact")]
    got = facts_of("二、2026年工作安排\n努力实现地区生产总值增长6.5%。")
    assert [(g[2], g[5]) for g in got] == [(6.5, "exact")]


def test_like_for_like_growth_keeps_its_subject():
    got = facts_of("一、2025年工作回顾\n一般公共预算收入完成356.7亿元，同口径增长10.2%。")
    assert [(g[1], g[2]) for g in got] == [("level", 3.567e10), ("growth_pct", 10.2)]


def test_the_figure_a_change_started_from_gets_its_own_year_or_is_left_out():
    got = facts_of(
        "一、过去五年工作回顾\n五年来，地区生产总值从1.5万亿元增加到2.1万亿元。"
        "一般公共预算收入从1200亿元增加到1650亿元。",
        year=2024,
    )
    assert [(g[0], g[2], g[7]) for g in got] == [
        ("gdp", 1.5e12, 2018),
        ("gdp", 2.1e12, 2023),
        ("general_budget_revenue", 1.2e11, 2018),  # 过去五年 in the heading
        ("general_budget_revenue", 1.65e11, 2023),
    ]
    # no way to tell the start year: the start figure is left out, not filed under 2025
    got = facts_of("一、2025年工作回顾\n高新技术企业由85家增加到120家。")
    assert [(g[2], g[7]) for g in got] == [(120.0, 2025)]


def test_a_plan_period_reviewed_later_refers_to_its_own_years():
    got = facts_of(
        "一、“十三五”工作回顾\n“十三五”期间，城镇居民人均可支配收入由2.5万元提高到3.6万元。",
        year=2022,
    )
    assert [(g[2], g[6], g[7]) for g in got] == [
        (25000.0, "actual", 2015),
        (36000.0, "actual", 2020),
    ]


def test_full_first_names_sharing_a_head_and_a_second_respectively_list():
    got = facts_of(
        "一、2025年工作回顾\n城镇居民和农村居民人均可支配收入分别增长5.2%和6.8%，"
        "分别达到4.8万元和2.3万元。"
    )
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("urban_disposable_income", "growth_pct", 5.2),
        ("rural_disposable_income", "growth_pct", 6.8),
        ("urban_disposable_income", "level", 48000.0),
        ("rural_disposable_income", "level", 23000.0),
    ]


def test_new_counts_and_threshold_stated_with_its_figure():
    got = facts_of(
        "一、2025年工作回顾\n高新技术企业总数达到520家，新增120家。空气质量优良天数达到300天，比上年新增12天。"
    )
    assert [(g[0], g[2]) for g in got] == [
        ("high_tech_enterprises", 520.0),
        ("high_tech_enterprises", 120.0),
        ("good_air_days", 300.0),  # 新增12天 is a change of a level
    ]
    got = facts_of("一、2025年工作回顾\n粮食产量连续五年稳定在100万吨以上，达到105.3万吨。")
    assert [(g[2], g[5]) for g in got] == [(1.053e9, "exact")]


@pytest.mark.parametrize("unit", ["微克/立方米", "微克每立方米", "μg/m³", "μg/m3"])
def test_concentration_units(unit):
    got = facts_of(f"一、2025年工作回顾\nPM2.5平均浓度为30{unit}。")
    assert [(g[0], g[2], g[4]) for g in got] == [("pm25", 30.0, "ug_m3")]


def test_estimate_runs_to_the_end_of_the_sentence_it_opens():
    got = facts_of(
        "一、2025年工作回顾\n预计全年地区生产总值增长7%左右；一般公共预算收入完成32亿元，增长8.5%。"
        "税收收入增长5%。"
    )
    assert [(g[0], g[6]) for g in got] == [
        ("gdp", "estimate"),
        ("general_budget_revenue", "estimate"),
        ("general_budget_revenue", "estimate"),
        ("tax_revenue", "actual"),  # a new sentence
    ]


def test_plan_period_end_with_quotes():
    got = facts_of("二、2026年工作安排\n“十四五”末，地区生产总值力争突破2000亿元。", year=2024)
    assert [(g[6], g[7]) for g in got] == [("target", 2025)]


def test_short_names_after_a_semicolon_keep_the_full_name_given_before():
    got = facts_of(
        "一、2025年工作回顾\n人均可支配收入：城镇居民41200元，增长5%；农村居民21600元，增长7%。"
    )
    assert [(g[0], g[1]) for g in got] == [
        ("urban_disposable_income", "level"),
        ("urban_disposable_income", "growth_pct"),
        ("rural_disposable_income", "level"),
        ("rural_disposable_income", "growth_pct"),
    ]
    assert facts_of("一、2025年工作回顾\n农村居民2.1万元。") == []  # no full name: nothing


def test_a_short_note_in_brackets_does_not_cut_the_subject_off():
    got = facts_of("一、2025年工作回顾\n全年实现外贸进出口总值（人民币）256.7亿元，增长12%。")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("foreign_trade", "level", 2.567e10),
        ("foreign_trade", "growth_pct", 12.0),
    ]
    got = facts_of("一、2025年工作回顾\n规模以上工业增加值增长-2.1%。")
    assert [g[2] for g in got] == [-2.1]


def test_last_year_named_in_a_plan_is_a_result():
    got = facts_of(
        "二、2026年工作安排\n2025年，全市地区生产总值增长6%。今年，地区生产总值增长6.5%左右。"
        "去年一般公共预算收入增长5%，今年目标增长6%。规模以上工业增加值比上年增长7%。"
    )
    assert [(g[0], g[2], g[6], g[7]) for g in got] == [
        ("gdp", 6.0, "actual", 2025),
        ("gdp", 6.5, "target", 2026),
        ("general_budget_revenue", 5.0, "actual", 2025),
        ("general_budget_revenue", 6.0, "target", 2026),
        ("industrial_va_above_scale", 7.0, "target", 2026),  # 比上年: a comparison base
    ]


def test_value_added_named_short_after_the_output():
    got = facts_of(
        "一、2025年工作回顾\n实现规模以上工业总产值300亿元、增加值80亿元，分别增长10%、9%。"
    )
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("industrial_output", "level", 3e10),
        ("industrial_va_above_scale", "level", 8e9),
        ("industrial_output", "growth_pct", 10.0),
        ("industrial_va_above_scale", "growth_pct", 9.0),
    ]
