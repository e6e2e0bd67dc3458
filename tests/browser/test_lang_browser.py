"""No English in the Russian interface where Streamlit draws its own texts: the file uploader's
drop zone (before and after a file is chosen), the chart toolbar's tooltips (plotly.js's buttons
and Streamlit's «Fullscreen»), and an unknown address (Streamlit's «Page not found» dialog).
English mode keeps the English texts. Screenshots go to test-output/lang/.

What "visible" means here: a text node whose element has a font size, a box larger than a pixel
(screen-reader-only texts are clipped to one) and no ``aria-hidden`` ancestor (the material
icons' ligature names), plus every ``::after`` text the stylesheet writes.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from mag_data.i18n import fmt_size, t
from mag_data.register.limits import MAX_UPLOAD_BYTES
from tests.browser.helpers import (
    OUTPUT_DIR,
    REPO_ROOT,
    assert_no_exception,
    sign_in,
    wait_for_app,
    wait_for_plotly_charts,
)

pytestmark = pytest.mark.browser

SHOTS = OUTPUT_DIR / "lang"
SIZES = [(1280, 720), (390, 844)]
LANGS = ("ru", "en")
UPLOAD = REPO_ROOT / "data" / "members.csv"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _english(text: str) -> bool:
    """A Latin word other than an acronym («PNG» is a Russian tooltip's word too)."""
    return any(not word.isupper() for word in LATIN_WORD.findall(text))


#: The texts a reader sees in an element (see the module docstring) and the elements cut on
#: the right (wider content than box, or sticking out of the element).
_VISIBLE_TEXT_JS = """(root) => {
    const texts = [], cut = [];
    const box = root.getBoundingClientRect();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement, text = node.textContent.trim();
        if (!text || el.closest("[aria-hidden='true']")) continue;
        const style = getComputedStyle(el), r = el.getBoundingClientRect();
        if (parseFloat(style.fontSize) === 0 || style.visibility === "hidden") continue;
        if (r.width <= 1 || r.height <= 1) continue;
        texts.push(text);
    }
    for (const el of [root, ...root.querySelectorAll("*")]) {
        const after = getComputedStyle(el, "::after").content;
        if (after && after.startsWith('"') && el.getBoundingClientRect().width > 1) {
            texts.push(JSON.parse(after));
        }
        const r = el.getBoundingClientRect();
        if (r.width > 1 && (el.scrollWidth > el.clientWidth + 1 || r.right > box.right + 1)) {
            cut.push(el.getAttribute("data-testid") || el.tagName);
        }
    }
    return {texts, cut};
}"""
#: Every toolbar button's title and the tooltip text plotly's CSS (or ours) draws for it.
_MODEBAR_JS = """(chart) => [...chart.querySelectorAll(".modebar-btn")].map((b) => {
    const after = getComputedStyle(b, "::after").content, title = b.getAttribute("data-title");
    return [title, after.startsWith('"') ? JSON.parse(after) : title];
})"""


@pytest.fixture(autouse=True)
def _shots_folder() -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)


def _open(page: Page, path: str) -> None:
    page.goto(path)
    wait_for_app(page, initial_wait_ms=0)
    assert_no_exception(page)


def _with_lang(path: str, lang: str) -> str:
    return path if lang == "ru" else f"{path}{'&' if '?' in path else '?'}lang=en"


