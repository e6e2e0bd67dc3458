"""The cooperation network: member cities as nodes, shared projects as weighted edges.

Every graph measure comes from networkx. ``cooperation_graph(view)`` builds the graph of a
filtered ``View``; ``city_indicators`` gives per-city degree, weighted degree, betweenness,
cluster and domestic/cross-border partner counts; ``link_table`` and ``link_summary`` describe the
links; ``left_out`` lists the members with no project under the filter.

Betweenness is weighted: a link's length is ``1 / weight`` (``distance`` edge attribute), so a
chain of cities that share many projects counts as a short path and the hubs are the cities that
sit between strongly tied partners. With every weight equal to 1 it is the plain unweighted
measure. Pass ``weighted=False`` to ``city_indicators`` for the unweighted count.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd
from networkx.algorithms.community import greedy_modularity_communities

from mag_data.analysis import geo
from mag_data.i18n import t
from mag_data.query.aggregations import partner_links
from mag_data.query.filters import View

# Member columns copied onto nodes (and onto the indicator and left-out frames).
NODE_COLUMNS = (
    "name_ru",
    "name_en",
    "country_id",
    "country_ru",
    "country_en",
    "macro_region_id",
    "population",
    "lat",
    "lon",
)
INDICATOR_COLUMNS = (
    "degree",
    "weighted_degree",
    "betweenness",
    "cluster",
    "domestic_partners",
    "cross_border_partners",
)


def _member_records(members: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in NODE_COLUMNS if c in members.columns]
    return members[["id", *cols]].assign(id=members["id"].astype(str)).reset_index(drop=True)


def graph_from_links(members: pd.DataFrame, links: pd.DataFrame) -> nx.Graph:
    """Graph with one node per member (register order, attributes from ``members``) and one edge
    per link (``member_id_a``, ``member_id_b``, ``weight``); ``distance`` = 1 / weight."""
    graph = nx.Graph()
    for record in _member_records(members).to_dict("records"):
        node = record.pop("id")
        graph.add_node(node, **record)
    known = set(graph.nodes)
    for a, b, w in zip(
        links["member_id_a"].astype(str),
        links["member_id_b"].astype(str),
        links["weight"].astype(int),
        strict=True,
    ):
        if a in known and b in known:
            graph.add_edge(a, b, weight=int(w), distance=1.0 / int(w))
    return graph


def cooperation_graph(view: View) -> nx.Graph:
    """The view's cooperation network: nodes are the view's members (isolated ones included),
    edge weight is the number of projects of the view that both cities take part in."""
    return graph_from_links(view.members, partner_links(view))


# Above this many cities, exact betweenness and greedy modularity take minutes (a 1,000-city,
# 100,000-link graph: ~2 min); betweenness is then estimated from BETWEENNESS_SAMPLE source
# cities and clusters come from the Louvain method, both seeded (~5 s there). Every register of
# today's size is computed exactly.
EXACT_MAX_NODES = 300
BETWEENNESS_SAMPLE = 32
SEED = 7


def is_estimated(n_nodes: int) -> bool:
    """True when betweenness and clusters of a graph of ``n_nodes`` cities are estimated
    (see EXACT_MAX_NODES)."""
    return n_nodes > EXACT_MAX_NODES


def _clusters(graph: nx.Graph) -> dict[str, int]:
    """Cluster number (1 = largest) of every node that has a partner, from networkx's greedy
    modularity communities on the weighted graph (Louvain, seeded, above EXACT_MAX_NODES).
    Deterministic; clusters are numbered by size, then by their first member in register order."""
    linked = graph.subgraph([n for n in graph.nodes if graph.degree(n) > 0])
    if linked.number_of_edges() == 0:
        return {}
    order = {node: i for i, node in enumerate(graph.nodes)}
    if is_estimated(graph.number_of_nodes()):
        communities = nx.community.louvain_communities(linked, weight="weight", seed=SEED)
    else:
        communities = greedy_modularity_communities(linked, weight="weight")
    ranked = sorted(communities, key=lambda c: (-len(c), min(order[n] for n in c)))
    return {node: i for i, community in enumerate(ranked, start=1) for node in community}


def city_indicators(graph: nx.Graph, members: pd.DataFrame, weighted: bool = True) -> pd.DataFrame:
    """One row per member city (in the order of ``members``) with the member columns plus:

    ``degree`` (partner cities), ``weighted_degree`` (sum of shared projects over partners),
    ``betweenness`` (networkx, normalised 0..1; path length 1/weight when ``weighted``;
    estimated from a sample of cities above ``EXACT_MAX_NODES``),
    ``cluster`` (greedy modularity community number, <NA> for a city without partners),
    ``domestic_partners`` and ``cross_border_partners`` (partners in the same / another country).
    Cities of ``members`` missing from the graph get zeros.
    """
    base = _member_records(members)
    betweenness = nx.betweenness_centrality(
        graph,
        k=BETWEENNESS_SAMPLE if is_estimated(graph.number_of_nodes()) else None,
        weight="distance" if weighted else None,
        normalized=True,
        seed=SEED,
    )
    clusters = _clusters(graph)
    country = nx.get_node_attributes(graph, "country_id")
    rows = []
    for node in base["id"]:
        if node not in graph:
            rows.append(dict.fromkeys(INDICATOR_COLUMNS, 0) | {"cluster": pd.NA})
            continue
        partners = list(graph.neighbors(node))
        domestic = sum(1 for p in partners if country.get(p) == country.get(node))
        rows.append(
            {
                "degree": graph.degree(node),
                "weighted_degree": graph.degree(node, weight="weight"),
                "betweenness": float(betweenness.get(node, 0.0)),
                "cluster": clusters.get(node, pd.NA),
                "domestic_partners": domestic,
                "cross_border_partners": len(partners) - domestic,
            }
        )
    measures = pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS), index=base.index)
    measures = measures.astype(
        {
            "degree": "int64",
            "weighted_degree": "int64",
            "betweenness": "float64",
            "cluster": "Int64",
            "domestic_partners": "int64",
            "cross_border_partners": "int64",
        }
    )
    return pd.concat([base, measures], axis=1)


def link_table(view: View) -> pd.DataFrame:
    """The view's partner links (heaviest first) with both cities' names and countries, the
    geodesic distance in km and ``cross_border`` (the two cities are in different countries)."""
    links = partner_links(view)
    members = _member_records(view.registry.members).set_index("id")
    cols = ["name_ru", "name_en", "country_id", "country_ru", "country_en", "lat", "lon"]
    a = members.reindex(links["member_id_a"])[cols].reset_index(drop=True).add_suffix("_a")
    b = members.reindex(links["member_id_b"])[cols].reset_index(drop=True).add_suffix("_b")
    out = pd.concat([links.reset_index(drop=True), a, b], axis=1)
    km = [
        geo.distance_km((la, loa), (lb, lob))
        for la, loa, lb, lob in zip(
            out["lat_a"], out["lon_a"], out["lat_b"], out["lon_b"], strict=True
        )
    ]
    out = out.assign(
        cross_border=(out["country_id_a"].astype(str) != out["country_id_b"].astype(str)),
        distance_km=pd.Series(km, index=out.index, dtype="float64"),
    )
    return out.drop(columns=["lat_a", "lon_a", "lat_b", "lon_b"])


@dataclass(frozen=True)
class LinkSummary:
    """How many partner links there are and how many cross a national border."""

    links: int
    cross_border: int
    domestic: int
    cross_border_projects: int  # sum of weights over cross-border links
    domestic_projects: int


def link_summary(links: pd.DataFrame) -> LinkSummary:
    """Counts of a ``link_table``: links, cross-border and domestic links and their weights."""
    cross = links["cross_border"].astype(bool) if len(links) else pd.Series(dtype=bool)
    weight = links["weight"] if len(links) else pd.Series(dtype="int64")
    return LinkSummary(
        links=len(links),
        cross_border=int(cross.sum()),
        domestic=int((~cross).sum()),
        cross_border_projects=int(weight[cross].sum()),
        domestic_projects=int(weight[~cross].sum()),
    )


def left_out(view: View) -> pd.DataFrame:
    """Members of the view with no project under the filter (period, area, status), in register
    order, with ``projects_total`` (their projects in the whole register) and
    ``last_start_year`` (start year of their latest project, <NA> if none)."""
    active = set(view.participations["member_id"].astype(str))
    members = _member_records(view.members)
    out = members[~members["id"].isin(active)].reset_index(drop=True)
    parts = view.registry.participations
    ids = parts["member_id"].astype(str)
    totals = parts["project_id"].groupby(ids).nunique()
    last = parts["start_year"].groupby(ids).max()
    return out.assign(
        projects_total=out["id"].map(totals).fillna(0).astype("int64"),
        last_start_year=out["id"].map(last).astype("Int64"),
    )


# Above this many cities the force-directed layout is not drawn (networkx would need scipy and
# minutes of CPU, and thousands of nodes make a hairball anyway): the geographic one is used.
SPRING_MAX_NODES = 500


def spring_fits(n_nodes: int) -> bool:
    """True when the force-directed layout is drawn for a graph of ``n_nodes`` cities (see
    SPRING_MAX_NODES)."""
    return n_nodes <= SPRING_MAX_NODES


def layout_positions(graph: nx.Graph, how: str = "spring", seed: int = 7) -> pd.DataFrame:
    """Node positions for the network chart: ``spring`` (networkx force-directed layout on the
    shared-project weights, seeded so it is the same on every run) or ``geo`` (lon/lat); a graph
    too large for the spring layout (``spring_fits``) gets the geographic positions."""
    nodes = list(graph.nodes)
    if how == "geo" or not spring_fits(len(nodes)):
        lon = nx.get_node_attributes(graph, "lon")
        lat = nx.get_node_attributes(graph, "lat")
        xy = {n: (float(lon[n]), float(lat[n])) for n in nodes}
    elif nodes:
        # k (ideal link length) twice networkx's default 1/√n: a dense graph spreads out more.
        pos = nx.spring_layout(graph, k=2.0 / len(nodes) ** 0.5, weight="weight", seed=seed)
        xy = {n: (float(pos[n][0]), float(pos[n][1])) for n in nodes}
    else:
        xy = {}
    return pd.DataFrame(
        {"id": nodes, "x": [xy[n][0] for n in nodes], "y": [xy[n][1] for n in nodes]}
    )


def placed_indicators(indicators: pd.DataFrame, positions: pd.DataFrame) -> pd.DataFrame:
    """The city indicators with each city's position in the chosen layout: ``city_indicators``'
    columns plus ``x``, ``y`` (from ``layout_positions``); cities without a position are left out."""
    return indicators.merge(positions, on="id")


def hubs_table(indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """City indicators for display and export, headers in ``lang``, most partners first (ties by
    register order). Betweenness is shown in % of shortest paths."""
    order = indicators.assign(_order=range(len(indicators))).sort_values(
        ["degree", "weighted_degree", "_order"], ascending=[False, False, True], kind="stable"
    )
    return pd.DataFrame(
        {
            t("col.city", lang): order[f"name_{lang}"].astype(str).to_numpy(),
            t("col.country", lang): order[f"country_{lang}"].astype(str).to_numpy(),
            t("net.col.degree", lang): order["degree"].to_numpy(),
            t("net.col.weighted_degree", lang): order["weighted_degree"].to_numpy(),
            t("net.col.betweenness", lang): (order["betweenness"] * 100).round(1).to_numpy(),
            t("net.col.cluster", lang): order["cluster"].to_numpy(),
            t("net.col.domestic", lang): order["domestic_partners"].to_numpy(),
            t("net.col.cross_border", lang): order["cross_border_partners"].to_numpy(),
        }
    )


def left_out_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ``left_out`` frame for display and export, headers in ``lang``."""
    return pd.DataFrame(
        {
            t("col.city", lang): frame[f"name_{lang}"].astype(str).to_numpy(),
            t("col.country", lang): frame[f"country_{lang}"].astype(str).to_numpy(),
            t("net.col.projects_total", lang): frame["projects_total"].to_numpy(),
            # A year is a label, not a quantity: text, so it is never shown as "2 021".
            t("net.col.last_year", lang): frame["last_start_year"]
            .astype("Int64")
            .astype("string")
            .fillna("")
            .to_numpy(),
        }
    )


def links_display_table(links: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ``link_table`` for display and export, headers in ``lang``."""
    yes, no = t("net.yes", lang), t("net.no", lang)
    return pd.DataFrame(
        {
            t("net.col.city_a", lang): links[f"name_{lang}_a"].astype(str).to_numpy(),
            t("net.col.city_b", lang): links[f"name_{lang}_b"].astype(str).to_numpy(),
            t("city.shared", lang): links["weight"].to_numpy(),
            t("net.col.link_cross_border", lang): [yes if c else no for c in links["cross_border"]],
            t("m.distance_km", lang): links["distance_km"].round(0).astype("int64").to_numpy(),
        }
    )
