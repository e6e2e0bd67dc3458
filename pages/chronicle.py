"""Chronicle: the assembly's real, sourced history — timeline, where it met, sources, gaps,
membership as stated, and the details of each event."""

from __future__ import annotations

import streamlit as st

from mag_data.analysis import chronicle
from mag_data.i18n import t
from mag_data.present import chronicle_charts
from mag_data.register.schema import EVENT_KINDS
from ui import state, widgets

ctx = state.context()
lang, view, registry = ctx.lang, ctx.view, ctx.registry

st.title(t("page.chronicle", lang))
st.info(t("chron.intro", lang, date=chronicle.SEARCH_DATE), icon="📜")
stats = chronicle.counts(registry)
st.caption(
    t(
        "chron.summary",
        lang,
        n=sum(v for k, v in stats.items() if k.startswith("kind:")),
        placed=stats["sessions_dated_and_placed"],
        sessions=stats["sessions"],
        joined=stats["members_with_join_year"],
    )
)

events = chronicle.events_table(registry)
first, last = chronicle.year_bounds(events)
left, middle, right = st.columns([2, 2, 1])
kinds = left.multiselect(
    t("chron.kinds", lang),
    options=list(EVENT_KINDS),
    format_func=lambda k: chronicle.kind_label(k, lang),
    key="chron_kinds",
)
years = middle.slider(
    t("chron.years", lang),
    first,
    max(last, first + 1),
    (first, max(last, first + 1)),
    key="chron_years",
)
undated = right.checkbox(t("chron.undated", lang), value=True, key="chron_undated")
hosts = set(view.members["id"].astype(str)) if view.geographic else None
if hosts is not None:
    st.caption(t("chron.geo_note", lang))
chosen = chronicle.filter_events(events, tuple(kinds), years, hosts, keep_undated=undated)
if chosen.empty:
    st.info(t("chron.none", lang), icon="🔎")

widgets.show_chart(
    chronicle_charts.chronicle_timeline(chosen, lang), key="chron_timeline", filename="chronicle"
)
widgets.show_chart(
    chronicle_charts.chronicle_map(chronicle.host_counts(chosen), lang),
    key="chron_map",
    filename="chronicle_map",
)
st.caption(t("chron.map.note", lang))

st.subheader(t("chron.table", lang))
table = chronicle.events_display(chosen, lang)
link = t("chron.col.source", lang)
picked = st.dataframe(
    table.drop(columns=["id"]),
    hide_index=True,
    width="stretch",
    column_config={link: st.column_config.LinkColumn(link)},
    on_select="rerun",
    selection_mode="single-row",
    key="chron_table",
)
widgets.download_buttons(table, "chronicle", lang, key="chron_events")

st.subheader(t("chron.details", lang))
options = chronicle.event_options(chosen, lang)
rows = picked.selection.rows if picked is not None else []
if rows and rows[0] < len(table):
    st.session_state["chron_event"] = table["id"].iloc[rows[0]]
if st.session_state.get("chron_event") not in options:
    st.session_state.pop("chron_event", None)
if options:
    event_id = st.selectbox(
        t("chron.choose", lang),
        options=list(options),
        format_func=options.__getitem__,
        key="chron_event",
    )
    details = chronicle.event_details(registry, event_id)
    event = details.event
    st.markdown(f"**{widgets.md_escape(event[f'title_{lang}'])}**")
    st.write(
        " · ".join(
            [
                chronicle.kind_label(str(event["kind"]), lang),
                chronicle.date_label(event, lang),
                chronicle.host_label(event, lang),
            ]
        )
    )
    st.write(str(event[f"summary_{lang}"]))
    if isinstance(event["disagreement"], str) and event["disagreement"]:
        st.warning(
            f"{t('chron.disagreement', lang)}: {widgets.md_escape(event['disagreement'])}",
            icon="⚖️",
        )
    if not details.conflicts.empty:
        st.write(f"{t('chron.conflicts', lang)}:")
        for _, other in details.conflicts.iterrows():
            st.markdown(f"- {widgets.md_escape(other[f'title_{lang}'])} (`{other['id']}`)")
    st.write(f"**{t('chron.sources', lang)}**")
    for _, source in details.sources.iterrows():
        published = f" ({t('chron.published', lang)} {source['source_date']})"
        st.markdown(
            f"[{widgets.md_escape(source['source_publisher'])}]({source['source_url']})"
            + (published if source["source_date"] else "")
            + (f" — {widgets.md_escape(source['note'])}" if source["note"] else "")
            + f"\n\n> {widgets.md_escape(source['source_quote'])}"
        )
else:
    st.caption(t("chron.details.none", lang))

st.subheader(t("chron.gaps", lang))
st.caption(t("chron.gaps.help", lang))
gaps = chronicle.gaps_display(chronicle.session_gaps(chosen), lang)
if gaps.empty:
    st.caption(t("chron.gaps.none", lang))
else:
    st.dataframe(gaps, hide_index=True, width="stretch", key="chron_gaps")

st.subheader(t("chron.statements", lang))
st.caption(t("chron.statements.help", lang))
cards = chronicle.statement_cards(registry, lang)
for start in range(0, len(cards), 4):
    for column, card in zip(st.columns(4), cards[start : start + 4], strict=False):
        column.metric(card["label"], card["value"], help=card["help"])
statements = chronicle.statements_display(registry, lang)
st.dataframe(
    statements,
    hide_index=True,
    width="stretch",
    column_config={link: st.column_config.LinkColumn(link)},
    key="chron_statements",
)
widgets.download_buttons(statements, "membership_statements", lang, key="chron_statements_dl")
