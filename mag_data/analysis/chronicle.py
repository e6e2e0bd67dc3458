"""The chronicle: the assembly's sourced events, where it met, the gaps, the stated membership.

Pure pandas over ``Registry.events``/``event_sources``/``membership_statements`` (real facts with
their sources, unlike the illustrative projects). Nothing here fills a gap: a date is as precise
as its source, an unknown date or place stays unknown and is listed by ``session_gaps``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mag_data.i18n import t
from mag_data.register.registry import Registry
from mag_data.register.schema import EVENT_KINDS

# The day the sources were gathered (data/README.md, "Chronicle").
SEARCH_DATE = "2026-12-02"
SOURCE_FIELDS = ("source_publisher", "source_url", "source_quote", "source_date")


def _text(column: pd.Series) -> pd.Series:
    return column.astype("string").fillna("")


def _as_date(partial: pd.Series) -> pd.Series:
    """A YYYY / YYYY-MM / YYYY-MM-DD text as the first day it can mean (NaT when empty)."""
    text = _text(partial)
    full = text.where(text.str.len() != 4, text + "-01-01")
    full = full.where(full.str.len() != 7, full + "-01")
    return pd.to_datetime(full.where(full != "", None), format="%Y-%m-%d", errors="coerce")


def events_table(registry: Registry) -> pd.DataFrame:
    """Every event with its host resolved and a few derived columns, in date order (undated last).

    Adds ``host_ru``/``host_en``, ``lat``/``lon`` (a member host's from ``members.csv``),
    ``host_key`` (member id or the non-member's English name; empty without a place),
    ``start`` (the first day the start date can mean), ``year``, ``has_date``, ``has_place``,
    ``n_sources`` (the row's own source plus those of ``event_sources.csv``).
    """
    events = registry.events
    members = registry.members.set_index(registry.members["id"].astype(str))
    host = _text(events["host_city_id"])
    is_member = host != ""
    row = members.index.get_indexer(host.where(is_member, "\0"))
    found = row >= 0

    def from_member(column: str, own: pd.Series) -> pd.Series:
        values = members[column].to_numpy(dtype=object)[np.where(found, row, 0)]
        return pd.Series(np.where(found, values, own.to_numpy(dtype=object)), index=events.index)

    host_ru = from_member("name_ru", _text(events["host_name_ru"]))
    host_en = from_member("name_en", _text(events["host_name_en"]))
    lat = pd.to_numeric(from_member("lat", events["host_lat"].astype("Float64")), errors="coerce")
    lon = pd.to_numeric(from_member("lon", events["host_lon"].astype("Float64")), errors="coerce")
    extra = registry.event_sources["event_id"].astype(str).value_counts()
    start = _as_date(events["start_date"])
    out = events.assign(
        host_ru=host_ru.astype("string"),
        host_en=host_en.astype("string"),
        host_key=host.where(is_member, _text(events["host_name_en"])),
        lat=lat,
        lon=lon,
        start=start,
        year=start.dt.year.astype("Int64"),
        has_date=start.notna(),
        has_place=lat.notna() & lon.notna(),
        n_sources=1 + events["id"].astype(str).map(extra).fillna(0).astype("int64"),
    )
    kind_order = {k: i for i, k in enumerate(EVENT_KINDS)}
    order = out.assign(_kind=out["kind"].astype(str).map(kind_order))
    order = order.sort_values(["start", "_kind", "id"], na_position="last", kind="stable")
    return out.loc[order.index].reset_index(drop=True)


def year_bounds(events: pd.DataFrame) -> tuple[int, int]:
    """First and last year of the dated events (a default for the year slider)."""
    years = events["year"].dropna()
    if years.empty:
        return (1998, 1998)
    return int(years.min()), int(years.max())


def filter_events(
    events: pd.DataFrame,
    kinds: tuple[str, ...] = (),
    years: tuple[int, int] | None = None,
    hosts: set[str] | None = None,
    keep_undated: bool = True,
) -> pd.DataFrame:
    """Events of the chosen kinds (all when empty), dated within ``years`` (inclusive; undated
    events are kept when ``keep_undated``), hosted by one of ``hosts`` (member ids; the sidebar's
    geographic filter) when given — then an event without a member host is left out."""
    keep = pd.Series(True, index=events.index)
    if kinds:
        keep &= events["kind"].astype(str).isin(kinds)
    if years is not None:
        in_range = events["year"].between(years[0], years[1]).fillna(False).astype(bool)
        keep &= in_range | (~events["has_date"] & keep_undated)
    if hosts is not None:
        keep &= _text(events["host_city_id"]).isin(hosts)
    return events[keep].reset_index(drop=True)


def host_counts(events: pd.DataFrame) -> pd.DataFrame:
    """One row per place the assembly met: ``host_key``, ``host_ru``/``host_en``, ``lat``/``lon``,
    ``n_events``, ``first_year``/``last_year`` (of the dated events), largest first."""
    placed = events[events["has_place"]]
    if placed.empty:
        columns = ["host_key", "host_ru", "host_en", "lat", "lon", "n_events"]
        return pd.DataFrame(columns=[*columns, "first_year", "last_year"])
    grouped = placed.groupby("host_key", sort=False).agg(
        host_ru=("host_ru", "first"),
        host_en=("host_en", "first"),
        lat=("lat", "first"),
        lon=("lon", "first"),
        n_events=("id", "size"),
        first_year=("year", "min"),
        last_year=("year", "max"),
    )
    out = grouped.reset_index().sort_values(["n_events", "host_key"], ascending=[False, True])
    return out.reset_index(drop=True)


def session_gaps(events: pd.DataFrame) -> pd.DataFrame:
    """Sessions whose date or place no source gives: ``missing_date``, ``missing_place``."""
    sessions = events[events["kind"].astype(str) == "session"]
    gaps = sessions[~sessions["has_date"] | ~sessions["has_place"]]
    return gaps.assign(
        missing_date=~gaps["has_date"], missing_place=~gaps["has_place"]
    ).reset_index(drop=True)


def counts(registry: Registry) -> dict[str, int]:
    """The closing figures: facts per kind (``kind:<kind>``), sessions known by date and place,
    members with a sourced join year, membership statements."""
    events = events_table(registry)
    out = {f"kind:{kind}": int((events["kind"].astype(str) == kind).sum()) for kind in EVENT_KINDS}
    sessions = events[events["kind"].astype(str) == "session"]
    out["sessions"] = len(sessions)
    out["sessions_dated_and_placed"] = int((sessions["has_date"] & sessions["has_place"]).sum())
    out["members_with_join_year"] = int(registry.members["joined"].notna().sum())
    out["statements"] = len(registry.membership_statements)
    return out


def date_label(event: pd.Series, lang: str) -> str:
    """The date as precisely as the sources give it: "2017-07-13 – 2017-07-14", "2020-02",
    "2022", or "date unknown"."""
    start, end = _str(event["start_date"]), _str(event["end_date"])
    if not start:
        return t("chron.date.unknown", lang)
    return f"{start} – {end}" if end and end != start else start


def kind_label(kind: str, lang: str) -> str:
    return t(f"chron.kind.{kind}", lang)


def host_label(event: pd.Series, lang: str) -> str:
    name = event[f"host_{lang}"]
    return str(name) if isinstance(name, str) and name else t("chron.place.unknown", lang)


def events_display(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The events as a table for the page and its downloads: date, kind, number, title, host,
    the main source's publisher and address (a link column), how many sources, a disagreement."""
    rows = [
        {
            "id": str(e["id"]),
            t("chron.col.date", lang): date_label(e, lang),
            t("chron.col.kind", lang): kind_label(str(e["kind"]), lang),
            t("chron.col.number", lang): _str(e["number"]),
            t("chron.col.title", lang): str(e[f"title_{lang}"]),
            t("chron.col.host", lang): host_label(e, lang),
            t("chron.col.publisher", lang): str(e["source_publisher"]),
            t("chron.col.source", lang): str(e["source_url"]),
            t("chron.col.n_sources", lang): int(e["n_sources"]),
            t("chron.col.disagreement", lang): _str(e["disagreement"]),
        }
        for _, e in events.iterrows()
    ]
    columns = [
        "id",
        *(
            t(f"chron.col.{c}", lang)
            for c in (
                "date",
                "kind",
                "number",
                "title",
                "host",
                "publisher",
                "source",
                "n_sources",
                "disagreement",
            )
        ),
    ]
    return pd.DataFrame(rows, columns=columns)


def _str(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def gaps_display(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sessions with a gap, with what is missing in words (never a guessed value)."""
    rows = []
    for _, e in gaps.iterrows():
        missing = [t("chron.gap.date", lang)] if e["missing_date"] else []
        missing += [t("chron.gap.place", lang)] if e["missing_place"] else []
        rows.append(
            {
                t("chron.col.number", lang): _str(e["number"]),
                t("chron.col.title", lang): str(e[f"title_{lang}"]),
                t("chron.col.missing", lang): ", ".join(missing),
                t("chron.col.date", lang): date_label(e, lang),
                t("chron.col.host", lang): host_label(e, lang),
            }
        )
    columns = [t(f"chron.col.{c}", lang) for c in ("number", "title", "missing", "date", "host")]
    return pd.DataFrame(rows, columns=columns)


def statements_display(registry: Registry, lang: str) -> pd.DataFrame:
    """The membership statements as each source gives them, by the year they describe (undated
    last): year, cities, countries, founding date stated, quote, publisher, link, note."""
    s = registry.membership_statements
    s = s.sort_values(["as_of_year", "id"], na_position="last", kind="stable")
    return pd.DataFrame(
        {
            t("chron.col.year", lang): s["as_of_year"].astype("Int64"),
            t("chron.col.n_cities", lang): s["n_cities"].astype("Int64"),
            t("chron.col.n_countries", lang): s["n_countries"].astype("Int64"),
            t("chron.col.founded", lang): _text(s["founded_stated"]),
            t("chron.col.quote", lang): _text(s["source_quote"]),
            t("chron.col.publisher", lang): _text(s["source_publisher"]),
            t("chron.col.source", lang): _text(s["source_url"]),
            t("chron.col.note", lang): _text(s["note"]),
        }
    ).reset_index(drop=True)


@dataclass(frozen=True)
class EventDetails:
    """One event with all its sources (the row's own first) and the events it disagrees with."""

    event: pd.Series
    sources: pd.DataFrame  # source_publisher, source_url, source_quote, source_date, note
    conflicts: pd.DataFrame  # id, title_ru, title_en, disagreement of the events named


def event_details(registry: Registry, event_id: str) -> EventDetails:
    """Everything known about one event; KeyError for an unknown id."""
    events = events_table(registry)
    match = events[events["id"].astype(str) == event_id]
    if match.empty:
        raise KeyError(event_id)
    event = match.iloc[0]
    own = pd.DataFrame([{f: _str(event[f]) for f in SOURCE_FIELDS} | {"note": ""}])
    more = registry.event_sources[registry.event_sources["event_id"].astype(str) == event_id]
    more = more[[*SOURCE_FIELDS, "note"]].astype("string").fillna("")
    sources = pd.concat([own, more], ignore_index=True).astype(str)
    named = [i for i in _str(event["disagrees_with"]).split("|") if i]
    # Both directions: the events this one names and those that name it.
    naming = _text(events["disagrees_with"]).str.split("|").map(lambda ids: event_id in ids)
    conflicting = events[events["id"].astype(str).isin(named) | naming]
    conflicts = conflicting[["id", "title_ru", "title_en", "disagreement"]].reset_index(drop=True)
    return EventDetails(event=event, sources=sources, conflicts=conflicts)


def hosted_by(registry: Registry, member_id: str) -> pd.DataFrame:
    """The events a member city hosted, in date order."""
    events = events_table(registry)
    return events[_text(events["host_city_id"]) == member_id].reset_index(drop=True)


def joined_fact(registry: Registry, member_id: str) -> dict[str, str] | None:
    """The sourced year a member joined (year, url, publisher, quote), or None if not known."""
    members = registry.members
    row = members[members["id"].astype(str) == member_id]
    if row.empty or pd.isna(row["joined"].iloc[0]):
        return None
    m = row.iloc[0]
    return {
        "year": str(int(m["joined"])),
        "url": _str(m["joined_source_url"]),
        "publisher": _str(m["joined_source_publisher"]),
        "quote": _str(m["joined_source_quote"]),
    }


def event_options(events: pd.DataFrame, lang: str) -> dict[str, str]:
    """Event id → "date · title" for a chooser, in the table's order."""
    return {
        str(e["id"]): f"{date_label(e, lang)} · {e[f'title_{lang}']}" for _, e in events.iterrows()
    }


def statement_cards(registry: Registry, lang: str) -> list[dict[str, str]]:
    """The membership statements as figures to show one by one: ``label`` (year · publisher),
    ``value`` (cities / countries as stated, "—" where not stated) and ``help`` (the quote)."""
    s = registry.membership_statements
    s = s.sort_values(["as_of_year", "id"], na_position="last", kind="stable")
    cards = []
    for _, row in s.iterrows():
        year = row["as_of_year"]
        year_text = str(int(year)) if pd.notna(year) else t("chron.statement.year_unknown", lang)
        cities = str(int(row["n_cities"])) if pd.notna(row["n_cities"]) else "—"
        countries = str(int(row["n_countries"])) if pd.notna(row["n_countries"]) else "—"
        founded = _str(row["founded_stated"])
        value = t("chron.statement.value", lang, cities=cities, countries=countries)
        if cities == "—" and countries == "—" and founded:
            value = founded
        cards.append(
            {
                "label": t(
                    "chron.statements.metric",
                    lang,
                    year=year_text,
                    publisher=_str(row["source_publisher"]),
                ),
                "value": value,
                "help": _str(row["source_quote"])
                + (f" — {t('chron.statement.founded', lang, date=founded)}" if founded else ""),
                "url": _str(row["source_url"]),
            }
        )
    return cards


def last_sessions(events: pd.DataFrame, lang: str, n: int = 5) -> list[str]:
    """The ``n`` most recent dated sessions as "date · title · place" lines, newest first."""
    sessions = events[(events["kind"].astype(str) == "session") & events["has_date"]]
    newest = sessions.sort_values("start", ascending=False, kind="stable").head(n)
    return [
        f"{date_label(e, lang)} · {e[f'title_{lang}']} · {host_label(e, lang)}"
        for _, e in newest.iterrows()
    ]
