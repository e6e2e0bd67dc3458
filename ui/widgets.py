"""Display helpers shared by the pages: charts with offline maps and export options, notices,
headline metrics and table downloads."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Hashable
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mag_data import Filter, config
from mag_data.i18n import fmt_float, fmt_int, fmt_pct, problems_table, t
from mag_data.present import charts
from mag_data.present.caption import describe_filter
from mag_data.present.charts import alt_text
from mag_data.present.export import illustrative_note, to_csv_bytes, to_xlsx_bytes
from mag_data.query import aggregations as agg
from mag_data.query.aggregations import Headline
from mag_data.register.problems import DataValidationError, Problem

from .state import end_page

EXPORT_FORMAT = "export_format"  # session key read by chart_config: "png" or "svg"
EXPORT_FORMATS = ("png", "svg")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def md_escape(text: str) -> str:
    """Text from data or users, made inert for Streamlit's Markdown (captions, notices)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


PLOTLY_LOCALES = {"ru": config.STATIC_DIR / "plotly-locale-ru.json"}


@functools.cache
def _plotly_locale(lang: str) -> dict | None:
    """The chart toolbar's texts in ``lang`` (static/plotly-locale-<lang>.json), or None for
    plotly's own English. Streamlit's bundled plotly.js registers no locale, so the texts
    travel with each chart's config (plotly.js ``config.locales``)."""
    path = PLOTLY_LOCALES.get(lang)
    if path is None or not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return {"dictionary": data["dictionary"], "format": data["format"]}


def chart_config(filename: str, lang: str | None = None) -> dict:
    """plotly.js config: local base maps (offline), modebar download as a 1920×1080 PNG or an
    SVG (the session's ``export_format``) with a meaningful, file-system-safe name, and the
    toolbar's texts in the interface language. The image is laid out at 960×540 and drawn at
    twice the scale: the text is as large on a 1920×1080 slide as on a 960 px wide chart (laid
    out at 1920 px, 16 px text would be tiny on a projector). The title, source and
    illustrative mark are part of the figure (``_style``)."""
    fmt = st.session_state.get(EXPORT_FORMAT, "png")
    safe = re.sub(r"[^\w.-]+", "_", filename, flags=re.ASCII).strip("._") or "chart"
    lang = lang or st.session_state.get("lang") or "ru"
    locale = _plotly_locale(lang)
    extra = {"locale": lang, "locales": {lang: locale}} if locale is not None else {}
    return {
        **extra,
        "topojsonURL": config.TOPOJSON_URL,
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": fmt if fmt in EXPORT_FORMATS else "png",
            "filename": f"mag_{safe}_{date.today().isoformat()}",
            "width": 960,
            "height": 540,
            "scale": 2,
        },
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def kept_choice(widget_key: str, store_key: str, default: object, allowed=None) -> dict:
    """Seed a widget from a value kept beside it under ``store_key``, which outlives the runs
    that do not draw the widget (Streamlit drops a widget's own state then: another page, a
    closed tab). Call before drawing the widget and pass what this returns to it (its
    ``on_change`` keeps the value). A kept value not in ``allowed`` falls back to ``default``."""
    value = st.session_state.get(store_key, default)
    st.session_state[widget_key] = value if allowed is None or value in allowed else default
    return {"on_change": _keep_choice, "args": (widget_key, store_key, default)}


def _keep_choice(widget_key: str, store_key: str, default: object) -> None:
    value = st.session_state.get(widget_key)
    st.session_state[store_key] = default if value is None else value


def export_format_choice(lang: str, key: str = "_export_format_widget") -> None:
    """PNG/SVG switch for every chart's download button; the choice outlives page changes
    (a widget's own state is dropped when its page is left, ``export_format`` is not)."""
    keep = kept_choice(key, EXPORT_FORMAT, "png", EXPORT_FORMATS)
    st.segmented_control(
        t("pres.export_format", lang),
        options=list(EXPORT_FORMATS),
        format_func=str.upper,
        key=key,
        help=t("pres.export_format.help", lang),
        **keep,
    )
    _keep_choice(*keep["args"])


class SharedFigure(go.Figure):
    """A finished figure held as plotly's dict, made once and shown by every session with the
    same view (``shared_figure``). Streamlit asks each figure for ``to_dict()`` on every run (a
    deep copy that also packs every array as base64: ~8 ms a chart here); this one answers with
    the dict it holds. Read-only: nothing may change it once it is made."""

    def __init__(self, fig: go.Figure):
        super().__init__()
        self._spec = fig.to_dict()
        self._alt = alt_text(fig)

    def to_dict(self) -> dict:
        return self._spec

    @property
    def alt(self) -> str:
        return self._alt


