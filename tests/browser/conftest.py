"""Browser-test harness: a live `streamlit run` server plus headless Chromium that may only talk to
it. Every test that uses the `page` fixture proves the app makes zero external requests.

The server runs with editing on: the shared editor password is ``helpers.EDITOR_PASSWORD``
(its hash, at the cheapest cost the app accepts, in ``MAG_ADMIN_PASSWORD_HASH``), so tests can
sign in on the data page. No browser test applies an upload: the bundled data/ is never written.

Environment:
    MAG_APP_SCRIPT   script to serve, relative to the repo root or absolute (default: app.py)
    CHROMIUM_PATH    Chromium binary (default: /usr/bin/chromium; `make chromium` installs it)
    MAG_SERVER_START_TIMEOUT  seconds to wait for the server's health check (default: 60)
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    Route,
    WebSocketRoute,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from mag_data.editing import auth
from tests.browser.helpers import (
    CHROMIUM_ARGS,
    EDITOR_PASSWORD,
    LOCAL_HOSTS,
    OUTPUT_DIR,
    screenshot,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_LOG = OUTPUT_DIR / "streamlit-server.log"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
LOCAL_SCHEMES = {"http", "https", "ws", "wss"}
ALWAYS_ALLOWED_SCHEMES = {"data", "blob", "about"}

# Loopback requests must never go through an HTTP proxy from the environment.
_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def is_local_url(url: str) -> bool:
    """True for URLs the app may load: loopback http(s)/ws(s), data:, blob:, about:."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ALWAYS_ALLOWED_SCHEMES:
        return True
    return scheme in LOCAL_SCHEMES and (parts.hostname or "").lower() in LOCAL_HOSTS


# --------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _app_script() -> Path:
    script = Path(os.environ.get("MAG_APP_SCRIPT", "serve.py"))
    return script if script.is_absolute() else REPO_ROOT / script


def _python() -> str:
    venv_python = REPO_ROOT / ".venv" / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


def _health_ok(url: str) -> bool:
    try:
        with _NO_PROXY_OPENER.open(url, timeout=1) as resp:
            return bool(resp.status == 200 and resp.read().strip() == b"ok")
    except (urllib.error.URLError, OSError):
        return False


def _log_tail(n: int = 40) -> str:
    try:
        lines = SERVER_LOG.read_text(errors="replace").splitlines()
    except OSError:
        return "(no server log)"
    return "\n".join(lines[-n:])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Start `streamlit run <MAG_APP_SCRIPT>` on a free loopback port; yield its base URL."""
    script = _app_script()
    if not script.is_file():
        pytest.fail(
            f"app script {script} does not exist (set MAG_APP_SCRIPT to serve another one)",
            pytrace=False,
        )

    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [
        _python(), "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    timeout_s = float(os.environ.get("MAG_SERVER_START_TIMEOUT", "60"))
    with SERVER_LOG.open("wb") as log:
        log.write(f"$ {' '.join(cmd)}\n".encode())
        log.flush()
        editor_hash = auth.hash_password(EDITOR_PASSWORD, n=auth.MIN_N, r=auth.MIN_R, p=1)
        proc = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,  # .streamlit/config.toml is read from the working directory
            env={**os.environ, auth.ENV_VAR: editor_hash},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # own process group, so teardown can stop all of it
        )
        try:
            deadline = time.monotonic() + timeout_s
            while not _health_ok(f"{base}/_stcore/health"):
                if proc.poll() is not None:
                    pytest.fail(
                        f"streamlit exited with code {proc.returncode} before becoming healthy; "
                        f"log {SERVER_LOG}:\n{_log_tail()}",
                        pytrace=False,
                    )
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"streamlit did not answer {base}/_stcore/health within {timeout_s:.0f}s; "
                        f"log {SERVER_LOG}:\n{_log_tail()}",
                        pytrace=False,
                    )
                time.sleep(0.1)
            yield base
        finally:
            _stop(proc)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Debian Chromium. A missing browser is a test failure, never a silent skip."""
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        where = " (CI)" if os.environ.get("CI") else ""
        pytest.fail(
            f"Chromium not found at {path}{where}. Run `make chromium` (installs Debian's "
            "chromium with apt-get) or set CHROMIUM_PATH to a Chromium binary. "
            "Deselect browser tests with `-m 'not browser'`.",
            pytrace=False,
        )
    try:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
    except PlaywrightError as exc:
        pytest.fail(f"could not launch Chromium at {path}: {exc}", pytrace=False)
    yield browser
    browser.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser/ is a browser test, so `-m "not browser"` deselects it."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item so `page` can screenshot failed tests."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Browser, app_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh context (1600x900, ru-RU) whose only reachable host is the local app.

    Attached lists, inspectable from the test:
        page.external_requests  URLs of blocked non-loopback requests (must stay empty)
        page.console_errors     console messages of type "error"
        page.js_errors          uncaught JavaScript exceptions ("pageerror"; named so as not to
                                shadow Playwright's own page.page_errors() method)
    """
    external: list[str] = []
    console_errors: list[str] = []
    js_errors: list[str] = []

    context = browser.new_context(
        viewport={"width": 1600, "height": 900},
        locale="ru-RU",
        base_url=app_url,
        service_workers="block",
    )

    def guard(route: Route, req: Request) -> None:
        try:
            if is_local_url(req.url):
                route.continue_()
            else:
                external.append(f"{req.method} {req.url} ({req.resource_type})")
                route.abort("blockedbyclient")
        except PlaywrightError:
            pass  # the page went away while the request was in flight

    def guard_ws(ws: WebSocketRoute) -> None:
        external.append(f"WS {ws.url}")
        ws.close()

    context.route("**/*", guard)
    # HTTP routes do not see WebSockets; route only non-local ones so Streamlit's own stays native.
    context.route_web_socket(lambda url: not is_local_url(url), guard_ws)

    pg = context.new_page()
    pg.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: js_errors.append(str(exc)))
    pg.external_requests = external  # type: ignore[attr-defined]
    pg.console_errors = console_errors  # type: ignore[attr-defined]
    pg.js_errors = js_errors  # type: ignore[attr-defined]

    yield pg

    reports = (getattr(request.node, f"rep_{phase}", None) for phase in ("setup", "call"))
    if any(rep is not None and rep.failed for rep in reports):
        with contextlib.suppress(PlaywrightError):
            screenshot(pg, f"FAILED-{request.node.nodeid}")
    context.close()

    if external:
        pytest.fail(
            f"{len(external)} external request(s) blocked (the app must work offline):\n  "
            + "\n  ".join(external),
            pytrace=False,
        )


@pytest.fixture
def room(browser: Browser, app_url: str) -> Iterator:
    """Open pages in a fresh context of a given size and browser language, offline."""
    contexts: list[tuple[BrowserContext, list[str]]] = []

    def open_context(width: int, height: int, locale: str = "ru-RU", mobile: bool = False) -> Page:
        external: list[str] = []
        context = browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=mobile,
            has_touch=mobile,
            locale=locale,
            base_url=app_url,
            service_workers="block",
        )

        def guard(route, request) -> None:
            if is_local_url(request.url):
                route.continue_()
            else:
                external.append(request.url)
                route.abort("blockedbyclient")

        context.route("**/*", guard)
        contexts.append((context, external))
        return context.new_page()

    yield open_context
    for context, external in contexts:
        context.close()
        assert not external, f"external requests: {external}"
