"""Cross-table checks of the chronicle: events, their extra sources, membership statements, and
the members' join years.

The chronicle holds real facts, each with its source, so the checks insist on that: every event
has a complete source, a join year has its source, a date is written as precisely as its
``date_precision`` says (and is a real calendar date), a host is a member or a named place with
coordinates, and every id a disagreement note or an extra source names is an event.
"""

from __future__ import annotations

import pandas as pd

from mag_data.register.problems import Problem
from mag_data.register.validate import flag_rows

# How a date of each precision is written (an unknown date is left empty).
PRECISION_LENGTH = {"day": 10, "month": 7, "year": 4}
SOURCE_PARTS = ("source_url", "source_publisher", "source_quote")
JOINED_SOURCE = ("joined_source_url", "joined_source_publisher", "joined_source_quote")


def _text(column: pd.Series) -> pd.Series:
    """A text column with missing cells as ""."""
    return column.astype("string").fillna("")


def _not_calendar_date(dates: pd.Series) -> pd.Series:
    """True where a YYYY-MM or YYYY-MM-DD text is no real month or day (2020-13, 2020-02-30)."""
    full = dates.where(dates.str.len() != 7, dates + "-01").where(dates.str.len() != 4, "")
    parsed = pd.to_datetime(full.where(full != "", None), format="%Y-%m-%d", errors="coerce")
    return (full != "") & parsed.isna()


def check_dates(events: pd.DataFrame, file: str) -> list[Problem]:
    """Dates as precise as stated, real calendar dates, and no end before the start."""
    problems: list[Problem] = []
    precision = _text(events["date_precision"])
    start, end = _text(events["start_date"]), _text(events["end_date"])
    length = precision.map(PRECISION_LENGTH).astype("Int64").fillna(0)
    unknown = precision == "unknown"
    start_bad = (unknown & (start != "")) | (~unknown & (start.str.len() != length))
    flag_rows(problems, "date_precision_mismatch", file, start_bad, events, "start_date")
    end_bad = (end != "") & (unknown | (end.str.len() != length))
    flag_rows(problems, "date_precision_mismatch", file, end_bad, events, "end_date")
    for column, values in (("start_date", start), ("end_date", end)):
        flag_rows(problems, "bad_date", file, _not_calendar_date(values), events, column)
    ends_early = (end != "") & ~end_bad & ~start_bad & (end < start)
    flag_rows(problems, "end_before_start", file, ends_early, events, "end_date")
    return problems


def check_events(
    events: pd.DataFrame, event_sources: pd.DataFrame, members: pd.DataFrame, files: tuple[str, str]
) -> list[Problem]:
    """Hosts, dates, sources and the event ids that notes and extra sources name."""
    events_file, sources_file = files
    problems = check_dates(events, events_file)
    member_ids = set(_text(members["id"]))
    host = _text(events["host_city_id"])
    flag_rows(
        problems,
        "unknown_host_city",
        events_file,
        (host != "") & ~host.isin(member_ids),
        events,
        "host_city_id",
    )
    place = ["host_name_ru", "host_name_en", "host_lat", "host_lon"]
    given = pd.DataFrame({c: events[c].notna() & (_text(events[c]) != "") for c in place})
    # A member host takes its name and place from members.csv; any other host needs all four.
    incomplete = (host == "") & given.any(axis=1) & ~given.all(axis=1)
    doubled = (host != "") & given.any(axis=1)
    flag_rows(
        problems, "host_incomplete", events_file, incomplete | doubled, events, "host_city_id"
    )
    for part in SOURCE_PARTS:
        missing = _text(events[part]).str.strip() == ""
        flag_rows(problems, "missing_source", events_file, missing, events, part)
    event_ids = set(_text(events["id"]))
    named = _text(events["disagrees_with"]).str.split("|")
    unknown_named = named.map(lambda ids: any(i and i not in event_ids for i in ids))
    flag_rows(problems, "unknown_event", events_file, unknown_named, events, "disagrees_with")
    unknown_source = ~_text(event_sources["event_id"]).isin(event_ids)
    flag_rows(problems, "unknown_event", sources_file, unknown_source, event_sources, "event_id")
    return problems


def check_statements(statements: pd.DataFrame, file: str) -> list[Problem]:
    """A membership statement states a count or a founding date (else it says nothing)."""
    problems: list[Problem] = []
    empty = (
        statements["n_cities"].isna()
        & statements["n_countries"].isna()
        & (_text(statements["founded_stated"]) == "")
    )
    flag_rows(problems, "statement_without_figure", file, empty, statements, "n_cities")
    return problems


def check_joined(members: pd.DataFrame, file: str) -> list[Problem]:
    """A join year is entered only with its source (URL, publisher, quote), and vice versa."""
    problems: list[Problem] = []
    has_year = members["joined"].notna()
    present = pd.DataFrame({p: _text(members[p]).str.strip() != "" for p in JOINED_SOURCE})
    for part in JOINED_SOURCE:
        flag_rows(problems, "joined_without_source", file, has_year & ~present[part], members, part)
    orphan = ~has_year & present.any(axis=1)
    flag_rows(problems, "joined_without_source", file, orphan, members, "joined")
    return problems
