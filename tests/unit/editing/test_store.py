"""The versioned register store: review, diff, atomic apply, history, undo, lock and conflicts.

Every test works on the tiny register written to a temporary folder (``tests/factories.py``);
the bundled ``data/`` is never written.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from pathlib import Path

import pytest
from factories import (
    MEMBER_HEADER,
    MEMBER_ROWS,
    PARTICIPANT_HEADER,
    PARTICIPANT_ROWS,
    PROJECT_HEADER,
    PROJECT_ROWS,
    csv_text,
    write_register,
)

from mag_data.editing import files as files_module
from mag_data.editing.files import sha256
from mag_data.editing.review import MAX_UPLOAD_BYTES, export_frame
from mag_data.editing.store import ConflictError, LockTimeout, RegisterStore, StoreError
from mag_data.present.export import to_csv_bytes, to_xlsx_bytes
from mag_data.register.problems import DataValidationError
from mag_data.register.registry import file_fingerprint, fingerprint_of
from mag_data.register.schema import MEMBERS, PARTICIPANTS, PROJECTS, REGISTER_FILES

FORK = multiprocessing.get_context("fork")


def members_csv(*edits: tuple[int, str, str], drop: int | None = None, add: str = "") -> bytes:
    """The tiny members file with some text replaced in some rows, one row dropped, one added."""
    rows = list(MEMBER_ROWS)
    for index, old, new in edits:
        assert old in rows[index]
        rows[index] = rows[index].replace(old, new, 1)
    if drop is not None:
        rows.pop(drop)
    if add:
        rows.append(add)
    return csv_text(MEMBER_HEADER, rows).encode("utf-8")


NEW_CITY = (
    "grodno,Гродно,Grodno,belarus,Беларусь,Belarus,BY,eastern_europe,Восточная Европа,"
    "Eastern Europe,1,2,BY-HR,Гродненская область,Grodno Region,,,53.6884,23.8258,357493,2019,"
    "test,false,,,,,627904,test"
)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in REGISTER_FILES}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_register(tmp_path / "data")


@pytest.fixture
def store(folder: Path) -> RegisterStore:
    return RegisterStore(folder, lock_timeout=5)


def apply_members(store: RegisterStore, raw: bytes, user: str = "Анна", reason: str = ""):
    review = store.review(MEMBERS, raw, "members.csv")
    assert not review.errors, review.errors
    return store.apply(
        {review.file: review.data}, expected_fingerprint=review.base_fingerprint, user=user,
        reason=reason,
    )  # fmt: skip


# --- review and differences ---------------------------------------------------------------------


def test_fingerprint_is_the_registry_fingerprint(store: RegisterStore, folder: Path) -> None:
    """The store's fingerprint is the one the app caches the register by."""
    assert store.fingerprint() == file_fingerprint(folder)


def test_an_unchanged_file_has_no_differences_and_cannot_be_applied(store: RegisterStore) -> None:
    """Uploading the register as it is: no error, no difference, nothing to apply."""
    review = store.review(MEMBERS, members_csv(), "members.csv")
    assert review.errors == [] and review.diff is not None
    assert review.diff.is_empty and not review.can_apply
    assert (review.encoding, review.delimiter, review.rows) == ("utf-8", ",", 4)


