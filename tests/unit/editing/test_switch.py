"""Version switches under readers and crashes, the record of every change, and the history's blobs.

A multi-file restore must never let a reader see members of one version with projects of
another; a crash between two renames must be repaired on the next open; a full disk after the
files were written must leave a history that knows the change and say so in words.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest
from factories import (
    MEMBER_HEADER,
    MEMBER_ROWS,
    PROJECT_HEADER,
    PROJECT_ROWS,
    csv_text,
    write_register,
)

from mag_data.editing import files as files_module
from mag_data.editing.store import RegisterStore, StoreError
from mag_data.register.problems import DataValidationError
from mag_data.register.registry import file_fingerprint, fingerprint_of, load_registry
from mag_data.register.schema import REGISTER_FILES

FORK = multiprocessing.get_context("fork")
REAL_REPLACE = os.replace


def snapshot(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in REGISTER_FILES}


def two_file_change() -> dict[str, bytes]:
    members = csv_text(MEMBER_HEADER, [r.replace("Казань", "Казань-на-Волге") for r in MEMBER_ROWS])
    projects = csv_text(
        PROJECT_HEADER, [r.replace("Project 1", "Project one") for r in PROJECT_ROWS]
    )
    return {"members.csv": members.encode(), "projects.csv": projects.encode()}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_register(tmp_path / "data")


@pytest.fixture
def two_versions(folder: Path) -> tuple[RegisterStore, str, str]:
    """A store whose history holds the original (baseline) and a change of two files."""
    store = RegisterStore(folder, lock_timeout=10)
    store.apply(two_file_change(), expected_fingerprint=store.fingerprint(), user="Анна")
    versions = store.history()
    assert [v.action for v in versions] == ["apply", "baseline"]
    return store, versions[1].id, versions[0].id


def slow_register_renames(monkeypatch: pytest.MonkeyPatch, delay: float) -> None:
    """Every rename onto a register file takes a while (a slow disk): the window readers race."""

    def replace(src, dst):
        REAL_REPLACE(src, dst)
        if Path(dst).name in REGISTER_FILES:
            time.sleep(delay)

    monkeypatch.setattr(files_module.os, "replace", replace)


def test_a_reader_never_sees_a_mixed_register_while_restores_run(
    two_versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, old_id, new_id = two_versions
    fingerprints = {v.fingerprint for v in store.history()}
    slow_register_renames(monkeypatch, 0.03)
    seen: list[str] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            try:
                seen.append(load_registry(store.folder).fingerprint)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(12):
            target = old_id if i % 2 == 0 else new_id
            store.restore(target, expected_fingerprint=store.fingerprint(), user="Борис")
    finally:
        done.set()
        thread.join(30)
    assert not errors, errors
    mixed = [f for f in seen if f not in fingerprints]
    assert len(seen) >= 10 and mixed == [], f"{len(mixed)} mixed of {len(seen)} loads"


def _crash_after_first_rename(folder: str, version_id: str, expected: str) -> None:
    """Child process: killed right after the first register file was renamed into place."""

    def replace(src, dst):
        REAL_REPLACE(src, dst)
        if Path(dst).name in REGISTER_FILES:
            os._exit(17)

    files_module.os.replace = replace
    RegisterStore(folder).restore(version_id, expected_fingerprint=expected, user="a")


def test_a_crash_between_two_renames_is_repaired_on_the_next_open(two_versions) -> None:
    store, old_id, _new_id = two_versions
    fingerprints = {v.fingerprint for v in store.history()}
    child = FORK.Process(
        target=_crash_after_first_rename, args=(str(store.folder), old_id, store.fingerprint())
    )
    child.start()
    child.join(30)
    assert child.exitcode == 17
    # The half-done switch never loads silently as a register ...
    try:
        registry = load_registry(store.folder)
    except DataValidationError as error:
        assert any(p.code == "switch_incomplete" for p in error.problems)
    else:
        assert registry.fingerprint in fingerprints
    # ... and opening the store finishes it one way or the other.
    reopened = RegisterStore(store.folder)
    assert fingerprint_of(snapshot(store.folder)) in fingerprints
    assert load_registry(store.folder).fingerprint in fingerprints
    assert reopened.history()[0].fingerprint == reopened.fingerprint()
    assert not (store.folder / "history" / "pending.json").exists()


def test_a_full_disk_after_the_renames_is_told_in_words_and_history_knows_the_change(
    two_versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files were renamed, then the disk is full: a StoreError saying the change was
    written (not an OSError traceback); once there is room, history records that state."""
    store, old_id, _new_id = two_versions
    old_files = store.version_files(old_id)
    renamed: list[str] = []
    real_fsync = os.fsync

    def replace(src, dst):
        REAL_REPLACE(src, dst)
        if Path(dst).name in REGISTER_FILES:
            renamed.append(Path(dst).name)

    def fsync(fd):
        if renamed:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(files_module.os, "replace", replace)
    monkeypatch.setattr(files_module.os, "fsync", fsync)
    with pytest.raises(StoreError) as caught:
        store.restore(old_id, expected_fingerprint=store.fingerprint(), user="Борис")
    assert not isinstance(caught.value, OSError)
    assert getattr(caught.value, "written", None) is True
    monkeypatch.undo()
    assert snapshot(store.folder) == {**snapshot(store.folder), **old_files}
    reopened = RegisterStore(store.folder)
    latest = reopened.history()[0]
    assert latest.fingerprint == file_fingerprint(store.folder)
    assert latest.action == "restore" and latest.user == "Борис"


def test_a_full_disk_before_anything_is_written_changes_nothing(
    two_versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, old_id, _new_id = two_versions
    before = snapshot(store.folder)
    history = store.history()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files_module.os, "fsync", full)
    with pytest.raises(StoreError) as caught:
        store.restore(old_id, expected_fingerprint=store.fingerprint(), user="Борис")
    assert getattr(caught.value, "written", None) is False
    monkeypatch.undo()
    assert snapshot(store.folder) == before
    assert RegisterStore(store.folder).history() == history


# --- history: blobs, names, pruning -------------------------------------------------------------


def test_identical_content_is_stored_once(two_versions) -> None:
    store, old_id, new_id = two_versions
    for target in (old_id, new_id, old_id):
        store.restore(target, expected_fingerprint=store.fingerprint(), user="a")
    versions = store.history()
    hashes = {h for v in versions for h in v.files.values()}
    blobs = sorted((store.folder / "history" / "blobs").iterdir())
    assert len(versions) == 5 and len(blobs) == len(hashes) == len(REGISTER_FILES) + 2
    assert [p.name for p in (store.folder / "history" / versions[0].id).iterdir()] == [
        "manifest.json"
    ]


def test_pruning_keeps_named_versions_and_the_most_recent(two_versions) -> None:
    store, old_id, new_id = two_versions
    store.name_version(old_id, "до переписи")
    for target in (old_id, new_id, old_id, new_id):
        store.restore(target, expected_fingerprint=store.fingerprint(), user="a")
    recent = [v.id for v in store.history()[:2]]
    removed = store.prune(keep_recent=2)
    kept = [v.id for v in store.history()]
    assert set(kept) == {old_id, *recent} and len(removed) == 6 - 3
    assert store.history()[-1].name == "до переписи"
    for version in store.history():  # every kept version still restores byte for byte
        assert fingerprint_of(store.version_files(version.id)) == version.fingerprint
    hashes = {h for v in store.history() for h in v.files.values()}
    assert {p.name for p in (store.folder / "history" / "blobs").iterdir()} == hashes
