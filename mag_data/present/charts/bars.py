"""Bars, heat map and donut of the view's members and projects: per country or macro-region,
per cooperation area, per year, per status, per city."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from mag_data.i18n import NBSP, fmt_int, fmt_pct, t
from mag_data.present import palette
from mag_data.present.charts.base import (
    FONT,
    MUTED_COLOR,
    Layout,
    Trace,
    _axis,
    _integer_ticks,
    _legend_below,
    _style,
    _text,
    _top_phrase,
    empty_figure,
    plain,
    plain_all,
    wrap,
    wrap_label,
)
from mag_data.register.schema import STATUSES

# Colour scales as plotly spells them out ([[position, colour], …]): a named scale such as
# "Blues" is plotly.py's own, which the unvalidated figure would otherwise pass to plotly.js.
_SEQUENTIAL = [list(step) for step in go.Heatmap(colorscale=palette.SEQUENTIAL).colorscale]


def _hbars(
    x: pd.Series | np.ndarray,
    y: pd.Series | np.ndarray,
    colors: list[str],
    text: list[str],
    ids: pd.Series | np.ndarray,
) -> Trace:
    """Horizontal bars labelled with ``text``; each bar carries its id for click-to-filter."""
    return dict(
        type="bar",
        x=np.asarray(x),
        y=np.asarray(y),
        orientation="h",
        marker=dict(color=colors),
        text=text,
        textposition="auto",
        textangle=0,  # never turned on its side in a thin bar
        customdata=np.asarray(ids),
        hovertemplate="<b>%{y}</b>: %{text}<extra></extra>",
    )


def _percent_axis(values: np.ndarray, lang: str) -> dict[str, Any]:
    """Axis properties for shares drawn as percentages (0..100): «6,7 %» in Russian (plotly's
    ``%`` format writes «6,7%» whatever the separators), «6.7%» in English."""
    digits = 0 if float(np.nanmax(values, initial=0.0)) >= 5 else 1
    return dict(tickformat=f",.{digits}f", ticksuffix=f"{NBSP}%" if lang == "ru" else "%")


def _single(
    name: str,
    measure: str,
    value: str,
    lang: str,
    title: str,
    why: str,
    illustrative: bool,
    ids: dict[str, float],
) -> go.Figure:
    """The figure for a chart that compares places when the filter leaves one: its figure in
    words and large (name, number, what it counts), and why there is nothing to compare
    (``name`` is register text; ``title`` ours, already plain). ``layout.meta["single"]``
    keeps the place's id and number, as a bar's customdata and x would."""

    def line(text: str, y: float, size: int, color: str = str(FONT["color"])) -> dict[str, Any]:
        return dict(
            text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=y,
            yanchor="middle", align="center", font=dict(size=size, color=color),
        )  # fmt: skip

    notes = [
        line(f"<b>{plain(name)}</b>", 0.92, 18),
        line(value, 0.72, 38, palette.COUNTRY_COLORS["russia"]),
        line(measure, 0.54, 16),
        line(wrap(t(why, lang), 52), 0.22, 14, MUTED_COLOR),
    ]
    layout = {"annotations": notes, "xaxis": _axis(visible=False), "yaxis": _axis(visible=False)}
    alt = f"{html.unescape(title)}. {name}: {measure} — {value}"
    return _style(
        [], layout, title, lang, alt, height=320, illustrative=illustrative, meta={"single": ids}
    )


def geo_bars(
    data: pd.DataFrame,
    lang: str,
    measure: str = "members",
    level: str = "country",
    illustrative: bool = False,
) -> go.Figure:
    """Horizontal bars per country (or macro-region) of ``measure`` (members, population, …);
    ``data`` is ``by_country`` or ``by_macro_region``. Bars carry their id for click-to-filter.
    One country (or region) is no comparison: its figure in words instead (``_single``).
    ``illustrative`` marks a chart of project figures (``measure`` projects, participations)."""
    base = "country" if level == "country" else "macro_region"
    title = t(f"chart.geo.{measure}", lang, by=t(f"chart.by.{base}", lang))
    illustrative = illustrative and measure in ("projects", "participations")
    if data.empty or not data[measure].fillna(0).astype(float).any():
        return empty_figure(lang, title)
    share = measure == "share_of_membership"
    if len(data) == 1:
        value = data[measure].iloc[0]
        single = fmt_pct(value, 1, lang) if share else fmt_int(value, lang)
        return _single(
            str(data[f"{base}_{lang}"].iloc[0]),
            t(f"m.{measure}", lang),
            single,
            lang,
            title,
            f"chart.single.{base}",
            illustrative,
            {str(data["id"].iloc[0]): float(value)},
        )
    data = data.sort_values(measure, ascending=True)
    table = palette.COUNTRY_COLORS if level == "country" else palette.MACRO_REGION_COLORS
    colors = palette.color_map(data["id"], table)
    if share:
        text = [fmt_pct(v, 1, lang) for v in data[measure]]
    else:
        text = [fmt_int(v, lang) for v in data[measure]]
    x = data[measure].to_numpy(dtype=float) * 100 if share else data[measure]
    bars = _hbars(
        x, plain_all(data[f"{base}_{lang}"]), [colors[i] for i in data["id"]], text, data["id"]
    )
    ticks = _percent_axis(x, lang) if share else _integer_ticks(float(data[measure].max()))
    layout = {"xaxis": _axis(t("m." + measure, lang), **ticks), "yaxis": _axis("")}
    top = data.sort_values(measure, ascending=False)
    values = list(top[measure] * 100) if share else list(top[measure])
    alt = f"{title}. " + _top_phrase(list(top[f"{base}_{lang}"]), values, lang)
    return _style(
        [bars],
        layout,
        title,
        lang,
        alt,
        height=max(320, 46 * len(data) + 120),
        illustrative=illustrative,
    )


def _stacked_layout(**axes: dict[str, Any]) -> Layout:
    """Stacked bars with the legend at the foot of the figure, under the axis title, with room
    to wrap onto several lines in a half-width column. Placed in the figure's pixels, not the
    plot's: a 1920×1080 image of the chart keeps it as close to the plot as the screen does."""
    return dict(
        barmode="stack",
        legend={
            **_legend_below(0.0, traceorder="normal"),
            "yref": "container",
            "yanchor": "bottom",
        },
        margin=dict(b=150),
        **axes,
    )


