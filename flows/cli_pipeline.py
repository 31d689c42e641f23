"""The CLI's commands on a data directory: `run` and `demo` (the nightly flow), `reprocess`,
and reading what is published: `status`, `query`, `search`."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

from flows.cli_common import UsageError, rows_of, table
from flows.cli_sources import selection_of

EXAMPLE_SQL = """SELECT region, indicator, measure, value, unit, qualifier, kind, year
FROM fct_indicator_value WHERE indicator = 'gdp' ORDER BY region, year, kind"""


def _prefect_env() -> None:
    """Settings Prefect reads at import (a first temporary start takes longer than 20 s), and
    its temporary server started so that it dies with this process, even when killed."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.prefect_server import start_temporary_server

    start_temporary_server()


def _settings(args: argparse.Namespace):
    """The run settings: CLI options over GOVREPORTS_* variables (which the options then set,
    so the flow and its Dask workers see the same values)."""
    from flows.settings import ENV, Settings

    for name, var in ENV.items():
        value = getattr(args, name, None)
        if value is not None:
            os.environ[var] = str(value)
    return Settings.from_env()


def _preflight(settings, data_dir: Path) -> None:
    """Open the warehouse the run will write before Prefect starts, so a DuckDB file another run
    holds or an unreachable DuckLake catalog is one line and exit 2, not a crashed flow run.
    (Opening creates what a first run would create anyway: the file, or the lake's catalog.)"""
    from flows.paths import DataPaths
    from warehouse.store import Warehouse

    paths = DataPaths.at(str(data_dir))
    with Warehouse(paths.warehouse, lake=settings.lake_target(paths.root)):
        pass


def _run_flow(sources_file: Path, data_dir: Path, args: argparse.Namespace) -> dict:
    """The nightly flow's summary, also when the run ended failed (some pages could not be had)."""
    settings = _settings(args)
    if getattr(args, "quiet", False):  # warnings and the summary only, no progress lines
        os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
    _prefect_env()
    from flows.nightly import nightly

    runner = nightly.with_options(task_runner=settings.make_task_runner())
    chosen = selection_of(args)
    state = runner(
        sources_file=str(sources_file),
        data_dir=str(data_dir),
        only_ids=list(chosen.ids) or None,
        only_levels=list(chosen.levels) or None,
        only_provinces=list(chosen.provinces) or None,
        return_state=True,
    )
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return result


def _print_summary(summary: dict, data_dir: Path) -> None:
    from flows.run_summary import summary_text
    from flows.settings import Settings

    print(summary_text(summary))
    lake = Settings.from_env().lake_target(data_dir)
    where = f"ducklake:{lake.catalog} (data {lake.data_path})" if lake else None
    print(f"\nwarehouse: {where or data_dir.resolve() / 'warehouse.duckdb'}")
    print(
        f"parquet:   {data_dir.resolve() / 'parquet'}/<table>/ (facts partitioned by year) and views.sql"
    )


def cmd_run(args: argparse.Namespace) -> int:
    from extract.sources import load_sources

    settings = _settings(args)  # validate settings, sources and warehouse before Prefect starts
    selection_of(args).apply(load_sources(args.sources), args.sources)
    _preflight(settings, Path(args.data_dir))
    summary = _run_flow(Path(args.sources), Path(args.data_dir), args)
    _print_summary(summary, Path(args.data_dir))
    return 0 if summary["status"] == "completed" else 1


