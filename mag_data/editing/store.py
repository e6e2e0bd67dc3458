"""The register folder as a versioned store: apply a reviewed change atomically, keep history, undo.

Writes happen only here. Every change runs under the exclusive cross-process register lock
(``files.RegisterLock``) and carries the fingerprint of the register the user reviewed
(optimistic concurrency): if the register changed since, the change is refused with a
``ConflictError`` holding the new differences, so no update is ever lost silently. Uploads are
turned into reviewed changes in ``review.py``; files are replaced atomically by ``files.py``;
versions and their contents are kept by ``history.py``.

A change is one step for readers, crashes and the history: the new contents are stored in the
history first, then the journal ``history/pending.json`` (the new version's manifest and the
hashes being replaced) is written atomically, then the files are renamed into place, then the
manifest is recorded and the journal removed. Readers wait while a journal exists
(``mag_data.register.reading``), so they see one version or the other. A writer that died or hit
a full disk mid-way leaves the journal; the next open of the store (or the next change) rolls
the switch forward if every file was replaced, else back, and records what it did. Failures
reach the caller as ``WriteFailed`` saying whether the change was written.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from mag_data.editing.files import (
    LOCK_TIMEOUT_S,
    RegisterLock,
    remove_staged,
    replace_files,
    sha256,
    write_atomic,
)
from mag_data.editing.history import (
    HISTORY_DIR,
    MANIFEST,
    History,
    HistoryDamaged,
    Version,
    history_frame,
    user_slug,
    version_labels,
    version_times,
)
from mag_data.editing.review import (
    TableDiff,
    UploadReview,
    canonical_frame,
    diff_tables,
    new_members_without_coordinates,
    review_upload,
    typed_table,
)
from mag_data.register.problems import DataValidationError, load_failed
from mag_data.register.reading import fingerprint_of
from mag_data.register.registry import load_registry
from mag_data.register.schema import MEMBERS, REGISTER_FILES, REGISTER_TABLES, TableSpec

SYSTEM_USER = "system"  # recorded as the author of baseline snapshots
OPEN_REPAIR_TIMEOUT_S = 2.0  # how long opening the store waits to repair a half-done switch
DEFAULT_KEEP_RECENT = 20

__all__ = [
    "HISTORY_DIR",
    "MANIFEST",
    "ConflictError",
    "LockTimeout",
    "RegisterStore",
    "StoreError",
    "Version",
    "WriteFailed",
    "history_frame",
    "version_labels",
    "version_times",
    "user_slug",
]


class StoreError(Exception):
    """A change that the store refused or could not complete (see the subclasses)."""


class LockTimeout(StoreError):
    """Another process held the register lock for longer than the timeout."""


class WriteFailed(StoreError):
    """The disk refused a write. ``written``: the register files hold the change (its history
    entry is completed on the next open); ``disk_full``: the cause was a full disk."""

    def __init__(self, written: bool, cause: OSError):
        self.written = written
        self.disk_full = cause.errno in (errno.ENOSPC, errno.EDQUOT)
        self.cause = str(cause)
        state = "written, history to be completed" if written else "nothing written"
        super().__init__(f"{state}: {cause}")


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


def check_loads(folder: Path, files: Mapping[str, bytes]) -> None:
    """Raise DataValidationError unless these files load; an unexpected failure of the loader
    becomes the problem ``load_failed`` (so a caller never sees a bare exception)."""
    try:
        load_registry(folder, overrides=files)
    except DataValidationError:
        raise
    except Exception as exc:
        raise load_failed(exc) from exc


# --- the store --------------------------------------------------------------------------------


class RegisterStore:
    """One register folder: read, review uploads, apply changes, list and restore versions.

    Opening it repairs a version switch that a dead writer left half done (if the lock can be
    had within ``OPEN_REPAIR_TIMEOUT_S``; else the next change does).
    """

    def __init__(self, folder: Path | str, lock_timeout: float = LOCK_TIMEOUT_S):
        self.folder = Path(folder)
        self.history_dir = self.folder / HISTORY_DIR
        self._history = History(self.folder)
        self._lock = RegisterLock(self.folder, lock_timeout, busy=LockTimeout)
        if self._history.journal.exists():
            with contextlib.suppress(LockTimeout, OSError, HistoryDamaged):
                self.recover(timeout=min(lock_timeout, OPEN_REPAIR_TIMEOUT_S))

    # reading

    def read_files(self) -> dict[str, bytes]:
        """The current bytes of every register file that exists (as they are on disk)."""
        out = {}
        for name in REGISTER_FILES:
            with contextlib.suppress(FileNotFoundError):
                out[name] = (self.folder / name).read_bytes()
        return out

    def fingerprint(self) -> str:
        return fingerprint_of(self.read_files())

    def lock(self, timeout: float | None = None) -> contextlib.AbstractContextManager[None]:
        """Hold the exclusive register lock (across processes and threads) or raise LockTimeout."""
        return self._lock.hold(timeout)

    # reviewing

    def review(
        self,
        spec: TableSpec,
        raw: bytes,
        upload_name: str,
        fills: Mapping[int, Mapping[str, str]] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> UploadReview:
        """Validate an upload against the rest of the register and compute what it would change
        (``review.review_upload``; ``progress`` hears each step). Nothing is written."""
        return review_upload(
            self.folder, self.read_files(), spec, raw, upload_name, fills, progress
        )

    def new_members_without_coordinates(self, raw: bytes, upload_name: str) -> pd.DataFrame:
        """Rows of a members upload that add a city and leave ``lat`` or ``lon`` empty
        (``review.new_members_without_coordinates``)."""
        return new_members_without_coordinates(
            raw, upload_name, lambda: self.read_files().get(MEMBERS.file, b"")
        )

    # history

    def history(self) -> list[Version]:
        """Recorded versions, newest first."""
        return self._history.versions()

    def version_files(self, version_id: str) -> dict[str, bytes]:
        """The bytes of a recorded version, checked against its manifest's hashes."""
        version = self._version(version_id)
        try:
            return self._history.files_of(version)
        except HistoryDamaged as exc:
            raise StoreError(f"history {version_id}: {exc}") from exc

    def _version(self, version_id: str) -> Version:
        version = next((v for v in self.history() if v.id == version_id), None)
        if version is None or "/" in version_id or version_id.startswith("."):
            raise KeyError(version_id)
        return version

    def undo_target(self) -> Version | None:
        """The most recent recorded version that differs from the register as it is now."""
        current = self.fingerprint()
        return next((v for v in self.history() if v.fingerprint != current), None)

    def name_version(self, version_id: str, name: str) -> Version:
        """Give a version a name (empty: remove it); named versions are never pruned."""
        with self.lock():
            try:
                return self._history.set_name(self._version(version_id), name)
            except OSError as exc:
                raise WriteFailed(False, exc) from exc

    def prune(self, keep_recent: int = DEFAULT_KEEP_RECENT) -> list[str]:
        """Remove old versions except the named ones, the ``keep_recent`` newest and the one
        the register is in now, and the contents no kept version needs. Returns removed ids."""
        with self.lock():
            self._recover_locked()
            current = self.fingerprint()
            keep = [v.id for v in self.history() if v.fingerprint == current][:1]
            try:
                return self._history.prune(keep_recent, keep)
            except OSError as exc:
                raise WriteFailed(False, exc) from exc

    # changing

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
        LockTimeout if another writer holds the lock, WriteFailed if the disk refused a write.
        Returns the new version (None if the changes equal the current files).
        """
        return self._commit(changes, expected_fingerprint, user, reason, "apply", None)

    def restore(
        self, version_id: str, *, expected_fingerprint: str, user: str, reason: str = ""
    ) -> Version | None:
        """Make the register byte-identical to a recorded version (itself recorded, so undoable)."""
        files = self.version_files(version_id)
        return self._commit(files, expected_fingerprint, user, reason, "restore", version_id)

    def recover(self, timeout: float | None = None) -> str | None:
        """Finish a version switch left half done: "forward", "back", or None if there was none."""
        with self.lock(timeout):
            return self._recover_locked()

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
            self._recover_locked()
            self._remove_stale_temporaries()
            files = self.read_files()
            current = fingerprint_of(files)
            if current != expected:
                raise ConflictError(expected, current, self._diffs(changes, files), self._latest())
            changes = {n: d for n, d in changes.items() if files.get(n) != d}
            if not changes:
                return None
            check_loads(self.folder, {**files, **changes})
            version = self._prepare(files, changes, user, reason, action, restored_from)
            try:
                replace_files(self.folder, changes, files)
            except OSError as exc:
                # replace_files put back what it could; the journal decides what is on disk.
                written = self._settle()
                raise WriteFailed(written, exc) from exc
            try:
                self._history.record(version)
                self._history.clear_journal()
            except OSError as exc:
                raise WriteFailed(True, exc) from exc
            return version

    def _prepare(
        self,
        files: Mapping[str, bytes],
        changes: Mapping[str, bytes],
        user: str,
        reason: str,
        action: str,
        restored_from: str | None,
    ) -> Version:
        """Everything before the first rename: contents stored, the replaced state recorded if
        history does not know it, the journal written. A failure here changed nothing."""
        latest = self._latest()
        try:
            self._history.store_blobs([*files.values(), *changes.values()])
            if latest is None or latest.fingerprint != fingerprint_of(files):
                # Keep the state being replaced: the first one, or one edited outside the store.
                self._history.record(
                    self._history.new_version(
                        files,
                        user=SYSTEM_USER,
                        reason="",
                        action="baseline" if latest is None else "external",
                        changed=(),
                        restored_from=None,
                    )
                )
            version = self._history.new_version(
                {**files, **changes},
                user=user.strip()[:80],
                reason=reason.strip()[:300],
                action=action,
                changed=tuple(n for n in REGISTER_FILES if n in changes),
                restored_from=restored_from,
            )
            before = {n: sha256(files[n]) if n in files else None for n in changes}
            self._history.write_journal(version, before)
        except OSError as exc:
            with contextlib.suppress(OSError):
                self._history.clear_journal()
            raise WriteFailed(False, exc) from exc
        return version

    def _settle(self) -> bool:
        """After a failed switch: True if the files hold the new version (then recorded, or
        left to the journal), False if they are back to the old one (journal removed)."""
        with contextlib.suppress(OSError, HistoryDamaged):
            return self._recover_locked(prefer_forward=False) == "forward"
        pending = self._history.read_journal()
        if pending is None:
            return False
        live = self.read_files()
        return all(sha256(live[n]) == pending[0].files.get(n) for n in pending[1] if n in live)

    def _recover_locked(self, prefer_forward: bool = True) -> str | None:
        """Under the lock: if a journal exists, roll its switch forward when every file already
        holds the new content (and ``prefer_forward``), else back; record, remove the journal."""
        pending = self._history.read_journal()
        if pending is None:
            return None
        version, before = pending
        live = self.read_files()
        live_hash = {n: sha256(live[n]) if n in live else None for n in before}
        if prefer_forward and all(live_hash[n] == version.files.get(n) for n in before):
            self._history.record(version)
            self._history.clear_journal()
            return "forward"
        for name, old in before.items():
            if live_hash[name] != version.files.get(name) or live_hash[name] == old:
                continue  # not replaced (or changed by hand since): left as it is
            if old is None:
                (self.folder / name).unlink(missing_ok=True)
            else:
                write_atomic(self.folder / name, self._history.blob(old))
        self._history.clear_journal()
        return "back"

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
        return self._history.latest()

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by a writer that died (only lock holders write them)."""
        remove_staged(self.folder, REGISTER_FILES)
        self._history.remove_temporaries()
