"""Text normalisation and removal of page chrome; offsets of facts refer to this text."""

from __future__ import annotations

import re
from functools import cache

import opencc

from transform.sections import opens_heading

# Full-width ASCII block (！ to ～) maps onto ASCII by a fixed offset.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update(
    {
        0x3000: 0x20,
        0xA0: 0x20,
        0x2002: 0x20,
        0x2003: 0x20,
        0x2009: 0x20,
        0x200B: None,
        0xFEFF: None,
        0x2212: ord("-"),
    }
)
# Chinese sentence punctuation is kept: the fact grammar reads it.
for _ch in "，；：（）！？":
    _FULLWIDTH.pop(ord(_ch), None)
# translate() looks every character up: replacing only the few there are is faster
_HAS_FULLWIDTH = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FULLWIDTH)) + "]")
_FULLWIDTH_AS = {chr(k): "" if v is None else chr(v) for k, v in _FULLWIDTH.items()}


def _to_halfwidth(m: re.Match[str]) -> str:
    return _FULLWIDTH_AS[m.group()]


# `6 . 5 %`, `1 2 3`: a number spaced out; not `表1 2017年` (a label, then a year). (Each
# alternative is a run of spaces after a digit or a dot, written as a first space and then the
# look-behind: `re` skips ahead to where a pattern can start only when it opens with a class.)
_SPACED_NUMBER = re.compile(
    r"[ \t](?:"
    r"(?<=\d[ \t])[ \t]*(?=[.%‰]|\d(?!\d{3}\s*年))|(?<=\d\.[ \t])[ \t]*(?=\d)|(?<=[.][ \t])[ \t]*(?=\d)"
    r")"
)
# Whole lines of page chrome, matched against a stripped line whose space runs are single spaces
# (so no pattern here can backtrack over long runs of white space).
_CHROME_LINE = re.compile(
    r"【? ?字[体號号] ?[:：]? ?[【\[]? ?大 ?[】\]]? ?[【\[]? ?中 ?[】\]]? ?[【\[]? ?小 ?[】\]]? ?】?"
    r"|[【\[]?(?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|下载|收藏|分享到?|返回(?:顶部|首页)?|"
    r"保存本页|打印正文|我要纠错|扫一扫.{0,20}|网站地图|[上下]一篇[:：]?.{0,60})[】\]]?"
    r"(?: [【\[]?(?:打印|关闭|下载|收藏|返回)(?:本页|窗口)?[】\]]?)*"
    r"|(?:当前位置|您的位置|你的位置|所在位置) ?[:：].*"
    r"|首页 ?[>＞»›].*"
    r"|&[a-z]+;?"
)
_SPACES = re.compile(r"[ \t]+")
# `369 亿元`, `2019 年`, `11.8 %`: a number spaced off its unit (typeset PDFs, word processors)
_SPACED_UNIT = re.compile(r"[ \t](?<=\d[ \t])[ \t]*(?=[\u4e00-\u9fff%‰])")  # as above
_STRAY_ENTITY = re.compile(r"&(?:nbsp|ensp|emsp|amp|lt|gt|quot|#\d+|#x[0-9a-f]+);?", re.I)
_BLANKS = re.compile(r"\n\n\n+")
# How the HTML and .docx readers write a table row's cells on one line (transform/tables.py
# reads such rows back; line clean-up leaves them alone).
CELL_SEP = " | "
# Page furniture of PDFs: `- 3 -`, `—3—`, `第3页`, `第 3 页 共 20 页`.
_PAGE_NUMBER = re.compile(
    r"[-—–－]+ ?\d{1,4} ?[-—–－]+|第 ?\d{1,4} ?页(?: ?[,，/]? ?共 ?\d{1,4} ?页)?"
)
_TERMINAL = "。！？；：!?;:"
_ENUMERATION = re.compile(r"[一二三四五六七八九十]是")  # 一是…二是…: a new point, not a run-on


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Text in traditional script (a report re-posted by a Hong Kong or Taiwan site, or a
    transcoding tool) in simplified script; simplified text is returned as it is."""
    converted = _t2s().convert(text)
    if converted == text or len(converted) != len(text):
        return text  # simplified already (compared in C, before counting in Python)
    changed = sum(1 for a, b in zip(text, converted, strict=True) if a != b)
    return converted if changed > 0.02 * max(1, len(text)) else text


# Pinyin a transcoding site wrote after characters: 報(bào)告, 增長(zhǎng) (a tone mark is required,
# so an English abbreviation in brackets stays).
_PINYIN_GLOSS = re.compile(
    r"(?<=[\u4e00-\u9fff])[（(](?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]"
)
# Symbols some pages write for the percent sign (℅ is "care of", looks alike).
_PERCENT_LOOKALIKES = ("℅", "﹪")
_TONE_MARK = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")

# Years written in characters (二〇〇八年, 二00八年) or with a lost first digit (〇〇八年工作回顾):
# in digits, so every rule that reads a year reads these too.
_YEAR_DIGITS = str.maketrans("〇○零O0一二三四五六七八九", "00000123456789")
_WORDED_YEAR_HINT = re.compile(
    r"[〇○零一二](?:(?<=[〇○零])[〇○零O0一二三四五六七八九]|(?<=[一二])[〇○零O0])"
)
_WORDED_YEAR = re.compile(
    r"(?<![\d〇○零一二三四五六七八九十])"
    r"([一二][〇○零O0][〇○零O0一二三四五六七八九]{2}|[〇○零][〇○零O0一二三四五六七八九]{2})(?=年)"
)


# “十一五” in quotes: the plan period's name, not a quotation (quotes end a clause for the grammar)
_QUOTED_PLAN = re.compile(r"[“\"‘「](十[一二三四五]?五|九五)[”\"’〞」]")


def _year_in_digits(m: re.Match[str]) -> str:
    digits = m.group(1).translate(_YEAR_DIGITS)
    return digits if len(digits) == 4 else "2" + digits


# A line cut right before its number (`由“十五”末的` / blank line / `12.8亿元增加到…`): the
# line ends on a word that needs a figure after it, the next text line starts with one.
_NEEDS_FIGURE = (
    "的",
    "由",
    "从",
    "到",
    "至",
    "为",
    "达",
    "增长",
    "实现",
    "完成",
    "共",
    "约",
    "是",
    "突破",
    "超过",
)

_HAN_SPACE = re.compile(r"[\u4e00-\u9fff] (?=\S)")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def han_count(s: str) -> int:
    """How many Han characters `s` holds (counted by runs, in C: a match per character was
    most of reading a page)."""
    return sum(map(len, _HAN_RUN.findall(s)))


def _letter_spaced(line: str) -> bool:
    """`地 区 生 产 总 值 增 长 6 . 5 %`: a PDF that spaces out every character."""
    if line.count(" ") < 4:  # fewer spaces than the shortest spaced-out line has
        return False
    han = han_count(line)
    return han >= 6 and len(_HAN_SPACE.findall(line)) > 0.6 * han and CELL_SEP not in line


def reflow(lines: list[str]) -> list[str]:
    """Join lines a PDF (or a fixed-width copy) wrapped inside a sentence: `…增` + `长6.5%…`.

    Only in hard-wrapped text: most long lines about one width (at most 120 characters), many
    ending without sentence punctuation. A line of that width with no closing punctuation runs
    on into the next, unless the next opens a heading. Paragraph-per-line text (web pages) is
    returned as it is."""
    long = sorted(len(x) for x in lines if len(x) >= 10)
    if len(long) < 5:
        return lines
    width = long[(len(long) * 3) // 4]
    wrapped = [
        i
        for i, x in enumerate(lines)
        if len(x) >= 0.8 * width and x[-1] not in _TERMINAL and CELL_SEP not in x  # table rows stay
    ]
    if width > 120 or len(wrapped) < 0.25 * len(long):
        return lines
    out: list[str] = []
    joining = False
    wrapped_set = set(wrapped)
    first = next((i for i, x in enumerate(lines) if x), -1)
    wrapped_set.discard(first)  # a title stays its own line (a subtitle or date follows)
    for i, line in enumerate(lines):
        if (
            joining
            and line
            and not opens_heading(line)
            and not _ENUMERATION.match(line)
            and not line.startswith("—")
            and CELL_SEP not in line
        ):
            out[-1] += line
        else:
            out.append(line)
        joining = i in wrapped_set and bool(line)
    return out


# A table copied one cell per line (指标 / 单位 / 全年目标 / 完成情况 / 地区生产总值 / % / 8左右 /
# 8.2 …): the first cell names the row labels, the next few name the columns.
_TABLE_CORNER = re.compile(r"^(?:主要)?(?:指标|指标名称|项目|类别)$")
_COLUMN_NAME = re.compile(
    r"^(?:(?:19|20)\d{2}年)?[\u4e00-\u9fff（）()%]{0,10}"
    r"(?:单位|目标|完成|预计|实际|计划|增长|增速|同比|比上年|情况|数值|总量|绝对值|备注|预期)"
    r"[\u4e00-\u9fff（）()%]{0,6}$"
)
_FLAT_CELL = re.compile(r"^[^。，,；;：:]{1,14}$")
_FLAT_VALUE = re.compile(r"^[-+−]?\d")
_FLAT_NUMBER = re.compile(r"[-+−]?\d[\d.,]*\S{0,4}(?:左右|以上|以内|以下)?")


def _flat_row(cells: list[str], width: int, has_unit: bool) -> list[str] | None:
    """One row from the cells that follow a label (cells[0]); a row missing its unit cell (the
    first value follows the label directly) gets an empty one. None when the shape breaks."""
    label = cells[0] if cells else ""
    if not label or _FLAT_NUMBER.fullmatch(label) or len(label) > 30:
        return None
    values = cells[1:width]
    if has_unit and len(cells) > 1 and _FLAT_VALUE.match(cells[1]):
        values = ["", *cells[1 : width - 1]]
    if len(values) < width - 1 or not all(v == "" or _FLAT_CELL.match(v) for v in values):
        return None
    if not any(_FLAT_VALUE.match(v) for v in values):
        return None
    return [label, *values]


def _rebuild_flat_tables(lines: list[str]) -> list[str]:
    """Rows of a table flattened to one cell per line, joined back into `a | b | c` rows (the
    form the table reader reads); anything that does not keep the table's shape stays as it is."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _TABLE_CORNER.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        filled = [j for j in range(i, len(lines)) if lines[j]]
        width = 1
        while width < len(filled) and width <= 6 and _COLUMN_NAME.match(lines[filled[width]]):
            width += 1
        header = [lines[j] for j in filled[:width]]
        has_unit = width > 1 and header[1].endswith("单位")
        rows: list[list[str]] = []
        pos = width
        while pos < len(filled):
            row = _flat_row([lines[j] for j in filled[pos : pos + width]], width, has_unit)
            if row is None:
                break
            rows.append(row)
            pos += width - (1 if row[1] == "" and has_unit else 0)
        if width < 3 or len(rows) < 2:
            out.append(lines[i])
            i += 1
            continue
        out.extend(CELL_SEP.join(r) for r in [header, *rows])
        i = filled[pos - 1] + 1
    return out