def cmd_search(args: argparse.Namespace) -> int:
    from warehouse.search import IndexOutdated, search

    index = Path(args.data_dir) / "parquet" / "search.duckdb"
    if not index.exists():
        raise UsageError(
            f"{index}: no search index yet; run `govreports run` or `govreports demo` first "
            "(with GOVREPORTS_SEARCH_INDEX=1, the default)"
        )
    try:
        hits = search(index, args.text, args.limit)
    except IndexOutdated as exc:
        raise UsageError(str(exc)) from None
    for title, url, passage, score in hits:
        print(f"{score:6.2f}  {title}  {url}\n        {passage[:200]}")
    if not hits:
        print("no matching passage", file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from extract.memory import PARK_AFTER
    from warehouse.published import latest_load, parquet_connection

    con = parquet_connection(Path(args.data_dir) / "parquet")
    load = latest_load(con)
    if load:
        print(f"published data of load {load[0]} ({load[1]}, finished {load[2]})\n")
    print("sources:")
    print(
        table(
            *rows_of(
                con,
                """
        SELECT s.source_id, s.region,
               count(DISTINCT d.document_key) AS documents,
               coalesce(sum(d.fact_count), 0) AS facts,
               (SELECT count(*) FROM crawl_state c WHERE c.source_id = s.source_id
                  AND c.status = 'failed' AND c.role <> 'walk') AS failing_urls,
               max(d.publish_date) AS newest_report
        FROM dim_source s LEFT JOIN dim_document d USING (source_id)
        GROUP BY ALL ORDER BY 1""",
            )
        )
    )
    print("\nlast runs:")
    print(
        table(
            *rows_of(
                con,
                """
        SELECT left(load_id, 8) AS load, strftime(started_at, '%Y-%m-%d %H:%M') AS started, status,
               fetched, failed,
               documents_loaded AS documents, facts_loaded AS facts
        FROM load_audit ORDER BY started_at DESC LIMIT 5""",
            )
        )
    )
    failures = rows_of(
        con,
        f"""
        SELECT source_id, url, attempts,
               CASE WHEN role = 'detail' AND attempts >= {PARK_AFTER} THEN 'parked (weekly)'
                    ELSE 'next run' END AS retried,
               error
        FROM crawl_state
        WHERE status = 'failed' AND role <> 'walk'
        ORDER BY last_attempt DESC LIMIT 20""",
    )
    if failures[1]:
        print("\nfailing URLs:")
        print(table(*failures))
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir)
    settings = _settings(args)
    if settings.warehouse == "duckdb" and not (data_dir / "warehouse.duckdb").exists():
        raise UsageError(f"{data_dir / 'warehouse.duckdb'}: no warehouse here to reprocess")
    _preflight(settings, data_dir)
    _prefect_env()
    from flows.nightly import reprocess

    summary = reprocess.with_options(task_runner=settings.make_task_runner())(
        data_dir=str(data_dir)
    )
    t = summary["totals"]
    print(
        f"reprocessed {t['documents']} documents from the raw zone: {t['facts']} facts, "
        f"{t['failed']} failures"
    )
    for e in summary["errors"]:
        print(f"  failed: {e['url']}: {e['reason']}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from flows.demo.site import DemoSite
    from warehouse.published import parquet_connection

    settings = _settings(args)  # a bad setting fails before the demo portal starts
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    _preflight(settings, data_dir)
    site, _ = DemoSite.from_corpus(made_up=True)
    url = site.start()
    print(
        f"demo portal serving on {url}: 5 sample reports in 3 政府信息公开 columns, and 2 made-up "
        "reports of a fictional county (示例县, two consecutive years: targets against results)"
    )
    try:
        sources_file = data_dir / "demo_sources.toml"
        sources_file.write_text(site.sources_toml(), "utf-8")
        summary = _run_flow(sources_file, data_dir, args)
    finally:
        site.stop()
    _print_summary(summary, data_dir)
    con = parquet_connection(data_dir / "parquet")
    rows = con.execute(
        "SELECT indicator, count(*) FROM fct_indicator_value GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    con.close()
    print("\nfacts per indicator: " + ", ".join(f"{k} {n}" for k, n in rows))
    data_opt = "" if args.data_dir == "data" else f" --data-dir {args.data_dir}"
    print(f'\ntry:\n  .venv/bin/govreports query{data_opt} "{" ".join(EXAMPLE_SQL.split())}"')
    print(
        "  or from any DuckDB or BI tool: SELECT * FROM read_parquet("
        f"'{(data_dir / 'parquet').resolve().as_posix()}/fct_indicator_value/**/*.parquet', "
        "hive_partitioning = true)"
    )
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.published import latest_load, parquet_connection, read_only_query

    con = parquet_connection(Path(args.data_dir) / "parquet")
    try:
        names, rows = read_only_query(con, args.sql)
    except duckdb.Error as exc:
        raise UsageError(str(exc).strip().splitlines()[0]) from None
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(rows)
    elif args.format == "json":
        for row in rows:
            print(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str))
    else:
        print(table(names, rows))
        load = latest_load(con)
        if load:
            print(
                f"({len(rows)} rows; published data of load {load[0]}, {load[1]}, finished {load[2]})",
                file=sys.stderr,
            )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from warehouse.report import write_report

    written = write_report(Path(args.data_dir) / "parquet", args.out)
    print(f"report written: {written.resolve()}")
    return 0
