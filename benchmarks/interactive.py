"""What a person waits for in the browser: click to chart, fresh visit, page switch.

Debian's Chromium headless through Playwright, every non-loopback request blocked, against
``streamlit run serve.py`` and, in the same browser and run, ``benchmarks/reference_app.py`` (a
sidebar multiselect, five metrics, four small plotly charts that change with it). Reported as
ratios to the reference, since absolute times on a shared two-core machine vary by ±30 %.

- **click to chart**: from the input event (a country or an area chosen in the sidebar, the
  year range moved by one year, a bar clicked on the countries page) until the page is settled:
  the script finished, no status widget, no stale element, every chart drawn (plotly's last
  ``plotly_afterplot`` of the click) and no WebSocket message for ``QUIET_S`` (so a second
  rerun is caught and counted). Per page, the median and p95 of repeated clicks.
- **fresh visit to usable**: a new tab's navigation to a settled page whose filter is drawn.
- **page switch**: a click on the sidebar's navigation link to a settled page.
- **where the time goes**, per click: the scripts the server ran (``script_finished`` messages
  on the WebSocket), the bytes it sent, and when each chart finished drawing after the click.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Request, Route, sync_playwright

from benchmarks import burst
from benchmarks.browser import CHROMIUM, _is_local
from tests.browser.helpers import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).resolve().parent / "reference_app.py"
QUIET_S = 0.4  # no WebSocket frame for this long after the run: the click is over
TIMEOUT_S = 120.0

# Hooks plotly's afterplot event on every chart as it appears (draw times, browser clock).
_INIT_JS = """
window.__magDraws = [];
new MutationObserver(() => {
  document.querySelectorAll('.js-plotly-plot').forEach((el) => {
    if (el.__magHooked || typeof el.on !== 'function') return;
    el.__magHooked = true;
    el.on('plotly_afterplot', () => {
      const box = el.closest('[data-testid="stElementContainer"]');
      window.__magDraws.push([box ? box.className : '', performance.now()]);
    });
  });
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['class']});
"""

_SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  for (const c of charts) { if (!c.querySelector('.main-svg')) return false; }
  for (const g of document.querySelectorAll('[data-testid="stPlotlyChart"] g.geo')) {
    if (!g.querySelector('g.layer.land path, g.layer.countries path, g.layer.coastlines path'))
      return false;
  }
  return true;
}"""


@dataclass
class Wire:
    """WebSocket traffic since the last reset: bytes, scripts finished, last frame time."""

    bytes: int = 0
    runs: int = 0
    last: float = 0.0

    def reset(self) -> None:
        self.bytes, self.runs, self.last = 0, 0, time.perf_counter()

    def on_frame(self, payload: Any) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.last = time.perf_counter()
        if isinstance(payload, str):
            return
        self.bytes += len(payload)
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:
            return
        if msg.WhichOneof("type") == "script_finished":
            self.runs += 1


@dataclass
class Sample:
    seconds: float
    runs: int
    bytes: int
    draws_ms: list[float] = field(default_factory=list)


def _settle(page: Page, wire: Wire, t0: float, js0: float, min_runs: int = 1) -> Sample:
    """Wait until the page is settled after an action taken at ``t0`` (driver clock; ``js0`` the
    browser's clock then); returns when it settled and what it cost."""
    deadline = t0 + TIMEOUT_S
    while True:
        now = time.perf_counter()
        if now > deadline:
            raise TimeoutError(
                f"page {page.url} did not settle: runs {wire.runs}, "
                f"settled {page.evaluate(_SETTLED_JS)}"
            )
        if wire.runs >= min_runs and now - wire.last >= QUIET_S and page.evaluate(_SETTLED_JS):
            break
        page.wait_for_timeout(25)
    draws = page.evaluate("(t) => window.__magDraws.filter((d) => d[1] >= t)", js0)
    draws_ms = sorted(d[1] - js0 for d in draws)
    # Settled: the later of the last frame the server sent and the last chart drawn.
    last_draw = t0 + draws_ms[-1] / 1000 if draws_ms else t0
    settled = max(wire.last, last_draw)
    return Sample(settled - t0, wire.runs, wire.bytes, draws_ms)


