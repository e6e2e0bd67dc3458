"""Smoke test: the app loads in a real browser without errors and without leaving the machine."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import (
    assert_no_exception,
    screenshot,
    wait_for_app,
    wait_for_plotly_charts,
)

pytestmark = pytest.mark.browser


def test_app_root_loads(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    wait_for_app(page, initial_wait_ms=0)
    assert_no_exception(page)
    wait_for_plotly_charts(page)  # geo charts: proves the offline base maps loaded
    screenshot(page, "smoke-root")
    js_errors = page.js_errors  # type: ignore[attr-defined]
    assert not js_errors, f"uncaught JavaScript errors: {js_errors}"
