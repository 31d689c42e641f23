"""What the CLI's commands share: the error that prints as one line, and tables sized for
a terminal (a CJK character takes two columns)."""

from __future__ import annotations


class UsageError(RuntimeError):
    """The command cannot run as asked (bad SQL, missing files, unreadable gold file)."""


def rows_of(con, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of a statement (none for a statement that returns no table)."""
    cur = con.execute(sql)
    if not cur.description:
        return [], []
    return [d[0] for d in cur.description], cur.fetchall()


def table(names: list[str], rows: list[tuple]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([width_of(n)] + [width_of(r[i]) for r in cells]) for i, n in enumerate(names)]
    widths = [min(w, 60) for w in widths]

    def line(values: list[str]) -> str:
        return "  ".join(clip(v, w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(names), line(["-" * w for w in widths])] + [line(r) for r in cells])


def width_of(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def clip(s: str, width: int) -> str:
    out, used = "", 0
    for ch in s:
        w = 2 if ord(ch) > 0x2E80 else 1
        if used + w > width:
            break
        out, used = out + ch, used + w
    return out + " " * (width - used)
