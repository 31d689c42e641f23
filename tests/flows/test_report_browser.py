"""The visual report (warehouse/report.py) as a person sees it: rendered by a real headless
Chromium from the demo data (made-up consecutive years included), with no console errors, no
request leaving the file, and charts that are not blank."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extract.http import HttpClient
from extract.rawstore import RawStore
from extract.sources import parse_sources
from flows.demo.site import DemoSite
from flows.stages import crawl_source, load_results
from transform.indicators import default_catalogue
from warehouse.publish import publish_parquet
from warehouse.report import write_report
from warehouse.store import Warehouse

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "report.png"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    site, _ = DemoSite.from_corpus(made_up=True)
    site.start()
    try:
        with Warehouse(data / "warehouse.duckdb") as wh:
            wh.upsert_indicators(default_catalogue(), "l1")
            wh.start_load("l1", None)
            sources = parse_sources(site.sources_toml())
            wh.upsert_sources(sources, "l1")
            for source in sources:
                result = crawl_source(source, HttpClient(), RawStore(data / "raw"), set())
                load_results(wh, result, "l1")
            wh.finish_load("l1", "completed", {"totals": {}})
            publish_parquet(wh.con, data / "parquet")
    finally:
        site.stop()
    return write_report(data / "parquet")


def test_the_report_is_self_contained_and_shows_targets_met_and_missed(report):
    page = report.read_text("utf-8")
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert not re.search(r"""(?:src|href)=["']?(?!#)[a-z]+://[^"']*\.(?:js|css|woff2?)""", page)
    assert page.count("<svg") >= 4  # attainment, coverage, sources, dating
    assert "met 达成" in page and "missed 未达成" in page
    assert "示例县" in page and "地区生产总值" in page
    # every number's sentence links to the page it came from
    assert re.search(r'<a href="http://127\.0\.0\.1:\d+/xxgk/sample/', page)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")
def test_headless_chromium_renders_the_report_without_errors_and_not_blank(report, tmp_path):
    from PIL import Image

    shot = tmp_path / "report.png"
    run = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,1800",
            f"--screenshot={shot}",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 1800)
    # the attainment chart's band: its dots in the status colours, not a blank page
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 200
    pixels = {rgb for _, rgb in colours}
    greens = [p for p in pixels if p[1] > p[0] + 50 and p[1] > p[2] + 50]
    reds = [p for p in pixels if p[0] > p[1] + 80 and p[0] > p[2] + 80]
    assert greens and reds  # met and missed targets drawn
    if os.environ.get("GOVREPORTS_UPDATE_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copy(shot, SCREENSHOT)