@pytest.mark.parametrize(
    ("raw", "added", "removed", "changed"),
    [
        pytest.param(members_csv(add=NEW_CITY), ["grodno"], [], [], id="row-added"),
        pytest.param(members_csv(), [], ["grodno"], [], id="row-removed"),
        pytest.param(
            members_csv((1, "Казань,Kazan", "Казань,Kazan'"), (1, ",500,", ",510,")),
            [],
            [],
            [("kazan", "name_en", "Kazan", "Kazan'"), ("kazan", "population", "500", "510")],
            id="two-cells-changed",
        ),
        pytest.param(
            # Other notation, same data: a thousands space and a decimal comma.
            members_csv((0, ",1000,", ',"1 000",'), (0, "55.75204", '"55,75204"')),
            [],
            [],
            [],
            id="notation-only",
        ),
    ],
)
def test_review_lists_rows_added_removed_and_cells_changed(
    store: RegisterStore, raw: bytes, added: list, removed: list, changed: list
) -> None:
    """The diff is keyed by the table's key and lists each changed cell with before and after."""
    if removed:  # a register with a fifth city that no project or alias uses
        (store.folder / "members.csv").write_bytes(members_csv(add=NEW_CITY))
    review = store.review(MEMBERS, raw, "members.csv")
    assert review.errors == []
    diff = review.diff
    assert list(diff.added["id"]) == added
    assert list(diff.removed["id"]) == removed
    cells = [tuple(r) for r in diff.changed[["id", "column", "old", "new"]].to_numpy()]
    assert cells == changed


def test_participants_are_keyed_by_project_and_member(store: RegisterStore) -> None:
    """A role change is one changed cell of the (project_id, member_id) row."""
    rows = [r.replace("P1,minsk,partner", "P1,minsk,lead") for r in PARTICIPANT_ROWS]
    rows = [r.replace("P1,msk,lead", "P1,msk,partner") for r in rows]
    review = store.review(PARTICIPANTS, csv_text(PARTICIPANT_HEADER, rows).encode(), "p.csv")
    assert review.errors == []
    cells = [tuple(r) for r in review.diff.changed.to_numpy()]
    assert cells == [
        ("P1", "msk", "role", "lead", "partner"),
        ("P1", "minsk", "role", "partner", "lead"),
    ]


@pytest.mark.parametrize(
    ("population", "warned"),
    [("510", False), ("740", False), ("760", True), ("240", True), ("1500", True)],
)
def test_a_population_change_over_half_is_a_warning(
    store: RegisterStore, population: str, warned: bool
) -> None:
    """Kazan has 500: 740 (+48 %) passes, 760 (+52 %) and 240 (−52 %) need a confirmation."""
    review = store.review(MEMBERS, members_csv((1, ",500,", f",{population},")), "m.csv")
    codes = [p.code for p in review.warnings]
    assert ("population_jump" in codes) is warned
    assert review.errors == [] and review.can_apply
    if warned:
        jump = next(p for p in review.warnings if p.code == "population_jump")
        assert (jump.row, jump.column, jump.value, jump.file) == (
            3,
            "population",
            population,
            "m.csv",
        )


def test_removing_rows_is_a_warning(store: RegisterStore) -> None:
    """Removing a city that no project uses is allowed but must be confirmed."""
    (store.folder / "members.csv").write_bytes(members_csv(add=NEW_CITY))
    review = store.review(MEMBERS, members_csv(), "m.csv")
    assert review.errors == [] and review.can_apply
    warning = next(p for p in review.warnings if p.code == "rows_removed")
    assert warning.params == {"count": 1} and warning.value == "grodno"


def test_the_written_file_changes_only_the_cells_whose_data_changed(
    store: RegisterStore, folder: Path
) -> None:
    """Unchanged cells keep the stored text ("55.75200" stays), whatever notation the upload
    used for them (here Windows-1251, ';' and decimal commas)."""
    stored = members_csv((0, "55.75204", "55.75200"))
    (folder / "members.csv").write_bytes(stored)
    upload = members_csv((0, "55.75204", "55.752"), (1, ",500,", ",510,")).decode()
    upload = upload.replace(",", ";").replace("55.752;", "55,752;")
    review = store.review(MEMBERS, upload.encode("cp1251"), "m.csv")
    assert review.errors == [] and review.encoding == "cp1251"
    assert review.data == stored.replace(b",500,", b",510,")


