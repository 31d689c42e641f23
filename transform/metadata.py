"""Report metadata from page fields and text: title, date, publisher, type, year, region."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import cache, lru_cache
from importlib import resources

from transform import gazetteer
from transform.dating import PLAN_PERIOD_ALL
from transform.model import Region

_REPORT_TYPES = (
    (
        "government_work_report",
        re.compile(r"政府工作报告|在.{0,20}人民代表大会.{0,12}会议上|向大会报告工作"),
    ),
    (
        "work_plan",
        re.compile(r"工作要点|工作计划|工作思路|工作安排|工作打算|重点工作|预期目标|发展计划"),
    ),
    ("work_summary", re.compile(r"工作总结|年度总结|工作情况|工作回顾|(?:总体|发展)情况")),
)
# 关于2021年国民经济和社会发展计划执行情况与2022年计划草案的报告: not a government work report,
# though delivered to the same congress; its title's first year is the year it reviews
_EXECUTION_REPORT = re.compile(r"(?:计划|预算)执行情况")
# In the opening text (no title), only words that name the document itself: a news story about
# a report says 预期目标 and 重点工作 too.
_HEAD_TYPES = (
    _REPORT_TYPES[0],
    ("work_plan", re.compile(r"工作要点|工作计划|工作思路|工作打算")),
    ("work_summary", re.compile(r"工作总结|年度总结")),
)
_SENTENCE_MARK = re.compile(r"[，,。；;]")
_LINE_LABEL = re.compile(r"^([^，,。；;：:]{0,12}(?=[：:])|)")  # 总体工作思路： (or nothing)
_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
_DELIVERED = re.compile(r"(20\d{2})年\s*\d{1,2}月\s*\d{1,2}日\s*在.{0,40}(?:人民代表大会|人大)")
_YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*(?:年|(?=[上下]半年))")
_SINCE_YEAR_END = re.compile(r"(?:较|比)((?:19|20)\d{2})\s*年(?:末|底)")
_PLAN_START = re.compile(
    r"[“\"]?(十[一二三四五]五)[”\"]?(?:规划)?(?:开好局|开局|的?开局之年|的?第一年|起好步)"
)
_OPENING_YEAR = re.compile(r"(?<![比较同与于到至从由\d])((?:19|20)\d{2})\s*年(?![底末]?的|同期)")
_OPENS_ON_YEAR = re.compile(r"\s*((?:19|20)\d{2})\s*年(?![底末]|[一二三四]?季度|上半年|\d)")
_REVIEWED_YEAR = re.compile(r"回顾了?\s*(20\d{2})\s*年的?(?:政府)?工作")  # 报告回顾了2017年工作
_SUMMED_UP_YEAR = re.compile(r"总结\s*(20\d{2})\s*年")
_TITLE_REVIEW = re.compile(r"回顾|完成|成效|成就|成绩|取得")
_REVIEW_HEAD = re.compile(r"(20\d{2})\s*年(?:工作)?回顾|过去的?一年")
_REGION = re.compile(
    r"((?:[\u4e00-\u9fff]{2,7}?(?:省|自治区|市))?[\u4e00-\u9fff]{1,8}?"
    r"(?:经济技术开发区|高新技术产业开发区|经济开发区|高新区|开发区|经开区|产业集聚区|集聚区|新区|"
    r"自治州|自治县|省|市|区|县))"
)
_NOT_REGION = re.compile(
    r"^(?:全|我|本|各|该|辖|城|园|社|景|片|校|矿|山|灾|库|示范|试验|功能|核心|[一二两三四五六七八九十]|"
    r"新城|老城|城乡|农村|重点|工业|产业|开发|管委|政府|人民|地区|市区|城区|郊区|省市|县市|市县|区县)"
)
_AREA = re.compile(
    r"[\u4e00-\u9fff]{0,8}?(?:高新技术产业开发区|经济技术开发区|经济开发区|高新区|开发区|经开区|"
    r"新区|自贸区|产业集聚区|集聚区|综合保税区|自治县|自治州|县|区|市|省)"
)
# a zone's full name after a break (read in "\n" + the text, so that the break is a character:
# a pattern opening with a class lets `re` skip to where it can start, one opening with a
# look-behind is tried at every character)
_ZONE_NAME = re.compile(
    r"[\s，。；：、,.;:（(“\"]([\u4e00-\u9fff]{2,4})(高新区|开发区|经开区|新区|集聚区)"
)
_AREA_LEAD = re.compile(
    r"^(?:力争|确保|预计|实现|全年|今年|其中|同时|努力|争取|推动|促进|全力|计划|在)+"
)
_GENERIC_ZONE = re.compile(
    r"(?:国家级|省级)?(?:高新区|开发区|经开区|新区|集聚区|自贸区|经济开发区|经济技术开发区)"
)
_AREA_TAIL = re.compile(r"(?:的|实现|完成|全年|共|累计|预计|今年|去年|上年)+$")


def _place_stem(stem: str) -> bool:
    """Does a zone name start with a place (新乡 in 新乡高新区)?"""
    places = gazetteer.short_names()
    return stem[:2] in places or stem[:3] in places


@lru_cache(maxsize=4)
def _zone_names(doc_text: str) -> list[tuple[str, str]]:
    """(name, stem) of every zone a document names in full: found once per document, not once
    per fact (the facts of one document come one after another)."""
    return [(m.group(1) + m.group(2), m.group(1)) for m in _ZONE_NAME.finditer("\n" + doc_text)]


def area_named_before(head: str, doc_region: str | None, doc_text: str) -> str | None:
    """The area a clause names right before an indicator (`高新区经济总量…`), resolved against the
    report: the report's own region (天元区 in a 株洲市天元区 report) or the full name of an
    abbreviated zone (高新区 -> 株洲高新区). None when the clause names no area."""
    head = _AREA_LEAD.sub("", _AREA_TAIL.sub("", head.strip()))
    if len(head) < 2 or not _AREA.fullmatch(head):
        return None
    if _GENERIC_ZONE.fullmatch(head):
        # an abbreviation such as 高新区: the report's own zone, or one it names in full somewhere
        if doc_region and region_from_name(doc_region).level == "zone":
            return doc_region
        full = [
            name
            for name, stem in _zone_names(doc_text)
            if name.endswith(head)
            and not re.search("国家级|省级|全国|全省", name)
            and not _AREA_LEAD.match(stem)  # 实现高新区: a verb before the word, no name
            and not _NOT_REGION.match(stem)
            and _place_stem(stem)  # 新乡高新区, not 加快集聚区 / 也是集聚区
        ]
        # the name used most often, the earliest on a tie: never the order of a set
        return max(dict.fromkeys(full), key=full.count) if full else None
    if _NOT_REGION.match(head):
        return None
    if doc_region and (doc_region.endswith(head) or doc_region in head):
        return doc_region
    return head


_ZONE = re.compile(r"开发区|高新区|经开区|集聚区|新区")


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def report_type(title: str | None, text: str) -> str:
    """政府工作报告 wherever it is said; otherwise the kind the title names first
    (`2023年工作总结和2024年工作计划` is a summary with a plan attached), then the text's."""
    if title and _EXECUTION_REPORT.search(title):
        return "other"  # a plan's or budget's execution: reviewed year first, then the draft
    found = [(m.start(), n) for n, p in _REPORT_TYPES if title and (m := p.search(title))]
    if found:
        names = [n for _, n in found]
        return "government_work_report" if "government_work_report" in names else min(found)[1]
    head = text[:600]
    if _HEAD_TYPES[0][1].search(head):
        return _HEAD_TYPES[0][0]
    # the other kinds only where a line names the document: a title line (short, no sentence
    # in it) or a line's label (总体工作思路：…); inside a sentence they are what it follows
    # (按照县委…工作思路), not what it is
    titles = [
        ln if len(ln) <= 50 and not _SENTENCE_MARK.search(ln) else _LINE_LABEL.match(ln)[1]
        for ln in head.split("\n")
    ]
    for name, pattern in _HEAD_TYPES[1:]:
        if any(pattern.search(ln) for ln in titles):
            return name
    return "other"


