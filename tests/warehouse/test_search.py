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
