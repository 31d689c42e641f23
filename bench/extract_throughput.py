"""Throughput of read + parse + extract (transform/ only, one core).

Prints MB/s of text and documents/s on the sample reports and on a generated corpus of 1,000
reports (sample paragraphs shuffled and re-encoded, half GBK), against a decode-only pass over
the same bytes as the baseline (the floor any extractor pays).

    .venv/bin/python bench/extract_throughput.py [--docs 1000]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from transform.decode import decode_bytes
from transform.documents import read_document
from transform.facts import extract_facts
from transform.text import normalise_text

SEEDS = Path(__file__).resolve().parents[1] / "flows" / "demo" / "data"


def corpus(n: int, seed: int = 7) -> list[bytes]:
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
        docs.append(text.encode("gbk", errors="ignore") if i % 2 else text.encode("utf-8"))
    return docs


def measure(docs: list[bytes]) -> tuple[float, float, int, int]:
    chars = sum(len(decode_bytes(d)[0].encode("utf-8")) for d in docs)
    t0 = time.perf_counter()
    facts = 0
    for d in docs:
        facts += len(extract_facts(read_document(d)))
    full = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in docs:
        normalise_text(decode_bytes(d)[0])
    baseline = time.perf_counter() - t0
    return full, baseline, chars, facts


def report(name: str, docs: list[bytes]) -> None:
    full, baseline, size, facts = measure(docs)
    mb = size / 1e6
    print(
        f"{name:<22} {len(docs):>6} docs {mb:8.2f} MB  {facts:>7} facts | "
        f"read+extract {mb / full:6.2f} MB/s {len(docs) / full:8.1f} docs/s | "
        f"decode-only {mb / baseline:7.2f} MB/s | extract costs {full / baseline:5.1f}x decode"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    seeds = [f.read_bytes() for f in sorted(SEEDS.glob("*.txt"))]
    extract_facts(read_document(seeds[0]))  # warm caches (compiled patterns, catalogue)
    report("sample reports x20", seeds * 20)
    report("generated corpus", corpus(args.docs))


if __name__ == "__main__":
    main()
