"""The CLI's commands on local report files, no warehouse needed: `extract` prints the facts
in files, `eval` scores them against a gold file."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from flows.cli_common import UsageError, table

if TYPE_CHECKING:  # the CLI imports the pipeline lazily, so `--help` starts fast
    from transform.model import Fact


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


# What `extract --format table` shows of each fact (its file last).
TABLE_COLUMNS = (
    "indicator",
    "measure",
    "value",
    "value_high",
    "unit",
    "qualifier",
    "kind",
    "year",
    "year_basis",
    "kind_basis",
    "document",
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
    shown: list[tuple] = []  # --format table: one table for all files, printed at the end
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
                shown.append(tuple(row[c] for c in TABLE_COLUMNS[:-1]) + (path.name,))
            else:
                print(json.dumps(row, ensure_ascii=False))
    if args.format == "table" and not args.explain:
        print(table(list(TABLE_COLUMNS), shown))
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
