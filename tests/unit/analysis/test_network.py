"""Cooperation network measures on small hand-built registers with answers worked out by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from factories import MEMBER_HEADER, PARTICIPANT_HEADER, PROJECT_HEADER, csv_text, write_register
from geopy.distance import geodesic

from mag_data import load_registry
from mag_data.analysis import network
from mag_data.i18n import t
from mag_data.present import charts
from mag_data.present.charts.base import title_lines
from mag_data.query.filters import Filter, apply_filter

# country id → (ru, en, ISO, macro-region id, ru, en): consistent per country, as the loader checks.
COUNTRIES = {
    "russia": ("Россия", "Russia", "RU", "russia", "Россия", "Russia"),
    "belarus": (
        "Беларусь",
        "Belarus",
        "BY",
        "eastern_europe",
        "Восточная Европа",
        "Eastern Europe",
    ),
}


def member_row(member_id: str, country: str, position: int) -> str:
    """A member of ``country`` at a distinct point (positions 1, 2, … step 1° east)."""
    c_ru, c_en, iso, region, r_ru, r_en = COUNTRIES[country]
    lon = 30 + position
    return (
        f"{member_id},{member_id},{member_id.title()},{country},{c_ru},{c_en},{iso},{region},"
        f"{r_ru},{r_en},1,{position},,{member_id},{member_id},,,55.0,{lon},1000,2021,test,false,,,,,,test"
    )


def register(
    tmp_path: Path,
    members: list[tuple[str, str]],
    edges: list[tuple[str, str]],
    area: str = "social",
):
    """A register whose projects are ``edges`` (one two-city project each, a repeated pair = two
    shared projects); ``members`` are (id, country) in register order."""
    member_rows = [member_row(m, c, i) for i, (m, c) in enumerate(members, start=1)]
    project_rows, participant_rows = [], []
    for i, (a, b) in enumerate(edges, start=1):
        project_rows.append(f"E{i},Проект {i},Project {i},{area},,completed,2010-01-01,,,,true")
        participant_rows += [f"E{i},{a},lead", f"E{i},{b},partner"]
    folder = write_register(
        tmp_path / "data",
        **{
            "members.csv": csv_text(MEMBER_HEADER, member_rows),
            "projects.csv": csv_text(PROJECT_HEADER, project_rows),
            "participants.csv": csv_text(PARTICIPANT_HEADER, participant_rows),
            "aliases.csv": "member_id,alias,lang\n",
        },
    )
    return load_registry(folder)


def indicators(registry, f: Filter | None = None) -> pd.DataFrame:
    view = apply_filter(registry, f or Filter())
    return network.city_indicators(network.cooperation_graph(view), view.members).set_index("id")


def test_star_centre_has_every_partner_and_full_betweenness(tmp_path):
    """A star of 5: the centre has 4 partners and normalised betweenness 1.0, the leaves 0."""
    ids = ["hub", "l1", "l2", "l3", "l4"]
    reg = register(tmp_path, [(i, "russia") for i in ids], [("hub", x) for x in ids[1:]])
    ind = indicators(reg)
    assert ind.loc["hub", "degree"] == 4
    assert ind.loc["hub", "betweenness"] == pytest.approx(1.0)
    assert list(ind.loc[ids[1:], "degree"]) == [1, 1, 1, 1]
    assert list(ind.loc[ids[1:], "betweenness"]) == [0.0] * 4


def test_chain_middle_nodes_carry_the_shortest_paths(tmp_path):
    """A chain a-b-c-d-e: b and d lie on 3 of the 6 pairs of others (0.5), c on 4 (2/3)."""
    ids = ["a", "b", "c", "d", "e"]
    reg = register(tmp_path, [(i, "russia") for i in ids], list(zip(ids, ids[1:], strict=False)))
    ind = indicators(reg)
    assert list(ind.loc[ids, "betweenness"]) == pytest.approx([0, 0.5, 2 / 3, 0.5, 0])
    assert list(ind.loc[ids, "degree"]) == [1, 2, 2, 2, 1]


@pytest.fixture
def two_cliques(tmp_path):
    """Two groups of four cities, all linked inside (Russia / Belarus), joined by a1–b1; plus a
    city with no project at all."""
    a = ["a1", "a2", "a3", "a4"]
    b = ["b1", "b2", "b3", "b4"]
    inside = [(x, y) for group in (a, b) for i, x in enumerate(group) for y in group[i + 1 :]]
    members = [(x, "russia") for x in a] + [(x, "belarus") for x in b] + [("lonely", "russia")]
    return register(tmp_path, members, [*inside, ("a1", "b1")])


def test_two_cliques_give_two_clusters_and_bridge_ends_lead_betweenness(two_cliques):
    """Greedy modularity finds the two groups; the bridge ends each lie on 12 of 28 pairs."""
    ind = indicators(two_cliques)
    assert set(ind.loc[["a1", "a2", "a3", "a4"], "cluster"]) == {1}
    assert set(ind.loc[["b1", "b2", "b3", "b4"], "cluster"]) == {2}
    top = ind["betweenness"].sort_values(ascending=False)
    assert set(top.index[:2]) == {"a1", "b1"}
    # 9 nodes: (n-1)(n-2)/2 = 28 pairs of other nodes; 4 × 3 of them cross the bridge.
    assert ind.loc["a1", "betweenness"] == pytest.approx(12 / 28)
    assert ind.loc["a2", "betweenness"] == 0.0
    assert (ind.loc["a1", "domestic_partners"], ind.loc["a1", "cross_border_partners"]) == (3, 1)
    assert (ind.loc["a2", "domestic_partners"], ind.loc["a2", "cross_border_partners"]) == (3, 0)


def test_isolated_member_is_a_node_without_cluster(two_cliques):
    """A member with no project stays in the graph: degree 0, no cluster, listed as left out."""
    view = apply_filter(two_cliques, Filter())
    graph = network.cooperation_graph(view)
    assert graph.number_of_nodes() == 9 and graph.number_of_edges() == 13
    ind = network.city_indicators(graph, view.members).set_index("id")
    assert ind.loc["lonely", "degree"] == 0
    assert pd.isna(ind.loc["lonely", "cluster"])
    assert list(network.left_out(view)["id"]) == ["lonely"]


def test_clusters_are_numbered_the_same_on_every_run(two_cliques):
    """Cluster numbers do not depend on the run (largest first, then register order)."""
    first = indicators(two_cliques)["cluster"]
    for _ in range(3):
        assert indicators(two_cliques)["cluster"].equals(first)


def test_betweenness_treats_strong_ties_as_short_paths(tmp_path):
    """a–b share 1 project, a–c and c–b share 3: the weighted shortest a→b path runs through c
    (1/3 + 1/3 < 1), so c has betweenness 1.0; unweighted it has 0."""
    reg = register(
        tmp_path,
        [("a", "russia"), ("b", "russia"), ("c", "russia")],
        [("a", "b"), *[("a", "c")] * 3, *[("c", "b")] * 3],
    )
    view = apply_filter(reg, Filter())
    graph = network.cooperation_graph(view)
    assert graph["a"]["c"]["weight"] == 3 and graph["a"]["c"]["distance"] == pytest.approx(1 / 3)
    weighted = network.city_indicators(graph, view.members).set_index("id")
    plain = network.city_indicators(graph, view.members, weighted=False).set_index("id")
    assert weighted.loc["c", "betweenness"] == pytest.approx(1.0)
    assert plain.loc["c", "betweenness"] == 0.0
    assert list(weighted.loc[["a", "b", "c"], "weighted_degree"]) == [4, 4, 6]


def test_indicators_on_the_tiny_register(tiny):
    """Partners and shared projects per city, worked out from the four tiny projects."""
    ind = indicators(tiny)
    assert list(ind.index) == ["minsk", "msk", "kazan", "almaty"]  # register order
    assert list(ind["degree"]) == [3, 2, 3, 2]
    assert list(ind["weighted_degree"]) == [4, 2, 3, 3]
    assert list(ind["domestic_partners"]) == [0, 1, 1, 0]
    assert list(ind["cross_border_partners"]) == [3, 1, 2, 2]


@pytest.mark.parametrize(
    "f,links,cross,domestic",
    [
        (Filter(), 5, 4, 1),
        (Filter(areas=("social",)), 1, 0, 1),
        (Filter(areas=("trade_economic",)), 4, 4, 0),
        (Filter(countries=("russia",)), 1, 0, 1),
        (Filter(statuses=("completed",)), 2, 2, 0),
    ],
    ids=["all", "social", "trade", "russia", "completed"],
)
def test_link_summary_follows_the_filter(tiny, f, links, cross, domestic):
    """Links, cross-border and domestic links of the tiny register under several filters."""
    summary = network.link_summary(network.link_table(apply_filter(tiny, f)))
    assert (summary.links, summary.cross_border, summary.domestic) == (links, cross, domestic)


def test_link_table_names_flags_and_distances(tiny):
    """Heaviest link first, both cities named, border flag, geodesic km from geopy."""
    links = network.link_table(apply_filter(tiny, Filter()))
    first = links.iloc[0]
    assert (first["member_id_a"], first["member_id_b"], first["weight"]) == ("almaty", "minsk", 2)
    assert (first["name_en_a"], first["name_ru_b"], bool(first["cross_border"])) == (
        "Almaty",
        "Минск",
        True,
    )
    expected = geodesic((43.25, 76.91667), (53.9, 27.56667)).km
    assert first["distance_km"] == pytest.approx(expected)
    domestic = links[~links["cross_border"]]
    assert list(zip(domestic["member_id_a"], domestic["member_id_b"], strict=True)) == [
        ("kazan", "msk")
    ]
    summary = network.link_summary(links)
    assert (summary.cross_border_projects, summary.domestic_projects) == (5, 1)


def test_empty_link_summary_is_all_zero(tiny):
    """No projects under the filter: no links, zero counts, every member left out."""
    view = apply_filter(tiny, Filter(years=(2040, 2041)))
    links = network.link_table(view)
    assert links.empty
    assert network.link_summary(links) == network.LinkSummary(0, 0, 0, 0, 0)
    assert list(network.left_out(view)["id"]) == ["minsk", "msk", "kazan", "almaty"]


@pytest.mark.parametrize(
    "f,expected",
    [
        (Filter(), []),
        (Filter(areas=("social",)), [("minsk", 3, 2027), ("almaty", 2, 2027)]),
        (
            Filter(countries=("russia",), areas=("science_technology",)),
            [("msk", 2, 2010), ("kazan", 2, 2027)],
        ),
        (Filter(years=(2001, 2005)), [("kazan", 2, 2027)]),
    ],
    ids=["all", "social", "russia-science", "years-2001-2005"],
)
def test_left_out_lists_members_without_projects(tiny, f, expected):
    """Members of the view with no project under the filter, with their all-time record."""
    out = network.left_out(apply_filter(tiny, f))
    got = list(
        zip(out["id"], out["projects_total"], out["last_start_year"].astype(int), strict=True)
    )
    assert got == expected


def test_layout_positions_are_reproducible(tiny):
    """Spring layout is seeded: the same positions on every call; geo uses lon/lat."""
    graph = network.cooperation_graph(apply_filter(tiny, Filter()))
    first = network.layout_positions(graph, seed=3)
    assert first.equals(network.layout_positions(graph, seed=3))
    geo = network.layout_positions(graph, how="geo").set_index("id")
    assert tuple(geo.loc["msk"]) == pytest.approx((37.61781, 55.75204))


def test_hubs_table_sorts_by_partners_with_translated_headers(tiny):
    """Most partners first (ties: more shared projects, then register order); ru/en headers."""
    ind = indicators(tiny).reset_index()
    table = network.hubs_table(ind, "en")
    assert list(table[t("col.city", "en")]) == ["Minsk", "Kazan", "Almaty", "Moscow"]
    assert t("net.col.betweenness", "en") in table.columns
    ru = network.hubs_table(ind, "ru")
    assert list(ru.columns)[2] == "Партнёров"


def test_network_chart_sizes_nodes_by_degree_and_hides_axes(tiny):
    """One node trace per country coloured from the palette, edges split cross-border/domestic,
    hidden axes, a title and alt text."""
    view = apply_filter(tiny, Filter())
    graph = network.cooperation_graph(view)
    nodes = network.city_indicators(graph, view.members).merge(
        network.layout_positions(graph), on="id"
    )
    fig = charts.network_chart(nodes, network.link_table(view), "en")
    node_traces = [tr for tr in fig.data if tr.mode == "markers"]
    edge_traces = [tr for tr in fig.data if tr.mode == "lines"]
    assert {tr.name for tr in node_traces} == {"Russia", "Belarus", "Kazakhstan"}
    russia = next(tr for tr in node_traces if tr.name == "Russia")
    assert russia.marker.color == "#1f4e9c"
    # Moscow (2 partners) is drawn smaller than Kazan (3 partners).
    sizes = dict(zip(russia.customdata[:, -1], russia.marker.size, strict=True))
    assert sizes["msk"] < sizes["kazan"]
    assert {tr.name for tr in edge_traces} == {"Cross-border links", "Domestic links"}
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.title.text == "Cooperation network: 4 cities, 5 links"
    assert "Minsk (3)" in charts.alt_text(fig)
    capped = charts.network_chart(nodes, network.link_table(view), "en", max_links=2)
    drawn = [tr for tr in capped.data if tr.mode == "lines"]
    assert sum(len(tr.x) // 3 for tr in drawn) == 2  # each link: two points and a gap
    assert capped.layout.title.text == "Cooperation network: 4 cities, 5 links"
    # The names in one trace drawn last (over every node), without hover or legend entry.
    names = fig.data[-1]
    assert names.mode == "text" and names.hoverinfo == "skip" and names.showlegend is False
    assert set(names.text) <= {"Minsk", "Kazan", "Almaty", "Moscow"} and len(names.text)


def test_network_names_only_where_they_have_room():
    """Best connected first; a name whose box would overlap one already shown (at the drawing
    width the graph has on a projector) is left to the hover card; ``n`` caps the names."""
    from mag_data.present.charts.network import _spaced_labels

    names = np.array(["Москва", "Химки", "Владивосток", "Минск", "Казань"], dtype=object)
    x = np.array([0.0, 0.02, 1.0, 0.0, 0.5])
    y = np.array([0.0, 0.0, 1.0, 0.3, 0.0])
    # Химки sits next to Москва (overlap), Минск right above it (room), the rest far away.
    assert _spaced_labels([0, 1, 2, 3, 4], x, y, 8, names) == {0, 2, 3, 4}
    assert _spaced_labels([1, 0, 2, 3, 4], x, y, 8, names) == {1, 2, 3, 4}
    assert _spaced_labels([0, 1, 2, 3, 4], x, y, 2, names) == {0, 2}
    # Side by side: names as wide as they are long need that much room apart.
    close = np.array([0.0, 0.1, 1.0]), np.zeros(3)
    assert _spaced_labels([0, 1, 2], *close, 8, names[[2, 2, 0]]) == {0, 2}


def test_network_map_draws_links_with_its_own_title(tiny):
    """The link map reuses the member map: line traces for links, its own title and alt text."""
    from mag_data.query import aggregations as agg

    view = apply_filter(tiny, Filter())
    fig = charts.network_map(agg.by_city(view), network.link_table(view), "ru")
    lines = [tr for tr in fig.data if tr.mode == "lines"]
    assert sum((len(tr.lat) // 3) for tr in lines) == 5
    assert fig.layout.title.text == title_lines(t("net.map.title", "ru"))
    assert "связей — 5" in charts.alt_text(fig)
    capped = charts.network_map(agg.by_city(view), network.link_table(view), "ru", max_links=2)
    assert sum((len(tr.lat) // 3) for tr in capped.data if tr.mode == "lines") == 2
    assert "связей — 5" in charts.alt_text(capped)  # the alt text still counts every link
    empty = charts.network_chart(pd.DataFrame(columns=["id"]), pd.DataFrame(), "ru")
    assert charts.alt_text(empty) == t("app.empty", "ru")


def test_a_graph_too_large_for_the_spring_layout_is_placed_by_geography():
    """Above SPRING_MAX_NODES cities the force-directed layout (which would need scipy and
    minutes) is not computed: the positions are the cities' longitudes and latitudes."""
    import networkx as nx

    from mag_data.analysis import network

    graph = nx.path_graph(network.SPRING_MAX_NODES + 1)
    for node in graph.nodes:
        graph.nodes[node].update(lon=30.0 + node / 100, lat=50.0 + node / 200)
    positions = network.layout_positions(graph, how="spring")
    assert list(positions["x"]) == [30.0 + n / 100 for n in graph.nodes]
    assert list(positions["y"]) == [50.0 + n / 200 for n in graph.nodes]
    small = nx.path_graph(5)
    for node in small.nodes:
        small.nodes[node].update(lon=0.0, lat=0.0)
    assert network.layout_positions(small, how="spring")["x"].abs().max() > 0  # a real layout


