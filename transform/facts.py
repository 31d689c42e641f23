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
import time
from collections.abc import Iterator
from operator import attrgetter

from transform.candidates import Candidate, Screen, sentence_candidates
from transform.clauses import CLAUSE_SEP
from transform.dating import (
    ESTIMATE_NOTE,
    GOALS_OF_YEAR,
    TARGET_BLOCK,
    Dating,
    base_year,
    goal_named_after,
    in_plan_period,
    kind_and_year,
    paragraph_year,
    present_year,
    table_kind_and_year,
    target_cue,
)
from transform.documents import UnreadableDocument
from transform.indicators import Indicator, by_code, default_catalogue
from transform.metadata import area_named_before
from transform.model import Document, Fact
from transform.sections import Line, Sentence, document_lines, line_sentences
from transform.tables import Cell, find_cells

_ENTERPRISES_ABOVE_SCALE = re.compile(
    r"\s*(?:[^，,。；;]{0,12}[，,]\s*)?(?:全[市区县]|园区|开发区)?(?:规模以上|规上|规模)工业企业"
)
_YEARISH = re.compile(r"[\d今本明去上](?:(?<=\d)\s*|(?<=[今本明去上]))年")  # 2017年, 今年
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:至|到|—|-|～|~)\s*((?:19|20)\d{2})\s*年")


def _years_in_turn(
    text: str, dated: list[tuple[Candidate, Dating]]
) -> list[tuple[Candidate, Dating]]:
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
            out[i] = (c, dating._replace(year=year, year_basis="sentence", year_cue=span.group(0)))
    return out


def _fact(
    c: Candidate,
    text: str,
    sentence: Sentence,
    dating: Dating,
    codes: dict[str, Indicator],
    region: str | None,
    doc_text: str,
) -> Fact | None:
    """The fact a dated candidate states, or None when its indicator is not one we keep in that
    measure; the indicator is narrowed by the words before it (规模以上 + 工业增加值)."""
    ind = c.mention.indicator
    if c.measure == "share_pct" and ind.share_to:
        ind = codes.get(ind.share_to, ind)
    head = CLAUSE_SEP.split(text[: c.mention.start])[-1]
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
        return None
    if c.mention.text in _BARE_SECTORS and _INVESTMENT_SECTION.search(sentence.heading):
        return None  # 三、固定资产投资 … 分产业看，第一产业增长129.2%: the sector's investment
    if c.measure in ("share_pct", "change_pp") and not ind.shares:
        return None  # 高新技术企业占比30%: not a measure this indicator is kept in
    q = c.quantity
    value, high = q.value, q.value_high
    sign = 1 if ind.reduction else c.sign
    unit = q.unit
    if c.measure == "level" and q.dim == "count" and ind.count_unit:
        unit = ind.count_unit
    return Fact(
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
        region=area_named_before(head, region, doc_text) or region,
        sentence=sentence.text,
        char_start=sentence.start,
        char_end=sentence.end,
        year_basis=dating.year_basis,
        kind_basis=dating.kind_basis,
        year_cue=dating.year_cue,
        kind_cue=dating.kind_cue,
    )


# a sector named bare (no 增加值) under a heading about investment, not output, is that
# sector's investment
_BARE_SECTORS = frozenset({"第一产业", "第二产业", "第三产业", "一产", "二产", "三产", "三产业"})
_INVESTMENT_SECTION = re.compile(r"^(?!.*(?:增加值|生产总值|GDP|经济运行|经济总量)).*投资")

_FACT_KEY = attrgetter("indicator", "measure", "value", "value_high", "kind", "year", "char_start")


def _sentences_that_matter(
    doc: Document, screen: Screen, row_starts: list[int], row_ends: list[int]
) -> Iterator[Sentence | Line]:
    """The sentences of `doc`, but a whole line in one piece where it can give no fact and changes
    nothing that dates a later one: no indicator name with a number (Screen), no table row, no
    (预计，下同) note, no ； carrying its clauses into the next line, no year named for the
    document's goals. Most lines of a report are such: splitting them into sentences cost
    more than reading the rest."""
    for line in document_lines(
        doc.text, doc.report_type, doc.report_year, doc.report_year_basis, doc.report_year_cue
    ):
        end = line.start + len(line.text)
        row = bisect.bisect_right(row_starts, end) - 1  # table rows are lines: none overlap
        if (
            (row >= 0 and row_ends[row] > line.start)
            or screen.may_pair(line.start, end)
            or "下同" in line.text
            or line.text.rstrip().endswith(("；", ";"))
            or ("年" in line.text and GOALS_OF_YEAR.search(line.text))
        ):
            yield from line_sentences(doc.text, line)
        else:
            yield line


class OverBudget(UnreadableDocument):
    """Extraction took longer than the document's time budget (a pathological text)."""


def extract_facts(
    doc: Document,
    catalogue: tuple[Indicator, ...] | None = None,
    budget_seconds: float | None = None,
) -> list[Fact]:
    """Every fact (docs/facts.md) stated in `doc`, in text order. With `budget_seconds`, a
    document that takes longer raises OverBudget (checked between sentences)."""
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
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
    screen = Screen(doc.text, catalogue)
    row_ends = [cells_by_row[r][0].row_end for r in row_starts]

    def emit(c: Candidate, text: str, sentence: Sentence, dating: Dating) -> None:
        fact = _fact(c, text, sentence, dating, codes, region, doc.text)
        if fact is None:
            return
        key = _FACT_KEY(fact)
        if key not in seen:
            seen.add(key)
            facts.append(fact)

    for sentence in _sentences_that_matter(doc, screen, row_starts, row_ends):
        if deadline is not None and time.monotonic() > deadline:
            raise OverBudget(f"extraction took over {budget_seconds:g} s; not loaded")
        if isinstance(sentence, Line):  # a line passed over: what its sentences would reset
            earlier_clauses = ""
            estimate_note = estimate_note and sentence.heading == note_heading
            continue
        row = bisect.bisect_right(row_starts, sentence.start) - 1 if row_starts else -1
        if row >= 0 and sentence.start < row_ends[row]:
            # a row of a table of figures: each value cell is read as its own clause
            for cell in cells_by_row.pop(row_starts[row], []):
                dating = table_kind_and_year(cell.column, sentence)
                for c in sentence_candidates(cell.clause, catalogue):
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
        line_start = sentence.line_start
        if line_start != paragraph_start:
            paragraph_start, para_year, para_targets = line_start, None, ""
        dated: list[tuple[Candidate, Dating]] = []
        may_pair = screen.may_pair(sentence.start, sentence.end)
        clauses = prior[-300:]
        for c in sentence_candidates(text, catalogue, clauses) if may_pair else ():
            q = c.quantity
            before = clauses + text[: q.start]
            dating = kind_and_year(
                sentence,
                before,
                now,
                estimate_note or noted,
                para_year,
                para_targets,
                goal_year,
                len(clauses),
            )
            named = goal_named_after(dating, text, q)
            if named is None:
                continue  # a goal met, quoted as the yardstick of a result
            dating = named
            base = base_year(text, q, dating.year, sentence.heading)
            if base is False:
                continue  # a starting figure of unknown year would pose as this year's
            dated.append(
                (c, base if base is not None else in_plan_period(dating, sentence, before))
            )
        for c, dating in _years_in_turn(text, dated) if dated else ():
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
