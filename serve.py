"""Server entry point: ``streamlit run serve.py`` (what ``make run`` does) serves ``app.py`` and
warms it up while the server starts.

Streamlit runs ``app.py`` only when the first browser connects, so that visitor would wait for
the heavy imports (pandas, plotly, pyarrow) and for loading and validating the registers. Here a
background thread does both as soon as the server process starts, while the browser is still
loading the page's JavaScript; the register lands in the same content-keyed cache the app uses
(``ui.state.get_registry``), so the first script run finds it ready. A broken register is not an
error here: the app shows its validation report as usual. ``streamlit run app.py`` still works,
without the warm-up.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import streamlit as st
from streamlit.logger import get_logger
from streamlit.runtime.pages_manager import PagesManager

log = get_logger("mag.serve")  # Streamlit's log format and level (server.log shows it)

# The app routes with st.navigation. Because a pages/ folder sits beside app.py, Streamlit would
# treat the first script run of a server process as a legacy pages/ app: a navigation of its
# own from the files (which answers an unknown address such as /kart with its English «Page
# not found» dialog before app.py runs) and then the page file. The first st.navigation call
# turns that off for good (PagesManager.uses_pages_directory = False); do it before the first
# run, so the first visitor after a restart is served like everyone else.
PagesManager.uses_pages_directory = False


def warm_up() -> float:
    """Import what every page needs and load the register into the app's cache; returns seconds."""
    start = time.perf_counter()
    # The "missing ScriptRunContext" notice is expected outside a script run.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    import plotly.graph_objects  # noqa: F401  (imported by the chart builders)
    import pyarrow  # noqa: F401  (Streamlit's tables)

    from mag_data import DataValidationError
    from mag_data.present import charts  # noqa: F401
    from ui import state

    with contextlib.suppress(DataValidationError):  # the app will show the report
        state.get_registry()
    # Everything alive now (modules, the register, its index) lives as long as the process.
    # Streamlit collects garbage after every script run (runner.postScriptGC), a full pass
    # over every tracked object: ~0.1 s per run here, holding the interpreter while other
    # sessions wait. Frozen objects are left out of those passes (they are still freed by
    # reference counting), so a pass only looks at what the runs made.
    gc.collect()
    gc.freeze()
    return time.perf_counter() - start


def _warm_in_background() -> None:
    try:
        log.info("warm-up done in %.2f s", warm_up())
    except Exception:  # never take the server down: the app loads on first use instead
        log.exception("warm-up failed; the first visitor will load the register")


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    threading.Thread(target=_warm_in_background, name="mag-warm-up", daemon=True).start()
    yield


app = st.App("app.py", lifespan=lifespan)
