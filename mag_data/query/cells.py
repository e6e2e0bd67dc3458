"""The cells and the partner links of a registry: what lets a count skip the rows.

Every project is in one *cell* (an (area, status) group × a start-year slot); per cell the index
keeps running totals of projects and participations per place, so a filter without a geographic
choice — whole cells — counts per country or city by subtracting two rows of totals. The
partner links (pairs of members sharing a project) keep their occurrences in cell order, so such
a filter's link weights are runs of occurrences. Built once per registry by ``index.build_index``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from mag_data.register.schema import STATUSES

NO_YEAR = np.iinfo(np.int64).min
# A project with more cities than this adds no partner links: an assembly-wide event would tie
# every member to every other (n² pairs) and say nothing about partnerships.
MAX_LINKED_CITIES = 1_000


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
