"""Chart builders: tidy frames in, ``go.Figure`` out; nothing is displayed here.

Every builder writes its traces and layout as plain dicts (``{"type": "bar", …}``) and makes one
figure without plotly's property validation (``_figure``): validation was most of the cost of a
rerun (a bar chart took about 12 ms, now 1 ms), and Streamlit and the image export only read the
figure back as a dict. ``tests/unit/test_charts_valid.py`` validates every builder's output, so a
misspelt property still fails a test. Every figure has a title, axis titles a newcomer
understands, the language's number separators, the fixed palette, and a short text description
for screen readers in ``fig.layout.meta["alt"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from mag_data.analysis.geo import ISO2_TO_ISO3, map_bounds
from mag_data.i18n import PLOTLY_SEPARATORS, fmt_int, fmt_pct, t
from mag_data.present import palette
from mag_data.query.aggregations import Headline
from mag_data.register.schema import STATUSES

Trace = dict[str, Any]
Layout = dict[str, Any]
Frame: TypeAlias = "pd.DataFrame | None"

FONT = dict(family="Arial, 'Helvetica Neue', sans-serif", size=16, color="#1b1f24")
# plotly_white's layout part only, without the parts no chart here uses (3-D scenes, polar and
# ternary axes, default shapes, default colour scales: every coloured chart names its scale):
# every figure carries and copies the template, so what is left out is not paid for on every
# rerun. Validated once here; figures carry its plain-dict form.
_UNUSED_TEMPLATE_PARTS = ("scene", "polar", "ternary", "shapedefaults", "colorscale")
TEMPLATE = go.layout.Template(
    layout={
        key: value
        for key, value in pio.templates["plotly_white"].layout.to_plotly_json().items()
        if key not in _UNUSED_TEMPLATE_PARTS
    }
)
_TEMPLATE_JSON: dict[str, Any] = TEMPLATE.to_plotly_json()
# Colour scales as plotly spells them out ([[position, colour], …]): a named scale such as
# "Blues" is plotly.py's own, which the unvalidated figure would otherwise pass to plotly.js.
_SEQUENTIAL = [list(step) for step in go.Heatmap(colorscale=palette.SEQUENTIAL).colorscale]
_CHOROPLETH = [list(step) for step in go.Choropleth(colorscale=palette.CHOROPLETH).colorscale]
# Beyond this many cities the map draws the largest ones as markers and groups the rest into
# grid cells: 10,000 markers are neither readable nor cheap to send (about 1 MB of hover data).
MAX_MAP_MARKERS = 1_500
MAP_CELL_DEGREES = (1.0, 2.0)  # latitude, longitude of a grid cell for the grouped cities
# Beyond this many cities in one country the sunburst shows the largest and one "more" leaf.
# Enough for every country of today's membership (Russia has 51 members) to show all its cities;
# a much larger register shows each country's largest cities and one "n more" sector.
MAX_SUNBURST_CITIES = 60


def _figure(data: list[Trace], layout: Layout) -> go.Figure:
    """The one place a figure is made: plain dicts in, no property validation (see the module
    docstring; the unit tests validate every builder's output instead). The figure keeps that
    setting: a caller's later ``update_layout`` is not validated either."""
    return go.Figure(data=data, layout=layout, _validate=False)


def _style(
    data: list[Trace], layout: Layout, title: str, lang: str, alt: str, height: int = 480
) -> go.Figure:
    """The figure with the common look: title, template, font, separators, margins, legend
    font, alt text (``layout`` is the builder's own part; it is not changed)."""
    margin = layout.get("margin", {})
    return _figure(
        data,
        {
            **layout,
            "title": dict(text=title, x=0.01, xanchor="left", font=dict(size=20)),
            "template": _TEMPLATE_JSON,
            "font": FONT,
            "separators": PLOTLY_SEPARATORS[lang],
            "height": height,
            # A builder that put its legend on top has already asked for a taller top margin.
            "margin": dict(l=10, r=10, t=margin.get("t") or 60, b=margin.get("b") or 10),
            "legend": {**layout.get("legend", {}), "font": dict(size=14)},
            "meta": {"alt": alt},
        },
    )


def alt_text(fig: go.Figure) -> str:
    """The screen-reader description stored on a figure by its builder."""
    meta = fig.layout.meta
    return str(meta.get("alt", "")) if isinstance(meta, dict) else ""


def _axis(title: str | None = None, **props: Any) -> dict[str, Any]:
    """An axis (or subplot) dict: its title text, if any, and other properties."""
    return props if title is None else {"title": {"text": title}, **props}


def _integer_ticks(max_value: float) -> dict[str, Any]:
    """Axis properties for counts: whole-number ticks (no 0,5 projects), thousands grouped."""
    if max_value <= 10:
        return dict(tick0=0, dtick=1, tickformat=",d")
    return dict(tickformat=",d")


def _text(column: pd.Series) -> np.ndarray:
    """An id or label column as an array of ``str`` (one conversion, whatever the dtype)."""
    values: np.ndarray = column.to_numpy(dtype=object)
    if all(type(v) is str for v in values):
        return values
    return np.asarray([str(v) for v in values], dtype=object)


def _legend_below(y: float, **props: Any) -> dict[str, Any]:
    """A horizontal legend under the plot, left-aligned, its top at ``y`` (paper units)."""
    return dict(orientation="h", yanchor="top", y=y, x=0.0, **props)


def _corner_note(text: str, top: bool, **props: Any) -> dict[str, Any]:
    """A small left-aligned annotation in the top-left or bottom-left corner of the figure."""
    return dict(
        text=text,
        xref="paper",
        yref="paper",
        x=0.0,
        y=1.0 if top else 0.0,
        xanchor="left",
        yanchor="top" if top else "bottom",
        showarrow=False,
        align="left",
        font=dict(size=13),
        **props,
    )


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


def _top_phrase(names: Sequence[str], values: Sequence[float], lang: str, n: int = 3) -> str:
    pairs = [f"{name} ({fmt_int(v, lang)})" for name, v in zip(names[:n], values[:n], strict=False)]
    return ", ".join(pairs)


def _link_width_class(weights: np.ndarray) -> np.ndarray:
    """Width class 1..5 of links by shared projects (log scale), on the map and the network."""
    classes: np.ndarray = np.minimum(
        np.ceil(np.log2(np.asarray(weights, dtype=float) + 1)).astype(int), 5
    )
    return classes


def _segments(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Line segments as one array (start, end, gap, start, end, gap…) for a single trace."""
    start = np.asarray(start, dtype=float)
    return np.column_stack(
        [start, np.asarray(end, dtype=float), np.full(len(start), np.nan)]
    ).ravel()


def _link_lines(
    trace_type: str,
    a: pd.DataFrame | dict[str, np.ndarray],
    b: pd.DataFrame | dict[str, np.ndarray],
    sel: np.ndarray,
    **props: Any,
) -> Trace:
    """The links ``sel`` as line segments in one trace, without hover; ``a`` and ``b`` hold the
    positions of the links' two ends in columns named as the trace's (lat/lon or x/y)."""
    ends = {c: _segments(np.asarray(a[c])[sel], np.asarray(b[c])[sel]) for c in a}
    return dict(type=trace_type, **ends, mode="lines", hoverinfo="skip", **props)


def empty_figure(lang: str, title: str = "") -> go.Figure:
    """A figure that says there is nothing to show (never an empty axis)."""
    note = dict(
        text=t("app.empty", lang),
        showarrow=False,
        font=dict(size=18),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
    )
    layout = {"annotations": [note], "xaxis": _axis(visible=False), "yaxis": _axis(visible=False)}
    return _style([], layout, title, lang, t("app.empty", lang), height=300)


# --- map -------------------------------------------------------------------------------------


def _largest_cities(cities: pd.DataFrame, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` most populous cities (list order kept) and the others."""
    population = cities["population"].to_numpy(dtype=float)
    # Most populous first, ties (and missing populations, last) in list order.
    ranked = np.lexsort((np.arange(len(cities)), np.isnan(population), -population))
    keep = np.zeros(len(cities), dtype=bool)
    keep[ranked[:n]] = True
    return cities[keep], cities[~keep]


def _country_shading(countries: pd.DataFrame, lang: str) -> Trace:
    """Choropleth of member cities per country (``countries``: by_country)."""
    iso3 = [ISO2_TO_ISO3.get(str(code)) for code in countries["iso_code"]]
    keep = np.array([code is not None for code in iso3], dtype=bool)
    members = countries["members"].to_numpy()[keep]
    return dict(
        type="choropleth",
        locations=[code for code in iso3 if code is not None],
        z=members,
        locationmode="ISO-3",
        colorscale=_CHOROPLETH,
        zmin=0,
        zmax=max(1, int(members.max())) if len(members) else 1,
        marker=dict(line=dict(color="#ffffff", width=0.6), opacity=0.8),
        colorbar=dict(
            title=dict(text=t("m.members", lang), side="right"), len=0.5, x=1.0, thickness=12
        ),
        text=countries[f"country_{lang}"].to_numpy()[keep],
        hovertemplate="<b>%{text}</b><br>" + t("m.members", lang) + ": %{z}<extra></extra>",
        name=t("m.members", lang),
        showscale=True,
    )


def _map_links(cities: pd.DataFrame, links: pd.DataFrame) -> list[Trace]:
    """Partner links as lines between the cities, one trace per width class (keeps it small)."""
    ids = pd.Index(_text(cities["id"]))
    lat = np.append(cities["lat"].to_numpy(dtype=float), np.nan)  # a city not shown: no line
    lon = np.append(cities["lon"].to_numpy(dtype=float), np.nan)
    ia = ids.get_indexer(_text(links["member_id_a"]))  # -1 (the NaN slot) if not shown
    ib = ids.get_indexer(_text(links["member_id_b"]))
    a = {"lat": lat[ia], "lon": lon[ia]}
    b = {"lat": lat[ib], "lon": lon[ib]}
    classes = _link_width_class(links["weight"].to_numpy())
    traces = []
    for cls in sorted(set(classes)):
        sel = classes == cls
        line = dict(width=0.5 + 0.6 * cls, color="rgba(70,90,120,0.28)")
        traces.append(
            _link_lines("scattergeo", a, b, sel, line=line, showlegend=False, name="links")
        )
    return traces


def _city_cells(grouped: pd.DataFrame, pop_max: float, lang: str) -> Trace:
    """One grey marker per grid cell for the cities not drawn one by one: at the cities' mean
    position, sized by their total population, with their number in the hover card."""
    lat = grouped["lat"].to_numpy(dtype=float)
    lon = grouped["lon"].to_numpy(dtype=float)
    population = grouped["population"].to_numpy(dtype=float)
    key = np.floor(lat / MAP_CELL_DEGREES[0]) * 1_000 + np.floor(lon / MAP_CELL_DEGREES[1])
    cell, _ = pd.factorize(key, sort=False)  # cells in order of their first city
    n = np.bincount(cell)
    cells = {
        "lat": np.bincount(cell, weights=lat) / n,
        "lon": np.bincount(cell, weights=lon) / n,
        "population": np.bincount(cell, weights=population),
    }
    size = 4 + 34 * np.sqrt(np.maximum(cells["population"], 1) / max(pop_max, 1.0))
    text = np.array(
        [
            t("chart.map.cell", lang, n=fmt_int(k, lang), population=fmt_int(p, lang))
            for k, p in zip(n, cells["population"], strict=True)
        ],
        dtype=str,
    )
    return dict(
        type="scattergeo",
        lat=cells["lat"],
        lon=cells["lon"],
        mode="markers",
        name=t("chart.map.cells", lang),
        marker=dict(
            size=np.minimum(size, 40),
            color=palette.NEUTRAL,
            opacity=0.6,
            line=dict(width=0),
            sizemode="diameter",
        ),
        text=text,
        hovertemplate="%{text}<extra></extra>",
    )


def _city_markers(cities: pd.DataFrame, lang: str, color_by: str, pop_max: float) -> list[Trace]:
    """One marker trace per country (or macro-region): area ∝ population, with a hover card."""
    key = "country_id" if color_by == "country" else "macro_region_id"
    label_col = f"{color_by}_{lang}"
    table = palette.COUNTRY_COLORS if color_by == "country" else palette.MACRO_REGION_COLORS
    group = _text(cities[key])
    colors = palette.color_map(group, table)
    population = cities["population"].to_numpy()
    size = 6 + 34 * np.sqrt(np.maximum(population.astype(float), 1) / pop_max)
    projects = cities["projects"].to_numpy() if "projects" in cities else np.zeros(len(cities))
    # Fixed-width text, not Python objects: the figure deep-copies its data, element by element
    # for an object array (1,500 cities × 5 fields), in one block for a text array.
    custom = np.column_stack(
        [
            _text(cities[f"name_{lang}"]),
            _text(cities[f"country_{lang}"]),
            [fmt_int(p, lang) for p in population],
            [fmt_int(p, lang) for p in projects],
            _text(cities["id"]),
        ]
    ).astype(str)
    hover = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
        + t("col.population", lang)
        + ": %{customdata[2]}<br>"
        + t("m.projects", lang)
        + ": %{customdata[3]}<extra></extra>"
    )
    lat, lon = cities["lat"].to_numpy(), cities["lon"].to_numpy()
    labels = _text(cities[label_col])
    codes, groups = pd.factorize(group, sort=False)
    traces = []
    for code, group_id in enumerate(groups):
        rows = np.flatnonzero(codes == code)
        traces.append(
            dict(
                type="scattergeo",
                lat=lat[rows],
                lon=lon[rows],
                mode="markers",
                name=labels[rows[0]],
                marker=dict(
                    size=size[rows],
                    color=colors[group_id],
                    opacity=0.85,
                    line=dict(width=1, color="#ffffff"),
                    sizemode="diameter",
                ),
                customdata=custom[rows],
                hovertemplate=hover,
            )
        )
    return traces


def _map_geo(cities: pd.DataFrame, resolution: int) -> dict[str, Any]:
    """The geo subplot framing ``cities``."""
    bounds = map_bounds(cities)
    center_lon = sum(bounds["lonaxis"]) / 2
    return dict(
        # Lambert conformal conic, the usual projection for maps of Russia and the CIS: it
        # fills a wide screen with the members from Kaliningrad to Kamchatka.
        projection=dict(type="conic conformal", parallels=[45, 65], rotation=dict(lon=center_lon)),
        resolution=resolution,
        showcountries=True,
        countrycolor="#8a94a3",
        countrywidth=0.6,
        showland=True,
        landcolor=palette.LAND,
        showocean=True,
        oceancolor="#f5f8fc",
        showlakes=True,
        lakecolor="#f5f8fc",
        showcoastlines=True,
        coastlinecolor="#8a94a3",
        showframe=False,
        fitbounds=False,
        lonaxis=dict(range=bounds["lonaxis"]),
        lataxis=dict(range=bounds["lataxis"]),
        center=dict(lon=center_lon, lat=sum(bounds["lataxis"]) / 2),
    )


def _map_parts(
    cities: pd.DataFrame, lang: str, color_by: str, links: Frame, countries: Frame, resolution: int
) -> tuple[list[Trace], Layout]:
    """Traces and layout of ``member_map`` (non-empty ``cities``), also used by ``network_map``."""
    data: list[Trace] = []
    if countries is not None and not countries.empty:
        data.append(_country_shading(countries, lang))
    if links is not None and not links.empty:
        data += _map_links(cities, links)
    layout: Layout = {
        "geo": _map_geo(cities, resolution),
        "legend": _legend_below(-0.01, itemsizing="constant"),
    }
    pop_max = float(np.maximum(cities["population"].to_numpy(dtype=float), 1).max())
    if len(cities) > MAX_MAP_MARKERS:
        shown, grouped = _largest_cities(cities, MAX_MAP_MARKERS)
        data.append(_city_cells(grouped, pop_max, lang))
        capped = t(
            "chart.map.capped",
            lang,
            shown=fmt_int(len(shown), lang),
            total=fmt_int(len(cities), lang),
            rest=fmt_int(len(grouped), lang),
        )
        layout["annotations"] = [_corner_note(capped, top=True, bgcolor="rgba(255,255,255,0.85)")]
        cities = shown
    data += _city_markers(cities, lang, color_by, pop_max)
    return data, layout


def member_map(
    cities: pd.DataFrame,
    lang: str,
    color_by: str = "country",
    links: pd.DataFrame | None = None,
    countries: pd.DataFrame | None = None,
    resolution: int = 50,
    height: int = 620,
) -> go.Figure:
    """Member cities on a geo map: marker area ∝ population, colour by country or macro-region,
    hover card (name, country, population, projects); optional partner links (great-circle lines,
    width by shared projects) and a choropleth of members per country (``countries``: by_country)."""
    title = t("chart.map", lang)
    if cities.empty:
        return empty_figure(lang, title)
    data, layout = _map_parts(cities, lang, color_by, links, countries, resolution)
    population = cities["population"].to_numpy(dtype=float)
    order = np.argsort(-population, kind="stable")[:3]  # _top_phrase names the three largest
    alt = f"{title}: {fmt_int(len(cities), lang)}; " + _top_phrase(
        list(cities[f"name_{lang}"].to_numpy(dtype=object)[order]), list(population[order]), lang
    )
    return _style(data, layout, title, lang, alt, height=height)


# --- bars, treemaps, heat maps ------------------------------------------------------------------


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
        + [t("chart.sunburst.more", lang, n=fmt_int(hidden[c], lang)) for c in more]
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


def headline_alt(h: Headline, lang: str) -> str:
    """A sentence with the headline figures (for screen readers and speaker notes)."""
    return (
        f"{t('m.members', lang)}: {fmt_int(h.members, lang)}; {t('m.countries', lang)}: "
        f"{fmt_int(h.countries, lang)}; {t('m.population', lang)}: {fmt_int(h.population, lang)}; "
        f"{t('m.projects', lang)}: {fmt_int(h.projects, lang)}"
    )


# --- cooperation network ------------------------------------------------------------------------


def network_map(
    cities: pd.DataFrame,
    links: pd.DataFrame,
    lang: str,
    max_links: int | None = None,
    height: int = 620,
) -> go.Figure:
    """The partner links on the map: ``member_map`` with great-circle lines whose width grows with
    the shared projects; only the ``max_links`` strongest are drawn (the alt text counts all).
    ``cities``: ``aggregations.by_city``; ``links``: ``network.link_table`` (heaviest first)."""
    title = t("net.map.title", lang)
    if cities.empty:
        return empty_figure(lang, title)
    drawn = links if max_links is None else links.head(max_links)
    data, layout = _map_parts(
        cities, lang, "country", drawn if not drawn.empty else None, countries=None, resolution=50
    )
    if links.empty:
        top = "—"
    else:
        first = links.iloc[0]
        top = f"{first[f'name_{lang}_a']} — {first[f'name_{lang}_b']} ({fmt_int(first['weight'], lang)})"
    alt = t(
        "net.map.alt",
        lang,
        cities=fmt_int(len(cities), lang),
        links=fmt_int(len(links), lang),
        cross=fmt_int(int(links["cross_border"].sum()) if len(links) else 0, lang),
        top=top,
    )
    return _style(data, layout, title, lang, alt, height=height)


def _network_edges(pos: pd.DataFrame, drawn: pd.DataFrame, lang: str) -> list[Trace]:
    """The drawn links as lines, one trace per (domestic/cross-border, width class); one legend
    entry for each of domestic and cross-border."""
    a = pos.reindex(drawn["member_id_a"].astype(str).to_numpy())
    b = pos.reindex(drawn["member_id_b"].astype(str).to_numpy())
    classes = _link_width_class(drawn["weight"].to_numpy())
    cross = drawn["cross_border"].astype(bool).to_numpy()
    traces = []
    for is_cross in (False, True):
        name = t("net.cross_border" if is_cross else "net.domestic", lang)
        color = "rgba(35,35,35,0.40)" if is_cross else "rgba(140,150,165,0.35)"
        for i, cls in enumerate(sorted(set(classes[cross == is_cross]))):
            sel = (classes == cls) & (cross == is_cross)
            line = dict(width=0.8 + 1.2 * cls, color=color)
            traces.append(
                _link_lines(
                    "scatter", a, b, sel, line=line, name=name, legendgroup=name, showlegend=i == 0
                )
            )
    return traces


def network_chart(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    lang: str,
    geographic: bool = False,
    labels: int = 8,
    max_links: int | None = None,
) -> go.Figure:
    """The cooperation graph: nodes at (``x``, ``y``) sized by partner count and coloured by
    country, edges with width by shared projects (cross-border dark, domestic light grey); the
    ``labels`` best-connected cities are named; only the ``max_links`` strongest links are drawn
    (title and alt text count all). ``nodes``: ``network.city_indicators`` joined with
    ``network.layout_positions``; ``links``: ``network.link_table`` (heaviest first). With
    ``geographic`` the positions are lon/lat and the aspect ratio follows the latitude."""
    title = t(
        "net.chart.title", lang, cities=fmt_int(len(nodes), lang), links=fmt_int(len(links), lang)
    )
    if nodes.empty:
        return empty_figure(lang, title)
    pos = nodes.set_index(nodes["id"].astype(str))[["x", "y"]]
    drawn = links if max_links is None else links.head(max_links)
    data = _network_edges(pos, drawn, lang) if not drawn.empty else []
    colors = palette.color_map(nodes["country_id"].astype(str), palette.COUNTRY_COLORS)
    degree = nodes["degree"].astype(float)
    size = 6 + 2.5 * np.sqrt(degree.to_numpy())
    ranked = nodes.assign(_o=range(len(nodes))).sort_values(
        ["degree", "weighted_degree", "_o"], ascending=[False, False, True]
    )
    named = set(ranked.loc[ranked["degree"] > 0, "id"].astype(str).head(labels))
    text = [
        str(n) if i in named else ""
        for i, n in zip(nodes["id"].astype(str), nodes[f"name_{lang}"], strict=True)
    ]
    cluster = nodes["cluster"].astype("Int64").astype("string").fillna("—")
    custom = np.column_stack(
        [
            nodes[f"name_{lang}"].astype(str),
            nodes[f"country_{lang}"].astype(str),
            [fmt_int(v, lang) for v in nodes["degree"]],
            [fmt_int(v, lang) for v in nodes["weighted_degree"]],
            [fmt_pct(v, 1, lang) for v in nodes["betweenness"]],
            cluster.to_numpy(),
            nodes["id"].astype(str),
        ]
    )
    hover = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
        + t("net.col.degree", lang)
        + ": %{customdata[2]}<br>"
        + t("net.col.weighted_degree", lang)
        + ": %{customdata[3]}<br>"
        + t("net.col.betweenness", lang).split(",")[0]
        + ": %{customdata[4]}<br>"
        + t("net.col.cluster", lang)
        + ": %{customdata[5]}<extra></extra>"
    )
    x, y = nodes["x"].to_numpy(), nodes["y"].to_numpy()
    for country_id, idx in nodes.groupby(
        nodes["country_id"].astype(str), sort=False
    ).groups.items():
        rows = nodes.index.get_indexer(idx)
        data.append(
            dict(
                type="scatter",
                x=x[rows],
                y=y[rows],
                mode="markers+text",
                text=[text[r] for r in rows],
                textposition="top center",
                textfont=dict(size=12, shadow="auto"),
                name=str(nodes[f"country_{lang}"].iloc[rows[0]]),
                marker=dict(
                    size=size[rows],
                    color=colors[country_id],
                    line=dict(width=1, color="#ffffff"),
                ),
                customdata=custom[rows],
                hovertemplate=hover,
            )
        )
    ratio = 1.0
    if geographic:
        ratio = 1.0 / max(0.2, float(np.cos(np.radians(nodes["y"].astype(float).mean()))))
    layout = {
        "xaxis": _axis(visible=False),
        "yaxis": _axis(visible=False, scaleanchor="x", scaleratio=ratio),
        "legend": _legend_below(-0.01, itemsizing="constant"),
        "plot_bgcolor": "#ffffff",
    }
    top = ranked.head(3)
    alt = t(
        "net.chart.alt",
        lang,
        cities=fmt_int(len(nodes), lang),
        links=fmt_int(len(links), lang),
        top=_top_phrase(list(top[f"name_{lang}"].astype(str)), list(top["degree"]), lang),
    )
    return _style(data, layout, title, lang, alt, height=640)


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
