from dataclasses import replace

from tests.warehouse.test_store import fact, load
from transform.indicators import default_catalogue
from warehouse.quality import blocking, run_checks


def test_clean_load_passes_every_check(tmp_path, new_warehouse):
    with new_warehouse() as wh:
        wh.upsert_indicators(default_catalogue(), "l")
        wh.load_documents([load()], "l")
        results = run_checks(wh.con)
    assert len(results) >= 8 and all(r.passed for r in results)


def test_bad_rows_fail_the_gate(tmp_path, new_warehouse):
    bad = [
        fact(6.0),
        replace(fact(5000.0, start=20), indicator="no_such_code"),
        replace(fact(3.0, start=40), qualifier="maybe"),
        replace(fact(2.0, start=60), year=1990),
        replace(fact(4.0, start=80), year_basis="unknown"),  # a year that says it has none
    ]
    with new_warehouse() as wh:
        wh.upsert_indicators(default_catalogue(), "l")
        wh.load_documents([load(facts=bad)], "l")
        results = {r.name: r for r in run_checks(wh.con)}
    assert results["facts_indicator_exists"].failing == 1
    assert results["facts_allowed_values"].failing == 2
    assert (
        results["facts_growth_plausible"].failing == 1
        and results["facts_growth_plausible"].severity == "warn"
    )
    assert results["facts_year_near_report"].failing == 1
    assert {r.name for r in blocking(list(results.values()))} == {
        "facts_indicator_exists",
        "facts_allowed_values",
    }
    assert results["facts_indicator_exists"].sample


def test_shrinking_past_the_tolerance_against_what_is_published_is_an_error(tmp_path):
    from warehouse.publish import publish_parquet
    from warehouse.quality import shrink_check
    from warehouse.store import Warehouse

    facts = [fact(float(i), start=i * 20) for i in range(40)]
    with Warehouse(tmp_path / "w.duckdb") as wh:
        assert shrink_check(wh.con, tmp_path / "parquet").passed  # nothing published yet
        wh.load_documents([load(facts=facts)], "l1")
        publish_parquet(wh.con, tmp_path / "parquet")
        wh.load_documents([load(facts=facts[:39])], "l2")  # one fact of 40 gone: 2.5%
        assert shrink_check(wh.con, tmp_path / "parquet").passed
        wh.load_documents([load(facts=facts[:30])], "l3")  # a quarter gone
        check = shrink_check(wh.con, tmp_path / "parquet")
        assert blocking([check]) == [check]
        assert check.sample == (("fct_indicator_value", 40, 30),)


def test_a_document_stored_twice_fails_the_gate(tmp_path, new_warehouse):
    # no index keeps document keys unique (a checkpoint would rewrite every text): the loader
    # does, and the gate holds it to that
    with new_warehouse() as wh:
        wh.upsert_indicators(default_catalogue(), "l")
        wh.load_documents([load()], "l")
        wh.load_documents([load()], "l2")  # a reload replaces the row
        assert all(r.passed for r in run_checks(wh.con))
        wh.con.execute("INSERT INTO dim_document SELECT * FROM dim_document")
        results = {r.name: r for r in run_checks(wh.con)}
    assert results["documents_key_unique"].failing == 1
    assert "documents_key_unique" in {r.name for r in blocking(list(results.values()))}
