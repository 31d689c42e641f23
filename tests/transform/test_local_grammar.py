"""Grammar found in local texts (counties, districts, zones, news about their reports).

Each case is a sentence written by the team in the style that tripped the extractor.
"""

from tests.transform.test_dating import dated
from transform.text import normalise_text


def test_years_written_in_characters_or_missing_a_digit_are_years():
    assert normalise_text("二〇〇八年工作回顾") == "2008年工作回顾"
    assert normalise_text("二00九年主要目标") == "2009年主要目标"
    assert normalise_text("〇〇八年工作回顾") == "2008年工作回顾"
    assert normalise_text("一二三四年") == "一二三四年"  # not a year form: left alone


def test_a_line_cut_before_its_number_is_joined():
    assert normalise_text("生产总值由十五末的\n\n12.8亿元增加到19.2亿元。") == (
        "生产总值由十五末的12.8亿元增加到19.2亿元。"
    )
    # a heading followed by a line opening with a year stays a heading
    assert normalise_text("一、2023年工作回顾\n2023年，全区") == "一、2023年工作回顾\n2023年，全区"


def test_shares_of_a_budget_a_plan_or_a_larger_area_are_not_facts():
    got = dated("2018年，全县税收收入3500万元，占年初预算的41.5%，同比下降5.2%。")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("tax_revenue", "level", 3.5e7),
        ("tax_revenue", "growth_pct", -5.2),
    ]
    got = dated("2018年，园区进出口总额14.5亿美元，增长35%，占全市总量的50%。")
    assert [g[1] for g in got] == ["level", "growth_pct"]
    # the indicator's own whole is a share
    got = dated("2018年，第三产业增加值占地区生产总值比重达到48%。")
    assert [(g[0], g[1], g[2]) for g in got] == [("tertiary_industry_va", "share_pct", 48.0)]


def test_points_of_a_growth_rate_or_a_contribution_are_not_changes_of_a_level():
    got = dated("2018年，地区生产总值增幅同比回落2.4个百分点，规上工业拉动增长1.5个百分点。")
    assert got == []
    got = dated("2018年，常住人口城镇化率提高1.2个百分点。")
    assert [(g[0], g[1], g[2]) for g in got] == [("urbanization_rate", "change_pp", 1.2)]


def test_names_used_by_local_reports():
    got = dated(
        "2008年，全县完成地方财政收入3.6亿元，增长18%；非税收入1.2亿元，增长9%；"
        "农牧民人均可支配收入6200元；万元GDP水耗下降4%；单位生产总值综合能耗降低4.1%。"
    )
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("general_budget_revenue", "level", 3.6e8),
        ("general_budget_revenue", "growth_pct", 18.0),
        ("rural_disposable_income", "level", 6200.0),
        ("energy_intensity_reduction", "growth_pct", 4.1),
    ]


def test_a_plan_period_review_dates_start_and_end_figures():
    got = dated(
        "“十一五”经济社会发展回顾\n全县生产总值由“十五”末的12.8亿元增至19.2亿元，年均增长8.4%。",
        report_type="government_work_report",
        year=2011,
    )
    assert [(g[1], g[2], g[3], g[4]) for g in got] == [
        ("level", 1.28e9, "actual", 2005),
        ("level", 1.92e9, "actual", 2010),
        ("growth_pct", 8.4, "actual", 2010),
    ]


def test_comparable_price_notes_do_not_cut_a_figure_from_its_subject():
    got = dated("2010年，全市地区生产总值3417亿元，按可比价计算增长13%。")
    assert [(g[1], g[2]) for g in got] == [("level", 3.417e11), ("growth_pct", 13.0)]


def test_output_named_only_as_output_is_industrial_when_industry_is_the_subject():
    got = dated("2016年，全区规模以上工业企业实现总产值121亿元，比上年增长12%。")
    assert [(g[0], g[1]) for g in got] == [
        ("industrial_output", "level"),
        ("industrial_output", "growth_pct"),
    ]
    assert dated("2016年，全区建筑业总产值85亿元。") == []
    assert dated("2016年，在孵企业实现工业产值14亿元。") == []


def test_a_latin_name_runs_straight_into_its_number():
    got = dated("2017年，全年实现GDP762亿元，同比增长1.2%。")
    assert [(g[0], g[2]) for g in got] == [("gdp", 7.62e10), ("gdp", 1.2)]


