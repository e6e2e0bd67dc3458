"""Chart builders: tidy frames in, ``go.Figure`` out; nothing is displayed here.

Built with plotly ``graph_objects`` (express is the slow part of a rerun). Every figure has a
title, axis titles a newcomer understands, the language's number separators, the fixed palette,
and a short text description for screen readers in ``fig.layout.meta["alt"]``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from . import palette
from .aggregations import STATUS_ORDER, Headline
from .geo import ISO2_TO_ISO3, map_bounds
from .i18n import PLOTLY_SEPARATORS, fmt_int, fmt_pct, t

FONT = dict(family="Arial, 'Helvetica Neue', sans-serif", size=16, color="#1b1f24")
# plotly_white's layout part only, validated once: applying the full named template costs about
# 10 ms a figure (its per-trace defaults), this about 3.5 ms, with the same look for our charts.
TEMPLATE = go.layout.Template(layout=pio.templates["plotly_white"].layout)
# Beyond this many cities the map draws the largest ones as markers and groups the rest into
# grid cells: 10,000 markers are neither readable nor cheap to send (about 1 MB of hover data).
MAX_MAP_MARKERS = 1_500
MAP_CELL_DEGREES = (1.0, 2.0)  # latitude, longitude of a grid cell for the grouped cities
# Beyond this many cities in one country the sunburst shows the largest and one "more" leaf.
# Enough for every country of today's membership (Russia has 51 members) to show all its cities;
# a much larger register shows each country's largest cities and one "n more" sector.
MAX_SUNBURST_CITIES = 60


def _style(fig: go.Figure, title: str, lang: str, alt: str, height: int = 480) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=20)),
        template=TEMPLATE,
        font=FONT,
        separators=PLOTLY_SEPARATORS[lang],
        height=height,
        # A builder that put its legend on top has already asked for a taller top margin.
        margin=dict(l=10, r=10, t=fig.layout.margin.t or 60, b=fig.layout.margin.b or 10),
        legend=dict(font=dict(size=14)),
        meta={"alt": alt},
    )
    return fig


def alt_text(fig: go.Figure) -> str:
    """The screen-reader description stored on a figure by its builder."""
    meta = fig.layout.meta
    return str(meta.get("alt", "")) if isinstance(meta, dict) else ""


def _integer_ticks(fig: go.Figure, axis: str, max_value: float) -> None:
    """Counts get whole-number ticks (no 0,5 projects) with thousands grouped."""
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    if max_value <= 10:
        update(tick0=0, dtick=1, tickformat=",d")
    else:
        update(tickformat=",d")


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


def empty_figure(lang: str, title: str = "") -> go.Figure:
    """A figure that says there is nothing to show (never an empty axis)."""
    fig = go.Figure()
    fig.add_annotation(
        text=t("app.empty", lang),
        showarrow=False,
        font=dict(size=18),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, title, lang, t("app.empty", lang), height=300)


# --- map -------------------------------------------------------------------------------------


def _largest_cities(cities: pd.DataFrame, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` most populous cities (list order kept) and the others."""
    ranked = cities.assign(_order=np.arange(len(cities))).sort_values(
        ["population", "_order"], ascending=[False, True], kind="stable"
    )
    keep = np.zeros(len(cities), dtype=bool)
    keep[ranked["_order"].to_numpy()[:n]] = True
    return cities[keep], cities[~keep]


