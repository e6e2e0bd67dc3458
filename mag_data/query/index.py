"""Integer arrays derived once per registry, so that filtering and counting never touch strings.

A filter becomes three boolean masks (members, projects, participations) built from small
look-up tables indexed by integer codes; every count of a view is a ``numpy.bincount`` over the
masked codes. Nothing here depends on the filter: ``RegistryIndex`` is computed while the
registry is loaded (``Registry.index``, then ``RegistryIndex.prepare`` for the parts otherwise
made on first use) and shared by every view of it.

Distinct counts ("projects per country", a project with three Kazan partners counting once) use
*pairs*: every participation belongs to one (project, country) pair, numbered densely once here;
a view's pairs are those with at least one participation in the view.

Without a geographic choice a view is whole *cells* of projects (``Cells``: an (area, status)
group × a run of start years), so its counts per country or city are differences of running
totals kept per cell, not passes over a million participations.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mag_data.register.schema import STATUSES

# Filter field → member column, from the widest level to the narrowest.
GEO_COLUMNS: dict[str, str] = {
    "macro_regions": "macro_region_id",
    "countries": "country_id",
    "federal_districts": "federal_district_id",
    "subdivisions": "subdivision_id",
    "cities": "id",
}
# Member columns with the ru/en labels of each level.
LEVEL_LABELS: dict[str, str] = {
    "macro_regions": "macro_region",
    "countries": "country",
    "federal_districts": "federal_district",
    "subdivisions": "subdivision",
    "cities": "name",
}
NO_YEAR = np.iinfo(np.int64).min
# A project with more cities than this adds no partner links: an assembly-wide event would tie
# every member to every other (n² pairs) and say nothing about partnerships.
MAX_LINKED_CITIES = 1_000


@dataclass(frozen=True, eq=False)
class Level:
    """One categorical member column as codes: ``codes[i]`` is member i's value (-1: none);
    ``ids[c]`` the value of code c (str), numbered in order of first appearance in the register,
    with its ru/en labels from the same first member."""

    ids: np.ndarray
    codes: np.ndarray
    label_ru: np.ndarray
    label_en: np.ndarray
    position: dict[str, int]
    first_row: np.ndarray  # per code: the first member (row) with that value

    def __len__(self) -> int:
        return len(self.ids)

    def lookup(self, chosen: Iterable[str]) -> np.ndarray:
        """Boolean table over codes, True for the chosen ids, plus a last False slot that the
        code -1 (missing) reads."""
        table = np.zeros(len(self.ids) + 1, dtype=bool)
        wanted = [self.position[v] for v in chosen if v in self.position]
        table[wanted] = True
        return table


def _level(members: pd.DataFrame, column: str, label_base: str | None) -> Level:
    values = members[column].astype("string")
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    ids = np.asarray(uniques.astype(str), dtype=object)
    first = pd.Series(np.arange(len(codes))).groupby(codes).first()
    first = first[first.index >= 0].to_numpy()
    labels = {}
    for lang in ("ru", "en"):
        if label_base is None:
            labels[lang] = ids
        else:
            col = members[f"{label_base}_{lang}"].astype("string").to_numpy(dtype=object)
            labels[lang] = col[first] if len(first) else np.array([], dtype=object)
    return Level(
        ids=ids,
        codes=codes.astype(np.int64),
        label_ru=labels["ru"],
        label_en=labels["en"],
        position={str(v): i for i, v in enumerate(ids)},
        first_row=np.asarray(first, dtype=np.int64),
    )


@dataclass(frozen=True, eq=False)
class Pairs:
    """Distinct (project, level value) pairs: ``of_part[k]`` is participation k's pair (-1 when
    its member has no value at this level), ``level[p]``/``project[p]`` the pair's codes."""

    of_part: np.ndarray
    level: np.ndarray
    project: np.ndarray
    one_per_part: bool = False  # every participation is its own pair, numbered as it

    def present(self, part_rows: np.ndarray) -> np.ndarray:
        """Boolean over pairs: those with at least one of the participations ``part_rows``."""
        out = np.zeros(len(self.level), dtype=bool)
        chosen = self.of_part[part_rows]
        out[chosen[chosen >= 0]] = True
        return out


