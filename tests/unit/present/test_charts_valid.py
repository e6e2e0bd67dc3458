"""Every chart builder's figure is valid plotly, as sent.

``mag_data.present.charts`` builds figures from plain dicts without plotly's property validation (it was
most of the cost of a rerun). These tests are what keep that honest: each builder's output, for
both languages and for a full, a narrow and an empty view, is validated again here
(``go.Figure(fig.to_dict())`` raises ``ValueError`` on any misspelt property or invalid value),
and the figure as sent must equal its validated form (no value plotly would have rewritten, such
as a named colour scale). A few facts about what is drawn are checked on the way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from mag_data import Filter, apply_filter, config, load_registry
from mag_data.analysis import network
from mag_data.i18n import PLOTLY_SEPARATORS, t
from mag_data.present import charts
from mag_data.present.charts import bars as bar_charts
from mag_data.present.charts import maps as map_charts
from mag_data.present.charts import membership as membership_charts
from mag_data.present.charts.base import title_lines
from mag_data.query import aggregations as agg
from mag_data.query import tables
from mag_data.register.schema import STATUSES

LANGS = ("ru", "en")
VIEWS = ("full", "narrow", "empty")


class Inputs:
    """The frames the pages and the deck pass to the builders, for one filtered view."""

    def __init__(self, view: Any) -> None:
        self.view = view
        self.registry = view.registry
        self.members = view.members
        self.by_city = agg.by_city(view)
        self.by_country = agg.by_country(view)
        self.links = agg.partner_links(view, max_links=400)
        graph = network.cooperation_graph(view)
        indicators = network.city_indicators(graph, view.members)
        positions = network.layout_positions(graph, how="geo")
        self.nodes = indicators.merge(positions, on="id") if not indicators.empty else indicators
        self.link_table = network.link_table(view)
        self.top = agg.top_cities(view, n=10)


@pytest.fixture(scope="module")
def inputs() -> dict[str, Inputs]:
    registry = load_registry(config.DATA_DIR)
    country = str(registry.members["country_id"].iloc[0])
    filters = {
        "full": Filter(),
        "narrow": Filter(countries=(country,)),
        "empty": Filter(cities=("no-such-city",)),
    }
    return {name: Inputs(apply_filter(registry, f)) for name, f in filters.items()}


Builder = Callable[[Inputs, str], go.Figure]

BUILDERS: dict[str, Builder] = {
    "member_map": lambda d, lang: charts.member_map(
        d.by_city, lang, links=d.links, countries=d.by_country, height=680
    ),
    "member_map_no_legend": lambda d, lang: charts.member_map(d.by_city, lang, legend=False),
    "member_map_by_region": lambda d, lang: charts.member_map(
        d.members, lang, color_by="macro_region", resolution=110
    ),
    "geo_bars": lambda d, lang: charts.geo_bars(d.by_country, lang, "members"),
    "geo_bars_share": lambda d, lang: charts.geo_bars(
        agg.by_macro_region(d.view), lang, "share_of_membership", "macro_region"
    ),
    "membership_sunburst": lambda d, lang: charts.membership_sunburst(d.members, lang),
    "membership_sunburst_population": lambda d, lang: charts.membership_sunburst(
        d.members, lang, "population"
    ),
    "area_bars": lambda d, lang: charts.area_bars(agg.by_area(d.view), lang),
    "area_country_heatmap": lambda d, lang: charts.area_country_heatmap(
        agg.area_country_matrix(d.view), d.registry.areas, d.by_country, lang
    ),
    "year_bars": lambda d, lang: charts.year_bars(agg.by_year(d.view), d.registry.areas, lang),
    "status_donut": lambda d, lang: charts.status_donut(agg.by_status(d.view), lang),
    "city_bars": lambda d, lang: charts.city_bars(d.top, lang, "Top"),
    "city_bars_nearest": lambda d, lang: charts.city_bars(
        tables.nearest_bars(d.registry.members, str(d.registry.members["id"].iloc[0]))
        if not d.members.empty
        else d.top.iloc[:0],
        lang,
        "Nearest",
        x_title=t("m.distance_km", lang),
    ),
    "network_map": lambda d, lang: charts.network_map(d.by_city, d.link_table, lang, max_links=30),
    "network_chart": lambda d, lang: charts.network_chart(
        d.nodes, d.link_table, lang, geographic=True, max_links=30
    ),
    "country_members_population": lambda d, lang: charts.country_members_population(
        d.by_country, lang
    ),
    "empty_figure": lambda d, lang: charts.empty_figure(lang, "Title"),
}


def _sent(fig: go.Figure) -> Any:
    """The figure as Streamlit sends it (``to_dict`` and JSON), parsed back."""
    return json.loads(pio.to_json(fig.to_dict(), validate=False))


def _validated(fig: go.Figure) -> go.Figure:
    """The figure rebuilt with plotly's validation: raises ``ValueError`` on anything invalid."""
    return go.Figure(fig.to_dict())


