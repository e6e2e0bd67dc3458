"""Page reruns timed headless (Streamlit AppTest): the floor, the project, the naive peer.

For each page and size, three sessions take turns, rerun by rerun (the order rotates so that
no side always runs first or last):

- **floor**: the real ``app.py`` on the same page, with every data-layer call (filters,
  aggregations, tables, charts, search, network) returning the result recorded for it outside the
  timed loop (``replay.py``): the page's figures, tables and option lists are prebuilt, so only
  Streamlit's run of the whole page (router, sidebar widgets, text, charts, tables) is timed;
- **project**: the real ``app.py`` on ``MAG_DATA_DIR``, after a change of the year-range filter
  to a value never used before in the process, so that every cache keyed by the filter misses
  (the register itself stays loaded: it is cached by content, as in production);
- **naive**: ``naive_app/app.py``, the same charts built the common way (CSV read, express
  figures, no cache), after the same filter change;
- **charts-only floor** (``bare``): ``floor_app.py`` renders the page's figures and tables alone,
  prebuilt, without the rest of the page (the first floor this benchmark used; kept for
  comparison, no budget is judged against it).

Times are wall-clock seconds of ``AppTest.run()`` (script run plus AppTest's handling of the
messages, the same for all three); the medians are reported.
"""

from __future__ import annotations

import ast
import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import plotly.io as pio
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from benchmarks import floor_store
from benchmarks.replay import REPLAYER

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
NAIVE_APP = Path(__file__).resolve().parent / "naive_app" / "app.py"
PAGES = ("overview", "map", "countries", "areas", "city")
TIMEOUT = 900
KINDS = ("floor", "project", "naive", "bare")


def router_pages() -> dict[str, str]:
    """URL path → page script (relative to app.py) of every ``st.Page`` app.py declares."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    pages = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            url = [k.value for k in node.keywords if k.arg == "url_path"]
            if url and node.args:
                pages[ast.literal_eval(url[0])] = ast.literal_eval(node.args[0])
    return pages


def server_like_runs() -> None:
    """Make AppTest runs go through st.navigation like a running server's (not legacy pages/).

    AppTest resets the pages manager before each run, so every run would otherwise be a
    server's very first run (tests/app/conftest.py does the same)."""
    if getattr(PagesManager, "_bench_patched", False):
        return
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]
    PagesManager._bench_patched = True  # type: ignore[attr-defined]


def fresh_years(lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """Year ranges never used before in this process: (lo+i, hi-j), narrowest change first."""
    span = max(hi - lo, 1)
    for total in range(1, 2 * span):
        for i in range(total + 1):
            a, b = lo + i, hi - (total - i)
            if a <= b:
                yield a, b


@dataclass
class PageResult:
    """Timings (seconds) of one page at one size, per kind, plus what the floor rendered."""

    page: str
    times: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    charts: int = 0
    tables: int = 0
    spec_bytes: int = 0
    errors: list[str] = field(default_factory=list)
    profile: dict[str, float] = field(default_factory=dict)
    replayed: int = 0  # data-layer calls the floor replayed (all reps)
    misses: int = 0  # data-layer calls the floor had no recording for (should be 0)

    def median(self, kind: str) -> float | None:
        values = self.times[kind]
        return statistics.median(values) if values else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "times": self.times,
            "median": {k: self.median(k) for k in KINDS},
            "charts": self.charts,
            "tables": self.tables,
            "spec_bytes": self.spec_bytes,
            "errors": self.errors,
            "profile": self.profile,
            "replayed": self.replayed,
            "misses": self.misses,
        }


# Where a project rerun spends its time: files (under the repository or site-packages) whose
# functions, entered from outside their group, count for the group.
PROFILE_GROUPS = {
    "sidebar": ("ui/sidebar.py",),
    "filter + aggregate": (
        "mag_data/query/filters.py",
        "mag_data/query/aggregations.py",
        "mag_data/query/tables.py",
        "mag_data/analysis/geo.py",
    ),
    "build figures": (
        "mag_data/present/charts/base.py",
        "mag_data/present/charts/maps.py",
        "mag_data/present/charts/bars.py",
        "mag_data/present/charts/membership.py",
        "mag_data/present/charts/network.py",
    ),
    "exports (CSV/XLSX)": ("mag_data/present/export.py",),
    "Streamlit charts + tables": (
        "streamlit/elements/plotly_chart.py",
        "streamlit/elements/arrow.py",
    ),
}


class _ScriptProfiler:
    """cProfile of the script thread of AppTest runs (the runs happen in another thread)."""

    def __init__(self) -> None:
        import cProfile

        from streamlit.runtime.scriptrunner import script_runner

        self.profile: cProfile.Profile | None = None
        self._cprofile = cProfile
        original = script_runner.ScriptRunner._run_script
        profiler = self

        def run(runner: Any, rerun_data: Any) -> None:
            if profiler.profile is None:
                return original(runner, rerun_data)
            profiler.profile.enable()
            try:
                return original(runner, rerun_data)
            finally:
                profiler.profile.disable()

        script_runner.ScriptRunner._run_script = run  # type: ignore[method-assign]

    def shares(self, step: Callable[[], AppTest]) -> dict[str, float]:
        """Share (0..1) of one run's time per PROFILE_GROUPS group, plus "other"."""
        import pstats

        self.profile = self._cprofile.Profile()
        try:
            step()
        finally:
            profile, self.profile = self.profile, None
        stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
        total = max((ct for (_, _, _, ct, _) in stats.values()), default=0.0)
        groups = {
            group: {key for key in stats if any(key[0].endswith(f) for f in files)}
            for group, files in PROFILE_GROUPS.items()
        }
        grouped = set().union(*groups.values())
        out: dict[str, float] = {}
        for group, inside in groups.items():
            # Calls into the group from code of no group (pages, router, ui.widgets): no time
            # is counted twice (the sidebar's own filter look-ups stay the sidebar's).
            seconds = sum(
                ct
                for key in inside
                for caller, (_, _, _, ct) in stats[key][4].items()
                if caller not in grouped
            )
            out[group] = seconds / total if total else 0.0
        out["other (router, widgets, Streamlit)"] = max(0.0, 1.0 - sum(out.values()))
        return out


