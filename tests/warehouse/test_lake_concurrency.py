"""Several processes opening one fresh DuckLake at the same moment, as flow runs for different
source groups starting together on different workers do: the catalog's initialisation, the
schema and the seeded rows race in PostgreSQL, and every process must come up."""

from __future__ import annotations

import multiprocessing as mp

from warehouse.lake import LakeTarget
from warehouse.store import Warehouse


def _open(target: LakeTarget, start: mp.synchronize.Barrier, results: mp.Queue) -> None:
    start.wait(timeout=60)
    try:
        with Warehouse(lake=target) as wh:
            tables = wh.con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'lake'"
            ).fetchone()[0]
            results.put(("ok", tables))
    except Exception as exc:  # reported to the test, which shows it
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def test_processes_opening_a_fresh_lake_together_all_succeed(lake):
    ctx = mp.get_context("spawn")
    n = 4
    start, results = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_open, args=(lake, start, results)) for _ in range(n)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [o for o in outcomes if o[0] != "ok"] == []
    assert len({tables for _, tables in outcomes}) == 1  # the same schema seen by all

    with Warehouse(lake=lake) as wh:
        periods = wh.con.execute("SELECT count(*), count(DISTINCT year) FROM dim_period").fetchone()
    assert periods[0] == periods[1] > 0  # seeded once, not once per process
