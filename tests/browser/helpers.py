"""Helpers for the browser tests (Playwright sync API against a live `streamlit run`).

Streamlit publishes its run state on the root element:

    <div data-testid="stApp" data-test-connection-state="CONNECTED"
         data-test-script-state="notRunning">

`data-test-script-state` goes initial -> running -> notRunning on every (re)run, so waiting for
`notRunning` means "the script has finished". Adapted from streamlit/streamlit's own
e2e_playwright/conftest.py (`wait_for_app_run` / `wait_for_app_loaded`).
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = REPO_ROOT / "test-output"
SCREENSHOT_DIR = OUTPUT_DIR / "screenshots"

# Headless Chromium flags verified on this kind of machine (shared/STACK_NOTES.md): without the
# background-networking ones Chromium calls out at start; used by the tests and the benchmark.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

#: The editors' shared password of the test server (conftest.app_url): sign in with ``sign_in``.
EDITOR_PASSWORD = "секрет-МАГ-браузер"

DEFAULT_TIMEOUT_MS = 30_000
#: Streamlit debounces some widget updates (~200 ms) before a rerun starts; after an interaction,
#: wait past that so we do not see the *previous* run's "notRunning" state.
INITIAL_WAIT_MS = 210


def wait_for_app(
    page: Page,
    *,
    timeout_ms: int = DEFAULT_TIMEOUT_MS,
    initial_wait_ms: int = INITIAL_WAIT_MS,
) -> None:
    """Block until the app is connected, its script has finished running and nothing is pending.

    Call after `page.goto(...)` and after any interaction that triggers a rerun (click, select,
    type + Enter, ...), before asserting on the result.
    """
    if initial_wait_ms > 0:
        page.wait_for_timeout(initial_wait_ms)
    app = page.locator("[data-testid='stApp']")
    app.wait_for(state="attached", timeout=timeout_ms)
    # The websocket to the Streamlit server is up.
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout_ms
    )
    # The script has finished its run.
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout_ms
    )
    # The "Running..." indicator in the toolbar is gone.
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=timeout_ms)
    # No loading skeletons left: every element has actually rendered.
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout_ms)


def wait_for_plotly_charts(page: Page, *, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> int:
    """Wait until every `st.plotly_chart` on the page has drawn its SVG; return how many there are.

    plotly.js draws asynchronously after the script run finished (and geo charts only after
    their topojson loaded), so `wait_for_app` alone is not enough before inspecting a chart.
    """
    charts = page.get_by_test_id("stPlotlyChart")
    n = charts.count()
    for i in range(n):
        expect(charts.nth(i).locator(".main-svg").first).to_be_attached(timeout=timeout_ms)
    # A geo subplot draws its base-map layers (<g class="layer coastlines"><path>...) only once
    # the topojson has loaded; with the offline files missing they stay empty. (A map that turns
    # off coastlines, land, countries and subunits alike would never match.)
    geos = page.locator("[data-testid='stPlotlyChart'] g.geo")
    base_map = ", ".join(
        f"g.layer.{layer} path" for layer in ("coastlines", "land", "countries", "subunits")
    )
    for i in range(geos.count()):
        expect(geos.nth(i).locator(base_map).first).to_be_attached(timeout=timeout_ms)
    return n


def assert_no_exception(page: Page) -> None:
    """Fail if the app shows any `st.exception` box (uncaught errors in the script render one)."""
    boxes = page.get_by_test_id("stException")
    n = boxes.count()
    if n:
        texts = [boxes.nth(i).inner_text() for i in range(n)]
        joined = "\n---\n".join(t.strip() for t in texts)
        raise AssertionError(f"the app shows {n} exception box(es):\n{joined}")


#: Streamlit's document never scrolls: the main area and the sidebar are their own scroll
#: containers, so Playwright's `full_page` alone captures only the viewport.
_CONTENT_HEIGHT_JS = """() => Math.max(
    document.documentElement.scrollHeight,
    ...["stMain", "stSidebarContent"].map(
        (id) => document.querySelector(`[data-testid="${id}"]`)?.scrollHeight ?? 0))"""
#: Chromium refuses taller captures.
_MAX_SCREENSHOT_HEIGHT = 16_000


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page to test-output/screenshots/<name>.png and return its path.

    With `full_page` the viewport is stretched to the height of the app's content (main area or
    sidebar, whichever is taller) for the capture and restored afterwards.
    """
    safe = re.sub(r"[^\w.-]+", "_", name).strip("_") or "screenshot"
    path = SCREENSHOT_DIR / f"{safe}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    height = int(page.evaluate(_CONTENT_HEIGHT_JS)) if full_page and viewport else 0
    if viewport and height > viewport["height"]:
        tall = min(height, _MAX_SCREENSHOT_HEIGHT)
        page.set_viewport_size({"width": viewport["width"], "height": tall})
        try:
            page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(viewport)
    else:
        page.screenshot(path=str(path), full_page=full_page)
    return path


def sign_in(page: Page, name: str = "Анна") -> None:
    """Sign in on the data page (already open) with the test server's editor password."""
    form = page.get_by_test_id("stForm")
    form.locator("input[type='text']").fill(name)
    form.locator("input[type='password']").fill(EDITOR_PASSWORD)
    page.get_by_test_id("stBaseButton-secondaryFormSubmit").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stFileUploader")).to_be_visible()