def _legend_right() -> dict[str, Any]:
    """A legend at the plot's top right, beside it at any size (short labels: statuses,
    countries)."""
    return dict(orientation="v", x=1.01, xanchor="left", y=1.0, yanchor="top", traceorder="normal")


def area_bars(areas: pd.DataFrame, lang: str, illustrative: bool = False) -> go.Figure:
    """Projects per cooperation area, stacked by status; the legend beside the plot."""
    title = t("chart.areas", lang)
    projects = areas["projects"].to_numpy()
    if areas.empty or projects.sum() == 0:
        return empty_figure(lang, title)
    names = areas[f"name_{lang}"].to_numpy()
    shown = np.array([wrap_label(name) for name in plain_all(areas[f"name_{lang}"])], dtype=object)
    data = [
        dict(
            type="bar",
            y=shown,
            x=areas[status].to_numpy(),
            orientation="h",
            name=t(f"status.{status}", lang),
            marker=dict(color=palette.STATUS_COLORS[status]),
            hovertemplate="<b>%{y}</b><br>" + t(f"status.{status}", lang) + ": %{x}<extra></extra>",
        )
        for status in STATUSES
    ]
    layout = dict(
        barmode="stack",
        # Under the plot, not beside it: on a phone the area names and the plot share the width
        # (in rows from the figure's foot, so on a narrow screen it wraps downwards).
        legend={
            **_legend_below(0.0, traceorder="normal"),
            "yref": "container",
            "yanchor": "bottom",
        },
        xaxis=_axis(t("m.projects", lang), **_integer_ticks(float(projects.max()))),
        yaxis=_axis(autorange="reversed"),
    )
    top = np.argsort(-projects, kind="stable")
    alt = f"{title}. " + _top_phrase(list(names[top]), list(projects[top]), lang, n=4)
    # Room for the names on three lines each (``wrap_label``) beside their bars.
    return _style(data, layout, title, lang, alt, height=480, illustrative=illustrative)


