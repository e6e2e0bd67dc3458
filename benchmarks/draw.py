"""The browser's drawing time of each chart, alone: what a click waits for after the server.

Builds the figures of the overview and the areas page (the whole membership and one country)
with ``mag_data``, and times ``Plotly.newPlot`` until the next frame in headless Chromium (plotly.py's
bundled plotly.js, the bundled base maps; nothing leaves the machine), each figure as built and
in the variant it replaced, interleaved, median of ``--reps``:

- **margins**: as built (``charts.margins.fit_margins``) against the 10 px margins figures asked
  for before, which plotly.js grows after measuring the labels and then draws the chart again;
- **base map**: the member map at the scale ``geo.map_resolution`` picks against 1:50m always.

    .venv/bin/python -m benchmarks.draw [--reps 9] [--width 700]

Streamlit draws every chart it mounts twice (the mount, then its theme applied), so a click
waits about twice these times per changed chart (docs/BENCHMARKS.md, "Click to chart").
"""

from __future__ import annotations

import argparse
import copy
import functools
import http.server
import json
import shutil
import socketserver
import statistics
import tempfile
import threading
from pathlib import Path
from typing import Any

import plotly
import plotly.utils
from playwright.sync_api import sync_playwright

from benchmarks.browser import CHROMIUM
from mag_data import config
from mag_data.present import charts
from mag_data.query import aggregations as agg
from mag_data.query.filters import Filter, apply_filter
from mag_data.register.snapshot import load_registry_snapshot
from tests.browser.helpers import CHROMIUM_ARGS

_PAGE = """<html><head><meta charset="utf-8"><script src="plotly.min.js"></script></head>
<body><div id="g"></div></body></html>"""
_DRAW_JS = """async ([fig, width]) => {
  const el = document.getElementById('g');
  Plotly.purge(el);
  const f = JSON.parse(JSON.stringify(fig));
  f.layout.width = width;
  const t0 = performance.now();
  await Plotly.newPlot(el, f.data, f.layout, {topojsonURL: 'topojson/'});
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - t0;
}"""


def figures(lang: str = "ru") -> dict[str, dict[str, Any]]:
    """Each chart as built and, under ``<name> (before)``, the variant it replaced."""
    registry = load_registry_snapshot(config.DATA_DIR)
    out: dict[str, dict[str, Any]] = {}
    for label, f in (("all", Filter()), ("kazakhstan", Filter(countries=("kazakhstan",)))):
        view = apply_filter(registry, f)
        built = {
            "member map": charts.member_map(agg.by_city(view), lang, height=420),
            "countries": charts.geo_bars(agg.by_country(view), lang, "members"),
            "areas": charts.area_bars(agg.by_area(view), lang, illustrative=True),
            "years": charts.year_bars(agg.by_year(view), registry.areas, lang, illustrative=True),
            "heat map": charts.area_country_heatmap(
                agg.area_country_matrix(view), registry.areas, agg.by_country(view), lang
            ),
            "top cities": charts.city_bars(
                agg.top_cities(view, n=10), lang, "Top", illustrative=True
            ),
        }
        for name, fig in built.items():
            spec = json.loads(json.dumps(fig.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder))
            before = copy.deepcopy(spec)
            if "geo" in spec["layout"]:
                before["layout"]["geo"]["resolution"] = 50
            else:
                before["layout"]["margin"].update(l=10, r=10)
                before["layout"]["margin"]["b"] = 150 if name == "years" else 10
            out[f"{name}, {label}"] = spec
            out[f"{name}, {label} (before)"] = before
    return out


def measure(reps: int, width: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="mag-draw-"))
    try:
        (folder / "index.html").write_text(_PAGE, encoding="utf-8")
        shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", folder)
        shutil.copytree(config.TOPOJSON_DIR, folder / "topojson")
        handler = functools.partial(_Quiet, directory=str(folder))
        with socketserver.TCPServer(("127.0.0.1", 0), handler) as server:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            figs = figures()
            times: dict[str, list[float]] = {name: [] for name in figs}
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport={"width": width + 100, "height": 900})
                page.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith("http://127.0.0.1")
                        else route.abort()
                    ),
                )
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
                for fig in figs.values():  # warm: base maps fetched, code compiled
                    page.evaluate(_DRAW_JS, [fig, width])
                for _ in range(reps):
                    for name, fig in figs.items():
                        times[name].append(page.evaluate(_DRAW_JS, [fig, width]))
                browser.close()
            server.shutdown()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {name: statistics.median(values) for name, values in times.items()}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--width", type=int, default=700, help="chart width in px")
    args = parser.parse_args()
    result = measure(args.reps, args.width)
    print(f"| chart | before (ms) | now (ms) | now ÷ before |  (width {args.width} px)")
    print("| --- | ---: | ---: | ---: |")
    for name, now in result.items():
        if name.endswith("(before)"):
            continue
        before = result[f"{name} (before)"]
        print(f"| {name} | {before:.0f} | {now:.0f} | {now / before:.2f} |")


if __name__ == "__main__":
    main()
