"""mag_data.analysis.chronicle on the tiny register's four events (tests/factories.py):
e1 session Moscow 2001-05-10/11 (2 sources, disagrees with e3), e2 session Prague 2005-06 (not a
member), e3 session with neither date nor place, e4 forum Kazan 2010."""

from __future__ import annotations

import pandas as pd
import pytest

from mag_data.analysis import chronicle
from mag_data.i18n import t


@pytest.fixture
def events(tiny):
    return chronicle.events_table(tiny)


def test_events_are_in_date_order_with_hosts_resolved(events):
    """Dated events first by start; a member host's name and place come from members.csv."""
    assert list(events["id"]) == ["e1", "e2", "e4", "e3"]
    e = events.set_index("id")
    assert (e.loc["e1", "host_en"], e.loc["e1", "lat"]) == ("Moscow", 55.75204)
    assert (e.loc["e2", "host_ru"], e.loc["e2", "lon"]) == ("Прага", 14.42)
    assert list(e["year"].astype("Float64").fillna(0)) == [2001, 2005, 2010, 0]
    assert list(e["n_sources"]) == [2, 1, 1, 1]
    assert not e.loc["e3", "has_date"] and not e.loc["e3", "has_place"]


FILTERS = [
    pytest.param({}, ["e1", "e2", "e4", "e3"], id="all"),
    pytest.param({"kinds": ("forum",)}, ["e4"], id="kind"),
    pytest.param(
        {"kinds": ("session",), "years": (2004, 2010)}, ["e2", "e3"], id="years-keep-undated"
    ),
    pytest.param(
        {"years": (2004, 2010), "keep_undated": False}, ["e2", "e4"], id="years-dated-only"
    ),
    pytest.param({"hosts": {"kazan"}}, ["e4"], id="geography"),
    pytest.param({"hosts": {"minsk"}}, [], id="geography-without-events"),
    pytest.param(
        {"hosts": {"msk", "kazan"}, "kinds": ("session",)}, ["e1"], id="geography-and-kind"
    ),
]


@pytest.mark.parametrize(("kwargs", "expected"), FILTERS)
def test_filter_events(events, kwargs, expected):
    assert list(chronicle.filter_events(events, **kwargs)["id"]) == expected


def test_host_counts_count_the_events_of_each_place(events):
    hosts = chronicle.host_counts(events)
    assert set(hosts["host_key"]) == {"msk", "Prague", "kazan"}
    assert list(hosts["n_events"]) == [1, 1, 1]
    assert chronicle.host_counts(events.iloc[0:0]).empty


def test_host_counts_largest_first():
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "host_key": ["x", "y", "y"],
            "host_ru": ["X", "Y", "Y"],
            "host_en": ["X", "Y", "Y"],
            "lat": [1.0, 2.0, 2.0],
            "lon": [1.0, 2.0, 2.0],
            "year": pd.array([2001, 2003, None], dtype="Int64"),
            "has_place": [True, True, True],
        }
    )
    hosts = chronicle.host_counts(frame)
    assert list(hosts["host_key"]) == ["y", "x"] and list(hosts["n_events"]) == [2, 1]
    assert (hosts["first_year"].iloc[0], hosts["last_year"].iloc[0]) == (2003, 2003)


def test_gaps_are_the_sessions_without_date_or_place(events):
    gaps = chronicle.session_gaps(events)
    assert list(gaps["id"]) == ["e3"]
    assert bool(gaps["missing_date"].iloc[0]) and bool(gaps["missing_place"].iloc[0])


def test_counts(tiny):
    c = chronicle.counts(tiny)
    assert (c["kind:session"], c["kind:forum"], c["kind:contest"]) == (3, 1, 0)
    assert (c["sessions_dated_and_placed"], c["members_with_join_year"]) == (2, 1)
    assert c["statements"] == 2


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_date_label_is_as_precise_as_the_source(events, lang):
    e = events.set_index("id", drop=False)
    assert chronicle.date_label(e.loc["e1"], lang) == "2001-05-10 – 2001-05-11"
    assert chronicle.date_label(e.loc["e2"], lang) == "2005-06"
    assert chronicle.date_label(e.loc["e4"], lang) == "2010"
    assert chronicle.date_label(e.loc["e3"], lang) == t("chron.date.unknown", lang)


def test_event_details_keep_every_source_and_both_sides_of_a_disagreement(tiny):
    details = chronicle.event_details(tiny, "e1")
    assert list(details.sources["source_publisher"]) == ["Pub A", "Pub E"]
    assert list(details.conflicts["id"]) == ["e3"]
    # e3 names e1 too; and e1 is found from e3's side
    assert list(chronicle.event_details(tiny, "e3").conflicts["id"]) == ["e1"]
    with pytest.raises(KeyError):
        chronicle.event_details(tiny, "nope")


def test_hosted_by_and_joined_fact(tiny):
    assert list(chronicle.hosted_by(tiny, "msk")["id"]) == ["e1"]
    assert chronicle.hosted_by(tiny, "minsk").empty
    assert chronicle.joined_fact(tiny, "msk") == {
        "year": "1998",
        "url": "https://example.org/msk",
        "publisher": "Test",
        "quote": "Moscow joined in 1998.",
    }
    assert chronicle.joined_fact(tiny, "kazan") is None


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_display_tables_have_a_link_per_source(tiny, events, lang):
    table = chronicle.events_display(events, lang)
    assert list(table[t("chron.col.source", lang)]) == [
        "https://example.org/e1",
        "https://example.org/e2",
        "https://example.org/e4",
        "https://example.org/e3",
    ]
    statements = chronicle.statements_display(tiny, lang)
    assert list(statements[t("chron.col.year", lang)].astype("Float64").fillna(0)) == [2001, 0]
    cards = chronicle.statement_cards(tiny, lang)
    assert [c["value"] for c in cards] == ["4 / 3", "1998"]
    gaps = chronicle.gaps_display(chronicle.session_gaps(events), lang)
    assert gaps[t("chron.col.missing", lang)].iloc[0] == ", ".join(
        [t("chron.gap.date", lang), t("chron.gap.place", lang)]
    )


def test_the_bundled_chronicle_loads_with_its_disagreements_kept():
    """The real chronicle: every kind counted, the Kulginov/Kravchuk disagreement both ways."""
    from mag_data import load_registry

    registry = load_registry()
    c = chronicle.counts(registry)
    assert c["kind:session"] == 9 and c["sessions_dated_and_placed"] == 4
    assert c["members_with_join_year"] == 6
    details = chronicle.event_details(registry, "election-2020-kulginov")
    assert list(details.conflicts["id"]) == ["election-28-kravchuk"]
