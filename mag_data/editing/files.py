"""Safe writes to the register folder: content hashes, atomic file replacement, the register lock.

A file is replaced by writing a temporary file in the same folder, flushing and fsync-ing it and
``os.replace``-ing it over the old one, so a reader or a crash sees the old file or the new one,
never half of one. Writers take the exclusive cross-process file lock first (``filelock`` on
``<folder>/.register.lock``: ``flock`` on POSIX, ``msvcrt.locking`` on Windows), so only a lock
holder ever leaves temporary files behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import filelock

LOCK_FILE = ".register.lock"
LOCK_TIMEOUT_S = 15.0


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fsync_dir(path: Path) -> None:
    """Make the entries of a folder (new names, renames) durable (POSIX; Windows has no
    directory handles to fsync, and its renames are journalled by NTFS)."""
    if os.name == "nt":
        return
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
    fsync_dir(path.parent)


def replace_files(folder: Path, changes: Mapping[str, bytes], before: Mapping[str, bytes]) -> None:
    """Stage every file, then rename each over its original; undo the renames on failure.

    ``changes`` and ``before`` map file names in ``folder`` to their new and current bytes.
    """
    staged: dict[str, Path] = {}
    replaced: list[str] = []
    try:
        for name, data in changes.items():
            staged[name] = _stage(folder / name, data)
        for name, tmp in staged.items():
            os.replace(tmp, folder / name)
            replaced.append(name)
        fsync_dir(folder)
    except BaseException:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        for name in replaced:  # best effort: put back what was already renamed
            with contextlib.suppress(Exception):
                if name in before:
                    write_atomic(folder / name, before[name])
        raise


def remove_staged(folder: Path, names: Iterable[str]) -> None:
    """Temporary files left beside these files by a writer that died before its rename."""
    for name in names:
        for tmp in folder.glob(f".{name}.*.tmp"):
            tmp.unlink(missing_ok=True)


class RegisterLock:
    """The exclusive lock of one register folder (``filelock`` on ``<folder>/.register.lock``).

    Every ``hold`` takes a new, non-reentrant lock object, so the lock excludes other threads of
    the same process as well as other processes, on POSIX and on Windows. A holder that waits
    longer than ``timeout`` seconds gets ``busy`` raised (the store passes its ``LockTimeout``).
    """

    def __init__(
        self,
        folder: Path,
        timeout: float = LOCK_TIMEOUT_S,
        busy: type[Exception] = TimeoutError,
    ):
        self.path = folder / LOCK_FILE
        self.timeout = timeout
        self.busy = busy

    @contextlib.contextmanager
    def hold(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the lock for the ``with`` block (waiting at most ``timeout`` seconds, by default
        the lock's own) or raise ``busy``."""
        wait = self.timeout if timeout is None else timeout
        lock = filelock.FileLock(self.path, timeout=wait, thread_local=False, poll_interval=0.02)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise self.busy(f"register lock busy: {self.path}") from None
        try:
            yield
        finally:
            lock.release()
