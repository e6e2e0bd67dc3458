"""serve.py, what `make run` starts: its warm-up imports what the pages need and loads the
register into the app's cache (a failed warm-up only logs, so nothing else would notice)."""

from __future__ import annotations

import importlib
from pathlib import Path


def test_the_warm_up_imports_the_chart_builders_and_loads_the_register(tiny_env: Path) -> None:
    """warm_up() finishes (no ImportError after a module moves) and leaves the register cached."""
    serve = importlib.import_module("serve")
    seconds = serve.warm_up()
    assert seconds >= 0

    from ui import state

    assert state.get_registry().members["id"].tolist()  # served from the cache warm_up filled