def area_country_heatmap(
    matrix: pd.DataFrame,
    areas: pd.DataFrame,
    countries: pd.DataFrame,
    lang: str,
    illustrative: bool = False,
) -> go.Figure:
    """Heat map of distinct projects per cooperation area × country."""
    title = t("chart.heatmap", lang)
    cell_projects = matrix["projects"].to_numpy()
    if matrix.empty or cell_projects.sum() == 0:
        return empty_figure(lang, title)
    cell_area = _text(matrix["area_id"])
    cell_country = _text(matrix["country_id"])
    area_names = dict(zip(_text(areas["id"]), _text(areas[f"name_{lang}"]), strict=True))
    country_names = dict(
        zip(_text(countries["id"]), _text(countries[f"country_{lang}"]), strict=True)
    )
    area_ids = [a for a in area_names if a in set(cell_area)]
    country_ids = [c for c in country_names if c in set(cell_country)]
    row = {a: i for i, a in enumerate(area_ids)}
    col = {c: j for j, c in enumerate(country_ids)}
    grid = np.zeros((len(area_ids), len(country_ids)), dtype=np.int64)
    filled = np.zeros(grid.shape, dtype=bool)
    for a, c, n in zip(cell_area, cell_country, cell_projects, strict=True):
        if a in row and c in col:
            grid[row[a], col[c]], filled[row[a], col[c]] = n, True
    z = grid if filled.all() else np.where(filled, grid, np.nan)
    heatmap = dict(
        type="heatmap",
        z=z,
        x=plain_all([country_names[c] for c in country_ids]),
        y=np.array([wrap_label(n) for n in plain_all([area_names[a] for a in area_ids])]),
        colorscale=_SEQUENTIAL,
        text=z,
        texttemplate="%{text}",
        textfont=dict(size=14),
        # Every cell writes its number: no colour bar beside it (its width is the plot's, on a
        # phone).
        showscale=False,
        hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
    )
    layout = {
        "xaxis": _axis(t("col.country", lang), tickangle=-45),
        "yaxis": _axis("", autorange="reversed"),
    }
    top = int(np.argmax(cell_projects))  # the first of the largest cells
    alt = f"{title}. " + t(
        "chart.max_cell",
        lang,
        area=area_names.get(cell_area[top], cell_area[top]),
        country=country_names.get(cell_country[top], ""),
        n=fmt_int(cell_projects[top], lang),
    )
    return _style([heatmap], layout, title, lang, alt, height=480, illustrative=illustrative)


def year_bars(
    years: pd.DataFrame, areas: pd.DataFrame, lang: str, illustrative: bool = False
) -> go.Figure:
    """Projects started per year, stacked by cooperation area."""
    title = t("chart.years", lang)
    projects = years["projects"].to_numpy()
    if years.empty or projects.sum() == 0:
        return empty_figure(lang, title)
    data = []
    year = years["year"].to_numpy()
    area = _text(years["area_id"])
    for area_id, name in zip(_text(areas["id"]), _text(areas[f"name_{lang}"]), strict=True):
        sub = area == area_id
        data.append(
            dict(
                type="bar",
                x=year[sub],
                y=projects[sub],
                name=plain(name),
                marker=dict(color=palette.AREA_COLORS.get(area_id, palette.NEUTRAL)),
                # The name from the trace, not spliced into the template (it is register text).
                hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
            )
        )
    distinct, which = np.unique(year, return_inverse=True)
    per_year = np.bincount(which.ravel(), weights=projects)
    top = int(np.argmax(per_year))  # the first year with the most projects
    layout = _stacked_layout(
        xaxis=_axis(t("m.year", lang), dtick=2),
        yaxis=_axis(t("m.projects", lang), **_integer_ticks(float(per_year[top]))),
    )
    alt = f"{title}: " + t(
        "chart.max_year", lang, year=int(distinct[top]), n=fmt_int(int(per_year[top]), lang)
    )
    return _style(data, layout, title, lang, alt, height=440, illustrative=illustrative)


