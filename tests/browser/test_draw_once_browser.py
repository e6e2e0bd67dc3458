"""Charts drawn once: the margins a figure asks for are what its labels need, so plotly.js does
not grow them after measuring and draw the chart a second time (``charts.margins``). A page's
bar charts and heat maps drew twice on every filter click before; this fails if a chart's axis
labels, legend beside it or colour bar push a margin again (legends in rows under a map depend
on the screen's width and are not counted)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import assert_no_exception, wait_for_app, wait_for_plotly_charts

pytestmark = pytest.mark.browser

#: Per chart: its key and each side whose margin plotly.js had to grow (left, right, bottom of a
#: cartesian chart; right of any chart).
_PUSHED_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map((el) => {
  const box = el.closest('[data-testid="stElementContainer"]');
  const key = box ? [...box.classList].filter((c) => c.startsWith('st-key-')).join('') : '?';
  const asked = el.layout.margin || {}, used = el._fullLayout._size;
  const cartesian = !!el._fullLayout.xaxis && !el._fullLayout.geo;
  const sides = cartesian ? ['l', 'r', 'b'] : ['r'];
  return [key, sides.filter((s) => used[s] > (asked[s] || 0) + 0.5)
                    .map((s) => `${s} ${asked[s]} → ${Math.round(used[s])}`)];
}).filter(([, pushed]) => pushed.length)"""


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize(
    "path", ["/", "/areas", "/areas?country=kazakhstan", "/countries", "/city?profile=yerevan"]
)
def test_no_chart_grows_its_margins_after_drawing(page: Page, app_url: str, path: str, lang: str):
    page.set_viewport_size({"width": 1280, "height": 720})
    sep = "&" if "?" in path else "?"
    page.goto(f"{app_url}{path}{sep}lang={lang}")
    wait_for_app(page)
    wait_for_plotly_charts(page)
    assert_no_exception(page)
    assert page.evaluate(_PUSHED_JS) == []


#: Per cartesian chart: its key, its width and the width left for its plot.
_PLOT_WIDTH_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter((el) => el._fullLayout.xaxis && !el._fullLayout.geo && el.data.length)
  .map((el) => {
    const box = el.closest('[data-testid="stElementContainer"]');
    const key = box ? [...box.classList].filter((c) => c.startsWith('st-key-')).join('') : '?';
    return [key, Math.round(el._fullLayout.width), Math.round(el._fullLayout._size.w)];
  })"""


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("path", ["/", "/areas", "/countries"])
def test_on_a_phone_labels_leave_the_plot_most_of_the_chart(room, path: str, lang: str):
    """Long category labels (the cooperation areas) are broken onto lines and legends sit above
    or below, so a 390 px phone still sees bars: at least 40 % of each chart is its plot."""
    page = room(390, 844, locale=f"{lang}-RU" if lang == "ru" else "en-US", mobile=True)
    page.goto(f"{path}?lang={lang}")
    wait_for_app(page)
    wait_for_plotly_charts(page)
    narrow = [c for c in page.evaluate(_PLOT_WIDTH_JS) if c[2] < 0.4 * c[1]]
    assert narrow == []
