"""Cooperation areas: projects per area and status, area × country, per year, most active cities."""

from __future__ import annotations

import streamlit as st

from mag_data.i18n import fmt_pct, t
from mag_data.present import charts
from mag_data.query import aggregations as agg
from ui import state, widgets

TOP_AREA = "_areas_top_area"  # the most active cities' area, kept while its tab is closed

ctx = state.context()
lang, view, registry = ctx.lang, ctx.view, ctx.registry

widgets.page_start(ctx, "page.areas", needs="projects")

head = agg.headline(view)
st.markdown(
    "**" + t("areas.cross_border", lang, share=fmt_pct(head.cross_border_share, 1, lang)) + "**"
)

left, right = st.columns([3, 2])
with left:
    widgets.show_chart(
        widgets.projects_by_area(ctx),
        key="areas_bars",
        filename="projects_by_area",
    )
with right:
    widgets.show_chart(
        widgets.shared_figure(
            ctx,
            "status_donut",
            lambda: charts.status_donut(
                agg.by_status(view), lang, illustrative=registry.illustrative
            ),
        ),
        key="areas_status",
        filename="projects_by_status",
    )

# The detail charts in tabs: only the open tab's chart is built and drawn, so a filter change
# redraws three charts, not five (each changed chart is mounted anew and drawn twice).
tab_names = {name: t(f"areas.tab.{name}", lang) for name in ("countries", "years", "top")}
tabs = dict(
    zip(
        tab_names,
        st.tabs(list(tab_names.values()), key="areas_tab", on_change="rerun"),
        strict=True,
    )
)
if tabs["countries"].open:
    with tabs["countries"]:
        widgets.show_chart(
            widgets.shared_figure(
                ctx,
                "area_country_heatmap",
                lambda: charts.area_country_heatmap(
                    agg.area_country_matrix(view),
                    registry.areas,
                    agg.by_country(view),
                    lang,
                    illustrative=registry.illustrative,
                ),
            ),
            key="areas_heatmap",
            filename="area_by_country",
        )
if tabs["years"].open:
    with tabs["years"]:
        widgets.show_chart(
            widgets.projects_by_year(ctx),
            key="areas_years",
            filename="projects_by_year",
        )
if tabs["top"].open:
    with tabs["top"]:
        area_labels = {"": t("areas.all", lang)} | dict(
            zip(
                registry.areas["id"].astype(str),
                registry.areas[f"name_{lang}"].astype(str),
                strict=True,
            )
        )
        area = st.selectbox(
            t("areas.top_area", lang),
            options=list(area_labels),
            format_func=area_labels.__getitem__,
            key="areas_top_area",
            # The choice outlives the tab being closed.
            **widgets.kept_choice("areas_top_area", TOP_AREA, "", area_labels),
        )
        chosen = area_labels[area].lower() if area else t("areas.all", lang).lower()
        title = f"{t('areas.top', lang)}: {chosen}"
        widgets.show_chart(
            widgets.shared_figure(
                ctx,
                "top_cities",
                lambda: charts.city_bars(
                    agg.top_cities(view, n=10, area_id=area or None),
                    lang,
                    title,
                    illustrative=registry.illustrative,
                ),
                area,
            ),
            key="areas_top_chart",
            filename="top_cities",
        )
