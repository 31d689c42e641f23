"""The grammar inside a clause: which words are cues (增长, 占…比重, 力争), which qualify a
figure (以上, 左右, 不低于), what measure a number is of its subject (level, growth, share, rate,
change in points), where clauses break and which subjects go together (A、B和C; 分别).

transform/candidates.py pairs subjects and numbers with these; transform/facts.py makes facts.
"""

from __future__ import annotations

import bisect
import re

from transform.indicators import Indicator, Mention
from transform.numbers import Quantity
from transform.text import han_count

# one class, then a comma followed by three digits (1,234) taken back: `re` skips ahead to where
# a pattern opening with a class can start, and tries one of alternatives at every character
CLAUSE_SEP = re.compile(r"[，：（）()\[\]【】“”\",:](?:(?<=,)(?!\d{3})|(?<!,))")
_CONNECTIVE = re.compile(r"^\s*(?:、|和|及|与|以及|及其)?\s*$")
# 占开发区规模以上企业工业总产值的12%: the name after 占 is the whole a share is of
WHOLE_OF_SHARE = re.compile(r"占[^，,；;。占]{1,10}$")
DENOMINATOR = re.compile(r"占(?:全[国省市区县]|本[地市区县]|当年|同期)?$")
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
折算为 折算成 折算 按年平均汇率 按平均汇率 按当年汇率 按汇率 下同 比上年末 较上年末 上年末
按可比价计算 按现价计算 按可比口径计算 现价 初步核算 初步测算
增至 升至 降至 提高到 提高至 增加到 增加至 上升到 上升至 提升到 提升至 扩大到 扩大至 下降到 降到
可比价 可比 增产 减产 下滑 比增 新增 今年 本年 明年 同口径 可比口径 口径 大关 关口 新台阶 台阶 首次
"""
_FUNCTION_WORD_LIST = _FUNCTION_WORD_TEXT.split()
_FUNCTION_WORDS = re.compile("|".join(sorted(set(_FUNCTION_WORD_LIST), key=len, reverse=True)))
GROWTH_CUE = re.compile(
    r"(?:负增长|增长|增速|增幅|涨幅|提高|上升|上涨|增加(?!值)|增产|比增|下降|降低|减少|回落|下滑|降幅|减产)"
    r"(?![到至为])"  # 提高到66% / 下降到5%: the level reached, not a change (增加值: a name)
)
_GROWTH_NAME = re.compile(r"增长|增速|增幅|涨幅")  # a name that is a growth (增长率)
_NEGATIVE_CUE = {"负增长", "下降", "降低", "减少", "回落", "下滑", "降幅", "减产"}
SHARE_CUE = re.compile(r"占比|比重|比例|占")
_COMPARISON = re.compile(r"高于|低于|快于|慢于|超出|超过|超|多于|少于|领先")
DELTA_TAIL = re.compile(r"(增加|减少|增长|下降|多|少|提高|净增|降低)\s*$")
STRETCH = re.compile(r"力争|争取|努力")
_AFTER_QUAL = (
    ("左右", "approx"),
    ("上下", "approx"),
    ("以上", "at_least"),
    ("以内", "at_most"),
    ("以下", "at_most"),
)
_BEFORE_QUAL = re.compile(
    r"(大约|约|接近|近|不低于|不少于|超过|突破|超|高于|迈上|站上|跨上|跨越|跨过|迈过|越过|跃上|达到?"
    r"|不超过|不高于|控制在|低于)双?\s*$"  # 跨过双千亿: both figures past 1000亿
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
    "跨过": "at_least",
    "迈过": "at_least",
    "越过": "at_least",
    "跃上": "at_least",
    "不超过": "at_most",
    "不高于": "at_most",
    "控制在": "at_most",
    "低于": "at_most",
}
# A threshold passed (突破3万元, 迈上3000亿元台阶, 稳定在100万吨以上) and then the exact figure
# (达到30215元) is one fact, the exact one (docs/facts.md); the figure must be near the threshold, or
# it is another number (新增2000家以上，总数达到1.2万家).
BARE_GROWTH = re.compile(
    r"(?:同比|比上年|较上年)?(?:增长|下降|比增)(\d{1,3}(?:\.\d+)?)(?=[，,。；;]|$)"
)
CPI_INDEX = re.compile(r"^(?:总)?(?:指数)?\s*(?:为|达到|达|是)?\s*(\d{2,3}(?:\.\d+)?)(?![\d%.])")
# a figure that sizes the things after it (5000万元以上项目, 亿元以上的企业): a class, not a value
SIZE_CLASS = re.compile(r"(?:以上|以下)的?(?:重点|在建|新建|工业|产业)?(?:项目|企业|单位)")
# the index named, with a % sign (a table whose column says 涨跌(%) under an index row)
CPI_INDEX_PERCENT = re.compile(r"^(?:总)?指数\s*(?:增长|上涨|为)?\s*(\d{2,3}(?:\.\d+)?)%")
# what a share is of, when it is not the indicator's own whole: a budget, a plan, a larger area
YARDSTICK = re.compile(
    r"占(?:全[国省市区县州盟](?![^，,；;。]{0,3}(?:增加值|生产总值|GDP|经济总量))"
    r"|[^，,；;。]{0,10}?(?:预算(?!收入|支出)|计划|目标|任务|总量|总数|全市|全省|全县|全州))"
)
YARDSTICK_FIGURE = re.compile(
    r"(?:年|年度|全年|年初|调整)?(?:计划|预算)(?:数)?\s*$"
    r"|(?:计划|预算(?!收入|支出)|目标任务|年度目标)[^，,；;。]{0,16}的\s*$"
)
NOT_A_LEVEL_CHANGE = re.compile(r"增幅|增速|涨幅|降幅|拉动|上调|下调|收窄|(?<![提降])[高低]|[快慢]")
MAX_GAP_HAN = 8
MAX_GAP_CHARS = 60
MAX_CARRY_CLAUSES = 2


_SHARE_PHRASE = re.compile(r"占[\u4e00-\u9fffA-Za-z0-9.]{0,14}?(?:的比重|比重|的比例|比例|的)")
_COMPARISON_FILLER = re.compile(
    r"同比|上年同期|上年|去年|同期|达到|达|为|了|的|\s|" + GROWTH_CUE.pattern
)


# words that qualify a figure without naming another subject: a span (五年年均, 两年平均) or
# a basis (还原留抵退税口径后, 按同口径)
_QUALIFYING = re.compile(
    r"[一二两三四五六七八九十]{1,2}年|\d{1,2}年(?!度)|[\u4e00-\u9fff]{0,8}口径(?:后|下(?![降滑跌]))?"
)


def residual_han(s: str) -> int:
    if "年" in s or "口径" in s:
        s = _QUALIFYING.sub("", s)
    if "占" in s:
        s = _SHARE_PHRASE.sub("占", s)
    return han_count(_FUNCTION_WORDS.sub("", s))


_NOTE = re.compile(r"[（(][^（）()\d，,；;。]{1,12}[）)]")
# the figure before it in another currency (`63525元（按年平均汇率折算为9847美元）`): the same
# clause, so that what follows the bracket (`，同比增长8.7%`) is still the figure's
_CONVERSION = re.compile(
    r"[（(](?:按[^（）()，,；;。]{0,10}?)?(?:折算为|折算成|折合|约合)[^（）()]{1,20}[）)]"
)
# a remark in brackets without figures (主要是二产、三产未达预期目标): names in it are no subjects
ASIDE = re.compile(r"[（(][^（）()\d]{2,60}[）)]")


def clause_seps(text: str, asides: list[tuple[int, int]]) -> list[int]:
    """Where clauses break; a short note in brackets (`（人民币）`, `（按可比价计算）`) is no break,
    nor is a remark in brackets without figures (`asides`: `（主要是二产、三产未达预期目标）`)."""
    if "（" not in text and "(" not in text:
        return [m.start() for m in CLAUSE_SEP.finditer(text)]
    inside = {
        i
        for pattern in (_NOTE, _CONVERSION)
        for m in pattern.finditer(text)
        for i in (m.start(), m.end() - 1)
    }
    for start, end in asides:
        inside.update(range(start, end))
    return [m.start() for m in CLAUSE_SEP.finditer(text) if m.start() not in inside]


def without_numbers(text: str, start: int, end: int, quantities: list[Quantity]) -> str:
    """text[start:end] without the numbers (and their units) in it: `分别达到4.8万元和` -> `分别达到和`."""
    parts, pos = [], start
    for x in quantities:
        if start <= x.start and x.end <= end:
            parts.append(text[pos : x.start])
            pos = x.end
    parts.append(text[pos:end])
    return "".join(parts)


def compares_to_another_figure(gap: str) -> bool:
    """`超过目标任务26天`, `高于全国0.6个`: a comparison word followed by what is compared with."""
    ends = [m.end() for m in _COMPARISON.finditer(gap)]
    return bool(ends) and han_count(_COMPARISON_FILLER.sub("", gap[ends[-1] :])) > 0


def subject_groups(text: str, mentions: list[Mention]) -> list[list[Mention]]:
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


def respective_subjects(
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


def measure_of(
    ind: Indicator, q: Quantity, cue_text: str, mention_text: str
) -> tuple[str, int] | None:
    cues = list(GROWTH_CUE.finditer(cue_text)) + list(SHARE_CUE.finditer(cue_text))
    last = max(cues, key=lambda m: m.end()).group() if cues else None
    if last is None and ind.pct is None:
        if SHARE_CUE.search(mention_text):
            last = "占"
        elif _GROWTH_NAME.search(mention_text):
            last = "增长"
    sign = -1 if last in _NEGATIVE_CUE else 1
    if q.dim == "pp":
        return "change_pp", sign
    if q.dim in ("percent", "per_mille"):
        if ind.pct == "rate_pct" and (last is None or SHARE_CUE.fullmatch(last or "")):
            return "rate_pct", 1
        if last and SHARE_CUE.fullmatch(last):
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


def qualifier_of(text: str, q: Quantity, local_gap: str) -> str:
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
