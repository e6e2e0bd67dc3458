"""Loading the registers from a folder: read, validate, cross-check, derive once.

``load_registry(folder)`` returns a ``Registry`` or raises ``DataValidationError`` holding every
problem (file, row, column, value, code). Nothing here writes to the folder.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mag_data import config
from mag_data.query.index import RegistryIndex, build_index
from mag_data.register.chronicle_checks import check_events, check_joined, check_statements
from mag_data.register.countries import check_countries
from mag_data.register.problems import DataValidationError, Problem
from mag_data.register.reading import file_fingerprint as file_fingerprint  # re-exported
from mag_data.register.reading import fingerprint_of, read_register_files
from mag_data.register.schema import (
    ALIASES,
    AREAS,
    EVENT_SOURCES,
    EVENTS,
    MEMBERS,
    MEMBERSHIP_STATEMENTS,
    PARTICIPANTS,
    PROJECTS,
    REGISTER_FILES,
    TASKS,
    TableSpec,
)
from mag_data.register.textfile import RawTable, read_table
from mag_data.register.validate import MAX_PROBLEMS_PER_CHECK, flag_rows, validate_table

# Columns of a member that must be the same for every member of one country / macro-region.
COUNTRY_COLUMNS = ("country_ru", "country_en", "iso_code", "macro_region_id")
MACRO_REGION_COLUMNS = ("macro_region_ru", "macro_region_en")


@dataclass(frozen=True)
class FileInfo:
    """What was detected when a file was read."""

    file: str
    encoding: str
    delimiter: str
    rows: int


@dataclass(frozen=True)
class Registry:
    """The validated registers plus frames derived from them once, at load time.

    ``participations`` is one row per (project, member) with the project's area, status and start
    year and the member's geography, so that every filter and aggregation works on one frame;
    ``project_row``/``member_row`` are the row positions of its project in ``projects`` and of its
    member in ``members`` (a filter then selects participations by position, not by id).
    ``events``, ``event_sources`` and ``membership_statements`` are the chronicle: real, sourced
    facts (``mag_data.analysis.chronicle`` reads them).
    """

    members: pd.DataFrame
    aliases: pd.DataFrame
    areas: pd.DataFrame
    tasks: pd.DataFrame
    projects: pd.DataFrame
    participants: pd.DataFrame
    participations: pd.DataFrame
    events: pd.DataFrame
    event_sources: pd.DataFrame
    membership_statements: pd.DataFrame
    warnings: tuple[Problem, ...] = ()
    files: tuple[FileInfo, ...] = ()
    fingerprint: str = ""

    # Derived values are computed on first use and kept (frames are never mutated in place).
    @functools.cached_property
    def illustrative(self) -> bool:
        """True when any project in the register is an illustrative (generated) sample."""
        return bool(self.projects["illustrative"].any())

    @functools.cached_property
    def index(self) -> RegistryIndex:
        """Integer codes and pairs for fast filtering and counting (``mag_data.query.index``)."""
        return build_index(self.members, self.projects, self.participations, self.areas)

    @functools.cached_property
    def _member_arrays(self) -> dict[str, np.ndarray]:
        return {}

    def member_array(self, column: str) -> np.ndarray:
        """One member column as a numpy array (text as ``str`` objects, a missing value as
        None), made once: taking a view's rows from it is a plain index, not a pandas step."""
        cache = self._member_arrays
        if column not in cache:
            values = self.members[column]
            if isinstance(values.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(
                values.dtype
            ):
                text = values.astype("string")
                cache[column] = np.asarray(
                    [None if v is pd.NA else str(v) for v in text], dtype=object
                )
            else:
                cache[column] = values.to_numpy()
        return cache[column]

    @functools.cached_property
    def year_bounds(self) -> tuple[int, int]:
        """First and last project start year (a sensible default year range)."""
        years = self.projects["start_year"]
        if years.empty:
            return (2000, 2000)
        return int(years.min()), int(years.max())


def check_members(members: pd.DataFrame, file: str) -> list[Problem]:
    """Per-country consistency: one country id, one set of names, ISO code and macro-region."""
    problems: list[Problem] = check_countries(members, file)
    for group_col, cols in (
        ("country_id", COUNTRY_COLUMNS),
        ("macro_region_id", MACRO_REGION_COLUMNS),
    ):
        for col in cols:
            values = members[[group_col, col]].astype("string").fillna("")
            first = values.groupby(group_col, observed=True)[col].transform("first")
            flag_rows(
                problems,
                "inconsistent_value",
                file,
                values[col] != first,
                members,
                col,
                group=group_col,
            )
    capitals = members[members["is_capital"]].groupby("country_id", observed=True).size()
    for country_id, count in capitals[capitals > 1].items():
        problems.append(
            Problem(
                file=file,
                code="several_capitals",
                column="is_capital",
                value=str(country_id),
                severity="warning",
                params={"count": int(count)},
            )
        )
    return problems


def check_projects(
    projects: pd.DataFrame, areas: pd.DataFrame, tasks: pd.DataFrame, file: str
) -> list[Problem]:
    """Areas and tasks must exist; an end date is not before its start; a budget has a currency."""
    problems: list[Problem] = []
    area_ids = set(areas["id"].astype(str))
    bad_area = projects["area_id"].notna() & ~projects["area_id"].astype(str).isin(area_ids)
    flag_rows(
        problems,
        "unknown_value",
        file,
        bad_area,
        projects,
        "area_id",
        allowed=", ".join(sorted(area_ids)),
    )
    task_ids = set(tasks["id"].astype(str))
    bad_task = projects["task_id"].notna() & ~projects["task_id"].astype(str).isin(task_ids)
    flag_rows(
        problems,
        "unknown_value",
        file,
        bad_task,
        projects,
        "task_id",
        allowed=", ".join(sorted(task_ids)),
    )
    ends_early = projects["end_date"].notna() & (projects["end_date"] < projects["start_date"])
    flag_rows(problems, "end_before_start", file, ends_early, projects, "end_date")
    no_currency = projects["budget"].notna() & projects["currency"].isna()
    flag_rows(problems, "budget_without_currency", file, no_currency, projects, "currency")
    return problems


def check_participants(
    participants: pd.DataFrame, members: pd.DataFrame, projects: pd.DataFrame, file: str
) -> list[Problem]:
    """Every participant names a known project and a known member; one lead per project."""
    problems: list[Problem] = []
    unknown_project = ~_is_in(participants["project_id"], projects["id"])
    flag_rows(problems, "unknown_project", file, unknown_project, participants, "project_id")
    unknown_member = ~_is_in(participants["member_id"], members["id"])
    flag_rows(problems, "unknown_member", file, unknown_member, participants, "member_id")
    project = participants["project_id"].astype("category")
    leads = participants["role"].astype(str).eq("lead").groupby(project, observed=True).sum()
    without_lead = leads[leads != 1]
    for project_id, count in list(without_lead.items())[:MAX_PROBLEMS_PER_CHECK]:
        problems.append(
            Problem(
                file=file,
                code="lead_count",
                column="role",
                value=str(project_id),
                severity="warning",
                params={"count": int(count)},
            )
        )
    return problems


def _is_in(values: pd.Series, known: pd.Series) -> pd.Series:
    """``values.isin(known)`` by a hash look-up (Series.isin on Arrow strings with a large set
    builds one Python scalar per element: seconds at a million rows)."""
    index = pd.Index(known.dropna().unique())
    return pd.Series(index.get_indexer(values) >= 0, index=values.index)


def check_aliases(aliases: pd.DataFrame, members: pd.DataFrame, file: str) -> list[Problem]:
    problems: list[Problem] = []
    unknown = ~_is_in(aliases["member_id"], members["id"])
    flag_rows(problems, "unknown_member", file, unknown, aliases, "member_id")
    return problems


def slugify(text: pd.Series) -> pd.Series:
    """Lower-case ascii slug of a label column ("Central Federal District" → "central-federal-district")."""
    return (
        text.astype("string")
        .str.lower()
        .str.normalize("NFKD")
        .str.encode("ascii", errors="ignore")
        .str.decode("ascii")
        .str.replace(r"[^a-z0-9]+", "-", regex=True)
        .str.strip("-")
    )


def derive_members(members: pd.DataFrame) -> pd.DataFrame:
    """Add ``federal_district_id`` and ``subdivision_id`` (ISO 3166-2 code, else a slug) for filters."""
    fd = slugify(members["federal_district_en"]).replace("", pd.NA)
    subdivision = (
        members["subdivision_code"].astype("string").fillna(slugify(members["subdivision_en"]))
    )
    return members.assign(
        federal_district_id=fd.astype("category"),
        subdivision_id=subdivision.astype("category"),
    )


def derive_projects(
    projects: pd.DataFrame, participants: pd.DataFrame, members: pd.DataFrame
) -> pd.DataFrame:
    """Add start_year, participant count and the cross-border flag (partners in >1 country)."""
    member_row = pd.Index(members["id"]).get_indexer(participants["member_id"])
    country = members["country_id"].astype(str).to_numpy()[member_row]
    country = pd.Series(country, index=participants.index).where(member_row >= 0)
    per_project = (
        pd.DataFrame(
            {"project_id": participants["project_id"].astype("category"), "country_id": country}
        )
        .groupby("project_id", observed=True)
        .agg(n_participants=("country_id", "size"), n_countries=("country_id", "nunique"))
    )
    per_project.index = per_project.index.astype(projects["id"].dtype)
    out = projects.assign(start_year=projects["start_date"].dt.year.astype("Int64"))
    out = out.join(per_project, on="id")
    return out.assign(
        n_participants=out["n_participants"].fillna(0).astype("int64"),
        n_countries=out["n_countries"].fillna(0).astype("int64"),
        cross_border=out["n_countries"].fillna(0) > 1,
    )


def derive_participations(
    participants: pd.DataFrame, projects: pd.DataFrame, members: pd.DataFrame
) -> pd.DataFrame:
    """One row per participation with the project's and the member's attributes joined on
    (an inner join on the ids, participants' order kept), plus ``project_row``/``member_row``."""
    project_cols = ["area_id", "status", "start_year", "cross_border"]
    member_cols = ["country_id", "macro_region_id", "subdivision_id", "federal_district_id"]
    # Ids are unique (checked before), so a position look-up is the join, without string merges.
    project_row = pd.Index(projects["id"]).get_indexer(participants["project_id"])
    member_row = pd.Index(members["id"]).get_indexer(participants["member_id"])
    found = (project_row >= 0) & (member_row >= 0)
    project_row, member_row = project_row[found], member_row[found]
    out = participants[found].reset_index(drop=True)
    joined = {c: projects[c].iloc[project_row].reset_index(drop=True) for c in project_cols}
    joined |= {c: members[c].iloc[member_row].reset_index(drop=True) for c in member_cols}
    out = out.assign(
        **joined,
        project_row=project_row.astype("int32"),
        member_row=member_row.astype("int32"),
    )
    for col in (
        "project_id",
        "member_id",
        "area_id",
        "status",
        "country_id",
        "macro_region_id",
        "subdivision_id",
        "federal_district_id",
        "role",
    ):
        out[col] = out[col].astype("category")
    return out


def _read(
    folder: Path,
    spec: TableSpec,
    problems: list[Problem],
    files: list[FileInfo],
    raws: dict[str, bytes],
    source: Mapping[str, bytes],
    tables: Mapping[str, RawTable] | None = None,
    typed_out: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    if spec.file not in source:
        problems.append(
            Problem(file=spec.file, code="file_missing", params={"folder": str(folder)})
        )
        return pd.DataFrame(columns=spec.column_names)
    raw = source[spec.file]
    if tables is not None and spec.file in tables:  # read already (an upload): not again
        raws[spec.file] = raw
        given = tables[spec.file]
        files.append(FileInfo(spec.file, given.encoding, given.delimiter, len(given.frame)))
        typed, table_problems = validate_table(spec, spec.file, given.frame)
        problems += table_problems
        if typed_out is not None:
            typed_out[spec.file] = typed
        return typed
    raws[spec.file] = raw
    table, read_problems = read_table(raw, spec.file)
    problems += read_problems
    if table is None:
        return pd.DataFrame(columns=spec.column_names)
    files.append(FileInfo(spec.file, table.encoding, table.delimiter, len(table.frame)))
    typed, table_problems = validate_table(spec, spec.file, table.frame)
    problems += table_problems
    if typed_out is not None:
        typed_out[spec.file] = typed
    return typed


def load_registry(
    folder: Path | str = config.DATA_DIR,
    overrides: Mapping[str, bytes] | None = None,
    *,
    tables: Mapping[str, RawTable] | None = None,
    typed_out: dict[str, pd.DataFrame] | None = None,
) -> Registry:
    """Load and validate all registers from ``folder``.

    ``overrides`` maps a file name to bytes that replace that file (used to validate an upload
    against the rest of the register without writing anything); ``tables`` maps a file name to
    a table read already (an upload, which is then not read again; its bytes, for the
    fingerprint, must be in ``overrides``). ``typed_out``, if given, receives each file's
    validated frame as read (before sorting and derived columns). The files are read as one
    consistent set (``reading.read_register_files``): never half of a version switch. Raises
    DataValidationError.
    """
    folder = Path(folder)
    if overrides is not None and set(REGISTER_FILES) <= set(overrides):
        source: Mapping[str, bytes] = overrides
    else:
        source = {**read_register_files(folder)[0], **(overrides or {})}
    problems: list[Problem] = []
    files: list[FileInfo] = []
    raws: dict[str, bytes] = {}
    members = _read(folder, MEMBERS, problems, files, raws, source, tables, typed_out)
    aliases = _read(folder, ALIASES, problems, files, raws, source, tables, typed_out)
    areas = _read(folder, AREAS, problems, files, raws, source, tables, typed_out)
    tasks = _read(folder, TASKS, problems, files, raws, source, tables, typed_out)
    projects = _read(folder, PROJECTS, problems, files, raws, source, tables, typed_out)
    participants = _read(folder, PARTICIPANTS, problems, files, raws, source, tables, typed_out)
    events = _read(folder, EVENTS, problems, files, raws, source, tables, typed_out)
    event_sources = _read(folder, EVENT_SOURCES, problems, files, raws, source, tables, typed_out)
    statements = _read(
        folder, MEMBERSHIP_STATEMENTS, problems, files, raws, source, tables, typed_out
    )
    if any(p.severity == "error" for p in problems):
        raise DataValidationError(problems)

    problems += check_members(members, MEMBERS.file)
    problems += check_aliases(aliases, members, ALIASES.file)
    problems += check_projects(projects, areas, tasks, PROJECTS.file)
    problems += check_participants(participants, members, projects, PARTICIPANTS.file)
    problems += check_joined(members, MEMBERS.file)
    problems += check_events(events, event_sources, members, (EVENTS.file, EVENT_SOURCES.file))
    problems += check_statements(statements, MEMBERSHIP_STATEMENTS.file)
    if any(p.severity == "error" for p in problems):
        raise DataValidationError(problems)

    members = members.sort_values(["list_group", "list_position"], kind="stable")
    members = derive_members(members.reset_index(drop=True))
    areas = areas.sort_values("order").reset_index(drop=True)
    tasks = tasks.sort_values("order").reset_index(drop=True)
    projects = derive_projects(projects, participants, members)
    participations = derive_participations(participants, projects, members)
    registry = Registry(
        members=members,
        aliases=aliases,
        areas=areas,
        tasks=tasks,
        projects=projects,
        participants=participants,
        participations=participations,
        events=events,
        event_sources=event_sources,
        membership_statements=statements,
        warnings=tuple(p for p in problems if p.severity == "warning"),
        files=tuple(files),
        fingerprint=fingerprint_of(raws),
    )
    index = registry.index  # derived now, while loading, not on the first filter
    if overrides is None:  # a register checked against an upload is not shown: no views of it
        index.prepare()
    return registry
