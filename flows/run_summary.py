"""Run summaries: built from the sources' tallies, and shown as tables and markdown (Prefect
artifacts) and as terminal text."""

from __future__ import annotations

from datetime import UTC, datetime

from flows.tally import SourceTally
from warehouse.store import Warehouse


def failure_streaks(
    warehouse: Warehouse, source_ids: list[str], failed_now: set[str]
) -> dict[str, int]:
    """Per source, how many runs in a row (this one included) reported failures."""
    streaks = {}
    history = warehouse.recent_run_summaries(30)
    for sid in source_ids:
        n = 1 if sid in failed_now else 0
        while n and n <= len(history):
            past = next(
                (s for s in history[n - 1].get("sources", []) if s.get("source") == sid), None
            )
            if not past or not past.get("failed"):
                break
            n += 1
        streaks[sid] = n
    return streaks


def run_summary(results: list[SourceTally], started_at: datetime) -> dict[str, object]:
    per_source = [r.summary() for r in results]
    totals = {
        key: sum(int(s[key]) for s in per_source)  # type: ignore[arg-type]
        for key in ("pages", "listed", "new", "fetched", "failed", "documents", "facts")
    }
    totals["sources"] = len(results)
    return {
        "started_at": started_at.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "totals": totals,
        "sources": per_source,
    }


def summary_table(summary: dict) -> list[dict[str, object]]:
    return [
        {k: s[k] for k in ("source", "listed", "new", "fetched", "failed", "documents", "facts")}
        for s in summary["sources"]
    ]


def summary_markdown(summary: dict) -> str:
    t = summary["totals"]
    lines = [
        f"# govreports run {summary.get('load_id', '')}",
        "",
        f"Status: **{summary.get('status', '?')}** - {t['sources']} sources, {t['listed']} listed, "
        f"{t['new']} new, {t['fetched']} fetched, {t['failed']} failed, "
        f"{t['documents']} documents and {t['facts']} facts loaded.",
        "",
        "| source | listed | new | fetched | failed | documents | facts |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in summary["sources"]:
        lines.append(
            f"| {s['source']} | {s['listed']} | {s['new']} | {s['fetched']} | {s['failed']} | "
            f"{s['documents']} | {s['facts']} |"
        )
    new_docs = [(s["source"], d) for s in summary["sources"] for d in s.get("new_documents", [])]
    if new_docs:
        lines += ["", "## New documents", ""]
        for src, d in new_docs:
            facts = "; ".join(d["headline"]) or "no headline facts"
            lines.append(
                f"- `{src}` [{d['title']}]({d['url']}) ({d['report_year']}): {d['facts']} facts. {facts}"
            )
    for sid, n in summary.get("failure_streaks", {}).items():
        lines += ["", f"**Source `{sid}` has failed {n} runs in a row.**"]
    attained = [a for a in summary.get("attainment", []) if a["actual_value"] is not None]
    if attained:
        lines += [
            "",
            "## Targets against results",
            "",
            "| region | indicator | measure | year | target | result | met |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {a['region']} | {a['indicator']} | {a['measure']} ({a['unit']}) | {a['year']} | "
            f"{a['target_value']:g} {a['target_qualifier']} | {a['actual_value']:g} | "
            f"{'yes' if a['target_met'] else 'no'} |"
            for a in attained
        ]
    if summary.get("report"):
        lines += ["", f"Visual report (charts, targets against results): `{summary['report']}`"]
    quality = summary.get("quality", [])
    if quality:
        lines += ["", "## Data quality", "", "| check | severity | failing rows |", "|---|---|---|"]
        lines += [f"| {q['check']} | {q['severity']} | {q['failing']} |" for q in quality]
        if not summary.get("published", True):
            lines += ["", "**Parquet was not published: an error-level check failed.**"]
    failures = [(s["source"], e) for s in summary["sources"] for e in s["errors"]]
    if failures:
        lines += ["", "## Failures", ""]
        lines += [f"- `{src}` {e['url']}: {e['reason']}" for src, e in failures]
    return "\n".join(lines)


def summary_text(summary: dict) -> str:
    t = summary["totals"]
    lines = [
        f"{'source':<24}{'listed':>8}{'new':>6}{'fetched':>9}{'failed':>8}{'docs':>6}{'facts':>7}"
    ]
    for s in summary["sources"]:
        lines.append(
            f"{s['source']:<24}{s['listed']:>8}{s['new']:>6}{s['fetched']:>9}{s['failed']:>8}"
            f"{s['documents']:>6}{s['facts']:>7}"
        )
    lines.append(
        f"{'total':<24}{t['listed']:>8}{t['new']:>6}{t['fetched']:>9}{t['failed']:>8}"
        f"{t['documents']:>6}{t['facts']:>7}"
    )
    for s in summary["sources"]:
        for e in s["errors"]:
            lines.append(f"  failed: [{s['source']}] {e['url']}: {e['reason']}")
    for q in summary.get("quality", []):
        if q["failing"]:
            lines.append(
                f"  quality {q['severity']}: {q['check']}: {q['failing']} rows ({q['what']})"
            )
    if not summary.get("published", True):
        lines.append("  Parquet NOT published: an error-level data-quality check failed")
    for sid, n in summary.get("failure_streaks", {}).items():
        lines.append(f"  source {sid} has failed {n} runs in a row")
    return "\n".join(lines)
