"""The local development gold: labels with offsets (committed) <-> full gold (built locally).

The texts are third-party pages rebuilt into `texts/<id>.txt` (ignored by git, see README.md).
What is committed holds no copied text: `documents.jsonl` (id, query, address, level, genre, region
hint, publication date where the page's address gives one, the text's sha256) and `labels.jsonl` (one fact per line: the fact contract's fields plus the
character span of the number as written in the text).

    python tests/transform/gold/local_dev/labels.py check D01      # a labeller's working file
    python tests/transform/gold/local_dev/labels.py freeze         # working files -> labels.jsonl
    python tests/transform/gold/local_dev/labels.py build          # labels + texts -> gold.jsonl

`gold.jsonl` is what `govreports eval` reads (`--docs tests/transform/gold/local_dev/texts`).
Working files (`work/<id>.jsonl`, ignored) locate each number by an `anchor`: a short run of the
text holding the number, unique in the document or picked by `nth` (1-based).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "texts"
WORK = HERE / "work"
DOCUMENTS = HERE / "documents.jsonl"
LABELS = HERE / "labels.jsonl"
GOLD = HERE / "gold.jsonl"

INDICATORS = {
    "gdp", "gdp_per_capita", "primary_industry_va", "secondary_industry_va",
    "tertiary_industry_va", "industrial_va", "industrial_va_above_scale", "industrial_output",
    "fixed_asset_investment", "industrial_investment", "retail_sales", "foreign_trade", "exports",
    "foreign_investment", "domestic_investment_inflow", "general_budget_revenue", "tax_revenue",
    "livelihood_expenditure", "disposable_income", "urban_disposable_income",
    "rural_disposable_income", "cpi", "urban_new_jobs", "surveyed_unemployment_rate",
    "registered_unemployment_rate", "energy_intensity_reduction", "carbon_intensity_reduction",
    "rd_intensity", "high_tech_enterprises", "grain_output", "urbanization_rate", "good_air_days",
    "pm25", "population_growth_rate",
}  # fmt: skip
ALLOWED = {
    "measure": {"growth_pct", "level", "share_pct", "rate_pct", "change_pp"},
    "qualifier": {"approx", "at_least", "at_most", "range", "stretch", "exact"},
    "kind": {"target", "actual", "estimate"},
    "year_basis": {"sentence", "heading", "title", "publish_date", "plan_period", "unknown"},
}
FIELDS = ("indicator", "measure", "value", "value_high", "unit", "unit_text", "qualifier",
          "kind", "year", "region", "year_basis", "kind_basis")  # fmt: skip
NUMBER = re.compile(r"[0-9０-９〇零一二两三四五六七八九十百千万亿]")
DIGITS = re.compile(r"[0-9０-９][0-9０-９.,，]*")
# where a fact's sentence ends, for the built gold's `sentence`
SENTENCE_END = "。！？；\n"


def text_of(doc: str) -> str:
    return (TEXTS / f"{doc}.txt").read_text("utf-8")


def locate(text: str, anchor: str, nth: int = 1) -> int:
    """Offset of the nth occurrence of anchor; ValueError naming the problem otherwise."""
    starts = [m.start() for m in re.finditer(re.escape(anchor), text)]
    if not starts:
        raise ValueError(f"anchor {anchor!r} is not in the text")
    if nth < 1 or nth > len(starts):
        raise ValueError(f"anchor {anchor!r} occurs {len(starts)} times, nth={nth}")
    return starts[nth - 1]


def check_row(row: dict, text: str) -> list[str]:
    problems = []
    for f in FIELDS:
        if f not in row:
            problems.append(f"missing {f}")
    if row.get("indicator") not in INDICATORS:
        problems.append(f"indicator {row.get('indicator')!r} is not a contract code")
    for f, allowed in ALLOWED.items():
        if row.get(f) not in allowed:
            problems.append(f"{f} {row.get(f)!r} not in {sorted(allowed)}")
    if not isinstance(row.get("value"), int | float):
        problems.append("value must be a number")
    if row.get("year") is not None and not isinstance(row.get("year"), int):
        problems.append("year must be an integer or null")
    if (row.get("year") is None) != (row.get("year_basis") == "unknown"):
        problems.append("year null exactly when year_basis is unknown")
    if (row.get("qualifier") == "range") != (row.get("value_high") is not None):
        problems.append("value_high set exactly when qualifier is range")
    anchor = row.get("anchor")
    if anchor is not None:
        if not NUMBER.search(anchor):
            problems.append(f"anchor {anchor!r} holds no number")
        else:
            occurrences = text.count(anchor)
            if occurrences == 0:
                problems.append(f"anchor {anchor!r} is not in the text")
            elif occurrences > 1 and "nth" not in row:
                problems.append(f"anchor {anchor!r} occurs {occurrences} times: add nth")
            elif row.get("nth", 1) > occurrences:
                problems.append(f"anchor {anchor!r} occurs {occurrences} times, nth={row['nth']}")
    return problems


def check(doc: str) -> int:
    text = text_of(doc)
    rows = [
        json.loads(line)
        for line in (WORK / f"{doc}.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    bad = 0
    for n, row in enumerate(rows, 1):
        problems = check_row(row, text)
        if problems:
            bad += 1
            print(f"{doc} line {n}: " + "; ".join(problems))
    print(f"{doc}: {len(rows)} facts, {bad} with problems")
    return 1 if bad else 0


def sha256(doc: str) -> str:
    return hashlib.sha256((TEXTS / f"{doc}.txt").read_bytes()).hexdigest()


def freeze() -> int:
    """Working files -> labels.jsonl: anchors become offsets, nothing copied from the text."""
    out, bad = [], 0
    for path in sorted([*WORK.glob("D*.jsonl"), *WORK.glob("H*.jsonl")]):
        doc = path.stem
        text = text_of(doc)
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            problems = check_row(row, text)
            if problems:
                bad += 1
                print(f"{doc} line {n}: " + "; ".join(problems), file=sys.stderr)
                continue
            start = locate(text, row["anchor"], row.get("nth", 1))
            # the number: the anchor's last run of digits (an anchor may hold a level before
            # its growth, or a name with 一 / 零 in it), else its Chinese numerals
            runs = list(DIGITS.finditer(row["anchor"])) or list(NUMBER.finditer(row["anchor"]))
            label = {"document": doc, **{f: row[f] for f in FIELDS}}
            label["span"] = [start + runs[-1].start(), start + runs[-1].end()]
            if row.get("note"):
                label["note"] = row["note"]
            out.append(label)
    LABELS.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), "utf-8")
    print(f"{len(out)} labels written to {LABELS.name}, {bad} rows refused")
    return 1 if bad else 0


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(c, 0, start) for c in SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in SENTENCE_END) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return left, right


def build() -> int:
    """labels.jsonl + texts/ -> gold.jsonl in the form `govreports eval` reads."""
    documents = [
        json.loads(line) for line in DOCUMENTS.read_text("utf-8").splitlines() if line.strip()
    ]
    labels = [json.loads(line) for line in LABELS.read_text("utf-8").splitlines() if line.strip()]
    lines, missing, changed = [], [], []
    texts = {}
    for d in documents:
        path = TEXTS / f"{d['id']}.txt"
        if not path.exists():
            missing.append(d["id"])
            continue
        if sha256(d["id"]) != d["sha256"]:
            changed.append(d["id"])
            continue
        texts[d["id"]] = path.read_text("utf-8")
        # what a crawler knows of the page: its source's region and, where the listing (here the
        # page's address) dates it, its publication date
        described = {"document": f"{d['id']}.txt", "region_hint": d["region_hint"],
                     "level": d["level"], "genre": d["genre_group"],
                     "set": d.get("set", "dev")}  # fmt: skip
        if d.get("publish_date"):
            described["publish_date"] = d["publish_date"]
        lines.append(described)
    for label in labels:
        text = texts.get(label["document"])
        if text is None:
            continue
        start, end = label["span"]
        left, right = sentence_around(text, start, end)
        fact = {k: v for k, v in label.items() if k not in ("span", "document")}
        fact.update(document=f"{label['document']}.txt", indicator_text="",
                    sentence=text[left:right].strip(), char_start=left, char_end=right)  # fmt: skip
        lines.append(fact)
    GOLD.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
    print(f"{GOLD.name}: {len(texts)} documents, {len(lines) - len(texts)} facts")
    if missing:
        print(f"texts not rebuilt yet (see README.md): {', '.join(missing)}", file=sys.stderr)
    if changed:
        print(
            f"texts that differ from the labelled ones (sha256), left out: {', '.join(changed)}",
            file=sys.stderr,
        )
    return 0 if not changed else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check").add_argument("doc")
    sub.add_parser("freeze")
    sub.add_parser("build")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.doc)
    return freeze() if args.command == "freeze" else build()


if __name__ == "__main__":
    sys.exit(main())
