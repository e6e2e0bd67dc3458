"""The Chronicle page in a real browser, offline, on the bundled (real, sourced) chronicle:
it loads with its note on sourced facts, draws the timeline and the map of the four places the
sources name (Moscow, Ufa, Astana, Tiraspol), and lists every source as a link."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    assert_no_exception,
    screenshot,
    wait_for_app,
    wait_for_plotly_charts,
)

pytestmark = pytest.mark.browser

HOST_PLACES = 4  # Moscow, Ufa, Astana, Tiraspol


def test_chronicle_page_draws_timeline_map_and_sources_offline(page: Page) -> None:
    """The Russian page: title, the search-date note, two charts, one map marker per place."""
    page.goto("/chronicle")
    wait_for_app(page, initial_wait_ms=0)
    assert wait_for_plotly_charts(page) >= 2
    assert_no_exception(page)
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("Хроника")
    expect(page.get_by_text("2026-12-02", exact=False).first).to_be_visible()
    markers = page.locator(".st-key-chron_map g.trace.scattergeo path.point")
    expect(markers).to_have_count(HOST_PLACES)
    expect(page.locator(".st-key-chron_timeline g.trace.scatter path.point").first).to_be_visible()
    screenshot(page, "page-chronicle")


def test_chronicle_in_english_opens_an_events_details(page: Page) -> None:
    """?lang=en: the English title; the details show the chosen event's sources as links."""
    page.goto("/chronicle?lang=en")
    wait_for_app(page, initial_wait_ms=0)
    wait_for_plotly_charts(page)
    assert_no_exception(page)
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("Chronicle")
    expect(page.get_by_test_id("stMain").locator("a[href^='https://']").first).to_be_attached()
