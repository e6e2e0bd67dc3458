"""In a real browser: cold start to first paint, bytes to the browser per page, server peak RSS.

One ``streamlit run serve.py`` (what ``make run`` starts) per register size (``MAG_DATA_DIR``),
Debian's Chromium headless through Playwright, every non-loopback request blocked (and counted)
as in the browser tests.

- **cold start**: from launching the server process, in a browser that was already open, to
  the overview's first paint (its title and headline figures on screen: ``first_content``) and
  on to all its charts drawn (plotly's SVG and, for geo charts, the base map);
- **bytes per page**: a fresh load of each page's URL; the WebSocket frames the server sends
  (Streamlit's protobuf messages: the page's elements, figures, tables) are summed until the
  charts are drawn and the script has finished; static HTTP bytes (JS, CSS, base maps) are
  counted apart (the browser caches them after the first page);
- **peak RSS**: ``VmHWM`` of the server process after all pages were served.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Request, Route, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser.helpers import (  # noqa: E402
    CHROMIUM_ARGS,
    LOCAL_HOSTS,
    wait_for_app,
    wait_for_plotly_charts,
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PAGE_TIMEOUT_MS = 240_000
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class BrowserResult:
    """What one server + browser session measured at one size."""

    cold_start_s: float | None = None
    server_ready_s: float | None = None
    cold_steps: dict[str, float] = field(default_factory=dict)
    page_bytes: dict[str, int] = field(default_factory=dict)
    page_seconds: dict[str, float] = field(default_factory=dict)
    page_steps: dict[str, dict[str, float]] = field(default_factory=dict)
    static_bytes: int = 0
    peak_rss_mb: float | None = None
    external_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with _NO_PROXY.open(url, timeout=1) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.hostname or "").lower() in LOCAL_HOSTS


TITLE = "[data-testid='stMain'] h1"
HEADLINE = "[data-testid='stMain'] [data-testid='stMetricValue']"


def _wait_for_page(page: Page, first: str = TITLE) -> dict[str, float]:
    """The script finished and every chart is drawn; returns when each step was reached."""
    marks = {}
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=PAGE_TIMEOUT_MS
    )
    marks["connected"] = time.perf_counter()
    # First paint of the page's own content (``first``: its title, or the overview's headline
    # figures) on screen.
    page.locator(TITLE).first.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    page.locator(first).last.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    marks["first_content"] = time.perf_counter()
    page.locator("[data-testid='stApp'][data-test-script-state='running']").or_(
        page.get_by_test_id("stPlotlyChart").first
    ).first.wait_for(state="attached", timeout=PAGE_TIMEOUT_MS)
    wait_for_app(page, timeout_ms=PAGE_TIMEOUT_MS, initial_wait_ms=0)
    marks["script_done"] = time.perf_counter()
    wait_for_plotly_charts(page, timeout_ms=PAGE_TIMEOUT_MS)
    marks["charts_drawn"] = time.perf_counter()
    return marks


def measure(
    folder: Path,
    pages: dict[str, str],
    log_file: Path,
    cache: Path | None = None,
    script: Path = ROOT / "serve.py",
) -> BrowserResult:
    """Start the app on ``folder``, measure cold start, bytes per page and peak RSS.

    ``cache`` is the server's registry-snapshot folder (``MAG_CACHE_DIR``): empty, the cold
    start includes reading and validating the register; holding the snapshot an earlier start
    wrote, it is a restart with an unchanged register (the usual case)."""
    result = BrowserResult()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [
        str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable,
        "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    env = dict(os.environ, MAG_DATA_DIR=str(folder))
    if cache is not None:
        env["MAG_CACHE_DIR"] = str(cache)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="ru-RU")

        def guard(route: Route, request: Request) -> None:
            try:
                if _is_local(request.url):
                    route.continue_()
                else:
                    result.external_requests.append(request.url)
                    route.abort("blockedbyclient")
            except PlaywrightError:
                pass

        context.route("**/*", guard)
        page = context.new_page()
        ws_bytes = [0]
        http_bytes = [0]

        def on_socket(ws: Any) -> None:
            ws.on(
                "framereceived", lambda payload: ws_bytes.__setitem__(0, ws_bytes[0] + len(payload))
            )

        def on_response(response: Any) -> None:
            try:
                sizes = response.request.sizes()
                http_bytes[0] += int(sizes.get("responseBodySize", 0)) + int(
                    sizes.get("responseHeadersSize", 0)
                )
            except PlaywrightError:
                pass

        page.on("websocket", on_socket)
        page.on("requestfinished", lambda request: on_response(request.response()))
        with log_file.open("wb") as log:
            start = time.perf_counter()
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            try:
                while not healthy(f"{base}/_stcore/health"):
                    if proc.poll() is not None:
                        raise RuntimeError(f"streamlit exited with {proc.returncode}; {log_file}")
                    if time.perf_counter() - start > 120:
                        raise RuntimeError(f"streamlit not healthy after 120 s; {log_file}")
                    time.sleep(0.05)
                result.server_ready_s = time.perf_counter() - start
                page.goto(base + "/", timeout=PAGE_TIMEOUT_MS)
                result.cold_steps["page_loaded"] = time.perf_counter() - start
                marks = _wait_for_page(page, HEADLINE)
                result.cold_steps |= {k: v - start for k, v in marks.items()}
                result.cold_start_s = result.cold_steps["first_content"]
                result.static_bytes = http_bytes[0]
                for name, url_path in pages.items():
                    ws_bytes[0] = 0
                    begin = time.perf_counter()
                    page.goto(f"{base}/{url_path}", timeout=PAGE_TIMEOUT_MS)
                    loaded = time.perf_counter()
                    marks = _wait_for_page(page)
                    result.page_steps[name] = {"page_loaded": loaded - begin} | {
                        k: v - begin for k, v in marks.items()
                    }
                    page.wait_for_timeout(300)  # late frames (e.g. the URL rewrite) still count
                    result.page_seconds[name] = time.perf_counter() - begin
                    result.page_bytes[name] = ws_bytes[0]
                result.peak_rss_mb = peak_rss_mb(proc.pid)
            except (PlaywrightError, RuntimeError) as error:
                result.errors.append(str(error)[:500])
                result.peak_rss_mb = result.peak_rss_mb or peak_rss_mb(proc.pid)
            finally:
                context.close()
                browser.close()
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
                    try:
                        proc.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        os.killpg(proc.pid, signal.SIGKILL)
                        proc.wait(timeout=10)
    return result
