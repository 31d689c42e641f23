"""The grammar of a fact: subject (indicator) + cue (增长 / 占…比重 / 达到) + quantity + qualifier.

Works clause by clause inside a sentence:
- a quantity belongs to the nearest indicator named before it in its clause; a clause that
  names nothing but cue words (`，同比增长8%`) continues the previous clause's subject;
- several subjects joined by 、/和 share one number, or take one each after 分别;
- a run of numbers after one subject (`增长20%、力争25%`, `3.12万亿元、增长5.8%`) gives one fact each;
- comparisons with another figure (`高于全国0.6个百分点`), changes of a level (`增加41天`),
  rankings, years and numbers without an indicator give none;
- a threshold restated with its exact figure (`突破3万元、达到30215元`) is one fact; the figure a
  change started from (`从1.5万亿元增加到…`) is dated by the span named (`五年来`) or left out;
- rows of a table of figures (transform/tables.py) are read cell by cell, each with its column's
  year and kind;
- shares of a budget, a plan or a larger area, and a plan quoted as a yardstick, give none.

Each fact's year and kind, and what decided them, come from transform/dating.py.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from transform.dating import (
    ESTIMATE_NOTE,
    GOALS_OF_YEAR,
    TARGET_BLOCK,
    Dating,
    base_year,
    in_plan_period,
    kind_and_year,
    paragraph_year,
    present_year,
    table_kind_and_year,
    target_cue,
)
from transform.indicators import Indicator, Mention, by_code, default_catalogue, find_mentions
from transform.metadata import area_named_before
from transform.model import Document, Fact
from transform.numbers import Quantity, find_quantities
from transform.sections import Sentence, split_sentences
from transform.tables import Cell, find_cells

_CLAUSE_SEP = re.compile(r"[，：（）()\[\]【】“”\"]|,(?!\d{3})|:")
_CONNECTIVE = re.compile(r"^\s*(?:、|和|及|与|以及|及其)?\s*$")
# 占开发区规模以上企业工业总产值的12%: the name after 占 is the whole a share is of
_WHOLE_OF_SHARE = re.compile(r"占[^，,；;。占]{1,10}$")
_DENOMINATOR = re.compile(r"占(?:全[国省市区县]|本[地市区县]|当年|同期)?$")
# Words that may stand between a subject and its number (or open a clause that continues the
# previous subject) without naming anything else. Longest first, so 总数 is not read as 总 + 数.
_FUNCTION_WORD_TEXT = """
同比 比上年 较上年 比去年 较去年 上年同期 同期 上年 去年 年均 全年 全区
全市 全县 全省 当年 分别 均 增长 下降 降低 减少 提高 增速 增幅 涨幅 降幅
达到 达 实现 完成 为 约 力争 争取 确保 努力 左右 以上 以内 以下 占比
比重 比例 占 其中 累计 预计 突破 超过 不低于 不少于 不超过 控制在 保持在
保持 回落 上升 上涨 增加 共 总量 总额 绝对额 净 的 在 和 、 年 分 将
要 预期 目标 任务 计划 可 能 到 至 已 再 新 较 比 全部 总 平均 浓度
规模 达成 迈上 站上 折合 约合 相当于 合 实际 名义 数量 总数 按可比价格计算
按可比价计算 按现价计算 按可比口径计算 现价 初步核算 初步测算
增至 升至 降至 提高到 提高至 增加到 增加至 上升到 上升至 提升到 提升至 扩大到 扩大至 下降到 降到
可比价 可比 增产 减产 下滑 比增 新增 今年 本年 明年 同口径 可比口径 口径 大关 关口 新台阶 台阶 首次
"""
_FUNCTION_WORD_LIST = _FUNCTION_WORD_TEXT.split()
_FUNCTION_WORDS = re.compile("|".join(sorted(set(_FUNCTION_WORD_LIST), key=len, reverse=True)))
_GROWTH_CUE = re.compile(
    r"(?:负增长|增长|增速|增幅|涨幅|提高|上升|上涨|增加(?!值)|增产|比增|下降|降低|减少|回落|下滑|降幅|减产)"
    r"(?![到至为])"  # 提高到66% / 下降到5%: the level reached, not a change (增加值: a name)
)
_NEGATIVE_CUE = {"负增长", "下降", "降低", "减少", "回落", "下滑", "降幅", "减产"}
_SHARE_CUE = re.compile(r"占比|比重|比例|占")
_COMPARISON = re.compile(r"高于|低于|快于|慢于|超出|超过|超|多于|少于|领先")
_DELTA_TAIL = re.compile(r"(增加|减少|增长|下降|多|少|提高|净增|降低)\s*$")
_STRETCH = re.compile(r"力争|争取|努力")
_AFTER_QUAL = (
    ("左右", "approx"),
    ("上下", "approx"),
    ("以上", "at_least"),
    ("以内", "at_most"),
    ("以下", "at_most"),
)
_BEFORE_QUAL = re.compile(
    r"(大约|约|接近|近|不低于|不少于|超过|突破|超|高于|迈上|站上|跨上|跨越|跃上|达到?|不超过|不高于"
    r"|控制在|低于)\s*$"
)
_BEFORE_MAP = {
    "大约": "approx",
    "约": "approx",
    "接近": "approx",
    "近": "approx",
    "不低于": "at_least",
    "不少于": "at_least",
    "超过": "at_least",
    "突破": "at_least",
    "超": "at_least",
    "高于": "at_least",
    "迈上": "at_least",
    "站上": "at_least",
    "跨上": "at_least",
    "跨越": "at_least",
    "跃上": "at_least",
    "不超过": "at_most",
    "不高于": "at_most",
    "控制在": "at_most",
    "低于": "at_most",
}
# A threshold passed (突破3万元, 迈上3000亿元台阶, 稳定在100万吨以上) and then the exact figure
# (达到30215元) is one fact, the exact one (docs/facts.md); the figure must be near the threshold, or
# it is another number (新增2000家以上，总数达到1.2万家).
_MILESTONE_SPAN = Decimal("1.5")
_BARE_GROWTH = re.compile(
    r"(?:同比|比上年|较上年)?(?:增长|下降|比增)(\d{1,3}(?:\.\d+)?)(?=[，,。；;]|$)"
)
_CPI_INDEX = re.compile(r"^(?:总)?(?:指数)?\s*(?:为|达到|达|是)?\s*(\d{2,3}(?:\.\d+)?)(?![\d%.])")
# what a share is of, when it is not the indicator's own whole: a budget, a plan, a larger area
_YARDSTICK = re.compile(
    r"占(?:全[国省市区县州盟](?![^，,；;。]{0,3}(?:增加值|生产总值|GDP|经济总量))"
    r"|[^，,；;。]{0,10}?(?:预算(?!收入|支出)|计划|目标|任务|总量|总数|全市|全省|全县|全州))"
)
_YARDSTICK_FIGURE = re.compile(
    r"(?:年|年度|全年|年初|调整)?(?:计划|预算)(?:数)?\s*$"
    r"|(?:计划|预算(?!收入|支出)|目标任务|年度目标)[^，,；;。]{0,16}的\s*$"
)
_NOT_A_LEVEL_CHANGE = re.compile(
    r"增幅|增速|涨幅|降幅|拉动|上调|下调|收窄|(?<![提降])[高低]|[快慢]"
)
_MAX_GAP_HAN = 8
_MAX_GAP_CHARS = 60
_MAX_CARRY_CLAUSES = 2


@dataclass(frozen=True)
class _Candidate:
    mention: Mention
    quantity: Quantity
    measure: str
    sign: int
    qualifier: str
    run: int
    milestone: bool = False  # a threshold: 突破 / 迈上 / 以上 …
    stretch_word: bool = False  # 力争 / 争取 / 努力 stands between subject and number


def _han(s: str) -> int:
    return sum(1 for ch in s if "\u4e00" <= ch <= "\u9fff")


_SHARE_PHRASE = re.compile(r"占[\u4e00-\u9fffA-Za-z0-9.]{0,14}?(?:的比重|比重|的比例|比例|的)")
_COMPARISON_FILLER = re.compile(
    r"同比|上年同期|上年|去年|同期|达到|达|为|了|的|\s|" + _GROWTH_CUE.pattern
)


# words that qualify a figure without naming another subject: a span (五年年均, 两年平均) or
# a basis (还原留抵退税口径后, 按同口径)
_QUALIFYING = re.compile(
    r"[一二两三四五六七八九十]{1,2}年|\d{1,2}年(?!度)|[\u4e00-\u9fff]{0,8}口径[后下]?"
)


def _residual_han(s: str) -> int:
    if "年" in s or "口径" in s:
        s = _QUALIFYING.sub("", s)
    if "占" in s:
        s = _SHARE_PHRASE.sub("占", s)
    return _han(_FUNCTION_WORDS.sub("", s))


_NOTE = re.compile(r"[（(][^（）()\d，,；;。]{1,12}[）)]")
# a remark in brackets without figures (主要是二产、三产未达预期目标): names in it are no subjects
_ASIDE = re.compile(r"[（(][^（）()\d]{2,60}[）)]")


def _clause_seps(text: str, asides: list[tuple[int, int]]) -> list[int]:
    """Where clauses break; a short note in brackets (`（人民币）`, `（按可比价计算）`) is no break,
    nor is a remark in brackets without figures (`asides`: `（主要是二产、三产未达预期目标）`)."""
    if "（" not in text and "(" not in text:
        return [m.start() for m in _CLAUSE_SEP.finditer(text)]
    inside = {i for m in _NOTE.finditer(text) for i in (m.start(), m.end() - 1)}
    for start, end in asides:
        inside.update(range(start, end))
    return [m.start() for m in _CLAUSE_SEP.finditer(text) if m.start() not in inside]


def _without_numbers(text: str, start: int, end: int, quantities: list[Quantity]) -> str:
    """text[start:end] without the numbers (and their units) in it: `分别达到4.8万元和` -> `分别达到和`."""
    parts, pos = [], start
    for x in quantities:
        if start <= x.start and x.end <= end:
            parts.append(text[pos : x.start])
            pos = x.end
    parts.append(text[pos:end])
    return "".join(parts)


def _compares_to_another_figure(gap: str) -> bool:
    """`超过目标任务26天`, `高于全国0.6个`: a comparison word followed by what is compared with."""
    ends = [m.end() for m in _COMPARISON.finditer(gap)]
    return bool(ends) and _han(_COMPARISON_FILLER.sub("", gap[ends[-1] :])) > 0


def _groups(text: str, mentions: list[Mention]) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups and groups[-1][-1].end == m.start and not m.indicator.emit:
            groups[-1].pop()  # 服务业营业收入: the name right after qualifies, it is the subject
            if not groups[-1]:
                groups.pop()
        if groups and _CONNECTIVE.match(text[groups[-1][-1].end : m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _respective_subjects(
    earlier: list[list[Mention]],
    quantities: list[Quantity],
    q: Quantity,
    seps: list[int],
    clause: int,
) -> list[Mention]:
    """`A达到42000元，B达到18000元，分别增长6.5%、8%`: the n numbers after 分别 go to the last n
    subjects named before, in order."""
    n = sum(
        1
        for x in quantities
        if x.start >= q.start and bisect.bisect_right(seps, x.start) == clause and x.dim == q.dim
    )
    if n < 2 or len(earlier[-1]) >= n or len(earlier) < n:
        return earlier[-1]
    picked = [m for g in earlier[-n:] for m in g]
    return picked if len(picked) == n else earlier[-1]


def _measure(
    ind: Indicator, q: Quantity, cue_text: str, mention_text: str
) -> tuple[str, int] | None:
    cues = list(_GROWTH_CUE.finditer(cue_text)) + list(_SHARE_CUE.finditer(cue_text))
    last = max(cues, key=lambda m: m.end()).group() if cues else None
    if last is None and ind.pct is None:
        if _SHARE_CUE.search(mention_text):
            last = "占"
        elif re.search(r"增长|增速|增幅|涨幅", mention_text):
            last = "增长"
    sign = -1 if last in _NEGATIVE_CUE else 1
    if q.dim == "pp":
        return "change_pp", sign
    if q.dim in ("percent", "per_mille"):
        if ind.pct == "rate_pct" and (last is None or _SHARE_CUE.fullmatch(last or "")):
            return "rate_pct", 1
        if last and _SHARE_CUE.fullmatch(last):
            return "share_pct", 1
        if last:
            return "growth_pct", sign
        if ind.pct:
            return ind.pct, 1
        if q.dim == "percent" and (ind.level_dims == ("money",) or ind.code == "cpi"):
            return "growth_pct", 1
        return None
    if q.dim in ind.level_dims:
        return "level", 1
    return None


def _qualifier(text: str, q: Quantity, local_gap: str) -> str:
    after = text[q.end : q.end + 2]
    for word, qual in _AFTER_QUAL:
        if after.startswith(word):
            return qual
    m = _BEFORE_QUAL.search(local_gap)
    if m and m.group(1) in _BEFORE_MAP:
        return _BEFORE_MAP[m.group(1)]
    if q.value_high is not None:
        return "range"
    return "at_least" if q.more_than else "exact"


def _sentence_candidates(
    text: str, catalogue: tuple[Indicator, ...], prior: str = ""
) -> list[_Candidate]:
    bracketed = "（" in text or "(" in text
    shares = "占" in text
    asides = [(m.start(), m.end()) for m in _ASIDE.finditer(text)] if bracketed else []
    mentions = [
        m
        for m in find_mentions(text, catalogue, prior)
        if not _DENOMINATOR.search(text[max(0, m.start - 6) : m.start])
        and not (shares and _WHOLE_OF_SHARE.search(text[max(0, m.start - 12) : m.start]))
        and not any(a <= m.start < b for a, b in asides)
    ]
    quantities = find_quantities(text)
    # A price index stated as a level (居民消费价格指数为102.7) is a growth of 2.7.
    for m in mentions:
        if m.indicator.code == "cpi":
            idx = _CPI_INDEX.match(text[m.end : m.end + 12])
            if idx and 80 <= float(idx.group(1)) <= 130:
                v = Decimal(idx.group(1))
                s, e = m.end + idx.start(1), m.end + idx.end(1)
                quantities.append(Quantity(s, e, v - 100, None, "percent", "", "index"))
    # `同比增长26.1，`: a growth whose % sign a copy dropped (a bare number right after the cue)
    if "%" not in text and ("增" in text or "降" in text):  # a copy that kept % has none of these
        taken = {q.start for q in quantities}
        for m in _BARE_GROWTH.finditer(text):
            if m.start(1) not in taken:
                v = Decimal(m.group(1))
                quantities.append(Quantity(m.start(1), m.end(1), v, None, "percent", "", "percent"))
    quantities.sort(key=lambda q: q.start)
    if not mentions or not quantities:
        return []
    seps = _clause_seps(text, asides)
    groups = _groups(text, mentions)
    group_ends = [g[-1].end for g in groups]

    respectively: dict[int, list[Mention]] = {}
    out: list[_Candidate] = []
    prev_q: Quantity | None = None
    prev_group: list[Mention] | None = None
    prev_measure: tuple[str, int] | None = None
    run = 0
    for q in quantities:
        clause_no = bisect.bisect_right(seps, q.start)
        clause_start = seps[clause_no - 1] + 1 if clause_no else 0
        gi = bisect.bisect_right(group_ends, q.start) - 1
        group = groups[gi] if gi >= 0 else None
        group_clause = bisect.bisect_right(seps, group[-1].start) if group else -99
        if group and group_clause == clause_no:
            subject_end = group[-1].end
        elif (
            group
            and clause_no - group_clause <= _MAX_CARRY_CLAUSES
            and _residual_han(_without_numbers(text, clause_start, q.start, quantities)) == 0
        ):
            subject_end = clause_start  # `，同比增长8%` continues the subject named before
            if "分别" in text[clause_start : q.start]:
                group = respectively.setdefault(
                    clause_no,
                    _respective_subjects(groups[: gi + 1], quantities, q, seps, clause_no),
                )
        else:
            prev_q, prev_group = q, None
            continue
        if q.start - subject_end > _MAX_GAP_CHARS:
            prev_q, prev_group = q, None
            continue  # too far from anything it could be about
        gap = text[subject_end : q.start]
        same_run = (
            prev_q is not None
            and prev_group is group
            and re.fullmatch(
                r"\s*[、和及,，]?\s*(?:力争|争取|努力)?\s*",
                text[prev_q.end : q.start].lstrip("左右以上内下"),
            )
        )
        local_start = (
            max(subject_end, prev_q.end) if (prev_q and prev_group is group) else subject_end
        )
        local_gap = text[local_start : q.start]
        run = run if same_run else run + 1
        follows_number = prev_q is not None and prev_group is group and prev_q.end > subject_end
        prev_q, prev_group = q, group
        if follows_number and _residual_han(local_gap) > 0:
            continue  # 高新技术企业5家、科技型企业20家: the second number has its own subject
        if _compares_to_another_figure(local_gap):
            continue  # 高于全国0.6个百分点: a gap to another figure, not a value
        if _residual_han(gap) > _MAX_GAP_HAN and local_gap == gap:
            continue
        if q.dim not in ("percent", "pp", "per_mille", "index") and _DELTA_TAIL.search(local_gap):
            continue  # 较上年增加41天: a change of a level
        if q.dim not in ("count", "person") and re.search(r"新增\s*$", local_gap):
            continue  # 新增12天: a change; 新增120家 (enterprises, jobs) counts new ones
        for k, mention in enumerate(group):
            ind = mention.indicator
            if q.dim == "index":
                measure: tuple[str, int] | None = ("growth_pct", 1)
            else:
                cue_text = (
                    local_gap
                    if (_GROWTH_CUE.search(local_gap) or _SHARE_CUE.search(local_gap))
                    else gap
                )
                measure = _measure(ind, q, cue_text, mention.text)
                if (
                    same_run
                    and prev_measure
                    and not (_GROWTH_CUE.search(local_gap) or _SHARE_CUE.search(local_gap))
                    and measure
                    and measure[0] != "level"
                    and prev_measure[0] != "level"
                ):
                    measure = prev_measure
            if measure is None:
                continue
            if _YARDSTICK_FIGURE.search(local_gap) or _YARDSTICK_FIGURE.search(gap):
                continue  # 完成年计划710亿元的89.4%, 占调整预算105%: the plan and its completion
            if measure[0] == "share_pct" and _YARDSTICK.search(gap):
                continue  # 占年初预算的41.5%, 占全市总量的60%: measured against something else
            if measure[0] == "change_pp" and (
                _NOT_A_LEVEL_CHANGE.search(local_gap) or _YARDSTICK.search(gap)
            ):
                continue  # 增幅回落5个百分点, 拉动1个百分点: a change of a growth rate, a contribution
            qual = _qualifier(text, q, local_gap)
            if _STRETCH.search(local_gap) and any(
                c.mention.indicator.code == ind.code and c.measure == measure[0] for c in out
            ):
                qual = "stretch"
            out.append(
                _Candidate(
                    mention,
                    q,
                    measure[0],
                    measure[1],
                    qual,
                    run,
                    milestone=qual == "at_least",
                    stretch_word=bool(_STRETCH.search(local_gap)),
                )
            )
            if k == 0:
                prev_measure = measure
    return _second_aims(_restated_milestones(_distribute(text, out)))


def _same_figure(a: _Candidate, b: _Candidate) -> bool:
    return (
        a.mention.indicator.code == b.mention.indicator.code
        and a.measure == b.measure
        and a.quantity.dim == b.quantity.dim
    )


def _restated_milestones(cands: list[_Candidate]) -> list[_Candidate]:
    """`突破3万元、达到30215元` / `达到30215元，首次突破3万元`: keep the exact figure only."""
    dropped: set[int] = set()
    for i, c in enumerate(cands):
        if not c.milestone or c.quantity.value <= 0:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(cands):
                other = cands[j]
                if (
                    _same_figure(c, other)
                    and other.qualifier == "exact"
                    and other.quantity.value_high is None
                    and c.quantity.value
                    <= other.quantity.value
                    <= c.quantity.value * _MILESTONE_SPAN
                ):
                    dropped.add(i)
    return [c for i, c in enumerate(cands) if i not in dropped]


def _second_aims(cands: list[_Candidate]) -> list[_Candidate]:
    """`力争增长7%，确保6.5%`: the figure after 力争 is the stretch aim also when it comes first;
    a lone `努力实现增长6.5%` stays the plain target."""
    out = []
    for c in cands:
        if (
            c.stretch_word
            and c.qualifier != "stretch"
            and any(o is not c and _same_figure(c, o) for o in cands)
        ):
            c = replace(c, qualifier="stretch")
        out.append(c)
    return out


def _distribute(text: str, cands: list[_Candidate]) -> list[_Candidate]:
    """Pair subjects and numbers after 分别; spread a trailing qualifier over its list."""
    by_run: dict[int, list[_Candidate]] = {}
    for c in cands:
        by_run.setdefault(c.run, []).append(c)
    result: list[_Candidate] = []
    for items in by_run.values():
        subjects = list(dict.fromkeys(c.mention for c in items))
        numbers = list(dict.fromkeys(c.quantity for c in items))
        if len(subjects) > 1 and len(subjects) == len(numbers):
            items = [c for c in items if subjects.index(c.mention) == numbers.index(c.quantity)]
        last_qual = items[-1].qualifier if items else "exact"
        if last_qual in ("approx", "at_least", "at_most") and len(numbers) > 1:
            items = [
                replace(c, qualifier=last_qual) if c.qualifier == "exact" else c for c in items
            ]
        result.extend(items)
    return result


_ENTERPRISES_ABOVE_SCALE = re.compile(
    r"\s*(?:[^，,。；;]{0,12}[，,]\s*)?(?:全[市区县]|园区|开发区)?(?:规模以上|规上|规模)工业企业"
)
_YEARISH = re.compile(r"\d\s*年|[今本明去上]年")
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:至|到|—|-|～|~)\s*((?:19|20)\d{2})\s*年")


def _years_in_turn(
    text: str, dated: list[tuple[_Candidate, Dating]]
) -> list[tuple[_Candidate, Dating]]:
    """`2016年至2018年，分别完成国内生产总值236亿元、314亿元、365亿元`: one figure per year of
    the span, in order, when an indicator has exactly as many figures after 分别 as the span
    has years."""
    span = _YEAR_RANGE.search(text) if "分别" in text else None
    if span is None:
        return dated
    first, last = int(span.group(1)), int(span.group(2))
    after = text.find("分别", span.end())
    if not 2 <= last - first + 1 <= 10 or after < 0:
        return dated
    runs: dict[tuple[str, str], list[int]] = {}
    for i, (c, _) in enumerate(dated):
        if c.quantity.start > after:
            runs.setdefault((c.mention.indicator.code, c.measure), []).append(i)
    out = list(dated)
    for members in runs.values():
        if len(members) != last - first + 1:
            continue
        for year, i in zip(range(first, last + 1), members, strict=True):
            c, dating = out[i]
            out[i] = (c, replace(dating, year=year, year_basis="sentence", year_cue=span.group(0)))
    return out


def extract_facts(doc: Document, catalogue: tuple[Indicator, ...] | None = None) -> list[Fact]:
    """Every fact (docs/facts.md) stated in `doc`, in text order."""
    catalogue = catalogue or default_catalogue()
    codes = by_code(catalogue)
    facts: list[Fact] = []
    seen: set[tuple[object, ...]] = set()
    estimate_note, note_heading = False, None
    paragraph_start, para_year = -1, None  # the year an earlier sentence of the paragraph named
    para_targets = ""  # the goal word of a block of goals an earlier sentence opened
    goal_year = None  # the year an earlier sentence named for the document's goals
    earlier_clauses = ""  # the sentence's text before this part (after a ；)
    region = doc.region.name if doc.region else None
    now = present_year(doc)
    cells_by_row: dict[int, list[Cell]] = {}
    for cell in find_cells(doc.text):
        cells_by_row.setdefault(cell.row_start, []).append(cell)
    row_starts = sorted(cells_by_row)
    row_ends = [cells_by_row[r][0].row_end for r in row_starts]

    def emit(c: _Candidate, text: str, sentence: Sentence, dating: Dating) -> None:
        ind = c.mention.indicator
        if c.measure == "share_pct" and ind.share_to:
            ind = codes.get(ind.share_to, ind)
        head = _CLAUSE_SEP.split(text[: c.mention.start])[-1]
        if (
            ind.scope_pattern
            and ind.scope_code
            and (
                re.search(ind.scope_pattern, head)
                # 规模以上工业企业预计完成总产值190亿元，完成工业增加值76.5亿元: the sentence's
                # subject (enterprises above the scale) narrows its later clauses too
                or _ENTERPRISES_ABOVE_SCALE.match(text)
            )
        ):
            ind = codes.get(ind.scope_code, ind)
        if not ind.emit:
            return
        if c.measure in ("share_pct", "change_pp") and not ind.shares:
            return  # 高新技术企业占比30%: not a measure this indicator is kept in
        q = c.quantity
        value, high = q.value, q.value_high
        sign = 1 if ind.reduction else c.sign
        unit = q.unit
        if c.measure == "level" and q.dim == "count" and ind.count_unit:
            unit = ind.count_unit
        fact = Fact(
            indicator=ind.code,
            indicator_text=c.mention.text,
            measure=c.measure,
            # a falling range (下降5%-10%) is stored low to high: -10 .. -5
            value=float(sign * (high if sign < 0 and high is not None else value)),
            value_high=float(sign * value if sign < 0 else high) if high is not None else None,
            unit="percent" if q.dim == "index" else unit,
            unit_text=q.unit_text,
            qualifier=c.qualifier,
            kind=dating.kind,
            year=dating.year,
            region=area_named_before(head, region, doc.text) or region,
            sentence=sentence.text,
            char_start=sentence.start,
            char_end=sentence.end,
            year_basis=dating.year_basis,
            kind_basis=dating.kind_basis,
            year_cue=dating.year_cue,
            kind_cue=dating.kind_cue,
        )
        key = (
            fact.indicator,
            fact.measure,
            fact.value,
            fact.value_high,
            fact.kind,
            fact.year,
            fact.char_start,
        )
        if key not in seen:
            seen.add(key)
            facts.append(fact)

    for sentence in split_sentences(
        doc.text, doc.report_type, doc.report_year, doc.report_year_basis, doc.report_year_cue
    ):
        row = bisect.bisect_right(row_starts, sentence.start) - 1
        if row >= 0 and sentence.start < row_ends[row]:
            # a row of a table of figures: each value cell is read as its own clause
            for cell in cells_by_row.pop(row_starts[row], []):
                dating = table_kind_and_year(cell.column, sentence)
                for c in _sentence_candidates(cell.clause, catalogue):
                    emit(c, cell.clause, sentence, dating)
            continue
        text = sentence.text
        if sentence.heading != note_heading:
            estimate_note = False
        # a (预计，下同) note makes all of its sentence, and the passage after it, an estimate
        noted = "下同" in text and bool(ESTIMATE_NOTE.search(text))
        if noted:
            estimate_note, note_heading = True, sentence.heading
        prior = earlier_clauses
        earlier_clauses = (prior + text) if text.endswith(("；", ";")) else ""
        line_start = doc.text.rfind("\n", 0, sentence.start) + 1
        if line_start != paragraph_start:
            paragraph_start, para_year, para_targets = line_start, None, ""
        dated: list[tuple[_Candidate, Dating]] = []
        for c in _sentence_candidates(text, catalogue, prior[-300:]):
            q = c.quantity
            before = prior[-300:] + text[: q.start]
            dating = kind_and_year(
                sentence, before, now, estimate_note or noted, para_year, para_targets, goal_year
            )
            base = base_year(text, q, dating.year, sentence.heading)
            if base is False:
                continue  # a starting figure of unknown year would pose as this year's
            dated.append(
                (c, base if base is not None else in_plan_period(dating, sentence, before))
            )
        for c, dating in _years_in_turn(text, dated):
            emit(c, text, sentence, dating)
        if "年" in text and _YEARISH.search(text):  # a year named (2017年, 今年) dates what follows
            para_year = paragraph_year(text, now) or para_year
            if named := GOALS_OF_YEAR.search(text):
                goal_year = int(named.group(1)), named.group(0)
        if ("目标" in text or "指标" in text or "安排" in text) and (
            block := TARGET_BLOCK.search(text)
        ):
            para_targets = target_cue(text[: block.end()]) or block.group()
    return facts
