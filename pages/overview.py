"""Overview: headline figures, small versions of the other pages, and the member table."""

from __future__ import annotations

import streamlit as st

from mag_data.i18n import t
from mag_data.present import charts
from mag_data.query import aggregations as agg
from mag_data.query import tables
from ui import state, widgets

ctx = state.context()
lang, view, registry = ctx.lang, ctx.view, ctx.registry
pages = st.session_state["_pages"]

st.title(t("app.assembly", lang))
widgets.filter_caption(ctx)
head = agg.headline(view)
widgets.headline_metrics(head, lang, registry.illustrative)
widgets.illustrative_notice(registry, lang)

if view.n_members == 0:
    widgets.empty_notice(lang)
    state.end_page()

left, right = st.columns(2)
with left:
    fig = widgets.shared_figure(
        ctx,
        "overview_map",
        # No legend: the country bars beside it carry the same colours, with the names.
        lambda: charts.member_map(agg.by_city(view), lang, height=420, legend=False),
    )
    widgets.show_chart(fig, key="overview_map", filename="map")
    st.page_link(pages["map"], label=f"{t('overview.more', lang)}: {t('page.map', lang)}", icon="🗺️")
with right:
    fig = widgets.shared_figure(
        ctx, "overview_countries", lambda: charts.geo_bars(agg.by_country(view), lang, "members")
    )
    widgets.show_chart(fig, key="overview_countries", filename="members_by_country")
    st.page_link(
        pages["countries"],
        label=f"{t('overview.more', lang)}: {t('page.countries', lang)}",
        icon="📊",
    )

# The project charts in tabs that run only when open: a filter change redraws three charts
# (each changed chart is mounted anew and drawn twice by Streamlit), not four.
by_area, by_year = st.tabs(
    [t("overview.tab.areas", lang), t("overview.tab.years", lang)],
    key="overview_tab",
    on_change="rerun",
)
if by_area.open:
    with by_area:
        widgets.show_chart(
            widgets.projects_by_area(ctx),
            key="overview_areas",
            filename="projects_by_area",
        )
if by_year.open:
    with by_year:
        widgets.show_chart(
            widgets.projects_by_year(ctx),
            key="overview_years",
            filename="projects_by_year",
        )
st.page_link(
    pages["areas"], label=f"{t('overview.more', lang)}: {t('page.areas', lang)}", icon="🤝"
)

st.subheader(t("overview.members_table", lang))
table = tables.members_table(view, lang)
widgets.show_table(table, lang)
widgets.download_buttons(
    table, "members", lang, key="overview_members", illustrative=registry.illustrative
)