def test_an_abbreviated_pair_of_incomes_shares_one_respectively():
    got = dated("2019年，城、乡居民人均可支配收入分别增长8%、9%。")
    assert [(g[0], g[2]) for g in got] == [
        ("urban_disposable_income", 8.0),
        ("rural_disposable_income", 9.0),
    ]


def test_names_in_a_bracketed_remark_take_no_figures():
    got = dated("2022年，初步预计地区生产总值635亿元（主要是二产、三产未达预期目标），增长2.0%。")
    assert [(g[0], g[2], g[3]) for g in got] == [
        ("gdp", 6.35e10, "estimate"),
        ("gdp", 2.0, "estimate"),
    ]


def test_a_share_of_the_regions_own_gdp_is_a_share():
    got = dated("2009年，服务业增加值增长23%，占全区增加值的81%。")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("tertiary_industry_va", "growth_pct", 23.0),
        ("tertiary_industry_va", "share_pct", 81.0),
    ]


def test_a_table_copied_one_cell_per_line_is_read_as_a_table():
    flat = "\n\n".join(
        ["2021年主要指标完成情况", "指标", "单位", "全年目标", "完成情况"]
        + ["地区生产总值", "%", "8左右", "8.2"]
        + ["居民人均可支配收入", "%", "与经济增长基本同步", "7.5"]
        + ["每万人发明专利拥有量", "135", "160"]  # the unit cell left out
        + ["新增城镇就业人数", "万人", "3", "3.68"]
        + ["(一)加快发展"]
    )
    text = normalise_text(flat)
    assert "指标 | 单位 | 全年目标 | 完成情况\n地区生产总值 | % | 8左右 | 8.2\n" in text
    assert "每万人发明专利拥有量 |  | 135 | 160\n新增城镇就业人数 | 万人 | 3 | 3.68" in text
    got = dated(flat, report_type="other", year=2021)
    assert [(g[0], g[2], g[3], g[4]) for g in got] == [
        ("gdp", 8.0, "target", 2021),
        ("gdp", 8.2, "actual", 2021),
        ("disposable_income", 7.5, "actual", 2021),
        ("urban_new_jobs", 30000.0, "target", 2021),
        ("urban_new_jobs", 36800.0, "actual", 2021),
    ]
    # lines that merely follow 指标 without the table's shape stay as they are
    assert normalise_text("指标\n\n完成情况良好，经济平稳。") == "指标\n\n完成情况良好，经济平稳。"


def test_numbers_spaced_off_their_units():
    got = dated("2019 年，全区预计实现地区生产总值 369 亿元，增长 7.6 %。")
    assert [(g[2], g[3], g[4]) for g in got] == [
        (3.69e10, "estimate", 2019),
        (7.6, "estimate", 2019),
    ]


def test_a_plan_execution_report_is_no_government_work_report():
    from transform.metadata import report_type

    title = "关于2021年国民经济和社会发展计划执行情况与2022年计划草案的报告"
    assert report_type(title, "——2022年1月21日在某区第二届人民代表大会第二次会议上") == "other"


def test_agreed_investment_sector_figures_and_masked_digits_are_no_facts():
    got = dated(
        "2007年，园区注册协议利用外资2.8亿美元，实际利用外资1.3亿美元；工业税收增长57%；"
        "规上工业销售产值增长5%；规模以上营利性服务业营业收入增长5%。"
    )
    assert [(g[0], g[2]) for g in got] == [("foreign_investment", 1.3e8)]
    got = dated("20XX年，完成固定资产投资29XX6万元，同比增长XX1%；城市居民人均可支配收入增长7%。")
    assert [(g[0], g[2]) for g in got] == [("urban_disposable_income", 7.0)]


def test_the_three_sectors_named_together_take_one_figure_each():
    got = dated("2013年，三次产业增加值分别实现64亿元、135亿元和52亿元，分别增长3.8%、24%和10%。")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("primary_industry_va", "level", 6.4e9),
        ("secondary_industry_va", "level", 1.35e10),
        ("tertiary_industry_va", "level", 5.2e9),
        ("primary_industry_va", "growth_pct", 3.8),
        ("secondary_industry_va", "growth_pct", 24.0),
        ("tertiary_industry_va", "growth_pct", 10.0),
    ]


