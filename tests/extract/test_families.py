"""Each portal family's adapter (extract/families) against a local replica of its platform's
page shapes (tests/replicas.py): every report listed is found across its paging, with its
date, and a report's attachment is fetched; replicas that misbehave as their platforms do
stop the walk cleanly."""

from __future__ import annotations

import pytest

from extract.discover import walk_listing
from extract.families import FAMILIES, ListingRequest, detect_family
from extract.fetch import fetch_report
from extract.http import HttpClient
from extract.rawstore import RawStore
from extract.sources import Source
from tests import replicas
from tests.faultserver import FaultServer

ITEMS = replicas.reports(11)  # six work reports, five notices
WORK_REPORTS = {(r.title, r.day.isoformat()) for r in ITEMS if "政府工作报告" in r.title}


@pytest.fixture
def server():
    s = FaultServer()
    yield s
    s.stop()


def source(server: FaultServer, start: str, family: str | None = None, **kw: object) -> Source:
    return Source(
        id="s",
        name="某县",
        region="某县",
        start_urls=(server.url + start,),
        allow_private=True,
        delay_seconds=0.0,
        title_include="政府工作报告",
        max_pages=kw.pop("max_pages", 20),  # type: ignore[arg-type]
        family=family,
        **kw,  # type: ignore[arg-type]
    )


def walk(server: FaultServer, start: str, family: str | None = None):
    client = HttpClient(backoff=0.01, max_retries=0)
    return walk_listing(source(server, start, family), client, known=set())


BUILDERS = {
    "trs": lambda s: replicas.trs_column(s, "/zwgk/zfgzbg", ITEMS),
    "hanweb": lambda s: replicas.hanweb_column(s, "", 1229063401, ITEMS),
    "gkmlpt": lambda s: replicas.gkmlpt_catalogue(s, "/yjzjj", 721, ITEMS),
    "query": lambda s: replicas.query_catalogue(s, "", ITEMS),
    "static": lambda s: replicas.static_list(s, "/gk", ITEMS),
}


@pytest.mark.parametrize("family", sorted(BUILDERS))
@pytest.mark.parametrize("named", [True, False], ids=["named", "recognised"])
def test_every_report_is_found_across_the_paging_with_its_date(server, family, named):
    start = BUILDERS[family](server)
    found = walk(server, start, family if named else None)
    assert found.families == [family]
    assert found.failed == 0, found.errors
    assert {(it.title, it.date) for it in found.items} == WORK_REPORTS
    assert len({it.url for it in found.items}) == len(WORK_REPORTS)


@pytest.mark.parametrize("family", sorted(BUILDERS))
def test_a_report_found_brings_its_attachment(server, family, tmp_path):
    start = BUILDERS[family](server)
    found = walk(server, start, family)
    newest = max(found.items, key=lambda it: it.date or "")
    client = HttpClient(backoff=0.01, max_retries=0)
    store = RawStore(tmp_path)
    report = fetch_report(source(server, start, family), newest, client, store)
    assert report.status == "fetched", report.error
    (attachment,) = report.attachments
    assert store.get(attachment.sha256).startswith(b"%PDF")


def test_hanweb_pages_through_its_data_proxy_with_the_columns_form(server):
    start = replicas.hanweb_column(server, "", 4158, ITEMS, per_page=2, inline=6)
    found = walk(server, start)
    assert found.pages == 2  # the column page (six records inline), then one proxy group
    ((path, form),) = server.posted
    assert path.startswith("/module/web/jpage/dataproxy.jsp?startrecord=7&endrecord=12")
    assert path.endswith("&perpage=2")
    assert (form["columnid"], form["unitid"], form["webid"]) == ("4158", "4868857", "3")
    assert form["webname"] == "某县" and form["permissiontype"] == "0"


def test_hanweb_without_inline_records_asks_the_proxy_from_the_first(server):
    start = replicas.hanweb_column(server, "", 77, ITEMS, per_page=2, inline=0)
    found = walk(server, start)
    assert {(it.title, it.date) for it in found.items} == WORK_REPORTS
    assert [p.split("&perpage")[0].split("?")[1] for p, _ in server.posted] == [
        "startrecord=1&endrecord=6",
        "startrecord=7&endrecord=12",
    ]


