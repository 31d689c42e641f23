from collections import Counter

import duckdb
import pytest

import warehouse.search
from tests.warehouse.test_store import load
from warehouse.extensions import load_extension
from warehouse.publish import publish_parquet
from warehouse.search import (
    INDEX_FORMAT,
    IndexOutdated,
    index_format,
    publish_search,
    query_terms,
    refresh_search,
    search,
    text_slices,
)
from warehouse.store import Warehouse


def test_query_terms():
    assert query_terms("GDP增长8.5%") == ["gdp", "增长", "8", "5"]
    assert query_terms("投资") == ["投资"] and query_terms("省") == ["省"]
    assert (
        query_terms("（一）、，。") == ["一"]
        and query_terms("%、，。") == []
        and query_terms("PM2.5浓度") == ["pm2", "5", "浓度"]
    )


def test_documents_are_cut_in_slices_of_bounded_text():
    documents = [(1, 400), (2, 500), (5, 200), (6, 2000), (9, 100), (10, 900), (11, 1)]
    assert text_slices(documents, 1000) == [[1, 2], [5], [6], [9, 10], [11]]
    assert text_slices(documents, 10_000) == [[1, 2, 5, 6, 9, 10, 11]]
    assert text_slices([], 1000) == []


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
    assert search(index, "零售") and search(index, "粮食产量") == [] and search(index, "。") == []