def test_a_large_network_is_estimated_and_still_finds_its_clusters_and_bridge():
    """Above EXACT_MAX_NODES cities betweenness is sampled and clusters come from Louvain:
    two cliques joined by one link are still two clusters, the bridge ends still lead."""
    import networkx as nx

    from mag_data.analysis import network

    size = network.EXACT_MAX_NODES // 2 + 1
    graph = nx.Graph()
    for side in ("a", "b"):
        names = [f"{side}{i:03d}" for i in range(size)]
        graph.add_nodes_from(names, country_id=side)
        graph.add_edges_from(
            (x, y, {"weight": 1, "distance": 1.0})
            for i, x in enumerate(names)
            for y in names[i + 1 :]
        )
    graph.add_edge("a000", "b000", weight=1, distance=1.0)
    assert network.is_estimated(graph.number_of_nodes())
    clusters = network._clusters(graph)
    assert {clusters[f"a{i:03d}"] for i in range(size)} == {clusters["a000"]}
    assert {clusters[f"b{i:03d}"] for i in range(size)} == {clusters["b000"]}
    assert clusters["a000"] != clusters["b000"]
    betweenness = nx.betweenness_centrality(
        graph, k=network.BETWEENNESS_SAMPLE, weight="distance", normalized=True, seed=network.SEED
    )
    top = sorted(betweenness, key=betweenness.get, reverse=True)[:2]
    assert set(top) == {"a000", "b000"}
