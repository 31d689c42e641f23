"""Sources (portals) as configuration: a TOML file with one [[sources]] table per portal."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from extract.families import FAMILY_NAMES

DEFAULT_TITLE_INCLUDE = r"政府工作报告|工作报告|工作要点|工作总结|工作计划|工作思路|工作安排"


class SourceConfigError(ValueError):
    """A sources file or entry that cannot be used; the message names the entry and field."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    region: str
    start_urls: tuple[str, ...]
    allow_private: bool = False
    title_include: str = DEFAULT_TITLE_INCLUDE
    title_exclude: str | None = None
    max_pages: int = 10
    delay_seconds: float = 1.0
    encoding: str | None = None
    obey_robots: bool = True
    revisit_days: int | None = None  # re-check loaded reports this often for changes (None: never)
    # walk every listing page (up to max_pages) this often, not stopping at known reports, so a
    # report inserted below known ones (reordered, pinned, oldest-first columns) is found
    deep_walk_days: int | None = 7
    # reports fetched per run at most; the rest wait for the next night (a listing of 100,000
    # links is 100,000 fetches otherwise)
    max_new_reports: int = 500
    # origins besides those of start_urls that reports and attachments may be fetched from
    # (`https://files.gov.cn`); redirects and links elsewhere are refused
    extra_origins: tuple[str, ...] = ()
    item_xpath: str | None = None  # selects the report links of a listing page (default: detected)
    next_xpath: str | None = None  # selects its next-page link (default: TRS paging and 下一页)
    # the portal platform its columns run on (extract/families); None: recognised from the page
    family: str | None = None
    # what the catalogue says of the government (for selecting sources; not used to crawl)
    level: str | None = None  # province | city | county | district | zone
    province: str | None = None  # the province-level division it belongs to
    parent_region: str | None = None  # a zone's host city or county
    evidence: str | None = None  # where the column's address was seen

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """Host names of the start URLs (what listings may link to)."""
        return frozenset(urlsplit(u).hostname or "" for u in self.start_urls)

    @property
    def allowed_origins(self) -> frozenset[str]:
        """Scheme, host and port of each start URL, and the extra origins listed: all that
        may be fetched for this source (see extract/http.allowed)."""
        parts = (urlsplit(u) for u in (*self.start_urls, *self.extra_origins))
        return frozenset(f"{p.scheme}://{p.netloc}" for p in parts)


_FIELDS = {
    "id": str,
    "name": str,
    "region": str,
    "start_urls": list,
    "allow_private": bool,
    "title_include": str,
    "title_exclude": str,
    "max_pages": int,
    "delay_seconds": (int, float),
    "encoding": str,
    "obey_robots": bool,
    "revisit_days": int,
    "deep_walk_days": int,
    "max_new_reports": int,
    "extra_origins": list,
    "item_xpath": str,
    "next_xpath": str,
    "family": str,
    "level": str,
    "province": str,
    "parent_region": str,
    "evidence": str,
}
LEVELS = ("province", "city", "county", "district", "zone")
# Fields holding patterns: checked by compiling them, so a typo fails at load, not mid-crawl.
_COMPILED_FIELDS = (
    (("title_include", "title_exclude"), re.compile, re.error, "regex"),
    (("item_xpath", "next_xpath"), etree.XPath, etree.XPathSyntaxError, "XPath"),
)
_REQUIRED = ("id", "name", "region", "start_urls")