def _pairs(part_project: np.ndarray, part_level: np.ndarray, n_level: int) -> Pairs:
    ok = (part_level >= 0) & (part_project >= 0)
    key = part_project * (n_level + 1) + (part_level + 1)
    ids, firsts = pd.factorize(key[ok], sort=False)
    of_part = np.full(len(key), -1, dtype=np.int64)
    of_part[ok] = ids
    firsts = np.asarray(firsts, dtype=np.int64)
    return Pairs(
        of_part=of_part,
        level=firsts % (n_level + 1) - 1,
        project=firsts // (n_level + 1),
        # (project, city): a city is listed once per project, so pairs are the participations.
        one_per_part=bool(ok.all()) and np.array_equal(of_part, np.arange(len(key))),
    )


@dataclass(frozen=True, eq=False)
class Cells:
    """Projects by what the project filters read. Every project is in one *cell*: an (area,
    status) *group* × a start-year *slot* (slot 0: no start year; slot i: ``years[i - 1]``).
    Areas and statuses choose whole groups and a year range one run of slots, so any sum over
    a filter's projects is, per chosen group, the difference of two running totals over slots
    (``running``/``total``): a few rows, whatever the register's size."""

    group_area: np.ndarray  # per group: area position (-1 unknown)
    group_status: np.ndarray  # per group: status position (-1 unknown)
    years: np.ndarray  # the distinct known start years, ascending
    of_project: np.ndarray  # per project: group × n_slots + slot

    @property
    def n_groups(self) -> int:
        return len(self.group_area)

    @property
    def n_slots(self) -> int:
        return len(self.years) + 1

    def slots(self, years: tuple[int, int] | None) -> tuple[int, int]:
        """The run of slots [first, end) of a start-year range; every slot, "no start year"
        included, for no range."""
        if years is None:
            return 0, self.n_slots
        first = 1 + int(np.searchsorted(self.years, years[0], side="left"))
        end = 1 + int(np.searchsorted(self.years, years[1], side="right"))
        return first, max(first, end)

    def table(self, groups: np.ndarray, slots: tuple[int, int]) -> np.ndarray:
        """Boolean over cells (group-major, as ``of_project``): the chosen groups × slots."""
        in_run = np.zeros(self.n_slots, dtype=bool)
        in_run[slots[0] : slots[1]] = True
        return np.asarray(np.outer(groups, in_run).ravel())

    def running(
        self, keys: np.ndarray, n_values: int, weights: np.ndarray | None = None
    ) -> np.ndarray:
        """Running totals over slots of items keyed ``cell × n_values + value`` (-1: skipped):
        ``out[g, s, v]`` is the weight (or number) of the items of group g, value v and a slot
        before s; shape (groups, slots + 1, values), int32 (10,000 cities × 12 groups × 32 years:
        15 MB)."""
        ok = keys >= 0
        counts = np.bincount(
            keys[ok],
            weights=None if weights is None else weights[ok],
            minlength=self.n_groups * self.n_slots * n_values,
        )
        counts = np.rint(counts).astype(np.int64).reshape(self.n_groups, self.n_slots, n_values)
        out = np.zeros((self.n_groups, self.n_slots + 1, n_values), dtype=np.int32)
        out[:, 1:] = np.cumsum(counts, axis=1)
        return out

    def total(self, running: np.ndarray, groups: np.ndarray, slots: tuple[int, int]) -> np.ndarray:
        """Per value: the sum over the chosen groups (boolean) and the run of slots (int64)."""
        first, end = slots
        chosen = np.flatnonzero(groups)
        if not len(chosen) or end <= first:
            return np.zeros(running.shape[2], dtype=np.int64)
        return np.asarray(
            (running[chosen, end].astype(np.int64) - running[chosen, first]).sum(axis=0)
        )


