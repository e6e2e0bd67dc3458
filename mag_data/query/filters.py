"""The one filter object and the one place it is applied.

A ``Filter`` is a frozen value: geography (macro-region → country → federal district →
subdivision → city) narrows the members; cooperation area, status and start-year range narrow the
projects. ``apply_filter`` returns a ``View`` of members, projects and participations that every
page and aggregation works from. ``to_query``/``from_query`` give the URL form of a view, with ids
that do not depend on the interface language.
"""

from __future__ import annotations

import functools
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from mag_data.query.index import GEO_COLUMNS, take
from mag_data.register.registry import Registry
from mag_data.register.schema import FEDERAL_DISTRICTS, STATUSES

# URL parameter name for each filter field.
QUERY_KEYS: dict[str, str] = {
    "macro_regions": "region",
    "countries": "country",
    "federal_districts": "fd",
    "subdivisions": "subdivision",
    "cities": "city",
    "areas": "area",
    "statuses": "status",
}
GEO_FIELDS = ("macro_regions", "countries", "federal_districts", "subdivisions", "cities")


@dataclass(frozen=True)
class Filter:
    """What the user chose. An empty tuple means "all"; ``years`` is an inclusive start-year range."""

    macro_regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    federal_districts: tuple[str, ...] = ()
    subdivisions: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    years: tuple[int, int] | None = None

    def is_empty(self) -> bool:
        return self == Filter()

    def with_(self, **changes: object) -> Filter:
        """A copy with some fields changed (lists become tuples)."""
        clean = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        return replace(self, **clean)  # type: ignore[arg-type]

    def projects_only(self) -> Filter:
        """The same area/status/year choices with no geographic restriction."""
        return Filter(areas=self.areas, statuses=self.statuses, years=self.years)

    def to_query(self) -> dict[str, list[str]]:
        """URL parameters for this filter (only the fields that are set)."""
        out: dict[str, list[str]] = {}
        for name, key in QUERY_KEYS.items():
            values = getattr(self, name)
            if values:
                out[key] = list(values)
        if self.years is not None:
            out["years"] = [f"{self.years[0]}-{self.years[1]}"]
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, Sequence[str] | str]) -> Filter:
        """Parse URL parameters; unknown keys are ignored, a malformed year range is dropped."""
        values: dict[str, object] = {}
        for name, key in QUERY_KEYS.items():
            raw = params.get(key)
            if raw is None:
                continue
            items = [raw] if isinstance(raw, str) else list(raw)
            # Accept both repeated parameters and comma-separated lists.
            parts = [p.strip() for item in items for p in str(item).split(",") if p.strip()]
            values[name] = tuple(dict.fromkeys(parts))
        raw_years = params.get("years")
        if raw_years:
            text = raw_years if isinstance(raw_years, str) else list(raw_years)[0]
            try:
                lo, hi = (int(x) for x in str(text).split("-", 1))
                values["years"] = (min(lo, hi), max(lo, hi))
            except ValueError:
                pass
        return cls(**values)  # type: ignore[arg-type]

    def restricted_to(self, registry: Registry) -> Filter:
        """Drop ids the registry does not know (a stale or hand-edited link)."""
        index = registry.index  # the ids each column holds, already collected (no frame scans)
        known: dict[str, Container[str]] = {
            name: index.levels[name].position for name in GEO_COLUMNS
        }
        known["areas"] = set(index.area_ids)
        known["statuses"] = STATUSES
        changes = {
            f.name: tuple(v for v in getattr(self, f.name) if v in known[f.name])
            for f in fields(self)
            if f.name in known
        }
        return replace(self, **changes)


@dataclass(frozen=True, eq=False)
class View:
    """A filtered slice of the registry: what a page shows.

    A view is three boolean masks over the registry's members, projects and participations;
    the frames (``members``, ``projects``, ``participations``) are taken from the registry the
    first time they are asked for. Counting (``mag_data.query.aggregations``) works on the masks and
    the registry's integer codes and never needs the frames.
    """

    registry: Registry
    filter: Filter
    member_mask: np.ndarray
    project_mask: np.ndarray
    participation_mask: np.ndarray

    @functools.cached_property
    def members(self) -> pd.DataFrame:
        return self.registry.members[self.member_mask]

    @functools.cached_property
    def projects(self) -> pd.DataFrame:
        return self.registry.projects[self.project_mask]

    @functools.cached_property
    def participations(self) -> pd.DataFrame:
        return self.registry.participations[self.participation_mask]

    @property
    def n_members(self) -> int:
        return int(np.count_nonzero(self.member_mask))

    @property
    def n_projects(self) -> int:
        return int(np.count_nonzero(self.project_mask))

    @functools.cached_property
    def memo(self) -> dict[object, object]:
        """Results derived from this view, computed once per view (several pages' tables share
        the same per-country and per-city counts); the view itself is per filter."""
        return {}

    @functools.cached_property
    def part_rows(self) -> np.ndarray:
        """Positions of the view's participations (gathering by position is ~3× cheaper than
        masking a million rows again for every count)."""
        return np.flatnonzero(self.participation_mask)

    @property
    def geographic(self) -> bool:
        """True when the filter chooses any region, country, district or city."""
        return any(getattr(self.filter, name) for name in GEO_FIELDS)

    @functools.cached_property
    def cells(self) -> tuple[np.ndarray, tuple[int, int]]:
        """The filter's project choice as cells (``project_cells``); without a geographic
        choice, exactly the view's projects."""
        return project_cells(self.registry, self.filter)

    @functools.cached_property
    def project_rows(self) -> np.ndarray:
        """Positions of the view's projects in the registry."""
        return np.flatnonzero(self.project_mask)

    @functools.cached_property
    def member_rows(self) -> np.ndarray:
        """Positions of the view's members in the registry (register order)."""
        return np.flatnonzero(self.member_mask)