def test_errors_block_the_apply_and_name_the_uploaded_file(store: RegisterStore) -> None:
    """A bad cell is an error at its row and column in the uploaded file; nothing to apply."""
    review = store.review(MEMBERS, members_csv((2, ",300,", ",many,")), "Члены.csv")
    assert review.data is None and not review.can_apply
    [error] = review.errors
    assert (error.file, error.row, error.column, error.value, error.code) == (
        "Члены.csv", 4, "population", "many", "bad_int",
    )  # fmt: skip


def test_removing_a_member_that_projects_use_is_an_error_in_participants(
    store: RegisterStore,
) -> None:
    """The upload is checked against the rest of the register (cross-table checks)."""
    review = store.review(MEMBERS, members_csv(drop=3), "m.csv")
    assert {(p.file, p.code) for p in review.errors} >= {("participants.csv", "unknown_member")}


def test_a_file_over_the_size_limit_is_refused_without_parsing(store: RegisterStore) -> None:
    review = store.review(MEMBERS, b"x" * (MAX_UPLOAD_BYTES + 1), "big.csv")
    assert [p.code for p in review.errors] == ["file_too_large"]


def test_only_the_maintained_registers_can_be_uploaded(store: RegisterStore) -> None:
    from mag_data.register.schema import TASKS

    with pytest.raises(ValueError):
        store.review(TASKS, b"id\n", "tasks.csv")


@pytest.mark.parametrize(
    ("fmt", "sep"),
    [("csv", ","), ("csv", ";"), ("xlsx", "")],
    ids=["csv-comma", "csv-semicolon", "xlsx"],
)
@pytest.mark.parametrize("spec", [MEMBERS, PROJECTS, PARTICIPANTS], ids=lambda s: s.name)
def test_a_downloaded_register_uploads_back_without_differences(
    store: RegisterStore, spec, fmt: str, sep: str
) -> None:
    """Download (CSV , / CSV ; with decimal commas / XLSX) then upload: no error, no change."""
    frame = export_frame(spec, (store.folder / spec.file).read_bytes())
    if fmt == "xlsx":
        raw = to_xlsx_bytes(frame, sheet=spec.name)
    else:
        raw = to_csv_bytes(frame, sep=sep, decimal="," if sep == ";" else ".")
    review = store.review(spec, raw, f"{spec.name}.{fmt}")
    assert review.errors == []
    assert review.diff.is_empty


# --- apply, history, undo -----------------------------------------------------------------------


def test_apply_writes_the_canonical_file_and_records_both_versions(
    store: RegisterStore, folder: Path
) -> None:
    """The first apply keeps the original as a baseline, then records the new state."""
    before = snapshot(folder)
    version = apply_members(store, members_csv((1, ",500,", ",510,")), reason="census 2024")
    after = snapshot(folder)
    assert after["members.csv"] != before["members.csv"]
    assert {n: d for n, d in after.items() if n != "members.csv"} == {
        n: d for n, d in before.items() if n != "members.csv"
    }
    assert b",510," in after["members.csv"] and not after["members.csv"].startswith(b"\xef\xbb\xbf")
    history = store.history()
    assert [v.action for v in history] == ["apply", "baseline"]
    assert history[0] == version and version.changed == ("members.csv",)
    assert history[1].fingerprint == fingerprint_of(before)
    manifest = json.loads((folder / "history" / version.id / "manifest.json").read_text())
    assert manifest["user"] == "Анна" and manifest["reason"] == "census 2024"
    assert manifest["files"]["members.csv"] == sha256(after["members.csv"])
    assert version.id.endswith("_Анна")
    assert store.fingerprint() == version.fingerprint


