"""The visual report: one self-contained HTML file over the published data, for people who look
rather than query. Charts are Vega-Lite specs (altair) rendered to SVG here (vl-convert), so
the file runs no script and fetches nothing: it opens offline, is mailed, archived, printed.

Sections (labels in Chinese and English): targets against results, coverage by region and
year, the sources' health, and how each figure was dated; under each chart, a table with the
sentence behind every number and a link to its source page.
"""

from __future__ import annotations

import html
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from warehouse.published import parquet_connection

REPORT_FILE = "report.html"
MAX_TABLE_ROWS = 200  # rows shown under a chart (the rest are in the Parquet)
STATUS_COLOURS = {"met 达成": "#2e7d32", "missed 未达成": "#c62828", "pending 待公布": "#9e9e9e"}


@dataclass(frozen=True)
class Rows:
    columns: list[str]
    rows: list[tuple]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


def _query(con: duckdb.DuckDBPyConnection, name: str) -> Rows:
    sql = resources.files("warehouse.sql.report").joinpath(f"{name}.sql").read_text("utf-8")
    cur = con.execute(sql)
    return Rows([d[0] for d in cur.description], cur.fetchall())


def _status(row: dict[str, Any]) -> str:
    if row["target_met"] is None:
        return "pending 待公布"
    return "met 达成" if row["target_met"] else "missed 未达成"


def _svg(spec: dict[str, Any]) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


def attainment_chart(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Each target (a tick) beside its result (a dot coloured met / missed / pending) and the
    stretch goal (an open ring), for the percent measures, which share one axis."""
    import altair as alt

    points = [
        {
            "label": f"{r['region']} · {r['indicator_name'] or r['indicator']} · {r['year']}",
            "target": r["target_value"],
            "actual": r["actual_value"],
            "stretch": r["stretch_value"],
            "status": _status(r),
        }
        for r in rows
        if r["unit"] == "percent"
    ]
    if not points:
        return None
    data = alt.Data(values=points)
    y = alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=360))
    status_scale = alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values()))
    target = (
        alt.Chart(data)
        .mark_tick(color="#212121", thickness=2, size=14)
        .encode(x=alt.X("target:Q", title="% (目标 target ┃  实绩 result ●  力争 stretch ○)"), y=y)
    )
    stretch = (
        alt.Chart(data)
        .mark_point(shape="circle", filled=False, color="#1565c0")
        .encode(x="stretch:Q", y=y)
    )
    actual = (
        alt.Chart(data)
        .mark_circle(size=90)
        .encode(
            x="actual:Q",
            y=y,
            color=alt.Color("status:N", scale=status_scale, title="结果 status"),
        )
    )
    chart = (target + stretch + actual).properties(width=520, height=max(120, 22 * len(points)))
    return chart.to_dict()


def coverage_chart(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Facts per region and year: a heat map of what the warehouse knows."""
    import altair as alt

    if not rows:
        return None
    by_cell: dict[tuple[str, int], int] = {}
    for r in rows:
        by_cell[(r["region"], r["year"])] = by_cell.get((r["region"], r["year"]), 0) + r["facts"]
    values = [{"region": k[0], "year": str(k[1]), "facts": n} for k, n in by_cell.items()]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_rect()
        .encode(
            x=alt.X("year:O", title="年份 year"),
            y=alt.Y("region:N", title=None),
            color=alt.Color("facts:Q", title="事实数 facts", scale=alt.Scale(scheme="blues")),
            tooltip=["region:N", "year:O", "facts:Q"],
        )
    )
    text = (
        alt.Chart(alt.Data(values=values))
        .mark_text(fontSize=11)
        .encode(x="year:O", y="region:N", text="facts:Q")
    )
    regions = len({v["region"] for v in values})
    return (chart + text).properties(width=420, height=max(80, 26 * regions)).to_dict()


def sources_chart(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Documents loaded and report URLs failing, per source."""
    import altair as alt

    if not rows:
        return None
    values = [
        {"source": r["source_id"], "what": what, "n": r[key]}
        for r in rows
        for what, key in (("documents 已入库", "documents"), ("failing 失败", "failing"))
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("n:Q", title="报告数 reports"),
            y=alt.Y("source:N", title=None),
            color=alt.Color(
                "what:N",
                title=None,
                scale=alt.Scale(
                    domain=["documents 已入库", "failing 失败"], range=["#1565c0", "#c62828"]
                ),
            ),
            yOffset="what:N",
        )
    )
    return chart.properties(width=420, height=max(80, 40 * len(rows))).to_dict()


def dating_chart(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Facts by what dated their year (sentence, heading, title ...), split by kind."""
    import altair as alt

    if not rows:
        return None
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("facts:Q", title="事实数 facts"),
            y=alt.Y("year_basis:N", title="年份依据 year basis", sort="-x"),
            color=alt.Color("kind:N", title="类型 kind"),
        )
    )
    return chart.properties(width=420, height=max(80, 30 * len(rows))).to_dict()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.10g}"
    return html.escape(str(value))


