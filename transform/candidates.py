"""Candidates: the (subject, number) pairs of one sentence or clause, each with its measure,
sign and qualifier, before they are dated and made facts (transform/facts.py).

- a quantity belongs to the nearest indicator named before it in its clause; a clause that
  names nothing but cue words (`，同比增长8%`) continues the previous clause's subject;
- several subjects joined by 、/和 share one number, or take one each after 分别;
- a run of numbers after one subject (`增长20%、力争25%`) gives one candidate each;
- a threshold restated with its exact figure (`突破3万元、达到30215元`) is one.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from typing import NamedTuple

from transform.clauses import (
    ASIDE,
    BARE_GROWTH,
    CPI_INDEX,
    CPI_INDEX_PERCENT,
    DELTA_TAIL,
    DENOMINATOR,
    GROWTH_CUE,
    MAX_CARRY_CLAUSES,
    MAX_GAP_CHARS,
    MAX_GAP_HAN,
    NOT_A_LEVEL_CHANGE,
    SHARE_CUE,
    SIZE_CLASS,
    STRETCH,
    WHOLE_OF_SHARE,
    YARDSTICK,
    YARDSTICK_FIGURE,
    clause_seps,
    compares_to_another_figure,
    measure_of,
    qualifier_of,
    residual_han,
    respective_subjects,
    subject_groups,
    without_numbers,
)
from transform.indicators import Indicator, Mention, find_mentions, mention_spans
from transform.numbers import Quantity, find_quantities, number_screen

_MILESTONE_SPAN = Decimal("1.5")
_NEW = re.compile(r"新增\s*$")


class Candidate(NamedTuple):
    """A subject and a number paired (a named tuple, as transform/numbers.Quantity)."""

    mention: Mention
    quantity: Quantity
    measure: str
    sign: int
    qualifier: str
    run: int
    milestone: bool = False  # a threshold: 突破 / 迈上 / 以上 …
    stretch_word: bool = False  # 力争 / 争取 / 努力 stands between subject and number


class Screen:
    """Which spans of a document may hold a candidate: those holding both an indicator name
    and a number. One scan of the whole text for the names, then per sentence a lookup and,
    where a name is, a search for a number: most sentences of a report hold no figure of an
    indicator, and finding that out with the grammar cost more than reading those that do."""

    def __init__(self, text: str, catalogue: tuple[Indicator, ...]):
        names = mention_spans(text, catalogue)
        # (starts, ends) of the names: spans do not overlap, so both lists are sorted
        self._starts = [s for s, _ in names]
        self._ends = [e for _, e in names]
        self._text = text
        self._number = number_screen()

    def may_pair(self, start: int, end: int) -> bool:
        """Whether `text[start:end]` may give a candidate (False: it surely gives none). The
        number is looked for in the span alone, as find_quantities reads the sentence."""
        i = bisect.bisect_right(self._ends, start)  # the first name ending after `start`
        if i == len(self._starts) or self._starts[i] >= end:
            return False
        return self._number.search(self._text, start, end) is not None


def _subjects_and_numbers(
    text: str, catalogue: tuple[Indicator, ...], prior: str
) -> tuple[list[Mention], list[Quantity], list[tuple[int, int]]]:
    """The indicators a sentence names (not as the whole of a share, nor inside a bracketed
    remark), its numbers in order, and the spans of its bracketed remarks."""
    bracketed = "（" in text or "(" in text
    shares = "占" in text
    asides = [(m.start(), m.end()) for m in ASIDE.finditer(text)] if bracketed else []
    mentions = [
        m
        for m in find_mentions(text, catalogue, prior)
        if not (
            shares  # both patterns read a 占
            and (
                DENOMINATOR.search(text[max(0, m.start - 6) : m.start])
                or WHOLE_OF_SHARE.search(text[max(0, m.start - 12) : m.start])
            )
        )
        and not any(a <= m.start < b for a, b in asides)
    ]
    quantities = find_quantities(text)
    found = len(quantities)
    # A price index stated as a level (居民消费价格指数为102.7) is a growth of 2.7.
    for m in mentions:
        if m.indicator.code == "cpi":
            after = text[m.end : m.end + 14]
            idx = CPI_INDEX.match(after) or CPI_INDEX_PERCENT.match(after)
            if idx and 80 <= float(idx.group(1)) <= 130:
                v = Decimal(idx.group(1))
                s, e = m.end + idx.start(1), m.end + idx.end(1)
                # `总指数 | 101.0` under a `涨跌(%)` header reads as a 101% rise: it is the index
                quantities = [q for q in quantities if q.start != s]
                quantities.append(Quantity(s, e, v - 100, None, "percent", "", "index"))
    # `同比增长26.1，`: a growth whose % sign a copy dropped (a bare number right after the cue)
    if "%" not in text and ("增" in text or "降" in text):  # a copy that kept % has none of these
        taken = {q.start for q in quantities}
        for m in BARE_GROWTH.finditer(text):
            if m.start(1) not in taken:
                v = Decimal(m.group(1))
                quantities.append(Quantity(m.start(1), m.end(1), v, None, "percent", "", "percent"))
    if len(quantities) > found:  # an index or a bare growth added: back in text order
        quantities.sort(key=lambda q: q.start)
    return mentions, quantities, asides


def _measure_in_context(
    mention: Mention,
    q: Quantity,
    gap: str,
    local_gap: str,
    carried: tuple[str, int] | None,
) -> tuple[str, int] | None:
    """The measure and sign of number `q` for subject `mention`, or None when the number is no
    value of it; `gap` is the text from the subject to the number, `local_gap` from the number
    before (in a run), `carried` the measure of the run's number before when the cue is left out
    (`增长20%、力争25%`: within one subject's run, never from one subject to another, as in
    `失业率、物价涨幅分别控制在4.2%、3%以内`)."""
    ind = mention.indicator
    if q.dim == "index":
        measure: tuple[str, int] | None = ("growth_pct", 1)
    else:
        cued = bool(GROWTH_CUE.search(local_gap) or SHARE_CUE.search(local_gap))
        measure = measure_of(ind, q, local_gap if cued else gap, mention.text)
        if carried and not cued and measure and measure[0] != "level" and carried[0] != "level":
            measure = carried
    if measure is None:
        return None
    if ("计划" in gap or "预算" in gap or "目标" in gap) and (  # what the pattern reads
        YARDSTICK_FIGURE.search(local_gap) or YARDSTICK_FIGURE.search(gap)
    ):
        return None  # 完成年计划710亿元的89.4%, 占调整预算105%: the plan and its completion
    if measure[0] == "share_pct" and YARDSTICK.search(gap):
        return None  # 占年初预算的41.5%, 占全市总量的60%: measured against something else
    if measure[0] == "change_pp" and (
        NOT_A_LEVEL_CHANGE.search(local_gap) or YARDSTICK.search(gap)
    ):
        return None  # 增幅回落5个百分点, 拉动1个百分点: a change of a growth rate, a contribution
    return measure


def sentence_candidates(
    text: str, catalogue: tuple[Indicator, ...], prior: str = ""
) -> list[Candidate]:
    """The candidates of one sentence (or table cell); `prior` is the sentence's text before a
    ；, whose subjects a later part may continue."""
    mentions, quantities, asides = _subjects_and_numbers(text, catalogue, prior)
    if not mentions or not quantities:
        return []
    seps = clause_seps(text, asides)
    groups = subject_groups(text, mentions)
    group_ends = [g[-1].end for g in groups]
    respectively: dict[int, list[Mention]] = {}
    out: list[Candidate] = []
    prev_q: Quantity | None = None
    prev_group: list[Mention] | None = None
    prev_measure: tuple[str, int] | None = None
    prev_code, run = "", 0
    for q in quantities:
        if "以" in text and SIZE_CLASS.match(text, q.end):  # 5000万元以上项目: a class
            prev_q, prev_group = q, None
            continue
        clause_no = bisect.bisect_right(seps, q.start)
        clause_start = seps[clause_no - 1] + 1 if clause_no else 0
        gi = bisect.bisect_right(group_ends, q.start) - 1
        group = groups[gi] if gi >= 0 else None
        group_clause = bisect.bisect_right(seps, group[-1].start) if group else -99
        if group and group_clause == clause_no:
            subject_end = group[-1].end
        elif (
            group
            and clause_no - group_clause <= MAX_CARRY_CLAUSES
            and residual_han(without_numbers(text, clause_start, q.start, quantities)) == 0
        ):
            subject_end = clause_start  # `，同比增长8%` continues the subject named before
            if "分别" in text[clause_start : q.start]:
                group = respectively.setdefault(
                    clause_no,
                    respective_subjects(groups[: gi + 1], quantities, q, seps, clause_no),
                )
        else:
            prev_q, prev_group = q, None
            continue
        if q.start - subject_end > MAX_GAP_CHARS:
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
        if follows_number and residual_han(local_gap) > 0:
            continue  # 高新技术企业5家、科技型企业20家: the second number has its own subject
        if compares_to_another_figure(local_gap):
            continue  # 高于全国0.6个百分点: a gap to another figure, not a value
        if local_gap == gap and residual_han(gap) > MAX_GAP_HAN:
            continue
        if q.dim not in ("percent", "pp", "per_mille", "index") and DELTA_TAIL.search(local_gap):
            continue  # 较上年增加41天: a change of a level
        if q.dim not in ("count", "person") and "新增" in local_gap and _NEW.search(local_gap):
            continue  # 新增12天: a change; 新增120家 (enterprises, jobs) counts new ones
        for k, mention in enumerate(group):
            ind = mention.indicator
            carried = prev_measure if same_run and ind.code == prev_code else None
            measure = _measure_in_context(mention, q, gap, local_gap, carried)
            if measure is None:
                continue
            qual = qualifier_of(text, q, local_gap)
            if STRETCH.search(local_gap) and any(
                c.mention.indicator.code == ind.code and c.measure == measure[0] for c in out
            ):
                qual = "stretch"
            out.append(
                Candidate(
                    mention,
                    q,
                    measure[0],
                    measure[1],
                    qual,
                    run,
                    milestone=qual == "at_least",
                    stretch_word=bool(STRETCH.search(local_gap)),
                )
            )
            if k == 0:
                prev_measure, prev_code = measure, ind.code
    if len(out) < 2:
        return out  # one candidate: nothing to pair, spread, restate or rank
    return _second_aims(_restated_milestones(_distribute(text, out)))


def _same_figure(a: Candidate, b: Candidate) -> bool:
    return (
        a.mention.indicator.code == b.mention.indicator.code
        and a.measure == b.measure
        and a.quantity.dim == b.quantity.dim
    )


def _restated_milestones(cands: list[Candidate]) -> list[Candidate]:
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


def _second_aims(cands: list[Candidate]) -> list[Candidate]:
    """`力争增长7%，确保6.5%`: the figure after 力争 is the stretch aim also when it comes first;
    a lone `努力实现增长6.5%` stays the plain target."""
    out = []
    for c in cands:
        if (
            c.stretch_word
            and c.qualifier != "stretch"
            and any(o is not c and _same_figure(c, o) for o in cands)
        ):
            c = c._replace(qualifier="stretch")
        out.append(c)
    return out


def _mention_key(c: Candidate) -> tuple[int, int, str, str]:
    m = c.mention
    return m.start, m.end, m.text, m.indicator.code


def _quantity_key(c: Candidate) -> tuple[int, int, str]:
    q = c.quantity
    return q.start, q.end, q.unit_text


_YEAR_SPAN = re.compile(r"\d{4}\s*年?\s*(?:至|到|—|-|~)\s*\d{4}\s*年")


def _respective_to_unread(text: str, items: list[Candidate]) -> bool:
    """One subject read, several figures after 分别 (`A、B、C分别增长…` with only C's name
    known): the figures are the other subjects', unless they are a span of years'
    (`2016年至2018年，…分别完成…`)."""
    first = min(c.quantity.start for c in items)
    return "分别" in text[items[0].mention.end : first] and not _YEAR_SPAN.search(text, 0, first)


def _distribute(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Pair subjects and numbers after 分别; spread a trailing qualifier over its list."""
    by_run: dict[int, list[Candidate]] = {}
    for c in cands:
        by_run.setdefault(c.run, []).append(c)
    result: list[Candidate] = []
    for items in by_run.values():
        if len(items) == 1:
            result.extend(items)  # one subject, one number: nothing to pair or spread
            continue
        # subjects and numbers by place (hashing a mention would hash its whole indicator)
        subjects = {k: i for i, k in enumerate(dict.fromkeys(map(_mention_key, items)))}
        numbers = {k: i for i, k in enumerate(dict.fromkeys(map(_quantity_key, items)))}
        if len(subjects) > 1 and len(subjects) == len(numbers):
            items = [c for c in items if subjects[_mention_key(c)] == numbers[_quantity_key(c)]]
        elif len(numbers) > 1 and (len(subjects) > 1 or _respective_to_unread(text, items)):
            continue  # 三个指标分别控制在4.2%、3%、2.5‰ with a name not read: who has which?
        last_qual = items[-1].qualifier if items else "exact"
        if last_qual in ("approx", "at_least", "at_most") and len(numbers) > 1:
            items = [
                c._replace(qualifier=last_qual) if c.qualifier == "exact" else c for c in items
            ]
        result.extend(items)
    return result
