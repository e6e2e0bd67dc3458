"""Cached loading of the registers and the per-run context (registry, filter, language)."""

from __future__ import annotations

import os
import runpy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import unquote, urlsplit

import streamlit as st

from mag_data import (
    DataValidationError,
    Filter,
    Registry,
    View,
    apply_filter,
    config,
)
from mag_data.editing.store import RegisterStore
from mag_data.register.problems import load_failed
from mag_data.register.reading import SWITCH_JOURNAL
from mag_data.register.registry import file_fingerprint
from mag_data.register.snapshot import load_registry_snapshot


def data_dir() -> Path:
    """The register folder: ``MAG_DATA_DIR`` if set (tests, benchmarks), else the bundled data/."""
    return Path(os.environ.get("MAG_DATA_DIR", config.DATA_DIR))


class _Moved(Exception):
    """The files changed between taking the cache key and reading them (not cached)."""

    def __init__(self, registry: Registry):
        self.registry = registry


@st.cache_resource(max_entries=2, show_spinner=False)
def _load(folder: str, fingerprint: str) -> Registry:
    # Keyed by the files' content hash: an edited file reloads, a touched one does not. The
    # registry is shared, not copied: mag_data never mutates frames in place. A restart reads
    # the validated registry from its snapshot (mag_data.register.snapshot) when nothing changed.
    registry = load_registry_snapshot(Path(folder))
    if registry.fingerprint != fingerprint:
        raise _Moved(registry)  # what was read is not what the key names: do not cache it
    return registry


def get_registry() -> Registry:
    """The validated registry (cached by the content read); raises DataValidationError for the
    app to show, for any failure to load (an unexpected one as the problem ``load_failed``)."""
    folder = data_dir()
    try:
        if (folder / SWITCH_JOURNAL).exists():
            RegisterStore(folder)  # opening the store finishes a switch a dead writer left
        try:
            return _load(str(folder), file_fingerprint(folder))
        except _Moved as moved:
            return moved.registry  # cached on the next run, under its own fingerprint
    except DataValidationError:
        raise
    except Exception as error:
        raise load_failed(error) from error


# Bounded: at 1,000,000 participations one view holds tens of MB.
@st.cache_resource(max_entries=8, show_spinner=False)
def _view(fingerprint: str, f: Filter, _registry: Registry) -> View:
    return apply_filter(_registry, f)


def get_view(registry: Registry, f: Filter) -> View:
    """The filtered view, cached per (register content, filter) with a bounded cache."""
    return _view(registry.fingerprint, f, registry)


@dataclass(frozen=True)
class Context:
    """What every page needs: the registry, the current filter and view, the language."""

    registry: Registry | None  # None only while a broken register is shown (data page only)
    filter: Filter
    view: View | None
    lang: str


def set_context(ctx: Context) -> None:
    st.session_state["_ctx"] = ctx


NOT_FOUND_KEY = "_page_not_found"  # the unknown path asked for, shown once on the overview


def unknown_path(url: str | None, base_path: str, known: Iterable[str]) -> str | None:
    """The page name in ``url`` (the browser's address, ``st.context.url``) if no page has it.

    Streamlit looks a typed address up by its path below ``server.baseUrlPath``, decoded
    (``/%D0%BA%D0%B0%D1%80%D1%82%D0%B0`` asks for «карта»), and for a name no page has shows
    its English «Page not found» dialog. A name returned here can serve as a hidden page's
    ``url_path``, so the router gets that run instead: one segment, no surrounding spaces
    (``st.Page`` strips them), not the root. None for a known page, the root, no URL or a
    nested path (Streamlit cannot serve those: its assets load relative to the path).
    """
    if not url:
        return None
    path = unquote(urlsplit(url).path).strip("/")
    base = base_path.strip("/")
    if base:
        if path != base and not path.startswith(base + "/"):
            return None
        path = path[len(base) :].strip("/")
    if not path or "/" in path or path != path.strip() or len(path) > 200:
        return None
    return None if path in set(known) else path


IN_ROUTER = "_in_router"


class PageEnd(Exception):
    """A page has nothing more to show (``end_page``); the router goes on after it."""


def end_page() -> NoReturn:
    """End the current page here. Unlike ``st.stop()``, the router still draws what follows the
    page (the sidebar filter is drawn after the page), so the user can change the filter."""
    raise PageEnd


def run_page(nav) -> None:
    """Run the page chosen by ``st.navigation``, marking that the router is running."""
    st.session_state[IN_ROUTER] = True
    try:
        nav.run()
    except PageEnd:
        pass
    finally:
        st.session_state[IN_ROUTER] = False


def context() -> Context:
    """The context app.py prepared for this run (pages call this first).

    If the page file was run directly (Streamlit's legacy pages/ discovery does that for the
    first run of a server process and in AppTest), run the router instead, which runs this
    page through ``st.navigation`` with the sidebar, and stop this outer run.
    """
    if not st.session_state.get(IN_ROUTER):
        runpy.run_path(str(config.ROOT_DIR / "app.py"), run_name="__main__")
        st.stop()
    return st.session_state["_ctx"]


__all__ = [
    "Context",
    "DataValidationError",
    "context",
    "end_page",
    "get_registry",
    "get_view",
    "set_context",
]
