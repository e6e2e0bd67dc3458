"""The slides of a view, one description for the page, the PowerPoint and the PDF: title,
figure restyled for the projector, footer (filter, source), speaker notes with the numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from mag_data.analysis import chronicle
from mag_data.i18n import fmt_int, fmt_pct, t
from mag_data.present import charts, chronicle_charts
from mag_data.present.caption import describe_filter
from mag_data.present.deck.layout import IMAGE_HEIGHT, SLIDE_FONT_PX, TEXT
from mag_data.query import aggregations as agg
from mag_data.query.filters import Filter, View
from mag_data.register.registry import Registry
from mag_data.register.schema import STATUSES

SLIDE_KEYS = ("title", "map", "countries", "areas", "years", "top_cities", "chronicle", "summary")
# Slides that show project figures: their footer says the project data is illustrative.
PROJECT_SLIDES = frozenset({"areas", "years", "top_cities", "summary"})
TOP_CITIES = 10


@dataclass(frozen=True)
class Slide:
    """One slide: what the page shows and what the PPTX/PDF lay out."""

    key: str
    title: str
    subtitle: str = ""
    figure: go.Figure | None = None
    lines: tuple[str, ...] = ()  # body text of the text slides
    figures: tuple[tuple[str, str], ...] = ()  # (label, value) headline numbers
    notes: str = ""
    footer: tuple[str, ...] = ()  # footer lines: illustrative note first, then filter, source
    illustrative: bool = False

    @property
    def alt(self) -> str:
        return charts.alt_text(self.figure) if self.figure is not None else ""


# --- words -------------------------------------------------------------------------------------


def slide_label(key: str, lang: str) -> str:
    return t(f"pres.slide.{key}", lang)


def format_date(day: date, lang: str) -> str:
    """15.05.2025 (ru) or 2025-05-15 (en)."""
    return day.strftime("%d.%m.%Y") if lang == "ru" else day.isoformat()


def footer_lines(registry: Registry, f: Filter, lang: str, projects: bool) -> tuple[str, ...]:
    """Footer of a slide: the illustrative-data statement (slides with projects), filter, source."""
    lines = []
    if projects and registry.illustrative:
        lines.append(t("pres.illustrative", lang))
    lines.append(describe_filter(registry, f, lang))
    lines.append(t("pres.source", lang))
    return tuple(lines)


# --- figures and notes -------------------------------------------------------------------------


def presentation_figure(fig: go.Figure) -> go.Figure:
    """Restyle a chart just built for a slide (in place; returns it): no chart title (the slide
    has one), large type, fixed size. The builders already set the template explicitly (exported
    images do not get Streamlit's theme); setting it again would cost a deep copy per figure."""
    has_annotation_titles = bool(fig.layout.annotations)
    fig.update_layout(
        title_text="",
        font=dict(size=SLIDE_FONT_PX, color=TEXT),
        legend=dict(font=dict(size=SLIDE_FONT_PX - 2)),
        height=IMAGE_HEIGHT,
        width=None,
        margin=dict(l=10, r=10, t=40 if has_annotation_titles else 10, b=10),
        paper_bgcolor="#ffffff",
    )
    fig.update_annotations(font_size=SLIDE_FONT_PX)
    # Axis text set explicitly: Streamlit's chart theme would otherwise make it small and grey.
    axis_font = dict(size=SLIDE_FONT_PX, color=TEXT)
    fig.update_xaxes(tickfont=axis_font, title_font=axis_font)
    fig.update_yaxes(tickfont=axis_font, title_font=axis_font)
    return fig


def _legend_on_top(fig: go.Figure) -> go.Figure:
    """Stacked bars on a slide: the legend in one row above the plot, in stacking order."""
    fig.update_layout(
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom", traceorder="normal"),
        margin=dict(t=50),
    )
    return fig


def _notes(alt: str, lines: Iterable[str], lang: str) -> str:
    body = "\n".join(lines)
    head = f"{t('pres.notes.figures', lang)}:"
    return "\n".join(x for x in (alt, head, body) if x)


def _country_lines(view: View, lang: str) -> list[str]:
    data = agg.by_country(view)
    header = f"{t('col.country', lang)} — {t('m.members', lang)} — {t('m.population', lang)}"
    rows = [
        f"{r[f'country_{lang}']} — {fmt_int(r['members'], lang)} — {fmt_int(r['population'], lang)}"
        for _, r in data.sort_values(["members", "population"], ascending=False).iterrows()
    ]
    return [header, *rows]


def _headline_line(view: View, lang: str, projects: bool = True) -> str:
    h = agg.headline(view)
    parts = [
        f"{t('m.members', lang)}: {fmt_int(h.members, lang)}",
        f"{t('m.countries', lang)}: {fmt_int(h.countries, lang)}",
        f"{t('m.population', lang)}: {fmt_int(h.population, lang)}",
    ]
    if projects:
        parts.append(f"{t('m.projects', lang)}: {fmt_int(h.projects, lang)}")
    return " · ".join(parts)


def _title_slide(view: View, lang: str, today: date, footer: tuple[str, ...]) -> Slide:
    registry = view.registry
    words = describe_filter(registry, view.filter, lang)
    return Slide(
        key="title",
        title=t("app.assembly", lang),
        subtitle=f"{t('app.title', lang)} · {format_date(today, lang)}",
        lines=(words,),
        notes=_notes("", [words, _headline_line(view, lang, projects=False)], lang),
        footer=footer,
    )


def _map_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    cities = agg.by_city(view)
    fig = presentation_figure(
        charts.member_map(cities, lang, countries=agg.by_country(view), height=IMAGE_HEIGHT)
    )
    largest = cities.sort_values("population", ascending=False).head(TOP_CITIES)
    lines = [
        _headline_line(view, lang, projects=False),
        *_country_lines(view, lang),
        f"{t('col.city', lang)} — {t('col.population', lang)}:",
        *(f"{r[f'name_{lang}']} — {fmt_int(r['population'], lang)}" for _, r in largest.iterrows()),
    ]
    return Slide(
        key="map",
        title=slide_label("map", lang),
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
    )


def _countries_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    data = agg.by_country(view)
    fig = presentation_figure(charts.country_members_population(data, lang))
    lines = [_headline_line(view, lang, projects=False), *_country_lines(view, lang)]
    return Slide(
        key="countries",
        title=slide_label("countries", lang),
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
    )


def _areas_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    areas = agg.by_area(view)
    fig = _legend_on_top(
        presentation_figure(charts.area_bars(areas, lang, illustrative=view.registry.illustrative))
    )
    statuses = " / ".join(t(f"status.{s}", lang) for s in STATUSES)
    lines = [
        f"{t('col.area', lang)} — {t('m.projects', lang)} ({statuses}) — "
        f"{t('m.cross_border_share', lang)}"
    ]
    for _, r in areas.iterrows():
        split = " / ".join(fmt_int(r[s], lang) for s in STATUSES)
        share = r["cross_border_share"]
        lines.append(
            f"{r[f'name_{lang}']} — {fmt_int(r['projects'], lang)} ({split}) — "
            f"{fmt_pct(None if share != share else float(share), 1, lang)}"
        )
    return Slide(
        key="areas",
        title=slide_label("areas", lang),
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
        illustrative=view.registry.illustrative,
    )


def _years_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    years = agg.by_year(view)
    fig = _legend_on_top(
        presentation_figure(
            charts.year_bars(
                years, view.registry.areas, lang, illustrative=view.registry.illustrative
            )
        )
    )
    lines = [f"{t('m.year', lang)} — {t('m.projects', lang)}"]
    if not years.empty:
        per_year = years.groupby("year")["projects"].sum()
        lines += [f"{int(y)} — {fmt_int(n, lang)}" for y, n in per_year.items() if n > 0]
    return Slide(
        key="years",
        title=slide_label("years", lang),
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
        illustrative=view.registry.illustrative,
    )


def _top_cities_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    top = agg.top_cities(view, n=TOP_CITIES)
    title = slide_label("top_cities", lang)
    fig = presentation_figure(
        charts.city_bars(top, lang, title, illustrative=view.registry.illustrative)
    )
    fig.update_xaxes(title_text=t("m.projects", lang))
    lines = [f"{t('col.city', lang)} ({t('col.country', lang)}) — {t('m.projects', lang)}"]
    lines += [
        f"{i}. {r[f'name_{lang}']} ({r[f'country_{lang}']}) — {fmt_int(r['projects'], lang)}; "
        f"{t('pres.led', lang, n=fmt_int(r['led'], lang))}"
        for i, (_, r) in enumerate(top.iterrows(), start=1)
    ]
    return Slide(
        key="top_cities",
        title=title,
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
        illustrative=view.registry.illustrative,
    )


def started_by_year(view: View, today: date) -> tuple[pd.Series, int]:
    """Projects of the view that have started, per start year (years with none left out), and
    how many are still to start. A project has started when its start date has come and it is
    not planned: a planned project dated in a year that has not begun is counted as planned."""
    projects = view.projects
    if projects.empty:
        return pd.Series(dtype="int64"), 0
    start = pd.to_datetime(projects["start_date"])
    begun = (start <= pd.Timestamp(today)) & (projects["status"] != "planned")
    per_year = projects.loc[begun, "start_year"].astype("int64").value_counts().sort_index()
    return per_year, int((~begun).sum())


def _summary_slide(view: View, lang: str, footer: tuple[str, ...], today: date) -> Slide:
    h = agg.headline(view)
    numbers = (
        (t("m.members", lang), fmt_int(h.members, lang)),
        (t("m.countries", lang), fmt_int(h.countries, lang)),
        (t("m.population", lang), fmt_int(h.population, lang)),
        (t("m.projects", lang), fmt_int(h.projects, lang)),
        (t("m.cross_border_share", lang), fmt_pct(h.cross_border_share, 1, lang)),
    )
    points = []
    countries = agg.by_country(view)
    if not countries.empty:
        top = countries.sort_values("members", ascending=False, kind="stable").iloc[0]
        points.append(
            t(
                "pres.summary.top_country",
                lang,
                name=top[f"country_{lang}"],
                n=fmt_int(top["members"], lang),
            )
        )
    areas = agg.by_area(view)
    if areas["projects"].sum() > 0:
        top = areas.sort_values("projects", ascending=False, kind="stable").iloc[0]
        points.append(
            t(
                "pres.summary.top_area",
                lang,
                name=top[f"name_{lang}"],
                n=fmt_int(top["projects"], lang),
            )
        )
    cities = agg.top_cities(view, n=1)
    if not cities.empty:
        points.append(
            t(
                "pres.summary.top_city",
                lang,
                name=cities.iloc[0][f"name_{lang}"],
                n=fmt_int(cities.iloc[0]["projects"], lang),
            )
        )
    started, planned = started_by_year(view, today)
    if not started.empty:
        points.append(
            t(
                "pres.summary.top_year",
                lang,
                year=int(started.idxmax()),
                n=fmt_int(started.max(), lang),
            )
        )
    if planned:
        points.append(t("pres.summary.planned", lang, n=planned))
    lines = [f"{label}: {value}" for label, value in numbers] + points
    return Slide(
        key="summary",
        title=slide_label("summary", lang),
        figures=numbers,
        lines=tuple(points),
        notes=_notes("", lines, lang),
        footer=footer,
        illustrative=view.registry.illustrative,
    )


def _chronicle_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    """Where the assembly met (real, sourced events; host cities follow the view's geography)
    and the last sessions the sources date."""
    events = chronicle.events_table(view.registry)
    hosts = set(view.members["id"].astype(str)) if view.geographic else None
    events = chronicle.filter_events(events, hosts=hosts)
    fig = presentation_figure(
        chronicle_charts.chronicle_map(chronicle.host_counts(events), lang, height=IMAGE_HEIGHT)
    )
    last = chronicle.last_sessions(events, lang, n=3)
    lines = [
        t("chron.intro", lang, date=chronicle.SEARCH_DATE),
        f"{t('pres.chronicle.last', lang)}:",
        *last,
    ]
    return Slide(
        key="chronicle",
        title=slide_label("chronicle", lang),
        subtitle=f"{t('pres.chronicle.last', lang)}: " + "; ".join(last) if last else "",
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
    )


_BUILDERS = {
    "map": _map_slide,
    "countries": _countries_slide,
    "areas": _areas_slide,
    "years": _years_slide,
    "top_cities": _top_cities_slide,
    "chronicle": _chronicle_slide,
}


def selected_keys(include: Iterable[str] | None) -> list[str]:
    """The chosen slide keys in presentation order (unknown keys dropped; None = all)."""
    if include is None:
        return list(SLIDE_KEYS)
    chosen = set(include)
    return [k for k in SLIDE_KEYS if k in chosen]


def make_slide(key: str, view: View, lang: str, today: date | None = None) -> Slide:
    """One slide of the view (the page builds only the slide on screen)."""
    footer = footer_lines(view.registry, view.filter, lang, key in PROJECT_SLIDES)
    if key == "title":
        return _title_slide(view, lang, today or date.today(), footer)
    if key == "summary":
        return _summary_slide(view, lang, footer, today or date.today())
    if key not in _BUILDERS:
        raise KeyError(key)
    return _BUILDERS[key](view, lang, footer)


def build_slides(
    view: View, lang: str, include: Iterable[str] | None = None, today: date | None = None
) -> list[Slide]:
    """Every chosen slide of the view, in presentation order."""
    return [make_slide(k, view, lang, today) for k in selected_keys(include)]


def deck_filename(lang: str, today: date, ext: str) -> str:
    return f"mag_presentation_{lang}_{today.isoformat()}.{ext}"
