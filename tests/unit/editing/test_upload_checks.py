"""Uploads that must not pass (issue 15): unknown references, lost or garbled encodings,
infinite numbers, invisible and look-alike text, formula-like cells, a download uploaded back,
size and shape limits, hidden sheets, short rows.

Every test reviews an upload against the tiny register in a temporary folder; nothing is applied.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import unicodedata
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest
from factories import (
    MEMBER_HEADER,
    MEMBER_ROWS,
    PARTICIPANT_HEADER,
    PARTICIPANT_ROWS,
    PROJECT_HEADER,
    PROJECT_ROWS,
    csv_text,
    load_factor,
    write_register,
)

from mag_data.editing.review import UploadReview, export_frame
from mag_data.editing.store import RegisterStore
from mag_data.i18n import describe_problem
from mag_data.present.export import to_csv_bytes, to_xlsx_bytes
from mag_data.register import limits
from mag_data.register.schema import MEMBERS, PARTICIPANTS, PROJECTS, REGISTER_FILES, TableSpec

CHISINAU = (
    "chisinau,Кишинёв,Chișinău,moldova,Молдова,Moldova,MD,eastern_europe,Восточная Европа,"
    "Eastern Europe,7,21,MD-CU,муниципий Кишинёв,Chișinău Municipality,,,47.00902,28.85938,"
    '635994,,"GeoNames, year not stated",true,,,,,618426,GeoNames'
)
SPECS = {MEMBERS.file: MEMBERS, PROJECTS.file: PROJECTS, PARTICIPANTS.file: PARTICIPANTS}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_register(
        tmp_path / "data", **{"members.csv": csv_text(MEMBER_HEADER, [*MEMBER_ROWS, CHISINAU])}
    )


def stored(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in REGISTER_FILES}


def review(folder: Path, spec: TableSpec, raw: bytes, name: str = "") -> UploadReview:
    return RegisterStore(folder).review(spec, raw, name or spec.file)


def members(*edits: tuple[int, str, str], add: str = "") -> str:
    rows = [*MEMBER_ROWS, CHISINAU]
    for index, old, new in edits:
        assert old in rows[index], (old, rows[index])
        rows[index] = rows[index].replace(old, new, 1)
    return csv_text(MEMBER_HEADER, rows + ([add] if add else []))


def codes(r: UploadReview) -> list[tuple[str, int | None, str | None]]:
    return [(p.code, p.row, p.column) for p in r.problems]


# --- 1. unknown references ---------------------------------------------------------------------


def test_an_unknown_country_is_refused_with_the_known_ones(folder: Path) -> None:
    """«belarus2» with Беларусь's names would show «Стран 11» and Беларусь twice."""
    raw = members((2, "minsk,Минск,Minsk,belarus,", "minsk,Минск,Minsk,belarus2,")).encode()
    r = review(folder, MEMBERS, raw)
    assert ("unknown_country", 4, "country_id") in codes(r)
    problem = next(p for p in r.errors if p.code == "unknown_country")
    assert problem.value == "belarus2"
    message, hint = describe_problem(problem, "ru")
    assert "belarus" in hint and "countries.csv" in hint


@pytest.mark.parametrize(
    ("old", "new", "column", "expected"),
    [
        (",Беларусь,Belarus,BY,", ",Белоруссия,Belarus,BY,", "country_ru", "Беларусь"),
        (",Беларусь,Belarus,BY,", ",Беларусь,Byelorussia,BY,", "country_en", "Belarus"),
        (",Беларусь,Belarus,BY,", ",Беларусь,Belarus,BL,", "iso_code", "BY"),
        ("BY,eastern_europe,", "BY,central_asia,", "macro_region_id", "eastern_europe"),
    ],
)
def test_country_labels_must_match_the_country_id(
    folder: Path, old: str, new: str, column: str, expected: str
) -> None:
    """Every member of Belarus edited alike: no row disagrees with another, but all with the id."""
    raw = members((2, old, new)).encode()
    r = review(folder, MEMBERS, raw)
    problem = next(p for p in r.errors if p.code == "country_mismatch")
    assert (problem.row, problem.column, problem.params["expected"]) == (4, column, expected)
    assert expected in describe_problem(problem, "en")[1]


