"""Table exports: CSV (UTF-8 with BOM, ',' or ';') and XLSX are safe to open in Excel.

A text cell (or header) beginning with '=', '+', '-', '@', a tab or a carriage return could run
as a formula: it is prefixed with an apostrophe. HTML in a name stays inert text (neither format
renders markup). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from mag_data.present.export import neutralise, to_csv_bytes, to_xlsx_bytes

HOSTILE = [
    pytest.param("=1+1", "'=1+1", id="equals"),
    pytest.param('=HYPERLINK("http://evil.example/x","click")', None, id="hyperlink"),
    pytest.param("+7 (495) 123", None, id="plus"),
    pytest.param("-2+3", None, id="minus"),
    pytest.param("@SUM(A1:A2)", None, id="at"),
    pytest.param("\t=1", None, id="tab"),
    pytest.param("\r=1", None, id="carriage-return"),
]
INERT = [
    pytest.param("Москва", id="cyrillic"),
    pytest.param("<script>alert(1)</script>", id="script-tag"),
    pytest.param("a=b", id="equals-inside"),
    pytest.param("", id="empty"),
]


def _frame(value: str) -> pd.DataFrame:
    return pd.DataFrame({"Город": [value, "Минск"], "Население": [-5, 1_992_685]})


def _csv_rows(data: bytes, sep: str = ",") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so Excel reads Cyrillic"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=sep))


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("value,expected", HOSTILE)
def test_formula_text_is_neutralised_in_csv_and_xlsx(value, expected):
    expected = expected or "'" + value
    frame = _frame(value)
    for sep in (",", ";"):
        rows = _csv_rows(to_csv_bytes(frame, sep=sep), sep)
        assert rows[1][0] == expected
    ws = _sheet(to_xlsx_bytes(frame))
    cell = ws["A2"]
    assert (cell.value, cell.data_type) == (expected, "s")
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("value", INERT)
def test_plain_text_and_markup_are_kept_verbatim(value):
    frame = _frame(value)
    assert _csv_rows(to_csv_bytes(frame))[1][0] == value
    cell = _sheet(to_xlsx_bytes(frame))["A2"]
    assert (cell.value or "") == value
    assert cell.data_type in ("s", "n", "inlineStr")  # text or an empty cell, never a formula


def test_numbers_stay_numbers_even_negative_ones():
    frame = pd.DataFrame({"n": [-5, 3], "share": [-0.25, 1.5]})
    assert neutralise(frame).equals(frame)
    rows = _csv_rows(to_csv_bytes(frame, sep=";", decimal=","), ";")
    assert rows == [["n", "share"], ["-5", "-0,25"], ["3", "1,5"]]
    ws = _sheet(to_xlsx_bytes(frame))
    assert (ws["A2"].value, ws["A2"].data_type) == (-5, "n")
    assert ws["B2"].value == -0.25


def test_a_hostile_header_is_neutralised_too():
    frame = pd.DataFrame({"=cmd|' /C calc'!A0": ["x"], "Город": ["Минск"]})
    assert _csv_rows(to_csv_bytes(frame))[0] == ["'=cmd|' /C calc'!A0", "Город"]
    ws = _sheet(to_xlsx_bytes(frame))
    assert (ws["A1"].value, ws["A1"].data_type) == ("'=cmd|' /C calc'!A0", "s")


def test_csv_is_utf8_with_bom_and_crlf_rows_for_excel():
    data = to_csv_bytes(pd.DataFrame({"Город": ["Алма-Ата"], "n": [1]}), sep=";")
    assert data.startswith("\ufeffГород;n\r\n".encode())
    assert data.decode("utf-8-sig") == "Город;n\r\nАлма-Ата;1\r\n"


def test_xlsx_header_is_bold_filled_frozen_and_columns_fitted():
    frame = pd.DataFrame({"Город": ["Санкт-Петербург"], "Население": [5_600_044]})
    ws = _sheet(to_xlsx_bytes(frame, sheet="members"))
    assert ws.title == "members"
    for cell in ws[1]:
        assert cell.font.bold
        assert cell.fill.fgColor.rgb.endswith("1F4E9C")
        assert cell.font.color.rgb.endswith("FFFFFF")
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width >= len("Санкт-Петербург")


@pytest.mark.parametrize(
    "sheet,expected",
    [
        ("members", "members"),
        ("projects/2024 [draft]?", "projects_2024 _draft__"),
        ("x" * 40, "x" * 31),
        ("", "data"),
    ],
    ids=["plain", "forbidden-characters", "too-long", "empty"],
)
def test_sheet_names_are_made_valid_for_excel(sheet, expected):
    assert _sheet(to_xlsx_bytes(pd.DataFrame({"a": [1]}), sheet=sheet)).title == expected


def test_neutralise_leaves_its_input_untouched():
    frame = _frame("=1+1")
    before = frame.copy()
    neutralise(frame)
    pd.testing.assert_frame_equal(frame, before)


# --- the illustrative-data note travels with project figures ------------------------------------


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_export_of_project_figures_says_they_are_illustrative(lang: str) -> None:
    from mag_data.i18n import t
    from mag_data.present.export import illustrative_note

    note = illustrative_note(lang, True)
    assert note is not None and note.title == t("export.note", lang)
    frame = pd.DataFrame({"Город": ["Москва", "Минск"], "Проектов": [3, 1]})
    rows = _csv_rows(to_csv_bytes(frame, note=note))
    assert rows[0][-1] == note.title
    assert all(row[-1] == t("app.illustrative.short", lang) for row in rows[1:])
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame, sheet="members", note=note)))
    assert book.sheetnames == ["members", note.title]
    assert book[note.title]["A1"].value == t("app.illustrative", lang)
    assert book["members"].cell(1, 3).value == note.title


def test_a_member_only_export_carries_no_note() -> None:
    from mag_data.present.export import illustrative_note

    assert illustrative_note("ru", False) is None
    frame = pd.DataFrame({"Город": ["Москва"], "Население": [13_000_000]})
    assert _csv_rows(to_csv_bytes(frame))[0] == ["Город", "Население"]
    assert load_workbook(io.BytesIO(to_xlsx_bytes(frame, sheet="m"))).sheetnames == ["m"]
