"""The indicator catalogue (rules/indicators.toml) and the matcher of indicator names in text."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


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


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    indicator: Indicator


def load_catalogue(path: Path | None = None) -> tuple[Indicator, ...]:
    raw = (
        path.read_text("utf-8")
        if path
        else resources.files("transform.rules").joinpath("indicators.toml").read_text("utf-8")
    )
    entries = tomllib.loads(raw)["indicator"]
    return tuple(
        Indicator(
            code=e["code"],
            name_zh=e["name_zh"],
            name_en=e.get("name_en", ""),
            synonyms=tuple(e["synonyms"]),
            level_dims=tuple(e.get("level_dims", ())),
            pct=e.get("pct"),
            count_unit=e.get("count_unit"),
            share_to=e.get("share_to"),
            reduction=bool(e.get("reduction", False)),
            emit=bool(e.get("emit", True)),
            scope_pattern=e.get("scope", {}).get("pattern"),
            scope_code=e.get("scope", {}).get("code"),
            expands=tuple(e.get("expands", ())),
            elliptic=tuple(e.get("elliptic", {}).get("names", ())),
            elliptic_after=e.get("elliptic", {}).get("after"),
        )
        for e in entries
    )


@cache
def default_catalogue() -> tuple[Indicator, ...]:
    return load_catalogue()


@cache
def _matcher(catalogue: tuple[Indicator, ...]) -> tuple[re.Pattern[str], dict[str, Indicator]]:
    by_name: dict[str, Indicator] = {}
    for ind in catalogue:
        for name in ind.synonyms:
            by_name.setdefault(name, ind)
    # "PM2.5" must not match inside "PM2.57": names ending in a Latin letter or digit may not
    # be followed by another one.
    alternation = "|".join(
        re.escape(n) + (r"(?![A-Za-z0-9.])" if n[-1].isascii() and n[-1].isalnum() else "")
        for n in sorted(by_name, key=len, reverse=True)
    )
    return re.compile(alternation), by_name


_ELLIPSIS = re.compile(r"([\u4e00-\u9fff]{2})(?:和|与|、|及)$")


def find_mentions(text: str, catalogue: tuple[Indicator, ...] | None = None) -> list[Mention]:
    """Indicator names in `text`, longest first; a name that stands for several indicators gives
    one mention each, at the same place."""
    catalogue = catalogue or default_catalogue()
    pattern, by_name = _matcher(catalogue)
    codes = by_code(catalogue)
    found = []
    for m in pattern.finditer(text):
        name = m.group()
        ind = by_name[name]
        # 城镇和农村居民人均可支配收入: the first, shortened name shares the second's head
        lead = _ELLIPSIS.search(text, max(0, m.start() - 3), m.start())
        if (
            lead
            and (other := by_name.get(lead.group(1) + name[len(lead.group(1)) :]))
            and other is not ind
        ):
            found.append(
                Mention(lead.start(1), m.end(), lead.group(1) + name[len(lead.group(1)) :], other)
            )
        for target in [codes[c] for c in ind.expands if c in codes] or [ind]:
            found.append(Mention(m.start(), m.end(), name, target))
    return _elliptic_mentions(text, found, catalogue) if found else found


@cache
def _elliptic_specs(catalogue: tuple[Indicator, ...]) -> list[tuple[Indicator, re.Pattern[str]]]:
    return [(i, re.compile(i.elliptic_after)) for i in catalogue if i.elliptic and i.elliptic_after]


def _elliptic_mentions(
    text: str, found: list[Mention], catalogue: tuple[Indicator, ...]
) -> list[Mention]:
    """`全体居民人均可支配收入3.5万元，其中城镇居民4.5万元`: after a full name, a short one
    (城镇居民) names its own indicator. Only where it is not part of a longer name."""
    taken = [(m.start, m.end) for m in found]
    extra = []
    for ind, after in _elliptic_specs(catalogue):
        first_full = min((m.end for m in found if after.search(m.text)), default=None)
        if first_full is None:
            continue
        for name in ind.elliptic:
            for m in re.finditer(re.escape(name), text[first_full:]):
                start, end = first_full + m.start(), first_full + m.end()
                if not any(s < end and start < e for s, e in taken):
                    extra.append(Mention(start, end, name, ind))
                    taken.append((start, end))
    return sorted(found + extra, key=lambda m: m.start) if extra else found


def by_code(catalogue: tuple[Indicator, ...] | None = None) -> dict[str, Indicator]:
    return {i.code: i for i in (catalogue or default_catalogue())}
