"""Registry snapshots: a restart reuses the validated registry only while nothing changed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mag_data import DataValidationError
from mag_data.register import snapshot
from mag_data.register.snapshot import load_registry_snapshot, snapshot_path


def _no_loading(*_args, **_kwargs):
    raise AssertionError("the register was read again instead of the snapshot")


def test_second_load_comes_from_the_snapshot(tiny_folder: Path, tmp_path: Path, monkeypatch):
    cache = tmp_path / "cache"
    first = load_registry_snapshot(tiny_folder, cache)
    assert snapshot_path(tiny_folder, cache).exists()
    monkeypatch.setattr(snapshot, "load_registry", _no_loading)
    second = load_registry_snapshot(tiny_folder, cache)
    pd.testing.assert_frame_equal(second.members, first.members)
    pd.testing.assert_frame_equal(second.participations, first.participations)
    assert second.fingerprint == first.fingerprint
    assert (second.index.part_project == first.index.part_project).all()


def test_an_edited_file_is_loaded_and_validated_again(tiny_folder: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    before = load_registry_snapshot(tiny_folder, cache)
    members = tiny_folder / "members.csv"
    members.write_text(members.read_text(encoding="utf-8").replace("Минск", "Мінск"), "utf-8")
    after = load_registry_snapshot(tiny_folder, cache)
    assert "Мінск" in set(after.members["name_ru"]) and "Мінск" not in set(
        before.members["name_ru"]
    )
    assert len(list(cache.glob("registry-*.pickle"))) == 2


def test_a_broken_register_raises_and_writes_nothing(tiny_folder: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    (tiny_folder / "members.csv").write_text("id\nnot-a-register\n", encoding="utf-8")
    with pytest.raises(DataValidationError):
        load_registry_snapshot(tiny_folder, cache)
    assert not list(cache.glob("*.pickle"))


def test_a_damaged_snapshot_is_ignored_and_replaced(tiny_folder: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    good = load_registry_snapshot(tiny_folder, cache)
    path = snapshot_path(tiny_folder, cache)
    path.write_bytes(path.read_bytes()[:100])  # truncated
    again = load_registry_snapshot(tiny_folder, cache)
    pd.testing.assert_frame_equal(again.members, good.members)
    assert path.stat().st_size > 100  # rewritten whole


def test_an_unwritable_cache_still_serves_the_register(tiny_folder: Path, tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    registry = load_registry_snapshot(tiny_folder, blocker / "cache")
    assert len(registry.members) == 4


def test_only_the_newest_snapshots_are_kept(tiny_folder: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    members = tiny_folder / "members.csv"
    text = members.read_text(encoding="utf-8")
    for name in ("Минск", "Мінск", "Minsk", "Менск"):
        members.write_text(text.replace("Минск", name), "utf-8")
        load_registry_snapshot(tiny_folder, cache)
    assert len(list(cache.glob("registry-*.pickle"))) == snapshot.KEEP


def test_a_change_landing_during_the_read_is_kept_under_its_own_fingerprint(
    tiny_folder: Path, tmp_path: Path, monkeypatch
):
    """An apply lands between taking the key and reading the files: the snapshot holds the new
    content under the new content's key, so an undo back to the old content is not served the
    new register (before, it was, and after every restart too)."""
    cache = tmp_path / "cache"
    members = tiny_folder / "members.csv"
    old = members.read_bytes()
    new = old.replace("Минск".encode(), "Мінск".encode())
    real_load = snapshot.load_registry

    def apply_meanwhile(folder, *args, **kwargs):
        members.write_bytes(new)
        return real_load(folder, *args, **kwargs)

    monkeypatch.setattr(snapshot, "load_registry", apply_meanwhile)
    first = load_registry_snapshot(tiny_folder, cache)
    assert "Мінск" in set(first.members["name_ru"])
    monkeypatch.setattr(snapshot, "load_registry", real_load)
    members.write_bytes(old)  # undo
    again = load_registry_snapshot(tiny_folder, cache)
    assert "Минск" in set(again.members["name_ru"]) and "Мінск" not in set(again.members["name_ru"])
    members.write_bytes(new)
    assert "Мінск" in set(load_registry_snapshot(tiny_folder, cache).members["name_ru"])
