"""Countries and regions: members, population, share, projects by area; chart and table."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from mag_data.i18n import t
from mag_data.present import charts
from mag_data.query import aggregations as agg
from mag_data.query import tables
from ui import sidebar, state, widgets

MEASURES = ("members", "population", "share_of_membership", "projects", "participations")

ctx = state.context()
lang, view, registry = ctx.lang, ctx.view, ctx.registry

widgets.page_start(ctx, "page.countries", needs="members")

c1, c2 = st.columns([1, 2])
level = (
    c1.segmented_control(
        t("countries.level", lang),
        options=["country", "macro_region"],
        default="country",
        format_func=lambda o: t(f"countries.level.{o}", lang),
        key="countries_level",
    )
    or "country"
)
measure = (
    c2.segmented_control(
        t("countries.measure", lang),
        options=list(MEASURES),
        default="members",
        format_func=lambda m: t(f"m.{m}", lang),
        key="countries_measure",
    )
    or "members"
)


def _filter_country() -> None:
    ids = widgets.selected_ids("countries_bars")
    if ids:
        sidebar.select_countries(registry, ids[:1])


def _bars() -> go.Figure:
    data = agg.by_country(view) if level == "country" else agg.by_macro_region(view)
    return charts.geo_bars(data, lang, measure, level, illustrative=registry.illustrative)


fig = widgets.shared_figure(ctx, "geo_bars", _bars, level, measure)
if level == "country":
    widgets.show_chart(
        fig, key="countries_bars", filename=f"{measure}_by_country", on_select=_filter_country
    )
    st.caption(t("countries.click", lang))
else:
    widgets.show_chart(fig, key="regions_bars", filename=f"{measure}_by_region")

value = (
    st.segmented_control(
        t("countries.sunburst_value", lang),
        options=["members", "population"],
        default="members",
        format_func=lambda m: t(f"m.{m}", lang),
        key="countries_sunburst_value",
    )
    or "members"
)
widgets.show_chart(
    widgets.shared_figure(
        ctx, "sunburst", lambda: charts.membership_sunburst(view.members, lang, value), value
    ),
    key="countries_sunburst",
    filename="membership_sunburst",
)

st.subheader(t("countries.table", lang))
table = tables.geo_table(view, lang, level)
widgets.show_table(table, lang)
widgets.download_buttons(
    table,
    "countries" if level == "country" else "regions",
    lang,
    key="countries_table",
    illustrative=registry.illustrative,
)
