"""Correctness does not change with size: on a generated register of 300 members and about
20,000 participations, every aggregation agrees with a plain reference computation written here
(pandas for reading, Python sets, dicts and Counters for the logic) under a sample of filters.

The fast paths of ``mag_data`` (categorical codes, row positions, the pair generator of
``partner_links``) only show their edge cases at size, which the tiny register never reaches.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.registers import Size, build_register
from mag_data.query import aggregations as agg
from mag_data.query.filters import Filter, apply_filter
from mag_data.register.registry import load_registry
from mag_data.register.schema import STATUSES

MID = Size("mid", 300, 20_000, "300 members / 20,000 participations")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "data"
    counts = build_register(MID, path, seed=7)
    assert counts["members"] == 300 and 19_000 <= counts["participants"] <= 21_000
    return path


@pytest.fixture(scope="module")
def registry(folder: Path):
    return load_registry(folder)


@pytest.fixture(scope="module")
def raw(folder: Path) -> dict[str, pd.DataFrame]:
    """The register files as plain frames of strings (numbers converted by hand)."""
    read = lambda name: pd.read_csv(folder / name, dtype=str, keep_default_na=False)  # noqa: E731
    members = read("members.csv")
    members["population"] = members["population"].astype(int)
    members["group"] = members["list_group"].astype(int)
    members["order"] = members["group"] * 1_000_000 + members["list_position"].astype(int)
    projects = read("projects.csv")
    projects["year"] = projects["start_date"].str[:4].astype(int)
    return {
        "members": members,
        "projects": projects,
        "participants": read("participants.csv"),
        "areas": read("cooperation_areas.csv"),
    }


# --- the reference -------------------------------------------------------------------------------


def reference_view(raw: dict[str, pd.DataFrame], f: Filter) -> dict:
    """The filter's meaning, spelled out: members by geography, projects by area/status/years
    and (with a geographic choice) by having a participant among those members."""
    m = raw["members"]
    member_ids = {
        row.id
        for row in m.itertuples()
        if (not f.macro_regions or row.macro_region_id in f.macro_regions)
        and (not f.countries or row.country_id in f.countries)
        and (not f.cities or row.id in f.cities)
    }
    project_rows = {
        row.id: row
        for row in raw["projects"].itertuples()
        if (not f.areas or row.area_id in f.areas)
        and (not f.statuses or row.status in f.statuses)
        and (f.years is None or f.years[0] <= row.year <= f.years[1])
    }
    geo = bool(f.macro_regions or f.countries or f.cities)
    parts = [
        (row.project_id, row.member_id, row.role)
        for row in raw["participants"].itertuples()
        if row.project_id in project_rows and (not geo or row.member_id in member_ids)
    ]
    if geo:
        with_member = {p for p, _, _ in parts}
        project_rows = {k: v for k, v in project_rows.items() if k in with_member}
    countries_of_project = defaultdict(set)
    country = dict(zip(m["id"], m["country_id"], strict=True))
    for row in raw["participants"].itertuples():  # cross-border: all partners, any filter
        countries_of_project[row.project_id].add(country[row.member_id])
    return {
        "members": m[m["id"].isin(member_ids)].sort_values("order"),
        "projects": project_rows,
        "parts": parts,
        "cross_border": {p: len(countries_of_project[p]) > 1 for p in project_rows},
    }


FILTERS = [
    Filter(),
    Filter(years=(2005, 2018)),
    Filter(countries=("russia",)),
    Filter(macro_regions=("central_asia", "south_caucasus"), statuses=("completed",)),
    Filter(areas=("social", "science_technology"), years=(2010, 2026)),
    Filter(cities=("moscow", "minsk", "syn-00100", "syn-00200", "syn-00299")),
    Filter(countries=("kazakhstan", "belarus"), areas=("trade_economic",), statuses=("active",)),
    # Project choices only (whole cells of projects: the running-total path).
    Filter(statuses=("planned", "active"), years=(2012, 2012)),
    Filter(areas=("humanitarian_cultural", "trade_economic"), statuses=("completed",)),
    Filter(years=(1900, 1901)),
]
IDS = [
    "all",
    "years",
    "russia",
    "regions-completed",
    "areas-years",
    "five-cities",
    "mixed",
    "statuses-one-year",
    "areas-completed",
    "no-year-matches",
]


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_headline_matches_the_reference(registry, raw, f):
    """Members, countries, population, projects, participations, status split, cross-border."""
    ref = reference_view(raw, f)
    h = agg.headline(apply_filter(registry, f))
    statuses = Counter(row.status for row in ref["projects"].values())
    shares = list(ref["cross_border"].values())
    assert (h.members, h.countries, h.population) == (
        len(ref["members"]),
        ref["members"]["country_id"].nunique(),
        int(ref["members"]["population"].sum()),
    )
    assert (h.projects, h.participations) == (len(ref["projects"]), len(ref["parts"]))
    assert (h.planned, h.active, h.completed) == (
        statuses["planned"],
        statuses["active"],
        statuses["completed"],
    )
    if shares:
        assert h.cross_border_share == pytest.approx(sum(shares) / len(shares))
    else:
        assert h.cross_border_share is None


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_by_country_matches_the_reference(registry, raw, f):
    """Per country in list order: members, population, share, projects, participations, areas."""
    ref = reference_view(raw, f)
    members = ref["members"]
    country = dict(zip(raw["members"]["id"], raw["members"]["country_id"], strict=True))
    area = {p: row.area_id for p, row in ref["projects"].items()}
    projects, rows, per_area = defaultdict(set), Counter(), defaultdict(set)
    for p, member, _ in ref["parts"]:
        projects[country[member]].add(p)
        rows[country[member]] += 1
        per_area[(country[member], area[p])].add(p)
    # The assembly's list order: by the country's first list group, then as first listed.
    first_group = members.groupby("country_id")["group"].min()
    order = sorted(dict.fromkeys(members["country_id"]), key=lambda c: first_group[c])
    table = agg.by_country(apply_filter(registry, f))
    assert list(table["id"]) == order
    total = len(raw["members"])
    for row in table.itertuples():
        mine = members[members["country_id"] == row.id]
        assert (row.members, row.population) == (len(mine), int(mine["population"].sum()))
        assert row.share_of_membership == pytest.approx(len(mine) / total)
        assert (row.projects, row.participations) == (len(projects[row.id]), rows[row.id])
        for a in raw["areas"]["id"]:
            assert table.loc[row.Index, f"area:{a}"] == len(per_area[(row.id, a)])


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_by_area_and_by_year_match_the_reference(registry, raw, f):
    """Per area: projects, cross-border, participations, status split; per year × area."""
    ref = reference_view(raw, f)
    view = apply_filter(registry, f)
    by_area = agg.by_area(view).set_index("id")
    area = {p: row.area_id for p, row in ref["projects"].items()}
    for a in raw["areas"]["id"]:
        mine = [p for p, x in area.items() if x == a]
        expected = {
            "projects": len(mine),
            "cross_border": sum(ref["cross_border"][p] for p in mine),
            "participations": sum(1 for p, _, _ in ref["parts"] if area[p] == a),
            **{s: sum(ref["projects"][p].status == s for p in mine) for s in STATUSES},
        }
        assert by_area.loc[a, list(expected)].to_dict() == expected
    lo, hi = f.years or registry.year_bounds
    years = agg.by_year(view)
    counts = Counter((row.year, row.area_id) for row in ref["projects"].values())
    expected = {(y, a): counts[(y, a)] for y in range(lo, hi + 1) for a in raw["areas"]["id"]}
    got = {(int(r.year), str(r.area_id)): int(r.projects) for r in years.itertuples()}
    assert got == (expected if ref["projects"] else {})


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_by_city_matches_the_reference(registry, raw, f):
    """Per member city of the view: distinct projects, projects led, projects per area."""
    ref = reference_view(raw, f)
    area = {p: row.area_id for p, row in ref["projects"].items()}
    projects, led, per_area = defaultdict(set), Counter(), defaultdict(set)
    for p, member, role in ref["parts"]:
        projects[member].add(p)
        led[member] += role == "lead"
        per_area[(member, area[p])].add(p)
    table = agg.by_city(apply_filter(registry, f))
    assert sorted(table["id"]) == sorted(ref["members"]["id"])
    for row in table.itertuples():
        assert (row.projects, row.led) == (len(projects[row.id]), led[row.id])
        for a in raw["areas"]["id"]:
            assert table.loc[row.Index, f"area:{a}"] == len(per_area[(row.id, a)])


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_partner_links_match_the_reference(registry, raw, f):
    """Every pair of cities sharing projects with its count, heaviest first, ties by ids."""
    ref = reference_view(raw, f)
    by_project = defaultdict(list)
    for p, member, _ in ref["parts"]:
        by_project[p].append(member)
    pairs = Counter(
        pair for cities in by_project.values() for pair in itertools.combinations(sorted(cities), 2)
    )
    expected = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
    links = agg.partner_links(apply_filter(registry, f))
    got = list(
        zip(
            zip(links["member_id_a"], links["member_id_b"], strict=True),
            links["weight"],
            strict=True,
        )
    )
    assert got == expected
    top = agg.partner_links(apply_filter(registry, f), max_links=25)
    assert list(top["weight"]) == [w for _, w in expected[:25]]


@pytest.mark.parametrize("f", FILTERS[:4], ids=IDS[:4])
@pytest.mark.parametrize("limit", [1, 7, 25, 400])
def test_heaviest_links_are_the_head_of_the_full_list(registry, f, limit):
    """``max_links`` picks the heaviest links without sorting all of them: the same pairs, in
    the same order (ties by ids), as the head of the full list."""
    view = apply_filter(registry, f)
    full = agg.partner_links(view)
    top = agg.partner_links(view, max_links=limit)
    pd.testing.assert_frame_equal(top, full.head(limit).reset_index(drop=True))


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
@pytest.mark.parametrize("city", ["moscow", "minsk", "syn-00100"])
def test_city_partners_match_the_reference(registry, raw, f, city):
    """A city's partners with the projects it shares with each, most first, ties by id."""
    ref = reference_view(raw, f)
    by_project = defaultdict(set)
    for p, member, _ in ref["parts"]:
        by_project[p].add(member)
    shared = Counter(
        other for cities in by_project.values() if city in cities for other in cities - {city}
    )
    expected = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))
    got = agg.city_partner_counts(apply_filter(registry, f), city)
    assert list(zip(got["id"], got["shared"], strict=True)) == expected