# A room that opens one link builds its figures once. Keyed by what a figure may depend on: the
# register's content, the filter, the language, the chart's name and its own parameters.
# Bounded: a figure is 3–33 kB of plotly JSON today (the map page's map with its links the
# largest), far more for a register of thousands of members; ten links make ~40 entries.
@st.cache_resource(max_entries=64, show_spinner=False)
def _shared(
    fingerprint: str, f: Filter, lang: str, name: str, params: tuple, _build: Callable
) -> SharedFigure:
    return SharedFigure(_build())


def shared_figure(
    ctx, name: str, build: Callable[[], go.Figure], *params: Hashable
) -> SharedFigure:
    """The figure ``build()`` makes for this run's view, built once per (register content,
    filter, language, ``name``, ``params``) and shared by all sessions. ``build`` may read only
    the context's view, registry and language and ``params``: anything else it depends on (a
    page's toggle, a chosen city) goes into ``params``."""
    return _shared(ctx.registry.fingerprint, ctx.filter, ctx.lang, name, params, build)


def projects_by_area(ctx) -> SharedFigure:
    """Projects per cooperation area and status: the same chart on the overview and the areas
    page (one recipe for the one cache name both pages share)."""
    return shared_figure(
        ctx,
        "area_bars",
        lambda: charts.area_bars(
            agg.by_area(ctx.view), ctx.lang, illustrative=ctx.registry.illustrative
        ),
    )


def projects_by_year(ctx) -> SharedFigure:
    """Projects per start year and area: the same chart on the overview and the areas page."""
    return shared_figure(
        ctx,
        "year_bars",
        lambda: charts.year_bars(
            agg.by_year(ctx.view),
            ctx.registry.areas,
            ctx.lang,
            illustrative=ctx.registry.illustrative,
        ),
    )


def show_chart(
    fig: go.Figure,
    key: str,
    filename: str | None = None,
    on_select: Callable[[], None] | None = None,
    height: int | str = "content",
) -> None:
    """Render a figure with its alt text; clicks call ``on_select`` (a callback) when given.
    ``height="stretch"`` fills a container whose height the stylesheet sets (the show mode)."""
    kwargs: dict = {}
    if on_select is not None:
        kwargs = {"on_select": on_select, "selection_mode": ("points",)}
    st.plotly_chart(
        fig,
        key=key,
        config=chart_config(filename or key),
        width="stretch",
        height=height,
        alt=(fig.alt if isinstance(fig, SharedFigure) else alt_text(fig)) or None,
        **kwargs,
    )


def selected_ids(key: str, index: int = -1) -> list[str]:
    """Ids (customdata, or its last field for multi-field customdata) of the points clicked."""
    state = st.session_state.get(key)
    points = []
    if state is not None:
        selection = (
            state.get("selection") if isinstance(state, dict) else getattr(state, "selection", None)
        )
        if selection is not None:
            points = (
                selection.get("points", []) if isinstance(selection, dict) else selection.points
            )
    ids = []
    for p in points:
        data = p.get("customdata") if isinstance(p, dict) else None
        if isinstance(data, list):
            data = data[index] if data else None
        if data is not None:
            ids.append(str(data))
    return ids


def illustrative_notice(registry, lang: str) -> None:
    """The plain statement that project data is an illustrative sample (where projects show)."""
    if registry.illustrative:
        st.info(t("app.illustrative", lang), icon="ℹ️")


def empty_notice(lang: str) -> None:
    st.info(t("app.empty", lang), icon="🔎")


def filter_caption(ctx) -> None:
    """The active filter in words under the page's title (the same words as on the slides), so
    a filtered screen is never taken for the whole assembly."""
    st.caption(md_escape(describe_filter(ctx.registry, ctx.filter, ctx.lang)))


def page_start(ctx, title_key: str, needs: str = "members") -> None:
    """Title, the active filter, the illustrative-data notice, and a friendly stop when the
    filter leaves nothing to show: ``needs`` is "members" (a page about cities) or "projects"
    (a page about projects). A city page with no matching project says so and goes on."""
    st.title(t(title_key, ctx.lang))
    filter_caption(ctx)
    illustrative_notice(ctx.registry, ctx.lang)
    if getattr(ctx.view, f"n_{needs}") == 0:
        empty_notice(ctx.lang)
        end_page()
    if ctx.view.n_projects == 0:
        st.info(t("app.no_projects", ctx.lang), icon="🔎")


