"""Publishing reads every report's text without filling the warehouse's cache with it, writes a
large year of facts under a small memory limit, and hands the connection back as it found it."""

from __future__ import annotations

import base64
import random
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.test_store import fact, load
from warehouse.extensions import size_bytes
from warehouse.publish import publish_parquet
from warehouse.scans import SCAN_CACHE, passing_scan, unordered
from warehouse.search import publish_search
from warehouse.store import Warehouse

LIMIT = "256MB"  # the warehouses' memory limit here, far above the scans' cache


def cached_mb(con: duckdb.DuckDBPyConnection) -> float:
    """What DuckDB holds of the tables' blocks now, in MB."""
    sql = "SELECT sum(memory_usage_bytes) FROM duckdb_memory() WHERE tag = 'BASE_TABLE'"
    return (con.execute(sql).fetchone()[0] or 0) / 2**20


def settings(con: duckdb.DuckDBPyConnection) -> tuple[float, bool]:
    """The memory limit in MiB, to DuckDB's precision (it states 256 MB as 244.1 MiB, and is
    given back 244.1 MiB, 244.0 when read again), and whether rows keep their order."""
    limit, ordered = con.execute(
        "SELECT current_setting('memory_limit'), current_setting('preserve_insertion_order')"
    ).fetchone()
    return round(size_bytes(limit) / 2**20), ordered


def load_noise(wh: Warehouse, rng: random.Random) -> None:
    """450 reports of 120,000 characters that hardly compress (~54 MB of text), 50 a load."""
    for start in range(0, 450, 50):
        batch = []
        for i in range(start, start + 50):
            noise = base64.b64encode(rng.randbytes(90_000)).decode()
            text = "\n".join(noise[j : j + 200] for j in range(0, len(noise), 200))
            batch.append(load(url=f"http://a.cn/t{i}.html", text=text))
        wh.load_documents(batch, "l1")


@pytest.fixture(scope="module")
def texts_warehouse(tmp_path_factory):
    """A warehouse (256 MB limit) holding 450 reports of 120,000 characters that hardly
    compress (~54 MB of text), checkpointed; each call opens a copy of it, its cache empty."""
    rng = random.Random(7)
    folder = tmp_path_factory.mktemp("texts")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", LIMIT)
        with Warehouse(folder / "w.duckdb") as wh:
            load_noise(wh, rng)

    def open_copy(at: Path) -> Warehouse:
        if not at.exists():
            shutil.copyfile(folder / "w.duckdb", at)
        return Warehouse(at)

    return open_copy


@pytest.fixture(autouse=True)
def limit(monkeypatch):
    monkeypatch.setenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", LIMIT)


def test_a_plain_read_of_the_texts_fills_the_cache(texts_warehouse, tmp_path):
    # what the tests below guard against, shown here so that they can fail
    with texts_warehouse(tmp_path / "w.duckdb") as wh:
        wh.con.execute("SELECT sum(strlen(doc_text)) FROM dim_document").fetchall()
        assert cached_mb(wh.con) > 1.5 * size_bytes(SCAN_CACHE) / 2**20


def test_publishing_and_indexing_pass_over_the_texts_through_a_small_cache(
    texts_warehouse, tmp_path
):
    with texts_warehouse(tmp_path / "w.duckdb") as wh:
        before = settings(wh.con)
        publish_parquet(wh.con, tmp_path / "parquet")
        assert cached_mb(wh.con) <= size_bytes(SCAN_CACHE) / 2**20
        publish_search(wh.con, tmp_path / "parquet")
        assert cached_mb(wh.con) <= size_bytes(SCAN_CACHE) / 2**20
        assert settings(wh.con) == before  # the limit and the row order are given back


