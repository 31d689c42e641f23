"""The catalogue of real report columns (deploy/sources/, one file per province) is data the
suite validates: ids, families, regions resolving in the gazetteer with their codes, addresses,
evidence; and `sources check` reports on every entry against local replicas of its family."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from extract.check import check_source
from extract.families import FAMILIES
from extract.http import HttpClient
from extract.sources import LEVELS, Selection, load_sources, parse_sources
from tests import replicas
from tests.faultserver import FaultServer
from transform.gazetteer import resolve

CATALOGUE = Path(__file__).parents[2] / "deploy" / "sources"
SOURCES = load_sources(CATALOGUE)
# the catalogue only grows: an entry dropped must be dropped on purpose, here
MIN_ENTRIES = 214
_EVIDENCE = re.compile(r"https?://\S+|file id \d+|find_string id \d+|R-SCRIPT")


def test_the_catalogue_holds_every_provincial_government_and_grows_only():
    assert len(SOURCES) >= MIN_ENTRIES
    provincial = {s.region for s in SOURCES if s.level == "province"}
    assert len(provincial) == 31
    assert len({s.province for s in SOURCES}) == 31


def test_no_two_entries_crawl_one_column():
    columns = Counter(
        re.sub(r"^https?://", "", u).rstrip("/").lower() for s in SOURCES for u in s.start_urls
    )
    assert [c for c, n in columns.items() if n > 1] == []


def test_an_id_prefix_names_one_province():
    # `hb-` is 湖北, `he-` 河北: a prefix shared by two provinces would make ids lie
    provinces_of: dict[str, set[str]] = {}
    for s in SOURCES:
        prefix = s.id.split("-")[0]
        if prefix != "zone":
            provinces_of.setdefault(prefix, set()).add(s.province)
    assert {p: v for p, v in provinces_of.items() if len(v) > 1} == {}


def test_each_file_holds_one_province():
    for file in sorted(CATALOGUE.glob("*.toml")):
        provinces = {s.province for s in load_sources(file)}
        assert len(provinces) == 1, (file.name, provinces)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.id)
def test_an_entry_is_well_formed_and_its_region_resolves_with_its_code(source):
    assert re.fullmatch(r"[a-z]{2,4}(-[a-z0-9]+)+", source.id), source.id
    assert source.level in LEVELS and source.province and source.family
    assert source.family in (*FAMILIES, "unknown")
    for url in source.start_urls:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.hostname, url
        assert parts.hostname.endswith(".gov.cn") and " " not in url, url
        assert not parts.fragment or source.family == "gkmlpt", url
    if source.family == "hanweb":
        assert all(re.search(r"/col/col\d+/", u) for u in source.start_urls)
    if source.family == "gkmlpt":
        assert all("/gkmlpt/" in u for u in source.start_urls)
    assert _EVIDENCE.search(source.evidence or ""), "evidence names where the address was seen"
    province = resolve(source.province, source.province)
    assert province is not None and province.level == "province"
    if source.level == "zone":
        host = resolve(source.parent_region or "", source.province)
        assert host is not None and host.code, "a zone names the city or county it sits in"
        return
    region = resolve(source.region, source.province, source.parent_region)
    assert region is not None and region.code.startswith(province.code[:2])
    expected = {"county": ("county", "district")}.get(source.level, (source.level,))
    if source.level == "district":
        expected = ("district", "county")  # 新区 and 城区 are 市辖区 by code, not by name
    assert region.level in expected, (region, source.level)


def test_selection_by_level_and_province_serves_one_catalogue_to_many_users():
    zones = Selection(levels=("zone",)).apply(SOURCES)
    assert zones and all(s.level == "zone" for s in zones)
    chosen = Selection(levels=("county", "district"), provinces=("浙江省",)).apply(SOURCES)
    assert chosen and {(s.province, s.level in ("county", "district")) for s in chosen} == {
        ("浙江省", True)
    }
    by_level = Counter(s.level for s in SOURCES)
    assert sum(by_level.values()) == len(SOURCES)


@pytest.fixture(scope="module")
def replica_catalogue():
    """Every catalogue entry pointed at a replica of its family on one local server."""
    server = FaultServer()
    local = []
    for s in SOURCES:
        family = s.family if s.family in FAMILIES else "static"
        start = replicas.replica_of(server, family, s.start_urls[0], f"/{s.id}")
        local.append(
            replace(s, start_urls=(server.url + start,), allow_private=True, delay_seconds=0.0)
        )
    yield local
    server.stop()


def test_sources_check_reports_ok_on_the_whole_catalogue_against_replicas(replica_catalogue):
    client = HttpClient(backoff=0.01, max_retries=0)
    results = {s.id: check_source(s, client) for s in replica_catalogue}
    bad = {i: (r.verdict, r.reason) for i, r in results.items() if r.verdict != "ok"}
    assert not bad
    for source in replica_catalogue:
        result = results[source.id]
        if source.family in FAMILIES:
            assert result.family == source.family, source.id
        assert result.report_like >= 1 and result.newest == "2024-01-18", source.id


def test_a_catalogue_folder_rejects_an_id_two_files_share(tmp_path):
    entry = '[[sources]]\nid = "x-a"\nname = "n"\nregion = "r"\nstart_urls = ["http://a.gov.cn/"]\n'
    (tmp_path / "a.toml").write_text(entry, "utf-8")
    (tmp_path / "b.toml").write_text(entry, "utf-8")
    with pytest.raises(ValueError, match="also in a.toml"):
        load_sources(tmp_path)
    (tmp_path / "b.toml").unlink()
    assert [s.id for s in load_sources(tmp_path)] == ["x-a"]
    with pytest.raises(ValueError, match="family"):
        parse_sources(entry.replace('name = "n"', 'name = "n"\nfamily = "wordpress"'))


def test_the_scale_out_groups_take_the_whole_catalogue_once():
    import yaml

    spec = yaml.safe_load((CATALOGUE.parent / "prefect.scale.yaml").read_text("utf-8"))
    taken: list[str] = []
    for deployment in spec["deployments"]:
        provinces = tuple(deployment["parameters"]["only_provinces"])
        taken += [s.id for s in Selection(provinces=provinces).apply(SOURCES)]
    assert sorted(taken) == sorted(s.id for s in SOURCES)