@pytest.mark.parametrize(
    "f",
    [Filter(), Filter(macro_regions=("central_asia",)), Filter(countries=("russia", "belarus"))],
)
def test_geo_labels_match_the_reference(registry, raw, f):
    """The options of each level are the values of the members the levels above allow, in
    register order, with their labels."""
    from mag_data.query.filters import geo_labels

    m = raw["members"].sort_values("order")
    keep = pd.Series(True, index=m.index)
    if f.macro_regions:
        keep &= m["macro_region_id"].isin(f.macro_regions)
    if f.countries:
        keep &= m["country_id"].isin(f.countries)
    allowed = m[keep]
    countries = geo_labels(registry, f.with_(countries=()), "countries", "en")
    above = m[m["macro_region_id"].isin(f.macro_regions)] if f.macro_regions else m
    assert list(countries) == list(dict.fromkeys(above["country_id"]))
    assert list(countries.values()) == list(above.drop_duplicates("country_id")["country_en"])
    cities = geo_labels(registry, f, "cities", "ru")
    assert list(cities) == list(allowed["id"])
    assert list(cities.values()) == list(allowed["name_ru"])


def test_participations_of_projects_come_from_the_index(registry):
    """``parts_of_projects`` returns exactly the participation rows of the given projects."""
    index = registry.index
    parts = registry.participations
    projects = [0, 5, 5, 17, len(registry.projects) - 1]
    rows = index.parts_of_projects(pd.Series(projects).to_numpy())
    got = Counter(parts["project_id"].astype(str).iloc[rows])
    ids = registry.projects["id"].astype(str)
    expected = Counter(
        p for pid in projects for p in parts["project_id"].astype(str) if p == ids.iloc[pid]
    )
    assert got == expected


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_top_cities_are_the_head_of_by_city(registry, f):
    """The top cities (computed for a few rows only) carry the same numbers as ``by_city``."""
    view = apply_filter(registry, f)
    cities = agg.by_city(view).set_index("id")
    for area in (None, "social"):
        top = agg.top_cities(view, n=7, area_id=area)
        col = "projects" if area is None else f"area:{area}"
        ranked = cities[cities[col] > 0].assign(order=range(int((cities[col] > 0).sum())))
        expected = ranked.sort_values([col, "order"], ascending=[False, True]).head(7)
        assert list(top["id"]) == list(expected.index)
        for column in ("projects", "led", col):
            assert list(top[column]) == list(expected[column]), column
        assert list(top["value"]) == list(expected[col])