def test_undo_restores_byte_identical_files(store: RegisterStore, folder: Path) -> None:
    """Apply twice, then restore the baseline: every file is byte for byte the original."""
    original = snapshot(folder)
    apply_members(store, members_csv((1, ",500,", ",510,")))
    second = snapshot(folder)
    apply_members(store, members_csv((1, ",500,", ",520,"), add=NEW_CITY))
    target = store.undo_target()
    assert target is not None and target.fingerprint == fingerprint_of(second)
    store.restore(target.id, expected_fingerprint=store.fingerprint(), user="Борис")
    assert snapshot(folder) == second
    baseline = store.history()[-1]
    store.restore(baseline.id, expected_fingerprint=store.fingerprint(), user="Борис")
    assert snapshot(folder) == original
    # The restore is itself a version: undoing it brings the second state back.
    assert store.history()[0].restored_from == baseline.id
    store.restore(store.undo_target().id, expected_fingerprint=store.fingerprint(), user="Борис")
    assert snapshot(folder) == second


def test_applying_the_current_content_changes_nothing(store: RegisterStore) -> None:
    current = (store.folder / "members.csv").read_bytes()
    assert (
        store.apply({"members.csv": current}, expected_fingerprint=store.fingerprint(), user="a")
        is None
    )
    assert store.history() == []


def test_an_edit_outside_the_store_is_kept_before_the_next_apply(
    store: RegisterStore, folder: Path
) -> None:
    """Someone edits a file by hand: that state is recorded before being replaced."""
    apply_members(store, members_csv((1, ",500,", ",510,")))
    by_hand = members_csv((1, ",500,", ",505,"))
    (folder / "members.csv").write_bytes(by_hand)
    apply_members(store, members_csv((1, ",500,", ",530,")))
    actions = [v.action for v in store.history()]
    assert actions == ["apply", "external", "apply", "baseline"]
    external = store.history()[1]
    assert store.version_files(external.id)["members.csv"] == by_hand


def test_a_damaged_history_file_is_detected(store: RegisterStore, folder: Path) -> None:
    apply_members(store, members_csv((1, ",500,", ",510,")))
    baseline = store.history()[-1]
    (folder / "history" / "blobs" / baseline.files["members.csv"]).write_bytes(b"tampered")
    with pytest.raises(StoreError):
        store.restore(baseline.id, expected_fingerprint=store.fingerprint(), user="a")


def test_apply_refuses_an_invalid_register_and_foreign_file_names(store: RegisterStore) -> None:
    fp = store.fingerprint()
    with pytest.raises(DataValidationError):
        store.apply({"members.csv": b"id\nx\n"}, expected_fingerprint=fp, user="a")
    with pytest.raises(ValueError):
        store.apply({"../app.py": b"x"}, expected_fingerprint=fp, user="a")
    with pytest.raises(ValueError):
        store.apply({"members.csv": members_csv()}, expected_fingerprint=fp, user=" ")
    assert store.fingerprint() == fp and store.history() == []


def test_apply_keeps_the_file_permissions(store: RegisterStore, folder: Path) -> None:
    os.chmod(folder / "members.csv", 0o640)
    apply_members(store, members_csv((1, ",500,", ",510,")))
    assert (folder / "members.csv").stat().st_mode & 0o777 == 0o640


# --- crashes ------------------------------------------------------------------------------------


