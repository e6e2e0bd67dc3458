"""The dashboard where it is used: on projectors (1920×1080, 1280×720, 1024×768), in the
presentation's full-screen show, and on a phone (390×844), in both languages. Nothing is cut,
nothing overflows, nothing scrolls sideways, and the show fits the screen without scrolling.

Every context here blocks (and counts) requests that leave the machine, as the `page` fixture
does; the measures are taken in the DOM after the charts have drawn.
"""

from __future__ import annotations

import re

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

PROJECTORS = [(1920, 1080), (1280, 720), (1024, 768)]
PHONE = (390, 844)
LANGS = ("ru", "en")
ANALYSIS_PAGES = ("/", "/map", "/countries", "/areas", "/city", "/network")
ALL_PAGES = (*ANALYSIS_PAGES, "/presentation", "/data")

#: Every metric value (and label) whose text is wider than its box; every chart title wider
#: than its chart or sticking out of it; any text box of the main area cut on the right.
_CUT_TEXT_JS = """() => {
    const out = [];
    for (const m of document.querySelectorAll("[data-testid='stMetric']")) {
        for (const id of ["stMetricValue", "stMetricLabel"]) {
            const box = m.querySelector(`[data-testid='${id}']`);
            if (!box) continue;
            for (const el of [box, ...box.querySelectorAll("*")]) {
                if (el.scrollWidth > el.clientWidth + 1) { out.push(`${id}: ${box.innerText}`); break; }
            }
        }
    }
    for (const chart of document.querySelectorAll("[data-testid='stPlotlyChart']")) {
        const title = chart.querySelector("text.gtitle");
        if (!title || !title.textContent) continue;
        const t = title.getBoundingClientRect(), c = chart.getBoundingClientRect();
        if (t.width > c.width || t.left < c.left - 1 || t.right > c.right + 1) {
            out.push(`chart title: ${title.textContent}`);
        }
    }
    return out;
}"""
#: Every chart whose title or subtitle (source, illustrative mark) is wider than its chart
#: (the plotly SVG) or sticks out of it, with the widths: plotly never wraps a title.
_WIDE_TITLE_JS = """() => {
    const out = [];
    for (const chart of document.querySelectorAll("[data-testid='stPlotlyChart']")) {
        const svg = chart.querySelector(".main-svg");
        if (!svg) continue;
        const c = svg.getBoundingClientRect();
        for (const title of chart.querySelectorAll("text.gtitle, text.gtitle-subtitle")) {
            if (!title.textContent) continue;
            const t = title.getBoundingClientRect();
            if (t.width > c.width || t.left < c.left - 1 || t.right > c.right + 1) {
                out.push(`${title.textContent} (${Math.round(t.width)} px in ${Math.round(c.width)})`);
            }
        }
    }
    return out;
}"""
#: The pages of the phone's title check: every page that draws a chart (a city's profile too).
CHART_PAGES = (
    "/", "/map", "/countries", "/areas", "/city?profile=yerevan", "/network", "/chronicle",
    "/presentation",
)  # fmt: skip
_SIDEWAYS_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
#: How far the slide reaches and whether anything in the main area scrolls.
_SLIDE_FIT_JS = """() => {
    const slide = document.querySelector(".st-key-pres_slide");
    const main = document.querySelector("[data-testid='stMain']");
    const r = slide.getBoundingClientRect();
    return {bottom: r.bottom, right: r.right, height: innerHeight, width: innerWidth,
            scroll: main.scrollHeight - main.clientHeight,
            sidebar: !!document.querySelector("[data-testid='stSidebar']")?.offsetParent,
            header: !!document.querySelector("[data-testid='stHeader']")?.offsetParent};
}"""


def _open(page: Page, path: str) -> None:
    page.goto(path)
    wait_for_app(page, initial_wait_ms=0)
    wait_for_plotly_charts(page)
    assert_no_exception(page)


def _with_lang(path: str, lang: str) -> str:
    return path if lang == "ru" else f"{path}{'&' if '?' in path else '?'}lang=en"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", PROJECTORS, ids=[f"{w}x{h}" for w, h in PROJECTORS])
def test_projector_sizes_cut_no_headline_figure_or_chart_title(room, size, lang) -> None:
    """At each projector size every analysis page shows its headline figures and chart
    titles whole and never scrolls sideways."""
    page = room(*size)
    for path in ANALYSIS_PAGES:
        _open(page, _with_lang(path, lang))
        cut = page.evaluate(_CUT_TEXT_JS)
        assert not cut, f"{path} at {size} ({lang}): cut text {cut}"
        wide = page.evaluate(_WIDE_TITLE_JS)
        assert not wide, f"{path} at {size} ({lang}): chart titles wider than the chart {wide}"
        doc, inner = page.evaluate(_SIDEWAYS_JS)
        assert doc <= inner, f"{path} at {size} ({lang}) scrolls sideways: {doc} > {inner}"


