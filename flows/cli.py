"""`govreports`: run the nightly flow, the local demo, or extract facts from local files.

Errors are one readable line on stderr and a non-zero exit, never a traceback. The commands
live in flows/cli_pipeline.py (on a data directory) and flows/cli_files.py (on local files).
"""

from __future__ import annotations

import argparse
import os
import sys

from flows.cli_common import UsageError
from flows.cli_files import cmd_eval, cmd_extract
from flows.cli_pipeline import (
    cmd_demo,
    cmd_query,
    cmd_report,
    cmd_reprocess,
    cmd_run,
    cmd_search,
    cmd_status,
)
from flows.cli_sources import CATALOGUE, cmd_sources_check, cmd_sources_list


def _file_commands(sub: argparse._SubParsersAction) -> None:
    """The commands on local report files (no data directory): extract and eval."""
    ext = sub.add_parser("extract", help="print the facts in local report files")
    ext.add_argument("paths", nargs="+", help=".txt, .html, .docx or .pdf files")
    ext.add_argument(
        "--format",
        choices=("jsonl", "csv", "table"),
        default="jsonl",
        help="output (default jsonl)",
    )
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
    ev.add_argument("gold", help="gold facts, one JSON object per line (docs/facts.md)")
    ev.add_argument(
        "--docs", help="folder the gold file's documents are in (default: its own folder)"
    )
    ev.add_argument(
        "--format", choices=("text", "json"), default="text", help="output (default text)"
    )
    ev.add_argument("--min-f1", type=float, help="exit 1 when strict F1 is below this")
    ev.set_defaults(func=cmd_eval)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("govreports")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _sources_commands(sub: argparse._SubParsersAction) -> None:
    """`govreports sources list|check`: what a catalogue holds; first contact with its portals."""
    sources = sub.add_parser("sources", help="list a catalogue's sources or check them")
    checks = sources.add_subparsers(dest="sources_command", required=True)
    check = checks.add_parser(
        "check",
        help="fetch each source's start page once: portal family, report links, paging, verdict",
    )
    check.add_argument(
        "file",
        nargs="?",
        default=CATALOGUE,
        help=f"sources file or folder (default {CATALOGUE}, the catalogue)",
    )
    selection_options(check)
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="output (default text)"
    )
    check.add_argument(
        "--workers", type=int, default=8, help="portals checked at a time (default 8)"
    )
    check.set_defaults(func=cmd_sources_check)
    listing = checks.add_parser(
        "list", help="the sources of a file or folder: region, level, province, family, address"
    )
    listing.add_argument("file", nargs="?", default=CATALOGUE, help=f"default {CATALOGUE}")
    selection_options(listing)
    listing.add_argument(
        "--format", choices=("text", "json"), default="text", help="output (default text)"
    )
    listing.set_defaults(func=cmd_sources_list)


def selection_options(cmd: argparse.ArgumentParser) -> None:
    """--only, --only-level, --only-province: which sources of a catalogue a command takes."""
    cmd.add_argument("--only", nargs="+", metavar="ID", help="these source ids only")
    cmd.add_argument(
        "--only-level",
        nargs="+",
        metavar="LEVEL",
        help="these levels only: province, city, county, district, zone (comma or space separated)",
    )
    cmd.add_argument(
        "--only-province",
        nargs="+",
        metavar="NAME",
        help="governments of these provinces only, by full name (河南省, 广西壮族自治区)",
    )


def scale_options(cmd: argparse.ArgumentParser) -> None:
    """The options of a run's scale-out settings (flows/settings.py)."""
    cmd.add_argument(
        "--quiet",
        action="store_true",
        help="print warnings and the summary only, not the progress of each source",
    )
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
        "--batch-size", type=int, help="reports per task (GOVREPORTS_BATCH_SIZE; default 50)"
    )
    group.add_argument("--workers", type=int, help="parallel workers (GOVREPORTS_WORKERS)")
    group.add_argument(
        "--read-processes",
        type=int,
        help="processes reading reports while threads fetch (GOVREPORTS_READ_PROCESSES; "
        "default one per core, 0: in the threads)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govreports", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"govreports {_version()}")
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

    run = command("run", "run the nightly flow on the sources in a TOML file", cmd_run)
    run.add_argument(
        "--sources",
        required=True,
        help=f"sources file (TOML, [[sources]] tables) or a folder of them, such as {CATALOGUE}",
    )
    selection_options(run)
    run.add_argument(
        "--allow-shrink",
        action="store_const",
        const=1,
        help="publish even if the warehouse now holds over 5%% fewer documents or facts than "
        "last published (GOVREPORTS_ALLOW_SHRINK; otherwise such a run fails unpublished)",
    )
    scale_options(run)
    scale_options(
        command("demo", "serve the local demo portal and run the nightly flow on it", cmd_demo)
    )
    search = command(
        "search", "full-text search over report text (the passage behind a number)", cmd_search
    )
    search.add_argument("text", help="words to find (Chinese is matched by character pairs)")
    search.add_argument("--limit", type=int, default=10, help="passages shown (default 10)")
    command("status", "sources, last runs, documents, facts and failures", cmd_status)
    scale_options(
        command(
            "reprocess", "re-read every loaded report from the raw zone (no network)", cmd_reprocess
        )
    )
    report = command(
        "report",
        "write the visual report (one self-contained HTML file) over the published data",
        cmd_report,
    )
    report.add_argument("--out", help="where to write it (default <data dir>/parquet/report.html)")
    query = command(
        "query", "run read-only SQL on the published Parquet (never blocked by a run)", cmd_query
    )
    query.add_argument("sql", help="one SELECT statement over the published tables and views")
    query.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output (default table)"
    )
    _file_commands(sub)
    _sources_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from extract.sources import SourceConfigError
    from flows.settings import SettingsError
    from warehouse.lake import WarehouseUnavailable
    from warehouse.published import NothingPublished, QueryRefused
    from warehouse.store import WarehouseBusy, WarehouseCorrupt

    try:
        return args.func(args)
    except (
        SourceConfigError,
        SettingsError,
        WarehouseBusy,
        WarehouseUnavailable,
        NothingPublished,
        QueryRefused,
        UsageError,
    ) as exc:
        print(f"govreports: {exc}", file=sys.stderr)
        return 2
    except WarehouseCorrupt as exc:  # the data's trouble, not the command's: exit 1
        print(f"govreports: {exc}", file=sys.stderr)
        return 1
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