def test_revenue_and_spending_named_together_keep_their_own_figures():
    got = dated("2023年，一般公共预算收入和支出分别达4.78亿元、20.2亿元，分别增长6.9%、0.8%。")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("general_budget_revenue", "level", 4.78e8),
        ("general_budget_revenue", "growth_pct", 6.9),
    ]


def test_an_untitled_text_naming_one_year_is_of_that_year():
    from transform.documents import read_document

    doc = read_document(
        "今年以来，全县经济稳中有进，2017年虽受环保整治影响，增幅有所回落。\n一、综合\n"
        "初步核算，地区生产总值全年完成116.5亿元，比上年增长4.6%。".encode(),
        name="bulletin.txt",
    )
    assert (doc.report_year, doc.report_year_basis) == (2017, "heading")
    from transform.facts import extract_facts

    assert {(f.year, f.kind) for f in extract_facts(doc)} == {(2017, "actual")}
    # two years named: nothing decides
    doc = read_document("全县2016年和2017年地区生产总值分别增长4.6%和5%。".encode(), name="x.txt")
    assert doc.report_year is None


def test_a_span_or_a_basis_between_subject_and_figure_names_no_other_subject():
    got = dated("预计2015年全市实现地区生产总值450亿元，五年年均增长8.5%。")
    assert [(g[1], g[2]) for g in got] == [("level", 4.5e10), ("growth_pct", 8.5)]
    got = dated("2023年，全区一般公共预算收入53.19亿元，增长22.1%，还原留抵退税口径后增长3.4%。")
    assert [g[2] for g in got] == [5.319e9, 22.1, 3.4]
    got = dated("2006年一季度，全区完成工业总产值45.05亿元，比增48.2%。")
    assert [(g[1], g[2]) for g in got] == [("level", 4.505e9), ("growth_pct", 48.2)]


def test_a_table_caption_with_a_year_does_not_turn_a_release_into_targets():
    got = dated(
        "表1 2017年居民消费价格分类指数\n粮食总产量达到24.5万吨。",
        report_type="other",
        year=2017,
    )
    assert [(g[0], g[3], g[4]) for g in got] == [("grain_output", "actual", 2017)]
    assert normalise_text("表1 2017年") == "表1 2017年"  # a label then a year, not 12017
    assert normalise_text("增长 6 . 5 %") == "增长 6.5%"


def test_a_title_naming_a_half_year_is_dated():
    from transform.metadata import dated_report_year

    year, basis, _ = dated_report_year("2008上半年开发区经协工作总结", "", "work_summary", None)
    assert (year, basis) == (2008, "title")


def test_a_text_dated_only_by_what_it_is_measured_from_or_set_in():
    from transform.metadata import dated_report_year

    release = "1至9月，全区实现固定资产投资57亿元，增长2.7%。\n年末存款余额较2023年末增长6%。"
    assert dated_report_year(None, release, "other", None)[:2] == (2024, "heading")
    speech = "一季度，全区着眼于为“十一五”规划开好局，预计完成生产总值28亿元。"
    assert dated_report_year(None, speech, "other", None)[:2] == (2006, "plan_period")
    # a year the text names for itself wins over both
    named = "2024年1至9月，全区固定资产投资增长2.7%，较2022年末增长6%。"
    assert dated_report_year(None, named, "other", None)[0] == 2024


def test_enterprises_above_the_scale_opening_a_sentence_scope_its_value_added():
    got = dated("2008年，规模以上工业企业预计完成总产值190亿元，完成工业增加值76.5亿元。")
    assert [(g[0], g[2]) for g in got] == [
        ("industrial_output", 1.9e10),
        ("industrial_va_above_scale", 7.65e9),
    ]
    got = dated("2008年，全县完成工业增加值76.5亿元。")
    assert [g[0] for g in got] == ["industrial_va"]


def test_a_growth_whose_percent_sign_was_dropped_is_still_a_percent():
    got = dated("2008年上半年，预计完成固定资产投资33亿元，同比增长102。")
    assert [(g[1], g[2], g[3]) for g in got] == [
        ("level", 3.3e9, "estimate"),
        ("growth_pct", 102.0, "estimate"),
    ]
    assert dated("2008年，全县新增企业增长3家。") == []  # a unit of its own: not a percent


