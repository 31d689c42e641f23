"""Throughput of read + parse + extract (transform/ only, one core), against the ceiling of any
regex extractor over the same bytes, timed in the same run.

The ceiling: each document decoded with its known encoding, NFKC-normalised, and scanned once
by one number-with-unit pattern (`\\d+(?:\\.\\d+)?(?:万|亿)?(?:元|%|人|吨|…)`): what reading
the bytes and finding numbers costs before any grammar. Each figure is the best of five runs (this machine's speed drifts).
Corpora: the sample reports, and generated reports (sample paragraphs shuffled, half GBK).

    .venv/bin/python bench/extract_throughput.py [--docs 1000] [--profile]
"""

from __future__ import annotations

import argparse
import random
import re
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from transform.documents import read_document
from transform.facts import extract_facts

SEEDS = Path(__file__).resolve().parents[1] / "flows" / "demo" / "data"
TARGET_MB_S = 5.0
TARGET_SHARE_OF_CEILING = 0.3
_NUMBER_WITH_UNIT = re.compile(
    r"\d+(?:\.\d+)?(?:万|亿)?(?:元|美元|%|个百分点|人|户|吨|公里|平方米|亩|家|个|项|件|辆|千瓦)"
)


def corpus(n: int, seed: int = 7) -> list[tuple[bytes, str]]:
    """(bytes, encoding) of `n` generated reports."""
    rng = random.Random(seed)
    paragraphs = [
        p
        for f in sorted(SEEDS.glob("*.txt"))
        for p in f.read_text("utf-8").split("\n")
        if p.strip()
    ]
    docs = []
    for i in range(n):
        body = "\n".join(rng.sample(paragraphs, k=min(60, len(paragraphs))))
        text = f"{2010 + i % 15}年政府工作报告\n{body}"
        enc = "gbk" if i % 2 else "utf-8"
        docs.append((text.encode(enc, errors="ignore"), enc))
    return docs


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return min(times)


def ceiling(docs: list[tuple[bytes, str]]) -> int:
    found = 0
    for data, enc in docs:
        text = unicodedata.normalize("NFKC", data.decode(enc, "replace"))
        found += len(_NUMBER_WITH_UNIT.findall(text))
    return found


def extract_all(docs: list[tuple[bytes, str]]) -> int:
    return sum(len(extract_facts(read_document(data))) for data, _ in docs)


def report(name: str, docs: list[tuple[bytes, str]]) -> tuple[float, float]:
    size = sum(len(data.decode(enc, "replace").encode("utf-8")) for data, enc in docs) / 1e6
    facts = extract_all(docs)
    full = best_of(5, lambda: extract_all(docs))
    regex = best_of(5, lambda: ceiling(docs))
    print(
        f"{name:<20} {len(docs):>5} docs {size:7.2f} MB {facts:>7} facts | "
        f"read+extract {size / full:5.2f} MB/s ({len(docs) / full:6.1f} docs/s) | "
        f"regex ceiling {size / regex:6.2f} MB/s | share of ceiling {regex / full:4.2f}"
    )
    return size / full, regex / full


def profile(docs: list[tuple[bytes, str]]) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    extract_all(docs)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="where the time goes (pyinstrument)")
    args = parser.parse_args()
    seeds = [(f.read_bytes(), "utf-8") for f in sorted(SEEDS.glob("*.txt"))]
    extract_all(seeds[:1])  # warm caches (compiled patterns, catalogue, automaton)
    generated = corpus(args.docs)
    if args.profile:
        profile(generated[:200])
        return
    report("sample reports x20", seeds * 20)
    speed, share = report("generated corpus", generated)
    verdict = "meets" if speed >= TARGET_MB_S and share >= TARGET_SHARE_OF_CEILING else "misses"
    print(
        f"target: >= {TARGET_MB_S} MB/s per core and >= {TARGET_SHARE_OF_CEILING} of the "
        f"ceiling on the generated corpus: {verdict} it"
    )


if __name__ == "__main__":
    main()
