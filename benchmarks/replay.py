"""The whole-page floor: the project's own page with every data-layer call replayed.

The floor of a page is what no implementation of *that page* can avoid: Streamlit's run of the
router, the sidebar's widgets with their options, the headings, metrics, notices, page links and
download buttons, and the charts and tables themselves (plotly's serialisation, Arrow). To time
that and nothing else, the floor session runs the real ``app.py`` while every public function of
the data layer (``mag_data`` filters, aggregations, tables, charts, search, geo, network,
partners) returns the result it returned, for the same call, in a recording run made outside the
timed loop. The page's own figures, tables and option lists are thus prebuilt; only what the page
does with them is timed.

A call is identified by (function, how many times that function was called before in the run),
counting only outermost calls (a data-layer function called by another is inside its caller's
recorded result). A call with no recording runs for real and is counted in ``misses``.

Wrappers are installed only around the floor's runs (``session``) and removed after, so the
project's own runs and profiles never pass through them.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import pkgutil
import sys
import types
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

MODULES = (
    "mag_data.query.filters",
    "mag_data.query.aggregations",
    "mag_data.query.tables",
    "mag_data.present.charts",
    "mag_data.analysis.search",
    "mag_data.analysis.geo",
    "mag_data.analysis.network",
    "mag_data.analysis.partners",
)
# Modules imported once whose names bound with "from x import f" must be rebound too (page
# scripts are executed afresh on every run and see the wrapped module attributes).
REBIND_PREFIXES = ("ui", "mag_data")


def _modules(names: tuple[str, ...]) -> Iterator[types.ModuleType]:
    """The modules named and, for a package (``mag_data.present.charts``), each of its modules
    (one level down): the functions are defined there, the package only names them."""
    for name in names:
        module = importlib.import_module(name)
        yield module
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            yield importlib.import_module(f"{name}.{info.name}")


class Replayer:
    """Record and replay the data layer's outermost calls (see the module docstring)."""

    def __init__(self) -> None:
        self.mode = "off"  # "off" | "record" | "replay"
        self.store: dict[tuple[str, int], Any] = {}
        self.counts: Counter[str] = Counter()
        self.depth = 0
        self.misses = 0
        self.replayed = 0
        self._undo: list[tuple[object, str, object]] = []

    def install(self) -> None:
        if self._undo:
            return
        wrapped: dict[int, Callable[..., Any]] = {}
        for module in _modules(MODULES):
            for attr, obj in list(vars(module).items()):
                if attr.startswith("_") or not inspect.isfunction(obj):
                    continue
                if obj.__module__ != module.__name__:
                    continue
                wrapped[id(obj)] = self._wrap(obj)
        for mod_name, module in list(sys.modules.items()):
            if module is None or mod_name.split(".")[0] not in REBIND_PREFIXES:
                continue
            for attr, obj in list(vars(module).items()):
                if inspect.isfunction(obj) and id(obj) in wrapped:
                    self._undo.append((module, attr, obj))
                    setattr(module, attr, wrapped[id(obj)])

    def uninstall(self) -> None:
        for module, attr, original in reversed(self._undo):
            setattr(module, attr, original)
        self._undo.clear()

    @contextlib.contextmanager
    def session(self) -> Iterator[Replayer]:
        """Wrappers in place for the duration (install/uninstall outside any timed call)."""
        self.install()
        try:
            yield self
        finally:
            self.uninstall()

    def _wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        name = f"{fn.__module__}.{fn.__qualname__}"
        replayer = self

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if replayer.mode == "off" or replayer.depth:
                return fn(*args, **kwargs)
            key = (name, replayer.counts[name])
            replayer.counts[name] += 1
            if replayer.mode == "replay":
                if key in replayer.store:
                    replayer.replayed += 1
                    return replayer.store[key]
                replayer.misses += 1
            replayer.depth += 1
            try:
                result = fn(*args, **kwargs)
            finally:
                replayer.depth -= 1
            if replayer.mode == "record":
                replayer.store[key] = result
            return result

        return wrapper

    def record(self, step: Callable[[], Any]) -> Any:
        """Run ``step`` recording the outermost data-layer calls (replacing older recordings)."""
        self.store.clear()
        return self._run("record", step)

    def replay(self, step: Callable[[], Any]) -> Any:
        """Run ``step`` with recorded results returned instead of computed."""
        return self._run("replay", step)

    def _run(self, mode: str, step: Callable[[], Any]) -> Any:
        self.counts.clear()
        self.depth = 0
        self.mode = mode
        try:
            return step()
        finally:
            self.mode = "off"


REPLAYER = Replayer()

__all__ = ["MODULES", "REPLAYER", "Replayer"]
