"""Crawl throughput against a local portal listing N reports (politeness off).

First crawl: pages/s and documents/s through the real stages (fetch, raw zone, read, extract,
load). No-change rerun: requests made and documents downloaded again (goal: 0), and its time.
Baseline in the same run: the same pages fetched with plain `requests.get` one by one and nothing
else, the floor any crawler pays on this machine.

    .venv/bin/python bench/crawl_throughput.py [--reports 1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import requests

from extract.http import HttpClient
from extract.rawstore import RawStore
from extract.sources import parse_sources
from flows.demo.site import DemoSite
from flows.stages import crawl_source, known_keys, load_results
from warehouse.store import Warehouse


def portal(n: int) -> DemoSite:
    """One column listing n reports (see bench/scale_out.py)."""
    from scale_out import corpus_site

    return corpus_site(n, 1)


def crawl(site: DemoSite, data: Path, source) -> tuple[float, int, int, int]:
    client = HttpClient(max_retries=0)
    t0 = time.perf_counter()
    with Warehouse(data / "w.duckdb") as wh:
        result = crawl_source(source, client, RawStore(data / "raw"), known_keys(wh, source.id))
        load_results(wh, result, "bench")
    return time.perf_counter() - t0, client.requests_made, result.fetched, result.pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    n = parser.parse_args().reports
    site = portal(n)
    site.start()
    try:
        (source,) = [s for s in parse_sources(site.sources_toml()) if s.id == "demo-bench0"]
        source = replace(source, max_pages=n // 20 + 5)
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            seconds, requests_made, fetched, pages = crawl(site, data, source)
            print(
                f"first crawl   {n} reports: {requests_made} requests ({pages} listing pages, {fetched} "
                f"reports) in {seconds:.1f} s = {requests_made / seconds:.0f} pages/s, "
                f"{fetched / seconds:.0f} reports/s (fetch+store+read+extract+load)"
            )
            urls = [site.url + p for p in site.requests]
            t0 = time.perf_counter()
            with requests.Session() as s:
                for url in urls:
                    _ = s.get(url).content
            base = time.perf_counter() - t0
            print(
                f"baseline      plain requests.get of the same {len(urls)} URLs: {base:.1f} s = "
                f"{len(urls) / base:.0f} pages/s; the crawler costs {seconds / base:.1f}x that"
            )
            site.requests.clear()
            seconds, requests_made, fetched, pages = crawl(site, data, source)
            print(
                f"no-change rerun: {requests_made} requests ({pages} listing pages), {fetched} reports "
                f"downloaded again, {seconds:.2f} s"
            )
    finally:
        site.stop()


if __name__ == "__main__":
    main()
