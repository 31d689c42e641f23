from datetime import date

from transform.metadata import (
    area_named_before,
    find_region,
    parse_date,
    region_from_name,
    report_type,
    report_year,
)


def test_report_types_and_years():
    assert report_type("某市2024年政府工作报告", "") == "government_work_report"
    assert (
        report_type(None, "——2018年1月14日在红旗区第十四届人民代表大会第二次会议上\n各位代表")
        == "government_work_report"
    )
    assert report_type("新乡高新区2014年工作要点", "") == "work_plan"
    assert report_type("2023年工作总结", "") == "work_summary"
    assert report_type("关于调整公交线路的通告", "公交") == "other"
    assert report_year("某市2024年政府工作报告", "", "government_work_report", None) == 2024
    text = "政府工作报告\n\n2018年工作回顾\n2018年是改革开放40周年。"
    assert report_year("政府工作报告", text, "government_work_report", None) == 2019
    assert (
        report_year(
            None,
            "——2018年1月14日在红旗区第十四届人民代表大会第二次会议上",
            "government_work_report",
            None,
        )
        == 2018
    )
    assert report_year(None, "没有年份", "other", date(2021, 8, 31)) == 2021


def test_dates():
    assert parse_date("2014-01-24 09:30") == date(2014, 1, 24)
    assert parse_date("2018年1月14日") == date(2018, 1, 14)
    assert parse_date("2018-13-40") is None and parse_date(None) is None


def test_regions_levels_and_codes():
    assert region_from_name("新乡市红旗区").code == "410702"
    assert region_from_name("河南省").level == "province"
    zone = region_from_name("株洲高新区")
    assert (zone.level, zone.code) == ("zone", None)
    assert (
        find_region("新乡高新区管委会关于印发新乡高新区2014年工作要点的通知", None, "").name
        == "新乡高新区"
    )
    assert (
        find_region(
            None, None, "——2018年1月14日在红旗区第十四届人民代表大会第二次会议上", "新乡市"
        ).name
        == "新乡市红旗区"
    )
    assert find_region("政府工作报告", None, "各位代表：", "株洲市天元区").name == "株洲市天元区"


def test_area_named_before_an_indicator():
    text = "株洲高新区营业总收入突破2200亿元。高新区经济总量增长8%以上。"
    assert area_named_before("高新区", "株洲市天元区", text) == "株洲高新区"
    assert area_named_before("天元区", "株洲市天元区", text) == "株洲市天元区"
    assert area_named_before("新乡市", "新乡市红旗区", text) == "新乡市"
    for head in ("全区", "我区", "城区", "园区", "两区", "力争", "其中"):
        assert area_named_before(head, "株洲市天元区", text) is None, head
    assert area_named_before("开发区", "温州经济技术开发区", "") == "温州经济技术开发区"


def test_publisher_from_a_signature_line():
    from transform.documents import read_document

    doc = read_document(
        "关于印发2014年工作要点的通知\n各局、办:\n现予以印发。\n新乡高新区管委会\n2014年1月24日\n".encode()
    )
    assert doc.publisher == "新乡高新区管委会" and doc.publish_date == date(2014, 1, 24)


def test_gazetteer_names_codes_and_parents():
    from transform.gazetteer import lookup, qualified_name

    assert lookup("天元区").code == "430211"
    assert qualified_name(lookup("天元区")) == "株洲市天元区"
    assert lookup("湖南省株洲市天元区").code == "430211"
    assert lookup("朝阳区") is None  # Beijing's or Changchun's: the name alone cannot say
    assert lookup("朝阳区", "长春市委、市政府").code == "220104"
    assert qualified_name(lookup("北京市朝阳区")) == "北京市朝阳区"
    assert qualified_name(lookup("昆山市")) == "昆山市"  # a county-level city stands alone
    assert lookup("市辖区") is None and lookup("集聚区") is None
    assert region_from_name("鹿城区").code == "330302"


