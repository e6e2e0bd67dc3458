"""AppTest fixtures: the whole app (router, sidebar, pages) run headless on the tiny register."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from factories import write_register
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT = 60


class ServerMode:
    """How AppTest runs are executed, as a live server would execute them.

    A server runs its very first script run through Streamlit's legacy ``pages/`` discovery (the
    folder exists) and every later run through ``st.navigation``, once app.py has called it.
    AppTest resets that switch before each run, so left alone every run would be a server's first
    run, which a real session never sees twice. ``first_run_of_server = True`` asks for it.
    """

    def __init__(self) -> None:
        self.first_run_of_server = False


@pytest.fixture(scope="module")
def server_mode() -> Iterator[ServerMode]:
    """Runs behave like a running server's (st.navigation) unless a test asks for the first run."""
    mode = ServerMode()
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        if not mode.first_run_of_server:
            PagesManager.uses_pages_directory = False

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PagesManager, "__init__", init)
        yield mode
    PagesManager.uses_pages_directory = None


@pytest.fixture
def fresh_server(server_mode: ServerMode) -> Iterator[ServerMode]:
    """The next runs are a freshly started server's first run (until the test says otherwise)."""
    server_mode.first_run_of_server = True
    yield server_mode
    server_mode.first_run_of_server = False


@pytest.fixture(scope="session")
def register_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tiny register for the whole run: the app caches it by folder and content hash."""
    return write_register(tmp_path_factory.mktemp("tiny") / "data")


@pytest.fixture(scope="module")
def tiny_env(register_dir: Path) -> Iterator[Path]:
    """MAG_DATA_DIR points at the tiny register for the module (a test may point it elsewhere)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MAG_DATA_DIR", str(register_dir))
        yield register_dir


def _new_session(query: dict[str, str], page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(page)
    return at.run()


@pytest.fixture
def start_app(
    monkeypatch: pytest.MonkeyPatch, tiny_env: Path, server_mode: ServerMode
) -> Callable[..., AppTest]:
    """Start a session (first run done), as if opened from a link with these parameters.

    ``folder`` serves another register; ``page`` (a page script) opens that page's link.
    """

    def start(folder: Path | None = None, page: str | None = None, **query: str) -> AppTest:
        if folder is not None:
            monkeypatch.setenv("MAG_DATA_DIR", str(folder))
        return _new_session(query, page)

    return start


@pytest.fixture(scope="module")
def shared_app(tiny_env: Path, server_mode: ServerMode) -> Callable[..., AppTest]:
    """One session per link for the whole module, for tests that only look at pages."""
    sessions: dict[tuple, AppTest] = {}

    def get(**query: str) -> AppTest:
        key = tuple(sorted(query.items()))
        if key not in sessions:
            sessions[key] = _new_session(query)
        return sessions[key]

    return get