def report_year(title: str | None, text: str, kind: str, published: date | None) -> int | None:
    """The year a report is for: its title's year, its delivery date, or year after its review."""
    return dated_report_year(title, text, kind, published)[0]


def dated_report_year(
    title: str | None, text: str, kind: str, published: date | None
) -> tuple[int | None, str, str]:
    """(report year, what dated it, the words that did): `title` for the title or the delivery
    line (dateline), `heading` for the text's own opening words (2023年工作回顾, 2024年是…),
    `publish_date`, or (None, `unknown`, "")."""
    if title and (m := _YEAR_IN_TITLE.search(title)):
        year = int(m.group(1))
        if kind == "government_work_report" and _TITLE_REVIEW.search(title, m.end()):
            year += 1  # 2021年工作回顾, 2021年…目标任务全面完成: the year the report reviews
        return year, "title", title
    head = text[:1500]
    if m := _DELIVERED.search(head):
        return int(m.group(1)), "title", m.group(0)
    if kind == "government_work_report" and (
        ((m := _REVIEW_HEAD.search(head)) and m.group(1)) or (m := _REVIEWED_YEAR.search(head))
    ):
        return int(m.group(1)) + 1, "heading", m.group(0)
    if m := re.search(
        r"(20\d{2})\s*年(?:是|，|,|的?(?:主要)?(?:工作|预期目标|目标任务|总体要求))", head
    ):
        year = int(m.group(1))
        if (
            kind == "government_work_report"
            and m.group(0).endswith(("，", ","))
            and (published is None or published.year > year)
        ):
            year += 1  # `2018年，全市…` opens a report's review of the year before it (not
            # in news of a report published that year: `2013年，某县计划…` is its plans)
        return year, "heading", m.group(0)
    if m := _SUMMED_UP_YEAR.search(head):  # 总结2021年经济工作，部署2022年…: news of a meeting
        return int(m.group(1)), "heading", m.group(0)
    if kind not in ("government_work_report", "work_plan") and (m := _OPENS_ON_YEAR.match(head)):
        # a release or summary opening on its year (`2022年党的二十大胜利召开…`): the year its
        # figures are for, whenever the page was posted
        return int(m.group(1)), "heading", m.group(0)
    if published:
        return published.year, "publish_date", published.isoformat()
    # an untitled, undated text whose opening names one year only, and not as a comparison
    # (`…2017年虽然受环保整治影响…`): that year
    named = {m.group(1) for m in _OPENING_YEAR.finditer(head)}
    if len(named) == 1:
        year = named.pop()
        return int(year), "heading", f"{year}年"
    # no year named for the text's own figures, but one it is measured from or set in:
    # `较2023年末` in a statistics release is of 2024; `为十一五规划开好局` is 2006
    if not named:
        if m := _SINCE_YEAR_END.search(text):
            return int(m.group(1)) + 1, "heading", m.group(0)
        if m := _PLAN_START.search(head):
            return PLAN_PERIOD_ALL[m.group(1)] - 4, "plan_period", m.group(0)
    return None, "unknown", ""