def _index_rows(index):
    """Passages (without their ids) and postings by passage key: what the index says."""
    con = duckdb.connect(str(index), read_only=True)
    try:
        passages = con.execute(
            "SELECT passage_key, document_key, title, url, passage, len FROM passages ORDER BY 1"
        ).fetchall()
        postings = con.execute(
            "SELECT passage_key, term, count(*) FROM postings JOIN passages USING (passage_id) "
            "GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
        documents = con.execute("SELECT * FROM indexed_documents ORDER BY 1").fetchall()
    finally:
        con.close()
    return passages, postings, documents


def test_the_index_cuts_passages_as_queries_are_cut(tmp_path, new_warehouse):
    lines = [
        "GDP增长6.5%，PM2.5平均浓度下降...到35微克",
        "省",
        "...",
        "A.B 12.5万元 x中y",
        "",
        "二、2024年主要目标",
        "投资投资投资",
    ]
    with new_warehouse() as wh:
        wh.load_documents([load(text="\n".join(lines))], "l")
        index = publish_search(wh.con, tmp_path / "parquet")
    passages, postings, _ = _index_rows(index)
    assert [p[4] for p in passages] == [ln for ln in lines if ln]
    assert [p[0].rsplit(":", 1)[1] for p in passages] == ["0", "1", "2", "3", "5", "6"]
    assert all(p[5] == len(query_terms(p[4])) for p in passages)
    # postings hold each term as its number: the index's term_code, which queries use too
    con = duckdb.connect(str(index), read_only=True)
    code = {
        t: con.execute("SELECT term_code(?)", [t]).fetchone()[0]
        for _, *_, passage, _ in passages
        for t in query_terms(passage)
    }
    con.close()
    assert len(set(code.values())) == len(code)  # no two terms share a number
    held = {(k, t): tf for k, t, tf in postings}
    expected = {
        (key, code[term]): tf
        for key, *_, passage, _ in passages
        for term, tf in Counter(query_terms(passage)).items()
    }
    assert held == expected and held[(passages[-1][0], code["投资"])] == 3


def test_scores_are_those_of_the_fts_extension(tmp_path, new_warehouse):
    """The same passages and terms indexed by DuckDB's fts extension give the same scores."""
    texts = [
        "地区生产总值增长6%。\n固定资产投资增长10%，固定资产投资结构优化。\nGDP增长6.5%",
        "社会消费品零售总额增长7%。\n地区生产总值突破千亿元。\n粮食产量稳定",
        "一般公共预算收入增长5%。\n固定资产投资增长8%。\n投资\n" + "地区" * 30,
    ]
    with new_warehouse() as wh:
        wh.load_documents(
            [load(url=f"http://a.cn/{i}.html", text=t) for i, t in enumerate(texts)], "l"
        )
        index = publish_search(wh.con, tmp_path / "parquet")
    ref = duckdb.connect()
    load_extension(ref, "fts")
    ref.execute(f"ATTACH '{index}' AS idx (READ_ONLY)")
    passages = ref.execute("SELECT passage_key, passage FROM idx.passages").fetchall()
    ref.execute("CREATE TABLE p (passage_key VARCHAR, tokens VARCHAR)")
    ref.executemany(
        "INSERT INTO p VALUES (?, ?)", [(k, " ".join(query_terms(t))) for k, t in passages]
    )
    ref.execute(
        "PRAGMA create_fts_index('p', 'passage_key', 'tokens', stemmer = 'none', "
        "stopwords = 'none', strip_accents = 0, lower = 1, "
        r"ignore = '(\.|[^a-z0-9\x{4e00}-\x{9fff}])+')"
    )
    for query in ["固定资产投资", "地区生产总值", "GDP 增长", "投资", "地区", "粮食 零售 增长"]:
        expected = ref.execute(
            "SELECT passage_key, score FROM (SELECT *, fts_main_p.match_bm25(passage_key, ?) "
            "AS score FROM p) WHERE score IS NOT NULL ORDER BY score DESC, passage_key",
            [" ".join(query_terms(query))],
        ).fetchall()
        got = search(index, query, limit=100)
        assert [round(s, 9) for *_, s in got] == [round(s, 9) for _, s in expected], query
    ref.close()


def test_a_night_updates_the_index_as_a_whole_build_would(tmp_path, new_warehouse, monkeypatch):
    out, whole = tmp_path / "parquet", tmp_path / "whole"
    monkeypatch.setattr(warehouse.search, "REBUILD_SHARE", 10.0)  # updated, however much changed
    with new_warehouse() as wh:
        wh.load_documents(
            [
                load(url="http://a.cn/1.html", text="地区生产总值增长6%。\n粮食产量稳定"),
                load(url="http://a.cn/2.html", text="固定资产投资增长10%。"),
                load(url="http://a.cn/3.html", text="出口增长3%。"),
            ],
            "l1",
        )
        publish_search(wh.con, out)
        kept = _ids(out / "search.duckdb", "http://a.cn/1.html")
        # the next night: one report rewritten, one new, one gone from the warehouse
        wh.load_documents(
            [
                load(url="http://a.cn/2.html", text="固定资产投资增长12%。\n投资结构优化"),
                load(url="http://a.cn/4.html", text="社会消费品零售总额增长7%。"),
            ],
            "l2",
        )
        wh.con.execute("DELETE FROM dim_document WHERE url = 'http://a.cn/3.html'")
        (out / ".search-0badcafe.duckdb").write_bytes(b"left by a run killed mid-update")
        publish_search(wh.con, out)
        publish_search(wh.con, whole, whole=True)
    assert _index_rows(out / "search.duckdb") == _index_rows(whole / "search.duckdb")
    assert _ids(out / "search.duckdb", "http://a.cn/1.html") == kept  # not cut again
    assert _changed(out) > 0  # (an update: a whole build counts nothing)
    assert search(out / "search.duckdb", "出口") == [] and search(out / "search.duckdb", "结构")
    assert sorted(p.name for p in out.iterdir()) == ["search.duckdb"]


def _ids(index, url):
    con = duckdb.connect(str(index), read_only=True)
    try:
        return con.execute("SELECT passage_id FROM passages WHERE url = ?", [url]).fetchall()
    finally:
        con.close()


def test_an_index_that_changed_too_much_is_built_whole(tmp_path, new_warehouse, monkeypatch):
    out = tmp_path / "parquet"
    with new_warehouse() as wh:
        wh.load_documents(
            [load(url=f"http://a.cn/{i}.html", text="出口增长3%。") for i in (1, 2)], "l1"
        )
        publish_search(wh.con, out)  # 2 x 4 postings (出口 口增 增长 3), one sorted block
        assert _postings(out) == sorted(_postings(out)) and _changed(out) == 0
        wh.load_documents([load(url="http://a.cn/1.html", text="进口增长2%。")], "l2")
        monkeypatch.setattr(warehouse.search, "REBUILD_SHARE", 1.5)
        publish_search(wh.con, out)  # 4 postings deleted, 4 added: updated
        assert _changed(out) == 8
        assert _postings(out)[4:] == sorted(_postings(out)[4:])  # the night's block, in order
        monkeypatch.setattr(warehouse.search, "REBUILD_SHARE", 0.25)
        wh.load_documents([load(url="http://a.cn/2.html", text="进口下降1%。")], "l3")
        publish_search(wh.con, out)  # 8 + 4 changed of 8 held: built whole
        assert _changed(out) == 0 and _postings(out) == sorted(_postings(out))
    hits = search(out / "search.duckdb", "进口")
    assert sorted(h[2] for h in hits) == ["进口下降1%。", "进口增长2%。"]


def _changed(out):
    con = duckdb.connect(str(out / "search.duckdb"), read_only=True)
    try:
        return con.execute("SELECT changed_postings FROM index_meta").fetchone()[0]
    finally:
        con.close()


def _postings(out):
    """The postings' terms in the order they are stored."""
    con = duckdb.connect(str(out / "search.duckdb"), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT term FROM postings ORDER BY rowid").fetchall()]
    finally:
        con.close()


def test_the_index_is_updated_only_when_the_documents_changed(tmp_path, new_warehouse):
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
        # an index an older version built (fts, no index_meta) is rebuilt, not updated
        (out / "search.duckdb").unlink()
        old = duckdb.connect(str(out / "search.duckdb"))
        old.execute("CREATE TABLE passages (passage_key VARCHAR, tokens VARCHAR)")
        old.close()
        assert index_format(out / "search.duckdb") is None
        with pytest.raises(IndexOutdated, match="next `govreports run` rebuilds it"):
            search(out / "search.duckdb", "粮食产量")
        assert refresh_search(wh.con, out) == out / "search.duckdb"
        assert index_format(out / "search.duckdb") == INDEX_FORMAT
        assert search(out / "search.duckdb", "粮食产量")


def test_an_index_that_cannot_be_updated_leaves_the_previous_one_and_no_half_file(
    tmp_path, new_warehouse, monkeypatch
):
    out = tmp_path / "parquet"
    real = warehouse.search.query_sql
    with new_warehouse() as wh:
        wh.load_documents([load(text="地区生产总值增长6%。")], "l1")
        index = publish_search(wh.con, out)
        wh.load_documents([load(url="http://a.cn/t2.html", text="粮食产量增长2%。")], "l2")
        # the cutting statement failing part-way, as an out-of-memory error would
        monkeypatch.setattr(
            warehouse.search,
            "query_sql",
            lambda name: "SELECT no_such_column" if name == "search_passages.sql" else real(name),
        )
        for whole in (False, True):
            with pytest.raises(duckdb.Error):
                publish_search(wh.con, out, whole=whole)
    assert sorted(p.name for p in out.iterdir()) == ["search.duckdb"]
    assert search(index, "地区生产总值") and search(index, "粮食产量") == []


def test_an_index_whose_postings_outgrow_the_memory_limit_is_built(tmp_path, monkeypatch):
    # 200 reports of ~28,000 characters: ~4.6 million postings, several times the 32 MB the
    # index's connection may use (held in one transaction, they do not fit): cut, sorted and
    # written statement by statement, spilling to disk. (The index reads dim_document alike
    # from either backend: one is enough here.)
    monkeypatch.setenv("GOVREPORTS_DUCKDB_MEMORY_LIMIT", "32MB")
    line = "全年地区生产总值增长6%，固定资产投资增长8%，社会消费品零售总额增长5%。" * 20
    with Warehouse(tmp_path / "w.duckdb") as wh:
        for start in range(0, 200, 20):  # loads in batches, as a run makes them
            wh.load_documents(
                [
                    load(
                        url=f"http://a.cn/{i}.html", text="\n".join([line] * 40) + f"\n第{i}号报告"
                    )
                    for i in range(start, start + 20)
                ],
                "l1",
            )
        index = publish_search(wh.con, tmp_path / "parquet")
    con = duckdb.connect(str(index), read_only=True)
    held = con.execute("SELECT count(*) FROM postings").fetchone()[0]
    con.close()
    assert held > 4_000_000
    assert [h[2] for h in search(index, "第17号报告")][0] == "第17号报告"


def test_a_rewritten_or_removed_report_without_terms_is_forgotten(tmp_path, new_warehouse):
    # passages with no terms (punctuation only) have no postings; their document must still go
    out, whole = tmp_path / "parquet", tmp_path / "whole"
    with new_warehouse() as wh:
        wh.load_documents(
            [load(url="http://a.cn/1.html", text="……\n——"), load(url="http://a.cn/2.html")], "l1"
        )
        publish_search(wh.con, out)
        wh.load_documents([load(url="http://a.cn/1.html", text="……")], "l2")  # rewritten
        publish_search(wh.con, out)
        publish_search(wh.con, whole, whole=True)
        assert _index_rows(out / "search.duckdb") == _index_rows(whole / "search.duckdb")
        wh.con.execute("DELETE FROM dim_document WHERE url = 'http://a.cn/1.html'")  # removed
        publish_search(wh.con, out)
        publish_search(wh.con, whole, whole=True)
    assert _index_rows(out / "search.duckdb") == _index_rows(whole / "search.duckdb")


def test_an_index_another_duckdb_version_built_is_rebuilt(tmp_path, monkeypatch):
    # Latin terms are numbered by DuckDB's hash(), which another version may compute otherwise
    out = tmp_path / "parquet"
    with Warehouse(tmp_path / "w.duckdb") as wh:
        wh.load_documents([load(text="GDP增长6%。")], "l1")
        publish_parquet(wh.con, out)
        refresh_search(wh.con, out)
        assert [h[2] for h in search(out / "search.duckdb", "gdp")] == ["GDP增长6%。"]
        monkeypatch.setattr(duckdb, "__version__", "0.0.1")
        assert index_format(out / "search.duckdb") is None
        with pytest.raises(IndexOutdated, match="another version"):
            search(out / "search.duckdb", "gdp")
        assert refresh_search(wh.con, out) == out / "search.duckdb"  # rebuilt by this one
        assert [h[2] for h in search(out / "search.duckdb", "gdp")] == ["GDP增长6%。"]