@pytest.mark.parametrize("size", PROJECTORS, ids=[f"{w}x{h}" for w, h in PROJECTORS])
def test_the_show_fits_the_screen_and_the_clicker_walks_it(room, size) -> None:
    """`?mode=show` opens the slide alone (no header, no sidebar); every slide, footer and
    illustrative warning included, fits the screen without scrolling; PageDown/Space/PageUp/B/
    Home/End move like the arrows, and the mode stays in the URL."""
    page = room(*size)
    _open(page, "/presentation?mode=show")
    counter = page.locator(".st-key-pres_counter")
    expect(counter).to_have_text(f"1 / {N}")
    for i in range(1, N + 1):
        fit = page.evaluate(_SLIDE_FIT_JS)
        assert not fit["sidebar"] and not fit["header"], fit
        assert fit["bottom"] <= fit["height"] and fit["right"] <= fit["width"], (i, fit)
        assert fit["scroll"] <= 1, (i, fit)
        assert not page.evaluate(_CUT_TEXT_JS)
        if i == 5:
            expect(page.locator(".st-key-pres_slide")).to_contain_text("иллюстративные данные")
        screenshot(page, f"show-{size[0]}x{size[1]}-{i}", full_page=False)
        page.keyboard.press("PageDown" if i % 2 else "Space")
        wait_for_app(page)
        wait_for_plotly_charts(page)
    expect(counter).to_have_text(f"{N} / {N}")
    for key, expected in (
        ("PageUp", f"{N - 1} / {N}"),
        ("b", f"{N - 2} / {N}"),
        ("Home", f"1 / {N}"),
        ("End", f"{N} / {N}"),
    ):
        page.keyboard.press(key)
        wait_for_app(page)
        expect(counter).to_have_text(expected)
    expect(page).to_have_url(re.compile(r"[?&]mode=show(&|$)"))


def test_the_show_button_opens_the_show_and_its_link(room) -> None:
    """The page's button turns the show on and writes `mode=show` into the URL; ✕ leaves it."""
    page = room(1280, 720)
    _open(page, "/presentation")
    page.locator(".st-key-pres_show button").first.click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"[?&]mode=show(&|$)"))
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    page.locator(".st-key-pres_next button").first.click()
    wait_for_app(page)
    expect(page.locator(".st-key-pres_counter")).to_have_text(f"2 / {N}")
    # No grey focus frame is left on the button that was clicked.
    shadow = page.locator(".st-key-pres_next button").first.evaluate(
        "(b) => getComputedStyle(b).boxShadow + '|' + getComputedStyle(b).outlineStyle"
    )
    assert shadow in ("none|none", "none|auto") or "rgba(0, 0, 0, 0)" in shadow, shadow
    page.locator(".st-key-pres_exit button").first.click()
    wait_for_app(page)
    expect(page).not_to_have_url(re.compile(r"mode=show"))
    expect(page.get_by_test_id("stSidebar")).to_be_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_a_phone_reads_every_page_top_to_bottom(room, lang) -> None:
    """At 390×844 the sidebar starts collapsed and no page scrolls sideways."""
    page = room(*PHONE, locale="ru-RU" if lang == "ru" else "en-US")
    for path in ALL_PAGES:
        _open(page, path)
        sidebar = page.get_by_test_id("stSidebar")
        assert sidebar.get_attribute("aria-expanded") != "true", f"{path}: sidebar open"
        doc, inner = page.evaluate(_SIDEWAYS_JS)
        assert doc <= inner, f"{path} ({lang}) scrolls sideways: {doc} > {inner}"
        main = page.get_by_test_id("stMain").evaluate("(m) => [m.scrollWidth, m.clientWidth]")
        assert main[0] <= main[1], f"{path} ({lang}): main area wider than the phone {main}"
        screenshot(page, f"phone-{lang}-{path.strip('/') or 'overview'}", full_page=False)


@pytest.mark.parametrize("lang", LANGS)
def test_a_phone_shows_every_chart_title_whole(room, lang) -> None:
    """On a 390×844 phone every chart of every page keeps its title and source line inside the
    chart (a long title is drawn on two lines), in both languages."""
    page = room(*PHONE, locale="ru-RU" if lang == "ru" else "en-US", mobile=True)
    charts = 0
    for path in CHART_PAGES:
        _open(page, _with_lang(path, lang))
        charts += page.get_by_test_id("stPlotlyChart").count()
        wide = page.evaluate(_WIDE_TITLE_JS)
        assert not wide, f"{path} on a phone ({lang}): chart titles wider than the chart {wide}"
    assert charts >= 15, f"only {charts} charts drawn: a page did not show its charts"


def test_a_first_visit_follows_the_browser_language_and_the_link_wins(room) -> None:
    """An English browser without `lang` gets English; `?lang=ru` still opens Russian."""
    page = room(1280, 720, locale="en-US")
    _open(page, "/")
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text(
        "International Assembly of Capitals and Major Cities"
    )
    _open(page, "/?lang=ru")  # a new session of the same English browser
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text(
        "Международная ассамблея столиц и крупных городов"
    )


def test_overview_path_opens_the_overview_and_pages_name_the_filter(room) -> None:
    """`/overview` opens the overview (no «Page not found»), and a filtered page says so."""
    page = room(1280, 720)
    _open(page, "/overview?country=kazakhstan")
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text(
        "Международная ассамблея столиц и крупных городов"
    )
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_test_id("stMain")).to_contain_text("Фильтр: Страна: Казахстан")
    _open(page, "/map")
    expect(page.get_by_test_id("stMain")).to_contain_text("Без фильтра: все города-члены")