def status_donut(statuses: pd.DataFrame, lang: str, illustrative: bool = False) -> go.Figure:
    """Projects by status."""
    title = t("chart.status", lang)
    counts = statuses["projects"].to_numpy()
    if counts.sum() == 0:
        return empty_figure(lang, title)
    # Statuses with no project get no slice (their 0 % labels would pile up at the top).
    shown = counts > 0
    status, counts = _text(statuses["status"])[shown], counts[shown]
    labels = [t(f"status.{s}", lang) for s in status]
    donut = dict(
        type="pie",
        labels=labels,
        values=counts,
        hole=0.55,
        sort=False,
        marker=dict(colors=[palette.STATUS_COLORS[s] for s in status]),
        # Written out, not plotly's %{percent}: «6,7 %» with the space Russian puts before %.
        text=[f"{fmt_int(v, lang)}<br>{fmt_pct(v / counts.sum(), 1, lang)}" for v in counts],
        texttemplate="%{text}",
        hovertemplate="%{label}: %{value}<extra></extra>",
    )
    alt = f"{title}. " + ", ".join(
        f"{lab}: {fmt_int(v, lang)}" for lab, v in zip(labels, counts, strict=True)
    )
    layout = {"legend": _legend_right()}
    return _style([donut], layout, title, lang, alt, height=380, illustrative=illustrative)


def city_bars(
    cities: pd.DataFrame,
    lang: str,
    title: str,
    value: str = "value",
    x_title: str | None = None,
    illustrative: bool = False,
) -> go.Figure:
    """Horizontal bars of one value per city (most active cities, nearest members…), coloured
    by country with a legend of the countries; the value axis is titled ``x_title`` (default:
    projects) and has whole-number ticks. ``title`` is plain text (a city name in it is shown
    as written). One city is no comparison: its figure in words instead."""
    raw_title, title = title, plain(title)
    if cities.empty:
        return empty_figure(lang, title)
    x_title = x_title if x_title is not None else t("m.projects", lang)
    values = cities[value].to_numpy()
    names = cities[f"name_{lang}"].to_numpy()
    if len(cities) == 1:
        return _single(
            str(names[0]),
            x_title,
            fmt_int(values[0], lang),
            lang,
            title,
            "chart.single.city",
            illustrative,
            {str(cities["id"].iloc[0]): float(values[0])},
        )
    # Largest first in the frame, drawn from the top down (the category order says so).
    shown = plain_all(cities[f"name_{lang}"])
    country = _text(cities["country_id"])
    country_names = plain_all(cities[f"country_{lang}"])
    ids = _text(cities["id"])
    colors = palette.color_map(country, palette.COUNTRY_COLORS)
    text = np.asarray([fmt_int(v, lang) for v in values], dtype=object)
    codes, groups = pd.factorize(country, sort=False)
    data = []
    for code, country_id in enumerate(groups):
        rows = np.flatnonzero(codes == code)
        bars = _hbars(
            values[rows], shown[rows], [colors[country_id]] * len(rows), list(text[rows]), ids[rows]
        )
        data.append({**bars, "name": country_names[rows[0]], "showlegend": True})
    layout = {
        "xaxis": _axis(x_title, **_integer_ticks(float(values.max()))),
        "yaxis": _axis("", categoryorder="array", categoryarray=list(shown[::-1])),
        # Under the plot (wrapping downwards), not beside it: a phone's width is the plot's.
        "legend": {
            **_legend_below(0.0, traceorder="normal"),
            "yref": "container",
            "yanchor": "bottom",
        },
        "barmode": "overlay",
    }
    alt = f"{raw_title}. " + _top_phrase(list(names), list(values), lang)
    return _style(
        data,
        layout,
        title,
        lang,
        alt,
        height=max(300, 36 * len(values) + 160),  # the legend under the plot included
        illustrative=illustrative,
    )
