"""Reading the register files as one consistent set, and the register's content fingerprint.

A writer (``mag_data.editing.store``) switches the register to another version by renaming new
files over the old ones, one by one, under its lock, with a journal (``SWITCH_JOURNAL``) that
exists from before the first rename until after the last. A reader never takes the lock; it
reads like a seqlock instead: the files' stamps (inode, size, change times), all files, whether
a journal exists, the stamps again. If a journal existed or a stamp moved, a switch overlapped
the read and the files are read again; so a reader sees one version or the other, never members
of one and projects of another. A journal that outlives ``SWITCH_WAIT_S`` belongs to a writer
that died mid-switch: the read fails with the problem ``switch_incomplete`` (the store repairs
the switch when it is next opened), instead of loading a mixed register silently.

An edit made outside the app (in place, or by rename) changes the stamps, so it is noticed.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Mapping
from pathlib import Path

from mag_data.register.problems import DataValidationError, Problem
from mag_data.register.schema import REGISTER_FILES

# Written by the store before a version switch and removed after it (relative to the folder).
SWITCH_JOURNAL = "history/pending.json"
SWITCH_WAIT_S = 3.0  # how long a reader waits for a switch in progress
RETRY_S = 0.005

Stamps = tuple[tuple[int, ...] | None, ...]


def _stamp(path: Path) -> tuple[int, ...] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def stamps(folder: Path) -> Stamps:
    """Each register file's identity and change stamps (None for a missing file)."""
    return tuple(_stamp(Path(folder) / name) for name in REGISTER_FILES)


def read_register_files(folder: Path | str) -> tuple[dict[str, bytes], Stamps]:
    """The bytes of every register file that exists, all of one version, with their stamps.

    Raises DataValidationError (``switch_incomplete``) if a version switch stays half done.
    """
    folder = Path(folder)
    journal = folder / SWITCH_JOURNAL
    deadline = time.monotonic() + SWITCH_WAIT_S
    while True:
        before = stamps(folder)
        files: dict[str, bytes] = {}
        for name in REGISTER_FILES:
            with contextlib.suppress(FileNotFoundError):
                files[name] = (folder / name).read_bytes()
        switching = journal.exists()
        after = stamps(folder)
        if not switching and before == after:
            return files, after
        if time.monotonic() >= deadline:
            if switching:
                raise DataValidationError([Problem(file=SWITCH_JOURNAL, code="switch_incomplete")])
            return files, after  # edited in place without pause: the last read is the best
        time.sleep(RETRY_S)


def fingerprint_of(files: Mapping[str, bytes]) -> str:
    """The register's content fingerprint: a hash of each file's name and bytes, in the order of
    ``REGISTER_FILES``; a missing file contributes its name only. The one definition, used for
    the files on disk (``file_fingerprint``), a loaded registry and a stored version."""
    digest = hashlib.sha256()
    for name in REGISTER_FILES:
        digest.update(name.encode() + b"\0")
        if name in files:
            digest.update(files[name])
    return digest.hexdigest()


# The last fingerprint of each folder, with the files' stamps: the app asks for the fingerprint
# on every rerun, and hashing 100 MB of registers again costs 0.2 s.
_FINGERPRINTS: dict[str, tuple[Stamps, str]] = {}


def file_fingerprint(folder: Path | str) -> str:
    """Hash of the register files' contents (one consistent read): edits change it, touches not.

    Remembered per folder with each file's inode, size and change times, so an unchanged
    register is not read again on every rerun; any write (in place or by rename) changes them.
    """
    folder = Path(folder)
    known = _FINGERPRINTS.get(str(folder))
    if known is not None and known[0] == stamps(folder):
        return known[1]
    files, read_stamps = read_register_files(folder)
    fingerprint = fingerprint_of(files)
    _FINGERPRINTS[str(folder)] = (read_stamps, fingerprint)
    return fingerprint
