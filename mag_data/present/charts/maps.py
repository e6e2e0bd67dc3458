"""The member map: cities as markers sized by population (grouped into grid cells beyond
``MAX_MAP_MARKERS``), countries shaded by members, partner links as lines; also the base of
``network.network_map``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from mag_data.analysis.geo import ISO2_TO_ISO3, map_bounds, map_resolution
from mag_data.i18n import fmt_int, t
from mag_data.present import palette
from mag_data.present.charts.base import (
    Frame,
    Layout,
    Trace,
    _corner_note,
    _legend_below,
    _link_lines,
    _link_width_class,
    _style,
    _text,
    _top_phrase,
    empty_figure,
    plain_all,
    t_plain,
)

# Colour scales as plotly spells them out ([[position, colour], …]): a named scale such as
# "Blues" is plotly.py's own, which the unvalidated figure would otherwise pass to plotly.js.
_CHOROPLETH = [list(step) for step in go.Choropleth(colorscale=palette.CHOROPLETH).colorscale]
# Beyond this many cities the map draws the largest ones as markers and groups the rest into
# grid cells: 10,000 markers are neither readable nor cheap to send (about 1 MB of hover data).
MAX_MAP_MARKERS = 1_500
MAP_CELL_DEGREES = (1.0, 2.0)  # latitude, longitude of a grid cell for the grouped cities
# The strongest links drawn on the member map: 400 lines over European Russia are one grey
# blot; the strongest 120 show where cooperation is (the network page lists every link).
MAX_MAP_LINES = 80
# Cities named on the map: the most populous ones, at most this many, when they have at least
# MIN_LABEL_POPULATION inhabitants (every city of a view of a few cities is named).
MAP_LABELS = 12
MIN_LABEL_POPULATION = 500_000


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
        text=plain_all(countries[f"country_{lang}"])[keep],
        hovertemplate="<b>%{text}</b><br>" + t("m.members", lang) + ": %{z}<extra></extra>",
        name=t("m.members", lang),
        showscale=True,
    )


def _map_links(cities: pd.DataFrame, links: pd.DataFrame) -> list[Trace]:
    """Partner links as lines between the cities, one trace per width class (keeps it small);
    the stronger a class, the darker its lines, so the strong links stand out of the web."""
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
        line = dict(width=0.4 + 0.7 * cls, color=f"rgba(55,70,100,{0.12 + 0.1 * cls:.2f})")
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


def _city_markers(
    cities: pd.DataFrame, lang: str, color_by: str, pop_max: float, legend: bool = True
) -> list[Trace]:
    """One marker trace per country (or macro-region) named in the legend: area ∝ population,
    with a hover card. ``legend`` False: one trace, each marker in its group's colour (half the
    drawing time of ten traces; a chart beside it in the same colours, or the hover card, says
    which is which)."""
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
            plain_all(cities[f"name_{lang}"]),
            plain_all(cities[f"country_{lang}"]),
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
    labels = plain_all(cities[label_col])
    names = np.where(_label_mask(cities), plain_all(cities[f"name_{lang}"]), "").astype(str)
    codes, groups = pd.factorize(group, sort=False)
    point_colors = None
    if not legend:
        codes, groups = np.zeros(len(cities), dtype=int), [""]
        point_colors = np.asarray([colors[g] for g in group], dtype=str)
    traces = []
    for code, group_id in enumerate(groups):
        rows = np.flatnonzero(codes == code)
        traces.append(
            dict(
                type="scattergeo",
                lat=lat[rows],
                lon=lon[rows],
                mode="markers+text",
                text=names[rows],
                textposition="top center",
                textfont=dict(size=13, color="#1b1f24"),
                name=labels[rows[0]],
                showlegend=legend,
                marker=dict(
                    size=size[rows],
                    color=colors[group_id] if point_colors is None else point_colors[rows],
                    opacity=0.85,
                    line=dict(width=1, color="#ffffff"),
                    sizemode="diameter",
                ),
                customdata=custom[rows],
                hovertemplate=hover,
            )
        )
    return traces


def _label_mask(cities: pd.DataFrame) -> np.ndarray:
    """Which cities are named on the map: the ``MAP_LABELS`` most populous of those with at
    least ``MIN_LABEL_POPULATION`` inhabitants (every city of a view of six or fewer)."""
    population = np.nan_to_num(cities["population"].to_numpy(dtype=float), nan=0.0)
    big = population >= MIN_LABEL_POPULATION
    if len(cities) <= 6:
        big[:] = True
    rows = np.flatnonzero(big)
    rows = rows[np.argsort(-population[rows], kind="stable")]
    # A name only where no larger named city is near (about a twelfth of the map's width):
    # the labels over European Russia do not pile up.
    lat = cities["lat"].to_numpy(dtype=float)
    lon = cities["lon"].to_numpy(dtype=float)
    bounds = map_bounds(cities)
    near = (bounds["lonaxis"][1] - bounds["lonaxis"][0]) / 12
    chosen: list[int] = []
    for row in rows:
        if len(chosen) >= MAP_LABELS:
            break
        dx = (lon[row] - lon[chosen]) * np.cos(np.radians(lat[row]))
        dy = (lat[row] - lat[chosen]) * 1.6  # names are wide and one line high
        if not len(chosen) or np.hypot(dx, dy).min() >= near:
            chosen.append(int(row))
    mask = np.zeros(len(cities), dtype=bool)
    mask[chosen] = True
    return mask


def _map_geo(cities: pd.DataFrame, resolution: int | None) -> dict[str, Any]:
    """The geo subplot framing ``cities`` (``resolution`` None: by the frame, ``map_resolution``)."""
    bounds = map_bounds(cities)
    center_lon = sum(bounds["lonaxis"]) / 2
    return dict(
        # Lambert conformal conic, the usual projection for maps of Russia and the CIS: it
        # fills a wide screen with the members from Kaliningrad to Kamchatka.
        projection=dict(type="conic conformal", parallels=[45, 65], rotation=dict(lon=center_lon)),
        resolution=resolution or map_resolution(bounds),
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
    cities: pd.DataFrame,
    lang: str,
    color_by: str,
    links: Frame,
    countries: Frame,
    resolution: int | None = None,
    legend: bool = True,
) -> tuple[list[Trace], Layout]:
    """Traces and layout of ``member_map`` (non-empty ``cities``), also used by ``network_map``."""
    data: list[Trace] = []
    if countries is not None and not countries.empty:
        data.append(_country_shading(countries, lang))
    notes = []
    if links is not None and not links.empty:
        data += _map_links(cities, links.head(MAX_MAP_LINES))
        if len(links) > MAX_MAP_LINES:
            notes.append(t("chart.map.lines", lang, n=fmt_int(MAX_MAP_LINES, lang)))
    layout: Layout = {"geo": _map_geo(cities, resolution)}
    if legend:
        layout["legend"] = _legend_below(-0.01, itemsizing="constant")
    else:
        layout["showlegend"] = False
    pop_max = float(np.maximum(cities["population"].to_numpy(dtype=float), 1).max())
    if len(cities) > MAX_MAP_MARKERS:
        shown, grouped = _largest_cities(cities, MAX_MAP_MARKERS)
        data.append(_city_cells(grouped, pop_max, lang))
        capped = t_plain(
            "chart.map.capped",
            lang,
            shown=fmt_int(len(shown), lang),
            n=len(cities),
            rest=fmt_int(len(grouped), lang),
        )
        notes.insert(0, capped)
        cities = shown
    if notes:
        note = _corner_note("<br>".join(notes), top=True, bgcolor="rgba(255,255,255,0.85)")
        layout["annotations"] = [note]
    data += _city_markers(cities, lang, color_by, pop_max, legend)
    return data, layout


def member_map(
    cities: pd.DataFrame,
    lang: str,
    color_by: str = "country",
    links: pd.DataFrame | None = None,
    countries: pd.DataFrame | None = None,
    resolution: int | None = None,
    height: int = 620,
    illustrative: bool = False,
    legend: bool = True,
) -> go.Figure:
    """Member cities on a geo map (base map at ``resolution`` 50 or 110; None: by the frame): marker area ∝ population, colour by country or macro-region,
    the largest cities named, hover card (name, country, population, projects); optional partner
    links (great-circle lines, width by shared projects; the ``MAX_MAP_LINES`` strongest of
    ``links``) and a choropleth of members per country (``countries``: by_country). The links are
    project figures: ``illustrative`` (the register's projects are illustrative) marks the chart.
    ``legend`` False: no legend, the markers in one trace (the overview, whose country bars
    beside the map carry the same colours)."""
    title = t("chart.map", lang)
    if cities.empty:
        return empty_figure(lang, title)
    data, layout = _map_parts(cities, lang, color_by, links, countries, resolution, legend)
    population = cities["population"].to_numpy(dtype=float)
    order = np.argsort(-population, kind="stable")[:3]  # _top_phrase names the three largest
    alt = f"{title}: {fmt_int(len(cities), lang)}; " + _top_phrase(
        list(cities[f"name_{lang}"].to_numpy(dtype=object)[order]), list(population[order]), lang
    )
    marked = illustrative and links is not None and not links.empty
    return _style(data, layout, title, lang, alt, height=height, illustrative=marked)