def test_unknown_area_task_project_and_member_are_refused(folder: Path) -> None:
    rows = [
        PROJECT_ROWS[0].replace("trade_economic,restore_links", "trade,nothing"),
        *PROJECT_ROWS[1:],
    ]
    r = review(folder, PROJECTS, csv_text(PROJECT_HEADER, rows).encode())
    assert {("unknown_value", 2, "area_id"), ("unknown_value", 2, "task_id")} <= set(codes(r))
    rows = [*PARTICIPANT_ROWS, "P9,msk,lead", "P1,nowhere,partner"]
    r = review(folder, PARTICIPANTS, csv_text(PARTICIPANT_HEADER, rows).encode())
    assert {("unknown_project", 11, "project_id"), ("unknown_member", 12, "member_id")} <= set(
        codes(r)
    )


# --- 2. encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["koi8-r", "koi8-u", "cp866", "iso-8859-5", "cp1251"])
def test_russian_office_encodings_are_detected(folder: Path, encoding: str) -> None:
    """The same members file in each encoding Russian offices produce: read as itself."""
    text = members((4, "Chișinău", "Chisinau"), (4, "Chișinău", "Chisinau"))
    current = review(folder, MEMBERS, text.encode()).data
    assert current is not None
    raw = text.encode(encoding)
    r = review(folder, MEMBERS, raw, "members.csv")
    # Russian letters are the same bytes in KOI8-R and KOI8-U: either reading is right.
    assert r.errors == [] and r.encoding == {"koi8-u": "koi8-r"}.get(encoding, encoding)
    assert r.data == current


def test_ukrainian_letters_choose_koi8_u(folder: Path) -> None:
    text = members((0, "Москва,Moscow", "Київ-Москва,Moscow"), *[(4, "Chișinău", "Chisinau")] * 2)
    r = review(folder, MEMBERS, text.encode("koi8-u"))
    assert r.errors == [] and r.encoding == "koi8-u"


def test_utf8_double_encoded_as_cp1251_is_refused_naming_utf8(folder: Path) -> None:
    text = members()
    garbled = text.encode("utf-8").decode("cp1251", errors="replace").encode("utf-8")
    r = review(folder, MEMBERS, garbled)
    assert [p.code for p in r.errors] == ["double_encoded"]
    assert "UTF-8" in describe_problem(r.errors[0], "ru")[1]


def test_characters_lost_in_windows_1251_keep_the_stored_text(folder: Path) -> None:
    """Excel's Windows-1251 turns Chișinău into Chi?in?u: the stored text is kept, with a
    warning, and the diff shows only the one real edit."""
    text = members((0, ",1000,", ",1001,"))
    raw = text.encode("cp1251", errors="replace")
    assert b"Chi?in?u" in raw
    r = review(folder, MEMBERS, raw)
    assert r.errors == []
    assert list(r.diff.changed["column"]) == ["population"]
    lost = [p for p in r.warnings if p.code == "lost_characters"]
    assert [(p.row, p.column) for p in lost] == [(6, "name_en"), (6, "subdivision_en")]
    assert "Chișinău" in describe_problem(lost[0], "ru")[1]
    assert "Chișinău".encode() in r.data


# --- 3. numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e309", "inf", "Infinity", "-inf", "nan", "NaN", "9" * 400])
@pytest.mark.parametrize(("column", "old"), [("population", ",1000,"), ("lat", ",55.75204,")])
def test_infinite_and_huge_numbers_are_out_of_range(
    folder: Path, value: str, column: str, old: str
) -> None:
    r = review(folder, MEMBERS, members((0, old, f",{value},")).encode())
    problem = next(p for p in r.errors if p.column == column and p.code == "out_of_range")
    assert problem.row == 2
    hint = describe_problem(problem, "en")[1]
    assert "None" not in hint and "inf" not in hint


def test_an_infinite_budget_is_refused(folder: Path) -> None:
    rows = [PROJECT_ROWS[0].replace(",1000,RUB", ",1e309,RUB"), *PROJECT_ROWS[1:]]
    r = review(folder, PROJECTS, csv_text(PROJECT_HEADER, rows).encode())
    assert ("out_of_range", 2, "budget") in codes(r)


# --- 4. invisible and look-alike text ------------------------------------------------------------