def _act(
    page: Page,
    wire: Wire,
    action: Callable[[], None] | tuple[Callable[[], None], Callable[[], None]],
    min_runs: int = 1,
    new_document: bool = False,
) -> Sample:
    """Time ``action`` (or a (prepare, trigger) pair: only the trigger is timed, e.g. typing a
    name into a multiselect is not, the click on the option is)."""
    if isinstance(action, tuple):
        prepare, action = action
        prepare()
    page.evaluate("window.__magDraws = []")
    js0 = float(page.evaluate("performance.now()"))
    wire.reset()
    t0 = time.perf_counter()
    action()
    # A navigation starts a new document whose clock starts (about) now.
    return _settle(page, wire, t0, 0.0 if new_document else js0, min_runs)


def _choose(page: Page, key: str, label: str) -> tuple[Callable[[], None], Callable[[], None]]:
    box = page.locator(f".st-key-{key} input[role='combobox']")
    option = page.get_by_role("option", name=label, exact=True)

    def prepare() -> None:
        box.click()
        box.fill(label)
        option.wait_for()

    def trigger() -> None:
        option.click()
        page.keyboard.press("Escape")

    return prepare, trigger


def _clear(page: Page, key: str) -> Callable[[], None]:
    def do() -> None:
        # The chip's own remove button (one choice is made at a time here).
        page.locator(f".st-key-{key} [aria-label^='Remove ']").locator("visible=true").last.click()

    return do


def _slider_step(page: Page, key: str, arrow: str) -> Callable[[], None]:
    thumb = page.locator(f".st-key-{key} [aria-valuetext]").first

    def do() -> None:
        thumb.focus()
        page.keyboard.press(arrow)

    return do


def _bar_click(page: Page) -> Callable[[], None]:
    def do() -> None:
        bars = page.locator(".st-key-countries_bars g.trace.bars g.point path")
        box = bars.first.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    return do


def _stats(samples: list[Sample]) -> dict[str, Any]:
    secs = sorted(s.seconds for s in samples)
    if not secs:
        return {}
    p95 = secs[min(len(secs) - 1, round(0.95 * len(secs) + 0.5) - 1)]
    draws = [d for s in samples for d in s.draws_ms]
    return {
        "n": len(secs),
        "median_s": statistics.median(secs),
        "p95_s": p95,
        "runs": statistics.median(s.runs for s in samples),
        "max_runs": max(s.runs for s in samples),
        "kb": statistics.median(s.bytes for s in samples) / 1e3,
        "charts_drawn": statistics.median(len(s.draws_ms) for s in samples),
        "last_draw_ms": statistics.median(s.draws_ms[-1] for s in samples if s.draws_ms)
        if any(s.draws_ms for s in samples)
        else None,
        "draw_ms_median": statistics.median(draws) if draws else None,
    }


APP_PAGES = ("overview", "map", "countries", "areas", "city")


def _clicks_app(page: Page, wire: Wire, base: str, name: str, reps: int) -> dict[str, Any]:
    """Every kind of click on one dashboard page, ``reps`` times each (there and back)."""
    out: dict[str, list[Sample]] = {"country": [], "area": [], "years": [], "chart": []}
    url = f"{base}/{'' if name == 'overview' else name}?lang=en"
    if name == "city":
        url += "&profile=yerevan"
    _act(page, wire, lambda: page.goto(url))
    countries = ["Kazakhstan", "Belarus", "Russia", "Armenia"]
    for i in range(reps):
        out["country"].append(_act(page, wire, _choose(page, "f_countries", countries[i % 4])))
        out["country"].append(_act(page, wire, _clear(page, "f_countries")))
        out["area"].append(_act(page, wire, _choose(page, "f_areas", "Social cooperation")))
        out["area"].append(_act(page, wire, _clear(page, "f_areas")))
        out["years"].append(_act(page, wire, _slider_step(page, "f_years", "ArrowRight")))
        out["years"].append(_act(page, wire, _slider_step(page, "f_years", "ArrowLeft")))
        if name == "countries":
            out["chart"].append(_act(page, wire, _bar_click(page)))
            _act(page, wire, _clear(page, "f_countries"))
    return {kind: _stats(samples) for kind, samples in out.items() if samples}


