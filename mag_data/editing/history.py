"""The register's history: versions as manifests, file contents as blobs stored once by hash.

Layout inside the register folder::

    history/blobs/<sha256>            the bytes of one file content (identical content: one blob)
    history/<timestamp>_<user>/manifest.json   one version: time, who, reason, file hashes, name
    history/pending.json              the journal of a version switch in progress (store.py)

Older histories kept the files beside each manifest (``history/<id>/<file>``); those are still
read. Every write here is atomic (a temporary file or folder, fsync, rename). Pruning removes the
versions nobody named, except the most recent ones, and then the blobs no version needs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from mag_data.editing.files import fsync_dir, sha256, write_atomic
from mag_data.register.reading import SWITCH_JOURNAL, fingerprint_of
from mag_data.register.schema import REGISTER_FILES

HISTORY_DIR = "history"
BLOBS_DIR = "blobs"
MANIFEST = "manifest.json"
MAX_NAME_LENGTH = 80
_USER_SLUG = re.compile(r"[^\w-]+")  # letters of any script, digits, _ and -
_HASH = re.compile(r"^[0-9a-f]{64}$")


class HistoryDamaged(Exception):
    """A stored file does not match the hash its manifest records."""


@dataclass(frozen=True)
class Version:
    """One recorded state of the register (a manifest under ``history/``)."""

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
    name: str = ""  # a label an editor gave the version; named versions are never pruned

    def manifest(self) -> dict[str, Any]:
        data = asdict(self)
        data["files"] = dict(self.files)
        data["changed"] = list(self.changed)
        return data

    @classmethod
    def from_manifest(cls, version_id: str, meta: Mapping[str, Any]) -> Version:
        return cls(
            id=version_id,
            seq=int(meta["seq"]),
            time=str(meta["time"]),
            user=str(meta["user"]),
            reason=str(meta.get("reason", "")),
            action=str(meta["action"]),
            files=dict(meta["files"]),
            changed=tuple(meta.get("changed", ())),
            fingerprint=str(meta["fingerprint"]),
            restored_from=meta.get("restored_from"),
            name=str(meta.get("name") or ""),
        )


def user_slug(user: str) -> str:
    """A file-name-safe form of a user name for history folder names."""
    slug = _USER_SLUG.sub("-", user.strip()).strip("-")[:40]
    return slug or "user"


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))


class History:
    """The ``history/`` folder of one register folder. Writers hold the register lock."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.dir = folder / HISTORY_DIR
        self.blobs = self.dir / BLOBS_DIR
        self.journal = folder / SWITCH_JOURNAL

    # versions

    def versions(self) -> list[Version]:
        """Recorded versions, newest first (a damaged manifest is skipped, never fatal)."""
        if not self.dir.is_dir():
            return []
        versions = []
        for entry in self.dir.iterdir():
            if entry.name.startswith(".") or not (entry / MANIFEST).is_file():
                continue
            try:
                meta = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
                versions.append(Version.from_manifest(entry.name, meta))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return sorted(versions, key=lambda v: (v.seq, v.id), reverse=True)

    def latest(self) -> Version | None:
        versions = self.versions()
        return versions[0] if versions else None

    def new_version(
        self,
        files: Mapping[str, bytes],
        *,
        user: str,
        reason: str,
        action: str,
        changed: tuple[str, ...],
        restored_from: str | None,
        seq: int | None = None,
    ) -> Version:
        """A version of these files (not yet recorded), with a fresh id."""
        latest = self.latest()
        now = datetime.now(UTC)
        stamp = now.strftime("%Y%m%dT%H%M%S.%fZ")
        version_id = f"{stamp}_{user_slug(user)}"
        n = 1
        while (self.dir / version_id).exists():
            n += 1
            version_id = f"{stamp}-{n}_{user_slug(user)}"
        return Version(
            id=version_id,
            seq=seq if seq is not None else (latest.seq + 1) if latest else 1,
            time=now.isoformat(timespec="seconds"),
            user=user,
            reason=reason,
            action=action,
            files={name: sha256(files[name]) for name in REGISTER_FILES if name in files},
            changed=changed,
            fingerprint=fingerprint_of(files),
            restored_from=restored_from,
        )

    def record(self, version: Version) -> None:
        """Write the version's manifest into its own folder (made aside, then renamed)."""
        self.dir.mkdir(exist_ok=True)
        if (self.dir / version.id / MANIFEST).is_file():
            return
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.dir))
        try:
            with open(tmp / MANIFEST, "w", encoding="utf-8") as handle:
                json.dump(version.manifest(), handle, ensure_ascii=False, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o755)
            os.rename(tmp, self.dir / version.id)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        fsync_dir(self.dir)

    def set_name(self, version: Version, name: str) -> Version:
        named = Version(**{**asdict(version), "name": name.strip()[:MAX_NAME_LENGTH]})
        _write_json(self.dir / version.id / MANIFEST, named.manifest())
        return named

    # file contents

    def store_blobs(self, files: Iterable[bytes]) -> None:
        """Keep each content once, named by its hash (an existing blob is not written again)."""
        self.blobs.mkdir(parents=True, exist_ok=True)
        for data in files:
            path = self.blobs / sha256(data)
            if not path.is_file():
                write_atomic(path, data)

    def blob(self, digest: str, legacy: Path | None = None) -> bytes:
        """The content with this hash (from the blobs, else an old layout's copy), checked."""
        if not _HASH.match(digest):
            raise HistoryDamaged(f"not a content hash: {digest!r}")
        path = self.blobs / digest
        if not path.is_file() and legacy is not None and legacy.is_file():
            path = legacy
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise HistoryDamaged(f"history content {digest[:12]} is missing") from exc
        if sha256(data) != digest:
            raise HistoryDamaged(f"history content {digest[:12]} is damaged (hash mismatch)")
        return data

    def files_of(self, version: Version) -> dict[str, bytes]:
        return {
            name: self.blob(digest, self.dir / version.id / name)
            for name, digest in version.files.items()
        }

    # the switch journal

    def write_journal(self, version: Version, before: Mapping[str, str | None]) -> None:
        self.dir.mkdir(exist_ok=True)
        _write_json(self.journal, {"version": version.manifest(), "before": dict(before)})

    def read_journal(self) -> tuple[Version, dict[str, str | None]] | None:
        """The switch in progress or left half done, or None (a damaged journal is dropped)."""
        try:
            data = json.loads(self.journal.read_text(encoding="utf-8"))
            version = Version.from_manifest(str(data["version"]["id"]), data["version"])
            return version, dict(data["before"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self.clear_journal()
            return None

    def clear_journal(self) -> None:
        self.journal.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            fsync_dir(self.dir)

    # pruning

    def prune(self, keep_recent: int, keep: Iterable[str] = ()) -> list[str]:
        """Remove versions that are neither named, among the ``keep_recent`` newest, nor in
        ``keep``; then the blobs no remaining version (or a pending switch) needs. Returns the
        removed version ids."""
        versions = self.versions()
        keep_ids = {v.id for v in versions[: max(keep_recent, 1)]} | set(keep)
        removed = []
        for version in versions:
            if version.id in keep_ids or version.name:
                continue
            shutil.rmtree(self.dir / version.id, ignore_errors=True)
            removed.append(version.id)
        needed = {h for v in self.versions() for h in v.files.values()}
        pending = self.read_journal()
        if pending is not None:
            needed |= set(pending[0].files.values()) | {h for h in pending[1].values() if h}
        if self.blobs.is_dir():
            for blob in self.blobs.iterdir():
                if blob.name not in needed:
                    blob.unlink(missing_ok=True)
        return removed

    def remove_temporaries(self) -> None:
        """Temporary folders and files left by a writer that died (only lock holders write)."""
        if self.dir.is_dir():
            for tmp in self.dir.glob(".tmp-*"):
                shutil.rmtree(tmp, ignore_errors=True)
        if self.blobs.is_dir():
            for tmp in self.blobs.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)


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
            "name": [v.name for v in versions],
        }
    )
