"""The indicator catalogue (rules/indicators.toml) and the matcher of indicator names in text."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple, TypeVar

import ahocorasick_rs

from transform.model import Indicator

T = TypeVar("T")


class Mention(NamedTuple):
    """An indicator named at [start, end) (a named tuple, as transform/numbers.Quantity)."""

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
            shares=bool(e.get("shares", False)) or e.get("pct") in ("share_pct", "rate_pct"),
        )
        for e in entries
    )


@cache
def default_catalogue() -> tuple[Indicator, ...]:
    return load_catalogue()


def _per_catalogue(
    build: Callable[[tuple[Indicator, ...]], T],
) -> Callable[[tuple[Indicator, ...]], T]:
    """Memoise on the catalogue object itself: hashing a tuple of indicators on every sentence
    costs more than the lookup it saves."""
    built: dict[int, tuple[tuple[Indicator, ...], T]] = {}

    def get(catalogue: tuple[Indicator, ...]) -> T:
        hit = built.get(id(catalogue))
        if hit is None or hit[0] is not catalogue:
            hit = built[id(catalogue)] = (catalogue, build(catalogue))
        return hit[1]

    return get


@dataclass(frozen=True)
class _Names:
    """The catalogue's names, searched leftmost-longest in one pass (Aho-Corasick); `exact`,
    the regex that also keeps the boundaries, for the rare text where they matter."""

    names: tuple[str, ...]
    automaton: ahocorasick_rs.AhoCorasick
    bounded: frozenset[str]  # names ending in a Latin letter or digit
    exact: re.Pattern[str]
    screen: ahocorasick_rs.AhoCorasick  # the names and the short (elliptic) ones


def _bounded(name: str) -> str:
    """ "PM2.5" must not match inside "PM2.57": a name ending in a digit may not be followed by
    another digit, one ending in a Latin letter not by another letter ("GDP762亿元" is GDP)."""
    last = name[-1]
    if last.isascii() and last.isdigit():
        return re.escape(name) + r"(?![0-9.])"
    if last.isascii() and last.isalpha():
        return re.escape(name) + r"(?![A-Za-z])"
    return re.escape(name)


@_per_catalogue
def _matcher(catalogue: tuple[Indicator, ...]) -> tuple[_Names, dict[str, Indicator]]:
    by_name: dict[str, Indicator] = {}
    for ind in catalogue:
        for name in ind.synonyms:
            by_name.setdefault(name, ind)
    names = tuple(sorted(by_name, key=len, reverse=True))
    every = tuple(sorted({*names, *(n for i in catalogue for n in i.elliptic)}))
    # a DFA: built once per catalogue (a few hundred names), then the fastest to search
    options = {
        "matchkind": ahocorasick_rs.MatchKind.LeftmostLongest,
        "implementation": ahocorasick_rs.Implementation.DFA,
    }
    return _Names(
        names,
        ahocorasick_rs.AhoCorasick(names, **options),
        frozenset(n for n in names if n[-1].isascii() and n[-1].isalnum()),
        re.compile("|".join(_bounded(n) for n in names)),
        ahocorasick_rs.AhoCorasick(every, **options),
    ), by_name


def _breaks(name: str, after: str) -> bool:
    return after in "0123456789." if name[-1].isdigit() else after.isascii() and after.isalpha()


def _name_spans(text: str, names: _Names) -> list[tuple[int, int, str]]:
    """(start, end, name) of the catalogue's names in `text`, leftmost-longest, as the regex of
    all names longest first reads them. Where a name needing a boundary (PM2.5, GDP) stands
    against a character that breaks it, the regex decides (it then tries shorter names)."""
    spans = [(s, e, names.names[i]) for i, s, e in names.automaton.find_matches_as_indexes(text)]
    for _, e, name in spans:
        if name in names.bounded and e < len(text) and _breaks(name, text[e]):
            return [(m.start(), m.end(), m.group()) for m in names.exact.finditer(text)]
    return spans


def mention_spans(text: str, catalogue: tuple[Indicator, ...]) -> list[tuple[int, int]]:
    """Where the names of the catalogue (short, elliptic ones included) stand in `text`, in
    one pass over a whole document: every mention lies in one of these spans (extract_facts
    skips the sentences touching none)."""
    names, _ = _matcher(catalogue)
    return [(s, e) for _, s, e in names.screen.find_matches_as_indexes(text)]


_CONNECTOR = "和与、及"


def _shared_head(
    text: str, start: int, name: str, by_name: dict[str, Indicator]
) -> tuple[int, str] | None:
    """`城镇和农村居民人均可支配收入`, `城镇居民和农村居民人均可支配收入`: the shortened first name
    before a connector, completed with the second name's head: (where it starts, the full name),
    or None when that is no catalogue name."""
    if start < 3 or text[start - 1] not in _CONNECTOR:
        return None
    for k in (4, 3, 2):  # length of the shortened first name
        lead = text[start - 1 - k : start - 1]
        if len(lead) < k or not all("\u4e00" <= ch <= "\u9fff" for ch in lead):
            continue
        for j in (k, 2, 3, 4):  # length of the part of the second name it stands for
            full = lead + name[j:]
            if j < len(name) and full in by_name and by_name[full] is not by_name[name]:
                return start - 1 - k, full
    return None


def find_mentions(
    text: str, catalogue: tuple[Indicator, ...] | None = None, prior: str = ""
) -> list[Mention]:
    """Indicator names in `text`, longest first; a name that stands for several indicators gives
    one mention each, at the same place."""
    catalogue = catalogue or default_catalogue()
    names, by_name = _matcher(catalogue)
    targets = _targets(catalogue)
    found = []
    for start, end, name in _name_spans(text, names):
        # 城镇和农村居民人均可支配收入: the first, shortened name shares the second's head
        shared = _shared_head(text, start, name, by_name) if start >= 3 else None
        if shared:
            found.append(Mention(shared[0], end, shared[1], by_name[shared[1]]))
        for target in targets[name]:
            found.append(Mention(start, end, name, target))
    return _elliptic_mentions(text, found, catalogue, prior) if found or prior else found


@_per_catalogue
def _elliptic_specs(catalogue: tuple[Indicator, ...]) -> list[tuple[Indicator, re.Pattern[str]]]:
    return [(i, re.compile(i.elliptic_after)) for i in catalogue if i.elliptic and i.elliptic_after]


@_per_catalogue
def _targets(catalogue: tuple[Indicator, ...]) -> dict[str, tuple[Indicator, ...]]:
    """The indicators each name stands for: its own, or those it expands to (present in the
    catalogue)."""
    _, by_name = _matcher(catalogue)
    codes = by_code(catalogue)
    return {
        name: tuple(codes[c] for c in ind.expands if c in codes) or (ind,)
        for name, ind in by_name.items()
    }


@_per_catalogue
def _elliptic_names(catalogue: tuple[Indicator, ...]) -> re.Pattern[str]:
    """Any short name (one pattern of literals: re skips ahead to their first characters)."""
    names = sorted({n for i in catalogue if i.elliptic_after for n in i.elliptic}, key=len)
    return re.compile("|".join(map(re.escape, reversed(names))) or r"(?!)")


# a short name glued to the word before it (猪肉产量, not 其中城镇居民 or ，产量)
_GLUED = re.compile(r"[\u4e00-\u9fff](?<!其中)(?<![和及与])$")


def _elliptic_mentions(
    text: str, found: list[Mention], catalogue: tuple[Indicator, ...], prior: str = ""
) -> list[Mention]:
    """`全体居民人均可支配收入3.5万元，其中城镇居民4.5万元`: after a full name, a short one
    (城镇居民) names its own indicator. Only where it is not part of a longer name. `prior` is
    the sentence's earlier clauses (before a ；), where the full name may have been given."""
    if not _elliptic_names(catalogue).search(text):
        return found  # no short name in the clause: nothing to add
    taken = [(m.start, m.end) for m in found]
    extra = []
    earlier: list[Mention] | None = None  # mentions in `prior`, found once when first needed
    for ind, after in _elliptic_specs(catalogue):
        if not any(name in text for name in ind.elliptic):
            continue
        first_full = min((m.end for m in found if after.search(m.text)), default=None)
        if first_full is None and prior:
            if earlier is None:
                earlier = find_mentions(prior, catalogue)
            if any(after.search(m.text) for m in earlier):
                first_full = 0
        if first_full is None:
            continue
        for name in ind.elliptic:
            for m in re.finditer(re.escape(name), text[first_full:]):
                start, end = first_full + m.start(), first_full + m.end()
                if _GLUED.search(text, 0, start):
                    continue  # 猪肉产量: a longer name of something else, not the short one
                if not any(s < end and start < e for s, e in taken):
                    extra.append(Mention(start, end, name, ind))
                    taken.append((start, end))
    return sorted(found + extra, key=lambda m: m.start) if extra else found


def by_code(catalogue: tuple[Indicator, ...] | None = None) -> dict[str, Indicator]:
    """Indicators by code (built once per catalogue: asked for on every sentence)."""
    return _codes(catalogue or default_catalogue())


@_per_catalogue
def _codes(catalogue: tuple[Indicator, ...]) -> dict[str, Indicator]:
    return {i.code: i for i in catalogue}
