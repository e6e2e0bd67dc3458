"""The one filter object and the one place it is applied.

A ``Filter`` is a frozen value: geography (macro-region → country → federal district →
subdivision → city) narrows the members; cooperation area, status and start-year range narrow the
projects. ``apply_filter`` returns a ``View`` of members, projects and participations that every
page and aggregation works from. ``to_query``/``from_query`` give the URL form of a view, with ids
that do not depend on the interface language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from .registry import Registry

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
# Member column that each geographic field matches.
GEO_COLUMNS: dict[str, str] = {
    "macro_regions": "macro_region_id",
    "countries": "country_id",
    "federal_districts": "federal_district_id",
    "subdivisions": "subdivision_id",
    "cities": "id",
}


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
        m = registry.members
        known = {name: set(m[col].dropna().astype(str)) for name, col in GEO_COLUMNS.items()}
        known["areas"] = set(registry.areas["id"].astype(str))
        known["statuses"] = {"planned", "active", "completed"}
        changes = {
            f.name: tuple(v for v in getattr(self, f.name) if v in known[f.name])
            for f in fields(self)
            if f.name in known
        }
        return replace(self, **changes)


@dataclass(frozen=True)
class View:
    """A filtered slice of the registry: what a page shows."""

    members: pd.DataFrame
    projects: pd.DataFrame
    participations: pd.DataFrame
    filter: Filter
    registry: Registry


def _is_in(column: pd.Series, chosen: tuple[str, ...]) -> pd.Series:
    """True where the column's value is one of ``chosen`` (missing values never match)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.isin(chosen)  # compares the few category labels, not every row
    return column.astype("string").isin(chosen).fillna(False)


def member_mask(members: pd.DataFrame, f: Filter, skip: str | None = None) -> pd.Series:
    """Boolean mask of members matching the geographic fields (optionally ignoring one field)."""
    mask = pd.Series(True, index=members.index)
    for name in GEO_FIELDS:
        chosen = getattr(f, name)
        if chosen and name != skip:
            mask &= _is_in(members[GEO_COLUMNS[name]], chosen)
    return mask


def project_mask(projects: pd.DataFrame, f: Filter) -> pd.Series:
    """Boolean mask of projects matching area, status and start-year range."""
    mask = pd.Series(True, index=projects.index)
    if f.areas:
        mask &= _is_in(projects["area_id"], f.areas)
    if f.statuses:
        mask &= _is_in(projects["status"], f.statuses)
    if f.years is not None:
        year = projects["start_year"]
        mask &= ((year >= f.years[0]) & (year <= f.years[1])).fillna(False)
    return mask


def apply_filter(registry: Registry, f: Filter) -> View:
    """Apply the filter once: members by geography, projects by area/status/years and by having
    at least one participant among the chosen members; participations where both match."""
    m_mask = member_mask(registry.members, f).to_numpy(dtype=bool)
    p_mask = project_mask(registry.projects, f).to_numpy(dtype=bool)
    parts = registry.participations
    geo_set = not all(not getattr(f, n) for n in GEO_FIELDS)
    if "project_row" in parts and "member_row" in parts:
        # Positions into the registry's projects and members: a gather, no id look-ups.
        keep = p_mask[parts["project_row"].to_numpy()]
        if geo_set:
            keep = keep & m_mask[parts["member_row"].to_numpy()]
            with_member = np.zeros(len(p_mask), dtype=bool)
            with_member[parts["project_row"].to_numpy()[keep]] = True
            p_mask = p_mask & with_member
        participations = parts[keep]
    else:  # a hand-built registry without the position columns
        keep = parts["project_id"].isin(registry.projects["id"][p_mask])
        if geo_set:
            keep = keep & parts["member_id"].isin(registry.members["id"][m_mask])
        participations = parts[keep]
        if geo_set:
            p_mask = (
                p_mask
                & registry.projects["id"].isin(participations["project_id"].unique()).to_numpy()
            )
    members = registry.members[m_mask]
    projects = registry.projects[p_mask]
    return View(
        members=members,
        projects=projects,
        participations=participations,
        filter=f,
        registry=registry,
    )


def geo_options(members: pd.DataFrame, f: Filter, level: str) -> pd.DataFrame:
    """Options of one geographic level given the choices made at the levels above it.

    Returns a frame with ``id`` and the ru/en label columns of that level, in register order.
    """
    order = list(GEO_FIELDS)
    above = order[: order.index(level)]
    mask = pd.Series(True, index=members.index)
    for name in above:
        chosen = getattr(f, name)
        if chosen:
            mask &= members[GEO_COLUMNS[name]].astype("string").isin(chosen).fillna(False)
    label_base = {
        "macro_regions": "macro_region",
        "countries": "country",
        "federal_districts": "federal_district",
        "subdivisions": "subdivision",
        "cities": "name",
    }[level]
    col = GEO_COLUMNS[level]
    sub = members.loc[mask, [col, f"{label_base}_ru", f"{label_base}_en"]].dropna(subset=[col])
    sub = sub.drop_duplicates(subset=[col])
    sub.columns = ["id", "label_ru", "label_en"]
    return sub.assign(id=sub["id"].astype(str)).reset_index(drop=True)


def prune(members: pd.DataFrame, f: Filter) -> Filter:
    """Drop choices at lower levels that the levels above no longer allow (cascade reset)."""
    current = f
    for level in GEO_FIELDS[1:]:
        allowed = set(geo_options(members, current, level)["id"])
        chosen = getattr(current, level)
        kept = tuple(v for v in chosen if v in allowed)
        if kept != chosen:
            current = replace(current, **{level: kept})
    return current
