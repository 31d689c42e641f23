"""Document structure: sentences, headings and the period (review or plan, and year) of each.

A heading's words (回顾, 目标任务, 2017年...) set the period of what follows until the next
heading that says otherwise; sentence words (预计, 今年, 到2025年) refine it per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

# Heading markers by level: 第一部分 > 一、 > （一） > 1. / 1、 > （1）. Untagged short lines are
# headings too (level 1: many reports title their parts without numbers).
_HEADING_LEVELS = (
    (0, re.compile(r"^第[一二三四五六七八九十]+[部分章节篇]")),
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")),
    (3, re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)
# all markers in one pattern, tried in the order above: the group that matched is the level
_HEADING_MARKER = re.compile("|".join(f"({m.pattern[1:]})" for _, m in _HEADING_LEVELS))
_NO_HEADING_PUNCT = re.compile(r"[。；;，,:：]")
_HEADING_CUT = re.compile(r"[。；;:：]")
_LONG_NUMBER = re.compile(r"\d{3,}")
_REVIEW = re.compile(
    r"回顾|过去|成绩|成效|完成情况|执行情况|工作总结|一年来|五年来|上年|去年|取得|收官"
)
_WHOLE_REPORT = re.compile(r"政府工作报告")
# a report on how last year's plan went: a review, though it names the plan (计划执行情况)
_EXECUTION = re.compile(r"执行情况|完成情况|全面完成|超额完成|圆满完成|顺利完成")
_PLAN = re.compile(r"目标|任务|安排|计划|要点|思路|总体要求|今年|明年|展望|重点工作|建议|打算|部署")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
# A sentence longer than this is a run-on paragraph (or no prose at all): it is read in pieces
# cut at its last clause break before the limit, so that the work on a sentence, which grows
# with the square of its length, stays bounded. The longest sentence in our 87 labelled
# reports has 287 characters.
MAX_SENTENCE_CHARS = 1_000
_CLAUSE_BREAK = re.compile(r"[，,、：:）)]")


@dataclass(frozen=True)
class Period:
    phase: str  # review | plan
    year: int | None
    year_basis: str = "unknown"  # what dated it: heading, or the report year's own basis
    kind_basis: str = "default"  # section when a heading set the phase
    cue: str = ""  # the heading, title or date that set it


class Sentence(NamedTuple):
    """A sentence with its offsets into the text (a named tuple: a report has thousands, and
    a frozen dataclass costs several times as much to make)."""

    start: int
    end: int
    text: str
    period: Period
    heading: str  # nearest heading above, for context
    section: tuple[str, ...] = ()  # the headings above, outermost first
    line_start: int = 0  # where its line (paragraph) starts in the text


def default_phase(report_type: str) -> str:
    """A work plan sets targets; reports, summaries and texts of no known kind (news about a
    report, statistics releases) state results unless a heading or the sentence says otherwise."""
    return "plan" if report_type == "work_plan" else "review"


def opens_heading(line: str) -> bool:
    """Does the line start with a heading marker (第一部分, 一、, （一）, 1、, （1））?"""
    return _HEADING_MARKER.match(line) is not None


def heading_of(line: str) -> tuple[int, str] | None:
    """(level, heading text) of a line, or None. `（一）经济运行稳中向好。预计…` has the level-2
    heading `（一）经济运行稳中向好`."""
    stripped = line.strip()
    if not stripped or "|" in stripped:  # a table row (transform/text.CELL_SEP) is no heading
        return None
    marker = _HEADING_MARKER.match(stripped)
    if marker:
        head = _HEADING_CUT.split(stripped, maxsplit=1)[0]
        return (marker.lastindex - 1, head) if len(head) <= 60 else None  # type: ignore[operator]
    if (
        len(stripped) <= 24
        and not _NO_HEADING_PUNCT.search(stripped)
        and not _LONG_NUMBER.search(_YEAR.sub("", stripped))
    ):
        return 1, stripped
    return None


def _period_from_heading(head: str, report_year: int | None, report_type: str) -> Period | None:
    if _WHOLE_REPORT.search(head):
        return None  # `2016年某市政府工作报告` standing as a line: the title, no section of it
    years = [int(y) for y in _YEAR.findall(head)]
    review, plan = bool(_REVIEW.search(head)), bool(_PLAN.search(head))
    if not (review or plan or years):
        return None
    if (review and not plan) or _EXECUTION.search(head):
        phase = "review"
    elif plan and not review:
        phase = "plan"
    elif years and report_year:
        # a year alone (a table caption `2017年居民消费价格指数`): a past year is reviewed; the
        # report's own year is planned only in a report or plan (a statistics release reviews it)
        planning = report_type in ("government_work_report", "work_plan")
        phase = "plan" if years[-1] >= report_year and planning else "review"
    else:
        phase = "plan" if plan else "review"
    if years:
        year = years[-1]
    elif report_year is None:
        year = None
    elif phase == "review" and report_type == "government_work_report":
        year = report_year - 1
    else:
        year = report_year
    return Period(phase, year, "heading" if year is not None else "unknown", "section", head)


def initial_period(
    report_type: str, report_year: int | None, basis: str = "title", cue: str = ""
) -> Period:
    phase = default_phase(report_type)
    year = report_year
    if report_year and phase == "review" and report_type == "government_work_report":
        year = report_year - 1
    return Period(phase, year, basis if year is not None else "unknown", "default", cue)


class Line(NamedTuple):
    """A non-blank line (a paragraph, a heading, a table row) with the period its headings
    give it."""

    start: int
    text: str
    period: Period
    heading: str  # nearest heading above (the line's own when it is one)
    section: tuple[str, ...]  # the headings above, outermost first


def document_lines(
    text: str,
    report_type: str,
    report_year: int | None,
    report_year_basis: str = "title",
    report_year_cue: str = "",
) -> Iterator[Line]:
    """The non-blank lines of `text` with offsets, each with the period its headings give it."""
    period = initial_period(report_type, report_year, report_year_basis, report_year_cue)
    heading = ""
    path: list[tuple[int, str]] = []
    section: tuple[str, ...] = ()
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line:
            continue  # a blank line: no heading, no sentence
        found = heading_of(line)
        if found:
            level, heading = found
            while path and path[-1][0] >= level:
                path.pop()
            path.append(found)
            section = tuple(h for _, h in path)
            new = _period_from_heading(heading, report_year, report_type)
            if new:
                period = new
        yield Line(line_start, line, period, heading, section)


def line_sentences(text: str, line: Line) -> Iterator[Sentence]:
    """The sentences of one line of `text`, with offsets into `text`."""
    line_start, period, heading, section = line.start, line.period, line.heading, line.section
    line_end = line_start + len(line.text)
    # sentence ends in the line, then the line's end (after a last 。 it holds nothing)
    ends = [line_start + m.end() for m in _SENTENCE_END.finditer(line.text)]
    start = line_start
    for end in (*ends, line_end) if not ends or ends[-1] < line_end else ends:
        # most sentences are short: one span, without the cutting generator
        spans = ((start, end),) if end - start <= MAX_SENTENCE_CHARS else _pieces(text, start, end)
        for a, b in spans:
            piece = text[a:b]
            if piece[:1].isspace() or piece[-1:].isspace():  # most pieces have none to strip
                lead = len(piece) - len(piece.lstrip())
                piece = piece.strip()
                a += lead
            if piece:
                yield Sentence(a, a + len(piece), piece, period, heading, section, line_start)
        start = end


def split_sentences(
    text: str,
    report_type: str,
    report_year: int | None,
    report_year_basis: str = "title",
    report_year_cue: str = "",
) -> Iterator[Sentence]:
    """Sentences with offsets into `text`, each with the period its headings give it."""
    for line in document_lines(text, report_type, report_year, report_year_basis, report_year_cue):
        yield from line_sentences(text, line)


def _pieces(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """text[start:stop] as spans of at most MAX_SENTENCE_CHARS, cut after a clause break."""
    while stop - start > MAX_SENTENCE_CHARS:
        window = text[start : start + MAX_SENTENCE_CHARS]
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(window)]
        cut = start + (
            breaks[-1] if breaks and breaks[-1] > MAX_SENTENCE_CHARS // 2 else len(window)
        )
        yield start, cut
        start = cut
    yield start, stop
