"""Cooperation network: who works with whom, the hubs, who is left out, and a partner finder."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mag_data import Filter, Registry, View
from mag_data.analysis import network, partners
from mag_data.i18n import fmt_int, t
from mag_data.present import charts
from mag_data.query import aggregations as agg
from ui import state, widgets

WEIGHT_DEFAULTS = partners.ScoreWeights()
MAX_MAP_LINKS = 300  # links drawn on the charts: more turn them into a hairball


# Thin cached wrappers: the graph measures and geodesic distances cost ~0.5 s on the full
# register; keyed by the register's content hash and the filter (the view follows from both).
@st.cache_data(max_entries=32, show_spinner=False)
def _network(
    fingerprint: str, f: Filter, _view: View
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    graph = network.cooperation_graph(_view)
    return (
        network.city_indicators(graph, _view.members),
        network.link_table(_view),
        network.left_out(_view),
        network.layout_positions(graph, how="spring"),
        network.layout_positions(graph, how="geo"),
    )


@st.cache_data(max_entries=64, show_spinner=False)
def _ranking(
    fingerprint: str,
    city_id: str,
    area_id: str,
    weights: partners.ScoreWeights,
    lang: str,
    candidates: tuple[str, ...],
    _registry: Registry,
) -> pd.DataFrame:
    return partners.rank_partners(_registry, city_id, area_id, weights, lang, candidates)


@st.fragment
def _partner_finder(registry: Registry, cities: dict[str, str], lang: str) -> None:
    """City and area choice, weight sliders and the ranking. A fragment: moving a slider reruns
    only this part, not the network measures and charts above."""
    areas = dict(
        zip(
            registry.areas["id"].astype(str),
            registry.areas[f"name_{lang}"].astype(str),
            strict=True,
        )
    )
    # A keyed selectbox keeps a stale pick when the filter changes its options: reset it first.
    if st.session_state.get("net_city") not in cities:
        st.session_state["net_city"] = next(iter(cities))
    if st.session_state.get("net_area") not in areas:
        st.session_state["net_area"] = next(iter(areas))
    left_col, right_col = st.columns(2)
    city_id = left_col.selectbox(
        t("partners.city", lang),
        options=list(cities),
        format_func=cities.__getitem__,
        key="net_city",
    )
    area_id = right_col.selectbox(
        t("partners.area", lang), options=list(areas), format_func=areas.__getitem__, key="net_area"
    )
    with st.expander(t("partners.weights", lang), expanded=True):
        columns = st.columns(len(partners.COMPONENTS))
        chosen = {
            name: col.slider(
                t(f"partners.w.{name}", lang),
                min_value=0.0,
                max_value=1.0,
                value=float(getattr(WEIGHT_DEFAULTS, name)),
                step=0.05,
                key=f"net_w_{name}",
            )
            for name, col in zip(partners.COMPONENTS, columns, strict=True)
        }
    weights = partners.ScoreWeights(**chosen)
    candidates = tuple(i for i in cities if i != city_id)
    if not candidates:
        st.info(t("partners.no_candidates", lang), icon="🔎")
        return
    shown = len(candidates)
    if len(candidates) > 1:
        # Initial value through session state (not value=), clamped when the pool shrinks.
        if not 1 <= st.session_state.get("net_shown", 0) <= len(candidates):
            st.session_state["net_shown"] = min(10, len(candidates))
        shown = st.slider(
            t("partners.show", lang), min_value=1, max_value=len(candidates), key="net_shown"
        )
    ranking = _ranking(registry.fingerprint, city_id, area_id, weights, lang, candidates, registry)
    st.caption(t("partners.weights_note", lang, weights=partners.weights_note(weights, lang)))
    widgets.show_table(
        partners.finder_table(ranking, lang, n=shown), lang, key="net_partners_table"
    )
    widgets.download_buttons(
        partners.finder_table(ranking, lang, n=None),
        f"partners_{city_id}_{area_id}",
        lang,
        key="net_partners",
        illustrative=registry.illustrative,
    )


ctx = state.context()
lang, view, registry = ctx.lang, ctx.view, ctx.registry

widgets.page_start(ctx, "page.network", needs="members")
st.caption(t("net.intro", lang))

indicators, links, left, spring, geographic = _network(registry.fingerprint, ctx.filter, view)
summary = network.link_summary(links)

c1, c2, c3, c4 = st.columns(4)
c1.metric(t("net.links", lang), fmt_int(summary.links, lang), help=t("net.links_help", lang))
c2.metric(t("net.cross_border", lang), fmt_int(summary.cross_border, lang))
c3.metric(t("net.domestic", lang), fmt_int(summary.domestic, lang))
c4.metric(t("net.left_out_count", lang), fmt_int(len(left), lang))
if links.empty:
    st.info(t("net.no_links", lang), icon="🔎")

layout = (
    st.segmented_control(
        t("net.layout", lang),
        options=["spring", "geo"],
        default="spring",
        format_func=lambda o: t(f"net.layout.{o}", lang),
        key="net_layout",
    )
    or "spring"
)
if network.is_estimated(len(spring)):  # one position per city of the graph
    st.caption(
        t(
            "net.estimated",
            lang,
            n=fmt_int(network.EXACT_MAX_NODES, lang),
            k=fmt_int(network.BETWEENNESS_SAMPLE, lang),
        )
    )
if layout == "spring" and not network.spring_fits(len(spring)):
    st.caption(t("net.layout.too_many", lang, n=fmt_int(network.SPRING_MAX_NODES, lang)))
    layout = "geo"
positions = geographic if layout == "geo" else spring
widgets.show_chart(
    charts.network_chart(
        network.placed_indicators(indicators, positions),
        links,
        lang,
        geographic=layout == "geo",
        max_links=MAX_MAP_LINKS,
        illustrative=registry.illustrative,
    ),
    key="net_chart",
    filename="cooperation_network",
)
widgets.show_chart(
    charts.network_map(
        agg.by_city(view), links, lang, max_links=MAX_MAP_LINKS, illustrative=registry.illustrative
    ),
    key="net_map",
    filename="cooperation_links_map",
)
if len(links) > MAX_MAP_LINKS:
    st.caption(
        t(
            "net.map.shown",
            lang,
            n=fmt_int(MAX_MAP_LINKS, lang),
            total=fmt_int(len(links), lang),
        )
    )

st.subheader(t("net.hubs", lang))
st.caption(t("net.hubs.help", lang))
hubs = network.hubs_table(indicators, lang)
widgets.show_table(hubs, lang, key="net_hubs_table")
widgets.download_buttons(
    hubs, "network_hubs", lang, key="net_hubs", illustrative=registry.illustrative
)
# A toggle, not an expander: an expander's content runs (and exports ~1,000 rows) on every rerun.
if not links.empty and st.toggle(t("net.links_table", lang), key="net_show_links"):
    with st.container(border=True):
        link_rows = network.links_display_table(links, lang)
        widgets.show_table(link_rows, lang, key="net_links_table")
        widgets.download_buttons(
            link_rows, "network_links", lang, key="net_links", illustrative=registry.illustrative
        )

st.subheader(t("net.left_out", lang))
st.caption(t("net.left_out.help", lang))
if left.empty:
    st.success(t("net.left_out.none", lang), icon="✅")
else:
    left_rows = network.left_out_table(left, lang)
    widgets.show_table(left_rows, lang, key="net_left_table")
    widgets.download_buttons(
        left_rows, "left_out", lang, key="net_left", illustrative=registry.illustrative
    )

st.subheader(t("partners.title", lang))
st.caption(t("partners.intro", lang))
_partner_finder(
    registry,
    dict(
        zip(view.members["id"].astype(str), view.members[f"name_{lang}"].astype(str), strict=True)
    ),
    lang,
)