def _is_empty_figure(fig: go.Figure, lang: str) -> bool:
    notes = fig.layout.annotations
    # The text is wrapped (``<br>``) to fit a half-width column.
    text = notes[0].text.replace("<br>", " ") if len(notes) == 1 else None
    return not fig.data and text == t("app.empty", lang)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_builder_gives_a_valid_figure_equal_to_its_validated_form(
    inputs: dict[str, Inputs], name: str, lang: str, view: str
) -> None:
    fig = BUILDERS[name](inputs[view], lang)
    valid = _validated(fig)
    assert _sent(fig) == _sent(valid)
    assert fig.layout.separators == PLOTLY_SEPARATORS[lang]
    assert fig.layout.template.layout.paper_bgcolor == "white"  # plotly_white's layout
    assert charts.alt_text(fig)
    if view == "empty" or name == "empty_figure":
        assert _is_empty_figure(fig, lang)


def test_a_misspelt_property_fails_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above would catch a typo in a builder's dicts (here: in every bar chart)."""
    hbars = bar_charts._hbars  # where the bar charts look it up

    def misspelt(*args: Any) -> dict[str, Any]:
        return {**hbars(*args), "textpositon": "auto"}

    monkeypatch.setattr(bar_charts, "_hbars", misspelt)
    fig = charts.city_bars(
        agg.top_cities(apply_filter(load_registry(config.DATA_DIR), Filter())), "en", "Top"
    )
    with pytest.raises(ValueError, match="textpositon"):
        _validated(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_bars_and_markers_match_the_view(inputs: dict[str, Inputs], lang: str) -> None:
    for view in ("full", "narrow"):
        d = inputs[view]
        countries = len(d.by_country)
        bars = charts.geo_bars(d.by_country, lang, "members")
        panels = charts.country_members_population(d.by_country, lang)
        if countries == 1:  # one country: its figures in words, not one full-width bar
            name = str(d.by_country[f"country_{lang}"].iloc[0])
            for fig in (bars, panels):
                assert not fig.data
                assert any(name in str(a.text) for a in fig.layout.annotations)
        else:
            assert [tr.type for tr in bars.data] == ["bar"]
            assert len(bars.data[0].y) == countries
            assert set(bars.data[0].customdata) == set(d.by_country["id"])
            assert bars.layout.title.text == title_lines(
                t("chart.geo.members", lang, by=t("chart.by.country", lang))
            )
            assert bars.layout.xaxis.title.text == t("m.members", lang)

            assert [(tr.type, tr.xaxis, len(tr.y)) for tr in panels.data] == [
                ("bar", "x", countries),
                ("bar", "x2", countries),
            ]
            assert [a.text for a in panels.layout.annotations] == [
                t("m.members", lang),
                t("m.population", lang),
            ]

        fig = charts.member_map(d.by_city, lang, links=d.links, countries=d.by_country)
        types = [tr.type for tr in fig.data]
        assert types[0] == "choropleth" and set(types[1:]) == {"scattergeo"}
        markers = [tr for tr in fig.data if tr.type == "scattergeo" and tr.mode == "markers+text"]
        assert sum(len(tr.lat) for tr in markers) == len(d.by_city)
        assert len(markers) == d.by_city["country_id"].nunique()
        assert fig.layout.title.text == t("chart.map", lang)
        assert fig.layout.geo.projection.type == "conic conformal"

        # Without a legend (the overview): one marker trace, each marker in the colour its
        # country's bar has in the country chart beside it; the same cities and names.
        bare = charts.member_map(d.by_city, lang, legend=False)
        (one,) = bare.data
        assert bare.layout.showlegend is False and one.showlegend is False
        assert len(one.lat) == len(d.by_city)
        with_legend = charts.member_map(d.by_city, lang)
        assert sorted(one.text) == sorted(v for tr in with_legend.data for v in tr.text)
        if countries > 1:
            bar_colour = dict(zip(bars.data[0].customdata, bars.data[0].marker.color, strict=True))
            city_country = dict(zip(d.by_city["id"], d.by_city["country_id"], strict=True))
            drawn = {
                row[-1]: colour
                for row, colour in zip(one.customdata, one.marker.color, strict=True)
            }
            assert drawn == {city: bar_colour[city_country[city]] for city in drawn}

        net = charts.network_chart(d.nodes, d.link_table, lang)
        nodes = [tr for tr in net.data if tr.mode == "markers"]
        assert sum(len(tr.x) for tr in nodes) == len(d.nodes)

        sunburst = charts.membership_sunburst(d.members, lang)
        assert sum(str(i).startswith("m:") for i in sunburst.data[0].ids) == len(d.members)


@pytest.mark.parametrize("lang", LANGS)
def test_project_charts_in_both_languages(inputs: dict[str, Inputs], lang: str) -> None:
    d = inputs["full"]
    areas = charts.area_bars(agg.by_area(d.view), lang)
    assert [tr.name for tr in areas.data] == [t(f"status.{s}", lang) for s in STATUSES]
    assert areas.layout.barmode == "stack" and areas.layout.title.text == title_lines(
        t("chart.areas", lang)
    )
    years = charts.year_bars(agg.by_year(d.view), d.registry.areas, lang)
    assert [tr.name for tr in years.data] == list(d.registry.areas[f"name_{lang}"].astype(str))
    assert years.layout.yaxis.title.text == t("m.projects", lang)
    statuses = agg.by_status(d.view)
    donut = charts.status_donut(statuses, lang)
    assert donut.data[0].type == "pie"
    assert sum(donut.data[0].values) == statuses["projects"].sum()
    heatmap = charts.area_country_heatmap(
        agg.area_country_matrix(d.view), d.registry.areas, d.by_country, lang
    )
    assert heatmap.data[0].type == "heatmap"
    assert heatmap.data[0].z.shape == (len(d.registry.areas), len(d.by_country))
    assert heatmap.data[0].colorscale[0][0] == 0  # spelt out, not plotly.py's name for it
    assert heatmap.layout.xaxis.title.text == t("col.country", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_capped_map_and_sunburst_are_valid(
    inputs: dict[str, Inputs], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The paths a large register takes (grid cells on the map, "n more" sunburst leaves)."""
    monkeypatch.setattr(map_charts, "MAX_MAP_MARKERS", 10)
    monkeypatch.setattr(membership_charts, "MAX_SUNBURST_CITIES", 3)
    d = inputs["full"]
    fig = charts.member_map(d.by_city, lang)
    assert _sent(fig) == _sent(_validated(fig))
    assert [tr.name for tr in fig.data].count(t("chart.map.cells", lang)) == 1
    assert len(fig.layout.annotations) == 1
    sunburst = charts.membership_sunburst(d.members, lang)
    assert _sent(sunburst) == _sent(_validated(sunburst))
    assert any(str(i).startswith("more:") for i in sunburst.data[0].ids)
    assert len(sunburst.layout.annotations) == 1


# --- register text stays plain text in every figure ---------------------------------------------

HOSTILE_NAMES = {
    "sukhumi": '<a href="https://x">Сухуми</a>',
    "moscow": '<span style="font-size:90px">Москва</span>',
    "minsk": "<b>Минск</b> & Co",
}
# What must never reach plotly.js as markup (our own templates use <b> and <br> deliberately).
MARKUP = ("<a", "</a", '<span style="font', "<b>Минск", "<b>Казахстан", "& Co")


@pytest.fixture(scope="module")
def hostile_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Inputs]:
    """The bundled register with member, country, region and area names that are markup."""
    import shutil

    import pandas as pd

    folder = tmp_path_factory.mktemp("hostile")
    for path in config.DATA_DIR.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    members = pd.read_csv(folder / "members.csv", dtype=str, keep_default_na=False)
    for member_id, name in HOSTILE_NAMES.items():
        row = members["id"] == member_id
        members.loc[row, ["name_ru", "name_en"]] = name
    kz = members["country_id"] == "kazakhstan"
    members.loc[kz, ["country_ru", "country_en"]] = "<b>Казахстан</b>"
    caucasus = members["macro_region_id"] == "south_caucasus"
    members.loc[caucasus, ["macro_region_ru", "macro_region_en"]] = '<a href="https://x">Кавказ</a>'
    members.to_csv(folder / "members.csv", index=False)
    areas = pd.read_csv(folder / "cooperation_areas.csv", dtype=str, keep_default_na=False)
    areas.loc[0, ["name_ru", "name_en"]] = '<span style="font-size:90px">Торговля</span>'
    areas.to_csv(folder / "cooperation_areas.csv", index=False)
    # Country and macro-region labels must match the known countries list, so the hostile ones
    # are put there too (as an edited data/sources/countries.csv would).
    from mag_data.register import countries

    known = countries.known_countries().copy()
    known.loc["kazakhstan", ["country_ru", "country_en"]] = "<b>Казахстан</b>"
    south = known["macro_region_id"] == "south_caucasus"
    known.loc[south, ["macro_region_ru", "macro_region_en"]] = '<a href="https://x">Кавказ</a>'
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(countries, "known_countries", lambda *a: known)
        registry = load_registry(folder)
    assert HOSTILE_NAMES["sukhumi"] in set(registry.members["name_ru"])
    filters = {
        "full": Filter(),
        "country": Filter(countries=("kazakhstan",)),
        "city": Filter(cities=("sukhumi",)),
    }
    return {name: Inputs(apply_filter(registry, f)) for name, f in filters.items()}


def _strings(value: Any) -> list[str]:
    """Every string in a figure's JSON (keys included), however deep."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


HOSTILE_BUILDERS = {
    **BUILDERS,
    "city_bars_titled": lambda d, lang: charts.city_bars(
        d.top, lang, f"Партнёры: {HOSTILE_NAMES['sukhumi']}"
    ),
    "network_chart_spring": lambda d, lang: charts.network_chart(
        network.placed_indicators(
            network.city_indicators(network.cooperation_graph(d.view), d.view.members),
            network.layout_positions(network.cooperation_graph(d.view), how="spring"),
        ),
        d.link_table,
        lang,
    ),
}


@pytest.mark.parametrize("view", ["full", "country", "city"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(HOSTILE_BUILDERS))
def test_names_that_are_markup_reach_every_figure_as_plain_text(
    hostile_inputs: dict[str, Inputs], name: str, lang: str, view: str
) -> None:
    fig = HOSTILE_BUILDERS[name](hostile_inputs[view], lang)
    sent = _sent(fig)
    alt = sent["layout"]["meta"].pop("alt")  # the screen-reader text: plain, not markup
    strings = _strings(sent)
    for fragment in MARKUP:
        hits = [s for s in strings if fragment in s]
        assert not hits, f"{name}: {fragment!r} reaches plotly.js as markup: {hits[:3]}"
    assert "&lt;" not in alt  # the alt text says the name as written, not as entities
    assert _sent(fig) == _sent(_validated(fig))


def test_the_escaped_names_are_the_names_as_written(hostile_inputs: dict[str, Inputs]) -> None:
    """plotly.js draws an entity as its character: the map shows the name as it is spelt."""
    import html

    fig = charts.member_map(hostile_inputs["full"].by_city, "ru")
    shown = {
        html.unescape(str(c[0]))
        for tr in fig.data
        if tr.customdata is not None
        for c in tr.customdata
    }
    assert set(HOSTILE_NAMES.values()) <= shown


def test_the_member_map_takes_its_base_map_scale_from_its_frame():
    registry = load_registry(config.DATA_DIR)
    whole = charts.member_map(agg.by_city(apply_filter(registry, Filter())), "ru")
    belarus = charts.member_map(
        agg.by_city(apply_filter(registry, Filter(countries=("belarus",)))), "ru"
    )
    assert whole.layout.geo.resolution == 110
    assert belarus.layout.geo.resolution == 50
    assert (
        charts.member_map(
            agg.by_city(apply_filter(registry, Filter())), "ru", resolution=50
        ).layout.geo.resolution
        == 50
    )
