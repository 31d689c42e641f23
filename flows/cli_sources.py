"""The CLI's commands on sources: `sources list` (what a catalogue holds) and `sources check`
(first contact with each portal), and the selection options `run` shares with them."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING

from flows.cli_common import table

if TYPE_CHECKING:
    from extract.sources import Selection, Source

CATALOGUE = "deploy/sources"  # the catalogue of real report columns, one file per province


def selection_of(args: argparse.Namespace) -> Selection:
    """The sources a command's --only, --only-level and --only-province name (comma or space
    separated)."""
    from extract.sources import Selection

    def names(values: list[str] | None) -> tuple[str, ...]:
        split = (n.strip() for v in values or () for n in v.replace("，", ",").split(","))
        return tuple(n for n in split if n)

    return Selection(
        names(getattr(args, "only", None)),
        names(getattr(args, "only_level", None)),
        names(getattr(args, "only_province", None)),
    )


def _selected(args: argparse.Namespace) -> list[Source]:
    from extract.sources import load_sources

    return selection_of(args).apply(load_sources(args.file), args.file)


def cmd_sources_list(args: argparse.Namespace) -> int:
    """The selected sources with what the catalogue says of each, and counts by level."""
    sources = _selected(args)
    if args.format == "json":
        fields = ("id", "name", "region", "level", "province", "parent_region", "family")
        rows = [{**{f: getattr(s, f) for f in fields}, "start_urls": s.start_urls} for s in sources]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    names = ["source", "region", "level", "province", "family", "start URL"]
    rows = [(s.id, s.region, s.level, s.province, s.family, s.start_urls[0]) for s in sources]
    print(table(names, rows))
    levels = Counter(s.level or "(none)" for s in sources)
    provinces = len({s.province for s in sources if s.province})
    counts = ", ".join(f"{n} {level}" for level, n in levels.most_common())
    print(f"\n{len(sources)} sources in {provinces} provinces: {counts}")
    return 0


def cmd_sources_check(args: argparse.Namespace) -> int:
    """Each source's start page fetched once: family, report links, paging, verdict."""
    from extract.check import check_source
    from extract.http import HttpClient

    sources = _selected(args)
    client = HttpClient(max_retries=1)
    # several portals at a time (each host still gets one request at a time, with its delay,
    # through the client's per-host gate): a catalogue of hundreds is checked in minutes
    try:
        with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
            futures = {pool.submit(check_source, s, client): s for s in sources}
            for i, done in enumerate(as_completed(futures), 1):
                if args.format == "text" and len(sources) > 1:
                    print(f"checked {i}/{len(sources)}: {futures[done].id}", file=sys.stderr)
            results = [f.result() for f in futures]  # in the catalogue's order
    finally:
        client.close()
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=1))
    else:
        names = ["source", "verdict", "family", "items", "reports", "pages", "newest", "reason"]
        rows = [
            (r.source_id, r.verdict, r.family, r.items, r.report_like, r.pages, r.newest, r.reason)
            for r in results
        ]
        print(table(names, rows))
        verdicts = Counter(r.verdict for r in results)
        print("\n" + ", ".join(f"{n} {v}" for v, n in verdicts.most_common()))
    return 0 if all(r.verdict == "ok" for r in results) else 1