_REGION_CONTEXTS = (
    re.compile(r"在([\u4e00-\u9fff]{2,16}?)第[一二三四五六七八九十]{1,4}届人民代表大会"),
    re.compile(r"(?:^|[\s:：，,。])([\u4e00-\u9fff]{2,16}?)(?:人民政府|管委会|管理委员会)"),
)


# words a title opens with before the government it names (关于印发…的通知, 关于…的报告)
_TITLE_LEAD = re.compile(r"^(?:关于印发|关于转发|关于|印发|转发)")


def _region_at_start(text: str) -> str | None:
    text = _TITLE_LEAD.sub("", text.strip())
    m = _REGION.fullmatch(text) or _REGION.match(text)
    if not m or len(m.group(1)) < 3:
        return None
    name = m.group(1)
    if not _NOT_REGION.match(name) or gazetteer.lookup(name) is not None:
        return name  # 三沙市, 六安市, 九江市: places whose names start with a numeral
    return None


def find_region(
    title: str | None, publisher: str | None, text: str, source_region: str | None = None
) -> Region | None:
    """The government a report is about: named at the start of its title or publisher, in its
    delivery line (在X第N届人民代表大会) or before 人民政府/管委会, else the source's region.
    A district found without its city is given the source's city (红旗区 + 新乡市)."""
    name = None
    for candidate in (title, publisher):
        if candidate and (name := _region_at_start(candidate)):
            break
    if name is None:
        head = text[:1500]
        for pattern in _REGION_CONTEXTS:
            for m in pattern.finditer(head):
                if found := _region_at_start(m.group(1)):
                    name = found
                    break
            if name:
                break
    if name is None and source_region:
        return region_from_name(source_region)
    if name is None:
        name = _most_named_self(text)
    elif source_region is None:
        # a district or county named alone: with its city when the table settles which it is
        found = gazetteer.lookup(name, text[:3000])
        if found is not None and found.level in ("district", "county"):
            name = gazetteer.qualified_name(found)
    if name is None:
        return None
    if source_region and source_region != name and not name.startswith(source_region[:2]):
        parent = region_from_name(source_region)
        if parent.level in ("city", "province") and region_from_name(name).level in (
            "district",
            "county",
        ):
            name = source_region + name
        elif name in source_region:
            name = source_region
    return region_from_name(name)


_SELF = {"区": ("district",), "县": ("county",), "市": ("city",), "省": ("province",)}


def _most_named_self(text: str) -> str | None:
    """A report that names itself nowhere (no title, publisher or delivery line): the division
    it names most often (at least twice, more than any other). Its level is the one it calls
    itself by (我区 / 我市, twice or more), else the most specific level named twice: a district
    report names its city too, a city report says 我市. (全市 / 全省 are no clue: districts
    rank themselves 全市第一.) Zones are never guessed."""
    said = {k: text.count(f"我{k}") for k in _SELF}
    own = max(said, key=lambda k: said[k])
    tiers = [_SELF[own]] if said[own] >= 2 else [("district", "county"), ("city",)]
    for levels in tiers:
        ranked = gazetteer.mentions(text, levels).most_common(2)
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
            return gazetteer.qualified_name(ranked[0][0])
    return None


@cache
def _region_codes() -> dict[str, str]:
    raw = resources.files("transform.rules").joinpath("regions.toml").read_text("utf-8")
    return tomllib.loads(raw)["codes"]


def region_from_name(name: str) -> Region:
    """A Region with its level and, where the table has it, its GB/T 2260 code."""
    if _ZONE.search(name):
        level = "zone"
    elif name.endswith(("省", "自治区", "特别行政区")) or name in (
        "北京市",
        "天津市",
        "上海市",
        "重庆市",
    ):
        level = "province"
    elif name.endswith(("区", "县", "旗", "自治县")):
        level = "district" if name.endswith("区") else "county"
    elif name.endswith(("市", "自治州", "盟")):
        level = "city"
    else:
        level = "unknown"
    code = None
    if level != "zone":
        code = _region_codes().get(name)
        if code is None and (found := gazetteer.lookup(name)) is not None:
            code = found.code
    return Region(name=name, level=level, code=code)
