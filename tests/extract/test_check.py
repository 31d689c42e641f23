"""First contact (extract/check.py, `govreports sources check`) against local replicas of the
portal families' page shapes, written by the team from the platforms' observed structure:
the family is recognised, report links and paging counted, and each source gets a verdict."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from extract.check import check_source
from extract.families import detect_family
from extract.http import HttpClient
from extract.sources import parse_sources
from tests.faultserver import FaultServer

HTML = {"Content-Type": "text/html; charset=utf-8"}
TRS = (
    "<html><body><ul>"
    "<li><a href='./202401/t20240118_123.html'>某市2024年政府工作报告</a><span>2024-01-18</span></li>"
    "<li><a href='./202301/t20230115_99.html'>某市2023年政府工作报告</a><span>2023-01-15</span></li>"
    "<li><a href='./202305/t20230520_7.html'>关于开展安全检查的通知</a><span>2023-05-20</span></li>"
    '</ul><script>createPageHTML(4, 0, "index", "html");</script></body></html>'
)
# a 大汉 jcms column: no article links in the page, records come from dataproxy.jsp
HANWEB = (
    "<html><body><div id='4158'><script type='text/xml'><datastore><nextgroup><![CDATA["
    "<a href='/module/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=4158'>"
    "</a>]]></nextgroup></datastore></script></div>"
    "<a href='/col/col4158/index.html'>政府工作报告</a></body></html>"
)
# a 大汉 jcms column whose first page of records sits inline in its datastore
HANWEB_INLINE = (
    "<html><body><div id='4159'><script type='text/xml'><datastore><recordset>"
    "<record><![CDATA[<li><a href='/art/2024/1/18/art_4159_321.html' target='_blank' "
    "title='某县2024年政府工作报告'>某县2024年政府工作报告</a><span>2024-01-18</span></li>]]></record>"
    "<record><![CDATA[<li><a href='/art/2023/1/16/art_4159_201.html'>某县2023年政府工作报告</a>"
    "<span>2023-01-16</span></li>]]></record>"
    "</recordset></datastore></script></div></body></html>"
)
STATIC = (
    "<html><body><div class='list'>"
    "<a href='/zwgk/a/2024-01-20/x1.html'>某县2024年政府工作报告</a> 2024-01-20"
    "</div></body></html>"
)
NOTHING = "<html><body><p>栏目建设中</p></body></html>"


@pytest.fixture
def portal():
    server = FaultServer()
    server.routes["/trs/index.html"] = lambda n: (200, HTML, TRS.encode())
    server.routes["/hanweb/col/col4158/index.html"] = lambda n: (200, HTML, HANWEB.encode())
    server.routes["/static/list.html"] = lambda n: (200, HTML, STATIC.encode())
    server.routes["/inline/col/col4159/index.html"] = lambda n: (200, HTML, HANWEB_INLINE.encode())
    server.routes["/empty/index.html"] = lambda n: (200, HTML, NOTHING.encode())
    server.routes["/broken/index.html"] = lambda n: (500, {}, b"")
    server.routes["/robots.txt"] = lambda n: (200, {}, b"User-agent: *\nDisallow: /private/\n")
    server.routes["/private/index.html"] = lambda n: (200, HTML, TRS.encode())
    yield server
    server.stop()


def sources_toml(server: FaultServer) -> str:
    paths = {
        "trs": "/trs/index.html",
        "hanweb": "/hanweb/col/col4158/index.html",
        "static": "/static/list.html",
        "inline": "/inline/col/col4159/index.html",
        "empty": "/empty/index.html",
        "broken": "/broken/index.html",
        "private": "/private/index.html",
    }
    return "".join(
        f'[[sources]]\nid = "{sid}"\nname = "{sid}"\nregion = "某市"\n'
        f'start_urls = ["{server.url}{path}"]\nallow_private = true\ndelay_seconds = 0.0\n'
        for sid, path in paths.items()
    )


def test_each_family_is_recognised_and_gets_its_verdict(portal):
    client = HttpClient(max_retries=0, backoff=0.01)
    results = {s.id: check_source(s, client) for s in parse_sources(sources_toml(portal))}
    trs = results["trs"]
    assert (trs.verdict, trs.family, trs.items, trs.report_like, trs.pages) == (
        "ok",
        "trs",
        3,
        2,
        3,
    )
    assert trs.newest == "2024-01-18" and trs.examples[0] == "某市2024年政府工作报告"
    hanweb = results["hanweb"]
    assert (hanweb.verdict, hanweb.family) == ("needs selectors", "hanweb")
    assert "data request" in hanweb.reason
    assert (results["static"].verdict, results["static"].family) == ("ok", "unknown")
    inline = results["inline"]  # records inline in the datastore: read like any list
    assert (inline.verdict, inline.family, inline.report_like, inline.newest) == (
        "ok",
        "hanweb",
        2,
        "2024-01-18",
    )
    assert results["empty"].verdict == "needs selectors"
    assert results["broken"].verdict == "unreachable" and "500" in results["broken"].reason
    assert results["private"].verdict == "refused by robots"


def test_family_marks():
    assert detect_family("<a href='/gkmlpt/content/5/5123/post_5123.html'>") == "gkmlpt"
    assert detect_family("<form action='iList.jsp?cat_id=1'>") == "query"
    assert detect_family("<p>nothing</p>") == "unknown"


def test_the_command_prints_a_table_or_json_and_exits_1_when_a_source_needs_work(portal, tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(sources_toml(portal), "utf-8")
    run = [sys.executable, "-m", "flows.cli", "sources", "check", str(sources)]
    res = subprocess.run(
        [*run, "--format", "json", "--workers", "4"], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 1, res.stderr
    checked = json.loads(res.stdout)  # checked four at a time, reported in the file's order
    assert [r["source_id"] for r in checked] == [s.id for s in parse_sources(sources.read_text())]
    verdicts = {r["source_id"]: r["verdict"] for r in checked}
    assert verdicts["trs"] == "ok" and verdicts["broken"] == "unreachable"
    only = subprocess.run([*run, "--only", "trs"], capture_output=True, text=True, timeout=120)
    assert only.returncode == 0 and only.stdout.splitlines()[0].split()[:3] == [
        "source",
        "verdict",
        "family",
    ]
    assert "trs" in only.stdout.splitlines()[2]
    missing = subprocess.run([*run, "--only", "nope"], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "no source with id nope" in missing.stderr
