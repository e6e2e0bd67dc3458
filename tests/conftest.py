"""Shared fixtures: the repository root on sys.path and the tiny hand-checked register."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from factories import write_register  # noqa: E402

from mag_data import load_registry  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _snapshots_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Registry snapshots of the test registers go to a temporary folder, not .cache/."""
    import os

    os.environ.setdefault("MAG_CACHE_DIR", str(tmp_path_factory.mktemp("snapshots")))


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    """A folder holding the tiny register (4 cities, 4 projects)."""
    return write_register(tmp_path / "data")


@pytest.fixture
def tiny(tiny_folder: Path):
    """The tiny register, loaded."""
    return load_registry(tiny_folder)
