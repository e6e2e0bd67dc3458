"""Chart builders: tidy frames in, ``go.Figure`` out; nothing is displayed here.

Every builder writes its traces and layout as plain dicts (``{"type": "bar", …}``) and makes one
figure without plotly's property validation (``base._figure``): validation was most of the cost
of a rerun (a bar chart took about 12 ms, now 1 ms), and Streamlit and the image export only read
the figure back as a dict. ``tests/unit/present/test_charts_valid.py`` validates every builder's
output, so a misspelt property still fails a test. Every figure has a title, axis titles a
newcomer understands, the language's number separators, the fixed palette, and a short text
description for screen readers in ``fig.layout.meta["alt"]``.

The builders live by concern in ``base`` (the common look, the empty figure), ``maps`` (the
member map), ``bars`` (bars, heat map, donut), ``membership`` (the sunburst, the members and population panels) and ``network`` (the cooperation
network); this package names them all, so callers write ``charts.member_map(...)``.
"""

from __future__ import annotations

from mag_data.present.charts.bars import (
    area_bars,
    area_country_heatmap,
    city_bars,
    geo_bars,
    status_donut,
    year_bars,
)
from mag_data.present.charts.base import FONT, TEMPLATE, alt_text, empty_figure
from mag_data.present.charts.maps import member_map
from mag_data.present.charts.membership import country_members_population, membership_sunburst
from mag_data.present.charts.network import network_chart, network_map

__all__ = [
    "FONT",
    "TEMPLATE",
    "alt_text",
    "area_bars",
    "area_country_heatmap",
    "city_bars",
    "country_members_population",
    "empty_figure",
    "geo_bars",
    "member_map",
    "membership_sunburst",
    "network_chart",
    "network_map",
    "status_donut",
    "year_bars",
]
