"""What a load's checkpoint writes: the new reports, not every report stored before."""

import pytest

from tests.warehouse.test_store import load
from warehouse.extensions import CheckpointOutOfMemory
from warehouse.store import Warehouse

TEXT_BLOCKS = (
    "SELECT DISTINCT block_id FROM pragma_storage_info('dim_document') "
    "WHERE column_name = 'doc_text' AND row_group_id = 0 AND block_id >= 0"
)


def _load_reports(wh: Warehouse, first: int, count: int) -> None:
    for start in range(first, first + count, 100):
        wh.load_documents(
            [
                load(url=f"http://a.cn/c{i}.html", text=f"第{i}号报告。" * 40)
                for i in range(start, start + 100)
            ],
            "l1",
        )
        wh.con.execute("CHECKPOINT")


def test_a_checkpoint_after_a_load_leaves_the_stored_texts_where_they_are(tmp_path):
    # With a PRIMARY KEY on dim_document, DuckDB kept appending to the table's one row group
    # and wrote it whole, every text in it, at each checkpoint: a night's checkpoints cost
    # in proportion to the whole warehouse. Without it, a load's rows go to a row group of
    # their own (DuckDB merges small row groups now and then, as a log-structured store does).
    with Warehouse(tmp_path / "w.duckdb") as wh:
        _load_reports(wh, 0, 3000)
        stored = {r[0] for r in wh.con.execute(TEXT_BLOCKS).fetchall()}
        assert stored  # the texts are on disk, in blocks of their own
        _load_reports(wh, 3000, 100)
        after = {r[0] for r in wh.con.execute(TEXT_BLOCKS).fetchall()}
        count = wh.con.execute("SELECT count(DISTINCT document_key) FROM dim_document").fetchone()
    assert after == stored
    assert count == (3100,)


def test_a_limit_too_small_for_the_texts_stops_the_load_saying_so_and_keeps_what_it_committed(
    tmp_path, monkeypatch
):
    # a checkpoint merges the row groups the loads appended, and their texts must fit:
    # ~83 KB texts need more than 32 MB after a few hundred reports
    monkeypatch.setenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", "32MB")
    paragraph = "全年地区生产总值增长6%，固定资产投资增长8%，社会消费品零售总额增长5%。" * 30 + "\n"
    committed = 0
    wh = Warehouse(tmp_path / "w.duckdb")
    with pytest.raises(
        CheckpointOutOfMemory, match="MEMORY_LIMIT=32MB must hold about 2,000 report"
    ):
        for start in range(0, 2000, 50):
            batch = [
                load(url=f"http://a.cn/t{i}.html", text=paragraph * 25 + f"第{i}号报告。")
                for i in range(start, start + 50)
            ]
            committed = start + 50  # a batch whose checkpoint fails is committed all the same
            wh.load_documents(batch, "l1")
    wh.close()  # DuckDB holds the instance for dead after a fatal error
    monkeypatch.setenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", "256MB")
    with Warehouse(tmp_path / "w.duckdb") as wh:  # reopened with room, nothing is lost
        count = wh.con.execute("SELECT count(*), count(DISTINCT url) FROM dim_document").fetchone()
    assert 0 < committed < 2000
    assert count == (committed, committed)