def test_a_failure_between_write_and_rename_leaves_the_register_intact(
    store: RegisterStore, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.replace fails (disk error, kill): old files intact, no temporary file, no new version."""
    before = snapshot(folder)

    def broken_replace(src, dst):
        raise OSError("simulated crash between write and rename")

    monkeypatch.setattr(files_module.os, "replace", broken_replace)
    with pytest.raises(StoreError, match="nothing written: simulated crash"):
        apply_members(store, members_csv((1, ",500,", ",510,")))
    assert snapshot(folder) == before
    assert list(folder.glob(".*.tmp")) == []
    assert store.history() == []  # it failed while storing the contents, before any record


def test_a_failed_multi_file_restore_puts_back_the_files_already_renamed(
    store: RegisterStore, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Restoring two files where the second rename fails: the first is rolled back."""
    original = snapshot(folder)
    apply_members(store, members_csv((1, ",500,", ",510,")))
    projects = csv_text(
        PROJECT_HEADER, [r.replace("Project 1", "Project one") for r in PROJECT_ROWS]
    )
    review = store.review(PROJECTS, projects.encode(), "projects.csv")
    store.apply({review.file: review.data}, expected_fingerprint=review.base_fingerprint, user="a")
    changed = snapshot(folder)
    real_replace = os.replace
    calls = []

    def replace_once(src, dst):
        if Path(dst).name in REGISTER_FILES:  # not the history's contents or journal
            calls.append(dst)
        if len(calls) == 2:
            raise OSError("simulated crash on the second file")
        return real_replace(src, dst)

    monkeypatch.setattr(files_module.os, "replace", replace_once)
    with pytest.raises(StoreError, match="nothing written"):
        store.restore(store.history()[-1].id, expected_fingerprint=store.fingerprint(), user="a")
    monkeypatch.setattr(files_module.os, "replace", real_replace)
    assert snapshot(folder) == changed != original
    assert list(folder.glob(".*.tmp")) == []


def _die_during_rename(folder: str, data: bytes, expected: str) -> None:
    """Child process: the process is killed right after the new file was written and synced."""
    real_replace = os.replace

    def die_on_register_file(src, dst):
        if Path(dst).name in REGISTER_FILES:
            os._exit(17)
        real_replace(src, dst)

    files_module.os.replace = die_on_register_file
    RegisterStore(folder).apply({"members.csv": data}, expected_fingerprint=expected, user="a")


def test_a_process_killed_during_apply_leaves_the_previous_register(
    store: RegisterStore, folder: Path
) -> None:
    """A real kill (os._exit) before the rename: previous files intact; next apply cleans up."""
    before = snapshot(folder)
    review = store.review(MEMBERS, members_csv((1, ",500,", ",510,")), "m.csv")
    child = FORK.Process(
        target=_die_during_rename, args=(str(folder), review.data, review.base_fingerprint)
    )
    child.start()
    child.join(30)
    assert child.exitcode == 17
    assert snapshot(folder) == before
    assert len(list(folder.glob(".members.csv.*.tmp"))) == 1  # the orphan the kill left
    store.apply(
        {"members.csv": review.data}, expected_fingerprint=review.base_fingerprint, user="a"
    )
    assert list(folder.glob(".*.tmp")) == []
    assert (folder / "members.csv").read_bytes() == review.data


# --- concurrency --------------------------------------------------------------------------------


def test_an_apply_against_a_stale_review_is_a_conflict_with_the_new_differences(
    store: RegisterStore, folder: Path
) -> None:
    """Anna and Boris review the same register; Anna applies first; Boris gets a conflict."""
    anna = store.review(MEMBERS, members_csv((1, ",500,", ",510,")), "a.csv")
    boris = store.review(MEMBERS, members_csv((2, ",300,", ",310,")), "b.csv")
    store.apply({anna.file: anna.data}, expected_fingerprint=anna.base_fingerprint, user="Анна")
    after_anna = snapshot(folder)
    with pytest.raises(ConflictError) as caught:
        store.apply(
            {boris.file: boris.data}, expected_fingerprint=boris.base_fingerprint, user="Борис"
        )
    conflict = caught.value
    assert snapshot(folder) == after_anna
    assert conflict.latest is not None and conflict.latest.user == "Анна"
    cells = [tuple(r) for r in conflict.diffs["members.csv"].changed.to_numpy()]
    # Against the current register, Boris's file would also undo Anna's change.
    assert cells == [("kazan", "population", "510", "500"), ("minsk", "population", "300", "310")]


def _apply_after_barrier(folder, data, expected, barrier, results) -> None:
    barrier.wait()
    try:
        RegisterStore(folder).apply({"members.csv": data}, expected_fingerprint=expected, user="p")
        results.put("applied")
    except ConflictError:
        results.put("conflict")


def test_two_processes_applying_at_once_one_wins_one_gets_a_conflict(
    store: RegisterStore, folder: Path
) -> None:
    """Two processes, same reviewed fingerprint, released together: no update is lost."""
    fp = store.fingerprint()
    first = store.review(MEMBERS, members_csv((1, ",500,", ",510,")), "a.csv").data
    second = store.review(MEMBERS, members_csv((2, ",300,", ",310,")), "b.csv").data
    barrier, results = FORK.Barrier(2), FORK.Queue()
    workers = [
        FORK.Process(target=_apply_after_barrier, args=(str(folder), d, fp, barrier, results))
        for d in (first, second)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert sorted(results.get(timeout=5) for _ in workers) == ["applied", "conflict"]
    assert (folder / "members.csv").read_bytes() in (first, second)
    assert [v.action for v in store.history()] == ["apply", "baseline"]


def test_two_threads_applying_at_once_one_wins_one_gets_a_conflict(
    store: RegisterStore, folder: Path
) -> None:
    """The file lock also serialises threads of one server process (one open file each)."""
    fp = store.fingerprint()
    datas = [
        store.review(MEMBERS, members_csv((1, ",500,", f",{n},")), "m.csv").data for n in (510, 520)
    ]
    barrier, outcomes = threading.Barrier(2), []

    def run(data: bytes) -> None:
        barrier.wait()
        try:
            RegisterStore(folder).apply({"members.csv": data}, expected_fingerprint=fp, user="t")
            outcomes.append("applied")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=run, args=(d,)) for d in datas]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sorted(outcomes) == ["applied", "conflict"]


