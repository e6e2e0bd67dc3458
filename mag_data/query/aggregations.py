"""Aggregations of a filtered ``View``: per country, macro-region, area, year and city.

Every function takes a View and returns a new tidy frame (ids, ru/en labels, numbers); none
mutates its input. "projects" always means distinct projects, "participations" (project, city) rows.

Counting works on the view's boolean masks and the registry's integer codes (``mag_data.query.index``,
``numpy.bincount``), never on strings nor on filtered copies of the frames: at a million
participations a string group-by costs seconds, the codes milliseconds. Without a geographic
choice a view is whole cells of projects, and its counts per country or city are read from the
index's running totals (``Cells``) instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mag_data.query.filters import View
from mag_data.register.schema import STATUSES


def plain_frame(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """A frame of plain arrays; text stays in ``object`` columns (converting 10,000 strings to
    Arrow per column costs milliseconds, and nothing downstream needs Arrow text). The index is
    given, so pandas does not align the text columns' Series with one another."""
    index = pd.RangeIndex(len(next(iter(columns.values()))) if columns else 0)
    return pd.DataFrame(
        {
            name: (
                pd.Series(values, index=index, dtype=object, copy=False)
                if values.dtype == object
                else values
            )
            for name, values in columns.items()
        },
        index=index,
    )


