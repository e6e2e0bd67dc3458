"""The one palette: a fixed colour per country, macro-region, cooperation area and status.

Colours are fixed by id (not by position), so a country keeps its colour on every chart and
under every filter. Chosen for contrast on a projector and to stay apart for colour-blind viewers
(Okabe–Ito and Tableau 10 hues).
"""

from __future__ import annotations

from collections.abc import Iterable

COUNTRY_COLORS: dict[str, str] = {
    "russia": "#1f4e9c",
    "kazakhstan": "#00a0b0",
    "ukraine": "#e69f00",
    "belarus": "#009e73",
    "georgia": "#cc79a7",
    "armenia": "#d55e00",
    "kyrgyzstan": "#8c564b",
    "tajikistan": "#7f7f7f",
    "moldova": "#bcbd22",
    "transnistria": "#9467bd",
}
MACRO_REGION_COLORS: dict[str, str] = {
    "russia": "#1f4e9c",
    "eastern_europe": "#e69f00",
    "south_caucasus": "#cc79a7",
    "central_asia": "#00a0b0",
}
AREA_COLORS: dict[str, str] = {
    "trade_economic": "#1f77b4",
    "science_technology": "#2ca02c",
    "humanitarian_cultural": "#d62728",
    "social": "#ff7f0e",
}
STATUS_COLORS: dict[str, str] = {
    "planned": "#9ecae1",
    "active": "#3182bd",
    "completed": "#08306b",
}
# The chronicle's event kinds (mag_data.register.schema.EVENT_KINDS).
EVENT_KIND_COLORS: dict[str, str] = {
    "session": "#1f4e9c",
    "board_meeting": "#56b4e9",
    "forum": "#009e73",
    "contest": "#e69f00",
    "election": "#cc79a7",
    "admission": "#d55e00",
}
FALLBACK = ("#17becf", "#e377c2", "#bcbd22", "#8c564b", "#7f7f7f", "#aec7e8", "#ffbb78")
NEUTRAL = "#b0b7c3"
LAND = "#eef0f3"
MEMBER_LAND = "#d6e2f3"
SEQUENTIAL = "Blues"
# Light, low-contrast fill for countries under the city markers (markers must stay readable).
CHOROPLETH = [[0.0, "#eef2f8"], [1.0, "#aebfdc"]]


def color_map(ids: Iterable[str], table: dict[str, str]) -> dict[str, str]:
    """Colour for each id: the fixed one if known, else a stable fallback by sorted order."""
    ids = list(dict.fromkeys(str(i) for i in ids))
    unknown = sorted(i for i in ids if i not in table)
    extra = {i: FALLBACK[n % len(FALLBACK)] for n, i in enumerate(unknown)}
    return {i: table.get(i, extra.get(i, NEUTRAL)) for i in ids}