_PROFILER: _ScriptProfiler | None = None


def _timed(fn: Callable[[], AppTest]) -> tuple[float, AppTest]:
    start = time.perf_counter()
    at = fn()
    return time.perf_counter() - start, at


def _problems(at: AppTest) -> list[str]:
    return [str(e.value)[:300] for e in at.exception]


def capture_floor(at: AppTest) -> tuple[int, int, int]:
    """Prebuild the floor from the page the project session shows: its figures (from their
    JSON specs, with their plotly.js config) and its tables."""
    figures = []
    spec_bytes = 0
    for chart in at.get("plotly_chart"):
        spec_bytes += len(chart.proto.spec)
        config = json.loads(chart.proto.config) if chart.proto.config else {}
        figures.append((pio.from_json(chart.proto.spec), config))
    tables = [frame.value for frame in at.dataframe]
    floor_store.FIGURES[:] = figures
    floor_store.TABLES[:] = tables
    return len(figures), len(tables), spec_bytes


def bench_size(
    folder: Path, reps: int, log: Callable[[str], None], pages: tuple[str, ...] = PAGES
) -> tuple[dict[str, Any], list[PageResult]]:
    """Time every page of one register folder; returns (session facts, per-page results)."""
    global _PROFILER
    server_like_runs()
    if _PROFILER is None:
        _PROFILER = _ScriptProfiler()
    os.environ["MAG_DATA_DIR"] = str(folder)
    scripts = router_pages()
    facts: dict[str, Any] = {}

    project = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    facts["project_first_run_s"], project = _timed(project.run)  # loads the register once
    facts["project_first_run_errors"] = _problems(project)
    naive = AppTest.from_file(str(NAIVE_APP), default_timeout=TIMEOUT)
    facts["naive_first_run_s"], naive = _timed(naive.run)
    floor = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    floor.run()
    bare = AppTest.from_file(str(FLOOR_APP), default_timeout=TIMEOUT)

    lo, hi = project.slider(key="f_years").value
    # Every session gets its own never-seen ranges: the floor's replayed view must never be
    # what the project's cache returns, nor the other way round.
    years = fresh_years(int(lo), int(hi))
    naive_lo, naive_hi = naive.slider(key="years").value

    results = []
    for page in pages:
        result = PageResult(page)
        results.append(result)
        script = scripts.get(page)
        if script is None:
            result.errors.append(f"app.py declares no page with url_path {page!r}")
            continue
        # Open the page in each session (untimed), record the floor's data-layer results on
        # it, and prebuild the charts-only floor from the project's page.
        project.switch_page(script).run()
        naive.radio(key="page").set_value(page).run()
        result.errors += _problems(project) + _problems(naive)
        a, b = next(years)
        with REPLAYER.session():
            REPLAYER.record(floor.switch_page(script).slider(key="f_years").set_range(a, b).run)
        result.errors += _problems(floor)
        result.charts, result.tables, result.spec_bytes = capture_floor(project)
        bare.run()
        REPLAYER.misses = REPLAYER.replayed = 0
        order = list(KINDS)
        for _rep in range(reps):
            ranges = {kind: next(years) for kind in KINDS}
            na, nb = ranges["naive"]
            steps: dict[str, Callable[[], AppTest]] = {
                "floor": lambda r=ranges["floor"]: REPLAYER.replay(
                    floor.slider(key="f_years").set_range(*r).run
                ),
                "project": project.slider(key="f_years").set_range(*ranges["project"]).run,
                "naive": naive.slider(key="years")
                .set_range(max(na, naive_lo), min(nb, naive_hi))
                .run,
                "bare": bare.slider(key="f_years").set_range(*ranges["bare"]).run,
            }
            for kind in order:
                if kind == "floor":
                    with REPLAYER.session():  # wrappers go in and out outside the timing
                        seconds, _ = _timed(steps[kind])
                else:
                    seconds, _ = _timed(steps[kind])
                result.times[kind].append(seconds)
            order = order[1:] + order[:1]  # rotate who goes first
        result.replayed, result.misses = REPLAYER.replayed, REPLAYER.misses
        if REPLAYER.misses:
            result.errors.append(f"floor: {REPLAYER.misses} data-layer calls had no recording")
        # One more project rerun, profiled: where the time goes (shares; cProfile slows it).
        a, b = next(years)
        result.profile = _PROFILER.shares(project.slider(key="f_years").set_range(a, b).run)
        result.errors += _problems(project) + _problems(naive) + _problems(floor) + _problems(bare)
        log(
            f"  {page:10s} floor {result.median('floor'):.3f}s  project "
            f"{result.median('project'):.3f}s  naive {result.median('naive'):.3f}s  "
            f"charts-only {result.median('bare'):.3f}s  ({reps} reps, {result.charts} charts, "
            f"{result.spec_bytes / 1e6:.2f} MB specs, {result.replayed} calls replayed)"
        )
    return facts, results


__all__ = ["KINDS", "PAGES", "PageResult", "bench_size", "fresh_years", "router_pages"]
