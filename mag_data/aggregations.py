"""Aggregations of a filtered ``View``: per country, macro-region, area, year and city.

Every function takes a View and returns a new tidy frame (ids, ru/en labels, numbers); none
mutates its input. "projects" always means distinct projects, "participations" (project, city) rows.

Counting works on the integer codes of the categorical columns (``numpy.bincount``), never on
strings: at a million participations a string group-by costs seconds, the codes milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .filters import View

STATUS_ORDER = ("planned", "active", "completed")
# A project with more cities than this adds no partner links: an assembly-wide event would tie
# every member to every other (n² pairs) and say nothing about partnerships.
MAX_LINKED_CITIES = 1_000


def _codes(column: pd.Series, labels: bool = True) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 for missing) and the label (str) of each code, for any column
    (``labels=False`` skips the labels: an empty Index)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int64)  # int8 codes would overflow
        return codes, column.cat.categories.astype(str) if labels else pd.Index([])
    codes, uniques = pd.factorize(column, sort=True)
    return codes.astype(np.int64), pd.Index(uniques).astype(str) if labels else pd.Index([])


def _positions(labels: pd.Index, wanted: list[str]) -> np.ndarray:
    """For each label, its position in ``wanted`` (-1 when absent)."""
    return np.asarray(pd.Index(wanted).get_indexer(labels), dtype=np.int64)


def _value_counts(column: pd.Series) -> pd.Series:
    """Rows per value (str labels), without converting a large categorical column to strings."""
    codes, labels = _codes(column)
    counts = np.bincount(codes[codes >= 0], minlength=len(labels))
    return pd.Series(counts, index=labels)


def _counts_by(view: View, by: str) -> pd.DataFrame:
    """Per value of ``by`` (str index, only values with participations): distinct ``projects``,
    ``participations`` and distinct projects per cooperation area (``area:<id>``, area order)."""
    parts = view.participations
    area_ids = list(view.registry.areas["id"].astype(str))
    by_codes, labels = _codes(parts[by])
    project_codes, _ = _codes(parts["project_id"], labels=False)
    area_codes, area_labels = _codes(parts["area_id"])
    n = len(labels)
    valid = by_codes >= 0
    participations = np.bincount(by_codes[valid], minlength=n)
    # First row of each distinct (project, by) pair: a project counts once per country.
    pair = project_codes.astype(np.int64) * (n + 1) + (by_codes + 1)
    first = valid & ~pd.Series(pair).duplicated().to_numpy()
    projects = np.bincount(by_codes[first], minlength=n)
    area_pos = _positions(area_labels, area_ids)
    area = np.where(area_codes >= 0, area_pos[area_codes], -1) if len(area_pos) else area_codes
    ok = first & (area >= 0)
    per_area = np.bincount(
        by_codes[ok] * len(area_ids) + area[ok], minlength=n * len(area_ids)
    ).reshape(n, len(area_ids))
    out = pd.DataFrame(per_area, index=labels, columns=[f"area:{a}" for a in area_ids])
    out.insert(0, "participations", participations)
    out.insert(0, "projects", projects)
    return out[participations > 0].astype("int64")


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
    status = _value_counts(view.projects["status"])
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
    counts = _counts_by(view, key).reindex(out.index, fill_value=0)
    out = out.join(counts)
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
    area_ids = list(areas["id"])
    n = len(area_ids)
    projects = view.projects
    codes, labels = _codes(projects["area_id"])
    pos = np.where(codes >= 0, _positions(labels, area_ids)[codes], -1) if len(labels) else codes
    ok = pos >= 0
    status_codes, status_labels = _codes(projects["status"])
    status_pos = _positions(status_labels, list(STATUS_ORDER))
    status = (
        np.where(status_codes >= 0, status_pos[status_codes], -1)
        if len(status_labels)
        else status_codes
    )
    part_codes, part_labels = _codes(view.participations["area_id"])
    part_pos = _positions(part_labels, area_ids)[part_codes[part_codes >= 0]]
    out = areas.set_index("id")
    out["projects"] = np.bincount(pos[ok], minlength=n)
    cross = projects["cross_border"].to_numpy(dtype=bool)
    out["cross_border"] = np.bincount(pos[ok & cross], minlength=n)
    out["participations"] = np.bincount(part_pos[part_pos >= 0], minlength=n)
    both = ok & (status >= 0)
    split = np.bincount(pos[both] * len(STATUS_ORDER) + status[both], minlength=n * 3)
    for i, name in enumerate(STATUS_ORDER):
        out[name] = split.reshape(n, len(STATUS_ORDER))[:, i]
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
    year = projects["start_year"].astype("int64").to_numpy()
    codes, labels = _codes(projects["area_id"])
    area = np.where(codes >= 0, _positions(labels, area_ids)[codes], -1) if len(labels) else codes
    ok = (area >= 0) & (year >= lo) & (year <= hi)
    n_years = max(hi - lo + 1, 0)
    counts = np.bincount(
        (year[ok] - lo) * len(area_ids) + area[ok], minlength=n_years * len(area_ids)
    )
    grid = pd.MultiIndex.from_product([range(lo, hi + 1), area_ids], names=["year", "area_id"])
    return pd.Series(counts.astype("int64"), index=grid, name="projects").reset_index()


def by_status(view: View) -> pd.DataFrame:
    """Distinct projects per status, in status order."""
    counts = _value_counts(view.projects["status"])
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
    parts = view.participations
    out = members.set_index("id")
    counts = _counts_by(view, "member_id").reindex(out.index, fill_value=0)
    out["projects"] = counts["projects"]
    codes, labels = _codes(parts["member_id"])
    lead = (parts["role"] == "lead").to_numpy(dtype=bool) & (codes >= 0)
    led = pd.Series(np.bincount(codes[lead], minlength=len(labels)), index=labels)
    out["led"] = led.reindex(out.index, fill_value=0)
    out = out.join(counts.drop(columns=["projects", "participations"]))
    out[["projects", "led"]] = out[["projects", "led"]].astype("int64")
    return out.rename_axis("id").reset_index()


def area_country_matrix(view: View) -> pd.DataFrame:
    """Distinct projects per (area, country) in long form, every pair present."""
    areas = list(view.registry.areas["id"].astype(str))
    countries = list(dict.fromkeys(view.members["country_id"].astype(str)))
    counts = _counts_by(view, "country_id").reindex(countries, fill_value=0)
    matrix = counts[[f"area:{a}" for a in areas]].to_numpy().T.ravel()
    grid = pd.MultiIndex.from_product([areas, countries], names=["area_id", "country_id"])
    return pd.Series(matrix.astype("int64"), index=grid, name="projects").reset_index()


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

    Pairs are unordered (a < b by id), heaviest first, ties by ids. ``max_links`` keeps the
    heaviest pairs only. Projects with more than ``MAX_LINKED_CITIES`` cities add no pairs.
    Pairs come from integer codes, project by project, never from a string self-join (which
    makes ~4 million rows at a million participations).
    """
    parts = view.participations
    empty = pd.DataFrame(
        {
            "member_id_a": pd.Series([], dtype="str"),
            "member_id_b": pd.Series([], dtype="str"),
            "weight": pd.Series([], dtype="int64"),
        }
    )
    if parts.empty:
        return empty
    project, _ = _codes(parts["project_id"], labels=False)
    member_codes, labels = _codes(parts["member_id"])
    # Rank members by id so that "a < b" and the tie order are those of the ids themselves.
    names = labels.to_numpy(dtype=object)
    order = np.argsort(names, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    ok = (project >= 0) & (member_codes >= 0)
    project, member = project[ok], rank[member_codes[ok]]
    rows = np.argsort(project * len(order) + member, kind="stable")  # by project, then id
    project, member = project[rows], member[rows]
    # Size of each row's project: small projects pair by offset, large ones one by one.
    starts = np.flatnonzero(np.r_[True, project[1:] != project[:-1]])
    sizes = np.diff(np.r_[starts, len(project)])
    size_of_row = np.repeat(sizes, sizes)
    small = size_of_row <= 32
    chunks_a: list[np.ndarray] = []
    chunks_b: list[np.ndarray] = []
    for d in range(1, int(min(sizes.max(initial=1), 32))):
        same = (project[:-d] == project[d:]) & small[:-d]
        chunks_a.append(member[:-d][same])
        chunks_b.append(member[d:][same])
    for start, size in zip(starts[sizes > 32], sizes[sizes > 32], strict=True):
        if size > MAX_LINKED_CITIES:
            continue
        i, j = np.triu_indices(int(size), k=1)
        chunks_a.append(member[start + i])
        chunks_b.append(member[start + j])
    if not chunks_a:
        return empty
    a = np.concatenate(chunks_a)
    b = np.concatenate(chunks_b)
    distinct = a < b  # a city listed twice in one project never partners itself
    n = len(order)
    keys, weights = np.unique(a[distinct] * n + b[distinct], return_counts=True)
    heaviest = np.argsort(-weights, kind="stable")  # keys ascend, so ties stay in id order
    if max_links is not None:
        heaviest = heaviest[:max_links]
    keys, weights = keys[heaviest], weights[heaviest]
    sorted_names = names[order]
    return pd.DataFrame(
        {
            "member_id_a": pd.array(sorted_names[keys // n], dtype="str"),
            "member_id_b": pd.array(sorted_names[keys % n], dtype="str"),
            "weight": weights.astype("int64"),
        }
    )