def test_the_whole_a_share_is_of_is_no_subject_for_what_follows():
    got = dated("2008年，生物医药产业完成产值23亿元，占开发区规模以上企业工业总产值的12，增长10。")
    assert got == []  # a sector's figures: neither its share nor its growth is industrial output


def test_a_parks_output_named_right_after_the_park_is_industrial_output():
    got = dated("2024年，龙潭临港产业园产值首次突破300亿元，玉林高新区产值达到280亿元。")
    assert [(g[0], g[2]) for g in got] == [
        ("industrial_output", 3e10),
        ("industrial_output", 2.8e10),
    ]
    assert dated("2024年，全市旅游产值达到80亿元。") == []


def test_a_statistics_releases_natural_growth_rate_is_the_populations():
    got = dated("年末户籍人口21万人，出生率为6.12‰，死亡率为7.35‰，自然增长率为-1.23‰。")
    assert [(g[0], g[1], g[2]) for g in got] == [("population_growth_rate", "rate_pct", -1.23)]


def test_a_figure_restated_in_another_currency_in_brackets_is_two_facts_and_keeps_its_clause():
    got = dated("按常住人口计算，人均GDP为75115元（按年平均汇率折算为11643美元），同比增长7.8%。")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("gdp_per_capita", "level", 75115.0),
        ("gdp_per_capita", "level", 11643.0),
        ("gdp_per_capita", "growth_pct", 7.8),
    ]
    got = dated("全年实现进出口总额52.3亿美元（折合372亿元人民币），增长8%。")
    assert [g[2] for g in got] == [5.23e9, 3.72e10, 8.0]


def test_investment_by_sector_and_branches_of_services_are_not_the_sectors_output():
    got = dated(
        "全县固定资产投资增长16.8%。分产业看，第一产业投资同比增长186.6%，第二产业投资增长46.1%。"
    )
    assert [(g[0], g[2]) for g in got] == [("fixed_asset_investment", 16.8)]
    got = dated(
        "其中，金融业增长4.8%，信息传输、软件和信息技术服务业增长13.7%，租赁和商务服务业增长18.6%。"
    )
    assert got == []
    # the services sector itself still is
    got = dated("全年服务业增加值增长7.3%。")
    assert [(g[0], g[2]) for g in got] == [("tertiary_industry_va", 7.3)]


def test_a_sector_named_bare_under_an_investment_heading_is_its_investment():
    from transform.documents import read_document
    from transform.facts import extract_facts

    text = (
        "2025年一季度全县经济运行情况\n三、固定资产投资增长较快\n"
        "全县固定资产投资增长9.7%。分产业看，第一产业增长129.2%；第二产业增长33.5%。\n"
        "一、农业生产基本稳定\n全县第一产业增加值5.32亿元，增长0.5%。"
    )
    doc = read_document(text.encode(), name="a.txt")
    assert [(f.indicator, f.value) for f in extract_facts(doc)] == [
        ("fixed_asset_investment", 9.7),
        ("primary_industry_va", 5.32e8),
        ("primary_industry_va", 0.5),
    ]


def test_a_fall_on_a_like_for_like_basis_is_read():
    got = dated(
        "全区实现一般公共预算收入70.11亿元，同口径下降19.4%，其中税收收入39.43亿元，同口径下降8.0%。"
    )
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("general_budget_revenue", "level", 7.011e9),
        ("general_budget_revenue", "growth_pct", -19.4),
        ("tax_revenue", "level", 3.943e9),
        ("tax_revenue", "growth_pct", -8.0),
    ]


def test_a_figure_sizing_the_projects_after_it_is_no_value():
    got = dated("社会消费品零售总额、5000万元以上项目投资2项指标增速全市第二。")
    assert got == []
    got = dated("社会消费品零售总额实现46.5亿元以上，增长12.1%。")
    assert [(g[0], g[2]) for g in got] == [("retail_sales", 4.65e9), ("retail_sales", 12.1)]


def test_a_budget_revenue_named_as_budget_type_revenue_is_the_budget_revenue():
    got = dated("一季度，全县地方一般预算性收入6409万元，增长24.23%。")
    assert [(g[0], g[2]) for g in got] == [
        ("general_budget_revenue", 6.409e7),
        ("general_budget_revenue", 24.23),
    ]