def test_region_of_a_report_that_names_itself_nowhere():
    district = (
        "2018年工作回顾\n天元区经济运行总体平稳，地区生产总值增长9%。株洲市下达的任务全面完成。"
        "天元区获评全省文明城区，全市第一。天元区新增就业5000人，株洲市级项目12个。"
    )
    assert find_region("政府工作报告", None, district).name == "株洲市天元区"
    city = (
        "我市经济平稳。我市与郑州市、开封市合作。郑州市投资增长，开封市消费增长，郑州市出口增长。"
    )
    assert find_region(None, None, city).name == "郑州市"
    tie = "天元区和芦淞区各新增项目3个。天元区、芦淞区投资均增长。"
    assert find_region(None, None, tie) is None  # two named as often: no guess
    zone = "集聚区实现晋位升级，全区上下抢抓机遇。集聚区预计地区生产总值增长8%。"
    assert find_region(None, None, zone) is None


def test_a_named_district_gets_its_city_from_the_gazetteer():
    assert find_region("红旗区2018年政府工作报告", None, "").name == "新乡市红旗区"
    assert find_region("朝阳区政府工作报告", None, "").name == "朝阳区"  # ambiguous: as written
    text = "长春市朝阳区第十七届人民代表大会。"
    assert find_region("朝阳区政府工作报告", None, text).name == "长春市朝阳区"


def test_zone_abbreviations_resolve_only_to_named_places():
    text = "也是集聚区实现晋位升级的一年，要加快集聚区建设。集聚区预计地区生产总值增长8%。"
    assert area_named_before("集聚区", None, text) is None
    text = "新乡高新区营业收入增长10%。高新区经济总量增长8%以上。"
    assert area_named_before("高新区", None, text) == "新乡高新区"


def test_a_title_naming_two_kinds_is_the_first_kind():
    title = "某区人民政府2023年工作总结和2024年工作计划"
    assert (report_type(title, ""), report_year(title, "", "work_summary", None)) == (
        "work_summary",
        2023,
    )
    assert report_type("某区2024年工作要点及2023年工作总结", "") == "work_plan"
    assert report_type("2024年政府工作报告暨2023年工作总结", "") == "government_work_report"
    # the year's overall picture (总体情况) with next year's plans (打算) is a summary first
    title = "某开发区2022年经济社会发展总体情况和2023年工作打算汇报"
    assert (report_type(title, ""), report_year(title, "", "work_summary", None)) == (
        "work_summary",
        2022,
    )
    # a notice issuing the year's development plan is the plan
    assert report_type("某市人民政府关于下达2020年某市国民经济和社会发展计划的通知", "") == (
        "work_plan"
    )


def test_an_untitled_text_is_a_plan_only_where_a_line_names_it_so():
    # a statistics release that follows the county's guidelines (工作思路) in a sentence
    release = (
        "2022年，全县上下按照县委“一二三”工作思路，统筹发展和安全。\n一、综合\n全年生产总值增长5%。"
    )
    assert report_type(None, release) == "other"
    # a plan whose opening line is labelled with what it is
    plan = "2019年是关键一年，全区上下要狠抓落实。\n总体工作思路：稳中求进，全面推进。"
    assert report_type(None, plan) == "work_plan"
    assert report_type(None, "某区2024年工作要点\n一、总体要求") == "work_plan"


def test_a_title_naming_a_government_wins_over_the_sources_region():
    # a place whose name opens with a numeral, and a zone no gazetteer knows
    assert find_region("三沙市2024年政府工作报告", None, "", "海南省").name == "三沙市"
    zone = find_region("赣江新区2023年政府工作报告", None, "", "南昌市")
    assert (zone.name, zone.level, zone.code) == ("赣江新区", "zone", None)
    # 关于印发…的通知 opens the title, not the name
    assert (
        find_region("关于印发临港新片区2024年工作要点的通知", None, "", None).name == "临港新片区"
    )
    # a title naming nobody: the source's region
    assert find_region("2024年政府工作报告", None, "", "新乡市").name == "新乡市"
