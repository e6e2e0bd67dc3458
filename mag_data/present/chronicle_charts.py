"""The chronicle's figures: a timeline of the dated events and a map of where the assembly met.

Tidy frames from ``mag_data.analysis.chronicle`` in, ``go.Figure`` out, with the common look of
``mag_data.present.charts.base`` (``_style``: title, separators, alt text). Only what the sources give
is drawn: an undated event is not on the timeline, an event without a place not on the map (the
page lists both as gaps).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from mag_data.analysis.chronicle import date_label, kind_label
from mag_data.analysis.geo import map_bounds, map_resolution
from mag_data.i18n import t
from mag_data.present import palette
from mag_data.present.charts.base import _axis, _style, empty_figure
from mag_data.register.schema import EVENT_KINDS

Trace = dict[str, Any]
# Marker symbol by date precision: a filled dot for a day, open shapes for a month or a year.
PRECISION_SYMBOLS = {"day": "circle", "month": "diamond-open", "year": "square-open"}


def chronicle_timeline(events: pd.DataFrame, lang: str, height: int = 460) -> go.Figure:
    """One row per kind, one marker per dated event at its start (its first possible day when
    only the month or year is known; the hover says how precise), colour by kind."""
    title = t("chron.timeline", lang)
    dated = events[events["has_date"]]
    if dated.empty:
        return empty_figure(lang, title)
    kinds = [k for k in EVENT_KINDS if k in set(dated["kind"].astype(str))]
    colors = palette.color_map(kinds, palette.EVENT_KIND_COLORS)
    data: list[Trace] = []
    for kind in kinds:
        rows = dated[dated["kind"].astype(str) == kind]
        label = kind_label(kind, lang)
        custom = np.column_stack(
            [
                rows[f"title_{lang}"].astype(str).to_numpy(),
                [date_label(e, lang) for _, e in rows.iterrows()],
                [
                    str(h) if isinstance(h, str) and h else t("chron.place.unknown", lang)
                    for h in rows[f"host_{lang}"]
                ],
                rows["source_publisher"].astype(str).to_numpy(),
                rows["id"].astype(str).to_numpy(),
            ]
        ).astype(str)
        data.append(
            dict(
                type="scatter",
                mode="markers",
                name=label,
                x=rows["start"].dt.strftime("%Y-%m-%d").to_numpy(),
                y=[label] * len(rows),
                marker=dict(
                    size=14,
                    color=colors[kind],
                    symbol=[
                        PRECISION_SYMBOLS.get(str(p), "circle") for p in rows["date_precision"]
                    ],
                    line=dict(width=2, color=colors[kind]),
                ),
                customdata=custom,
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}<br>"
                    "%{customdata[3]}<extra></extra>"
                ),
            )
        )
    first, last = int(dated["year"].min()), int(dated["year"].max())
    layout = {
        "xaxis": _axis(t("chron.timeline.x", lang), type="date"),
        "yaxis": _axis(
            None, categoryorder="array", categoryarray=[kind_label(k, lang) for k in kinds][::-1]
        ),
        "showlegend": False,
        "hovermode": "closest",
    }
    alt = t("chron.timeline.alt", lang, n=len(dated), first=first, last=last)
    return _style(data, layout, title, lang, alt, height=height)


def chronicle_map(hosts: pd.DataFrame, lang: str, height: int = 560) -> go.Figure:
    """The places the assembly met (``host_counts``): marker area ∝ number of events."""
    title = t("chron.map", lang)
    if hosts.empty:
        return empty_figure(lang, title)
    n = hosts["n_events"].to_numpy(dtype=float)
    size = 10 + 30 * np.sqrt(n / n.max())
    names = hosts[f"host_{lang}"].astype(str).to_numpy()
    events_text = [t("chron.map.events", lang, n=int(k)) for k in n]
    years = [
        "" if pd.isna(a) else (f"{int(a)}" if a == b else f"{int(a)}–{int(b)}")
        for a, b in zip(hosts["first_year"], hosts["last_year"], strict=True)
    ]
    custom = np.column_stack(
        [names, events_text, years, hosts["host_key"].astype(str).to_numpy()]
    ).astype(str)
    bounds = map_bounds(hosts, pad_deg=6.0)
    center_lon = sum(bounds["lonaxis"]) / 2
    trace: Trace = dict(
        type="scattergeo",
        lat=hosts["lat"].to_numpy(dtype=float),
        lon=hosts["lon"].to_numpy(dtype=float),
        mode="markers+text",
        text=names,
        textposition="top center",
        name=title,
        marker=dict(
            size=size,
            color=palette.EVENT_KIND_COLORS["session"],
            opacity=0.8,
            line=dict(width=1, color="#ffffff"),
            sizemode="diameter",
        ),
        customdata=custom,
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
    )
    geo = dict(
        projection=dict(type="conic conformal", parallels=[45, 65], rotation=dict(lon=center_lon)),
        resolution=map_resolution(bounds),
        showcountries=True,
        countrycolor="#8a94a3",
        showland=True,
        landcolor=palette.LAND,
        showocean=True,
        oceancolor="#f5f8fc",
        showframe=False,
        lonaxis=dict(range=bounds["lonaxis"]),
        lataxis=dict(range=bounds["lataxis"]),
        center=dict(lon=center_lon, lat=sum(bounds["lataxis"]) / 2),
    )
    top = names[0]
    alt = t("chron.map.alt", lang, n=len(hosts), top=f"{top} ({events_text[0]})")
    return _style([trace], {"geo": geo, "showlegend": False}, title, lang, alt, height=height)
