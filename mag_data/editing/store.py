"""The register folder as a versioned store: review an upload, apply it atomically, keep history, undo.

Writes happen only here. Every change runs under an exclusive cross-process file lock
(``fcntl.flock`` on ``<folder>/.register.lock``) and carries the fingerprint of the register the
user reviewed (optimistic concurrency): if the register changed since, the change is refused with
a ``ConflictError`` holding the new differences, so no update is ever lost silently.

A file is replaced by writing a temporary file in the same folder, flushing and fsync-ing it and
``os.replace``-ing it over the old one, so a reader or a crash sees the old file or the new one,
never half of one. Every state the register reaches through the store is kept under
``<folder>/history/<timestamp>_<user>/`` (all register files plus ``manifest.json``: time, who,
reason, file hashes), and any of them can be restored byte for byte.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from mag_data.register.problems import DataValidationError, Problem
from mag_data.register.registry import fingerprint_of, load_registry
from mag_data.register.schema import (
    MEMBERS,
    PARTICIPANTS,
    PROJECTS,
    REGISTER_FILES,
    REGISTER_TABLES,
    TableSpec,
)
from mag_data.register.textfile import RawTable, read_table
from mag_data.register.validate import validate_table

# Same order as ``registry.file_fingerprint`` so that both give the same fingerprint.
# The registers the secretariat maintains by upload (the others change with the code).
UPLOADABLE: tuple[TableSpec, ...] = (MEMBERS, PROJECTS, PARTICIPANTS)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # also server.maxUploadSize in .streamlit/config.toml
POPULATION_JUMP = 0.5  # a population change above 50 % needs an explicit confirmation
HISTORY_DIR = "history"
LOCK_FILE = ".register.lock"
MANIFEST = "manifest.json"
LOCK_TIMEOUT_S = 15.0
SYSTEM_USER = "system"  # recorded as the author of baseline snapshots
_USER_SLUG = re.compile(r"[^\w-]+")  # letters of any script, digits, _ and -


class StoreError(Exception):
    """A change that the store refused (see the subclasses)."""


class LockTimeout(StoreError):
    """Another process held the register lock for longer than the timeout."""


@dataclass(frozen=True)
class TableDiff:
    """Differences between two versions of one register, matched on the table's key.

    ``added`` and ``removed`` hold whole rows; ``changed`` has one row per changed cell with the
    key columns, ``column``, ``old`` and ``new``. All values are canonical strings.
    """

    table: str
    key: tuple[str, ...]
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame

    @property
    def changed_rows(self) -> int:
        if self.changed.empty:
            return 0
        return len(self.changed[list(self.key)].drop_duplicates())

    @property
    def is_empty(self) -> bool:
        return bool(self.added.empty and self.removed.empty and self.changed.empty)


@dataclass(frozen=True)
class Version:
    """One recorded state of the register (a folder under ``history/``)."""

    id: str
    seq: int
    time: str
    user: str
    reason: str
    action: str  # "baseline", "external", "apply" or "restore"
    files: Mapping[str, str]  # file name -> sha256 of its bytes
    changed: tuple[str, ...]
    fingerprint: str
    restored_from: str | None = None


class ConflictError(StoreError):
    """The register changed since it was reviewed; nothing was written.

    ``diffs`` are the differences between the refused change and the register as it is now, so
    the user can review them and apply again; ``latest`` is the version that changed it, if the
    change went through the store.
    """

    def __init__(
        self,
        expected: str,
        current: str,
        diffs: Mapping[str, TableDiff],
        latest: Version | None,
    ):
        self.expected = expected
        self.current = current
        self.diffs = dict(diffs)
        self.latest = latest
        who = f" by {latest.user} at {latest.time}" if latest is not None else ""
        super().__init__(f"the register was changed{who} after it was reviewed")


@dataclass(frozen=True)
class UploadReview:
    """What an uploaded file would change, and whether it may be applied.

    ``data`` is the canonical file (UTF-8, ``,``, ISO dates, ``.`` decimals) to write; it is None
    while an error remains. ``base_fingerprint`` is the register this review was made against.
    """

    table: str
    file: str
    upload_name: str
    encoding: str | None
    delimiter: str | None
    rows: int
    problems: tuple[Problem, ...]
    diff: TableDiff | None
    data: bytes | None
    base_fingerprint: str

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def can_apply(self) -> bool:
        """No error left and something to change."""
        return (
            not self.errors
            and self.data is not None
            and self.diff is not None
            and not self.diff.is_empty
        )


# --- canonical form and differences ---------------------------------------------------------


def _format_float(value: float) -> str:
    if value is None or pd.isna(value):
        return ""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def canonical_frame(spec: TableSpec, typed: pd.DataFrame) -> pd.DataFrame:
    """The typed table as strings in one canonical notation (ISO dates, ``.`` decimals, true/false).

    Two files that mean the same data (any encoding, delimiter, number or date notation) give the
    same canonical frame; it is what is written and what differences are computed on.
    """
    out: dict[str, pd.Series] = {}
    for column in spec.columns:
        values = typed[column.name].reset_index(drop=True)
        if column.kind == "int":
            text = values.astype("Int64").astype("string").fillna("")
        elif column.kind == "float":
            text = pd.Series([_format_float(v) for v in values], dtype="string")
        elif column.kind == "bool":
            text = pd.Series(np.where(values.astype(bool), "true", "false"), dtype="string")
        elif column.kind == "date":
            text = pd.to_datetime(values).dt.strftime("%Y-%m-%d").astype("string").fillna("")
        else:
            text = values.astype("string").fillna("")
        out[column.name] = text.astype(object)
    return pd.DataFrame(out, columns=spec.column_names)


def register_csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame of strings as the register stores it: UTF-8 without BOM, ``,``, ``\\n`` endings."""
    text: str = frame.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def typed_table(spec: TableSpec, raw: bytes) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and validate one file on its own (no cross-table checks)."""
    table, problems = read_table(raw, spec.file)
    if table is None:
        return None, problems
    typed, more = validate_table(spec, spec.file, table.frame)
    problems = problems + more
    if any(p.severity == "error" for p in problems):
        return None, problems
    return typed, problems


def export_frame(spec: TableSpec, raw: bytes) -> pd.DataFrame:
    """A register file for download: schema columns, numbers as numbers, dates as ISO text.

    Re-uploading the downloaded file (CSV with ``,`` or ``;``, or XLSX) gives the same data.
    """
    typed, _ = typed_table(spec, raw)
    if typed is None:
        return pd.DataFrame(columns=spec.column_names)
    dates = [c.name for c in spec.columns if c.kind == "date"]
    return typed.assign(
        **{name: typed[name].dt.strftime("%Y-%m-%d").astype(object) for name in dates}
    )


def template_frame(spec: TableSpec) -> pd.DataFrame:
    """An empty register file with the right header, for a new upload."""
    return pd.DataFrame(columns=spec.column_names)


def keep_unchanged_cells(
    spec: TableSpec, new: pd.DataFrame, old: pd.DataFrame, old_raw: bytes
) -> pd.DataFrame:
    """The canonical upload, except that a cell equal in value to the same cell (same key, same
    column) of the current file keeps the current file's text ("44.51260" stays, not
    "44.5126"), so that writing a file changes only the cells whose data changed."""
    table, _ = read_table(old_raw, spec.file)
    if old.empty or table is None or len(table.frame) != len(old):
        return new
    key = list(spec.key)
    old_index = pd.Index(_key_labels(old, key))
    if not old_index.is_unique:
        return new
    position = old_index.get_indexer(_key_labels(new, key))
    found = position >= 0
    take = np.where(found, position, 0)
    out = {}
    for column in spec.column_names:
        text = table.frame[column].astype(str).str.strip().to_numpy()[take]
        same = found & (new[column].to_numpy() == old[column].to_numpy()[take])
        out[column] = np.where(same, text, new[column].to_numpy())
    return pd.DataFrame(out, columns=spec.column_names).astype(object)


def _key_labels(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    return (
        frame[key].astype(str).agg(" / ".join, axis=1) if len(frame) else pd.Series([], dtype=str)
    )


def diff_tables(spec: TableSpec, old: pd.DataFrame, new: pd.DataFrame) -> TableDiff:
    """Rows added, removed and changed cell by cell between two canonical frames of ``spec``."""
    key = list(spec.key)
    old_keys, new_keys = _key_labels(old, key), _key_labels(new, key)
    added = new[~new_keys.isin(set(old_keys))].reset_index(drop=True)
    removed = old[~old_keys.isin(set(new_keys))].reset_index(drop=True)
    both = old.merge(new, on=key, how="inner", suffixes=("__old", "__new"), sort=False)
    parts = []
    for column in spec.column_names:
        if column in key:
            continue
        before, after = both[f"{column}__old"], both[f"{column}__new"]
        mask = before != after
        if mask.any():
            parts.append(
                both.loc[mask, key].assign(
                    column=column, old=before[mask].to_numpy(), new=after[mask].to_numpy()
                )
            )
    columns = [*key, "column", "old", "new"]
    changed = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    ).astype(object)
    if not changed.empty:
        order = {k: i for i, k in enumerate(_key_labels(new, key))}
        position = _key_labels(changed, key).map(order)
        columns_order = changed["column"].map({c: i for i, c in enumerate(spec.column_names)})
        changed = (
            changed.assign(_p=position.to_numpy(), _c=columns_order.to_numpy())
            .sort_values(["_p", "_c"], kind="stable")
            .drop(columns=["_p", "_c"])
            .reset_index(drop=True)
        )
    return TableDiff(spec.name, spec.key, added, removed, changed)


def change_warnings(
    spec: TableSpec, diff: TableDiff, new: pd.DataFrame, file: str
) -> list[Problem]:
    """Warnings that need an explicit confirmation: big population jumps, removed rows."""
    problems: list[Problem] = []
    if spec.name == MEMBERS.name and not diff.changed.empty:
        population = diff.changed[diff.changed["column"] == "population"]
        rows = {k: i for i, k in enumerate(_key_labels(new, list(spec.key)))}
        for _, change in population.iterrows():
            if change["old"] == "" or change["new"] == "":
                continue
            old, value = int(change["old"]), int(change["new"])
            if old > 0 and abs(value - old) / old > POPULATION_JUMP:
                problems.append(
                    Problem(
                        file=file,
                        code="population_jump",
                        row=rows.get(str(change["id"]), -2) + 2,
                        column="population",
                        value=str(value),
                        severity="warning",
                        params={
                            "old": old,
                            "new": value,
                            "change": round(100 * (value - old) / old),
                        },
                    )
                )
    if not diff.removed.empty:
        labels = list(_key_labels(diff.removed, list(spec.key)))
        shown = ", ".join(labels[:10]) + (" …" if len(labels) > 10 else "")
        problems.append(
            Problem(
                file=file,
                code="rows_removed",
                value=shown[:200],
                severity="warning",
                params={"count": len(labels)},
            )
        )
    return problems


# --- file helpers -----------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path`` (flushed and fsync-ed); return its path."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temporary file, fsync, ``os.replace``)."""
    tmp = _stage(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def user_slug(user: str) -> str:
    """A file-name-safe form of a user name for history folder names."""
    slug = _USER_SLUG.sub("-", user.strip()).strip("-")[:40]
    return slug or "user"


# --- the store --------------------------------------------------------------------------------


class RegisterStore:
    """One register folder: read, review uploads, apply changes, list and restore versions."""

    def __init__(self, folder: Path | str, lock_timeout: float = LOCK_TIMEOUT_S):
        self.folder = Path(folder)
        self.history_dir = self.folder / HISTORY_DIR
        self.lock_path = self.folder / LOCK_FILE
        self.lock_timeout = lock_timeout

    # reading

    def read_files(self) -> dict[str, bytes]:
        """The current bytes of every register file that exists."""
        out = {}
        for name in REGISTER_FILES:
            with contextlib.suppress(FileNotFoundError):
                out[name] = (self.folder / name).read_bytes()
        return out

    def fingerprint(self) -> str:
        return fingerprint_of(self.read_files())

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the exclusive register lock (across processes and threads) or raise LockTimeout."""
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(f"register lock busy: {self.lock_path}") from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # reviewing

    def review(
        self,
        spec: TableSpec,
        raw: bytes,
        upload_name: str,
        fills: Mapping[int, Mapping[str, str]] | None = None,
    ) -> UploadReview:
        """Validate an upload against the rest of the register and compute what it would change.

        ``fills`` sets cells before validation (row index -> column -> text), e.g. coordinates
        found for a new city. Nothing is written.
        """
        files = self.read_files()
        base = fingerprint_of(files)

        def done(
            problems: list[Problem],
            table: RawTable | None = None,
            diff: TableDiff | None = None,
            data: bytes | None = None,
        ) -> UploadReview:
            relabelled = tuple(
                dataclasses.replace(p, file=upload_name) if p.file == spec.file else p
                for p in problems
            )
            return UploadReview(
                table=spec.name,
                file=spec.file,
                upload_name=upload_name,
                encoding=table.encoding if table else None,
                delimiter=table.delimiter if table else None,
                rows=len(table.frame) if table else 0,
                problems=relabelled,
                diff=diff,
                data=data,
                base_fingerprint=base,
            )

        if spec not in UPLOADABLE:
            raise ValueError(f"{spec.file} is not an uploadable register")
        if len(raw) > MAX_UPLOAD_BYTES:
            return done(
                [
                    Problem(
                        file=spec.file,
                        code="file_too_large",
                        value=f"{len(raw) / 1e6:.1f} MB",
                        params={"limit_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                    )
                ]
            )
        table, problems = read_table(raw, upload_name)
        if table is None:
            return done(problems)
        candidate = raw
        if fills:
            table = fill_cells(table, fills)
            candidate = register_csv_bytes(table.frame)
        try:
            registry = load_registry(self.folder, overrides={**files, spec.file: candidate})
        except DataValidationError as error:
            return done(error.problems, table)
        problems = list(registry.warnings)
        typed, _ = typed_table(spec, candidate)
        assert typed is not None  # load_registry accepted it
        new = canonical_frame(spec, typed)
        current_raw = files.get(spec.file, b"")
        current, _ = typed_table(spec, current_raw)
        old = canonical_frame(spec, current) if current is not None else new.iloc[0:0]
        diff = diff_tables(spec, old, new)
        problems += change_warnings(spec, diff, new, spec.file)
        written = keep_unchanged_cells(spec, new, old, current_raw)
        return done(problems, table, diff=diff, data=register_csv_bytes(written))

    def new_members_without_coordinates(self, raw: bytes, upload_name: str) -> pd.DataFrame:
        """Rows of a members upload that add a city and leave ``lat`` or ``lon`` empty.

        Columns: ``row`` (0-based index in the upload), ``id``, ``name_ru``, ``name_en``,
        ``iso_code``, ``country_en``. Empty when the file cannot be read or has no such row.
        """
        columns = ["row", "id", "name_ru", "name_en", "iso_code", "country_en"]
        if len(raw) > MAX_UPLOAD_BYTES:
            return pd.DataFrame(columns=columns)
        table, _ = read_table(raw, upload_name)
        needed = {"id", "lat", "lon", "name_ru", "name_en"}
        if table is None or not needed <= set(table.frame.columns):
            return pd.DataFrame(columns=columns)
        frame = table.frame.astype(str).apply(lambda s: s.str.strip())
        current, _ = typed_table(MEMBERS, self.read_files().get(MEMBERS.file, b""))
        known = set(current["id"].astype(str)) if current is not None else set()
        missing = (frame["lat"] == "") | (frame["lon"] == "")
        new = ~frame["id"].isin(known) & (frame["id"] != "")
        out = frame[missing & new].assign(row=lambda f: f.index)
        for column in columns:
            if column not in out:
                out[column] = ""
        return out[columns].reset_index(drop=True)

    # changing

    def history(self) -> list[Version]:
        """Recorded versions, newest first."""
        if not self.history_dir.is_dir():
            return []
        versions = []
        for entry in self.history_dir.iterdir():
            if entry.name.startswith(".") or not (entry / MANIFEST).is_file():
                continue
            try:
                meta = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
                versions.append(
                    Version(
                        id=entry.name,
                        seq=int(meta["seq"]),
                        time=str(meta["time"]),
                        user=str(meta["user"]),
                        reason=str(meta.get("reason", "")),
                        action=str(meta["action"]),
                        files=dict(meta["files"]),
                        changed=tuple(meta.get("changed", ())),
                        fingerprint=str(meta["fingerprint"]),
                        restored_from=meta.get("restored_from"),
                    )
                )
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a damaged manifest is skipped, never fatal
        return sorted(versions, key=lambda v: (v.seq, v.id), reverse=True)

    def version_files(self, version_id: str) -> dict[str, bytes]:
        """The bytes of a recorded version, checked against its manifest's hashes."""
        version = next((v for v in self.history() if v.id == version_id), None)
        if version is None or "/" in version_id or version_id.startswith("."):
            raise KeyError(version_id)
        folder = self.history_dir / version_id
        files = {name: (folder / name).read_bytes() for name in version.files}
        for name, data in files.items():
            if sha256(data) != version.files[name]:
                raise StoreError(f"history {version_id}/{name} is damaged (hash mismatch)")
        return files

    def undo_target(self) -> Version | None:
        """The most recent recorded version that differs from the register as it is now."""
        current = self.fingerprint()
        return next((v for v in self.history() if v.fingerprint != current), None)

    def apply(
        self,
        changes: Mapping[str, bytes],
        *,
        expected_fingerprint: str,
        user: str,
        reason: str = "",
    ) -> Version | None:
        """Write ``changes`` (file name -> bytes) if the register is still the one reviewed.

        Raises ConflictError if it changed, DataValidationError if the result would not load,
        LockTimeout if another writer holds the lock. Returns the new version (None if the
        changes equal the current files).
        """
        return self._commit(changes, expected_fingerprint, user, reason, "apply", None)

    def restore(
        self, version_id: str, *, expected_fingerprint: str, user: str, reason: str = ""
    ) -> Version | None:
        """Make the register byte-identical to a recorded version (itself recorded, so undoable)."""
        files = self.version_files(version_id)
        return self._commit(files, expected_fingerprint, user, reason, "restore", version_id)

    def _commit(
        self,
        changes: Mapping[str, bytes],
        expected: str,
        user: str,
        reason: str,
        action: str,
        restored_from: str | None,
    ) -> Version | None:
        unknown = set(changes) - set(REGISTER_FILES)
        if unknown:
            raise ValueError(f"not register files: {sorted(unknown)}")
        if not user.strip():
            raise ValueError("a change needs the name of who makes it")
        with self.lock():
            self._remove_stale_temporaries()
            files = self.read_files()
            current = fingerprint_of(files)
            if current != expected:
                raise ConflictError(expected, current, self._diffs(changes, files), self._latest())
            changes = {n: d for n, d in changes.items() if files.get(n) != d}
            if not changes:
                return None
            load_registry(self.folder, overrides={**files, **changes})  # raises if invalid
            latest = self._latest()
            if latest is None or latest.fingerprint != current:
                # Keep the state being replaced: the first one, or one edited outside the store.
                self._record(
                    files,
                    user=SYSTEM_USER,
                    reason="",
                    action="baseline" if latest is None else "external",
                    changed=(),
                    restored_from=None,
                )
            self._replace_files(changes, files)
            return self._record(
                {**files, **changes},
                user=user.strip()[:80],
                reason=reason.strip()[:300],
                action=action,
                changed=tuple(n for n in REGISTER_FILES if n in changes),
                restored_from=restored_from,
            )

    def _diffs(self, changes: Mapping[str, bytes], files: Mapping[str, bytes]) -> dict:
        out = {}
        for name, data in changes.items():
            spec = next(s for s in REGISTER_TABLES if s.file == name)
            new, _ = typed_table(spec, data)
            old, _ = typed_table(spec, files.get(name, b""))
            if new is not None and old is not None:
                out[name] = diff_tables(
                    spec, canonical_frame(spec, old), canonical_frame(spec, new)
                )
        return out

    def _latest(self) -> Version | None:
        versions = self.history()
        return versions[0] if versions else None

    def _replace_files(self, changes: Mapping[str, bytes], before: Mapping[str, bytes]) -> None:
        """Stage every file, then rename each over its original; undo the renames on failure."""
        staged: dict[str, Path] = {}
        replaced: list[str] = []
        try:
            for name, data in changes.items():
                staged[name] = _stage(self.folder / name, data)
            for name, tmp in staged.items():
                os.replace(tmp, self.folder / name)
                replaced.append(name)
            _fsync_dir(self.folder)
        except BaseException:
            for tmp in staged.values():
                tmp.unlink(missing_ok=True)
            for name in replaced:  # best effort: put back what was already renamed
                with contextlib.suppress(Exception):
                    if name in before:
                        write_atomic(self.folder / name, before[name])
            raise

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by a writer that died (only lock holders write them)."""
        for name in REGISTER_FILES:
            for tmp in self.folder.glob(f".{name}.*.tmp"):
                tmp.unlink(missing_ok=True)
        if self.history_dir.is_dir():
            for tmp in self.history_dir.glob(".tmp-*"):
                shutil.rmtree(tmp, ignore_errors=True)

    def _record(
        self,
        files: Mapping[str, bytes],
        *,
        user: str,
        reason: str,
        action: str,
        changed: tuple[str, ...],
        restored_from: str | None,
    ) -> Version:
        """Copy the files and a manifest into a new history folder (written aside, then renamed)."""
        self.history_dir.mkdir(exist_ok=True)
        latest = self._latest()
        now = datetime.now(UTC)
        stamp = now.strftime("%Y%m%dT%H%M%S.%fZ")
        version_id = f"{stamp}_{user_slug(user)}"
        n = 1
        while (self.history_dir / version_id).exists():
            n += 1
            version_id = f"{stamp}-{n}_{user_slug(user)}"
        version = Version(
            id=version_id,
            seq=(latest.seq + 1) if latest else 1,
            time=now.isoformat(timespec="seconds"),
            user=user,
            reason=reason,
            action=action,
            files={name: sha256(files[name]) for name in REGISTER_FILES if name in files},
            changed=changed,
            fingerprint=fingerprint_of(files),
            restored_from=restored_from,
        )
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.history_dir))
        try:
            for name in version.files:
                with open(tmp / name, "wb") as handle:
                    handle.write(files[name])
                    handle.flush()
                    os.fsync(handle.fileno())
            manifest = {
                "seq": version.seq,
                "time": version.time,
                "user": version.user,
                "reason": version.reason,
                "action": version.action,
                "restored_from": version.restored_from,
                "changed": list(version.changed),
                "fingerprint": version.fingerprint,
                "files": dict(version.files),
            }
            with open(tmp / MANIFEST, "w", encoding="utf-8") as handle:
                json.dump(manifest, handle, ensure_ascii=False, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o755)
            os.rename(tmp, self.history_dir / version_id)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _fsync_dir(self.history_dir)
        return version


def fill_cells(table: RawTable, fills: Mapping[int, Mapping[str, str]]) -> RawTable:
    """A copy of the raw table with some cells set (row index -> column -> text)."""
    frame = table.frame.copy()
    for row, cells in fills.items():
        for column, value in cells.items():
            if row in frame.index and column in frame.columns:
                frame.loc[row, column] = value
    return dataclasses.replace(table, frame=frame)


def history_frame(versions: list[Version]) -> pd.DataFrame:
    """The version list as a table for display (newest first)."""
    return pd.DataFrame(
        {
            "id": [v.id for v in versions],
            "time": [v.time for v in versions],
            "user": [v.user for v in versions],
            "action": [v.action for v in versions],
            "changed": [", ".join(v.changed) for v in versions],
            "reason": [v.reason for v in versions],
            "restored_from": [v.restored_from or "" for v in versions],
        }
    )
