"""Aggregations of a filtered ``View``: per country, macro-region, area, year and city.

Every function takes a View and returns a new tidy frame (ids, ru/en labels, numbers); none
mutates its input. "projects" always means distinct projects, "participations" (project, city) rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .filters import View

STATUS_ORDER = ("planned", "active", "completed")


@dataclass(frozen=True)
class Headline:
    """The headline figures of a view."""

    members: int
    countries: int
    population: int
    projects: int
    participations: int
    planned: int
    active: int
    completed: int
    cross_border_share: float | None  # share of projects with partners in 2+ countries


def headline(view: View) -> Headline:
    """Members, countries, population covered, projects by status, cross-border share."""
    status = view.projects["status"].astype("string").value_counts()
    n_projects = len(view.projects)
    cross = float(view.projects["cross_border"].mean()) if n_projects else None
    return Headline(
        members=len(view.members),
        countries=int(view.members["country_id"].nunique()),
        population=int(view.members["population"].sum()),
        projects=n_projects,
        participations=len(view.participations),
        planned=int(status.get("planned", 0)),
        active=int(status.get("active", 0)),
        completed=int(status.get("completed", 0)),
        cross_border_share=cross,
    )


def _area_columns(view: View, by: str) -> pd.DataFrame:
    """Distinct projects per ``by`` × cooperation area, one column per area id (area order)."""
    parts = view.participations
    area_ids = list(view.registry.areas["id"].astype(str))
    if parts.empty:
        return pd.DataFrame(columns=[f"area:{a}" for a in area_ids])
    counts = (
        parts.drop_duplicates(["project_id", by])
        .groupby([by, "area_id"], observed=True)
        .size()
        .unstack("area_id", fill_value=0)
    )
    counts.columns = counts.columns.astype(str)
    counts = counts.reindex(columns=area_ids, fill_value=0)
    counts.columns = [f"area:{a}" for a in counts.columns]
    counts.index = counts.index.astype(str)
    return counts


def _by_geo(view: View, key: str, label: str, extra: list[str]) -> pd.DataFrame:
    members = view.members
    all_members = view.registry.members
    total = len(all_members)
    groups = members.assign(**{key: members[key].astype(str)}).groupby(key, sort=False)
    out = groups.agg(
        **{f"{label}_ru": (f"{label}_ru", "first"), f"{label}_en": (f"{label}_en", "first")},
        **{c: (c, "first") for c in extra},
        members=("id", "size"),
        population=("population", "sum"),
        order=("list_group", "min"),
    )
    out["share_of_membership"] = out["members"] / total if total else 0.0
    parts = view.participations.assign(**{key: view.participations[key].astype(str)})
    projects = parts.groupby(key, observed=True)["project_id"].nunique()
    participations = parts.groupby(key, observed=True).size()
    out["projects"] = projects.reindex(out.index, fill_value=0).astype("int64")
    out["participations"] = participations.reindex(out.index, fill_value=0).astype("int64")
    out = out.join(_area_columns(view, key), how="left").fillna(
        {c: 0 for c in out.columns if c.startswith("area:")}
    )
    for col in out.columns:
        if col.startswith("area:"):
            out[col] = out[col].fillna(0).astype("int64")
    out = out.sort_values("order", kind="stable").drop(columns="order")
    return (
        out.rename_axis("id")
        .reset_index()
        .assign(population=lambda d: d["population"].astype("int64"))
    )


def by_country(view: View) -> pd.DataFrame:
    """Per country (as the assembly lists them): members, population, share of the whole
    membership, distinct projects and participations, and distinct projects per area (area:*)."""
    return _by_geo(view, "country_id", "country", ["iso_code", "macro_region_id"])


def by_macro_region(view: View) -> pd.DataFrame:
    """Per macro-region: the same measures as ``by_country``."""
    return _by_geo(view, "macro_region_id", "macro_region", [])


def by_area(view: View) -> pd.DataFrame:
    """Per cooperation area: projects, participations, cross-border projects and share, status split."""
    areas = view.registry.areas[["id", "name_ru", "name_en"]].assign(
        id=lambda d: d["id"].astype(str)
    )
    projects = view.projects.assign(area_id=view.projects["area_id"].astype(str))
    grouped = projects.groupby("area_id")
    out = areas.set_index("id")
    out["projects"] = grouped.size().reindex(out.index, fill_value=0)
    out["cross_border"] = grouped["cross_border"].sum().reindex(out.index, fill_value=0)
    out["participations"] = (
        view.participations.groupby(view.participations["area_id"].astype(str))
        .size()
        .reindex(out.index, fill_value=0)
    )
    status = (
        projects.assign(status=projects["status"].astype(str))
        .groupby(["area_id", "status"])
        .size()
        .unstack("status", fill_value=0)
        .reindex(index=out.index, columns=list(STATUS_ORDER), fill_value=0)
    )
    out = out.join(status)
    out["cross_border_share"] = (out["cross_border"] / out["projects"]).where(out["projects"] > 0)
    int_cols = ["projects", "cross_border", "participations", *STATUS_ORDER]
    out[int_cols] = out[int_cols].astype("int64")
    return out.rename_axis("id").reset_index()


def by_year(view: View) -> pd.DataFrame:
    """Projects started per year and area, every year of the range present (zeros kept)."""
    area_ids = list(view.registry.areas["id"].astype(str))
    projects = view.projects
    if projects.empty:
        return pd.DataFrame(columns=["year", "area_id", "projects"])
    lo, hi = view.filter.years or view.registry.year_bounds
    counts = (
        projects.assign(
            year=projects["start_year"].astype("int64"), area_id=projects["area_id"].astype(str)
        )
        .groupby(["year", "area_id"])
        .size()
    )
    grid = pd.MultiIndex.from_product([range(lo, hi + 1), area_ids], names=["year", "area_id"])
    return counts.reindex(grid, fill_value=0).rename("projects").reset_index()


def by_status(view: View) -> pd.DataFrame:
    """Distinct projects per status, in status order."""
    counts = view.projects["status"].astype(str).value_counts()
    return pd.DataFrame(
        {"status": list(STATUS_ORDER), "projects": [int(counts.get(s, 0)) for s in STATUS_ORDER]}
    )


def by_city(view: View) -> pd.DataFrame:
    """Per member city in the view: projects, projects led, partner cities, projects per area."""
    members = view.members[
        [
            "id",
            "name_ru",
            "name_en",
            "country_id",
            "country_ru",
            "country_en",
            "population",
            "lat",
            "lon",
        ]
    ].assign(id=lambda d: d["id"].astype(str))
    parts = view.participations.assign(member_id=view.participations["member_id"].astype(str))
    grouped = parts.groupby("member_id")
    out = members.set_index("id")
    out["projects"] = grouped["project_id"].nunique().reindex(out.index, fill_value=0)
    out["led"] = (
        parts[parts["role"].astype(str) == "lead"]
        .groupby("member_id")
        .size()
        .reindex(out.index, fill_value=0)
    )
    out = out.join(_area_columns(view, "member_id"), how="left")
    for col in out.columns:
        if col.startswith("area:"):
            out[col] = out[col].fillna(0).astype("int64")
    out[["projects", "led"]] = out[["projects", "led"]].astype("int64")
    return out.rename_axis("id").reset_index()


def area_country_matrix(view: View) -> pd.DataFrame:
    """Distinct projects per (area, country) in long form, every pair present."""
    areas = list(view.registry.areas["id"].astype(str))
    countries = list(dict.fromkeys(view.members["country_id"].astype(str)))
    parts = view.participations
    counts = (
        parts.assign(
            area_id=parts["area_id"].astype(str), country_id=parts["country_id"].astype(str)
        )
        .drop_duplicates(["project_id", "country_id"])
        .groupby(["area_id", "country_id"])
        .size()
    )
    grid = pd.MultiIndex.from_product([areas, countries], names=["area_id", "country_id"])
    return counts.reindex(grid, fill_value=0).rename("projects").reset_index()


def top_cities(view: View, n: int = 10, area_id: str | None = None) -> pd.DataFrame:
    """The ``n`` cities with most distinct projects (in one area if given); ties by list order."""
    cities = by_city(view)
    col = "projects" if area_id is None else f"area:{area_id}"
    if col not in cities:
        return cities.head(0).assign(value=0)
    ranked = cities.assign(value=cities[col], order=range(len(cities)))
    ranked = ranked[ranked["value"] > 0].sort_values(["value", "order"], ascending=[False, True])
    return ranked.head(n).drop(columns="order").reset_index(drop=True)


def partner_links(view: View, max_links: int | None = None) -> pd.DataFrame:
    """Pairs of member cities in the view that share projects, with the number shared (weight).

    Pairs are unordered (a < b by id). ``max_links`` keeps the heaviest pairs only.
    """
    parts = view.participations[["project_id", "member_id"]].assign(
        project_id=lambda d: d["project_id"].astype(str),
        member_id=lambda d: d["member_id"].astype(str),
    )
    pairs = parts.merge(parts, on="project_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["member_id_a"] < pairs["member_id_b"]]
    links = (
        pairs.groupby(["member_id_a", "member_id_b"])
        .size()
        .rename("weight")
        .reset_index()
        .sort_values(["weight", "member_id_a", "member_id_b"], ascending=[False, True, True])
        .reset_index(drop=True)
    )
    if max_links is not None:
        links = links.head(max_links)
    return links