def test_two_figures_past_a_threshold_together_and_a_same_below_note():
    got = dated("地区生产总值和全社会固定资产投资跨过双千亿，主要指标增速靠前。")
    assert [(g[0], g[2]) for g in got] == [
        ("gdp", 1e11),
        ("fixed_asset_investment", 1e11),
    ]
    from transform.facts import extract_facts
    from transform.model import Document, Region

    doc = Document(
        "全县地区生产总值达到417亿元，同比（下同）增长9.4%。",
        None,
        None,
        None,
        "other",
        2022,
        Region("某县", "county"),
    )
    assert [(f.measure, f.value, f.qualifier) for f in extract_facts(doc)] == [
        ("level", 4.17e10, "exact"),
        ("growth_pct", 9.4, "exact"),
    ]
    doc = Document(
        "全县地区生产总值跨过百亿元。", None, None, None, "other", 2022, Region("某县", "county")
    )
    assert [f.qualifier for f in extract_facts(doc)] == ["at_least"]


def test_news_of_a_meeting_summing_up_a_year_is_about_that_year():
    from transform.documents import read_document
    from transform.facts import extract_facts

    doc = read_document(
        "1月21日，某县召开县委经济工作会议，总结2021年经济工作，研究部署2022年经济工作。\n"
        "预计全年生产总值增长8.5%，固定资产投资增长12%。".encode(),
        name="a.txt",
        fallback_date="2022-01-24",
    )
    assert {(f.kind, f.year) for f in extract_facts(doc)} == {("estimate", 2021)}


def test_grain_output_named_short_after_the_grains_sown_area_and_no_other_crops():
    got = dated(
        "全县粮食播种面积81.46万亩，产量36.17万吨，同比增长1.6%；油料产量3.78万吨，猪肉产量3.97万吨。"
    )
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("grain_output", "level", 3.617e8),
        ("grain_output", "growth_pct", 1.6),
    ]


def test_respective_figures_of_different_subjects_keep_each_subjects_own_measure():
    got = dated("城镇登记失业率、居民消费价格指数和人口自增率分别控制在4.2%、3%、2.5‰以内。")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("registered_unemployment_rate", "rate_pct", 4.2),
        ("cpi", "growth_pct", 3.0),
        ("population_growth_rate", "rate_pct", 2.5),
    ]


def test_sector_shares_named_short_and_a_change_since_last_year_end():
    got = dated("一产业所占比重上升0.4个百分点，二产业所占比重下降1.9个百分点。")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("primary_industry_va", "change_pp", 0.4),
        ("secondary_industry_va", "change_pp", -1.9),
    ]
    got = dated("年末常住人口77.60万人，城镇化率37.63%，比上年末提高1.22个百分点。")
    assert [(g[1], g[2]) for g in got] == [("share_pct", 37.63), ("change_pp", 1.22)]


def test_respective_figures_that_do_not_match_their_subjects_in_number_are_left_out():
    # two subjects, three figures: which is whose cannot be told, and a wrong pair is worse
    assert dated("城镇居民和农村居民人均可支配收入分别增长8%、9%、10%。") == []
    got = dated("城镇居民和农村居民人均可支配收入分别增长8%、9%。")
    assert [(g[0], g[2]) for g in got] == [
        ("urban_disposable_income", 8.0),
        ("rural_disposable_income", 9.0),
    ]


def test_the_growth_of_a_part_of_the_economy_is_not_the_economys():
    assert dated("新增四上企业100家以上，新经济增长20%以上。") == []
    got = dated("全年经济增长8%左右。")
    assert [(g[0], g[2]) for g in got] == [("gdp", 8.0)]


def test_figures_after_respectively_with_only_one_subject_read_are_left_out():
    # 工业销售收入 is no indicator: the figures after 分别 are not all fixed-asset investment's
    got = dated("工业销售收入62亿元，固定资产投资24.3亿元，比上年分别增长36.8%、25%、33.3%。")
    assert [(g[0], g[1]) for g in got] == [("fixed_asset_investment", "level")]
    # a span of years gives one subject its figures in turn
    got = dated(
        "2016年至2018年，开发区分别完成地区生产总值236.3亿元、314.5亿元、365亿元。", year=2018
    )
    assert [g[4] for g in got] == [2016, 2017, 2018]
