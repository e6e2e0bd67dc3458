"""The presentation in a real browser: the keyboard walks the slides (→ / ←), the map slide draws
its base map offline, and nothing leaves the machine (the `page` fixture blocks and counts every
external request; the keyboard shortcuts are Streamlit's own, so no script is injected)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mag_data.present.deck import SLIDE_KEYS
from tests.browser.helpers import (
    assert_no_exception,
    screenshot,
    wait_for_app,
    wait_for_plotly_charts,
)

N = len(SLIDE_KEYS)  # slides of the whole deck

pytestmark = pytest.mark.browser

ILLUSTRATIVE = "Проекты — иллюстративные данные"


def _press(page: Page, key: str) -> None:
    page.keyboard.press(key)
    wait_for_app(page)


def test_arrow_keys_walk_the_presentation_and_the_map_draws_offline(page: Page) -> None:
    """→ turns "1 / N" into "2 / N" (the map, with its base map), ← goes back."""
    page.goto("/presentation")
    wait_for_app(page, initial_wait_ms=0)
    assert_no_exception(page)
    counter = page.locator(".st-key-pres_counter")
    slide = page.locator(".st-key-pres_slide")
    expect(counter).to_have_text(f"1 / {N}")
    expect(slide).to_contain_text("Международная ассамблея столиц и крупных городов")
    screenshot(page, "presentation-1-title", full_page=False)

    _press(page, "ArrowRight")
    expect(counter).to_have_text(f"2 / {N}")
    expect(slide).to_contain_text("Города — члены МАГ на карте")
    assert wait_for_plotly_charts(page) == 1  # geo chart: waits for the offline base map layers
    screenshot(page, "presentation-2-map", full_page=False)

    _press(page, "ArrowRight")
    expect(counter).to_have_text(f"3 / {N}")
    _press(page, "ArrowLeft")
    _press(page, "ArrowLeft")
    expect(counter).to_have_text(f"1 / {N}")
    _press(page, "ArrowLeft")  # the first slide stays first
    expect(counter).to_have_text(f"1 / {N}")
    assert not page.js_errors, page.js_errors  # type: ignore[attr-defined]


def test_project_slides_carry_the_illustrative_footer(page: Page) -> None:
    """The map slide does not mention illustrative data; the cooperation-areas slide does."""
    page.goto("/presentation")
    wait_for_app(page, initial_wait_ms=0)
    counter = page.locator(".st-key-pres_counter")
    slide = page.locator(".st-key-pres_slide")
    _press(page, "ArrowRight")
    expect(counter).to_have_text(f"2 / {N}")
    expect(slide).not_to_contain_text(ILLUSTRATIVE)
    _press(page, "ArrowRight")
    _press(page, "ArrowRight")
    expect(counter).to_have_text(f"4 / {N}")
    expect(slide).to_contain_text("Проекты по направлениям сотрудничества")
    expect(slide).to_contain_text(ILLUSTRATIVE)
    wait_for_plotly_charts(page)
    screenshot(page, "presentation-4-areas", full_page=False)
