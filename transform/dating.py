"""When a figure is for and what kind it is: the year and kind of each fact, and what decided them.

A fact's year comes from the nearest thing that names one: the clause (2024年, 去年, 到2025年), the
paragraph's last named year, the section's heading, else the document (its title or dateline, its
publication date); a plan period's span dates averages and start figures. Its kind comes from the
cue words before the number (a goal word makes a target, 预计 an estimate), else a named past year
(a result), else the section. Every decision carries its basis (docs/facts.md: year_basis,
kind_basis) and the words behind it, for `govreports extract --explain`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from transform.clauses import CLAUSE_SEP
from transform.model import Document
from transform.numbers import Quantity, find_quantities, parse_chinese_numeral
from transform.sections import Sentence
from transform.tables import Column

# (A pattern here opens with a literal or a class where it can, a look-behind after it: `re`
# skips ahead to where such a pattern can start; one opening with a look-behind, or with
# alternatives of several forms, is tried at every character of every clause it reads.)
_TARGET_YEAR = re.compile(
    r"(?=[到至在2])(?:(?:到|至|在)\s*(20\d{2})\s*年(?![底末]?的)|(20\d{2})\s*年\s*(?:末|底|前)(?!的))"
)
_FROM_DATED = re.compile(r"(?:从|由)\s*(?:19|20)\d{2}\s*年(?:底|末)?的")
_DATED_FIGURE = re.compile(r"((?:19|20)\d{2})\s*年(?:的|底的|末的)\s*$")
_CLAUSE_BREAK = re.compile(r"[，,：:；;]")
# what may stand before a 预计 that opens its sentence: a time, the whole area, a source
_OPENING_FILLER = re.compile(
    r"[\s\d年月日至到份度]|全年|今年|去年|上年|本年|当年|全[县市区省州镇盟旗]|我[县市区]"
    r"|初步|据统计|经|综合|测算|核算"
)
# `从1.5万亿元增加到2.1万亿元`: the first figure is the base the change started from.
_FROM = re.compile(r"(?:从|由)\s*$")
_FROM_PERIOD_END = re.compile(
    r"(?:从|由)\s*[“\"‘]?(十[一二三四五]五|十五|九五)[”\"’〞]?(?:末|期末)的?\s*$"
)
_TO = re.compile(
    r"^\s*(?:[^\d，,；;。]{0,6}?)(?:(?:增加|提高|增长|上升|扩大|提升|跃升|跃居|发展|攀升|升)(?:到|至)|增至|达到)"
)
_YEARS_SPAN = re.compile(
    r"(?:过去|近|这)([一二两三四五六七八九十\d]{1,3})\s*年"
    r"|([一二两三四五六七八九十\d]{1,3})\s*年(?:来|间|中|里|以来)"
)
_PLAN_PERIOD_SPAN = re.compile(
    r"(?<![由从比较是于与])[“\"‘]?(十[一二三四五]五|(?<![一二三四五六七八九十])十五|九五)[”\"’〞」]?(?:期间|以来|时期|期末|末)"
)
# a heading reviewing a plan period: “十一五”经济社会发展回顾
_PLAN_REVIEW_HEADING = re.compile(r"(十[一二三四五]五|十五|九五)[^，。；]{0,12}回顾")
_PLAN_PERIOD = {"十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
PLAN_PERIOD_ALL = {"九五": 2000, "十五": 2005, "十一五": 2010, **_PLAN_PERIOD}

ESTIMATE_NOTE = re.compile(r"[（(]\s*预计数?\s*[，,、]?\s*下同\s*[）)]")


class Dating(NamedTuple):
    """A fact's kind and year with what decided each (docs/facts.md: year_basis, kind_basis);
    a named tuple, as transform/numbers.Quantity."""

    kind: str
    year: int | None
    year_basis: str
    kind_basis: str
    year_cue: str = ""  # the words that dated it
    kind_cue: str = ""  # the words that decided the kind (a heading when the section did)


# the words that say a figure is a goal / a result, for kind_basis (last one before the number)
_TARGET_WORD = re.compile(r"力争|争取|确保|目标|预期|计划|控制在|努力")
_ACTUAL_WORD = re.compile(r"实现|完成|达到|初步核算|累计|全年")
# Words that make what follows in the sentence a goal: a targets block opened inside the sentence
# (主要预期目标是：…), 力争 / 确保. Not 目标 after 完成 / 实现 (超额完成目标任务 is a result) nor
# a plan quoted as a yardstick (占年度计划的24%).
_TARGET_CUE = re.compile(
    r"预期目标|主要目标|发展目标|奋斗目标|工作目标|增长目标|控制目标|目标任务是|目标是|目标为"
    r"|目标[:：]|目标(?:定为|确定为|设定为)|目标(?<![完实达超]目标)(?=[^，,；;。]{0,12}?(?:增长|达到|实现|控制))"
    r"|力争|争取|确保|预期(?!的|之)|计划(?=[^，,；;。]{0,4}(?:增长|完成|实现|达到))"
    r"|指标(?:体系)?安排|预期(?:发展)?指标|主要(?:发展)?指标[是为:：]"
)
# a word each of those holds: a cheap test first (the pattern opens with characters as common
# as 发 and 增, and tries all its alternatives at each of them)
_GOAL_WORD = re.compile(r"目标|力争|争取|确保|预期|计划|指标")
# a goal named as met or missed (未达预期目标, 完成目标任务) says nothing of the figures after it
_GOAL_MET = re.compile(r"(?:未达到?|达到|完成|实现|超额完成|超过)$")
# a sentence that opens a block of goals (…主要预期目标是：, 指标体系安排，具体为：): the
# sentences after it in its paragraph are goals too, unless they say otherwise
TARGET_BLOCK = re.compile(
    r"目标[^。；;]{0,8}?[:：]|指标[^。；;]{0,8}?[:：]|安排[^。；;]{0,8}?[:：]|目标[是为]"
)
_ESTIMATE_CUE = re.compile(r"预计|预测|预估|有望")
_GOAL_MET_BEFORE = re.compile(r"完成|实现|达到|超额|突破|超过")
_GOAL_AFTER = re.compile(r"(?:左右|以上|以内)?的?(?:年度|预期|发展|增长|奋斗)?(目标)")
_FIGURE = re.compile(r"\d+(?:\.\d+)?(?![\d.])(?!\s*[年月日届次号])")  # no year, date, session
# a sentence naming the year of the document's goals: 提出2009年…经济社会发展的预期目标
GOALS_OF_YEAR = re.compile(
    r"((?:19|20)\d{2})(?<![比较与同于到从由]\d{4})\s*年[^。；;]{0,30}?"
    r"(?:预期目标|主要目标|发展目标|目标任务|总体要求|指标安排|指标体系安排)"
)
# A year the clause names for its figures: not a comparison base (比2015年, 较2023年末, 与2015年
# 相比), not a goal's end (到2025年: _TARGET_YEAR), not a figure dated in passing (2018年的500亿).
_CLAUSE_YEAR = re.compile(
    r"((?:19|20)\d{2})(?<![比较与同于到从由]\d{4})\s*年(?:度)?"
    r"(?!\s*(?:同期|的|底的|末的|以来|相比|比|水平|基础|末|底|前))"
)
_RELATIVE_YEAR = re.compile(
    r"(今年|本年|明年|去年|上年)(?<![比较于同与由从]..)(?!同期|基础|水平|同比|的|末的|底的)"
)
# a remark in brackets (`（扣除2022年灾后重建支出外）`): the years in it date nothing after it
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")
_RELATIVE_OFFSET = {"今年": 0, "本年": 0, "明年": 1, "去年": -1, "上年": -1}


def _cue(pattern: re.Pattern[str], before: str, fallback: str) -> str:
    found = pattern.findall(before)
    return found[-1] if found else fallback


def _estimate_after_goals(before: str) -> bool:
    """预计 after the last goal word, with a year named between them (the text moved on from
    next year's goals to this year's estimates)."""
    goals = [m.end() for m in _TARGET_CUE.finditer(before)]
    estimates = [m.start() for m in _ESTIMATE_CUE.finditer(before)]
    if not goals or not estimates or estimates[-1] < goals[-1]:
        return False
    return bool(_CLAUSE_YEAR.search(before, goals[-1], estimates[-1] + 12))


def _without_remarks(text: str) -> str:
    """`text` with its bracketed remarks blanked out (same length): their years date nothing."""
    if "（" not in text and "(" not in text:
        return text
    return _BRACKETED.sub(lambda b: " " * len(b.group()), text)


def _estimate_word(before: str, prior: int, estimate_note: bool) -> str:
    """The word that makes the figure an estimate: 预计 in its own clause, or opening the
    sentence (in `before`'s first `prior` characters, the earlier clauses), or a note's."""
    return (
        _cue(_ESTIMATE_CUE, before[prior:], "")
        or _opening_estimate(before[:prior])
        or ("预计" if estimate_note else "")
    )


def _opening_estimate(clauses: str) -> str:
    """预计 (or another estimate word) where it opens the sentence: no figure before it, and
    nothing but a time or scope before it in its clause (`2022年预计…`, `预计全年…`; not
    `生产总值预计达到739亿元`, which is that clause's own)."""
    cue = _ESTIMATE_CUE.search(clauses) if clauses else None
    if cue is None:
        return ""
    before_cue = clauses[: cue.start()]
    if find_quantities(before_cue) or _FIGURE.search(before_cue):
        return ""
    own_clause = _CLAUSE_BREAK.split(before_cue)[-1]
    return "" if _OPENING_FILLER.sub("", own_clause) else cue.group()


def target_cue(before: str) -> str:
    """The last goal word before the number that is not a goal met or missed."""
    if not _GOAL_WORD.search(before):
        return ""
    for m in reversed(list(_TARGET_CUE.finditer(before))):  # the last that is no goal met
        if not _GOAL_MET.search(before[max(0, m.start() - 4) : m.start()]):
            return m.group()
    return ""


def kind_and_year(
    sentence: Sentence,
    before: str,
    now: int | None,
    estimate_note: bool,
    para_year: tuple[int, str] | None = None,
    target_block: str = "",
    goal_year: tuple[int, str] | None = None,
    prior: int = 0,
) -> Dating:
    """Kind and year of a number from what precedes it in its sentence (`before`, the earlier
    clauses included), else its paragraph's year, else the section (heading) or the document.

    Kind: a goal word before the number (目标是, 力争, 确保) makes a target; else 预计 (before it,
    or a 预计…下同 note) an estimate; else a year before the report's a result; else the
    section's phase (a review gives results, a plan targets). `before` opens with the sentence's
    earlier clauses (`prior` characters, before a ；), where a 预计 counts only opening it."""
    period = sentence.period
    year, year_basis, year_cue = period.year, period.year_basis, period.cue
    named_here = para_year is not None  # a year this paragraph or sentence names
    if para_year is not None:
        year, year_basis, year_cue = para_year[0], "heading", para_year[1]
    # the year 今年 means: the document's present (present_year), else the period's
    anchor = now if now is not None else period.year
    dated_here = "年" in before  # every year pattern below reads a 年
    named = relative = None
    before_years = _without_remarks(before) if dated_here else before
    for m in _CLAUSE_YEAR.finditer(before_years) if dated_here else ():
        named = m
    for m in _RELATIVE_YEAR.finditer(before_years) if dated_here else ():
        relative = m
    if named and (relative is None or named.end() > relative.end()):
        year, year_basis, year_cue = int(named.group(1)), "sentence", named.group(0)
        named_here = True
    elif relative and anchor is not None:
        word = relative.group(1)
        year, year_basis, year_cue = anchor + _RELATIVE_OFFSET[word], "sentence", word
        named_here = True
    estimate = _estimate_word(before, prior, estimate_note)
    # a block of goals opened earlier in the paragraph, unless this sentence dates itself or
    # says 预计 (长沙2022年预计…, after 郑州's goals)
    in_block = target_block if not estimate and year_basis != "sentence" else ""
    target = target_cue(before) or in_block
    if target and estimate and _estimate_after_goals(before):
        target = ""  # 2023年目标…，长沙2022年预计增长4.8%: a new, earlier year with its estimate
    if target:
        kind, kind_basis = "target", target
        if not named_here and goal_year is not None:
            # 提出2009年…预期目标。(next paragraph) 主要预期目标是：…: the year named for the goals
            year, year_basis, year_cue = goal_year[0], "heading", goal_year[1]
        elif (
            not named_here
            and period.phase == "review"
            and period.kind_basis == "default"
            and anchor is not None
        ):
            # goals set in a text that is dated only as a whole (news of a report): the goals
            # are for the document's present year, not the year its results are for
            year = anchor
    elif estimate:
        kind, kind_basis = "estimate", estimate
    elif named_here and anchor is not None and year is not None and year < anchor:
        kind, kind_basis = "actual", _cue(_ACTUAL_WORD, before, year_cue)
    elif relative is not None and relative.group(1) == "明年":
        kind, kind_basis = "target", "明年"
    else:
        kind = "actual" if period.phase == "review" else "target"
        kind_basis = period.kind_basis
    years = list(_TARGET_YEAR.finditer(before)) if dated_here else []
    m = years[-1] if years else None
    if m:
        y = int(m.group(1) or m.group(2))
        if year is None or y > year:
            kind, year, year_basis, kind_basis = "target", y, "sentence", "到"
            year_cue = m.group(0)
    for name, end_year in _PLAN_PERIOD.items() if "五" in before else ():  # 十三五 …
        if name in before and re.search(
            rf"{name}[”\"’]?(?:末|期末|时期末)|到[“\"‘]?{name}", before
        ):
            kind, year, year_basis, kind_basis = "target", end_year, "plan_period", "到"
            year_cue = name
    # 由2018年的500亿元增加到…: a figure dated right before it; a past one is a result
    dated = _DATED_FIGURE.search(before[-12:]) if dated_here else None
    if dated:
        y, ref = int(dated.group(1)), year if year is not None else now
        # 从2015年的2007万元上升到2020年的2468万元: the end of a change that has happened
        happened = bool(_FROM_DATED.search(before)) and (anchor is None or y <= anchor)
        if ref is None or y < ref or (y > ref and happened):
            kind, year, year_basis, kind_basis = "actual", y, "sentence", dated.group(0)
        elif y > ref:
            kind, year, year_basis, kind_basis = "target", y, "sentence", dated.group(0)
        year_cue = dated.group(0)
    if kind_basis in ("section", "default"):
        word = _TARGET_WORD if kind == "target" else _ACTUAL_WORD if kind == "actual" else None
        if word is not None:
            kind_basis = _cue(word, before, kind_basis)
    if year is None:
        year_basis, year_cue = "unknown", ""
    kind_cue = period.cue if kind_basis in ("section", "default") else kind_basis
    return Dating(kind, year, year_basis, kind_basis, year_cue, kind_cue)


def goal_named_after(dating: Dating, text: str, q: Quantity) -> Dating | None:
    """A figure the text names as a goal right after it (`增长6%目标任务`, `8%左右的增长目标`)
    is a target, whatever came before it; None when its clause in `text` (up to the figure)
    says the goal was met (`提前完成…1250亿元的目标`): a yardstick of a result, no fact."""
    if dating.kind == "target" or not (m := _GOAL_AFTER.match(text, q.end, q.end + 8)):
        return dating
    if _GOAL_MET_BEFORE.search(CLAUSE_SEP.split(text[: q.start])[-1]):
        return None
    return dating._replace(kind="target", kind_basis=m.group(1), kind_cue=m.group(1))


def in_plan_period(dating: Dating, sentence: Sentence, before: str) -> Dating:
    """A result inside a plan period named before it (`“十三五”期间…提高到3.6万元`, reviewed in
    a later report) is for the plan's last year; other datings are returned as they are."""
    if dating.kind != "actual" or ("五" not in before and "五" not in sentence.heading):
        return dating  # every plan period's name (十三五, 九五) holds a 五
    plan = _PLAN_PERIOD_SPAN.search(sentence.heading + "\n" + before)
    if not plan or plan.group(1) not in PLAN_PERIOD_ALL:
        return dating
    end = PLAN_PERIOD_ALL[plan.group(1)]
    if dating.year is not None and end > dating.year:
        return dating
    return dating._replace(year=end, year_basis="plan_period", year_cue=plan.group(0))


def present_year(doc: Document) -> int | None:
    """The year a document speaks in (its 今年): a report's own year (a re-posted report keeps
    it, whatever the page's date); for other texts the publication year, else a year their
    opening names for results (`2015年，全区完成…`: a news story looking back) plus one."""
    if doc.report_year is not None and (
        doc.report_type != "other" or doc.report_year_basis == "title"
    ):
        return doc.report_year
    if doc.publish_date is not None:
        return doc.publish_date.year
    if doc.report_year is not None and doc.report_year_cue.endswith(("，", ",")):
        return doc.report_year + 1
    return doc.report_year


def paragraph_year(text: str, now: int | None) -> tuple[int, str] | None:
    """The last year a sentence names for its figures (`2017年，全县…`, `今年目标…`): it dates
    the sentences after it in its paragraph that name none."""
    text = _without_remarks(text)
    found = [(m.end(), int(m.group(1)), m.group(0)) for m in _CLAUSE_YEAR.finditer(text)]
    if now is not None:
        found += [
            (m.end(), now + _RELATIVE_OFFSET[m.group(1)], m.group(1))
            for m in _RELATIVE_YEAR.finditer(text)
        ]
    return max(found)[1:] if found else None


def base_year(text: str, q: Quantity, year: int | None, heading: str = "") -> Dating | None | bool:
    """For the figure a change started from (`从1.5万亿元增加到2.1万亿元`): its dating (`五年来`
    in a review of 2023 -> 2018; `十三五期间` -> 2015, a result), None when it is not such a
    figure, False when it is one but its year cannot be told (then it is not emitted)."""
    if not _TO.match(text[q.end :]):
        return None
    # 由“十五”末的12.8亿元增加到…: the base is the named plan period's last year
    period_end = _FROM_PERIOD_END.search(text[max(0, q.start - 12) : q.start])
    if period_end:
        cue = period_end.group(0).lstrip("从由").rstrip("的 ")
        return Dating(
            "actual", PLAN_PERIOD_ALL[period_end.group(1)], "plan_period", "从", cue, "从"
        )
    if not _FROM.search(text[max(0, q.start - 3) : q.start]):
        return None
    if _DATED_FIGURE.search(text[: q.start].rstrip("从由 ")[-12:] + "的"):
        return None  # 由2018年的2100亿元: dated where it stands
    context = heading + "\n" + text[: q.start]
    span = _YEARS_SPAN.search(context)
    if span and year is not None:
        n = span.group(1) or span.group(2)
        count = int(n) if n.isdigit() else parse_chinese_numeral(n)
        if count and 1 <= int(count) <= 20:
            return Dating("actual", year - int(count), "sentence", "从", span.group(0), "从")
    plan = _PLAN_PERIOD_SPAN.search(context) or _PLAN_REVIEW_HEADING.search(heading)
    if plan and plan.group(1) in PLAN_PERIOD_ALL:
        start = PLAN_PERIOD_ALL[plan.group(1)] - 5
        return Dating("actual", start, "plan_period", "从", plan.group(0), "从")
    return False


def table_kind_and_year(column: Column, sentence: Sentence) -> Dating:
    """A table cell's kind and year: its column header's (`2023年完成`, `2024年目标`), else the
    section's; a year before the section's is a result, one after it a goal."""
    period = sentence.period
    by_phase = "actual" if period.phase == "review" else "target"
    year, year_basis = (
        (column.year, "heading") if column.year is not None else (period.year, period.year_basis)
    )
    if year is None:
        year_basis = "unknown"
    year_cue = column.header if column.year is not None else period.cue
    if column.kind:
        return Dating(
            column.kind, year, year_basis, column.kind_word or "section", year_cue, column.header
        )
    if column.year is not None and period.year is not None and column.year != period.year:
        kind = "actual" if column.year < period.year else "target"
        return Dating(kind, year, year_basis, "section", year_cue, column.header)
    return Dating(by_phase, year, year_basis, period.kind_basis, year_cue, period.cue)
