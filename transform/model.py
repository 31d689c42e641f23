"""The values that cross package lines: a read document, the facts in it, the indicators they
name, and what the crawl hands the warehouse (a document ready to load, a crawl record).

The warehouse imports only this module of transform; extract and flows build these values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

EXTRACTOR_VERSION = "0.1.0"
_PARENT = re.compile(r"^(.+?(?:省|自治区|市|自治州|地区|盟))(.+(?:区|县|市|旗|开发区|高新区))$")


@dataclass(frozen=True)
class Region:
    """A government (or zone) a report is about."""

    name: str
    level: str = "unknown"  # province | city | district | county | zone | unknown
    code: str | None = None  # GB/T 2260 code where one exists

    @property
    def parent_name(self) -> str | None:
        """The province or city a compound name starts with (浙江省温州市 -> 浙江省)."""
        parent = _PARENT.match(self.name)
        return parent.group(1) if parent else None


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


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    synonyms: tuple[str, ...]
    level_dims: tuple[str, ...]
    pct: str | None = None  # measure of a bare % value
    count_unit: str | None = None
    share_to: str | None = None
    reduction: bool = False
    emit: bool = True
    scope_pattern: str | None = None  # words before the name in its clause that narrow it ...
    scope_code: str | None = None  # ... to this code (规模以上工业企业 + 工业增加值)
    expands: tuple[str, ...] = ()  # a name that stands for several indicators (城乡居民收入)
    elliptic: tuple[str, ...] = ()  # short names valid after a fuller one (其中城镇居民4.5万元)
    elliptic_after: str | None = None  # regex the earlier, fuller name must match
    # a share of a whole (占GDP比重) and its change in points make sense for it; always for an
    # indicator whose bare percent is a share or rate
    shares: bool = False

    def __hash__(self) -> int:
        # Hashed on every cached lookup and in every Mention: the code (unique in a catalogue)
        # instead of all fields with their synonym tuples. Equal indicators share a code.
        return hash(self.code)


@dataclass(frozen=True)
class DocumentLoad:
    """A read document with its facts and provenance, ready to load. `fact_regions` are the
    regions the facts name (resolved by transform: the warehouse stores them as given)."""

    url: str
    source_id: str
    content_url: str
    sha256: str
    fetched_at: datetime
    document: Document
    facts: tuple[Fact, ...]
    fact_regions: tuple[Region, ...] = ()


@dataclass(frozen=True)
class CrawlRecord:
    """What one attempt at one URL (a report's page, a further page, an attachment) came to."""

    url: str
    source_id: str
    role: str  # detail | page | attachment
    status: str  # ok | failed | skipped
    attempted_at: datetime
    http_status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    content_type: str | None = None
    listing_title: str | None = None
    listing_date: date | None = None


@dataclass(frozen=True)
class Part:
    """One fetched part of a report (its page, a further page, an attached file): the bytes as
    kept in the raw zone under `sha256`."""

    url: str
    body: bytes
    content_type: str | None
    sha256: str


def url_key(url: str) -> str:
    """A URL's identity within its source: path and query, without scheme, host, port or fragment,
    so a portal that moves from http to https or to another host name (or the demo portal to
    another port) does not look like new documents."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
