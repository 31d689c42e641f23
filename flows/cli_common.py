"""What the CLI's commands share: the error that prints as one line, and tables sized for
a terminal (a CJK character takes two columns)."""

from __future__ import annotations

from decimal import Decimal


class UsageError(RuntimeError):
    """The command cannot run as asked (bad SQL, missing files, unreadable gold file)."""


def rows_of(con, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of a statement (none for a statement that returns no table)."""
    cur = con.execute(sql)
    if not cur.description:
        return [], []
    return [d[0] for d in cur.description], cur.fetchall()


MAX_CELL = 60  # terminal columns a cell may take before it is cut with an ellipsis


def plain(value: object) -> str:
    """A cell as text: numbers written out in full (17010000000, not 1.701e+10; 6.5, not
    6.500000), nothing for NULL."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        return f"{value:.10f}".rstrip("0").rstrip(".")
    return str(value)


def table(names: list[str], rows: list[tuple]) -> str:
    """A table for the terminal (rich: a header, CJK characters two columns wide, long cells
    cut at MAX_CELL), as text whatever the output is (a pipe gets the same lines)."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for name in names:
        grid.add_column(name, no_wrap=True, overflow="ellipsis", max_width=MAX_CELL)
    for row in rows:
        grid.add_row(*(plain(v) for v in row))
    out = io.StringIO()
    Console(file=out, width=100_000, color_system=None, highlight=False).print(grid)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines() if line.strip())
