"""City profile: facts, projects and partners, geodesic distances to every other member."""

from __future__ import annotations

import streamlit as st

from mag_data import apply_filter
from mag_data.analysis import chronicle
from mag_data.i18n import t
from mag_data.present import charts
from mag_data.query import tables
from ui import state, widgets

ctx = state.context()
lang, view, registry = ctx.lang, ctx.view, ctx.registry
members = registry.members
ids = list(members["id"].astype(str))
names = dict(zip(ids, members[f"name_{lang}"].astype(str), strict=True))

st.title(t("page.city", lang))
widgets.filter_caption(ctx)
# Default: the URL's or last clicked city, else the first city of a narrowed filter, else Moscow.
wanted = st.session_state.get("page_profile")
if wanted not in names:
    in_view = list(view.members["id"].astype(str))
    narrowed = len(in_view) < len(ids)
    wanted = in_view[0] if narrowed and in_view else ("moscow" if "moscow" in names else ids[0])
st.session_state["page_profile"] = wanted
city_id = st.selectbox(
    t("city.choose", lang),
    options=ids,
    index=ids.index(wanted),
    format_func=names.__getitem__,
    key="city_select",
)
st.session_state["page_profile"] = city_id
if city_id not in set(view.members["id"].astype(str)):
    st.caption(t("city.not_in_filter", lang))

st.subheader(t("city.facts", lang))
st.table(tables.city_facts(registry, city_id, lang).set_index(t("city.field", lang)))

st.subheader(t("city.hosted", lang))
joined = chronicle.joined_fact(registry, city_id)
if joined is None:
    st.caption(t("city.joined.unknown", lang))
else:
    st.markdown(
        t(
            "city.joined.source",
            lang,
            year=joined["year"],
            publisher=f"[{widgets.md_escape(joined['publisher'])}]({joined['url']})",
            quote=widgets.md_escape(joined["quote"]),
        )
    )
hosted = chronicle.hosted_by(registry, city_id)
if hosted.empty:
    st.caption(t("city.hosted.none", lang))
else:
    hosted_table = chronicle.events_display(hosted, lang).drop(columns=["id"])
    link = t("chron.col.source", lang)
    st.dataframe(
        hosted_table,
        hide_index=True,
        width="stretch",
        column_config={link: st.column_config.LinkColumn(link)},
        key="city_hosted",
    )

st.subheader(t("city.projects", lang))
widgets.illustrative_notice(registry, lang)
projects = tables.city_projects(registry, ctx.filter, city_id, lang)
if projects.empty:
    st.info(t("city.no_projects", lang), icon="🔎")
else:
    widgets.show_table(projects, lang)
    widgets.download_buttons(
        projects,
        f"projects_{city_id}",
        lang,
        key="city_projects",
        illustrative=registry.illustrative,
    )

project_view = apply_filter(registry, ctx.filter.projects_only())
partners = tables.partner_bars(project_view, city_id)
if not partners.empty:
    fig = charts.city_bars(
        partners,
        lang,
        f"{t('city.partners', lang)}: {names[city_id]}",
        x_title=t("city.shared", lang),
        illustrative=registry.illustrative,
    )
    widgets.show_chart(fig, key="city_partners", filename=f"partners_{city_id}")

fig = charts.city_bars(
    tables.nearest_bars(members, city_id),
    lang,
    f"{t('city.nearest', lang)}: {names[city_id]}",
    x_title=t("m.distance_km", lang),
)
widgets.show_chart(fig, key="city_nearest", filename=f"nearest_{city_id}")
distances = tables.distances_table(members, city_id, lang)
with st.expander(t("city.distances", lang)):
    widgets.show_table(distances, lang)
    widgets.download_buttons(distances, f"distances_{city_id}", lang, key="city_distances")