def build_cells(
    project_area: np.ndarray, project_status: np.ndarray, project_year: np.ndarray
) -> Cells:
    """The cells of a registry's projects: groups numbered in (area, status) order."""
    group_key = (project_area + 1) * (len(STATUSES) + 1) + (project_status + 1)
    groups, of_group = np.unique(group_key, return_inverse=True)
    known = project_year != NO_YEAR
    years = np.unique(project_year[known])
    slot = np.where(known, 1 + np.searchsorted(years, project_year), 0)
    return Cells(
        group_area=groups // (len(STATUSES) + 1) - 1,
        group_status=groups % (len(STATUSES) + 1) - 1,
        years=years,
        of_project=np.asarray(of_group.ravel() * (len(years) + 1) + slot, dtype=np.int64),
    )


def _positions(values: pd.Series, wanted: list[str]) -> np.ndarray:
    """Position of each value in ``wanted`` (-1 when absent or missing)."""
    index = pd.Index(wanted)
    return np.asarray(index.get_indexer(values.astype("string").astype(object)), dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Links:
    """Partner links: every pair of members sharing a project, numbered in the order of their
    ids (``a`` < ``b``), and every *occurrence* of a pair (one shared project) as the two
    participation rows it comes from. A view's link weights are the occurrences whose two
    participations are both in the view."""

    a: np.ndarray  # member row of each link's first city (smaller id)
    b: np.ndarray
    occurrence_link: np.ndarray  # occurrences in the order of their project's cell (``Cells``)
    occurrence_a: np.ndarray  # participation row of the first city
    occurrence_b: np.ndarray
    cell_offsets: np.ndarray  # occurrences of cell c: [cell_offsets[c], cell_offsets[c + 1])

    def weights(self, part_mask: np.ndarray) -> np.ndarray:
        """Shared projects per link among the view's participations."""
        valid = part_mask[self.occurrence_a] & part_mask[self.occurrence_b]
        return np.bincount(self.occurrence_link[valid], minlength=len(self.a))

    @functools.cached_property
    def all_weights(self) -> np.ndarray:
        """Shared projects per link in the whole register."""
        return np.bincount(self.occurrence_link, minlength=len(self.a))

    def cell_weights(self, cells: Cells, groups: np.ndarray, slots: tuple[int, int]) -> np.ndarray:
        """``weights`` of a view of whole cells (no geographic choice): the chosen groups' runs
        of slots are runs of occurrences, so this reads either the kept occurrences or, when
        most are kept, the register's weights less the ones left out."""
        chosen = np.flatnonzero(groups)
        first, end = slots
        starts = self.cell_offsets[chosen * cells.n_slots + first]
        ends = self.cell_offsets[chosen * cells.n_slots + max(first, end)]
        n = len(self.occurrence_link)
        if 2 * int((ends - starts).sum()) <= n:
            kept = [self.occurrence_link[a:b] for a, b in zip(starts, ends, strict=True)]
            return np.bincount(
                np.concatenate([np.zeros(0, np.int64), *kept]), minlength=len(self.a)
            )
        gaps = zip(np.r_[0, ends], np.r_[starts, n], strict=True)  # runs are in cell order
        dropped = [self.occurrence_link[a:b] for a, b in gaps if b > a]
        left_out = np.bincount(
            np.concatenate([np.zeros(0, np.int64), *dropped]), minlength=len(self.a)
        )
        return np.asarray(self.all_weights - left_out)


def build_links(
    part_project: np.ndarray, part_member: np.ndarray, member_rank: np.ndarray, cells: Cells
) -> Links:
    """All links of a registry, from integer rows only (no string self-join: at a million
    participations that join makes ~4 million rows); occurrences ordered by their project's
    cell."""
    rows = np.flatnonzero((part_project >= 0) & (part_member >= 0))
    rank = member_rank[part_member[rows]]
    order = np.lexsort((rank, part_project[rows]))  # by project, then by city id
    rows = rows[order]
    project, rank = part_project[rows], rank[order]
    starts = np.flatnonzero(np.r_[True, project[1:] != project[:-1]]) if len(rows) else rows
    sizes = np.diff(np.r_[starts, len(rows)])
    small = np.repeat(sizes, sizes) <= 32
    chunks_a: list[np.ndarray] = [np.array([], dtype=np.int64)]
    chunks_b: list[np.ndarray] = [np.array([], dtype=np.int64)]
    # Small projects pair rows by offset (vectorised), large ones one by one.
    for d in range(1, int(min(sizes.max(initial=1), 32))):
        same = (project[:-d] == project[d:]) & small[:-d]
        chunks_a.append(rows[:-d][same])
        chunks_b.append(rows[d:][same])
    for start, size in zip(starts[sizes > 32], sizes[sizes > 32], strict=True):
        if size > MAX_LINKED_CITIES:
            continue
        i, j = np.triu_indices(int(size), k=1)
        chunks_a.append(rows[start + i])
        chunks_b.append(rows[start + j])
    occ_a, occ_b = np.concatenate(chunks_a), np.concatenate(chunks_b)
    rank_a, rank_b = member_rank[part_member[occ_a]], member_rank[part_member[occ_b]]
    distinct = rank_a < rank_b  # a city listed twice in one project never partners itself
    occ_a, occ_b = occ_a[distinct], occ_b[distinct]
    n = len(member_rank) + 1
    keys, occurrence_link = np.unique(rank_a[distinct] * n + rank_b[distinct], return_inverse=True)
    row_of_rank = np.argsort(member_rank, kind="stable")
    cell = cells.of_project[part_project[occ_a]]
    by_cell = np.argsort(cell, kind="stable")
    n_cells = cells.n_groups * cells.n_slots
    compact = np.int32  # row and link numbers fit; half the memory and the snapshot
    return Links(
        a=(row_of_rank[keys // n] if len(keys) else keys).astype(compact),
        b=(row_of_rank[keys % n] if len(keys) else keys).astype(compact),
        occurrence_link=occurrence_link.ravel()[by_cell].astype(compact),
        occurrence_a=occ_a[by_cell].astype(compact),
        occurrence_b=occ_b[by_cell].astype(compact),
        cell_offsets=np.r_[0, np.cumsum(np.bincount(cell, minlength=n_cells))],
    )


@dataclass(frozen=True, eq=False)
class RegistryIndex:
    """Everything a filter and the counts need, as numpy arrays (see the module docstring)."""

    levels: dict[str, Level]  # filter field → Level over the members
    population: np.ndarray  # per member, 0 where unknown
    list_group: np.ndarray  # per member (large where missing)
    area_ids: list[str]
    project_area: np.ndarray  # per project: position in area_ids, -1 unknown
    project_status: np.ndarray  # per project: position in STATUSES, -1 unknown
    project_year: np.ndarray  # per project, NO_YEAR where missing
    project_cross: np.ndarray  # per project: partners in 2+ countries
    part_project: np.ndarray  # per participation: row of its project
    part_member: np.ndarray  # per participation: row of its member
    part_lead: np.ndarray
    part_area: np.ndarray  # per participation: its project's area position, -1 unknown
    part_levels: dict[str, np.ndarray]  # "countries" / ... → per participation, member's code
    pairs: dict[str, Pairs]  # "countries" / "macro_regions" / "cities" → (project, value) pairs
    member_ids: np.ndarray  # per member row, its id (str)
    member_rank: np.ndarray  # per member row, its place in id order

    @functools.cached_property
    def project_parts(self) -> tuple[np.ndarray, np.ndarray]:
        """Participation rows grouped by project: (rows, offsets); project p's participations
        are ``rows[offsets[p]:offsets[p + 1]]`` (built on first use)."""
        ok = self.part_project >= 0
        rows = np.flatnonzero(ok)
        rows = rows[np.argsort(self.part_project[rows], kind="stable")]
        counts = np.bincount(self.part_project[ok], minlength=self.n_projects)
        return rows, np.r_[0, np.cumsum(counts)]

    def parts_of_projects(self, projects: np.ndarray) -> np.ndarray:
        """Participation rows of the given project rows (grouped by project, in that order)."""
        rows, offsets = self.project_parts
        starts, ends = offsets[projects], offsets[projects + 1]
        if not len(projects):
            return rows[:0]
        lengths = ends - starts
        within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return np.asarray(rows[np.repeat(starts, lengths) + within], dtype=np.int64)

    @functools.cached_property
    def _level_area_keys(self) -> dict[str, np.ndarray]:
        return {}

    def level_area_keys(self, field: str) -> np.ndarray:
        """Per participation: its member's code at ``field`` × number of areas + its project's
        area position (-1 when either is unknown), made on first use: one gather and one
        ``bincount`` then give distinct projects per (value, area) where pairs are the
        participations themselves."""
        keys = self._level_area_keys
        if field not in keys:
            level, area = self.part_levels[field], self.part_area
            keys[field] = np.where(
                (level >= 0) & (area >= 0), level * len(self.area_ids) + area, -1
            )
        return keys[field]

    @functools.cached_property
    def project_part_counts(self) -> np.ndarray:
        """Participations per project (row), for views without a geographic choice."""
        ok = self.part_project >= 0
        return np.bincount(self.part_project[ok], minlength=self.n_projects)

    @functools.cached_property
    def _pair_part_counts(self) -> dict[str, np.ndarray]:
        return {}

    def pair_part_counts(self, field: str) -> np.ndarray:
        """Participations per (project, value) pair of ``field``, made on first use."""
        counts = self._pair_part_counts
        if field not in counts:
            of_part = self.pairs[field].of_part
            counts[field] = np.bincount(
                of_part[of_part >= 0], minlength=len(self.pairs[field].level)
            )
        return counts[field]

    @functools.cached_property
    def _pair_area_keys(self) -> dict[str, np.ndarray]:
        return {}

    def pair_area_keys(self, field: str) -> np.ndarray:
        """Per (project, value) pair of ``field``: value code × number of areas + the project's
        area position (-1 when unknown), made on first use."""
        keys = self._pair_area_keys
        if field not in keys:
            pairs = self.pairs[field]
            area = self.project_area[pairs.project]
            keys[field] = np.where(area >= 0, pairs.level * len(self.area_ids) + area, -1)
        return keys[field]

    @functools.cached_property
    def member_parts(self) -> tuple[np.ndarray, np.ndarray]:
        """Participation rows grouped by member: (rows, offsets), as ``project_parts``."""
        ok = self.part_member >= 0
        rows = np.flatnonzero(ok)
        rows = rows[np.argsort(self.part_member[rows], kind="stable")]
        counts = np.bincount(self.part_member[ok], minlength=self.n_members)
        return rows, np.r_[0, np.cumsum(counts)]

    @functools.cached_property
    def links(self) -> Links:
        """Partner links (built on first use: only the map and network pages need them)."""
        return build_links(self.part_project, self.part_member, self.member_rank, self.cells)

    @functools.cached_property
    def cells(self) -> Cells:
        """Projects by (area, status) group × start-year slot."""
        return build_cells(self.project_area, self.project_status, self.project_year)

    @functools.cached_property
    def _running(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {}

    def running_counts(self, field: str) -> tuple[np.ndarray, np.ndarray]:
        """Running totals over the cells (``Cells.running``) of distinct projects and of
        participations per value of ``field``, made on first use (for views without a
        geographic choice)."""
        cache = self._running
        if field not in cache:
            pairs, n = self.pairs[field], len(self.levels[field])
            keys = self.cells.of_project[pairs.project] * n + pairs.level
            projects = self.cells.running(keys, n)
            cache[field] = (
                projects,
                projects
                if pairs.one_per_part  # one participation per pair
                else self.cells.running(keys, n, self.pair_part_counts(field)),
            )
        return cache[field]

    @functools.cached_property
    def lead_parts(self) -> tuple[np.ndarray, np.ndarray]:
        """(project row, member row) of every lead participation."""
        rows = np.flatnonzero(self.part_lead & (self.part_project >= 0) & (self.part_member >= 0))
        return self.part_project[rows], self.part_member[rows]

    def prepare(self) -> None:
        """Derive now what is otherwise made on first use (cells and their running totals,
        leads, partner links: about a second at a million participations), so that it happens
        while the registry loads and is kept in its snapshot, not in a visitor's first view."""
        for field in self.pairs:
            self.running_counts(field)
        self.lead_parts  # noqa: B018
        self.links.all_weights  # noqa: B018
        self.project_parts  # noqa: B018
        self.member_parts  # noqa: B018

    @property
    def n_members(self) -> int:
        return len(self.population)

    @property
    def n_projects(self) -> int:
        return len(self.project_area)


def take(values: np.ndarray, rows: np.ndarray, missing: object) -> np.ndarray:
    """``values[rows]`` where the row -1 reads ``missing`` (not the last value)."""
    return np.asarray(np.append(values, np.asarray([missing], dtype=values.dtype))[rows])


def _rows(parts: pd.DataFrame, column: str, ids: pd.Series) -> np.ndarray:
    if column in parts:
        return np.asarray(parts[column].to_numpy(dtype=np.int64), dtype=np.int64)
    key = {"project_row": "project_id", "member_row": "member_id"}[column]
    return np.asarray(pd.Index(ids.astype(str)).get_indexer(parts[key].astype(str)), dtype=np.int64)


def build_index(
    members: pd.DataFrame,
    projects: pd.DataFrame,
    participations: pd.DataFrame,
    areas: pd.DataFrame,
) -> RegistryIndex:
    """Derive the arrays of one registry (done once; about a second at 1,000,000 participations)."""
    levels = {
        name: _level(members, column, LEVEL_LABELS[name]) for name, column in GEO_COLUMNS.items()
    }
    population = pd.to_numeric(members["population"], errors="coerce")
    area_ids = list(areas["id"].astype(str))
    year = pd.to_numeric(projects["start_year"], errors="coerce")
    # -1 where a (hand-built) registry has a participation of an unknown project or member.
    part_project = _rows(participations, "project_row", projects["id"])
    part_member = _rows(participations, "member_row", members["id"])
    role = participations["role"].astype("string").to_numpy(dtype=object)
    part_levels = {
        name: take(levels[name].codes, part_member, -1)
        for name in ("macro_regions", "countries", "cities")
    }
    pairs = {
        name: _pairs(part_project, codes, len(levels[name])) for name, codes in part_levels.items()
    }
    project_area = _positions(projects["area_id"], area_ids)
    member_ids = members["id"].astype(str).to_numpy(dtype=object)
    member_rank = np.empty(len(member_ids), dtype=np.int64)
    member_rank[np.argsort(member_ids, kind="stable")] = np.arange(len(member_ids))
    return RegistryIndex(
        levels=levels,
        population=population.fillna(0).to_numpy(dtype=np.int64),
        list_group=pd.to_numeric(members["list_group"], errors="coerce")
        .fillna(np.iinfo(np.int32).max)
        .to_numpy(dtype=np.int64),
        area_ids=area_ids,
        project_area=project_area,
        project_status=_positions(projects["status"], list(STATUSES)),
        project_year=year.fillna(NO_YEAR).to_numpy(dtype=np.int64),
        project_cross=projects["cross_border"].fillna(False).to_numpy(dtype=bool),
        part_project=part_project,
        part_member=part_member,
        part_lead=role == "lead",
        part_area=take(project_area, part_project, -1),
        part_levels=part_levels,
        pairs=pairs,
        member_ids=member_ids,
        member_rank=member_rank,
    )


__all__ = [
    "GEO_COLUMNS",
    "LEVEL_LABELS",
    "MAX_LINKED_CITIES",
    "Links",
    "build_links",
    "Cells",
    "build_cells",
    "NO_YEAR",
    "Level",
    "Pairs",
    "RegistryIndex",
    "build_index",
    "take",
]
