"""Tables of figures in a report's text (`指标 | 单位 | 2023年完成 | 2024年目标` rows, as the HTML
reader writes table rows): each value cell read as a clause the fact grammar understands
(`一般公共预算收入127亿元`), with the year and kind its column header gives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from transform.numbers import unit_table
from transform.text import CELL_SEP

_NUMBER = r"[-+]?\d+(?:\.\d+)?"


@cache
def _unit_alt() -> str:
    scales, units = unit_table()
    scale = "|".join(re.escape(x) for x in sorted(scales, key=len, reverse=True))
    unit = "|".join(re.escape(x) for x in sorted(units, key=len, reverse=True))
    return rf"(?:{scale})?(?:{unit})"


@cache
def _value_re() -> re.Pattern[str]:
    """A cell holding one figure: `127`, `6左右`, `5.5以内`, `增长6.5%左右`, `1-1.2万人`."""
    return re.compile(
        rf"^(?P<cue>增长|下降|提高|降低)?(?P<lead>约|近|超过|不低于|不少于|力争|控制在)?\s*"
        rf"(?P<n1>{_NUMBER})(?:\s*(?:-|~|—|至)\s*(?P<n2>{_NUMBER}))?\s*(?P<unit>{_unit_alt()})?"
        r"\s*(?P<qual>左右|以上|以内|以下)?$"
    )


@cache
def _unit_in_brackets() -> re.Pattern[str]:
    return re.compile(rf"[（(]\s*({_unit_alt()})\s*[）)]\s*$")


_UNIT_HEADER = re.compile(r"^(?:计量)?单位$")
_GROWTH_HEADER = re.compile(r"增长|增速|增幅|±|同比|比上年")
_YEAR = re.compile(r"(20\d{2})\s*年")
_ACTUAL = re.compile(r"完成|实际|实绩|执行|实现")
_TARGET = re.compile(r"目标|计划|预期|力争|预计目标")


@dataclass(frozen=True)
class Column:
    header: str
    year: int | None
    kind: str | None  # actual | estimate | target | None (the section says)
    kind_word: str | None  # the header's word that said so (完成, 目标, 预计)
    growth: bool
    unit: str | None


@dataclass(frozen=True)
class Cell:
    """One value of one row: the clause to read, where the row is, what the column says."""

    row_start: int
    row_end: int
    clause: str
    column: Column


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("|")]


def _column(header: str, previous: Column | None) -> Column:
    year = int(m.group(1)) if (m := _YEAR.search(header)) else None
    kind = (
        "estimate"
        if "预计" in header and not _TARGET.search(header.replace("预计", ""))
        else "actual"
        if _ACTUAL.search(header)
        else "target"
        if _TARGET.search(header)
        else None
    )
    word = (
        "预计"
        if kind == "estimate"
        else (
            m.group() if (m := (_ACTUAL if kind == "actual" else _TARGET).search(header)) else None
        )
        if kind
        else None
    )
    growth = bool(_GROWTH_HEADER.search(header))
    unit = m.group(1) if (m := _unit_in_brackets().search(header)) else None
    if unit is None and "%" in header:
        unit = "%"
    if growth and previous is not None and year is None and kind is None:
        # `2023年完成 | 增长%`: a growth column belongs to the column before it
        year, kind, word = previous.year, previous.kind, previous.kind_word
    return Column(header, year, kind, word, growth, unit)


def _is_value(cell: str) -> bool:
    return bool(_value_re().match(cell))


def find_cells(text: str) -> Iterator[Cell]:
    """The value cells of every table in `text` (runs of at least two `a | b | c` lines with
    the same number of cells, the first one a header without figures)."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        start, line = lines[i]
        width = line.count("|") + 1
        if width < 2 or CELL_SEP not in line:  # rows as the HTML and .docx readers write them
            i += 1
            continue
        run = [(start, line)]
        j = i + 1
        while j < len(lines) and (lines[j][1].count("|") + 1 == width or not lines[j][1]):
            if lines[j][1]:
                run.append(lines[j])
            j += 1
        i = j
        header = _cells(run[0][1])
        if len(run) < 2 or any(_is_value(c) for c in header[1:]):
            continue
        yield from _table_cells(header, run[1:])


def _table_cells(header: list[str], rows: list[tuple[int, str]]) -> Iterator[Cell]:
    unit_col = next((k for k, h in enumerate(header) if _UNIT_HEADER.match(h)), None)
    columns: list[Column | None] = []
    previous: Column | None = None
    for k, h in enumerate(header):
        if k == 0 or k == unit_col:
            columns.append(None)
            continue
        previous = _column(h, previous)
        columns.append(previous)
    for start, line in rows:
        cells = _cells(line)
        label = cells[0]
        label_unit = m.group(1) if (m := _unit_in_brackets().search(label)) else None
        label = _unit_in_brackets().sub("", label).strip()
        if not label or _is_value(label):
            continue
        row_unit = cells[unit_col] if unit_col is not None else None
        for k, cell in enumerate(cells):
            column = columns[k] if k < len(columns) else None
            v = _value_re().match(cell) if column is not None else None
            if v is None:
                continue
            growth = column.growth or bool(v.group("cue"))
            unit = v.group("unit") or ("%" if growth else (column.unit or row_unit or label_unit))
            if not unit:
                continue
            number = v.group("n1") + (f"-{v.group('n2')}" if v.group("n2") else "")
            cue = v.group("cue") or ("增长" if column.growth and "增" not in label[-2:] else "")
            clause = f"{label}{cue}{v.group('lead') or ''}{number}{unit}{v.group('qual') or ''}。"
            yield Cell(start, start + len(line), clause, column)