def _add_city_cells(fig: go.Figure, grouped: pd.DataFrame, pop_max: float, lang: str) -> None:
    """One grey marker per grid cell for the cities not drawn one by one: at the cities' mean
    position, sized by their total population, with their number in the hover card."""
    lat = grouped["lat"].astype(float).to_numpy()
    lon = grouped["lon"].astype(float).to_numpy()
    cell = pd.DataFrame(
        {
            "row": np.floor(lat / MAP_CELL_DEGREES[0]),
            "col": np.floor(lon / MAP_CELL_DEGREES[1]),
            "lat": lat,
            "lon": lon,
            "population": grouped["population"].astype(float).to_numpy(),
        }
    )
    cells = cell.groupby(["row", "col"], sort=False).agg(
        lat=("lat", "mean"),
        lon=("lon", "mean"),
        population=("population", "sum"),
        n=("lat", "size"),
    )
    size = 4 + 34 * np.sqrt(cells["population"].clip(lower=1) / max(pop_max, 1.0))
    text = [
        t("chart.map.cell", lang, n=fmt_int(n, lang), population=fmt_int(p, lang))
        for n, p in zip(cells["n"], cells["population"], strict=True)
    ]
    fig.add_trace(
        go.Scattergeo(
            lat=cells["lat"].to_numpy(),
            lon=cells["lon"].to_numpy(),
            mode="markers",
            name=t("chart.map.cells", lang),
            marker=dict(
                size=size.clip(upper=40).to_numpy(),
                color=palette.NEUTRAL,
                opacity=0.6,
                line=dict(width=0),
                sizemode="diameter",
            ),
            text=text,
            hovertemplate="%{text}<extra></extra>",
        )
    )


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
    fig = go.Figure()
    if countries is not None and not countries.empty:
        iso3 = countries["iso_code"].astype("string").map(ISO2_TO_ISO3)
        shaded = countries.assign(iso3=iso3).dropna(subset=["iso3"])
        fig.add_trace(
            go.Choropleth(
                locations=shaded["iso3"],
                z=shaded["members"],
                locationmode="ISO-3",
                colorscale=palette.CHOROPLETH,
                zmin=0,
                zmax=max(1, int(shaded["members"].max())) if len(shaded) else 1,
                marker_line_color="#ffffff",
                marker_line_width=0.6,
                colorbar=dict(
                    title=dict(text=t("m.members", lang), side="right"),
                    len=0.5,
                    x=1.0,
                    thickness=12,
                ),
                text=shaded[f"country_{lang}"],
                hovertemplate="<b>%{text}</b><br>" + t("m.members", lang) + ": %{z}<extra></extra>",
                name=t("m.members", lang),
                showscale=True,
                marker_opacity=0.8,
            )
        )
    if links is not None and not links.empty:
        pos = cities.set_index("id")[["lat", "lon"]]
        a = pos.reindex(links["member_id_a"].to_numpy())
        b = pos.reindex(links["member_id_b"].to_numpy())
        weights = links["weight"].to_numpy()
        # Group links into a few width classes: one trace per class keeps the figure small.
        classes = _link_width_class(weights)
        for cls in sorted(set(classes)):
            sel = classes == cls
            lat = _segments(a["lat"].to_numpy()[sel], b["lat"].to_numpy()[sel])
            lon = _segments(a["lon"].to_numpy()[sel], b["lon"].to_numpy()[sel])
            fig.add_trace(
                go.Scattergeo(
                    lat=lat,
                    lon=lon,
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    line=dict(width=0.5 + 0.6 * cls, color="rgba(70,90,120,0.28)"),
                    name="links",
                )
            )
    all_cities = cities
    pop_max = float(all_cities["population"].astype(float).clip(lower=1).max())
    if len(cities) > MAX_MAP_MARKERS:
        cities, grouped = _largest_cities(cities, MAX_MAP_MARKERS)
        _add_city_cells(fig, grouped, pop_max, lang)
        fig.add_annotation(
            text=t(
                "chart.map.capped",
                lang,
                shown=fmt_int(len(cities), lang),
                total=fmt_int(len(all_cities), lang),
                rest=fmt_int(len(grouped), lang),
            ),
            xref="paper",
            yref="paper",
            x=0.0,
            y=1.0,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            align="left",
            font=dict(size=13),
            bgcolor="rgba(255,255,255,0.85)",
        )
    key = "country_id" if color_by == "country" else "macro_region_id"
    label_col = f"{color_by}_{lang}"
    table = palette.COUNTRY_COLORS if color_by == "country" else palette.MACRO_REGION_COLORS
    colors = palette.color_map(cities[key].astype(str), table)
    pop = cities["population"].astype(float).clip(lower=1)
    size = 6 + 34 * np.sqrt(pop / pop_max)
    projects = cities["projects"] if "projects" in cities else pd.Series(0, index=cities.index)
    custom = np.column_stack(
        [
            cities[f"name_{lang}"].astype(str),
            cities[f"country_{lang}"].astype(str),
            [fmt_int(p, lang) for p in cities["population"]],
            [fmt_int(p, lang) for p in projects],
            cities["id"].astype(str),
        ]
    )
    hover = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
        + t("col.population", lang)
        + ": %{customdata[2]}<br>"
        + t("m.projects", lang)
        + ": %{customdata[3]}<extra></extra>"
    )
    for group_id, idx in cities.groupby(cities[key].astype(str), sort=False).groups.items():
        rows = cities.index.get_indexer(idx)
        fig.add_trace(
            go.Scattergeo(
                lat=cities["lat"].to_numpy()[rows],
                lon=cities["lon"].to_numpy()[rows],
                mode="markers",
                name=str(cities[label_col].iloc[rows[0]]),
                marker=dict(
                    size=size.to_numpy()[rows],
                    color=colors[group_id],
                    opacity=0.85,
                    line=dict(width=1, color="#ffffff"),
                    sizemode="diameter",
                ),
                customdata=custom[rows],
                hovertemplate=hover,
            )
        )
    bounds = map_bounds(all_cities)
    center_lon = sum(bounds["lonaxis"]) / 2
    fig.update_geos(
        # Lambert conformal conic, the usual projection for maps of Russia and the CIS: it
        # fills a wide screen with the members from Kaliningrad to Kamchatka.
        projection_type="conic conformal",
        projection_parallels=[45, 65],
        projection_rotation_lon=center_lon,
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
        lonaxis_range=bounds["lonaxis"],
        lataxis_range=bounds["lataxis"],
        center=dict(lon=center_lon, lat=sum(bounds["lataxis"]) / 2),
    )
    fig.update_layout(
        legend=dict(itemsizing="constant", orientation="h", yanchor="top", y=-0.01, x=0.0)
    )
    order = all_cities.sort_values("population", ascending=False)
    alt = f"{title}: {fmt_int(len(all_cities), lang)}; " + _top_phrase(
        list(order[f"name_{lang}"]), list(order["population"]), lang
    )
    return _style(fig, title, lang, alt, height=height)


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
    if measure == "share_of_membership":
        text = [fmt_pct(v, 1, lang) for v in data[measure]]
    else:
        text = [fmt_int(v, lang) for v in data[measure]]
    fig = go.Figure(
        go.Bar(
            x=data[measure],
            y=data[f"{base}_{lang}"],
            orientation="h",
            marker_color=[colors[i] for i in data["id"]],
            text=text,
            textposition="auto",
            customdata=data["id"],
            hovertemplate="<b>%{y}</b>: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=t("m." + measure, lang))
    if measure != "share_of_membership":
        _integer_ticks(fig, "x", float(data[measure].max()))
    if measure == "share_of_membership":
        fig.update_xaxes(tickformat=".0%")
    fig.update_yaxes(title_text="")
    top = data.sort_values(measure, ascending=False)
    values = list(top[measure] * 100) if measure == "share_of_membership" else list(top[measure])
    alt = f"{title}. " + _top_phrase(list(top[f"{base}_{lang}"]), values, lang)
    return _style(fig, title, lang, alt, height=max(320, 46 * len(data) + 120))


def membership_sunburst(members: pd.DataFrame, lang: str, value: str = "members") -> go.Figure:
    """Region → country → city sunburst, sized by member count or population."""
    title = t(f"chart.sunburst.{value}", lang)
    if members.empty:
        return empty_figure(lang, title)
    m = members.assign(v=1 if value == "members" else members["population"].astype(float))
    region_ids = "r:" + m["macro_region_id"].astype(str)
    country_ids = "c:" + m["country_id"].astype(str)
    regions = m.groupby(region_ids, sort=False).agg(
        label=(f"macro_region_{lang}", "first"), v=("v", "sum")
    )
    countries = m.groupby(country_ids, sort=False).agg(
        label=(f"country_{lang}", "first"),
        v=("v", "sum"),
        parent=("macro_region_id", lambda s: "r:" + str(s.iloc[0])),
        cid=("country_id", lambda s: str(s.iloc[0])),
    )
    country_colors = palette.color_map(countries["cid"], palette.COUNTRY_COLORS)
    region_colors = palette.color_map(m["macro_region_id"].astype(str), palette.MACRO_REGION_COLORS)
    # Per country, the largest MAX_SUNBURST_CITIES cities; the rest as one "n more" leaf.
    rank = (
        m.assign(_pop=m["population"].astype(float), _c=country_ids, _o=np.arange(len(m)))
        .sort_values(["_c", "_pop", "_o"], ascending=[True, False, True], kind="stable")
        .groupby("_c", sort=False)
        .cumcount()
        .sort_index()
    )
    shown = (rank < MAX_SUNBURST_CITIES).to_numpy()
    leaves = m[shown]
    rest = (
        pd.DataFrame({"c": country_ids[~shown], "v": m["v"][~shown]})
        .groupby("c", sort=False)["v"]
        .agg(["sum", "size"])
    )
    ids = (
        list(regions.index)
        + list(countries.index)
        + list("m:" + leaves["id"].astype(str))
        + ["more:" + c for c in rest.index]
    )
    labels = (
        list(regions["label"])
        + list(countries["label"])
        + list(leaves[f"name_{lang}"].astype(str))
        + [t("chart.sunburst.more", lang, n=fmt_int(n, lang)) for n in rest["size"]]
    )
    parents = (
        [""] * len(regions)
        + list(countries["parent"])
        + list(country_ids[shown])
        + list(rest.index)
    )
    values = list(regions["v"]) + list(countries["v"]) + list(leaves["v"]) + list(rest["sum"])
    colors = (
        [region_colors[i[2:]] for i in regions.index]
        + [country_colors[c] for c in countries["cid"]]
        + [country_colors.get(str(c), palette.NEUTRAL) for c in leaves["country_id"].astype(str)]
        + [palette.NEUTRAL] * len(rest)
    )
    fig = go.Figure(
        go.Sunburst(
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
    )
    if len(rest):
        fig.add_annotation(
            text=t(
                "chart.sunburst.capped",
                lang,
                n=fmt_int(MAX_SUNBURST_CITIES, lang),
                rest=fmt_int(int(rest["size"].sum()), lang),
            ),
            xref="paper",
            yref="paper",
            x=0.0,
            y=0.0,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            align="left",
            font=dict(size=13),
        )
    alt = f"{title}. " + _top_phrase(list(regions["label"]), list(regions["v"]), lang)
    return _style(fig, title, lang, alt, height=620)


def area_bars(areas: pd.DataFrame, lang: str) -> go.Figure:
    """Projects per cooperation area, stacked by status."""
    title = t("chart.areas", lang)
    if areas.empty or areas["projects"].sum() == 0:
        return empty_figure(lang, title)
    fig = go.Figure()
    for status in STATUS_ORDER:
        fig.add_trace(
            go.Bar(
                y=areas[f"name_{lang}"],
                x=areas[status],
                orientation="h",
                name=t(f"status.{status}", lang),
                marker_color=palette.STATUS_COLORS[status],
                hovertemplate="<b>%{y}</b><br>"
                + t(f"status.{status}", lang)
                + ": %{x}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        # Below the axis title, with room to wrap onto several lines in a half-width column.
        legend=dict(orientation="h", yanchor="top", y=-0.28, x=0.0, traceorder="normal"),
        margin=dict(b=150),
    )
    fig.update_xaxes(title_text=t("m.projects", lang))
    _integer_ticks(fig, "x", float(areas["projects"].max()))
    fig.update_yaxes(autorange="reversed")
    top = areas.sort_values("projects", ascending=False)
    alt = f"{title}. " + _top_phrase(list(top[f"name_{lang}"]), list(top["projects"]), lang, n=4)
    return _style(fig, title, lang, alt, height=380)


def area_country_heatmap(
    matrix: pd.DataFrame, areas: pd.DataFrame, countries: pd.DataFrame, lang: str
) -> go.Figure:
    """Heat map of distinct projects per cooperation area × country."""
    title = t("chart.heatmap", lang)
    if matrix.empty or matrix["projects"].sum() == 0:
        return empty_figure(lang, title)
    grid = matrix.pivot(index="area_id", columns="country_id", values="projects")
    area_ids = [a for a in areas["id"].astype(str) if a in grid.index]
    country_ids = [c for c in countries["id"].astype(str) if c in grid.columns]
    grid = grid.reindex(index=area_ids, columns=country_ids)
    area_names = areas.set_index(areas["id"].astype(str))[f"name_{lang}"]
    country_names = countries.set_index(countries["id"].astype(str))[f"country_{lang}"]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[country_names[c] for c in country_ids],
            y=[area_names[a] for a in area_ids],
            colorscale=palette.SEQUENTIAL,
            text=grid.to_numpy(),
            texttemplate="%{text}",
            textfont=dict(size=14),
            colorbar=dict(title=dict(text=t("m.projects", lang))),
            hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=t("col.country", lang), tickangle=-30)
    fig.update_yaxes(title_text="", autorange="reversed")
    flat = matrix.sort_values("projects", ascending=False).head(1)
    first = flat.iloc[0]
    alt = f"{title}. " + t(
        "chart.max_cell",
        lang,
        area=area_names[str(first["area_id"])],
        country=country_names.get(str(first["country_id"]), ""),
        n=fmt_int(first["projects"], lang),
    )
    return _style(fig, title, lang, alt, height=420)


def year_bars(years: pd.DataFrame, areas: pd.DataFrame, lang: str) -> go.Figure:
    """Projects started per year, stacked by cooperation area."""
    title = t("chart.years", lang)
    if years.empty or years["projects"].sum() == 0:
        return empty_figure(lang, title)
    fig = go.Figure()
    for _, area in areas.iterrows():
        sub = years[years["area_id"] == str(area["id"])]
        fig.add_trace(
            go.Bar(
                x=sub["year"],
                y=sub["projects"],
                name=str(area[f"name_{lang}"]),
                marker_color=palette.AREA_COLORS.get(str(area["id"]), palette.NEUTRAL),
                hovertemplate="%{x}: %{y}<extra>" + str(area[f"name_{lang}"]) + "</extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        # Below the axis title, with room to wrap onto several lines in a half-width column.
        legend=dict(orientation="h", yanchor="top", y=-0.28, x=0.0, traceorder="normal"),
        margin=dict(b=150),
    )
    fig.update_xaxes(title_text=t("m.year", lang), dtick=2)
    fig.update_yaxes(title_text=t("m.projects", lang))
    _integer_ticks(fig, "y", float(years.groupby("year")["projects"].sum().max()))
    per_year = years.groupby("year")["projects"].sum()
    alt = f"{title}: " + t(
        "chart.max_year", lang, year=int(per_year.idxmax()), n=fmt_int(per_year.max(), lang)
    )
    return _style(fig, title, lang, alt, height=440)


def status_donut(statuses: pd.DataFrame, lang: str) -> go.Figure:
    """Projects by status."""
    title = t("chart.status", lang)
    if statuses["projects"].sum() == 0:
        return empty_figure(lang, title)
    # Statuses with no project get no slice (their 0 % labels would pile up at the top).
    statuses = statuses[statuses["projects"] > 0]
    labels = [t(f"status.{s}", lang) for s in statuses["status"]]
    fig = go.Figure(
        go.Pie(
            labels=labels,
            values=statuses["projects"],
            hole=0.55,
            sort=False,
            marker=dict(colors=[palette.STATUS_COLORS[s] for s in statuses["status"]]),
            texttemplate="%{value}<br>%{percent:.1%}",
            hovertemplate="%{label}: %{value}<extra></extra>",
        )
    )
    alt = f"{title}. " + ", ".join(
        f"{lab}: {fmt_int(v, lang)}" for lab, v in zip(labels, statuses["projects"], strict=True)
    )
    return _style(fig, title, lang, alt, height=380)


def city_bars(
    cities: pd.DataFrame, lang: str, title: str, value: str = "value", x_title: str | None = None
) -> go.Figure:
    """Horizontal bars of one value per city (most active cities, nearest members…); the value
    axis is titled ``x_title`` (default: projects) and has whole-number ticks."""
    if cities.empty:
        return empty_figure(lang, title)
    data = cities.iloc[::-1]
    colors = palette.color_map(data["country_id"].astype(str), palette.COUNTRY_COLORS)
    fig = go.Figure(
        go.Bar(
            x=data[value],
            y=data[f"name_{lang}"],
            orientation="h",
            marker_color=[colors[str(c)] for c in data["country_id"]],
            text=[fmt_int(v, lang) for v in data[value]],
            textposition="auto",
            customdata=data["id"].astype(str),
            hovertemplate="<b>%{y}</b>: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(title_text="")
    fig.update_xaxes(title_text=x_title if x_title is not None else t("m.projects", lang))
    _integer_ticks(fig, "x", float(data[value].max()))
    alt = f"{title}. " + _top_phrase(list(cities[f"name_{lang}"]), list(cities[value]), lang)
    return _style(fig, title, lang, alt, height=max(300, 36 * len(data) + 120))


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
    fig = member_map(cities, lang, links=drawn if not drawn.empty else None, height=height)
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
    fig.update_layout(title_text=title, meta={"alt": alt})
    return fig


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
    fig = go.Figure()
    pos = nodes.set_index(nodes["id"].astype(str))[["x", "y"]]
    drawn = links if max_links is None else links.head(max_links)
    if not drawn.empty:
        a = pos.reindex(drawn["member_id_a"].astype(str).to_numpy())
        b = pos.reindex(drawn["member_id_b"].astype(str).to_numpy())
        classes = _link_width_class(drawn["weight"].to_numpy())
        cross = drawn["cross_border"].astype(bool).to_numpy()
        for is_cross in (False, True):
            name = t("net.cross_border" if is_cross else "net.domestic", lang)
            color = "rgba(35,35,35,0.40)" if is_cross else "rgba(140,150,165,0.35)"
            shown = False
            for cls in sorted(set(classes[cross == is_cross])):
                sel = (classes == cls) & (cross == is_cross)
                xs = _segments(a["x"].to_numpy()[sel], b["x"].to_numpy()[sel])
                ys = _segments(a["y"].to_numpy()[sel], b["y"].to_numpy()[sel])
                fig.add_trace(
                    go.Scatter(
                        x=xs,
                        y=ys,
                        mode="lines",
                        line=dict(width=0.8 + 1.2 * cls, color=color),
                        hoverinfo="skip",
                        name=name,
                        legendgroup=name,
                        showlegend=not shown,
                    )
                )
                shown = True
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
    for country_id, idx in nodes.groupby(
        nodes["country_id"].astype(str), sort=False
    ).groups.items():
        rows = nodes.index.get_indexer(idx)
        fig.add_trace(
            go.Scatter(
                x=nodes["x"].to_numpy()[rows],
                y=nodes["y"].to_numpy()[rows],
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
    fig.update_xaxes(visible=False)
    ratio = 1.0
    if geographic:
        ratio = 1.0 / max(0.2, float(np.cos(np.radians(nodes["y"].astype(float).mean()))))
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=ratio)
    fig.update_layout(
        legend=dict(itemsizing="constant", orientation="h", yanchor="top", y=-0.01, x=0.0),
        plot_bgcolor="#ffffff",
    )
    top = ranked.head(3)
    alt = t(
        "net.chart.alt",
        lang,
        cities=fmt_int(len(nodes), lang),
        links=fmt_int(len(links), lang),
        top=_top_phrase(list(top[f"name_{lang}"].astype(str)), list(top["degree"]), lang),
    )
    return _style(fig, title, lang, alt, height=640)


# --- presentation ------------------------------------------------------------------------------


def country_members_population(data: pd.DataFrame, lang: str) -> go.Figure:
    """Two bar panels sharing the country axis: member cities and their population per country
    (``data`` is ``by_country``), largest membership at the top."""
    from plotly.subplots import make_subplots

    title = f"{t('m.members', lang)} · {t('m.population', lang).lower()}"
    if data.empty:
        return empty_figure(lang, title)
    data = data.sort_values(["members", "population"], ascending=True)
    colors = palette.color_map(data["id"], palette.COUNTRY_COLORS)
    bar_colors = [colors[i] for i in data["id"]]
    names = data[f"country_{lang}"].astype(str)
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.03,
        subplot_titles=(t("m.members", lang), t("m.population", lang)),
    )
    for col, measure in ((1, "members"), (2, "population")):
        fig.add_trace(
            go.Bar(
                x=data[measure],
                y=names,
                orientation="h",
                marker_color=bar_colors,
                text=[fmt_int(v, lang) for v in data[measure]],
                textposition="auto",
                customdata=data["id"],
                hovertemplate="<b>%{y}</b>: %{text}<extra></extra>",
                showlegend=False,
            ),
            row=1,
            col=col,
        )
    fig.update_xaxes(showticklabels=False, showgrid=False)
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
    return _style(fig, title, lang, alt, height=max(320, 46 * len(data) + 120))