def _visible(zone: Locator) -> tuple[list[str], list[str]]:
    seen = zone.evaluate(_VISIBLE_TEXT_JS)
    return seen["texts"], seen["cut"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_uploader_speaks_the_interface_language(room, size, lang) -> None:
    """Russian: the drop zone says «Выбрать файл» and «Перетащите файл сюда», nothing English is
    visible in it before or after a file is chosen (the chip's English size is hidden, the page
    writes it in Russian), the label names the types and the size limit, nothing is cut.
    English keeps Streamlit's own texts."""
    page = room(*size, locale="ru-RU")
    _open(page, _with_lang("/data", lang))
    sign_in(page)
    uploader = page.get_by_test_id("stFileUploader")
    zone = uploader.get_by_test_id("stFileUploaderDropzone")
    zone.scroll_into_view_if_needed()
    mb = MAX_UPLOAD_BYTES // 2**20
    label = uploader.get_by_test_id("stWidgetLabel")
    expect(label).to_contain_text("CSV")
    expect(label).to_contain_text("XLSX")
    expect(label).to_contain_text(f"до {mb} МБ" if lang == "ru" else f"up to {mb} MB")

    texts, cut = _visible(zone)
    uploader.screenshot(path=str(SHOTS / f"uploader-{lang}-{size[0]}x{size[1]}.png"))
    assert not cut, f"cut in the drop zone: {cut}"
    if lang == "ru":
        assert t("upload.button", "ru") in texts and t("upload.drop", "ru") in texts, texts
        assert not [x for x in texts if LATIN_WORD.search(x)], f"English in the drop zone: {texts}"
    else:
        assert any("Upload" in x for x in texts), texts

    zone.locator("input[type='file']").set_input_files(str(UPLOAD))
    wait_for_app(page)
    expect(uploader.get_by_test_id("stFileChipName")).to_have_text(UPLOAD.name)
    texts, cut = _visible(zone)
    uploader.screenshot(path=str(SHOTS / f"uploader-file-{lang}-{size[0]}x{size[1]}.png"))
    assert not cut, f"cut in the drop zone with a file: {cut}"
    size_text = fmt_size(UPLOAD.stat().st_size, lang)
    expect(page.get_by_test_id("stMain")).to_contain_text(
        t("upload.chosen", lang, upload=UPLOAD.name, size=size_text)
    )
    if lang == "ru":
        english = [x for x in texts if x != UPLOAD.name and LATIN_WORD.search(x)]
        assert not english, f"English in the drop zone with a file: {texts}"
        # Nothing in the drop zone carries an English tooltip either.
        titles = zone.evaluate(
            "(z) => [...z.querySelectorAll('[title]')].map((e) => e.getAttribute('title'))"
        )
        assert not [x for x in titles if x != UPLOAD.name and LATIN_WORD.search(x)], titles


@pytest.mark.parametrize("lang", LANGS)
def test_the_chart_toolbar_speaks_the_interface_language(room, lang) -> None:
    """Every toolbar button's tooltip is Russian in Russian mode (plotly.js's own buttons from
    the locale, Streamlit's «Fullscreen» from ui.style), English in English mode; also the
    «Close fullscreen» button of a chart shown full screen."""
    page = room(1280, 720)
    _open(page, _with_lang("/", lang))
    wait_for_plotly_charts(page)
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    buttons = chart.evaluate(_MODEBAR_JS)
    titles = [title for title, _ in buttons]
    tips = [tip for _, tip in buttons]
    fullscreen = chart.locator(".modebar-btn[data-title='Fullscreen']")
    fullscreen.hover()
    page.wait_for_timeout(400)  # plotly fades its tooltip in
    page.screenshot(path=str(SHOTS / f"modebar-{lang}.png"))
    if lang == "ru":
        assert "Сохранить диаграмму в PNG" in titles, titles
        assert "Во весь экран" in tips, tips
        assert not [x for x in tips if _english(x)], f"English tooltips: {tips}"
    else:
        assert "Download plot as a PNG" in titles and "Fullscreen" in tips, tips
        assert tips == titles, buttons

    fullscreen.click()
    close = page.locator(".modebar-btn[data-title='Close fullscreen']")
    expect(close).to_have_count(1)
    close.hover()
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / f"modebar-fullscreen-{lang}.png"))
    [[_, tip]] = page.locator(".modebar").first.evaluate(
        "(bar) => (" + _MODEBAR_JS + ")(bar).filter(([title]) => title === 'Close fullscreen')"
    )
    assert tip == t("chart.fullscreen.close", lang)
    close.click()
    expect(close).to_have_count(0)


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_address_opens_the_overview_with_a_notice_in_the_language(room, lang) -> None:
    """/kart (a typo) and a Cyrillic /карта open the overview at / (query parameters kept) with
    a toast in the interface language, never Streamlit's English «Page not found» dialog;
    /overview and /home open the overview silently, and deep links still open their page."""
    page = room(1280, 720)
    for typed, shown in (
        ("/kart?country=kazakhstan", "kart"),
        ("/%D0%BA%D0%B0%D1%80%D1%82%D0%B0", "карта"),
    ):
        _open(page, _with_lang(typed, lang))
        expect(page.get_by_test_id("stToast")).to_contain_text(t("app.not_found", lang, path=shown))
        page.screenshot(path=str(SHOTS / f"unknown-{lang}-{shown}.png"))
        expect(page.get_by_role("dialog")).to_have_count(0)
        expect(page.get_by_test_id("stMain").locator("h1")).to_have_text(t("app.assembly", lang))
        expect(page).to_have_url(re.compile(r"^http://[^/]+/(\?|$)"))
        if "country" in typed:
            expect(page).to_have_url(re.compile(r"[?&]country=kazakhstan(&|$)"))
    for path, h1 in (
        ("/overview", "app.assembly"),
        ("/home", "app.assembly"),
        ("/map?country=kazakhstan", "page.map"),
    ):
        _open(page, _with_lang(path, lang))
        page.wait_for_timeout(500)  # a dialog or a toast would have arrived with the run
        expect(page.get_by_role("dialog")).to_have_count(0)
        expect(page.get_by_test_id("stToast")).to_have_count(0)
        expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text(t(h1, lang))
    expect(page).to_have_url(re.compile(r"/map\?country=kazakhstan"))
