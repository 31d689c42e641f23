"""`govreports`: run the nightly flow, the local demo, or extract facts from local files.

Errors are one readable line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports the pipeline lazily, so `--help` starts fast
    from transform.model import Fact

EXAMPLE_SQL = """SELECT region, indicator, measure, value, unit, qualifier, kind, year
FROM fct_indicator_value WHERE indicator = 'gdp' ORDER BY region, year, kind"""


def _prefect_env() -> None:
    """Settings Prefect reads at import: a first ephemeral start here takes longer than 20 s."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


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
    _prefect_env()
    from flows.nightly import nightly

    runner = nightly.with_options(task_runner=settings.make_task_runner())
    state = runner(sources_file=str(sources_file), data_dir=str(data_dir), return_state=True)
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
    load_sources(args.sources)
    _preflight(settings, Path(args.data_dir))
    summary = _run_flow(Path(args.sources), Path(args.data_dir), args)
    _print_summary(summary, Path(args.data_dir))
    return 0 if summary["status"] == "completed" else 1


def cmd_search(args: argparse.Namespace) -> int:
    from warehouse.search import search

    index = Path(args.data_dir) / "parquet" / "search.duckdb"
    if not index.exists():
        raise UsageError(
            f"{index}: no search index yet; run `govreports run` or `govreports demo` first "
            "(with GOVREPORTS_SEARCH_INDEX=1, the default)"
        )
    hits = search(index, args.text, args.limit)
    for title, url, passage, score in hits:
        print(f"{score:6.2f}  {title}  {url}\n        {passage[:200]}")
    if not hits:
        print("no matching passage", file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from warehouse.published import latest_load, parquet_connection

    con = parquet_connection(Path(args.data_dir) / "parquet")
    load = latest_load(con)
    if load:
        print(f"published data of load {load[0]} ({load[1]}, finished {load[2]})\n")
    print("sources:")
    print(
        _table(
            *_rows(
                con,
                """
        SELECT s.source_id, s.region_name AS region,
               count(DISTINCT d.document_key) AS documents,
               coalesce(sum(d.fact_count), 0) AS facts,
               (SELECT count(*) FROM crawl_state c WHERE c.source_id = s.source_id
                  AND c.status = 'failed') AS failing_urls,
               max(d.publish_date) AS newest_report
        FROM dim_source s LEFT JOIN dim_document d USING (source_id)
        GROUP BY ALL ORDER BY 1""",
            )
        )
    )
    print("\nlast runs:")
    print(
        _table(
            *_rows(
                con,
                """
        SELECT left(load_id, 8) AS load, strftime(started_at, '%Y-%m-%d %H:%M') AS started, status,
               fetched, failed,
               documents_loaded AS documents, facts_loaded AS facts
        FROM load_audit ORDER BY started_at DESC LIMIT 5""",
            )
        )
    )
    failures = _rows(
        con,
        """
        SELECT source_id, url, attempts, error FROM crawl_state WHERE status = 'failed'
        ORDER BY last_attempt DESC LIMIT 20""",
    )
    if failures[1]:
        print("\nfailing URLs (retried next run):")
        print(_table(*failures))
    return 0


def _rows(con, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of a statement (none for a statement that returns no table)."""
    cur = con.execute(sql)
    if not cur.description:
        return [], []
    return [d[0] for d in cur.description], cur.fetchall()


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
    from flows.demo_site import DemoSite
    from warehouse.published import parquet_connection

    settings = _settings(args)  # a bad setting fails before the demo portal starts
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    _preflight(settings, data_dir)
    site, _ = DemoSite.from_corpus()
    url = site.start()
    print(f"demo portal serving on {url} (5 sample reports in 3 政府信息公开 columns)")
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


# What `extract` prints about each fact's document, after the fact's own fields.
DOCUMENT_FIELDS = (
    "document",
    "doc_title",
    "report_year",
    "report_type",
    "publish_date",
    "publisher",
    "doc_region",
    "region_level",
    "region_code",
)


def cmd_extract(args: argparse.Namespace) -> int:
    from transform.documents import UnreadableDocument, read_document
    from transform.facts import extract_facts
    from transform.model import FACT_FIELDS

    fields = [*FACT_FIELDS, *DOCUMENT_FIELDS]
    writer = csv.DictWriter(sys.stdout, fieldnames=fields) if args.format == "csv" else None
    if writer:
        writer.writeheader()
    status = 0
    for name in args.paths:
        path = Path(name)
        try:
            data = path.read_bytes()
            doc = read_document(data, name=path.name, fallback_region=args.region)
        except OSError as exc:
            print(f"govreports: {path}: cannot read ({exc.strerror})", file=sys.stderr)
            status = 1
            continue
        except UnreadableDocument as exc:
            print(f"govreports: {path}: {exc}", file=sys.stderr)
            status = 1
            continue
        for fact in extract_facts(doc):
            row = {
                **fact.as_dict(),
                "document": str(path),
                "doc_title": doc.title,
                "report_year": doc.report_year,
                "report_type": doc.report_type,
                "publish_date": doc.publish_date.isoformat() if doc.publish_date else None,
                "publisher": doc.publisher,
                "doc_region": doc.region.name if doc.region else None,
                "region_level": doc.region.level if doc.region else None,
                "region_code": doc.region.code if doc.region else None,
            }
            if args.explain:
                print(explain_fact(fact, path.name))
            elif writer:
                writer.writerow(row)
            elif args.format == "table":
                print(
                    f"{fact.indicator:<28}{fact.measure:<12}{fact.value:>16g} {fact.unit:<10}"
                    f"{fact.qualifier:<9}{fact.kind:<9}{fact.year!s:<6}{fact.year_basis:<13}"
                    f"{fact.kind_basis:<8}  {path.name}"
                )
            else:
                print(json.dumps(row, ensure_ascii=False))
    return status


_YEAR_BASIS_SAYS = {
    "sentence": "named in the sentence",
    "heading": "from the section above",
    "title": "from the document's title or dateline",
    "publish_date": "from the publication date",
    "plan_period": "from the five-year plan's span",
    "unknown": "nothing in the text decides it",
}


def explain_fact(f: Fact, document: str) -> str:
    """A fact as a reader checks it: the number, then why its year and kind are what they are."""
    high = f"-{f.value_high:,.12g}" if f.value_high is not None else ""
    year = f.year if f.year is not None else "year unknown"
    lines = [
        f"{document} [{f.char_start}:{f.char_end}] {f.indicator} {f.measure} {f.value:,.12g}{high} "
        f"{f.unit} ({f.qualifier}) -> {f.kind} {year}",
        f"  year {year}: {_YEAR_BASIS_SAYS.get(f.year_basis, f.year_basis)}"
        + (f" «{f.year_cue}»" if f.year_cue else ""),
    ]
    if f.kind_basis in ("section", "default"):
        how = "the section it sits in" if f.kind_basis == "section" else "the kind of document"
        lines.append(f"  kind {f.kind}: {how}" + (f" «{f.kind_cue}»" if f.kind_cue else ""))
    else:
        lines.append(f"  kind {f.kind}: the word «{f.kind_basis}»")
    lines.append(f"  sentence: {f.sentence}")
    return "\n".join(lines)


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.published import latest_load, parquet_connection

    con = parquet_connection(Path(args.data_dir) / "parquet")
    try:
        names, rows = _rows(con, args.sql)
    except duckdb.Error as exc:
        raise UsageError(str(exc).splitlines()[0]) from None
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(rows)
    elif args.format == "json":
        for row in rows:
            print(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str))
    else:
        print(_table(names, rows))
        load = latest_load(con)
        if load:
            print(
                f"({len(rows)} rows; published data of load {load[0]}, {load[1]}, finished {load[2]})",
                file=sys.stderr,
            )
    return 0


def _table(names: list[str], rows: list[tuple]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([_width(n)] + [_width(r[i]) for r in cells]) for i, n in enumerate(names)]
    widths = [min(w, 60) for w in widths]

    def line(values: list[str]) -> str:
        return "  ".join(_clip(v, w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(names), line(["-" * w for w in widths])] + [line(r) for r in cells])


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _clip(s: str, width: int) -> str:
    out, used = "", 0
    for ch in s:
        w = 2 if ord(ch) > 0x2E80 else 1
        if used + w > width:
            break
        out, used = out + ch, used + w
    return out + " " * (width - used)


def cmd_eval(args: argparse.Namespace) -> int:
    from transform.documents import UnreadableDocument, read_document
    from transform.evaluate import GoldFileError, evaluate, format_report, parse_gold
    from transform.facts import extract_facts

    gold_path = Path(args.gold)
    try:
        gold = parse_gold(gold_path.read_text("utf-8").splitlines(), str(gold_path))
    except OSError as exc:
        raise UsageError(f"{gold_path}: cannot read ({exc.strerror})") from None
    except GoldFileError as exc:
        raise UsageError(str(exc)) from None
    docs_dir = Path(args.docs) if args.docs else gold_path.parent

    def predict(document: str, region_hint: str | None) -> list[dict]:
        path = docs_dir / document
        try:
            doc = read_document(
                path.read_bytes(),
                name=path.name,
                fallback_region=region_hint,
                fallback_date=gold.hint(document, "publish_date"),
            )
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
        except UnreadableDocument as exc:
            raise UsageError(f"{path}: {exc}") from None
        return [f.as_dict() for f in extract_facts(doc)]

    ev = evaluate(gold, predict)
    if args.format == "json":
        print(json.dumps(ev.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(format_report(ev))
    if args.min_f1 is not None and ev.strict.f1 < args.min_f1:
        print(
            f"govreports: strict F1 {ev.strict.f1:.4f} is below --min-f1 {args.min_f1}",
            file=sys.stderr,
        )
        return 1
    return 0


class UsageError(RuntimeError):
    """The command cannot run as asked (bad SQL, missing files, unreadable gold file)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govreports", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_: str, func: object) -> argparse.ArgumentParser:
        """A subcommand working on a data directory (warehouse, raw zone, published Parquet)."""
        cmd = sub.add_parser(name, help=help_)
        cmd.add_argument(
            "--data-dir",
            default="data",
            help="where the warehouse, raw zone and Parquet live (default ./data)",
        )
        cmd.set_defaults(func=func)
        return cmd

    def scale_options(cmd: argparse.ArgumentParser) -> None:
        group = cmd.add_argument_group("scale-out (each also an environment variable)")
        group.add_argument(
            "--task-runner",
            choices=("thread", "dask"),
            help="where fetch/read/extract batches run (GOVREPORTS_TASK_RUNNER; default thread)",
        )
        group.add_argument(
            "--dask-address",
            help="Dask scheduler, tcp://host:8786 (GOVREPORTS_DASK_ADDRESS; default: a "
            "temporary local cluster)",
        )
        group.add_argument(
            "--warehouse",
            choices=("duckdb", "ducklake"),
            help="warehouse backend (GOVREPORTS_WAREHOUSE; default duckdb)",
        )
        group.add_argument(
            "--ducklake-catalog",
            help="DuckLake catalog, e.g. 'postgres:dbname=lake host=127.0.0.1 port=5433' "
            "(GOVREPORTS_DUCKLAKE_CATALOG)",
        )
        group.add_argument(
            "--ducklake-data-path",
            help="where DuckLake writes Parquet (GOVREPORTS_DUCKLAKE_DATA_PATH; default "
            "<data dir>/lake)",
        )
        group.add_argument(
            "--batch-size", type=int, help="reports per task (GOVREPORTS_BATCH_SIZE; default 25)"
        )
        group.add_argument("--workers", type=int, help="parallel workers (GOVREPORTS_WORKERS)")

    run = command("run", "run the nightly flow on the sources in a TOML file", cmd_run)
    run.add_argument("--sources", required=True, help="sources file (TOML, [[sources]] tables)")
    scale_options(run)
    scale_options(
        command("demo", "serve the local demo portal and run the nightly flow on it", cmd_demo)
    )
    search = command(
        "search", "full-text search over report text (the passage behind a number)", cmd_search
    )
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=10)
    command("status", "sources, last runs, documents, facts and failures", cmd_status)
    scale_options(
        command(
            "reprocess", "re-read every loaded report from the raw zone (no network)", cmd_reprocess
        )
    )
    query = command(
        "query", "run read-only SQL on the published Parquet (never blocked by a run)", cmd_query
    )
    query.add_argument("sql")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    ext = sub.add_parser("extract", help="print the facts in local report files")
    ext.add_argument("paths", nargs="+")
    ext.add_argument("--format", choices=("jsonl", "csv", "table"), default="jsonl")
    ext.add_argument(
        "--region",
        help="the government the files are about when they do not say (as a source's region: "
        "新乡市 makes a report naming 红旗区 新乡市红旗区)",
    )
    ext.add_argument(
        "--explain",
        action="store_true",
        help="print each fact readably with the words that decided its year and kind",
    )
    ext.set_defaults(func=cmd_extract)
    ev = sub.add_parser("eval", help="score extraction against a gold file (JSON lines)")
    ev.add_argument("gold")
    ev.add_argument(
        "--docs", help="folder the gold file's documents are in (default: its own folder)"
    )
    ev.add_argument("--format", choices=("text", "json"), default="text")
    ev.add_argument("--min-f1", type=float, help="exit 1 when strict F1 is below this")
    ev.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from extract.sources import SourceConfigError
    from flows.settings import SettingsError
    from warehouse.lake import WarehouseUnavailable
    from warehouse.published import NothingPublished
    from warehouse.store import WarehouseBusy

    try:
        return args.func(args)
    except (
        SourceConfigError,
        SettingsError,
        WarehouseBusy,
        WarehouseUnavailable,
        NothingPublished,
        UsageError,
    ) as exc:
        print(f"govreports: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("govreports: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`govreports extract … | head`): stop quietly, and keep Python's
        # exit-time flush of stdout from failing on the closed pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # one readable line; GOVREPORTS_DEBUG=1 shows the traceback
        if os.environ.get("GOVREPORTS_DEBUG"):
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        print(
            f"govreports: {type(exc).__name__}: {first} (GOVREPORTS_DEBUG=1 shows details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
