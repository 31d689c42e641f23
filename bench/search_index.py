"""The full-text search index: a night's update against a whole build, and our whole build
against DuckDB's fts extension building the same passages (the way the index was built before),
timed in the same run, with query latency for both.

A warehouse of N generated reports (sample paragraphs shuffled, ~6 KB of text each) is indexed
whole; then a night loads K new reports and rewrites K/2, and the index is updated, and, for
comparison, built whole again.

    .venv/bin/python bench/search_index.py [--docs 2000] [--night 20]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transform.model import Document, DocumentLoad, Region  # noqa: E402
from warehouse.extensions import load_extension  # noqa: E402
from warehouse.publish import settle  # noqa: E402
from warehouse.search import SEARCH_FILE, publish_search, query_terms, search  # noqa: E402
from warehouse.store import Warehouse  # noqa: E402

SEEDS = ROOT / "flows" / "demo" / "data"
QUERIES = ("地区生产总值", "固定资产投资 增长", "社会消费品零售总额", "粮食产量", "GDP")


def reports(start: int, n: int, tag: str, seed: int = 11) -> list[DocumentLoad]:
    rng = random.Random(seed + start)
    paragraphs = [
        p
        for f in sorted(SEEDS.glob("*.txt"))
        for p in f.read_text("utf-8").split("\n")
        if p.strip()
    ]
    loads = []
    for i in range(start, start + n):
        text = "\n".join(rng.sample(paragraphs, k=min(40, len(paragraphs))))
        doc = Document(
            f"{tag}\n{text}",
            f"第{i}号县{2010 + i % 15}年政府工作报告",
            date(2010 + i % 15, 2, 1),
            None,
            "government_work_report",
            2010 + i % 15,
            Region(f"第{i}号县", "county"),
        )
        url = f"http://bench.example.cn/{i}.html"
        loads.append(DocumentLoad(url, "bench", url, "0" * 64, datetime.now(UTC), doc, ()))
    return loads


def timed(work: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    work()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--night", type=int, default=20, help="new reports a night loads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Warehouse(Path(tmp) / "w.duckdb") as wh:
        for start in range(0, args.docs, 200):
            wh.load_documents(reports(start, min(200, args.docs - start), "v1"), "first")
        out, whole = Path(tmp) / "parquet", Path(tmp) / "whole"
        chars = wh.con.execute("SELECT sum(length(doc_text)) FROM dim_document").fetchone()[0]
        settle(wh.con)  # what the loads left in memory written first, as publishing does
        first = timed(lambda: publish_search(wh.con, out))
        print(f"{args.docs} reports ({chars / 1e6:.1f} M characters) indexed whole: {first:.2f} s")

        ref = duckdb.connect(str(Path(tmp) / "ref.duckdb"))
        load_extension(ref, "fts")
        ref.execute(f"ATTACH '{out / SEARCH_FILE}' AS idx (READ_ONLY)")
        statements = (ROOT / "bench" / "fts_reference.sql").read_text().split(";\n")
        fts = timed(lambda: [ref.execute(s) for s in statements if s.strip()])
        ref.execute("DETACH idx")
        print(
            f"  the fts extension building the same passages: {fts:.2f} s "
            f"(ours takes {first / fts:.2f} of it, cutting the passages included)"
        )

        night = [*reports(args.docs, args.night, "v1"), *reports(0, args.night // 2, "v2")]
        wh.load_documents(night, "night")
        settle(wh.con)
        update = timed(lambda: publish_search(wh.con, out))
        rebuild = timed(lambda: publish_search(wh.con, whole, whole=True))
        print(
            f"a night of {args.night} new and {args.night // 2} rewritten reports: index updated "
            f"in {update:.2f} s; built whole {rebuild:.2f} s: the update costs "
            f"{update / rebuild:.2f} of a whole build"
        )

        ours, theirs = [], []
        for q in QUERIES:
            ours.append(timed(lambda q=q: search(out / SEARCH_FILE, q)))
            theirs.append(
                timed(
                    lambda q=q: ref.execute(
                        "SELECT passage_key, score FROM (SELECT *, fts_main_ref_passages.match_bm25"
                        "(passage_key, ?) AS score FROM ref_passages) WHERE score IS NOT NULL "
                        "ORDER BY score DESC LIMIT 10",
                        [" ".join(query_terms(q))],
                    ).fetchall()
                )
            )
        ref.close()
        print(
            f"query latency over {len(QUERIES)} queries, median: ours "
            f"{sorted(ours)[len(ours) // 2] * 1000:.0f} ms (opening the file included), fts "
            f"{sorted(theirs)[len(theirs) // 2] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
