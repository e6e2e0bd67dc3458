"""Loader tests: a valid register loads typed; every kind of bad input gets a located error."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from factories import (
    MEMBER_HEADER,
    MEMBER_ROWS,
    PARTICIPANT_HEADER,
    PARTICIPANT_ROWS,
    PROJECT_HEADER,
    PROJECT_ROWS,
    csv_text,
    write_register,
)

from mag_data import DataValidationError, load_registry
from mag_data.i18n import describe_problem


def load_with(tmp_path: Path, **replace: str | bytes):
    return load_registry(write_register(tmp_path / "d", **replace))


def problems_of(tmp_path: Path, **replace: str | bytes):
    with pytest.raises(DataValidationError) as info:
        load_with(tmp_path, **replace)
    return info.value.problems


def test_valid_register_loads_with_types(tiny):
    """The tiny register loads: categories, numbers and dates typed; derived columns present."""
    m = tiny.members
    assert list(m["id"]) == ["minsk", "msk", "kazan", "almaty"]  # sorted by list group/position
    assert str(m["population"].dtype) == "Int64"
    assert m["lat"].dtype == "float64"
    assert str(m["country_id"].dtype) == "category"
    assert bool(m.set_index("id").loc["minsk", "is_capital"]) is True
    assert tiny.projects.set_index("id").loc["P3", "start_year"] == 2027
    assert tiny.projects.set_index("id")["cross_border"].to_dict() == {
        "P1": True,
        "P2": False,
        "P3": True,
        "P4": True,
    }
    assert len(tiny.participations) == 9
    assert tiny.illustrative is True
    assert tiny.year_bounds == (2001, 2027)
    assert set(m["federal_district_id"].dropna()) == {
        "central-federal-district",
        "volga-federal-district",
    }


def test_windows_1251_semicolon_file_is_read(tmp_path):
    """What Russian Excel writes (cp1251, ';', decimal commas) loads to the same data."""
    text = csv_text(MEMBER_HEADER, MEMBER_ROWS)
    rows = [line.split(",") for line in text.strip().split("\n")]
    for row in rows[1:]:
        row[17] = row[17].replace(".", ",")  # decimal comma in lat
    excel = "\r\n".join(";".join(r) for r in rows) + "\r\n"
    reg = load_with(tmp_path, **{"members.csv": excel.encode("cp1251")})
    info = {f.file: f for f in reg.files}["members.csv"]
    assert (info.encoding, info.delimiter) == ("cp1251", ";")
    assert reg.members.set_index("id").loc["msk", "name_ru"] == "Москва"
    assert reg.members.set_index("id").loc["msk", "lat"] == pytest.approx(55.75204)


def test_utf8_bom_file_is_read(tmp_path):
    """A UTF-8 file with a byte-order mark (Excel's 'CSV UTF-8') loads; the BOM is not in a header."""
    raw = b"\xef\xbb\xbf" + csv_text(MEMBER_HEADER, MEMBER_ROWS).encode("utf-8")
    reg = load_with(tmp_path, **{"members.csv": raw})
    assert {f.file: f.encoding for f in reg.files}["members.csv"] == "utf-8-sig"
    assert "id" in reg.members.columns


def _one(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, f"no {code} among {[p.code for p in problems]}"
    return found[0]


BAD_MEMBERS = [
    # (id, edit of the member rows, expected code, row, column)
    ("duplicate-id", lambda rows: [*rows, rows[0]], "duplicate_id", 6, "id"),
    (
        "latitude-out-of-range",
        lambda rows: [rows[0].replace("55.75204", "95.1"), *rows[1:]],
        "out_of_range",
        2,
        "lat",
    ),
    (
        "longitude-not-a-number",
        lambda rows: [rows[0].replace("37.61781", "east"), *rows[1:]],
        "bad_float",
        2,
        "lon",
    ),
    (
        "population-not-integer",
        lambda rows: [rows[0].replace(",1000,", ",12.5,"), *rows[1:]],
        "bad_int",
        2,
        "population",
    ),
    (
        "capital-flag-not-boolean",
        lambda rows: [rows[0].replace(",true,", ",maybe,"), *rows[1:]],
        "bad_bool",
        2,
        "is_capital",
    ),
    (
        "empty-required-name",
        lambda rows: [rows[0].replace(",Москва,Moscow,", ",,Moscow,", 1), *rows[1:]],
        "required_value",
        2,
        "name_ru",
    ),
    (
        "control-characters",
        lambda rows: [rows[0].replace("Москва,Moscow", "Моск\x07ва,Moscow", 1), *rows[1:]],
        "control_characters",
        2,
        "name_ru",
    ),
    (
        "id-with-spaces",
        lambda rows: [rows[0].replace("msk,", "m sk,", 1), *rows[1:]],
        "bad_pattern",
        2,
        "id",
    ),
    (
        "inconsistent-country-name",
        lambda rows: [
            rows[0],
            rows[1].replace(",Россия,Russia,RU,", ",Росия,Russia,RU,", 1),
            *rows[2:],
        ],
        "inconsistent_value",
        3,
        "country_ru",
    ),
]


@pytest.mark.parametrize(
    "edit,code,row,column", [b[1:] for b in BAD_MEMBERS], ids=[b[0] for b in BAD_MEMBERS]
)
def test_bad_member_cell_is_located(tmp_path, edit, code, row, column):
    """Each bad member cell is reported with its file, spreadsheet row and column."""
    problems = problems_of(
        tmp_path, **{"members.csv": csv_text(MEMBER_HEADER, edit(list(MEMBER_ROWS)))}
    )
    p = _one(problems, code)
    assert (p.file, p.row, p.column) == ("members.csv", row, column)
    message, hint = describe_problem(p, "ru")
    assert message and not message.startswith("problem.")
    assert describe_problem(p, "en")[0] != message


def test_missing_and_extra_columns_are_both_reported(tmp_path):
    """A renamed column shows as one missing and one extra, with the expected list as hint."""
    header = MEMBER_HEADER.replace(",population,", ",populaton,")
    problems = problems_of(tmp_path, **{"members.csv": csv_text(header, MEMBER_ROWS)})
    missing = _one(problems, "missing_column")
    extra = _one(problems, "extra_column")
    assert (missing.column, extra.column) == ("population", "populaton")
    assert "population" in describe_problem(missing, "en")[1]


def test_malformed_row_names_the_line(tmp_path):
    """A row with too many fields is reported with its line number."""
    rows = [*MEMBER_ROWS[:2], MEMBER_ROWS[2] + ",extra,fields", MEMBER_ROWS[3]]
    p = _one(
        problems_of(tmp_path, **{"members.csv": csv_text(MEMBER_HEADER, rows)}), "malformed_row"
    )
    assert p.row == 4


@pytest.mark.parametrize(
    "raw,code",
    [
        (b"", "empty_file"),
        (b"\x00\x01\x02binary", "binary_file"),
        ("id,name_ru\nmsk,ÐœÐ¾ÑÐºÐ²Ð°\n".encode(), "mojibake"),
        (b"PK\x03\x04garbage", "bad_xlsx"),
    ],
    ids=["empty", "binary", "double-encoded-utf8", "broken-xlsx"],
)
def test_unreadable_files_are_reported(tmp_path, raw, code):
    """Empty, binary, double-encoded and broken-workbook files each get their own clear error."""
    p = _one(problems_of(tmp_path, **{"members.csv": raw}), code)
    assert p.file == "members.csv"


def test_missing_file_names_the_folder(tmp_path):
    folder = write_register(tmp_path / "d")
    (folder / "participants.csv").unlink()
    with pytest.raises(DataValidationError) as info:
        load_registry(folder)
    p = _one(info.value.problems, "file_missing")
    assert p.file == "participants.csv" and str(folder) in describe_problem(p, "en")[1]


BAD_PROJECTS = [
    (
        "unknown-area",
        lambda r: [r[0].replace("trade_economic", "sport"), *r[1:]],
        "unknown_value",
        2,
        "area_id",
    ),
    (
        "unknown-status",
        lambda r: [r[0].replace("completed", "done"), *r[1:]],
        "unknown_value",
        2,
        "status",
    ),
    (
        "end-before-start",
        lambda r: [r[0].replace("2002-03-01", "2000-01-01"), *r[1:]],
        "end_before_start",
        2,
        "end_date",
    ),
    (
        "bad-date",
        lambda r: [r[0].replace("2001-03-01", "2001-13-45"), *r[1:]],
        "bad_date",
        2,
        "start_date",
    ),
    (
        "budget-without-currency",
        lambda r: [r[0].replace(",RUB,", ",,"), *r[1:]],
        "budget_without_currency",
        2,
        "currency",
    ),
    (
        "negative-budget",
        lambda r: [r[0].replace(",1000,", ",-5,"), *r[1:]],
        "out_of_range",
        2,
        "budget",
    ),
    ("duplicate-project", lambda r: [*r, r[1]], "duplicate_id", 6, "id"),
]


@pytest.mark.parametrize(
    "edit,code,row,column", [b[1:] for b in BAD_PROJECTS], ids=[b[0] for b in BAD_PROJECTS]
)
def test_bad_project_cell_is_located(tmp_path, edit, code, row, column):
    """Each bad project cell is reported with its row and column."""
    problems = problems_of(
        tmp_path, **{"projects.csv": csv_text(PROJECT_HEADER, edit(list(PROJECT_ROWS)))}
    )
    p = _one(problems, code)
    assert (p.file, p.row, p.column) == ("projects.csv", row, column)


BAD_PARTICIPANTS = [
    ("unknown-city", lambda r: [*r, "P1,atlantis,partner"], "unknown_member", 11, "member_id"),
    ("unknown-project", lambda r: [*r, "P9,msk,partner"], "unknown_project", 11, "project_id"),
    ("unknown-role", lambda r: [r[0].replace("lead", "boss"), *r[1:]], "unknown_value", 2, "role"),
    (
        "same-city-twice",
        lambda r: [*r, "P1,msk,partner"],
        "duplicate_id",
        11,
        "project_id,member_id",
    ),
]


@pytest.mark.parametrize(
    "edit,code,row,column", [b[1:] for b in BAD_PARTICIPANTS], ids=[b[0] for b in BAD_PARTICIPANTS]
)
def test_bad_participant_is_located(tmp_path, edit, code, row, column):
    """Participants naming unknown cities or projects are errors with row and column."""
    problems = problems_of(
        tmp_path, **{"participants.csv": csv_text(PARTICIPANT_HEADER, edit(list(PARTICIPANT_ROWS)))}
    )
    p = _one(problems, code)
    assert (p.file, p.row, p.column) == ("participants.csv", row, column)


def test_two_leads_is_a_warning_not_an_error(tmp_path):
    """A project with two leads still loads, with a warning naming the project."""
    rows = [r.replace("P1,minsk,partner", "P1,minsk,lead") for r in PARTICIPANT_ROWS]
    reg = load_with(tmp_path, **{"participants.csv": csv_text(PARTICIPANT_HEADER, rows)})
    assert [(w.code, w.value) for w in reg.warnings] == [("lead_count", "P1")]


def test_hostile_text_is_kept_as_data(tmp_path):
    """Formula- and HTML-like names load unchanged (they are neutralised on output, not lost)."""
    rows = [
        MEMBER_ROWS[0].replace("Москва,Moscow", '"=HYPERLINK(""x"")",<script>alert(1)</script>', 1),
        *MEMBER_ROWS[1:],
    ]
    reg = load_with(tmp_path, **{"members.csv": csv_text(MEMBER_HEADER, rows)})
    row = reg.members.set_index("id").loc["msk"]
    assert row["name_ru"] == '=HYPERLINK("x")' and row["name_en"] == "<script>alert(1)</script>"


def test_error_message_names_file_row_column(tmp_path):
    """The exception's own text names the first error's file, row and column."""
    rows = [MEMBER_ROWS[0].replace("55.75204", "95.1"), *MEMBER_ROWS[1:]]
    with pytest.raises(DataValidationError, match=r"members\.csv, row 2, column lat"):
        load_with(tmp_path, **{"members.csv": csv_text(MEMBER_HEADER, rows)})


def test_loading_does_not_write(tmp_path):
    """Loading (even a failing load) leaves the folder byte-identical."""
    folder = write_register(tmp_path / "d", **{"projects.csv": "broken"})
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(DataValidationError):
        load_registry(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize(
    "start",
    ["2001-03-01", "01.03.2001", "2001-03-01 00:00:00"],
    ids=["iso", "russian", "excel-xlsx"],
)
def test_accepted_date_formats(tmp_path, start):
    """ISO, Russian DD.MM.YYYY and a date typed in Excel (read from XLSX with a time) all load."""
    rows = [PROJECT_ROWS[0].replace("2001-03-01", start), *PROJECT_ROWS[1:]]
    reg = load_with(tmp_path, **{"projects.csv": csv_text(PROJECT_HEADER, rows)})
    assert reg.projects.set_index("id").loc["P1", "start_date"] == pd.Timestamp("2001-03-01")


def test_duplicate_composite_key_with_an_empty_cell_is_reported(tmp_path):
    """Two participant rows with the same project and an empty member are a duplicate, not a crash."""
    rows = [*PARTICIPANT_ROWS, "P1,,partner", "P1,,partner"]
    problems = problems_of(tmp_path, **{"participants.csv": csv_text(PARTICIPANT_HEADER, rows)})
    dup = _one(problems, "duplicate_id")
    assert (dup.row, dup.column) == (12, "project_id,member_id")
