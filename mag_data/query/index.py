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

from mag_data.query.cells import MAX_LINKED_CITIES, NO_YEAR, Cells, Links, build_cells, build_links
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


def _positions(values: pd.Series, wanted: list[str]) -> np.ndarray:
    """Position of each value in ``wanted`` (-1 when absent or missing)."""
    index = pd.Index(wanted)
    return np.asarray(index.get_indexer(values.astype("string").astype(object)), dtype=np.int64)


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