def test_text_is_normalised_to_nfc(folder: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Йошкар-Ола")
    r = review(folder, MEMBERS, members((1, "Казань,", f"{decomposed},")).encode())
    assert r.errors == [] and r.data is not None
    assert "Йошкар-Ола".encode() in r.data and decomposed.encode() not in r.data


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\x85", "\x07"])
def test_control_and_format_characters_are_refused(folder: Path, char: str) -> None:
    r = review(folder, MEMBERS, members((1, "Казань,", f"Ка{char}зань,")).encode())
    assert ("control_characters", 3, "name_ru") in codes(r)
    problem = next(p for p in r.errors if p.code == "control_characters")
    assert f"U+{ord(char):04X}" in describe_problem(problem, "ru")[1]


def test_mixed_latin_and_cyrillic_in_a_word_is_a_warning(folder: Path) -> None:
    r = review(folder, MEMBERS, members((0, ",Moscow,", ",M\u043escow,")).encode())
    assert r.errors == []
    assert [(p.code, p.row, p.column) for p in r.warnings] == [("mixed_script", 2, "name_en")]


def test_formula_like_cells_get_a_warning(folder: Path) -> None:
    r = review(folder, MEMBERS, members((0, "Москва,Moscow", "=Москва,@Moscow")).encode())
    assert r.errors == []
    assert [(p.code, p.row, p.column) for p in r.warnings] == [
        ("formula_like", 2, "name_ru"),
        ("formula_like", 2, "name_en"),
    ]


# --- 5. a download uploaded back ---------------------------------------------------------------


FORMULA_MEMBERS = members((0, "Москва,Moscow", "=Москва,-Moscow"), (1, "Казань,", "+Казань,"))
FORMULA_PROJECTS = csv_text(
    PROJECT_HEADER,
    [PROJECT_ROWS[0].replace("Проект 1,Project 1", "@Проект,=SUM(A1)"), *PROJECT_ROWS[1:]],
)


@pytest.mark.parametrize("fmt", ["csv-comma", "csv-semicolon", "xlsx"])
@pytest.mark.parametrize("spec", [MEMBERS, PROJECTS, PARTICIPANTS], ids=lambda s: s.name)
def test_a_downloaded_register_uploads_back_without_differences(
    tmp_path: Path, spec: TableSpec, fmt: str
) -> None:
    folder = write_register(
        tmp_path / "data", **{"members.csv": FORMULA_MEMBERS, "projects.csv": FORMULA_PROJECTS}
    )
    frame = export_frame(spec, (folder / spec.file).read_bytes())
    if fmt == "csv-comma":
        raw, name = to_csv_bytes(frame, sep=","), "x.csv"
    elif fmt == "csv-semicolon":
        raw, name = to_csv_bytes(frame, sep=";", decimal=","), "x.csv"
    else:
        raw, name = to_xlsx_bytes(frame, sheet=spec.name), "x.xlsx"
    r = review(folder, spec, raw, name)
    assert r.errors == []
    assert r.diff is not None and r.diff.is_empty, r.diff.changed
    assert not [p for p in r.warnings if p.code == "formula_like"]


# --- 6. size and shape ---------------------------------------------------------------------------


def _xlsx(rows: list[list[object]], **cells: object) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    for ref, value in cells.items():
        book.active[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A valid workbook whose sheet part inflates to 128 MB of whitespace (a few hundred KB
    compressed)."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["id"], ["x"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                with out.open(item.filename, "w", force_zip64=True) as part:
                    part.write(data)
                    block = b" " * (1 << 20)
                    for _ in range(128):
                        part.write(block)
            else:
                out.writestr(item, data)
    return buffer.getvalue()


BAD_UPLOADS = {
    "100k columns": (
        MEMBERS,
        "m.csv",
        lambda: (",".join(f"c{i}" for i in range(100_000)) + "\n" + "1," * 99_999 + "1\n").encode(),
        "too_many_columns",
    ),
    "200k rows": (
        PARTICIPANTS,
        "p.csv",
        lambda: (PARTICIPANT_HEADER + "\n" + "P1,msk,lead\n" * 200_000).encode(),
        "too_many_rows",
    ),
    "XFD1048576": (MEMBERS, "m.xlsx", lambda: _xlsx([["id"]], XFD1048576="x"), "too_many_rows"),
    "zip bomb": (MEMBERS, "m.xlsx", _zip_bomb, "xlsx_too_large"),
    "random bytes": (
        MEMBERS,
        "m.csv",
        lambda: __import__("random").Random(15).randbytes(limits.MAX_UPLOAD_BYTES - 1),
        None,
    ),
}


def timed(folder: Path, spec: TableSpec, raw: bytes, name: str) -> tuple[UploadReview, float]:
    start = time.perf_counter()
    r = review(folder, spec, raw, name)
    return r, time.perf_counter() - start


def peak_memory_mb(folder: Path, spec: TableSpec, raw: bytes, name: str) -> float:
    """Peak memory of a review in MB: the Python heap (tracemalloc, which slows the review
    down, so it is timed separately) plus what Arrow's pool allocated beyond its earlier peak."""
    pool = pa.default_memory_pool()
    arrow_before = pool.max_memory() or 0
    tracemalloc.start()
    try:
        review(folder, spec, raw, name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    arrow = max(0, (pool.max_memory() or 0) - arrow_before)
    return (peak + arrow) / 1e6


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_bad_uploads_are_answered_within_2_s_and_200_mb(folder: Path, case: str) -> None:
    spec, name, make, code = BAD_UPLOADS[case]
    raw = make()
    before = stored(folder)
    r, elapsed = timed(folder, spec, raw, name)
    peak_mb = peak_memory_mb(folder, spec, raw, name)
    assert r.errors, case
    if code is not None:
        assert code in [p.code for p in r.errors]
    assert elapsed < 2.0 * load_factor(folder), f"{case}: {elapsed:.2f} s"
    assert peak_mb < 200, f"{case}: {peak_mb:.0f} MB"
    assert stored(folder) == before


def valid_projects(size: int) -> bytes:
    rows = [PROJECT_HEADER, *PROJECT_ROWS]
    total, i = sum(len(r.encode()) + 1 for r in rows), 0
    while True:
        i += 1
        row = (
            f"X{i},Умный городской транспорт — Казань {i},Smart urban transport — Kazan {i},"
            "trade_economic,advocacy,completed,2001-03-01,2002-03-01,1000,RUB,false"
        )
        if total + len(row.encode()) + 1 >= size:
            break
        rows.append(row)
        total += len(row.encode()) + 1
    return ("\n".join(rows) + "\n").encode()


def test_a_valid_10_mb_projects_file_is_checked_well_under_10_s(folder: Path) -> None:
    raw = valid_projects(limits.MAX_UPLOAD_BYTES - 1)
    r, elapsed = timed(folder, PROJECTS, raw, "projects.csv")
    assert r.errors == [], r.errors[:3]
    assert len(r.diff.added) > 50_000
    assert elapsed < 5.0 * load_factor(folder), f"{elapsed:.2f} s (×{load_factor(folder):.1f})"


def test_an_xlsx_is_parsed_once_per_review(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    calls = []
    real = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: calls.append(1) or real(*a, **k))
    rows = [line.split(",") for line in csv_text(PARTICIPANT_HEADER, PARTICIPANT_ROWS).split()]
    r = review(folder, PARTICIPANTS, _xlsx(rows), "p.xlsx")
    assert r.errors == [] and r.diff.is_empty
    assert len(calls) == 1


# --- 7. a hidden first sheet ---------------------------------------------------------------------


def test_a_hidden_first_sheet_is_skipped_and_the_sheet_read_is_named(folder: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    old = book.active
    old.title = "old"
    old.append(["id", "junk"])
    old.sheet_state = "hidden"
    sheet = book.create_sheet("Лист2")
    for line in csv_text(PARTICIPANT_HEADER, PARTICIPANT_ROWS).split():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    r = review(folder, PARTICIPANTS, buffer.getvalue(), "p.xlsx")
    assert r.errors == [] and r.diff.is_empty
    assert r.sheet == "Лист2"
    [warning] = [p for p in r.warnings if p.code == "sheet_chosen"]
    assert "Лист2" in describe_problem(warning, "ru")[1]


# --- 8. a short row ------------------------------------------------------------------------------


def test_a_row_with_too_few_fields_is_one_problem(folder: Path) -> None:
    short = ",".join(MEMBER_ROWS[1].split(",")[:6])
    raw = members(add=short).encode()
    r = review(folder, MEMBERS, raw)
    assert [(p.code, p.row, p.params) for p in r.errors] == [
        ("wrong_field_count", 7, {"n": 6, "expected": len(MEMBERS.columns)})
    ]
    n = len(MEMBERS.columns)  # 29 today: «6 полей из 29»
    assert describe_problem(r.errors[0], "ru")[1].startswith(f"6 полей из {n}")
    assert describe_problem(r.errors[0], "en")[1].startswith(f"6 fields of {n}")


def test_a_review_says_each_step_as_it_starts(folder: Path) -> None:
    """The page shows what a long review is doing: reading, checking, comparing, in order."""
    from mag_data.editing.review import review_upload
    from mag_data.register.reading import read_register_files

    steps: list[str] = []
    files = read_register_files(folder)[0]
    review_upload(folder, files, MEMBERS, members().encode(), "members.csv", progress=steps.append)
    assert steps == ["read", "check", "compare"]
    steps.clear()
    review_upload(folder, files, MEMBERS, b"\x00\x01garbage", "members.csv", progress=steps.append)
    assert steps == ["read"]  # refused while reading: nothing more to do
