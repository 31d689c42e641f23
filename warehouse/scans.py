"""Settings held for the length of one read or write, and restored after it.

`passing_scan`: a read that passes once over every report's text (writing dim_document's
Parquet, cutting the search index) goes through a small cache. DuckDB keeps each block it reads
cached up to the connection's memory limit, and nothing lowers that but the limit itself: one
pass over 20,000 reports' texts filled the cache to the limit (256 MB in the scale-out bench)
though no block of it is read twice, so a night's peak memory grew with the warehouse. The
limit is lowered to SCAN_CACHE for the pass, which also evicts what was cached, then restored.

`unordered`: a COPY that need not keep the table's row order. In order, DuckDB holds what its
threads read ahead until the writer catches up: a year of 174,000 facts ran out of memory under
a 64 MB limit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb

from warehouse.extensions import size_bytes

SCAN_CACHE = "32MB"  # a slice of 256 report texts (~13 MB) and the blocks it is read from


@contextlib.contextmanager
def passing_scan(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The connection's memory limit lowered to SCAN_CACHE (never raised) for the block, then
    set back (as DuckDB states it: to a tenth of a MiB)."""
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    lowered = False
    if size_bytes(before) > size_bytes(SCAN_CACHE):
        # more than that held (a transaction's rows) refuses the lower limit: read as it is
        with contextlib.suppress(duckdb.Error):
            con.execute(f"SET memory_limit = '{SCAN_CACHE}'")
            lowered = True
    try:
        yield
    finally:
        if lowered:
            con.execute(f"SET memory_limit = '{before}'")


@contextlib.contextmanager
def unordered(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB free to write rows in any order for the block (preserve_insertion_order off)."""
    before = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute(f"SET preserve_insertion_order = {'true' if before else 'false'}")