def test_a_hanweb_proxy_that_refuses_the_form_ends_the_walk_with_what_the_page_had(server):
    start = replicas.hanweb_column(server, "", 4158, ITEMS, per_page=2, inline=6)
    page = server.pages[start]
    server.pages[start] = lambda req: (  # the page names another column than its own
        lambda a: (a[0], a[1], a[2].replace(b"columnid=4158", b"columnid=9"))
    )(page(req))
    found = walk(server, start)
    assert len(found.items) == 3 and found.pages == 2  # the inline six hold three reports


def test_gkmlpt_without_a_site_id_lists_nothing_and_a_wrong_one_is_an_error(server):
    start = replicas.gkmlpt_catalogue(server, "", 5, ITEMS)
    server.pages["/gkmlpt/index"] = lambda req: (200, replicas.HTML, b"<html>maintenance</html>")
    found = walk(server, start, "gkmlpt")
    assert (found.items, found.pages, found.failed) == ([], 1, 0)
    read = FAMILIES["gkmlpt"].read(
        "<script>window._CONFIG = {SID: '1'}</script>", ListingRequest(server.url + start), start
    )
    assert read.more[0].url.endswith("/gkmlpt/api/all/5?page=1&sid=1")


def test_gkmlpt_dates_are_beijing_dates_and_http_addresses_follow_the_site(server):
    adapter = FAMILIES["gkmlpt"]
    text = (
        '{"total": 2, "articles": ['
        '{"title": "A县2024年政府工作报告", "url": "http://gov.example.cn/gkmlpt/content/1/2/post_2.html",'
        ' "first_publish_time": 1705593600},'
        '{"title": "B", "url": "https://elsewhere.example.org/x.html", "created_at": "2024-01-02"}]}'
    )
    request = ListingRequest("https://gov.example.cn/gkmlpt/api/all/3?page=1&sid=9")
    read = adapter.read(text, request, request.url)
    (item,) = read.items
    assert item.url == "https://gov.example.cn/gkmlpt/content/1/2/post_2.html"
    assert item.date == "2024-01-19"  # 2024-01-18 16:00 UTC is past midnight in Beijing
    assert read.refused == ("https://elsewhere.example.org/x.html",)
    assert read.more == () and read.total == 2
    assert adapter.read("not json", request, request.url).items == ()


def test_query_pages_stop_where_the_catalogue_repeats_its_last_page(server):
    start = replicas.query_catalogue(server, "", ITEMS)
    found = walk(server, start)
    pages = sorted(p for p in server.hits if p.startswith("/xxgk/iList.jsp"))
    assert pages[-1].endswith("pageIndex=4") and len(pages) == 4  # 11 items, 3 a page
    assert found.pages == 4


def test_query_pages_past_the_end_repeat_and_the_walk_stops_there(server):
    start = replicas.query_catalogue(server, "", ITEMS)
    page = server.pages["/xxgk/iList.jsp"]
    # a catalogue that hides its page count: past the end it answers its last page again
    server.pages["/xxgk/iList.jsp"] = lambda req: (
        lambda a: (a[0], a[1], a[2].replace("共 4 页".encode(), b""))
    )(page(req))
    found = walk(server, start)
    assert {(it.title, it.date) for it in found.items} == WORK_REPORTS
    assert found.pages == 5  # pages 1-4, then a fifth that repeats the fourth: stop


def test_trs_columns_announce_pages_in_each_of_their_forms():
    adapter = FAMILIES["trs"]
    base = "http://gov.example.cn/col/"
    for script in (
        'createPageHTML(3, 0, "index", "html");',
        "createPageHTML('page_div',3,0,'index','html',25);",
        'var countPage = 3//共多少页\ncreatePageHTML(countPage, currentPage, "index", "html");',
    ):
        read = adapter.read(
            f"<html><body><script>{script}</script></body></html>", ListingRequest(base), base
        )
        assert [r.url for r in read.more] == [base + "index_1.html", base + "index_2.html"]


def test_families_are_recognised_by_their_marks_in_the_page_or_its_address():
    assert detect_family("", "http://a.gov.cn/gkmlpt/index#12") == "gkmlpt"
    assert detect_family("<script>window._CONFIG = {SID: '1'}</script>") == "gkmlpt"
    assert detect_family("<a href='/art/2024/1/2/art_12_3.html'>") == "hanweb"
    assert detect_family("createPageHTML(2, 0, 'index', 'html')") == "trs"
    assert detect_family("", "http://a.gov.cn/iList.jsp?cat_id=3") == "query"
    assert detect_family("<p>plain</p>") == "unknown"
