"""The one sidebar filter: widgets ↔ session state ↔ URL ↔ ``mag_data.Filter``.

The URL carries ids (``?country=russia&area=social&years=2005-2015&lang=en``), not labels, so a
link works in either language. It is read once when a session starts and rewritten after every
run (``sync_url``). Choosing at one geographic level prunes the levels below it (``prune``).
"""

from __future__ import annotations

import streamlit as st

from mag_data import Filter, Registry
from mag_data.analysis.search import find_members
from mag_data.i18n import DEFAULT_LANG, LANGS, t
from mag_data.query.filters import GEO_FIELDS, QUERY_KEYS, geo_labels, prune
from mag_data.register.schema import STATUSES

from . import widgets

LIST_FIELDS = (*GEO_FIELDS, "areas", "statuses")
KEYS = {name: f"f_{name}" for name in LIST_FIELDS}
YEARS_KEY = "f_years"
SEARCH_KEY = "f_search"
LANG_KEY = "lang"
LANG_NAMES = {"ru": "Русский", "en": "English"}
# Page-specific URL parameters that pages own (kept when the URL is rewritten).
PAGE_PARAMS = ("profile", "mode")
SHOW_MODE = "show"  # ?mode=show: the presentation opens full screen


def _year_range(value: object) -> tuple[int, int] | None:
    """A (start, end) pair from the slider's state, or None if it is not one."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        try:
            return int(value[0]), int(value[1])
        except (TypeError, ValueError):
            return None
    return None


def _session_filter(registry: Registry) -> Filter:
    """The Filter the widgets' session state describes."""
    values = {name: tuple(st.session_state.get(KEYS[name]) or ()) for name in LIST_FIELDS}
    years = _year_range(st.session_state.get(YEARS_KEY))
    bounds = registry.year_bounds
    span = None
    if years is not None and years != bounds:
        span = (max(int(years[0]), bounds[0]), min(int(years[1]), bounds[1]))
    return Filter(**values, years=span)


def _write_filter(f: Filter, registry: Registry) -> None:
    for name in LIST_FIELDS:
        st.session_state[KEYS[name]] = list(getattr(f, name))
    st.session_state[YEARS_KEY] = f.years or registry.year_bounds


def seed_from_url(registry: Registry) -> None:
    """Once per session: take the filter and language from the URL (unknown ids dropped)."""
    if st.session_state.get("_seeded"):
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    f = prune(registry, Filter.from_query(params).restricted_to(registry))
    lo, hi = registry.year_bounds
    if f.years is not None:
        start, end = max(f.years[0], lo), min(f.years[1], hi)
        # A range wholly outside the register's years is dropped, not turned inside out.
        f = f.with_(years=(start, end) if start <= end else None)
    _write_filter(f, registry)
    for key in PAGE_PARAMS:
        if key in st.query_params:
            st.session_state[f"page_{key}"] = st.query_params[key]
    st.session_state["_seeded"] = True


def browser_language(locale: str | None) -> str:
    """The interface language a browser asks for: English if its language is English, else
    Russian (the secretariat's language and the default)."""
    return "en" if (locale or "").lower().startswith("en") else DEFAULT_LANG


def seed_language() -> None:
    """Once per session, before the language switch is drawn: the language from the URL, else
    the browser's language (``st.context.locale``); the switch decides after that."""
    if st.session_state.get("_lang_seeded"):
        return
    lang = st.query_params.get("lang") or browser_language(st.context.locale)
    st.session_state[LANG_KEY] = lang if lang in LANGS else DEFAULT_LANG
    st.session_state["_lang_seeded"] = True


def url_params(
    f: Filter, lang: str, page_params: dict[str, str] | None = None
) -> dict[str, list[str] | str]:
    """The URL parameters that reproduce a view: the filter's ids, the language, page extras."""
    wanted: dict[str, list[str] | str] = dict(f.to_query())
    if lang != DEFAULT_LANG:
        wanted["lang"] = lang
    for key, value in (page_params or {}).items():
        if value:
            wanted[key] = value
    return wanted


def page_params(url_path: str) -> dict[str, str]:
    """Parameters a page adds to the URL (the city page: which city it profiles)."""
    if url_path == "city":
        return {"profile": st.session_state.get("page_profile", "")}
    if url_path == "presentation":
        return {"mode": st.session_state.get("page_mode", "")}
    return {}


def session_url_params(registry: Registry, lang: str, url_path: str) -> dict[str, list[str] | str]:
    """URL parameters of the view the session state describes, for a switch to ``url_path``."""
    return url_params(_session_filter(registry), lang, page_params(url_path))


def sync_url(f: Filter, lang: str, url_path: str) -> None:
    """Rewrite the URL so that it reproduces the current view (only when it changed)."""
    wanted = url_params(f, lang, page_params(url_path))
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)


def _prune_callback(registry: Registry) -> None:
    f = _session_filter(registry)
    pruned = prune(registry, f)
    if pruned != f:
        for name in GEO_FIELDS:
            st.session_state[KEYS[name]] = list(getattr(pruned, name))


def _reset_callback(registry: Registry) -> None:
    _write_filter(Filter(), registry)
    st.session_state[SEARCH_KEY] = ""
    st.session_state.pop("_search_msg", None)


