import pytest

from extract.sources import SourceConfigError, load_sources, parse_sources

GOOD = """
[[sources]]
id = "city-a"
name = "A市政府信息公开"
region = "A市"
start_urls = ["http://gov.a.cn/xxgk/gzbg/index.html"]
max_pages = 3
"""


def test_good_source():
    (s,) = parse_sources(GOOD)
    assert s.id == "city-a" and s.max_pages == 3 and not s.allow_private
    assert s.allowed_hosts == frozenset({"gov.a.cn"})


@pytest.mark.parametrize(
    "entry, message",
    [
        ('id = "x"\nname = "n"\nregion = "r"', "#2 (id 'x'): missing required field 'start_urls'"),
        (
            'id = "x"\nname = "n"\nregion = "r"\nstart_urls = []',
            "field 'start_urls' must list at least one URL",
        ),
        (
            'id = "x"\nname = "n"\nregion = "r"\nstart_urls = ["ftp://a.cn/"]',
            "non-http(s) URL 'ftp://a.cn/'",
        ),
        (
            'id = "x"\nname = "n"\nregion = "r"\nstart_urls = ["http://a.cn/"]\nmax_pages = "3"',
            "field 'max_pages' has the wrong type (str)",
        ),
        (
            'id = "x"\nname = "n"\nregion = "r"\nstart_urls = ["http://a.cn/"]\nstart_url = "x"',
            "unknown field 'start_url'",
        ),
        (
            'id = "x"\nname = "n"\nregion = "r"\nstart_urls = ["http://a.cn/"]\ntitle_include = "(["',
            "field 'title_include' is not a valid regex",
        ),
    ],
)
def test_bad_entries_name_entry_and_field(entry, message):
    with pytest.raises(SourceConfigError) as err:
        parse_sources(GOOD + "\n[[sources]]\n" + entry, "s.toml")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_bad_files(tmp_path):
    with pytest.raises(SourceConfigError, match="cannot read sources file"):
        load_sources(tmp_path / "missing.toml")
    with pytest.raises(SourceConfigError, match="not valid TOML"):
        parse_sources("[[sources]\nid=")
    with pytest.raises(SourceConfigError, match="no \\[\\[sources\\]\\] entries"):
        parse_sources("title = 'x'")
    with pytest.raises(SourceConfigError, match="duplicate source id 'city-a'"):
        parse_sources(GOOD + GOOD)


def test_selectors_are_checked():
    base = 'id = "x"\nname = "n"\nregion = "r"\nstart_urls = ["http://a.cn/"]\n'
    (s,) = parse_sources(
        "[[sources]]\n" + base + "item_xpath = \"//ul[@class='list']//a\"\nrevisit_days = 7\n"
    )
    assert s.item_xpath and s.revisit_days == 7
    with pytest.raises(SourceConfigError, match="field 'item_xpath' is not a valid XPath"):
        parse_sources("[[sources]]\n" + base + 'item_xpath = "//ul[@class="\n')
    with pytest.raises(SourceConfigError, match="field 'revisit_days' must not be negative"):
        parse_sources("[[sources]]\n" + base + "revisit_days = -1\n")


def test_shipped_catalogue_is_valid():
    from pathlib import Path

    sources = load_sources(Path(__file__).parents[2] / "deploy" / "sources")
    assert len(sources) >= 150
    assert all(not s.allow_private and s.delay_seconds >= 1 for s in sources)


def test_a_sources_file_that_is_not_text_is_a_config_error(tmp_path):
    from extract.sources import SourceConfigError, load_sources

    garbage = tmp_path / "sources.toml"
    garbage.write_bytes(b"\xab\xff\x00" * 50)
    with pytest.raises(SourceConfigError, match="not a UTF-8 text file"):
        load_sources(garbage)