def headline_metrics(h: Headline, lang: str, illustrative: bool) -> None:
    """Five headline figures; project figures carry an 'illustrative' help text."""
    cols = st.columns(5)
    proj_help = t("app.illustrative.short", lang) if illustrative else None
    cols[0].metric(t("m.members", lang), fmt_int(h.members, lang))
    cols[1].metric(t("m.countries", lang), fmt_int(h.countries, lang))
    cols[2].metric(t("m.population", lang), fmt_int(h.population, lang))
    cols[3].metric(t("m.projects", lang), fmt_int(h.projects, lang), help=proj_help)
    cols[4].metric(
        t("m.cross_border_share", lang), fmt_pct(h.cross_border_share, 1, lang), help=proj_help
    )
    st.caption(
        t(
            "m.status_line",
            lang,
            planned=fmt_int(h.planned, lang),
            active=fmt_int(h.active, lang),
            completed=fmt_int(h.completed, lang),
        )
    )


MAX_TABLE_ROWS = 500


def show_table(table: pd.DataFrame, lang: str, key: str | None = None) -> None:
    """A sortable table whose numbers are shown in the language's format (1 234 567 / 12,5);
    sorting still uses the numbers themselves. A very long table (a register far larger than
    today's) shows its first ``MAX_TABLE_ROWS`` rows; the downloads always hold all of them."""
    if len(table) > MAX_TABLE_ROWS:
        st.caption(
            t(
                "app.table_cut",
                lang,
                n=MAX_TABLE_ROWS,
                total=fmt_int(len(table), lang),
            )
        )
        table = table.head(MAX_TABLE_ROWS)
    formats = {}
    columns: dict[str, object] = {}
    for col in table.columns:
        dtype = table[col].dtype
        if pd.api.types.is_bool_dtype(dtype):
            continue
        if pd.api.types.is_datetime64_any_dtype(dtype):
            # Dates stay dates (they sort as dates) and are shown as the language writes them.
            columns[col] = st.column_config.DateColumn(format=DATE_FORMATS.get(lang, "YYYY-MM-DD"))
        elif pd.api.types.is_integer_dtype(dtype):
            formats[col] = lambda v: fmt_int(v, lang) if pd.notna(v) else ""
        elif pd.api.types.is_float_dtype(dtype):
            formats[col] = lambda v: fmt_float(v, 1, lang) if pd.notna(v) else ""
    styled = table.style.format(formats) if formats else table
    st.dataframe(styled, hide_index=True, width="stretch", key=key, column_config=columns or None)


DATE_FORMATS = {"ru": "DD.MM.YYYY", "en": "YYYY-MM-DD"}  # Streamlit's (moment.js) date formats


def export_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table as it is written to a download: yes/no columns in words of the language
    («да»/«нет»), so a Russian spreadsheet shows no English True/False."""
    words = {True: t("bool.yes", lang), False: t("bool.no", lang)}
    flags = [c for c in table.columns if pd.api.types.is_bool_dtype(table[c].dtype)]
    if not flags:
        return table
    return table.assign(**{c: table[c].map(words) for c in flags})


def download_buttons(
    table: pd.DataFrame, name: str, lang: str, key: str, illustrative: bool = False
) -> None:
    """CSV (UTF-8 with BOM; ',' or ';' for Russian Excel) and XLSX downloads of a table.
    ``illustrative``: the table holds project figures of an illustrative register (the caller
    passes ``registry.illustrative`` for such tables): the files say so (a note column, and a
    note sheet in the XLSX).

    The files are built only when a button is clicked (Streamlit calls the function then), so
    a rerun does not pay for three exports nobody asked for."""
    note = illustrative_note(lang, illustrative)
    c1, c2, c3 = st.columns([1, 1, 1])
    stem = f"mag_{name}_{date.today().isoformat()}"
    table = export_table(table, lang)
    c1.download_button(
        "CSV (,)",
        lambda: to_csv_bytes(table, sep=",", note=note),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon="⬇️",
    )
    c2.download_button(
        "CSV (;) Excel",
        lambda: to_csv_bytes(table, sep=";", decimal=",", note=note),
        file_name=f"{stem}_excel.csv",
        mime="text/csv",
        key=f"{key}_csv_semicolon",
        icon="⬇️",
    )
    c3.download_button(
        "XLSX",
        lambda: to_xlsx_bytes(table, sheet=name, note=note),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon="⬇️",
    )


def show_problems(
    error: DataValidationError | list[Problem],
    lang: str,
    title_key: str = "app.data_error.title",
    help_key: str = "app.data_error.help",
) -> None:
    """The validation report: every problem with file, row, column, value and how to fix it.
    The title and help default to the bundled register's wording; an upload passes its own."""
    problems = error.problems if isinstance(error, DataValidationError) else error
    st.error(t(title_key, lang), icon="⚠️")
    st.write(t(help_key, lang))
    st.dataframe(pd.DataFrame(problems_table(problems, lang)), hide_index=True, width="stretch")


def about_data(lang: str) -> None:
    """Where the figures come from, in the user's words (the sidebar's «О данных»)."""
    with st.sidebar.expander(t("about.title", lang), icon="ℹ️"):
        st.markdown(t("about.text", lang))
