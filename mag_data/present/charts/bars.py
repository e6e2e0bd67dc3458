"""Bars, sunburst, heat map and donut of the view's members and projects: per country or
macro-region, per cooperation area, per year, per status, per city; the two-panel country chart."""

from __future__ import annotations

import html
from collections.abc import Sequence
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
    _corner_note,
    _integer_ticks,
    _legend_below,
    _style,
    _text,
    _top_phrase,
    empty_figure,
    plain,
    plain_all,
    wrap,
)
from mag_data.query.filters import federal_district_rank
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


def _short_district(label: str, lang: str) -> str:
    """«Центральный ФО» / «Central FD»: a federal district's name short enough for a sector."""
    return label.replace(" федеральный округ", " ФО").replace(" Federal District", " FD")


def membership_sunburst(members: pd.DataFrame, lang: str, value: str = "members") -> go.Figure:
    """Region → country → city sunburst, sized by member count or population. A country that
    is its own macro-region (Russia) does not repeat its name in the second ring: its federal
    districts take that ring, in their official order."""
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
    # A country named as its region (Россия in Россия) has no sector of its own: its cities
    # hang from its federal districts (or from the region, for a city without one).
    merged = np.array(
        [country_labels[c_first[c]] == region_labels[c_first[c]] for c in range(len(c_ids))]
    )
    node = np.where(merged[c_codes], "r:" + region, "c:" + country).astype(object)
    district_ids: list[str] = []
    district_labels: list[str] = []
    district_parents: list[str] = []
    district_colors: list[str] = []
    district_values: list[float] = []
    if merged.any() and "federal_district_id" in members:
        fd = members["federal_district_id"].astype("string").fillna("").to_numpy(dtype=object)
        fd_label = members[f"federal_district_{lang}"].astype("string").fillna("")
        fd_label = fd_label.to_numpy(dtype=object)
        in_district = merged[c_codes] & (fd != "") & shown
        keys = sorted(
            {(str(country[i]), str(fd[i])) for i in np.flatnonzero(in_district)},
            key=lambda k: (k[0], federal_district_rank(k[1])),
        )
        for c, d in keys:
            rows = np.flatnonzero(in_district & (country == c) & (fd == d))
            district_ids.append(f"d:{c}:{d}")
            district_labels.append(_short_district(str(fd_label[rows[0]]), lang))
            district_parents.append("r:" + str(region[rows[0]]))
            district_colors.append(country_colors.get(c, palette.NEUTRAL))
            district_values.append(float(weight[rows].sum()))
            node[rows] = f"d:{c}:{d}"
    kept = [int(c) for c in np.argsort(-c_values, kind="stable") if not merged[c]]
    r_order = np.argsort(-r_values, kind="stable")
    leaves = order[shown[order]]  # per country, most populous first
    parent_of = {
        c: ("r:" if merged[c] else "c:") + str(region[c_first[c]] if merged[c] else c_ids[c])
        for c in range(len(c_ids))
    }
    leaf_ids = members["id"].astype(str).to_numpy(dtype=object)[leaves]
    ids = (
        ["r:" + r_ids[r] for r in r_order]
        + ["c:" + c_ids[c] for c in kept]
        + district_ids
        + ["m:" + i for i in leaf_ids]
        + ["more:c:" + c_ids[c] for c in more]
    )
    labels = (
        list(plain_all(region_labels[r_first[r_order]]))
        + list(plain_all(country_labels[c_first[kept]]))
        + list(plain_all(district_labels))
        + list(plain_all(members[f"name_{lang}"].to_numpy(dtype=object)[leaves]))
        + [t("chart.sunburst.more", lang, n=int(hidden[c])) for c in more]
    )
    parents = (
        [""] * len(r_ids)
        + ["r:" + r for r in region[c_first[kept]]]
        + district_parents
        + list(node[leaves])
        + [parent_of[int(c)] for c in more]
    )
    values = (
        [as_number(r_values[r]) for r in r_order]
        + [as_number(c_values[c]) for c in kept]
        + [as_number(v) for v in district_values]
        + [as_number(v) for v in weight[leaves]]
        + [as_number(hidden_values[c]) for c in more]
    )
    colors = (
        [region_colors[r_ids[r]] for r in r_order]
        + [country_colors[c_ids[c]] for c in kept]
        + district_colors
        + [country_colors.get(c, palette.NEUTRAL) for c in country[leaves]]
        + [palette.NEUTRAL] * len(more)
    )
    if len(r_ids) == 1 and not merged.any():  # one region: no ring that only repeats it
        root = ids[0]
        ids, labels, values, colors = ids[1:], labels[1:], values[1:], colors[1:]
        parents = ["" if p == root else p for p in parents[1:]]
    sunburst = dict(
        type="sunburst",
        ids=ids,
        labels=labels,
        parents=parents,
        values=values,
        branchvalues="total",
        sort=False,  # the order given: largest first, federal districts in official order
        marker=dict(colors=colors, line=dict(color="#ffffff", width=1)),
        hovertemplate="<b>%{label}</b><br>%{value:,.0f}<extra></extra>",
        # Horizontal text where it fits (the inner rings), along the radius in thin sectors.
        insidetextorientation="auto",
        insidetextfont=dict(size=14),
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
    shown = plain_all(areas[f"name_{lang}"])
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
        legend=_legend_right(),
        xaxis=_axis(t("m.projects", lang), **_integer_ticks(float(projects.max()))),
        yaxis=_axis(autorange="reversed"),
    )
    top = np.argsort(-projects, kind="stable")
    alt = f"{title}. " + _top_phrase(list(names[top]), list(projects[top]), lang, n=4)
    return _style(data, layout, title, lang, alt, height=380, illustrative=illustrative)


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
        y=plain_all([area_names[a] for a in area_ids]),
        colorscale=_SEQUENTIAL,
        text=z,
        texttemplate="%{text}",
        textfont=dict(size=14),
        colorbar=dict(title=dict(text=t("m.projects", lang))),
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
    return _style([heatmap], layout, title, lang, alt, height=420, illustrative=illustrative)


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
        "legend": _legend_right(),
        "barmode": "overlay",
    }
    alt = f"{raw_title}. " + _top_phrase(list(names), list(values), lang)
    return _style(
        data,
        layout,
        title,
        lang,
        alt,
        height=max(300, 36 * len(values) + 120),
        illustrative=illustrative,
    )


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
    if len(data) == 1:
        row = data.iloc[0]
        single = f"{fmt_int(row['members'], lang)} · {fmt_int(row['population'], lang)}"
        return _single(
            str(row[f"country_{lang}"]),
            title,
            single,
            lang,
            title,
            "chart.single.country",
            False,
            {str(row["id"]): float(row["members"])},
        )
    data = data.sort_values(["members", "population"], ascending=True)
    colors = palette.color_map(data["id"], palette.COUNTRY_COLORS)
    bar_colors = [colors[i] for i in data["id"]]
    names = plain_all(data[f"country_{lang}"])
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
