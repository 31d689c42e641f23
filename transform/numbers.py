"""The grammar of quantities: numerals, scale words, units and ranges, in exact decimals."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from operator import attrgetter
from typing import NamedTuple

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ONE = Decimal(1)
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千"


@dataclass(frozen=True)
class UnitInfo:
    unit: str
    factor: Decimal
    dim: str


class Quantity(NamedTuple):
    """A number with its unit, at [start, end) of the text read (a named tuple: a report has
    thousands, and a frozen dataclass costs several times as much to make)."""

    start: int
    end: int
    value: Decimal
    value_high: Decimal | None
    unit: str
    unit_text: str  # as written, with its scale word (亿元, 万人, %)
    dim: str
    more_than: bool = False  # 6500余人, 30多万平方米: "more than" the number


@cache
def unit_table() -> tuple[dict[str, Decimal], dict[str, UnitInfo]]:
    raw = tomllib.loads(
        resources.files("transform.rules").joinpath("units.toml").read_text("utf-8")
    )
    scales = {k: Decimal(v) for k, v in raw["scales"].items()}
    units = {
        k: UnitInfo(v["unit"], Decimal(v["factor"]), v["dim"]) for k, v in raw["units"].items()
    }
    return scales, units


def parse_chinese_numeral(text: str) -> Decimal | None:
    """一千 -> 1000, 两 -> 2, 三十 -> 30, 十五 -> 15, 一万二千 -> 12000, 三点五 -> 3.5."""
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = parse_chinese_numeral(whole) if whole else Decimal(0)
        if w is None or not frac or any(c not in _CN_DIGITS for c in frac):
            return None
        return w + Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in frac))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and ch not in "零〇":
                return None  # two digits in a row (e.g. 一二) is not a cardinal
            digit = _CN_DIGITS[ch] if ch not in "零〇" else None
        elif ch in _CN_UNITS:
            section += (digit if digit is not None else 1) * _CN_UNITS[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            total = (total + section) * _CN_BIG[ch] if ch == "亿" else total + section * _CN_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return Decimal(total + section + (digit or 0))


def parse_number(text: str) -> Decimal | None:
    text = text.replace(",", "")
    if not text:
        return None
    if text[0].isdigit():
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return parse_chinese_numeral(text)


@cache
def _quantity_re() -> re.Pattern[str]:
    scales, units = unit_table()
    unit_alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    scale_alt = "|".join(re.escape(s) for s in sorted(scales, key=len, reverse=True))
    cn = CN_NUMERAL_CHARS
    num = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|[{cn}]+(?:点[{cn}]+)?"
    # The first number as `num` reads it, written to start with a character class and to test
    # the character before it only then: `re` skips ahead to where a match can start only when
    # a pattern opens with a literal or a class (a pattern opening with a look-behind is tried
    # at every character: three times slower on report text).
    first_num = (
        rf"[\d{cn}](?<![\d.第XxＸ*＊].)"
        rf"(?:(?<=\d)(?:\d{{0,2}}(?:,\d{{3}})+|\d*)(?:\.\d+)?|(?<=[{cn}])[{cn}]*(?:点[{cn}]+)?)"
    )
    return re.compile(
        # a digit masked out beside it (29XX6万元, XX.27%): not a number anyone can use
        rf"(?P<n1>{first_num})(?![XxＸ*＊])(?P<m1>[余多])?(?P<s1>{scale_alt})?(?P<m2>[余多])?(?P<u1>{unit_alt})?"
        rf"(?:\s*(?:-|~|至|到|—|–)\s*(?P<n2>{num})(?P<s2>{scale_alt})?(?P<u2>{unit_alt}))?"
    )


_CLAUSE_END = re.compile(r"[，,；;。、]|$")
_PERCENT_WORDS = re.compile(rf"百分之([\d.]+|[{CN_NUMERAL_CHARS}]+(?:点[{CN_NUMERAL_CHARS}]+)?)")


@cache
def number_screen() -> re.Pattern[str]:
    """Where a quantity may be (a superset of what find_quantities reads, searched in a
    sentence's span before the grammar reads it): a digit, 百分之, a bare 万亿, or a run of
    Chinese numerals followed by what a quantity needs next (余/多, a scale word, a unit, or a
    range's dash). A numeral inside a word (一般, 第三) is no quantity and does not count."""
    scales, units = unit_table()
    firsts = "".join(sorted({w[0] for w in (*scales, *units)}))
    cn = CN_NUMERAL_CHARS
    # opens with one class, as _quantity_re does, so that `re` skips to where a match may start
    return re.compile(
        rf"[\d百万{cn}点](?:(?<=\d)|(?<=百)分之|(?<=万)亿"
        rf"|(?<=[{cn}点])[{cn}点]*(?=[余多{re.escape(firsts)}\s\-~至到—–]))"
    )


# `突破万亿元`: a scale word standing alone for one of it.
_BARE_SCALE = re.compile(rf"(?<![\d.{CN_NUMERAL_CHARS}万])(万亿)(元|美元)")


def _negative(text: str, start: int) -> bool:
    """`增长-2.1%`: a minus sign right before the number, not a range dash after another one."""
    return (
        start > 0
        and text[start - 1] == "-"
        and (start < 2 or text[start - 2] not in "0123456789.%‰")
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every number with a unit in `text` (numbers without a unit are not quantities)."""
    scales, units = unit_table()
    found: list[Quantity] = []
    for m in _BARE_SCALE.finditer(text) if "万亿" in text else ():
        info = units[m.group(2)]
        found.append(
            Quantity(
                m.start(),
                m.end(),
                scales[m.group(1)] * info.factor,
                None,
                info.unit,
                m.group(0),
                info.dim,
            )
        )
    for m in _PERCENT_WORDS.finditer(text) if "百分之" in text else ():  # 百分之八 is 8%
        value = parse_number(m.group(1))
        if value is not None:
            found.append(Quantity(m.start(), m.end(), value, None, "percent", "百分之", "percent"))
    presorted = not found  # the pattern's matches come in order; the words above may not
    for m in _quantity_re().finditer(text):
        n1, m1, s1, m2, u1, n2, s2, u2 = m.groups()  # positions: faster than names
        unit_text = u2 or u1
        if not unit_text:
            if not (s1 == "亿" and n2 is None and _CLAUSE_END.match(text, m.end())):
                continue
            # `生产总值56.7亿，增长7.5%`: 亿 standing alone at a clause's end is 亿元
            unit_text = "元"
        if n2 is not None and u1 and u1 != u2:
            # "8%-10个" is two separate things; keep the first part only.
            n2 = s2 = u2 = None
            unit_text = u1
        end = m.end() if n2 is not None else m.end(5) if u1 else m.end()  # u1, or a bare 亿
        is_cn = not n1[0].isdigit()
        if is_cn and (
            n1 in ("一", "两") and unit_text in ("个", "项", "件", "处", "座", "所", "家")
        ):
            continue  # 一个/两项 are articles more often than counts
        v1 = parse_number(n1)
        if v1 is None:
            continue
        info = units[unit_text]
        scale1 = scales.get(s1, _ONE) if s1 else (scales.get(s2 or "", _ONE) if n2 else _ONE)
        value = v1 * scale1 * info.factor
        start = m.start()
        if n2 is None and text[start - 1 : start] == "-" and _negative(text, start):
            value = -value
        high = None
        if n2 is not None:
            v2 = parse_number(n2)
            if v2 is None:
                continue
            high = v2 * (scales[s2] if s2 else _ONE) * info.factor
            if high <= value:
                continue  # 2017-2018, or a list rather than a range
        scale_text = s2 if n2 is not None and s2 else (s1 or "")
        found.append(
            Quantity(
                start,
                end,
                value,
                high,
                info.unit,
                scale_text + (u2 or u1 or ""),  # a bare 亿 is written without its 元
                info.dim,
                more_than=n2 is None and bool(m1 or m2),
            )
        )
    if not presorted:
        found.sort(key=attrgetter("start"))
    return found
