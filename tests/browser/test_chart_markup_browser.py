"""A register whose names are markup draws them as text: no live link, no restyled chart.

The app is served on a copy of the bundled register in which a member is called
``<a href="https://x">Сухуми</a>``, another ``<span style="font-size:90px">Москва</span>`` and
a country ``<b>Казахстан</b>``; the overview (map, bars) must draw no ``<a>`` inside a plot and
no element with that font size, and must show the names as written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser

from mag_data import config
from tests.browser.conftest import (
    REPO_ROOT,
    _app_script,
    _free_port,
    _health_ok,
    _python,
    _stop,
    is_local_url,
)
from tests.browser.helpers import screenshot, wait_for_app, wait_for_plotly_charts

pytestmark = pytest.mark.browser

LINK_NAME = '<a href="https://x">Сухуми</a>'
BIG_NAME = '<span style="font-size:90px">Москва</span>'


def _hostile_register(folder: Path) -> Path:
    for path in config.DATA_DIR.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    members = pd.read_csv(folder / "members.csv", dtype=str, keep_default_na=False)
    members.loc[members["id"] == "sukhumi", ["name_ru", "name_en"]] = LINK_NAME
    members.loc[members["id"] == "moscow", ["name_ru", "name_en"]] = BIG_NAME
    kz = members["country_id"] == "kazakhstan"
    members.loc[kz, ["country_ru", "country_en"]] = "<b>Казахстан</b>"
    members.to_csv(folder / "members.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = _hostile_register(tmp_path_factory.mktemp("hostile_register"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.mktemp("log") / "server.log").open("wb")
    proc = subprocess.Popen(
        [_python(), "-m", "streamlit", "run", str(_app_script()),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True, env={**os.environ, "MAG_DATA_DIR": str(folder)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while not _health_ok(f"{base}/_stcore/health"):
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield base
    finally:
        _stop(proc)
        log.close()


def test_names_that_are_markup_are_drawn_as_text(browser: Browser, hostile_url: str) -> None:
    context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="ru-RU")
    external: list[str] = []

    def guard(route, request) -> None:  # type: ignore[no-untyped-def]
        if is_local_url(request.url):
            route.continue_()
        else:
            external.append(request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    page = context.new_page()
    try:
        for path in ("/", "/map"):
            page.goto(hostile_url + path)
            wait_for_app(page)
            assert wait_for_plotly_charts(page) >= 1
            plots = page.locator("[data-testid='stPlotlyChart']")
            assert plots.locator("a").count() == 0, "a register name became a link"
            big = page.evaluate(
                """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'] *")]
                     .filter(e => (e.getAttribute('style') || '').includes('90px')
                                  || getComputedStyle(e).fontSize === '90px').length"""
            )
            assert big == 0, "a register name restyled a chart"
            screenshot(page, f"markup-names{path.replace('/', '-') or '-root'}")
        # The names are there, as written (the bars of the overview name the countries).
        page.goto(hostile_url + "/")
        wait_for_app(page)
        wait_for_plotly_charts(page)
        texts = page.locator("[data-testid='stPlotlyChart'] svg text").all_text_contents()
        assert any("<b>Казахстан</b>" in t for t in texts)
        assert not external, external
    finally:
        context.close()
