"""Aggregations on the tiny register, checked against numbers worked out by hand."""

from __future__ import annotations

import math

import pytest

from mag_data.query import aggregations as agg
from mag_data.query.filters import Filter, apply_filter


def test_headline_unfiltered(tiny):
    h = agg.headline(apply_filter(tiny, Filter()))
    assert (h.members, h.countries, h.population, h.projects, h.participations) == (
        4,
        3,
        2000,
        4,
        9,
    )
    assert (h.planned, h.active, h.completed) == (1, 1, 2)
    assert h.cross_border_share == pytest.approx(0.75)


@pytest.mark.parametrize(
    "f,expected",
    [
        (Filter(countries=("russia",)), (2, 1, 1500, 3, 4)),
        (Filter(areas=("social",)), (4, 3, 2000, 1, 2)),
        (Filter(years=(2001, 2005)), (4, 3, 2000, 2, 4)),
        (Filter(cities=("almaty",), statuses=("planned",)), (1, 1, 200, 1, 1)),
    ],
    ids=["russia", "social", "years-2001-2005", "almaty-planned"],
)
def test_headline_filtered(tiny, f, expected):
    """Members, countries, population, projects and participations follow the filter."""
    h = agg.headline(apply_filter(tiny, f))
    assert (h.members, h.countries, h.population, h.projects, h.participations) == expected


def test_by_country(tiny):
    """Per country: members, population, share of membership, projects, participations, per area."""
    table = agg.by_country(apply_filter(tiny, Filter())).set_index("id")
    assert list(table.index) == ["belarus", "russia", "kazakhstan"]  # the assembly's list order
    russia = table.loc["russia"]
    assert (
        russia["members"],
        russia["population"],
        russia["projects"],
        russia["participations"],
    ) == (2, 1500, 3, 4)
    assert russia["share_of_membership"] == pytest.approx(0.5)
    assert (
        russia["area:trade_economic"],
        russia["area:social"],
        russia["area:science_technology"],
    ) == (2, 1, 0)
    belarus = table.loc["belarus"]
    assert (belarus["projects"], belarus["participations"], belarus["area:science_technology"]) == (
        3,
        3,
        1,
    )
    assert table.loc["kazakhstan", "projects"] == 2


def test_by_country_share_is_of_whole_membership(tiny):
    """Filtering to Russia keeps Russia's share at 2 of 4 members."""
    table = agg.by_country(apply_filter(tiny, Filter(countries=("russia",))))
    assert list(table["id"]) == ["russia"]
    assert table["share_of_membership"].iloc[0] == pytest.approx(0.5)


def test_by_macro_region(tiny):
    table = agg.by_macro_region(apply_filter(tiny, Filter())).set_index("id")
    assert table["members"].to_dict() == {"eastern_europe": 1, "russia": 2, "central_asia": 1}
    assert table["projects"].to_dict() == {"eastern_europe": 3, "russia": 3, "central_asia": 2}


def test_by_area(tiny):
    """Projects, cross-border share and status split per area; an unused area shows zeros."""
    table = agg.by_area(apply_filter(tiny, Filter())).set_index("id")
    assert table["projects"].to_dict() == {
        "trade_economic": 2,
        "science_technology": 1,
        "humanitarian_cultural": 0,
        "social": 1,
    }
    assert table.loc["trade_economic", "cross_border_share"] == pytest.approx(1.0)
    assert table.loc["social", "cross_border_share"] == pytest.approx(0.0)
    assert math.isnan(table.loc["humanitarian_cultural", "cross_border_share"])
    assert (table.loc["trade_economic", "planned"], table.loc["trade_economic", "completed"]) == (
        1,
        1,
    )
    assert table.loc["trade_economic", "participations"] == 5


def test_by_year_fills_the_range(tiny):
    """Every year × area of the filter's range is present; counts are by start year."""
    years = agg.by_year(apply_filter(tiny, Filter(years=(2000, 2005))))
    assert len(years) == 6 * 4
    per_year = years.groupby("year")["projects"].sum().to_dict()
    assert per_year == {2000: 0, 2001: 1, 2002: 0, 2003: 0, 2004: 0, 2005: 1}


def test_by_status(tiny):
    table = agg.by_status(apply_filter(tiny, Filter(countries=("russia",))))
    assert table.set_index("status")["projects"].to_dict() == {
        "planned": 1,
        "active": 1,
        "completed": 1,
    }


def test_by_city_and_top_cities(tiny):
    """Projects and leads per city; top cities ranked by projects, ties by list order."""
    cities = agg.by_city(apply_filter(tiny, Filter())).set_index("id")
    assert cities["projects"].to_dict() == {"minsk": 3, "msk": 2, "kazan": 2, "almaty": 2}
    assert cities["led"].to_dict() == {"minsk": 1, "msk": 1, "kazan": 1, "almaty": 1}
    top = agg.top_cities(apply_filter(tiny, Filter()), n=2)
    assert list(top["id"]) == ["minsk", "msk"]
    top_trade = agg.top_cities(apply_filter(tiny, Filter()), n=5, area_id="trade_economic")
    assert list(top_trade["id"]) == ["minsk", "msk", "kazan", "almaty"]
    assert list(top_trade["value"]) == [2, 1, 1, 1]


def test_area_country_matrix(tiny):
    m = agg.area_country_matrix(apply_filter(tiny, Filter())).set_index(["area_id", "country_id"])[
        "projects"
    ]
    assert m[("trade_economic", "belarus")] == 2
    assert m[("trade_economic", "russia")] == 2
    assert m[("science_technology", "kazakhstan")] == 1
    assert m[("humanitarian_cultural", "russia")] == 0


def test_partner_links(tiny):
    """Pairs sharing projects, with the number shared: Almaty–Minsk share P3 and P4."""
    links = agg.partner_links(apply_filter(tiny, Filter()))
    weights = {(a, b): w for a, b, w in links.itertuples(index=False)}
    assert weights == {
        ("almaty", "minsk"): 2,
        ("minsk", "msk"): 1,
        ("kazan", "msk"): 1,
        ("almaty", "kazan"): 1,
        ("kazan", "minsk"): 1,
    }
    assert agg.partner_links(apply_filter(tiny, Filter()), max_links=1)["weight"].tolist() == [2]


def test_empty_view_gives_empty_tables(tiny):
    """A filter matching nothing yields zero rows or zeros, never an exception."""
    view = apply_filter(tiny, Filter(countries=("kazakhstan",), statuses=("active",)))
    assert agg.headline(view).projects == 0
    assert agg.by_year(view).empty
    assert agg.by_area(view)["projects"].sum() == 0
    assert agg.partner_links(view).empty
    assert agg.top_cities(view).empty
