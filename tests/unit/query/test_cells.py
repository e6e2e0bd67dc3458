"""``mag_data.query.cells.Cells``: a filter's projects as whole cells, and counts as differences of
running totals, agree with the plain definitions on random projects, including projects with no
start year, an unknown area or an unknown status."""

from __future__ import annotations

import numpy as np
import pytest

from mag_data.query.index import NO_YEAR, build_cells
from mag_data.register.schema import STATUSES

N_AREAS = 4


@pytest.fixture(scope="module")
def projects() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    n = 2_000
    year = rng.integers(1995, 2026, n)
    year[rng.random(n) < 0.05] = NO_YEAR
    return {
        "area": rng.integers(-1, N_AREAS, n),
        "status": rng.integers(-1, len(STATUSES), n),
        "year": year,
        "value": rng.integers(0, 30, n),  # e.g. a city code per project
    }


CHOICES = [
    (None, None, None),
    ({0}, None, None),
    (None, {1, 2}, None),
    ({1, 3}, {0}, (2000, 2010)),
    (None, None, (2010, 2010)),
    (None, None, (1800, 1900)),  # before every project
    ({2}, {0, 1, 2}, (2020, 2100)),
]


def _plain_mask(p: dict[str, np.ndarray], areas, statuses, years) -> np.ndarray:
    mask = np.ones(len(p["area"]), dtype=bool)
    if areas is not None:
        mask &= np.isin(p["area"], list(areas))
    if statuses is not None:
        mask &= np.isin(p["status"], list(statuses))
    if years is not None:
        mask &= (p["year"] != NO_YEAR) & (p["year"] >= years[0]) & (p["year"] <= years[1])
    return mask


def _groups(cells, areas, statuses) -> np.ndarray:
    groups = np.ones(cells.n_groups, dtype=bool)
    if areas is not None:
        groups &= np.isin(cells.group_area, list(areas))
    if statuses is not None:
        groups &= np.isin(cells.group_status, list(statuses))
    return groups


@pytest.mark.parametrize(("areas", "statuses", "years"), CHOICES)
def test_cells_choose_the_filters_projects(projects, areas, statuses, years):
    cells = build_cells(projects["area"], projects["status"], projects["year"])
    groups = _groups(cells, areas, statuses)
    got = cells.table(groups, cells.slots(years))[cells.of_project]
    np.testing.assert_array_equal(got, _plain_mask(projects, areas, statuses, years))


@pytest.mark.parametrize(("areas", "statuses", "years"), CHOICES)
def test_running_totals_count_the_chosen_projects(projects, areas, statuses, years):
    cells = build_cells(projects["area"], projects["status"], projects["year"])
    n_values = 30
    keys = cells.of_project * n_values + projects["value"]
    weights = np.arange(len(keys)) % 7
    counts = cells.running(keys, n_values)
    weighted = cells.running(keys, n_values, weights)
    groups, slots = _groups(cells, areas, statuses), cells.slots(years)
    chosen = _plain_mask(projects, areas, statuses, years)
    np.testing.assert_array_equal(
        cells.total(counts, groups, slots),
        np.bincount(projects["value"][chosen], minlength=n_values),
    )
    np.testing.assert_array_equal(
        cells.total(weighted, groups, slots),
        np.bincount(projects["value"][chosen], weights=weights[chosen], minlength=n_values),
    )
