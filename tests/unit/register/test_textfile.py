"""The fast CSV reader (Arrow) gives the same frame of strings as the pandas reader, or steps
aside (None) so that the pandas reader reads the file and reports what is wrong."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mag_data.register.textfile import _fast_read, pandas_read, read_text_table


def _same(fast: pd.DataFrame, slow: pd.DataFrame) -> None:
    assert list(fast.columns) == list(slow.columns)
    assert fast.shape == slow.shape
    for column in slow.columns:
        assert list(fast[column].astype(str)) == list(slow[column].astype(str)), column


def _quoted(cell: str, delimiter: str) -> str:
    if any(ch in cell for ch in (delimiter, '"', "\n")) or cell != cell.strip():
        return '"' + cell.replace('"', '""') + '"'
    return cell


CELLS = st.text(
    alphabet=st.sampled_from(list('abcМосква ,;"\t\n-.1') + ["ё", "Ә"]), min_size=0, max_size=8
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    final_newline=st.booleans(),
)
def test_fast_reader_reads_what_pandas_reads(rows, delimiter, final_newline):
    header = ["id", "name_ru", "note"]
    lines = [delimiter.join(header)] + [
        delimiter.join(_quoted(c, delimiter) for c in row) for row in rows
    ]
    text = "\n".join(lines) + ("\n" if final_newline else "")
    fast = _fast_read(text, delimiter)
    slow = pandas_read(text, delimiter)
    if fast is not None:
        _same(fast, slow)


@pytest.mark.parametrize(
    "text",
    [
        "id,name\na,b,c\n",  # a long row
        "id,name,note\na,b\n",  # a short row
        "id,id\na,b\n",  # a duplicate header
        "id,,note\na,b,c\n",  # an empty header name
    ],
)
def test_irregular_files_go_to_the_pandas_reader(text):
    assert _fast_read(text, ",") is None


def test_a_long_row_is_still_reported_with_its_line():
    table, problems = read_text_table(b"id,name\na,b\nc,d,e\n", "members.csv")
    assert table is None
    assert [(p.code, p.row) for p in problems] == [("malformed_row", 3)]


def test_a_short_row_is_one_problem_with_its_field_count():
    """Not one «empty value» per missing cell: «row 2: 2 fields of 3»."""
    table, problems = read_text_table(b"id,name,note\na,b\n", "members.csv")
    assert table is None
    assert [(p.code, p.row, p.params) for p in problems] == [
        ("wrong_field_count", 2, {"n": 2, "expected": 3})
    ]


def _xlsx(rows: list[list[str]]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_column_named_twice_is_reported_with_the_columns_it_is_in(kind):
    """pandas would rename the second ``id`` to ``id.1`` (an "unknown column"); the reader says
    what the file really has: ``id`` twice, in spreadsheet columns A and C."""
    from mag_data.register.textfile import read_table

    rows = [["id", "name_ru", "id"], ["msk", "Москва", "msk"]]
    if kind == "csv":
        raw = "\n".join(",".join(r) for r in rows).encode()
        name = "members.csv"
    else:
        raw, name = _xlsx(rows), "members.xlsx"
    table, problems = read_table(raw, name)
    assert table is None
    assert [(p.code, p.row, p.column, p.params["columns"]) for p in problems] == [
        ("duplicate_column", 1, "id", "A, C")
    ]


def test_an_xlsx_sheet_reads_as_the_same_strings_as_its_csv():
    from mag_data.register.textfile import read_table

    rows = [["id", "population", ""], ["msk", "13010112", "x"], ["kzn", "", ""]]
    table, problems = read_table(_xlsx(rows), "members.xlsx")
    assert not problems and table is not None
    assert list(table.frame.columns) == ["id", "population", "Unnamed: 2"]
    assert table.frame.to_dict("list") == {
        "id": ["msk", "kzn"],
        "population": ["13010112", ""],
        "Unnamed: 2": ["x", ""],
    }
