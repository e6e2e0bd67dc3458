"""serve.py, what `make run` starts: its warm-up imports what the pages need and loads the
register into the app's cache (a failed warm-up only logs, so nothing else would notice)."""

from __future__ import annotations

import gc
import importlib
from pathlib import Path


def test_the_warm_up_imports_the_chart_builders_and_loads_the_register(tiny_env: Path) -> None:
    """warm_up() finishes (no ImportError after a module moves) and leaves the register cached."""
    serve = importlib.import_module("serve")
    try:
        seconds = serve.warm_up()
        # What the warm-up leaves alive is frozen: Streamlit's collection after every run
        # skips it (the register is among it).
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # the rest of this test process collects as before
    assert seconds >= 0

    from ui import state

    assert state.get_registry().members["id"].tolist()  # served from the cache warm_up filled