def _reference_samples(page: Page, wire: Wire, n: int) -> list[Sample]:
    """``n`` choices and ``n`` removals in the reference page's multiselect (already open)."""
    samples: list[Sample] = []
    for i in range(n):
        samples.append(
            _act(page, wire, _choose(page, "f_countries", ["Armenia", "Moldova"][i % 2]))
        )
        samples.append(_act(page, wire, _clear(page, "f_countries")))
    return samples


def _fresh(context: Any, wire_for: Callable[[Page], Wire], url: str, reps: int) -> list[Sample]:
    samples = []
    for _ in range(reps):
        page = context.new_page()
        wire = wire_for(page)
        page.goto("about:blank")
        samples.append(
            _act(
                page, wire, lambda page=page: page.goto(url, wait_until="commit"), new_document=True
            )
        )
        page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.wait_for()
        page.close()
    return samples


def _switch(
    page: Page, wire: Wire, base: str, first: str, links: list[str], reps: int
) -> list[Sample]:
    _act(page, wire, lambda: page.goto(base + first))
    samples = []
    for i in range(reps * len(links)):
        link = links[i % len(links)]
        nav = page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True)
        samples.append(_act(page, wire, nav.click))
    return samples


def measure(folder: Path, reps: int, log_dir: Path, cache: Path | None, log=print) -> dict:
    """Both servers up at once (the dashboard and the reference), one browser, interleaved."""
    result: dict[str, Any] = {"external_requests": []}
    with (
        burst.servers(ROOT / "serve.py", folder, 1, log_dir, cache) as app,
        burst.servers(REFERENCE, folder, 1, log_dir) as ref,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="en-US")
        context.add_init_script(_INIT_JS)

        def guard(route: Route, request: Request) -> None:
            try:
                if _is_local(request.url):
                    route.continue_()
                else:
                    result["external_requests"].append(request.url)
                    route.abort("blockedbyclient")
            except PlaywrightError:
                pass

        context.route("**/*", guard)

        def wire_for(page: Page) -> Wire:
            wire = Wire()
            page.on("websocket", lambda ws: ws.on("framereceived", wire.on_frame))
            return wire

        # Warm both servers and the browser's cache of static files.
        for base in (app["http"], ref["http"]):
            p = context.new_page()
            w = wire_for(p)
            _act(p, w, lambda p=p, base=base: p.goto(base + "/"))
            p.close()
        page = context.new_page()
        wire = wire_for(page)
        ref_page = context.new_page()
        ref_wire = wire_for(ref_page)
        _act(ref_page, ref_wire, lambda: ref_page.goto(ref["http"] + "/"))
        # The reference is measured right before each dashboard page (the machine's load
        # drifts over minutes): each page is judged against the reference measured next to it.
        everything: list[Sample] = []
        result["pages"], result["reference_by_page"] = {}, {}
        for name in APP_PAGES:
            ref_page.bring_to_front()
            near = _reference_samples(ref_page, ref_wire, max(2, reps * 2))
            everything += near
            result["reference_by_page"][name] = _stats(near)
            page.bring_to_front()
            result["pages"][name] = _clicks_app(page, wire, app["http"], name, reps)
            log(f"    {name}: reference {result['reference_by_page'][name]['median_s']:.2f}s; " + ", ".join(
                f"{k} {v['median_s']:.2f}s runs {v['runs']}" for k, v in result["pages"][name].items()
            ))  # fmt: skip
        result["reference"] = {"multiselect": _stats(everything)}
        ref_page.close()
        fresh: dict[str, list[Sample]] = {"reference": [], "overview": []}
        for _ in range(reps):  # alternating, so both see the same load
            fresh["reference"] += _fresh(context, wire_for, ref["http"] + "/", 1)
            fresh["overview"] += _fresh(context, wire_for, app["http"] + "/?lang=en", 1)
        result["fresh"] = {k: _stats(v) for k, v in fresh.items()}
        switch: dict[str, list[Sample]] = {"reference": [], "app": []}
        for _ in range(reps):
            switch["reference"] += _switch(
                page, wire, ref["http"], "/", ["Reference 2", "Reference"], 1
            )
            switch["app"] += _switch(
                page,
                wire,
                app["http"],
                "/?lang=en",
                ["Map", "Countries and regions", "Cooperation areas", "Overview"],
                1,
            )
        result["switch"] = {k: _stats(v) for k, v in switch.items()}
        log(f"    fresh {result['fresh']}\n    switch {result['switch']}")
        context.close()
        browser.close()
    return result
