"""Map: member cities (size by population), countries shaded by members, partner links."""

from __future__ import annotations

import streamlit as st

from mag_data.i18n import t
from mag_data.present import charts
from mag_data.query import aggregations as agg
from ui import state, widgets

MAX_LINKS = 400

ctx = state.context()
lang, view, registry = ctx.lang, ctx.view, ctx.registry

widgets.page_start(ctx, "page.map", needs="members")

c1, c2, c3 = st.columns([2, 2, 2])
color_by = (
    c1.segmented_control(
        t("map.color_by", lang),
        options=["country", "macro_region"],
        default="country",
        format_func=lambda o: t(f"map.color.{o}", lang),
        key="map_color_by",
    )
    or "country"
)
show_links = c2.toggle(t("map.links", lang), value=True, key="map_links")
show_choropleth = c3.toggle(t("map.choropleth", lang), value=True, key="map_choropleth")


def _open_profile() -> None:
    ids = widgets.selected_ids("map_chart")
    if ids:
        st.session_state["page_profile"] = ids[0]
        st.session_state["_goto"] = "city"


fig = widgets.shared_figure(
    ctx,
    "member_map",
    lambda: charts.member_map(
        agg.by_city(view),
        lang,
        color_by=color_by,
        links=agg.partner_links(view, max_links=MAX_LINKS) if show_links else None,
        countries=agg.by_country(view) if show_choropleth else None,
        height=680,
        illustrative=registry.illustrative,
    ),
    color_by,
    show_links,
    show_choropleth,
)
widgets.show_chart(fig, key="map_chart", filename="member_map", on_select=_open_profile)
st.caption(t("map.hint", lang, n=MAX_LINKS))
st.caption(t("map.basemap", lang))
