"""The chronicle's figures: valid plotly, only what the sources give is drawn."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from mag_data.analysis import chronicle
from mag_data.present import chronicle_charts


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_timeline_draws_the_dated_events_by_kind(tiny, lang):
    events = chronicle.events_table(tiny)
    fig = chronicle_charts.chronicle_timeline(events, lang)
    go.Figure(fig.to_dict())  # validates every property
    ids = sorted(i for trace in fig.data for i in trace.customdata[:, -1])
    assert ids == ["e1", "e2", "e4"]  # e3 has no date
    assert fig.layout.meta["alt"]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_map_marker_size_grows_with_the_number_of_events(tiny, lang):
    hosts = chronicle.host_counts(chronicle.events_table(tiny))
    doubled = hosts.assign(n_events=[3, 1, 1])
    fig = chronicle_charts.chronicle_map(doubled, lang)
    go.Figure(fig.to_dict())
    (trace,) = fig.data
    assert trace.marker.size[0] > trace.marker.size[1]
    assert list(trace.customdata[:, -1]) == list(hosts["host_key"])


def test_nothing_to_draw_gives_the_empty_figure(tiny):
    events = chronicle.events_table(tiny).iloc[0:0]
    assert not chronicle_charts.chronicle_timeline(events, "en").data
    assert not chronicle_charts.chronicle_map(chronicle.host_counts(events), "en").data
