"""Bars, sunburst, heat map and donut of the view's members and projects: per country or
macro-region, per cooperation area, per year, per status, per city; the two-panel country chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from mag_data.i18n import fmt_int, fmt_pct, t
from mag_data.present import palette
from mag_data.present.charts.base import (
    Layout,
    Trace,
    _axis,
    _corner_note,
    _integer_ticks,
    _legend_below,
    _style,
    _text,
    _top_phrase,
    empty_figure,
)
from mag_data.register.schema import STATUSES

# Colour scales as plotly spells them out ([[position, colour], …]): a named scale such as
# "Blues" is plotly.py's own, which the unvalidated figure would otherwise pass to plotly.js.
_SEQUENTIAL = [list(step) for step in go.Heatmap(colorscale=palette.SEQUENTIAL).colorscale]
# Beyond this many cities in one country the sunburst shows the largest and one "more" leaf.
# Enough for every country of today's membership (Russia has 51 members) to show all its cities;
# a much larger register shows each country's largest cities and one "n more" sector.
MAX_SUNBURST_CITIES = 60


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
        customdata=np.asarray(ids),
        hovertemplate="<b>%{y}</b>: %{text}<extra></extra>",
    )


def geo_bars(
    data: pd.DataFrame, lang: str, measure: str = "members", level: str = "country"
) -> go.Figure:
    """Horizontal bars per country (or macro-region) of ``measure`` (members, population, …);
    ``data`` is ``by_country`` or ``by_macro_region``. Bars carry their id for click-to-filter."""
    base = "country" if level == "country" else "macro_region"
    title = t(f"chart.geo.{measure}", lang, by=t(f"chart.by.{base}", lang))
    if data.empty or not data[measure].fillna(0).astype(float).any():
        return empty_figure(lang, title)
    data = data.sort_values(measure, ascending=True)
    table = palette.COUNTRY_COLORS if level == "country" else palette.MACRO_REGION_COLORS
    colors = palette.color_map(data["id"], table)
    share = measure == "share_of_membership"
    if share:
        text = [fmt_pct(v, 1, lang) for v in data[measure]]
    else:
        text = [fmt_int(v, lang) for v in data[measure]]
    bars = _hbars(
        data[measure], data[f"{base}_{lang}"], [colors[i] for i in data["id"]], text, data["id"]
    )
    ticks = dict(tickformat=".0%") if share else _integer_ticks(float(data[measure].max()))
    layout = {"xaxis": _axis(t("m." + measure, lang), **ticks), "yaxis": _axis("")}
    top = data.sort_values(measure, ascending=False)
    values = list(top[measure] * 100) if share else list(top[measure])
    alt = f"{title}. " + _top_phrase(list(top[f"{base}_{lang}"]), values, lang)
    return _style([bars], layout, title, lang, alt, height=max(320, 46 * len(data) + 120))


def membership_sunburst(members: pd.DataFrame, lang: str, value: str = "members") -> go.Figure:
    """Region → country → city sunburst, sized by member count or population."""
    title = t(f"chart.sunburst.{value}", lang)
    if members.empty:
        return empty_figure(lang, title)
    # Plain arrays (codes in order of first appearance), not group-bys: a rerun pays
    # microseconds per level instead of milliseconds of pandas overhead.
    n = len(members)
    region = members["macro_region_id"].astype(str).to_numpy(dtype=object)
    country = members["country_id"].astype(str).to_numpy(dtype=object)
    population = members["population"].astype(float).to_numpy()
    weight = np.ones(n) if value == "members" else population
    r_codes, r_ids = pd.factorize(region, sort=False)
    c_codes, c_ids = pd.factorize(country, sort=False)
    r_first = np.unique(r_codes, return_index=True)[1]
    c_first = np.unique(c_codes, return_index=True)[1]
    r_values = np.bincount(r_codes, weights=weight)
    c_values = np.bincount(c_codes, weights=weight)
    country_colors = palette.color_map(pd.Series(c_ids), palette.COUNTRY_COLORS)
    region_colors = palette.color_map(pd.Series(r_ids), palette.MACRO_REGION_COLORS)
    # Per country, the largest MAX_SUNBURST_CITIES cities; the rest as one "n more" leaf.
    order = np.lexsort((np.arange(n), -np.nan_to_num(population, nan=-1.0), c_codes))
    grouped = c_codes[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    shown = rank < MAX_SUNBURST_CITIES
    hidden = np.bincount(c_codes[~shown], minlength=len(c_ids))
    hidden_values = np.bincount(c_codes[~shown], weights=weight[~shown], minlength=len(c_ids))
    more = np.flatnonzero(hidden)
    as_number = (lambda x: int(round(x))) if value == "members" else float
    region_labels = members[f"macro_region_{lang}"].astype(str).to_numpy(dtype=object)
    country_labels = members[f"country_{lang}"].astype(str).to_numpy(dtype=object)
    leaf_ids = members["id"].astype(str).to_numpy(dtype=object)[shown]
    ids = (
        ["r:" + r for r in r_ids]
        + ["c:" + c for c in c_ids]
        + ["m:" + i for i in leaf_ids]
        + ["more:c:" + c_ids[c] for c in more]
    )
    labels = (
        list(region_labels[r_first])
        + list(country_labels[c_first])
        + list(members[f"name_{lang}"].astype(str).to_numpy(dtype=object)[shown])
        + [t("chart.sunburst.more", lang, n=int(hidden[c])) for c in more]
    )
    parents = (
        [""] * len(r_ids)
        + ["r:" + r for r in region[c_first]]
        + ["c:" + c for c in country[shown]]
        + ["c:" + c_ids[c] for c in more]
    )
    values = (
        [as_number(v) for v in r_values]
        + [as_number(v) for v in c_values]
        + [as_number(v) for v in weight[shown]]
        + [as_number(hidden_values[c]) for c in more]
    )
    colors = (
        [region_colors[r] for r in r_ids]
        + [country_colors[c] for c in c_ids]
        + [country_colors.get(c, palette.NEUTRAL) for c in country[shown]]
        + [palette.NEUTRAL] * len(more)
    )
    sunburst = dict(
        type="sunburst",
        ids=ids,
        labels=labels,
        parents=parents,
        values=values,
        branchvalues="total",
        marker=dict(colors=colors, line=dict(color="#ffffff", width=1)),
        hovertemplate="<b>%{label}</b><br>%{value:,.0f}<extra></extra>",
        insidetextorientation="radial",
        maxdepth=3,
    )
    layout: Layout = {}
    if len(more):
        capped = t(
            "chart.sunburst.capped",
            lang,
            n=fmt_int(MAX_SUNBURST_CITIES, lang),
            rest=fmt_int(int(hidden.sum()), lang),
        )
        layout["annotations"] = [_corner_note(capped, top=False)]
    alt = f"{title}. " + _top_phrase(list(region_labels[r_first]), list(r_values), lang)
    return _style([sunburst], layout, title, lang, alt, height=620)


def _stacked_layout(**axes: dict[str, Any]) -> Layout:
    """Stacked bars with the legend below the axis title, with room to wrap onto several lines
    in a half-width column."""
    return dict(
        barmode="stack",
        legend=_legend_below(-0.28, traceorder="normal"),
        margin=dict(b=150),
        **axes,
    )


def area_bars(areas: pd.DataFrame, lang: str) -> go.Figure:
    """Projects per cooperation area, stacked by status."""
    title = t("chart.areas", lang)
    projects = areas["projects"].to_numpy()
    if areas.empty or projects.sum() == 0:
        return empty_figure(lang, title)
    names = areas[f"name_{lang}"].to_numpy()
    data = [
        dict(
            type="bar",
            y=names,
            x=areas[status].to_numpy(),
            orientation="h",
            name=t(f"status.{status}", lang),
            marker=dict(color=palette.STATUS_COLORS[status]),
            hovertemplate="<b>%{y}</b><br>" + t(f"status.{status}", lang) + ": %{x}<extra></extra>",
        )
        for status in STATUSES
    ]
    layout = _stacked_layout(
        xaxis=_axis(t("m.projects", lang), **_integer_ticks(float(projects.max()))),
        yaxis=_axis(autorange="reversed"),
    )
    top = np.argsort(-projects, kind="stable")
    alt = f"{title}. " + _top_phrase(list(names[top]), list(projects[top]), lang, n=4)
    return _style(data, layout, title, lang, alt, height=380)


def area_country_heatmap(
    matrix: pd.DataFrame, areas: pd.DataFrame, countries: pd.DataFrame, lang: str
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
        x=[country_names[c] for c in country_ids],
        y=[area_names[a] for a in area_ids],
        colorscale=_SEQUENTIAL,
        text=z,
        texttemplate="%{text}",
        textfont=dict(size=14),
        colorbar=dict(title=dict(text=t("m.projects", lang))),
        hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
    )
    layout = {
        "xaxis": _axis(t("col.country", lang), tickangle=-30),
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
    return _style([heatmap], layout, title, lang, alt, height=420)


def year_bars(years: pd.DataFrame, areas: pd.DataFrame, lang: str) -> go.Figure:
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
                name=name,
                marker=dict(color=palette.AREA_COLORS.get(area_id, palette.NEUTRAL)),
                hovertemplate="%{x}: %{y}<extra>" + name + "</extra>",
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
    return _style(data, layout, title, lang, alt, height=440)


def status_donut(statuses: pd.DataFrame, lang: str) -> go.Figure:
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
        texttemplate="%{value}<br>%{percent:.1%}",
        hovertemplate="%{label}: %{value}<extra></extra>",
    )
    alt = f"{title}. " + ", ".join(
        f"{lab}: {fmt_int(v, lang)}" for lab, v in zip(labels, counts, strict=True)
    )
    return _style([donut], {}, title, lang, alt, height=380)


def city_bars(
    cities: pd.DataFrame, lang: str, title: str, value: str = "value", x_title: str | None = None
) -> go.Figure:
    """Horizontal bars of one value per city (most active cities, nearest members…); the value
    axis is titled ``x_title`` (default: projects) and has whole-number ticks."""
    if cities.empty:
        return empty_figure(lang, title)
    # Largest first in the frame, drawn from the bottom up: every column reversed.
    values = cities[value].to_numpy()
    names = cities[f"name_{lang}"].to_numpy()
    country = _text(cities["country_id"])[::-1]
    colors = palette.color_map(country, palette.COUNTRY_COLORS)
    bars = _hbars(
        values[::-1],
        names[::-1],
        [colors[c] for c in country],
        [fmt_int(v, lang) for v in values[::-1]],
        _text(cities["id"])[::-1],
    )
    x_title = x_title if x_title is not None else t("m.projects", lang)
    layout = {
        "xaxis": _axis(x_title, **_integer_ticks(float(values.max()))),
        "yaxis": _axis(""),
    }
    alt = f"{title}. " + _top_phrase(list(names), list(values), lang)
    return _style([bars], layout, title, lang, alt, height=max(300, 36 * len(values) + 120))


# --- presentation ------------------------------------------------------------------------------


def _panels_in_a_row(titles: Sequence[str], spacing: float) -> Layout:
    """Axes and panel titles of subplots side by side sharing the y axis, as
    ``make_subplots(rows=1, cols=len(titles), shared_yaxes=True, subplot_titles=titles)`` lays
    them out; the panel ``i`` (from 1) draws on axes ``x{i}``/``y{i}`` ("x", "y" for the first)."""
    width = (1.0 - spacing * (len(titles) - 1)) / len(titles)
    layout: Layout = {"annotations": []}
    for i, title in enumerate(titles):
        n = "" if i == 0 else str(i + 1)
        start = i * (width + spacing)
        domain = [start, start + width]
        layout[f"xaxis{n}"] = dict(anchor=f"y{n}", domain=domain)
        layout[f"yaxis{n}"] = dict(anchor=f"x{n}", domain=[0.0, 1.0])
        if i:
            layout[f"yaxis{n}"].update(matches="y", showticklabels=False)
        layout["annotations"].append(
            dict(
                text=title,
                font=dict(size=16),
                showarrow=False,
                x=(domain[0] + domain[1]) / 2,
                xanchor="center",
                xref="paper",
                y=1.0,
                yanchor="bottom",
                yref="paper",
            )
        )
    return layout


def country_members_population(data: pd.DataFrame, lang: str) -> go.Figure:
    """Two bar panels sharing the country axis: member cities and their population per country
    (``data`` is ``by_country``), largest membership at the top."""
    title = f"{t('m.members', lang)} · {t('m.population', lang).lower()}"
    if data.empty:
        return empty_figure(lang, title)
    data = data.sort_values(["members", "population"], ascending=True)
    colors = palette.color_map(data["id"], palette.COUNTRY_COLORS)
    bar_colors = [colors[i] for i in data["id"]]
    names = data[f"country_{lang}"].astype(str)
    measures = ("members", "population")
    layout = _panels_in_a_row([t(f"m.{m}", lang) for m in measures], spacing=0.03)
    traces = []
    for i, measure in enumerate(measures):
        n = "" if i == 0 else str(i + 1)
        text = [fmt_int(v, lang) for v in data[measure]]
        bars = _hbars(data[measure], names, bar_colors, text, data["id"])
        traces.append({**bars, "showlegend": False, "xaxis": f"x{n}", "yaxis": f"y{n}"})
        layout[f"xaxis{n}"].update(showticklabels=False, showgrid=False)
    top = data.sort_values("members", ascending=False)
    alt = (
        f"{title}. "
        + _top_phrase(list(top[f"country_{lang}"]), list(top["members"]), lang)
        + "; "
        + t("m.population", lang).lower()
        + ": "
        + _top_phrase(
            list(top.sort_values("population", ascending=False)[f"country_{lang}"]),
            list(top.sort_values("population", ascending=False)["population"]),
            lang,
        )
    )
    return _style(traces, layout, title, lang, alt, height=max(320, 46 * len(data) + 120))