def _count_arrays(view: View, field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code of a geographic level ("countries", "macro_regions", "cities"): distinct
    projects, participations, and distinct projects per area (codes × areas), from the masks.
    Computed once per view (``View.memo``); the arrays are shared, never modified."""
    key = ("counts", field)
    if key not in view.memo:
        view.memo[key] = _compute_counts(view, field)
    return view.memo[key]  # type: ignore[return-value]


def _compute_counts(view: View, field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    index = view.registry.index
    n = len(index.levels[field])
    n_areas = len(index.area_ids)
    pairs = index.pairs[field]
    if not view.geographic:  # whole cells of projects: running totals, no pass over the rows
        cells, (groups, slots) = index.cells, view.cells
        projects_running, parts_running = index.running_counts(field)
        per_area = np.zeros((n, n_areas), dtype=np.int64)
        for a in range(n_areas):
            per_area[:, a] = cells.total(projects_running, groups & (cells.group_area == a), slots)
        return (
            cells.total(projects_running, groups, slots),
            cells.total(parts_running, groups, slots),
            per_area,
        )
    rows = view.part_rows
    codes = index.part_levels[field][rows]
    participations = np.bincount(codes[codes >= 0], minlength=n)
    if pairs.one_per_part:  # the view's pairs are its participations: projects = rows
        keys = index.level_area_keys(field)[rows]
        per_area = np.bincount(keys[keys >= 0], minlength=n * n_areas)
        return participations, participations, per_area.reshape(n, n_areas)
    present = pairs.present(rows)
    projects = np.bincount(pairs.level[present], minlength=n)
    keys = index.pair_area_keys(field)[present]
    per_area = np.bincount(keys[keys >= 0], minlength=n * n_areas)
    return projects, participations, per_area.reshape(n, n_areas)


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


def _status_counts(view: View) -> np.ndarray:
    if "status" not in view.memo:
        status = view.registry.index.project_status[view.project_rows]
        view.memo["status"] = np.bincount(status[status >= 0], minlength=len(STATUSES))
    return view.memo["status"]  # type: ignore[return-value]


def headline(view: View) -> Headline:
    """Members, countries, population covered, projects by status, cross-border share.

    Returns a ``Headline``: ``members``, ``countries``, ``population``, ``projects``,
    ``participations``, ``planned``/``active``/``completed`` (projects) and
    ``cross_border_share`` (0..1, NaN without projects)."""
    index = view.registry.index
    rows = view.member_rows
    status = _status_counts(view)
    n_projects = int(view.project_mask.sum())
    countries = index.levels["countries"].codes[rows]
    return Headline(
        members=len(rows),
        countries=int(np.count_nonzero(np.bincount(countries[countries >= 0]))),
        population=int(index.population[rows].sum()),
        projects=n_projects,
        participations=int(view.participation_mask.sum()),
        planned=int(status[0]),
        active=int(status[1]),
        completed=int(status[2]),
        cross_border_share=(
            float(index.project_cross[view.project_rows].mean()) if n_projects else None
        ),
    )


def _by_geo(view: View, field: str, label: str, extra: list[str]) -> pd.DataFrame:
    """Per value of a geographic level with members in the view, in the assembly's list order
    (the first list group it appears in, then first appearance)."""
    index = view.registry.index
    level = index.levels[field]
    n = len(level)
    rows = view.member_rows
    codes = level.codes[rows]
    ok = codes >= 0
    codes, rows = codes[ok], rows[ok]
    members = np.bincount(codes, minlength=n)
    population = np.bincount(codes, weights=index.population[rows], minlength=n)
    order = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(order, codes, index.list_group[rows])
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, np.arange(len(codes)))
    shown = np.flatnonzero(members > 0)
    shown = shown[np.lexsort((first[shown], order[shown]))]
    projects, participations, per_area = _count_arrays(view, field)
    all_members = view.registry.members
    total = len(all_members)
    source = level.first_row[shown]
    columns = {
        "id": level.ids[shown],
        f"{label}_ru": level.label_ru[shown],
        f"{label}_en": level.label_en[shown],
        **{c: view.registry.member_array(c)[source] for c in extra},
        "members": members[shown].astype("int64"),
        "population": population[shown].round().astype("int64"),
        "share_of_membership": members[shown] / total if total else np.zeros(len(shown)),
        "projects": projects[shown].astype("int64"),
        "participations": participations[shown].astype("int64"),
    }
    for i, area in enumerate(index.area_ids):
        columns[f"area:{area}"] = per_area[shown, i].astype("int64")
    return plain_frame(columns)


def by_country(view: View) -> pd.DataFrame:
    """Per country (as the assembly lists them): members, population, share of the whole
    membership, distinct projects and participations, and distinct projects per area (area:*).

    Columns: ``id``, ``country_ru``, ``country_en``, ``iso_code``, ``macro_region_id``,
    ``members``, ``population``, ``share_of_membership`` (0..1 of the whole assembly),
    ``projects``, ``participations``, ``area:<area id>`` for every area."""
    return _by_geo(view, "countries", "country", ["iso_code", "macro_region_id"])


def by_macro_region(view: View) -> pd.DataFrame:
    """Per macro-region: the same measures as ``by_country``.

    Columns: ``id``, ``macro_region_ru``, ``macro_region_en``, ``members``, ``population``,
    ``share_of_membership``, ``projects``, ``participations``, ``area:<area id>``."""
    return _by_geo(view, "macro_regions", "macro_region", [])


def by_area(view: View) -> pd.DataFrame:
    """Per cooperation area: projects, participations, cross-border projects and share, status split.

    Columns: ``id``, ``name_ru``, ``name_en``, ``projects``, ``cross_border``,
    ``participations``, one column per status (``planned``, ``active``, ``completed``),
    ``cross_border_share`` (0..1, NaN for an area without projects); areas in their order."""
    index = view.registry.index
    areas = view.registry.areas
    n = len(index.area_ids)
    p = view.project_rows
    area, status, cross = index.project_area[p], index.project_status[p], index.project_cross[p]
    ok = area >= 0
    if view.geographic:
        per_area = np.bincount(index.part_area[view.part_rows] + 1, minlength=n + 1)
    else:  # every participation of the view's projects: counted per project, not per row
        per_area = np.bincount(
            area + 1, weights=index.project_part_counts[p], minlength=n + 1
        ).astype(np.int64)
    projects = np.bincount(area[ok], minlength=n)
    cross_border = np.bincount(area[ok & cross], minlength=n)
    both = ok & (status >= 0)
    n_status = len(STATUSES)
    split = np.bincount(area[both] * n_status + status[both], minlength=n * n_status)
    split = split.reshape(n, n_status)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(projects > 0, cross_border / np.maximum(projects, 1), np.nan)
    return plain_frame(
        {
            "id": np.asarray(index.area_ids, dtype=object),
            "name_ru": areas["name_ru"].to_numpy(dtype=object),
            "name_en": areas["name_en"].to_numpy(dtype=object),
            "projects": projects.astype("int64"),
            "cross_border": cross_border.astype("int64"),
            "participations": per_area[1:].astype("int64"),
            **{name: split[:, i].astype("int64") for i, name in enumerate(STATUSES)},
            "cross_border_share": share,
        }
    )


def by_year(view: View) -> pd.DataFrame:
    """Projects started per year and area, every year of the range present (zeros kept).

    Columns: ``year``, ``area_id``, ``projects`` (long form: one row per year × area)."""
    index = view.registry.index
    area_ids = index.area_ids
    p = view.project_rows
    if not len(p):
        return pd.DataFrame(columns=["year", "area_id", "projects"])
    lo, hi = view.filter.years or view.registry.year_bounds
    year, area = index.project_year[p], index.project_area[p]
    ok = (area >= 0) & (year >= lo) & (year <= hi)
    n_years = max(hi - lo + 1, 0)
    counts = np.bincount(
        (year[ok] - lo) * len(area_ids) + area[ok], minlength=n_years * len(area_ids)
    )
    return plain_frame(
        {
            "year": np.repeat(np.arange(lo, hi + 1, dtype=np.int64), len(area_ids)),
            "area_id": np.tile(np.asarray(area_ids, dtype=object), n_years),
            "projects": counts.astype("int64"),
        }
    )


def by_status(view: View) -> pd.DataFrame:
    """Distinct projects per status, in status order. Columns: ``status``, ``projects``."""
    counts = _status_counts(view)
    return plain_frame(
        {"status": np.asarray(STATUSES, dtype=object), "projects": counts.astype("int64")}
    )


CITY_COLUMNS = [
    "id",
    "name_ru",
    "name_en",
    "country_id",
    "country_ru",
    "country_en",
    "macro_region_id",
    "macro_region_ru",
    "macro_region_en",
    "population",
    "lat",
    "lon",
]


def _per_member(view: View, values: np.ndarray) -> np.ndarray:
    """Values per city code (rows: codes) → per member of the view, in register order."""
    codes = view.registry.index.levels["cities"].codes[view.member_rows]
    safe = np.where(codes >= 0, codes, 0)
    picked = values[safe]
    return np.where((codes >= 0).reshape(-1, *[1] * (values.ndim - 1)), picked, 0)


def city_project_counts(view: View) -> np.ndarray:
    """Distinct projects of each member of the view (register order), as an int64 array."""
    projects, _, _ = _count_arrays(view, "cities")
    return _per_member(view, projects).astype("int64")


def _city_table(
    view: View, chosen: np.ndarray | None = None, extra: dict[str, np.ndarray] | None = None
) -> pd.DataFrame:
    """``by_city`` for the view's members at positions ``chosen`` (all when None), in that order,
    with the ``extra`` columns (one value per chosen member) at the end. The frame is built in
    one go: adding columns one by one costs pandas a re-index each time."""
    index = view.registry.index
    rows = view.member_rows if chosen is None else view.member_rows[chosen]
    columns = {c: view.registry.member_array(c)[rows] for c in CITY_COLUMNS}
    projects, _, per_area = _count_arrays(view, "cities")
    codes = index.levels["cities"].codes[rows]
    safe, known = np.where(codes >= 0, codes, 0), codes >= 0
    columns["projects"] = np.where(known, projects[safe], 0).astype("int64")
    if chosen is None and not view.geographic:  # every member: the leads of the view's projects
        lead_project, lead_member = index.lead_parts
        lead = lead_member[view.project_mask[lead_project]]
        columns["led"] = np.bincount(lead, minlength=index.n_members)[rows].astype("int64")
    elif chosen is None:  # every member: one pass over the view's participations
        parts = view.part_rows
        lead = index.part_member[parts[index.part_lead[parts]]]
        columns["led"] = np.bincount(lead, minlength=index.n_members)[rows].astype("int64")
    else:  # a few members: only their own participations
        member_rows, offsets = index.member_parts
        mask, is_lead = view.participation_mask, index.part_lead
        columns["led"] = np.array(
            [
                int(np.count_nonzero(mask[own] & is_lead[own]))
                for own in (member_rows[offsets[r] : offsets[r + 1]] for r in rows)
            ],
            dtype="int64",
        )
    for i, area in enumerate(index.area_ids):
        columns[f"area:{area}"] = np.where(known, per_area[safe, i], 0).astype("int64")
    return plain_frame(columns | (extra or {}))


def by_city(view: View) -> pd.DataFrame:
    """Per member city in the view: projects, projects led, projects per area.

    Columns: the member's ``id``, ``name_ru``, ``name_en``, ``country_id``, ``country_ru``,
    ``country_en``, ``macro_region_id``, ``macro_region_ru``, ``macro_region_en``,
    ``population``, ``lat``, ``lon``, then ``projects``, ``led``, ``area:<area id>``; in
    register order."""
    return _city_table(view)


def area_country_matrix(view: View) -> pd.DataFrame:
    """Distinct projects per (area, country) in long form, every pair present.

    Columns: ``area_id``, ``country_id``, ``projects``."""
    index = view.registry.index
    areas = index.area_ids
    level = index.levels["countries"]
    codes = level.codes[view.member_rows]
    codes = pd.unique(codes[codes >= 0])  # first appearance in the view
    _, _, per_area = _count_arrays(view, "countries")
    matrix = per_area[codes].T.ravel()
    return plain_frame(
        {
            "area_id": np.repeat(np.asarray(areas, dtype=object), len(codes)),
            "country_id": np.tile(level.ids[codes], len(areas)),
            "projects": matrix.astype("int64"),
        }
    )


def top_cities(view: View, n: int = 10, area_id: str | None = None) -> pd.DataFrame:
    """The ``n`` cities with most distinct projects (in one area if given); ties by list order.

    Columns: those of ``by_city`` plus ``value`` (the projects counted: in ``area`` if given)."""
    index = view.registry.index
    if area_id is not None and area_id not in index.area_ids:
        none = np.zeros(0, dtype=np.int64)
        return _city_table(view, none, {"value": none})
    projects, _, per_area = _count_arrays(view, "cities")
    counts = projects if area_id is None else per_area[:, index.area_ids.index(area_id)]
    value = _per_member(view, counts)
    ranked = np.flatnonzero(value > 0)
    ranked = ranked[np.lexsort((ranked, -value[ranked]))][:n]
    return _city_table(view, ranked, {"value": value[ranked].astype("int64")})


def _link_weights(view: View) -> np.ndarray:
    """Shared projects per partner link (``RegistryIndex.links``) in the view, computed once
    per view."""
    if "link_weights" not in view.memo:
        index = view.registry.index
        if view.geographic:
            weights = index.links.weights(view.participation_mask)
        else:
            weights = index.links.cell_weights(index.cells, *view.cells)
        view.memo["link_weights"] = weights
    return view.memo["link_weights"]  # type: ignore[return-value]


def _link_order(weights: np.ndarray, limit: int | None) -> np.ndarray:
    """Links with a weight, heaviest first, ties in id order (link numbers are in id order);
    with ``limit``, the first ``limit`` of them, without sorting every link."""
    if limit is not None:
        # The weight of the limit-th heaviest link, from a histogram of the (small) weights:
        # per_weight[w] links weigh w, from_top[k] weigh at least (top weight - k).
        per_weight = np.bincount(weights)
        from_top = np.cumsum(per_weight[::-1])
        with_weight = int(from_top[-1] - per_weight[0]) if len(per_weight) else 0
        if with_weight > limit:
            threshold = len(per_weight) - 1 - int(np.searchsorted(from_top, limit))
            above = np.flatnonzero(weights > threshold)
            at = np.flatnonzero(weights == threshold)[: limit - len(above)]
            links = np.concatenate([above, at])
            return links[np.lexsort((links, -weights[links]))]
    links = np.flatnonzero(weights)
    return links[np.lexsort((links, -weights[links]))]


def city_partner_counts(view: View, member_id: str) -> pd.DataFrame:
    """Partner cities of one city in the view with the number of shared projects (``id``,
    ``shared``), most first, ties by id: the same counts as ``partner_links``."""
    index = view.registry.index
    links = index.links
    row = index.levels["cities"].position.get(member_id)
    if row is None:
        return pd.DataFrame({"id": pd.Series([], dtype=object), "shared": pd.Series([], "int64")})
    row = int(index.levels["cities"].first_row[row])
    weights = _link_weights(view)
    mine = np.flatnonzero((links.a == row) | (links.b == row))
    mine = mine[weights[mine] > 0]
    other = np.where(links.a[mine] == row, links.b[mine], links.a[mine])
    ids = index.member_ids[other]
    order = np.lexsort((ids.astype(str), -weights[mine]))
    return pd.DataFrame(
        {"id": ids[order].astype(object), "shared": weights[mine][order].astype("int64")}
    )


def partner_links(view: View, max_links: int | None = None) -> pd.DataFrame:
    """Pairs of member cities in the view that share projects, with the number shared (weight).

    Pairs are unordered (a < b by id), heaviest first, ties by ids. ``max_links`` keeps the
    heaviest pairs only. Projects with more than ``MAX_LINKED_CITIES`` cities add no pairs.
    The links of the whole registry are numbered once (``RegistryIndex.links``); a view only
    counts which of their occurrences it keeps.
    """
    index = view.registry.index
    links = index.links
    weights = _link_weights(view)
    chosen = _link_order(weights, max_links)
    return pd.DataFrame(
        {
            "member_id_a": pd.array(index.member_ids[links.a[chosen]], dtype="str"),
            "member_id_b": pd.array(index.member_ids[links.b[chosen]], dtype="str"),
            "weight": weights[chosen].astype("int64"),
        }
    )
