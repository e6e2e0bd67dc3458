"""AppTest fixtures: the whole app (router, sidebar, pages) run headless on the tiny register."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from factories import write_register
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT = 60


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
def start_app(monkeypatch: pytest.MonkeyPatch, tiny_env: Path) -> Callable[..., AppTest]:
    """Start a session (first run done), as if opened from a link with these parameters.

    ``folder`` serves another register; ``page`` (a page script) opens that page's link.
    """

    def start(folder: Path | None = None, page: str | None = None, **query: str) -> AppTest:
        if folder is not None:
            monkeypatch.setenv("MAG_DATA_DIR", str(folder))
        return _new_session(query, page)

    return start


@pytest.fixture(scope="module")
def shared_app(tiny_env: Path) -> Callable[..., AppTest]:
    """One session per link for the whole module, for tests that only look at pages."""
    sessions: dict[tuple, AppTest] = {}

    def get(**query: str) -> AppTest:
        key = tuple(sorted(query.items()))
        if key not in sessions:
            sessions[key] = _new_session(query)
        return sessions[key]

    return get
