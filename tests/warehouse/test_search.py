from tests.warehouse.test_store import load
from warehouse.search import bigrams, publish_search, search


def test_bigrams():
    assert bigrams("GDP增长8.5%") == "gdp 增长 8.5"
    assert bigrams("投资") == "投资" and bigrams("省") == "省"


def test_search_finds_the_passage_behind_a_number(tmp_path, new_warehouse):
    with new_warehouse() as wh:
        wh.load_documents(
            [
                load(text="一、回顾\n地区生产总值增长6%。\n固定资产投资增长10%。"),
                load(url="http://a.cn/t2.html", text="社会消费品零售总额增长7%。"),
            ],
            "l",
        )
        index = publish_search(wh.con, tmp_path / "parquet")
        publish_search(wh.con, tmp_path / "parquet")  # republishing swaps the file
    hits = search(index, "固定资产投资")
    assert [h[2] for h in hits] == ["固定资产投资增长10%。"]
    assert search(index, "零售") and search(index, "粮食产量") == []


def test_the_index_cuts_passages_as_queries_are_cut(tmp_path, new_warehouse):
    import duckdb

    lines = [
        "GDP增长6.5%，PM2.5平均浓度下降...到35微克",
        "省",
        "...",
        "A.B 12.5万元 x中y",
        "",
        "二、2024年主要目标",
    ]
    with new_warehouse() as wh:
        wh.load_documents([load(text="\n".join(lines))], "l")
        index = publish_search(wh.con, tmp_path / "parquet")
    con = duckdb.connect(str(index), read_only=True)
    rows = con.execute("SELECT passage_key, passage, tokens FROM passages ORDER BY 1").fetchall()
    con.close()
    assert [p for _, p, _ in rows] == [ln for ln in lines if ln]
    assert [k.rsplit(":", 1)[1] for k, _, _ in rows] == ["0", "1", "2", "3", "5"]
    assert all(tokens == bigrams(passage) for _, passage, tokens in rows)


def test_the_index_is_rebuilt_only_when_the_documents_changed(tmp_path, new_warehouse):
    from warehouse.publish import publish_parquet
    from warehouse.search import refresh_search

    out = tmp_path / "parquet"
    with new_warehouse() as wh:
        wh.load_documents([load(text="地区生产总值增长6%。")], "l1")
        publish_parquet(wh.con, out)
        assert refresh_search(wh.con, out) == out / "search.duckdb"
        assert refresh_search(wh.con, out) is None  # the same documents: kept as built
        wh.load_documents([load(url="http://a.cn/t2.html", text="粮食产量增长2%。")], "l2")
        publish_parquet(wh.con, out)
        assert refresh_search(wh.con, out) == out / "search.duckdb"
        assert search(out / "search.duckdb", "粮食产量")
        (out / "search.duckdb").unlink()  # a missing index is built again
        assert refresh_search(wh.con, out) == out / "search.duckdb"


def test_an_index_that_cannot_be_built_leaves_the_previous_one_and_no_half_file(
    tmp_path, new_warehouse, monkeypatch
):
    import duckdb
    import pytest

    import warehouse.search

    out = tmp_path / "parquet"
    with new_warehouse() as wh:
        wh.load_documents([load(text="地区生产总值增长6%。")], "l1")
        index = publish_search(wh.con, out)
        wh.load_documents([load(url="http://a.cn/t2.html", text="粮食产量增长2%。")], "l2")
        # the passages statement failing part-way, as an out-of-memory error would
        monkeypatch.setattr(warehouse.search, "query_sql", lambda name: "SELECT no_such_column")
        with pytest.raises(duckdb.Error):
            publish_search(wh.con, out)
    assert sorted(p.name for p in out.iterdir()) == ["search.duckdb"]
    assert search(index, "地区生产总值") and search(index, "粮食产量") == []