def member_mask(registry: Registry, f: Filter, skip: str | None = None) -> np.ndarray:
    """Boolean mask of members matching the geographic fields (optionally ignoring one field)."""
    index = registry.index
    mask = np.ones(index.n_members, dtype=bool)
    for name in GEO_FIELDS:
        chosen = getattr(f, name)
        if chosen and name != skip:
            level = index.levels[name]
            mask &= level.lookup(chosen)[level.codes]
    return mask


def _table(chosen: tuple[str, ...], known: list[str]) -> np.ndarray:
    """Boolean table over positions in ``known`` (+ a False slot for -1, unknown)."""
    table = np.zeros(len(known) + 1, dtype=bool)
    table[[i for i, v in enumerate(known) if v in set(chosen)]] = True
    return table


def project_cells(registry: Registry, f: Filter) -> tuple[np.ndarray, tuple[int, int]]:
    """What the filter's area, status and year fields choose, as cells (``index.Cells``): a
    boolean over (area, status) groups and a run [first, end) of start-year slots (a year
    range leaves out projects without a start year)."""
    index = registry.index
    cells = index.cells
    groups = np.ones(cells.n_groups, dtype=bool)
    if f.areas:
        groups &= _table(f.areas, index.area_ids)[cells.group_area]
    if f.statuses:
        groups &= _table(f.statuses, list(STATUSES))[cells.group_status]
    return groups, cells.slots(f.years)


def project_mask(registry: Registry, f: Filter) -> np.ndarray:
    """Boolean mask of projects matching area, status and start-year range: the projects of
    the filter's cells."""
    cells = registry.index.cells
    return np.asarray(cells.table(*project_cells(registry, f))[cells.of_project])


def apply_filter(registry: Registry, f: Filter) -> View:
    """Apply the filter once: members by geography, projects by area/status/years and by having
    at least one participant among the chosen members; participations where both match."""
    index = registry.index
    m_mask = member_mask(registry, f)
    p_mask = project_mask(registry, f)
    keep = take(p_mask, index.part_project, False)
    if any(getattr(f, n) for n in GEO_FIELDS):
        keep &= take(m_mask, index.part_member, False)
        with_member = np.zeros(len(p_mask), dtype=bool)
        with_member[index.part_project[keep]] = True
        p_mask &= with_member
    return View(
        registry=registry,
        filter=f,
        member_mask=m_mask,
        project_mask=p_mask,
        participation_mask=keep,
    )


def _option_codes(registry: Registry, f: Filter, level: str) -> np.ndarray:
    """Codes of one level's values among the members the levels above allow (register order)."""
    order = list(GEO_FIELDS)
    above = Filter(**{name: getattr(f, name) for name in order[: order.index(level)]})
    lv = registry.index.levels[level]
    present = np.zeros(len(lv) + 1, dtype=bool)
    present[lv.codes[member_mask(registry, above)]] = True
    return np.flatnonzero(present[:-1])  # codes number values in order of first appearance


def geo_labels(registry: Registry, f: Filter, level: str, lang: str) -> dict[str, str]:
    """The options of one level (id → label in ``lang``) given the choices above it: what the
    sidebar lists, without building a frame on every rerun."""
    lv = registry.index.levels[level]
    codes = _option_codes(registry, f, level)
    labels = lv.label_ru if lang == "ru" else lv.label_en
    options = {str(i): str(label) for i, label in zip(lv.ids[codes], labels[codes], strict=True)}
    if level == "federal_districts":  # the official order, not the register's
        return {i: options[i] for i in sorted(options, key=federal_district_rank)}
    return options


def federal_district_rank(district_id: str) -> int:
    """Position of a federal district in the official order (``schema.FEDERAL_DISTRICTS``);
    an unknown one after them."""
    try:
        return FEDERAL_DISTRICTS.index(district_id)
    except ValueError:
        return len(FEDERAL_DISTRICTS)


def prune(registry: Registry, f: Filter) -> Filter:
    """Drop choices at lower levels that the levels above no longer allow (cascade reset)."""
    current = f
    for level in GEO_FIELDS[1:]:
        chosen = getattr(current, level)
        if not chosen:
            continue
        allowed = {
            str(i)
            for i in registry.index.levels[level].ids[_option_codes(registry, current, level)]
        }
        kept = tuple(v for v in chosen if v in allowed)
        if kept != chosen:
            current = replace(current, **{level: kept})
    return current
