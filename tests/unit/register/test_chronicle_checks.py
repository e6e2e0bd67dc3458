"""The chronicle's checks on the tiny register: each rule refuses what it should, and where
sources disagree both are kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import (
    EVENT_HEADER,
    EVENT_ROWS,
    EVENT_SOURCE_HEADER,
    EVENT_SOURCE_ROWS,
    MEMBER_HEADER,
    MEMBER_ROWS,
    STATEMENT_HEADER,
    csv_text,
    write_register,
)

from mag_data import DataValidationError, load_registry
from mag_data.i18n import describe_problem


def problems_of(tmp_path: Path, **replace: str) -> list[tuple[str, int | None, str | None, str]]:
    """(file, row, column, code) of every error the register with these files raises."""
    with pytest.raises(DataValidationError) as info:
        load_registry(write_register(tmp_path / "d", **replace))
    return [(p.file, p.row, p.column, p.code) for p in info.value.errors]


def events(*rows: str) -> dict[str, str]:
    return {"events.csv": csv_text(EVENT_HEADER, list(rows))}


def edited(index: int, old: str, new: str) -> list[str]:
    rows = list(EVENT_ROWS)
    assert old in rows[index]
    rows[index] = rows[index].replace(old, new, 1)
    return rows


BAD_EVENTS = [
    pytest.param(
        edited(0, ",msk,", ",tokyo,"),
        ("events.csv", 2, "host_city_id", "unknown_host_city"),
        id="unknown-host-city",
    ),
    pytest.param(
        edited(1, ",50.08,14.42,", ",,,"),
        ("events.csv", 3, "host_city_id", "host_incomplete"),
        id="non-member-host-without-coordinates",
    ),
    pytest.param(
        edited(0, ",msk,,", ",msk,Москва,"),
        ("events.csv", 2, "host_city_id", "host_incomplete"),
        id="member-host-with-its-own-name",
    ),
    pytest.param(
        edited(0, "2001-05-10,2001-05-11,day", "2001-05,2001-05-11,day"),
        ("events.csv", 2, "start_date", "date_precision_mismatch"),
        id="day-precision-with-a-month",
    ),
    pytest.param(
        edited(2, ",,unknown,", ",2003,unknown,"),
        ("events.csv", 4, "end_date", "date_precision_mismatch"),
        id="unknown-precision-with-a-date",
    ),
    pytest.param(
        edited(0, "2001-05-10,2001-05-11", "2001-02-30,2001-05-11"),
        ("events.csv", 2, "start_date", "bad_date"),
        id="no-such-day",
    ),
    pytest.param(
        edited(1, "2005-06,", "2005-13,"),
        ("events.csv", 3, "start_date", "bad_date"),
        id="no-such-month",
    ),
    pytest.param(
        edited(0, "2001-05-10,2001-05-11", "2001-05-10,2001-05-01"),
        ("events.csv", 2, "end_date", "end_before_start"),
        id="end-before-start",
    ),
    pytest.param(
        edited(3, "https://example.org/e4,Pub D,A forum in Kazan.", ",,"),
        ("events.csv", 5, "source_url", "missing_source"),
        id="missing-source",
    ),
    pytest.param(
        edited(3, "Pub D,A forum in Kazan.", "Pub D,"),
        ("events.csv", 5, "source_quote", "missing_source"),
        id="source-without-quote",
    ),
    pytest.param(
        [*EVENT_ROWS, EVENT_ROWS[3]],
        ("events.csv", 6, "id", "duplicate_id"),
        id="duplicate-id",
    ),
    pytest.param(
        edited(0, "from e3,e3", "from e9,e3|e9"),
        ("events.csv", 2, "disagrees_with", "unknown_event"),
        id="disagreement-names-an-unknown-event",
    ),
    pytest.param(
        edited(0, "session,I,", "congress,I,"),
        ("events.csv", 2, "kind", "unknown_value"),
        id="unknown-kind",
    ),
]


@pytest.mark.parametrize(("rows", "expected"), BAD_EVENTS)
def test_a_bad_event_is_refused_where_it_is(tmp_path, rows, expected):
    """Each broken event row gives its error, located by file, spreadsheet row and column."""
    assert expected in problems_of(tmp_path, **events(*rows))


def test_an_extra_source_of_an_unknown_event_is_refused(tmp_path):
    rows = [*EVENT_SOURCE_ROWS, "e9,https://example.org/x,Pub,Quote.,,"]
    found = problems_of(tmp_path, **{"event_sources.csv": csv_text(EVENT_SOURCE_HEADER, rows)})
    assert ("event_sources.csv", 3, "event_id", "unknown_event") in found


def test_a_statement_without_any_figure_is_refused(tmp_path):
    rows = ["s-empty,2001,,,,Words only.,https://example.org/s,Pub,"]
    found = problems_of(tmp_path, **{"membership_statements.csv": csv_text(STATEMENT_HEADER, rows)})
    assert found == [("membership_statements.csv", 2, "n_cities", "statement_without_figure")]


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        (",1998,https://example.org/msk,Test,", ",1998,,Test,", "joined_source_url"),
        (",1998,https://example.org/msk,Test,Moscow joined in 1998.,", ",,,,,", None),
        (
            ",false,,,,,551487,",
            ",false,,https://example.org/k,Pub,Quote,551487,",
            "joined",
        ),
    ],
    ids=["year-without-url", "no-year-no-source-is-fine", "source-without-year"],
)
def test_a_join_year_goes_with_its_source(tmp_path, old, new, column):
    rows = [r.replace(old, new) for r in MEMBER_ROWS]
    assert rows != list(MEMBER_ROWS)
    replace = {"members.csv": csv_text(MEMBER_HEADER, rows), **events(*EVENT_ROWS)}
    if column is None:
        load_registry(write_register(tmp_path / "d", **replace))
        return
    found = problems_of(tmp_path, **replace)
    assert [p for p in found if p[3] == "joined_without_source"] == [
        (
            "members.csv",
            next(i for i, r in enumerate(rows) if new in r) + 2,
            column,
            "joined_without_source",
        )
    ]


def test_disagreeing_sources_are_both_kept(tiny):
    """e1 and e3 disagree: both load, each names the other; e1 keeps its second source."""
    ev = tiny.events.set_index("id")
    assert ev.loc["e1", "disagrees_with"] == "e3" and ev.loc["e3", "disagrees_with"] == "e1"
    assert ev.loc["e1", "disagreement"] == "Numbering differs from e3"
    assert list(tiny.event_sources["event_id"]) == ["e1"]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_chronicle_problem_reads_in_both_languages(tmp_path, lang):
    with pytest.raises(DataValidationError) as info:
        load_registry(write_register(tmp_path / "d", **events(*edited(0, ",msk,", ",tokyo,"))))
    (problem,) = info.value.errors
    message, hint = describe_problem(problem, lang)
    assert message and hint and "problem." not in message
