"""The membership as a whole: the sunburst (region → country → federal district → city) and the
two-panel members and population chart of the presentation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from mag_data.i18n import fmt_int, t
from mag_data.present import palette
from mag_data.present.charts.bars import _hbars, _single
from mag_data.present.charts.base import (
    Layout,
    _corner_note,
    _style,
    _top_phrase,
    empty_figure,
    plain_all,
)
from mag_data.query.filters import federal_district_rank

# Beyond this many cities in one country the sunburst shows the largest and one "more" leaf.
# Enough for every country of today's membership (Russia has 51 members) to show all its cities;
# a much larger register shows each country's largest cities and one "n more" sector.
MAX_SUNBURST_CITIES = 60
SUNBURST_MIN_TEXT_PX = 12  # the smallest label drawn in a sector


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
    # Text smaller than this is not drawn at all (the sector's name is in its hover card): a
    # 6 px «Уральский ФО» in a thin sector reads as a smudge, on a phone most city names would.
    layout: Layout = {"uniformtext": dict(minsize=SUNBURST_MIN_TEXT_PX, mode="hide")}
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
