"""The values that cross stage boundaries: a read document and the facts in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

EXTRACTOR_VERSION = "0.1.0"


@dataclass(frozen=True)
class Region:
    """A government (or zone) a report is about."""

    name: str
    level: str = "unknown"  # province | city | district | county | zone | unknown
    code: str | None = None  # GB/T 2260 code where one exists


@dataclass(frozen=True)
class Document:
    """One report as text, with the metadata read from the page or file."""

    text: str  # normalised text; Fact offsets point into it
    title: str | None
    publish_date: date | None
    publisher: str | None
    report_type: str  # government_work_report | work_plan | work_summary | other
    report_year: int | None
    region: Region | None
    attachments: tuple[str, ...] = field(default=())  # absolute URLs of linked files
    pages: tuple[str, ...] = field(default=())  # the article's further pages, to be read with it
    # what dated report_year: title (title or dateline) | heading (the text's own opening
    # words: 2023年工作回顾) | publish_date | unknown (no year)
    report_year_basis: str = "unknown"
    report_year_cue: str = ""  # the words that did (the title, the dateline, the date)


@dataclass(frozen=True)
class Fact:
    """One number a report states about one indicator (see docs/facts.md)."""

    indicator: str
    indicator_text: str
    measure: str
    value: float
    value_high: float | None
    unit: str
    unit_text: str
    qualifier: str
    kind: str
    year: int | None
    region: str | None
    sentence: str
    char_start: int
    char_end: int
    # how `year` and `kind` were decided (docs/facts.md): year_basis is sentence | heading |
    # title | publish_date | plan_period | unknown (then year is None); kind_basis is the cue
    # word (预计, 力争, 目标, 实现, …), section (the block it sits in) or default
    year_basis: str = "unknown"
    kind_basis: str = "default"
    # the words behind those (for `govreports extract --explain`; not stored in the warehouse):
    # the clause's 去年 / 到2025年, the heading, the title or dateline, the publication date
    year_cue: str = ""
    kind_cue: str = ""

    def as_dict(self) -> dict[str, object]:
        # every field is a scalar: a shallow copy (dataclasses.asdict deep-copies, 10x slower)
        return {name: getattr(self, name) for name in FACT_FIELDS}


FACT_FIELDS: tuple[str, ...] = tuple(Fact.__dataclass_fields__)