def _link(url: str | None, text: str) -> str:
    if not url:
        return html.escape(text)
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """An HTML table of already escaped cells."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def attainment_table(rows: list[dict[str, Any]]) -> str:
    shown = [
        [
            _cell(r["region"]),
            _cell(r["indicator_name"] or r["indicator"]),
            _cell(r["year"]),
            _cell(r["target_value"])
            + (f"–{_cell(r['target_value_high'])}" if r["target_value_high"] is not None else "")
            + f" {_cell(r['unit'])} ({_cell(r['target_qualifier'])})",
            _cell(r["actual_value"]),
            _cell(r["stretch_value"]),
            _status(r),
            _link(r["target_document_url"], r["target_sentence"] or "")
            + "<br>"
            + _link(r["actual_document_url"], r["actual_sentence"] or ""),
        ]
        for r in rows[:MAX_TABLE_ROWS]
    ]
    return _table(
        [
            "地区 region",
            "指标 indicator",
            "年份 year",
            "目标 target",
            "实绩 result",
            "力争 stretch",
            "结果 status",
            "原文 sentences (target, result)",
        ],
        shown,
    )


def _section(title: str, intro: str, spec: dict[str, Any] | None, table: str) -> str:
    chart = (
        f'<figure class="chart">{_svg(spec)}</figure>'
        if spec
        else '<p class="empty">暂无数据 No data yet.</p>'
    )
    return f"<section><h2>{title}</h2><p>{intro}</p>{chart}{table}</section>"


def render_report(con: duckdb.DuckDBPyConnection) -> str:
    """The report's HTML from a connection to the published data (views.sql applied)."""
    totals = _query(con, "totals").dicts()[0]
    attainment = _query(con, "attainment").dicts()
    coverage = _query(con, "coverage").dicts()
    sources = _query(con, "sources")
    dating = _query(con, "dating").dicts()
    met = sum(1 for r in attainment if r["target_met"] is True)
    missed = sum(1 for r in attainment if r["target_met"] is False)
    sections = [
        _section(
            "目标与实绩 Targets against results",
            f"{len(attainment)} targets; {met} met 达成, {missed} missed 未达成, "
            f"{len(attainment) - met - missed} pending 待公布 (the next year's report not yet "
            "loaded). A target set in a year's report is compared with the result the next "
            "year's report states; 左右 allows 5% below, 以内 is a ceiling, 力争 is shown beside.",
            attainment_chart(attainment),
            attainment_table(attainment),
        ),
        _section(
            "覆盖 Coverage by region and year",
            "Facts per region and the year they are about.",
            coverage_chart(coverage),
            "",
        ),
        _section(
            "来源 Sources' health",
            "Reports loaded and report URLs failing now, per source.",
            sources_chart(sources.dicts()),
            _table(
                [html.escape(c) for c in sources.columns],
                [[_cell(v) for v in r] for r in sources.rows],
            ),
        ),
        _section(
            "年份依据 How each figure was dated",
            "What decided each fact's year: the sentence itself, the section's heading, the "
            "report's title or date, a plan's span (see docs/facts.md).",
            dating_chart(dating),
            "",
        ),
    ]
    template = resources.files("warehouse").joinpath("report.html").read_text("utf-8")
    return (
        template.replace("{{documents}}", _cell(totals["documents"]))
        .replace("{{facts}}", _cell(totals["facts"]))
        .replace("{{regions}}", _cell(totals["regions"]))
        .replace("{{sources}}", _cell(totals["sources"]))
        .replace("{{last_load}}", _cell(totals["last_load"]))
        .replace("{{sections}}", "\n".join(sections))
    )


def write_report(parquet_dir: str | Path, out: str | Path | None = None) -> Path:
    """Render the report over the Parquet published in `parquet_dir` and write it (by default
    to `<parquet_dir>/report.html`), swapped in whole: a reader never sees half a file."""
    target = Path(out) if out else Path(parquet_dir) / REPORT_FILE
    con = parquet_connection(parquet_dir)
    try:
        page = render_report(con)
    finally:
        con.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".report-", suffix=".html")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(page)
    os.replace(tmp, target)
    return target
