"""Cross-filtering in the real browser: clicking a chart narrows the view or opens a profile."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_exception, wait_for_app, wait_for_plotly_charts

pytestmark = pytest.mark.browser


def _click_centre(page: Page, locator) -> None:
    """Click where a chart element is drawn: plotly listens on the layer above its shapes."""
    box = locator.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _open(page: Page, path: str) -> None:
    page.goto(path)
    wait_for_app(page, initial_wait_ms=0)
    wait_for_plotly_charts(page)
    assert_no_exception(page)


def test_clicking_a_country_bar_filters_by_that_country(page: Page) -> None:
    """On the countries page, clicking Kazakhstan's bar (10 members) sets the country filter."""
    _open(page, "/countries?lang=en")
    bars = page.locator(".st-key-countries_bars")
    kazakhstan = bars.locator("g.trace.bars g.point").filter(
        has=page.locator("text.bartext", has_text=re.compile(r"^10$"))
    )
    expect(kazakhstan).to_have_count(1)
    _click_centre(page, kazakhstan.locator("path"))
    expect(page).to_have_url(re.compile(r"[?&]country=kazakhstan(&|$)"))
    wait_for_app(page)
    expect(page.locator(".st-key-f_countries")).to_contain_text("Kazakhstan")
    assert_no_exception(page)


def test_clicking_a_city_on_the_map_opens_its_profile(page: Page) -> None:
    """With Armenia chosen the map has one marker, Yerevan; clicking it opens Yerevan's profile."""
    _open(page, "/map?country=armenia")
    marker = page.locator(".st-key-map_chart g.trace.scattergeo path.point")
    expect(marker).to_have_count(1)
    _click_centre(page, marker)
    expect(page).to_have_url(re.compile(r"/city\?(.*&)?profile=yerevan(&|$)"))
    wait_for_app(page)
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("Профиль города")
    expect(page.locator(".st-key-city_select input")).to_have_value("Ереван")
    assert_no_exception(page)
