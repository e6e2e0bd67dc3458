"""ui.state: the registry cache is keyed by the content actually read; any load failure is a report."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import write_register

from mag_data import DataValidationError
from mag_data.register import registry as registry_module
from mag_data.register.registry import file_fingerprint
from ui import state


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_register(tmp_path / "data")
    monkeypatch.setenv("MAG_DATA_DIR", str(folder))
    monkeypatch.setenv("MAG_CACHE_DIR", str(tmp_path / "cache"))
    state._load.clear()
    return folder


def test_an_apply_landing_during_the_load_is_not_cached_under_the_old_key(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = folder / "members.csv"
    old = members.read_bytes()
    new = old.replace("Минск".encode(), "Мінск".encode())
    real_load = state.load_registry_snapshot

    def apply_meanwhile(path, *args, **kwargs):
        members.write_bytes(new)
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(state, "load_registry_snapshot", apply_meanwhile)
    first = state.get_registry()
    assert "Мінск" in set(first.members["name_ru"])
    monkeypatch.setattr(state, "load_registry_snapshot", real_load)
    members.write_bytes(old)  # an undo back to the content of the old key
    again = state.get_registry()
    assert again.fingerprint == file_fingerprint(folder)
    assert "Минск" in set(again.members["name_ru"])


def test_an_unexpected_failure_while_loading_is_a_load_failed_report(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args, **_kwargs):
        raise OverflowError("cannot convert float infinity to integer")

    monkeypatch.setattr(registry_module, "derive_projects", broken)
    with pytest.raises(DataValidationError) as caught:
        state.get_registry()
    [problem] = caught.value.problems
    assert problem.code == "load_failed" and "OverflowError" in problem.params["error"]


@pytest.mark.parametrize(
    "url,base,expected",
    [
        ("http://127.0.0.1:8501/kart", "", "kart"),
        ("http://127.0.0.1:8501/%D0%BA%D0%B0%D1%80%D1%82%D0%B0", "", "карта"),
        ("http://127.0.0.1:8501/map", "", None),  # a page of the app
        ("http://127.0.0.1:8501/", "", None),  # the root is the overview
        ("http://127.0.0.1:8501", "", None),
        ("http://127.0.0.1:8501/a/b", "", None),  # nested: Streamlit cannot serve it
        ("http://127.0.0.1:8501/a%2Fb", "", None),
        ("http://127.0.0.1:8501/%20x", "", None),  # st.Page would strip the space
        ("https://mag.example/dash/kart", "dash", "kart"),
        ("https://mag.example/dash", "/dash/", None),
        ("https://mag.example/other/kart", "dash", None),
        (None, "", None),
    ],
)
def test_an_unknown_address_is_told_apart_from_the_pages(url, base, expected) -> None:
    """The router gives an unknown single-segment address a hidden page of its own (so
    Streamlit's English «Page not found» dialog never shows); known pages, the root and paths
    Streamlit cannot serve are left alone."""
    assert state.unknown_path(url, base, ["", "_root", "map", "overview", "home"]) == expected