def test_texts_loaded_but_not_yet_checkpointed_are_published_then_indexed(tmp_path, monkeypatch):
    monkeypatch.delenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT")
    # loads below the checkpoint threshold (a quarter of the limit) are held in memory, more
    # of them than the scans' cache: the night publishes them, then indexes them, as here
    rng = random.Random(8)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    with Warehouse(tmp_path / "w.duckdb") as wh:
        for start in range(0, 2000, 200):  # 2,000 reports of 6,400 characters (~38 MB)
            wh.load_documents(
                [
                    load(
                        url=f"http://a.cn/t{i}.html",
                        text="\n".join("".join(rng.choices(han, k=100)) for _ in range(64)),
                    )
                    for i in range(start, start + 200)
                ],
                "l1",
            )
        held = "SELECT sum(memory_usage_bytes) FROM duckdb_memory() WHERE tag = 'OVERFLOW_STRINGS'"
        assert wh.con.execute(held).fetchone()[0] > size_bytes(SCAN_CACHE)
        publish_parquet(wh.con, tmp_path / "parquet")  # which writes them to the file first
        publish_search(wh.con, tmp_path / "parquet")
        assert cached_mb(wh.con) <= size_bytes(SCAN_CACHE) / 2**20
    con = duckdb.connect(str(tmp_path / "parquet" / "search.duckdb"), read_only=True)
    assert con.execute("SELECT count(DISTINCT document_key) FROM passages").fetchone()[0] == 2000


def test_the_fingerprint_leaves_the_texts_unread_and_still_sees_a_rewritten_report(
    texts_warehouse, tmp_path
):
    out = tmp_path / "parquet"
    with texts_warehouse(tmp_path / "w.duckdb") as wh:
        publish_parquet(wh.con, out)
    # a night with nothing new: the texts are not read
    with texts_warehouse(tmp_path / "w.duckdb") as wh:
        assert publish_parquet(wh.con, out) == {}
        assert cached_mb(wh.con) < 4
        # a report read again with another text (a new load) is published again
        wh.load_documents([load(url="http://a.cn/t3.html", text="固定资产投资增长9%。")], "l2")
        assert "dim_document" in publish_parquet(wh.con, out)
        published = duckdb.sql(
            f"SELECT doc_text FROM '{out}/dim_document/*.parquet' WHERE doc_text LIKE '固定%'"
        ).fetchall()
        assert published == [("固定资产投资增长9%。",)]


def test_a_large_year_of_facts_is_published_under_a_small_memory_limit(tmp_path, monkeypatch):
    # 180,000 facts of one year: written in order, DuckDB's reading ahead of the Parquet writer
    # ran out of 64 MB
    monkeypatch.setenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", "64MB")
    sentence = "全年地区生产总值增长6%，固定资产投资增长8%，社会消费品零售总额增长5%。"
    with Warehouse(tmp_path / "w.duckdb") as wh:
        for start in range(0, 180, 30):
            batch = []
            for i in range(start, start + 30):
                facts = [
                    replace(fact(j / 10), char_start=j, char_end=j + 3, sentence=sentence * 3)
                    for j in range(1000)
                ]
                batch.append(load(url=f"http://a.cn/t{i}.html", facts=facts))
            wh.load_documents(batch, "l1")
        before = settings(wh.con)
        publish_parquet(wh.con, tmp_path / "parquet")
        assert settings(wh.con) == before
    count = duckdb.sql(
        f"SELECT count(*) FROM '{tmp_path}/parquet/fct_indicator_value/*/*.parquet'"
    ).fetchone()
    assert count == (180_000,)


def test_the_settings_come_back_when_the_block_fails(tmp_path):
    con = duckdb.connect(str(tmp_path / "x.duckdb"), config={"memory_limit": "200MB"})
    before = settings(con)
    with pytest.raises(ZeroDivisionError), passing_scan(con), unordered(con):
        assert settings(con) == (30, False)
        raise ZeroDivisionError
    assert settings(con) == before
    con.execute("SET memory_limit = '16MB'")  # already below the scan's cache: left as it is
    with passing_scan(con):
        assert settings(con)[0] == 15
