"""The register folder as a versioned store: apply a reviewed change atomically, keep history, undo.

Writes happen only here. Every change runs under the exclusive cross-process register lock
(``files.RegisterLock``) and carries the fingerprint of the register the user reviewed
(optimistic concurrency): if the register changed since, the change is refused with a
``ConflictError`` holding the new differences, so no update is ever lost silently. Uploads are
turned into reviewed changes in ``review.py``; files are replaced atomically by ``files.py``.

Every state the register reaches through the store is kept under
``<folder>/history/<timestamp>_<user>/`` (all register files plus ``manifest.json``: time, who,
reason, file hashes), and any of them can be restored byte for byte.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from mag_data.editing.files import (
    LOCK_TIMEOUT_S,
    RegisterLock,
    fsync_dir,
    remove_staged,
    replace_files,
    sha256,
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
from mag_data.register.registry import fingerprint_of, load_registry
from mag_data.register.schema import MEMBERS, REGISTER_FILES, REGISTER_TABLES, TableSpec

HISTORY_DIR = "history"
MANIFEST = "manifest.json"
SYSTEM_USER = "system"  # recorded as the author of baseline snapshots
_USER_SLUG = re.compile(r"[^\w-]+")  # letters of any script, digits, _ and -


class StoreError(Exception):
    """A change that the store refused (see the subclasses)."""


class LockTimeout(StoreError):
    """Another process held the register lock for longer than the timeout."""


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
        self._lock = RegisterLock(self.folder, lock_timeout, busy=LockTimeout)

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

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Hold the exclusive register lock (across processes and threads) or raise LockTimeout."""
        return self._lock.hold()

    # reviewing

    def review(
        self,
        spec: TableSpec,
        raw: bytes,
        upload_name: str,
        fills: Mapping[int, Mapping[str, str]] | None = None,
    ) -> UploadReview:
        """Validate an upload against the rest of the register and compute what it would change
        (``review.review_upload``). Nothing is written."""
        return review_upload(self.folder, self.read_files(), spec, raw, upload_name, fills)

    def new_members_without_coordinates(self, raw: bytes, upload_name: str) -> pd.DataFrame:
        """Rows of a members upload that add a city and leave ``lat`` or ``lon`` empty
        (``review.new_members_without_coordinates``)."""
        return new_members_without_coordinates(
            raw, upload_name, lambda: self.read_files().get(MEMBERS.file, b"")
        )

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
            replace_files(self.folder, changes, files)
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

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by a writer that died (only lock holders write them)."""
        remove_staged(self.folder, REGISTER_FILES)
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
        fsync_dir(self.history_dir)
        return version


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