def _source(entry: object, where: str) -> Source:
    if not isinstance(entry, dict):
        raise SourceConfigError(f"{where}: must be a table")
    label = f"{where} (id {entry.get('id')!r})" if "id" in entry else where
    for key in _REQUIRED:
        if key not in entry:
            raise SourceConfigError(f"{label}: missing required field '{key}'")
    for key, value in entry.items():
        if key not in _FIELDS:
            raise SourceConfigError(f"{label}: unknown field '{key}'")
        if not isinstance(value, _FIELDS[key]) or (
            isinstance(value, bool) and _FIELDS[key] is not bool
        ):
            raise SourceConfigError(
                f"{label}: field '{key}' has the wrong type ({type(value).__name__})"
            )
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", entry["id"]):
        raise SourceConfigError(
            f"{label}: field 'id' must be 1-64 letters, digits, '-', '_' or '.'"
        )
    urls = entry["start_urls"]
    if not urls:
        raise SourceConfigError(f"{label}: field 'start_urls' must list at least one URL")
    for key in ("start_urls", "extra_origins"):
        for url in entry.get(key, ()):
            parts = urlsplit(url) if isinstance(url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
                raise SourceConfigError(f"{label}: field '{key}' has a non-http(s) URL {url!r}")
    for keys, compile_, error, what in _COMPILED_FIELDS:
        for key in keys:
            if key in entry:
                try:
                    compile_(entry[key])
                except error as exc:
                    raise SourceConfigError(
                        f"{label}: field '{key}' is not a valid {what} ({exc})"
                    ) from None
    if entry.get("family") not in (None, *FAMILY_NAMES):
        raise SourceConfigError(f"{label}: field 'family' must be one of {', '.join(FAMILY_NAMES)}")
    if entry.get("level") not in (None, *LEVELS):
        raise SourceConfigError(f"{label}: field 'level' must be one of {', '.join(LEVELS)}")
    if entry.get("max_new_reports", 1) < 1:
        raise SourceConfigError(f"{label}: field 'max_new_reports' must be at least 1")
    if entry.get("max_pages", 1) < 1:
        raise SourceConfigError(f"{label}: field 'max_pages' must be at least 1")
    if entry.get("revisit_days", 0) < 0:
        raise SourceConfigError(f"{label}: field 'revisit_days' must not be negative")
    if entry.get("delay_seconds", 0) < 0:
        raise SourceConfigError(f"{label}: field 'delay_seconds' must not be negative")
    origins = tuple(entry.get("extra_origins", ()))
    return Source(**{**entry, "start_urls": tuple(urls), "extra_origins": origins})


def parse_sources(text: str, origin: str = "sources") -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceConfigError(f"{origin}: not valid TOML ({exc})") from None
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise SourceConfigError(f"{origin}: no [[sources]] entries")
    sources = [_source(e, f"{origin}: [[sources]] #{i + 1}") for i, e in enumerate(entries)]
    seen: set[str] = set()
    for s in sources:
        if s.id in seen:
            raise SourceConfigError(f"{origin}: duplicate source id {s.id!r}")
        seen.add(s.id)
    return sources


def _read_sources_file(path: Path) -> list[Source]:
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise SourceConfigError(f"{path}: cannot read sources file ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise SourceConfigError(
            f"{path}: not a UTF-8 text file (byte {exc.start}); a sources file is TOML"
        ) from None
    return parse_sources(text, str(path))


def load_sources(path: str | Path) -> list[Source]:
    """The sources of a TOML file, or of every `*.toml` file in a folder (a catalogue kept as
    one file per province: deploy/sources/), in file-name order; ids are unique across files."""
    path = Path(path)
    if not path.is_dir():
        return _read_sources_file(path)
    files = sorted(path.glob("*.toml"))
    if not files:
        raise SourceConfigError(f"{path}: a folder without sources files (*.toml)")
    sources: list[Source] = []
    where: dict[str, Path] = {}
    for file in files:
        for source in _read_sources_file(file):
            if source.id in where:
                raise SourceConfigError(
                    f"{file}: source id {source.id!r} is also in {where[source.id].name}"
                )
            where[source.id] = file
            sources.append(source)
    return sources


@dataclass(frozen=True)
class Selection:
    """Which sources of a catalogue a run takes: by id, level and province (each empty: all).
    A source the catalogue gives no level or province is left out by a filter on it."""

    ids: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()

    def apply(self, sources: list[Source], origin: str = "sources") -> list[Source]:
        """The selected sources; a name that selects nothing is an error, never an empty run."""
        if bad := [lv for lv in self.levels if lv not in LEVELS]:
            raise SourceConfigError(
                f"unknown level {', '.join(bad)!s} (levels: {', '.join(LEVELS)})"
            )
        if missing := sorted(set(self.ids) - {s.id for s in sources}):
            raise SourceConfigError(f"{origin}: no source with id {', '.join(missing)}")
        known = {s.province for s in sources if s.province}
        if missing := sorted(set(self.provinces) - known):
            raise SourceConfigError(f"{origin}: no source in province {', '.join(missing)}")
        chosen = [
            s
            for s in sources
            if (not self.ids or s.id in self.ids)
            and (not self.levels or s.level in self.levels)
            and (not self.provinces or s.province in self.provinces)
        ]
        if not chosen:
            raise SourceConfigError(f"{origin}: the selection matches no source")
        return chosen
