"""Static images of figures (PNG, SVG, PDF) with kaleido and the system Chromium, offline.

One renderer (a Chromium with one kaleido tab) is started on first use and kept alive in a
background event loop: a warm image takes a fraction of a second, a cold start a few seconds.
Geo charts draw their base map from the bundled ``static/topojson/`` files (a ``file://`` URI),
MathJax is off, and plotly.js comes from the installed plotly package, so rendering makes no
external request. Where no browser exists, ``RendererUnavailable`` says so in plain words.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import plotly.graph_objects as go

from mag_data import config

# Executable names and usual install paths of a Chromium-based browser (Debian's first).
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/opt/google/chrome/chrome",
)
START_TIMEOUT_S = 60.0
IMAGE_TIMEOUT_S = 90.0


class RendererUnavailable(RuntimeError):
    """No browser to draw static images with (or it failed to start)."""


def topojson_uri() -> str:
    """The local base maps as a ``file://`` URI ending in ``/`` (what plotly.js expects)."""
    return config.TOPOJSON_DIR.resolve().as_uri() + "/"


def find_browser() -> str | None:
    """Path of a usable Chromium: ``BROWSER_PATH`` if set, else one on PATH or a usual place.

    Never downloads a browser (kaleido's ``get_chrome`` would).
    """

    def usable(path: str | None) -> bool:
        return bool(path) and os.path.isfile(str(path)) and os.access(str(path), os.X_OK)

    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if usable(explicit) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if usable(found):
            return found
    return next((p for p in BROWSER_PATHS if usable(p)), None)


def no_browser_message(path: str | None = None) -> str:
    where = f" at {path}" if path else " (looked at BROWSER_PATH, PATH and /usr/bin/chromium)"
    return (
        f"No Chromium/Chrome browser found{where}: static images (PowerPoint, PDF) cannot be "
        "rendered. Install Debian's chromium (`make chromium`) or set BROWSER_PATH."
    )


class Renderer:
    """A kaleido renderer kept alive in its own thread; thread-safe, restartable."""

    def __init__(self, browser: str | None = None) -> None:
        self._browser = browser
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def start(self) -> None:
        """Start Chromium now (otherwise the first image does); raises RendererUnavailable."""
        with self._lock:
            self._start_locked()

    def _start_locked(self) -> None:
        if self._kaleido is not None:
            return
        path = self._browser or find_browser()
        if path is None or not os.access(path, os.X_OK):
            raise RendererUnavailable(no_browser_message(path))
        import kaleido  # imported late: only image export needs it

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="mag-kaleido", daemon=True)
        thread.start()

        async def open_browser() -> Any:
            k = kaleido.Kaleido(n=1, mathjax=False, timeout=IMAGE_TIMEOUT_S, path=path)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(
                START_TIMEOUT_S
            )
        except Exception as error:  # the browser did not start: report it, leave no thread
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
            raise RendererUnavailable(f"Chromium at {path} did not start: {error}") from error
        self._loop, self._thread = loop, thread

    def image(
        self,
        fig: go.Figure,
        fmt: str = "png",
        width: int = 1200,
        height: int = 540,
        scale: float = 2.0,
    ) -> bytes:
        """The figure as ``fmt`` bytes at ``width``×``height`` layout px times ``scale``."""
        spec = fig.to_dict()
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        with self._lock:  # one image at a time: Streamlit sessions run in parallel threads
            self._start_locked()
            assert self._loop is not None
            future = asyncio.run_coroutine_threadsafe(
                self._kaleido.calc_fig(spec, opts, topojson=topojson_uri()), self._loop
            )
            try:
                return bytes(future.result(IMAGE_TIMEOUT_S + 10))
            except (FutureTimeout, RuntimeError, OSError) as error:
                future.cancel()
                self._close_locked()  # a stuck or dead browser: start afresh next time
                raise RendererUnavailable(f"image rendering failed: {error}") from error

    def close(self) -> None:
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        kaleido_obj, loop, thread = self._kaleido, self._loop, self._thread
        self._kaleido = self._loop = self._thread = None
        if loop is None:
            return
        if kaleido_obj is not None:
            with contextlib.suppress(Exception):  # best effort on shutdown
                asyncio.run_coroutine_threadsafe(kaleido_obj.close(), loop).result(15)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)


_default: Renderer | None = None
_default_lock = threading.Lock()


def default_renderer() -> Renderer:
    """The process-wide renderer (shared by every session and by the deck builder)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Renderer()
            atexit.register(_default.close)
        return _default


def warm_up_in_background() -> None:
    """Start the process-wide renderer in a background thread (once), so that the first deck
    build does not wait for Chromium; a failure is left for the build to report."""
    renderer = default_renderer()
    if renderer.running or _warming.is_set():
        return
    _warming.set()

    def start() -> None:
        with contextlib.suppress(RendererUnavailable):
            renderer.start()

    threading.Thread(target=start, name="mag-kaleido-warm-up", daemon=True).start()


_warming = threading.Event()


def available() -> bool:
    """True when a browser is there to render with (the renderer may not be started yet)."""
    return (_default is not None and _default.running) or find_browser() is not None


def to_image(
    fig: go.Figure, fmt: str = "png", width: int = 1200, height: int = 540, scale: float = 2.0
) -> bytes:
    """Render with the process-wide renderer (see ``Renderer.image``)."""
    return default_renderer().image(fig, fmt, width, height, scale)
