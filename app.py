"""МАГ dashboard — the entry script is only a router: load, filter, navigate, keep the URL.

Run with ``make run`` (``streamlit run serve.py``: this router plus a warm-up at server start;
``streamlit run app.py`` works too, without the warm-up). Pages live in ``pages/``; data and
logic in ``mag_data``; the sidebar filter and display helpers in ``ui``.
"""

from __future__ import annotations

import streamlit as st

from mag_data import DataValidationError, Filter
from mag_data.i18n import t
from ui import gate, sidebar, state, style, widgets

st.set_page_config(
    page_title="МАГ · IAC", page_icon="🏙️", layout="wide", initial_sidebar_state="auto"
)

sidebar.seed_language()
lang = sidebar.current_language()

ROOT_PATH = "_root"  # the default page's own name, never in a link (it is served at /)
PAGES = {
    "overview": st.Page(
        "pages/overview.py",
        title=t("page.overview", lang),
        icon="🏠",
        url_path=ROOT_PATH,  # the default page is served at the app root
        default=True,
    ),
    "map": st.Page("pages/map.py", title=t("page.map", lang), icon="🗺️", url_path="map"),
    "countries": st.Page(
        "pages/countries.py", title=t("page.countries", lang), icon="📊", url_path="countries"
    ),
    "areas": st.Page("pages/areas.py", title=t("page.areas", lang), icon="🤝", url_path="areas"),
    "city": st.Page("pages/city.py", title=t("page.city", lang), icon="📍", url_path="city"),
    "network": st.Page(
        "pages/network.py", title=t("page.network", lang), icon="🕸️", url_path="network"
    ),
    "chronicle": st.Page(
        "pages/chronicle.py", title=t("page.chronicle", lang), icon="📜", url_path="chronicle"
    ),
    "presentation": st.Page(
        "pages/presentation.py",
        title=t("page.presentation", lang),
        icon="📽️",
        url_path="presentation",
    ),
    "data": st.Page("pages/data.py", title=t("page.data", lang), icon="🗂️", url_path="data"),
}
st.session_state["_pages"] = PAGES
# /overview (the page's name in links people type) and /home open the overview, not "Page not
# found": hidden entries for the same page (the default page itself is served at the root).
OVERVIEW_ALIASES = [
    st.Page("pages/overview.py", title=t("page.overview", lang), url_path=path, visibility="hidden")
    for path in ("overview", "home")
]
# Any other address (/kart, a typo) would get Streamlit's English «Page not found» dialog: a
# hidden page takes that address for this run, which goes on to the overview (its query
# parameters kept) and says there, in the interface language, that the page does not exist.
UNKNOWN = state.unknown_path(
    st.context.url,
    str(st.get_option("server.baseUrlPath") or ""),
    [ROOT_PATH, *(page.url_path for page in (*PAGES.values(), *OVERVIEW_ALIASES))],
)
NOT_FOUND = (
    st.Page(
        "pages/overview.py", title=t("page.overview", lang), url_path=UNKNOWN, visibility="hidden"
    )
    if UNKNOWN
    else None
)
MANAGE = ("data",)  # pages that change the registers, in their own navigation section
# The navigation comes before the register is loaded: on a server's first start, loading a
# large register takes seconds, and until a run has called st.navigation the sidebar would
# list the pages/ files by their raw names.
nav = st.navigation(
    {
        t("nav.explore", lang): [page for k, page in PAGES.items() if k not in MANAGE],
        t("nav.manage", lang): [
            *(PAGES[k] for k in MANAGE),
            *OVERVIEW_ALIASES,
            *([NOT_FOUND] if NOT_FOUND else []),
        ],
    }
)
if NOT_FOUND is not None and nav is NOT_FOUND:
    st.session_state[state.NOT_FOUND_KEY] = UNKNOWN
    st.switch_page(
        PAGES["overview"],
        query_params=[(key, v) for key in st.query_params for v in st.query_params.get_all(key)],
    )
sidebar.render_language()
style.inject(lang)

try:
    # Shown only if loading takes longer than half a second: the first start after the register
    # changed (reading and checking a large register takes seconds), never on a cached rerun.
    with st.spinner(t("app.loading", lang)):
        registry = state.get_registry()
except DataValidationError as error:
    # The register cannot be shown, but it can be mended: every page shows the report, and the
    # data page (where an editor uploads a corrected file or restores an earlier version) runs.
    widgets.show_problems(error, lang)
    state.set_context(state.Context(registry=None, filter=Filter(), view=None, lang=lang))
    if nav.url_path == PAGES["data"].url_path:
        state.run_page(nav)
    else:
        st.page_link(PAGES["data"], label=t("app.data_error.mend", lang), icon="🗂️")
    st.stop()

sidebar.seed_from_url(registry)

goto = st.session_state.pop("_goto", None)
if goto in PAGES and nav.url_path != PAGES[goto].url_path:
    # A chart click asked for another page: carry the view's parameters into its URL.
    target = PAGES[goto]
    st.switch_page(target, query_params=sidebar.session_url_params(registry, lang, target.url_path))

# The page runs before the filter's widgets are drawn (from the same session state), so that
# the browser paints the page's title and figures first; the sidebar's order is unchanged. Runs
# take turns in arrival order, a few at a time (ui.gate): in a burst of new visitors the first
# ones are served first instead of everyone at the end.
with gate.turn():
    current = sidebar.prepare_filter(registry)
    state.set_context(
        state.Context(
            registry=registry, filter=current, view=state.get_view(registry, current), lang=lang
        )
    )
    state.run_page(nav)

    drawn = sidebar.render_filter(registry, lang)
    st.sidebar.caption(t("app.sources", lang))
    widgets.about_data(lang)
    if registry.warnings:
        with st.sidebar.expander(t("app.warnings", lang)):
            widgets.show_problems(list(registry.warnings), lang)

    sidebar.sync_url(drawn, lang, nav.url_path)
    if missing := st.session_state.pop(state.NOT_FOUND_KEY, None):
        # Last in the run, so the notice's seconds start when the page is there to read.
        st.toast(
            t("app.not_found", lang, path=widgets.md_escape(missing[:80])),
            icon="🧭",
            duration="long",
        )
just_reran = st.session_state.pop("_filter_rerun", False)
if drawn != current and not just_reran:
    # Drawing the widgets changed the filter (should not happen): show the page once more.
    st.session_state["_filter_rerun"] = True
    st.rerun()