def _search_callback(registry: Registry) -> None:
    query = st.session_state.get(SEARCH_KEY, "")
    ids = find_members(registry.members, registry.aliases, query)
    if not query.strip():
        st.session_state.pop("_search_msg", None)
        return
    if ids:
        for name in GEO_FIELDS[:-1]:
            st.session_state[KEYS[name]] = []
        st.session_state[KEYS["cities"]] = ids
    st.session_state["_search_msg"] = (query, ids)


def select_countries(registry: Registry, ids: list[str]) -> None:
    """Narrow the filter to these countries (used by chart clicks, in callbacks)."""
    st.session_state[KEYS["macro_regions"]] = []
    st.session_state[KEYS["countries"]] = list(ids)
    _prune_callback(registry)


def _keep_choices() -> None:
    # The filter lists show labels in the interface language; re-assigning their values when the
    # language changes makes the lists keep the chosen ids under the new labels.
    for key in KEYS.values():
        if key in st.session_state:
            st.session_state[key] = list(st.session_state[key] or [])


def current_language() -> str:
    """The language chosen in this session (the switch's value, set before the run starts)."""
    lang = st.session_state.get(LANG_KEY)
    return lang if lang in LANGS else DEFAULT_LANG


def render_language() -> str:
    """The language switch (top of the sidebar); returns the chosen language."""
    if st.session_state.get(LANG_KEY) not in LANGS:
        st.session_state[LANG_KEY] = DEFAULT_LANG
    st.sidebar.segmented_control(
        t("app.language", st.session_state[LANG_KEY]),
        options=list(LANGS),
        format_func=LANG_NAMES.__getitem__,
        key=LANG_KEY,
        selection_mode="single",
        on_change=_keep_choices,
    )
    # A segmented control can be deselected; fall back to the default language then.
    return st.session_state.get(LANG_KEY) or DEFAULT_LANG


def prepare_filter(registry: Registry) -> Filter:
    """The Filter of this run, read from the session state before the widgets are drawn.

    The app runs the page first and draws the filter after it (``render_filter``): the browser
    then paints the page's title and figures before it builds the sidebar's widgets, about a
    second sooner on a first visit. The state is normalised here as the widgets need it.
    """
    if _year_range(st.session_state.get(YEARS_KEY)) is None:
        # Not a range (e.g. lost on a page switch): back to all years before the slider is drawn.
        st.session_state[YEARS_KEY] = registry.year_bounds
    f = _session_filter(registry)
    if f.federal_districts and not geo_labels(registry, f, "federal_districts", DEFAULT_LANG):
        # No Russian city in scope: the federal-district level does not apply.
        st.session_state[KEYS["federal_districts"]] = []
        f = _session_filter(registry)
    return f


def render_filter(registry: Registry, lang: str) -> Filter:
    """Draw the filter in the sidebar (after ``prepare_filter`` normalised its state) and return
    the Filter it describes."""
    sb = st.sidebar
    sb.subheader(t("filter.title", lang))
    sb.text_input(
        t("filter.search", lang),
        key=SEARCH_KEY,
        on_change=_search_callback,
        args=(registry,),
        placeholder="Алма-Ата, Kharkov, Нур-Султан…",
    )
    msg = st.session_state.get("_search_msg")
    if msg:
        query, ids = msg
        names = registry.members.set_index("id").loc[ids, f"name_{lang}"] if ids else []
        if ids:
            found = ", ".join(widgets.md_escape(n) for n in names)
            sb.caption(t("filter.search.found", lang, names=found))
        else:
            sb.warning(t("filter.search.none", lang, query=widgets.md_escape(query)))

    current = _session_filter(registry)
    for level in GEO_FIELDS:
        labels = geo_labels(registry, current, level, lang)
        if level == "federal_districts" and not labels:
            st.session_state[KEYS[level]] = []
            continue  # no Russian city in scope: the federal-district level does not apply
        sb.multiselect(
            t(f"filter.{level}", lang),
            options=list(labels),
            key=KEYS[level],
            format_func=lambda i, labels=labels: labels.get(i, i),
            placeholder=t("filter.all", lang),
            select_all=False,
            on_change=_prune_callback,
            args=(registry,),
        )
        current = _session_filter(registry)

    areas = registry.areas
    area_labels = dict(zip(areas["id"].astype(str), areas[f"name_{lang}"].astype(str), strict=True))
    sb.multiselect(
        t("filter.areas", lang),
        options=list(area_labels),
        key=KEYS["areas"],
        format_func=lambda i: area_labels.get(i, i),
        placeholder=t("filter.all", lang),
        select_all=False,
    )
    sb.multiselect(
        t("filter.statuses", lang),
        options=list(STATUSES),
        key=KEYS["statuses"],
        format_func=lambda s: t(f"status.{s}", lang),
        placeholder=t("filter.all", lang),
        select_all=False,
    )
    lo, hi = registry.year_bounds
    if lo < hi:
        sb.slider(t("filter.years", lang), min_value=lo, max_value=hi, key=YEARS_KEY, step=1)
    sb.button(
        t("filter.reset", lang),
        on_click=_reset_callback,
        args=(registry,),
        key="f_reset",
        icon="🔄",
        width="stretch",
    )
    sb.caption(t("filter.link", lang))
    return _session_filter(registry)


__all__ = [
    "QUERY_KEYS",
    "prepare_filter",
    "render_filter",
    "render_language",
    "seed_from_url",
    "select_countries",
    "sync_url",
]