def _try_lock(folder: str, results) -> None:
    try:
        with RegisterStore(folder, lock_timeout=0.2).lock():
            results.put("locked")
    except LockTimeout:
        results.put("timeout")


def test_the_lock_excludes_other_processes_until_released(
    store: RegisterStore, folder: Path
) -> None:
    results = FORK.Queue()
    with store.lock():
        child = FORK.Process(target=_try_lock, args=(str(folder), results))
        child.start()
        child.join(30)
        assert results.get(timeout=5) == "timeout"
    child = FORK.Process(target=_try_lock, args=(str(folder), results))
    child.start()
    child.join(30)
    assert results.get(timeout=5) == "locked"


# --- new cities --------------------------------------------------------------------------------


def test_new_cities_without_coordinates_are_listed_and_filled(store: RegisterStore) -> None:
    """A new row with empty lat/lon is listed; filling the cells makes the upload valid."""
    raw = members_csv(add=NEW_CITY.replace("53.6884,23.8258", ","))
    missing = store.new_members_without_coordinates(raw, "m.csv")
    assert list(missing["id"]) == ["grodno"] and list(missing["row"]) == [4]
    assert [p.column for p in store.review(MEMBERS, raw, "m.csv").errors] == ["lat", "lon"]
    fills = {4: {"lat": "53.6884", "lon": "23.8258", "coord_source": "manual entry"}}
    review = store.review(MEMBERS, raw, "m.csv", fills=fills)
    assert review.errors == [] and list(review.diff.added["id"]) == ["grodno"]
    added = review.diff.added.iloc[0]
    assert (added["lat"], added["lon"], added["coord_source"]) == (
        "53.6884",
        "23.8258",
        "manual entry",
    )
    assert store.new_members_without_coordinates(members_csv(), "m.csv").empty


def test_the_lock_works_without_fcntl(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no fcntl: the register lock must not need it (filelock picks the backend)."""
    import importlib
    import sys

    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` now raises ImportError
    try:
        module = importlib.reload(files_module)
        first = module.RegisterLock(folder, timeout=0.2, busy=LockTimeout)
        second = module.RegisterLock(folder, timeout=0.2, busy=LockTimeout)
        with first.hold(), pytest.raises(LockTimeout), second.hold():
            pass
    finally:
        monkeypatch.delitem(sys.modules, "fcntl")
        importlib.reload(files_module)