def normalise_text(text: str) -> str:
    """Traditional to simplified script, full-width to ASCII, CRLF to LF, spaced numbers joined,
    chrome lines dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _TONE_MARK.search(text):
        text = _PINYIN_GLOSS.sub("", text)
    text = to_simplified(text)
    text = _HAS_FULLWIDTH.sub(_to_halfwidth, text)
    for lookalike in _PERCENT_LOOKALIKES:
        if lookalike in text:
            text = text.replace(lookalike, "%")
    if _WORDED_YEAR_HINT.search(text):
        text = _WORDED_YEAR.sub(_year_in_digits, text)
    text = _QUOTED_PLAN.sub(r"\1", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = _STRAY_ENTITY.sub(" ", text)
    text = _SPACED_NUMBER.sub("", text)
    text = _SPACED_UNIT.sub("", text)
    lines = []
    for line in text.split("\n"):
        if "\t" in line or "  " in line:
            line = _SPACES.sub(" ", line)
        line = line.strip()
        if _letter_spaced(line):
            line = line.replace(" ", "")
        if _PAGE_NUMBER.fullmatch(line):
            continue  # a sentence may run on across the page break
        lines.append("" if _CHROME_LINE.fullmatch(line) else line)
    lines = _rebuild_flat_tables(lines)
    return _BLANKS.sub("\n\n", "\n".join(_rejoin_cut_figures(reflow(lines)))).strip()


def _rejoin_cut_figures(lines: list[str]) -> list[str]:
    """Join a line that stops right before its number to the line holding the number."""
    out: list[str] = []
    pending = False  # the last kept line waits for its figure (blank lines between are dropped)
    blanks = 0
    for line in lines:
        if pending and not line:
            blanks += 1
            continue
        if pending and line[:1].isdigit():
            out[-1] += line
        else:
            out.extend([""] * blanks + [line])
        blanks = 0
        pending = out[-1].endswith(_NEEDS_FIGURE) and CELL_SEP not in out[-1]
    return out + [""] * blanks
