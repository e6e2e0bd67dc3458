"""The filter table: inputs and the members/projects/participations they must leave (by hand)."""

from __future__ import annotations

import pytest

from mag_data.query.filters import Filter, apply_filter, geo_labels, prune

CASES = [
    # id, filter, member ids, project ids, participations
    ("no-filter", Filter(), {"msk", "kazan", "minsk", "almaty"}, {"P1", "P2", "P3", "P4"}, 9),
    ("russia", Filter(countries=("russia",)), {"msk", "kazan"}, {"P1", "P2", "P3"}, 4),
    (
        "macro-region-central-asia",
        Filter(macro_regions=("central_asia",)),
        {"almaty"},
        {"P3", "P4"},
        2,
    ),
    (
        "federal-district-volga",
        Filter(federal_districts=("volga-federal-district",)),
        {"kazan"},
        {"P2", "P3"},
        2,
    ),
    ("subdivision-code", Filter(subdivisions=("BY-HM",)), {"minsk"}, {"P1", "P3", "P4"}, 3),
    ("one-city", Filter(cities=("almaty",)), {"almaty"}, {"P3", "P4"}, 2),
    (
        "area-trade",
        Filter(areas=("trade_economic",)),
        {"msk", "kazan", "minsk", "almaty"},
        {"P1", "P3"},
        5,
    ),
    (
        "status-completed",
        Filter(statuses=("completed",)),
        {"msk", "kazan", "minsk", "almaty"},
        {"P1", "P4"},
        4,
    ),
    (
        "years-2000-2006",
        Filter(years=(2000, 2006)),
        {"msk", "kazan", "minsk", "almaty"},
        {"P1", "P4"},
        4,
    ),
    (
        "russia-and-trade",
        Filter(countries=("russia",), areas=("trade_economic",)),
        {"msk", "kazan"},
        {"P1", "P3"},
        2,
    ),
    (
        "belarus-science-2005",
        Filter(countries=("belarus",), areas=("science_technology",), years=(2005, 2005)),
        {"minsk"},
        {"P4"},
        1,
    ),
    (
        "nothing-matches",
        Filter(countries=("kazakhstan",), statuses=("active",)),
        {"almaty"},
        set(),
        0,
    ),
    (
        "two-countries",
        Filter(countries=("belarus", "kazakhstan")),
        {"minsk", "almaty"},
        {"P1", "P3", "P4"},
        5,
    ),
]


@pytest.mark.parametrize(
    "f,members,projects,participations", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_filter_selects(tiny, f, members, projects, participations):
    """apply_filter leaves exactly the hand-worked members, projects and participations."""
    view = apply_filter(tiny, f)
    assert set(view.members["id"]) == members
    assert set(view.projects["id"]) == projects
    assert len(view.participations) == participations


QUERY_CASES = [
    ("empty", {}, Filter()),
    ("repeated", {"country": ["russia", "belarus"]}, Filter(countries=("russia", "belarus"))),
    ("comma-list", {"area": "social,trade_economic"}, Filter(areas=("social", "trade_economic"))),
    ("years", {"years": "2010-2005"}, Filter(years=(2005, 2010))),
    ("bad-years-dropped", {"years": "soon"}, Filter()),
    ("unknown-key-ignored", {"colour": "red", "city": "msk"}, Filter(cities=("msk",))),
]


@pytest.mark.parametrize(
    "params,expected", [c[1:] for c in QUERY_CASES], ids=[c[0] for c in QUERY_CASES]
)
def test_filter_from_query(params, expected):
    """URL parameters parse into the filter (ids, language-independent)."""
    assert Filter.from_query(params) == expected


def test_query_round_trip():
    """to_query then from_query gives the same filter back."""
    f = Filter(
        macro_regions=("russia",),
        countries=("russia",),
        federal_districts=("volga-federal-district",),
        cities=("kazan",),
        areas=("social",),
        statuses=("active", "planned"),
        years=(2001, 2020),
    )
    assert Filter.from_query(f.to_query()) == f


def test_restricted_to_drops_unknown_ids(tiny):
    """A stale link's unknown ids are dropped, known ones kept."""
    f = Filter(countries=("russia", "atlantis"), areas=("sport", "social"), statuses=("done",))
    assert f.restricted_to(tiny) == Filter(countries=("russia",), areas=("social",))


def test_geo_labels_narrow_by_levels_above(tiny):
    """Country options follow the macro-region; city options follow country and district."""
    f = Filter(macro_regions=("russia", "central_asia"))
    assert list(geo_labels(tiny, f, "countries", "ru")) == ["russia", "kazakhstan"]
    f = Filter(countries=("russia",), federal_districts=("volga-federal-district",))
    cities = geo_labels(tiny, f, "cities", "en")
    assert list(cities) == ["kazan"] and list(cities.values()) == ["Kazan"]


def test_prune_resets_stale_lower_levels(tiny):
    """Choosing another country drops cities that are not in it."""
    f = Filter(
        countries=("belarus",),
        cities=("msk", "minsk"),
        federal_districts=("volga-federal-district",),
    )
    assert prune(tiny, f) == Filter(countries=("belarus",), cities=("minsk",))
