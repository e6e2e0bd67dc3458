"""A snapshot of the loaded registry, so that a restart does not read and validate it again.

Reading and validating the registers costs about 0.5 s today and 8–9 s at 10,000 members and a
million participations; unpickling the validated, derived registry costs a fraction of a second.
The snapshot is keyed by the register files' content hash *and* by the code that derives the
registry (the source of the loading modules, the pandas/numpy versions), so an edited file, an
upgraded library or a changed derivation never serves a stale registry: the key misses and the
register is loaded and validated as usual. A snapshot that cannot be read (truncated, written by
another version) is ignored and replaced; one that cannot be written (read-only disk) is skipped.

The folder (``MAG_CACHE_DIR``, default ``.cache/registry`` in the project) holds only what this
code wrote: a pickle is code as much as data, so the folder must be as trusted as the code.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from mag_data import config
from mag_data.register.registry import Registry, file_fingerprint, load_registry

log = logging.getLogger(__name__)

KEEP = 2  # snapshots kept (the newest); older ones are removed
# The modules whose code decides what a loaded registry contains.
SOURCES = (
    "register/registry.py",
    "register/reading.py",
    "query/index.py",
    "query/cells.py",
    "register/schema.py",
    "register/validate.py",
    "register/textfile.py",
    "register/problems.py",
    "register/chronicle_checks.py",
)


def cache_dir() -> Path:
    return Path(os.environ.get("MAG_CACHE_DIR", config.ROOT_DIR / ".cache" / "registry"))


def _code_version() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((config.PACKAGE_DIR / name).read_bytes())
    digest.update(f"{pd.__version__}|{np.__version__}|{pickle.HIGHEST_PROTOCOL}".encode())
    return digest.hexdigest()


def _path(fingerprint: str, directory: Path | None) -> Path:
    key = hashlib.sha256(f"{fingerprint}|{_code_version()}".encode()).hexdigest()
    return (directory or cache_dir()) / f"registry-{key[:32]}.pickle"


def snapshot_path(folder: Path, directory: Path | None = None) -> Path:
    """Where the snapshot of the register in ``folder`` (as it is now) lives."""
    return _path(file_fingerprint(folder), directory)


def _read(path: Path) -> Registry | None:
    try:
        with path.open("rb") as fh:
            registry = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as error:  # a damaged or foreign snapshot: load the register instead
        log.warning("ignoring unreadable registry snapshot %s: %s", path, error)
        return None
    return registry if isinstance(registry, Registry) else None


def _write(path: Path, registry: Registry) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(registry, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # readers see the whole file or none
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        old = sorted(path.parent.glob("registry-*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-KEEP]:
            stale.unlink(missing_ok=True)
    except OSError as error:
        log.warning("registry snapshot not written to %s: %s", path.parent, error)


def load_registry_snapshot(folder: Path | str, directory: Path | None = None) -> Registry:
    """The registry of ``folder``: from its snapshot when the files and the code are unchanged,
    else loaded and validated (raising ``DataValidationError`` as ``load_registry`` does) and
    snapshotted for the next start, under the fingerprint of the content actually read."""
    folder = Path(folder)
    fingerprint = file_fingerprint(folder)
    registry = _read(_path(fingerprint, directory))
    if registry is not None and registry.fingerprint == fingerprint:
        return registry
    # Keyed by what was read: a change landing between the key above and the read below is
    # stored under its own content's key, never under the old one.
    registry = load_registry(folder)
    _write(_path(registry.fingerprint, directory), registry)
    return registry


__all__ = ["cache_dir", "load_registry_snapshot", "snapshot_path"]
