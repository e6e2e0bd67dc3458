"""The cooperation network: partner links on the map (``network_map``) and the graph of
cities and links drawn at layout or geographic positions (``network_chart``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from mag_data.i18n import fmt_int, fmt_pct, t
from mag_data.present import palette
from mag_data.present.charts.base import (
    Trace,
    _axis,
    _legend_below,
    _link_lines,
    _link_width_class,
    _style,
    _top_phrase,
    empty_figure,
    plain_all,
)
from mag_data.present.charts.maps import _map_parts


def network_map(
    cities: pd.DataFrame,
    links: pd.DataFrame,
    lang: str,
    max_links: int | None = None,
    height: int = 620,
    illustrative: bool = False,
) -> go.Figure:
    """The partner links on the map: ``member_map`` with great-circle lines whose width grows with
    the shared projects; only the ``max_links`` strongest are drawn (the alt text counts all).
    ``cities``: ``aggregations.by_city``; ``links``: ``network.link_table`` (heaviest first)."""
    title = t("net.map.title", lang)
    if cities.empty:
        return empty_figure(lang, title)
    drawn = links if max_links is None else links.head(max_links)
    data, layout = _map_parts(
        cities, lang, "country", drawn if not drawn.empty else None, countries=None
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
    return _style(data, layout, title, lang, alt, height=height, illustrative=illustrative)


# Nodes beyond this many spreads (inter-quantile ranges) of the others are drawn at that distance:
# one city far from the rest (a pair linked only to each other) no longer squeezes the graph.
OUTLIER_SPREAD = 0.6
# Names are placed as if the graph were drawn this many pixels across (its height at 640 px
# less title and legend, also the width of half a 1024 px screen's main column): two names whose
# boxes would overlap there are never both shown; wider, they only have more room.
LABEL_ROOM_PX = 420
LABEL_FONT_PX = 13
_LABEL_CHAR_PX = 0.55 * LABEL_FONT_PX  # an average letter of the label font
_LABEL_LINE_PX = 1.5 * LABEL_FONT_PX  # a label's height, with a little air


def _pulled_in(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Layout positions with far outliers moved to the edge of the others' range."""

    def pull(v: np.ndarray) -> np.ndarray:
        if len(v) < 8:
            return v
        lo, hi = np.nanquantile(v, [0.05, 0.95])
        reach = OUTLIER_SPREAD * max(hi - lo, 1e-9)
        return np.asarray(np.clip(v, lo - reach, hi + reach), dtype=float)

    return pull(np.asarray(x, dtype=float)), pull(np.asarray(y, dtype=float))


def _spaced_labels(
    order: list[int], x: np.ndarray, y: np.ndarray, n: int, names: np.ndarray
) -> set[int]:
    """The first ``n`` rows of ``order`` (best connected first) whose name, centred over the
    node, would not overlap a name already chosen at ``LABEL_ROOM_PX``; the others are named
    in their hover card only."""
    span = max(float(np.nanmax(x) - np.nanmin(x)), float(np.nanmax(y) - np.nanmin(y)), 1e-9)
    per_px = span / LABEL_ROOM_PX
    half = {row: (len(str(names[row])) * _LABEL_CHAR_PX / 2 + 4) * per_px for row in order}
    chosen: list[int] = []
    for row in order:
        if len(chosen) >= n:
            break
        if all(
            abs(x[row] - x[c]) >= half[row] + half[c]
            or abs(y[row] - y[c]) >= _LABEL_LINE_PX * per_px
            for c in chosen
        ):
            chosen.append(row)
    return set(chosen)


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
    illustrative: bool = False,
) -> go.Figure:
    """The cooperation graph: nodes at (``x``, ``y``) sized by partner count and coloured by
    country, edges with width by shared projects (cross-border dark, domestic light grey); the
    ``labels`` best-connected cities whose names have room are named (the others in their
    hover card); only the ``max_links`` strongest links are drawn
    (title and alt text count all). ``nodes``: ``network.city_indicators`` joined with
    ``network.layout_positions``; ``links``: ``network.link_table`` (heaviest first). With
    ``geographic`` the positions are lon/lat and the aspect ratio follows the latitude."""
    title = t(
        "net.chart.title", lang, cities=fmt_int(len(nodes), lang), links=fmt_int(len(links), lang)
    )
    if nodes.empty:
        return empty_figure(lang, title)
    x, y = nodes["x"].to_numpy(dtype=float), nodes["y"].to_numpy(dtype=float)
    if not geographic:
        x, y = _pulled_in(x, y)
    pos = pd.DataFrame({"x": x, "y": y}, index=nodes["id"].astype(str).to_numpy())
    drawn = links if max_links is None else links.head(max_links)
    data = _network_edges(pos, drawn, lang) if not drawn.empty else []
    colors = palette.color_map(nodes["country_id"].astype(str), palette.COUNTRY_COLORS)
    degree = nodes["degree"].astype(float)
    size = 6 + 2.5 * np.sqrt(degree.to_numpy())
    ranked = nodes.assign(_o=range(len(nodes))).sort_values(
        ["degree", "weighted_degree", "_o"], ascending=[False, False, True]
    )
    connected = [int(r) for r in ranked["_o"][ranked["degree"].to_numpy() > 0]]
    names = plain_all(nodes[f"name_{lang}"])
    named = sorted(_spaced_labels(connected, x, y, labels, names))
    cluster = nodes["cluster"].astype("Int64").astype("string").fillna("—")
    custom = np.column_stack(
        [
            names,
            plain_all(nodes[f"country_{lang}"]),
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
        data.append(
            dict(
                type="scatter",
                x=x[rows],
                y=y[rows],
                mode="markers",
                name=str(custom[rows[0], 1]),
                marker=dict(
                    size=size[rows],
                    color=colors[country_id],
                    line=dict(width=1, color="#ffffff"),
                ),
                customdata=custom[rows],
                hovertemplate=hover,
            )
        )
    # The names in a trace of their own, drawn last: no other country's node covers them.
    data.append(
        dict(
            type="scatter",
            x=x[named],
            y=y[named],
            mode="text",
            text=names[named],
            textposition="top center",
            textfont=dict(size=LABEL_FONT_PX, color="#1b1f24", shadow="auto"),
            hoverinfo="skip",
            showlegend=False,
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
    return _style(data, layout, title, lang, alt, height=640, illustrative=illustrative)
