"""Reading a register file as text: encoding and delimiter detection, then a frame of strings.

Russian Excel saves CSV in Windows-1251 with ``;`` delimiters; other tools write UTF-8, with or
without a byte-order mark, or an older Cyrillic code page (``mag_data.register.encoding``). All
of these are accepted; what was detected is reported back. An XLSX workbook is read by
``mag_data.register.workbook``. An upload is held to ``mag_data.register.limits``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from mag_data.register import limits
from mag_data.register.encoding import DOUBLE_ENCODED, MOJIBAKE, decode
from mag_data.register.problems import Problem
from mag_data.register.workbook import WorkbookError, read_sheet

DELIMITERS = (",", ";", "\t")
_PARSER_LINE = re.compile(r"line (\d+)")
MAX_ROW_PROBLEMS = 50


@dataclass(frozen=True)
class RawTable:
    """A file's cells as strings, plus what was detected about the file."""

    frame: pd.DataFrame
    encoding: str
    delimiter: str
    sheet: str | None = None  # the sheet read, for a workbook


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the header line into the most fields (outside quotes)."""
    header = text.split("\n", 1)[0]
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def pandas_read(text: str, delimiter: str) -> pd.DataFrame:
    """Every cell as a string (a short row's missing cells empty); raises pandas' ParserError
    (with the line) for a malformed file, EmptyDataError for an empty one."""
    frame = pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skipinitialspace=False,
        engine="c",
    )
    return frame.fillna("")


def _fast_read(text: str, delimiter: str) -> pd.DataFrame | None:
    """The same frame of strings as pandas' reader, read by Arrow's multi-threaded one (about
    five times faster on a 100 MB register), or None whenever the file is not plainly regular
    (a short or long row, a duplicate or empty header, an unreadable header): the pandas
    reader then reads it, and reports exactly what is wrong where."""
    try:
        header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    if not header or "" in header or len(set(header)) != len(header):
        return None
    try:
        # An Arrow buffer, not a Python file object: Arrow's read-ahead thread may still touch
        # its input after a refused file raised here, and a buffer keeps the bytes alive (the
        # upload property tests once died of a segfault in a native thread, the likely cause).
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(text.encode("utf-8"))),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.column_names != header:
        return None
    return table.to_pandas()


def _garbled(text: str, file: str) -> list[Problem]:
    """Text garbled by a wrong re-encoding before it was saved: one problem at its first place."""
    if text.isascii():
        return []
    for pattern, code in ((MOJIBAKE, "mojibake"), (DOUBLE_ENCODED, "double_encoded")):
        sample = pattern.search(text)
        if sample is not None:
            line = text.count("\n", 0, sample.start()) + 1
            value = text[sample.start() : sample.start() + 12]
            return [Problem(file=file, code=code, row=line, value=value)]
    return []


def _records_read(
    text: str, delimiter: str, header: list[str], file: str
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """An irregular file, record by record: a row with too few fields is one problem (not one
    empty value per missing cell), a row with too many is a malformed row; blank lines are
    skipped (as pandas does). Rows are numbered as a spreadsheet does (header = 1)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
    records: list[list[str]] = []
    problems: list[Problem] = []
    expected = len(header)
    bad = 0
    try:
        next(reader, None)
        for fields in reader:
            if not fields:
                continue
            records.append(fields)
            if len(fields) == expected:
                continue
            bad += 1
            if bad > MAX_ROW_PROBLEMS:
                continue
            row = len(records) + 1
            if len(fields) < expected:
                problems.append(
                    Problem(
                        file=file,
                        code="wrong_field_count",
                        row=row,
                        params={"n": len(fields), "expected": expected},
                    )
                )
            else:
                detail = f"{len(fields)} fields of {expected}"
                problems.append(
                    Problem(file=file, code="malformed_row", row=row, params={"detail": detail})
                )
            if len(records) > limits.MAX_ROWS:
                break
    except csv.Error as exc:
        return None, [
            Problem(
                file=file,
                code="malformed_row",
                row=len(records) + 2,
                params={"detail": str(exc)[:200]},
            )
        ]
    if bad > MAX_ROW_PROBLEMS:
        problems.append(
            Problem(
                file=file,
                code="more_problems",
                params={"n": bad - MAX_ROW_PROBLEMS, "of_code": "wrong_field_count"},
            )
        )
    if problems:
        return None, problems
    return pd.DataFrame(records, columns=header, dtype=object), []


def read_text_table(
    raw: bytes, file: str, *, upload: bool = False
) -> tuple[RawTable | None, list[Problem]]:
    """Parse CSV bytes into strings. Returns (table, []) or (None, [problem]). An ``upload`` is
    held to ``limits.MAX_ROWS`` (a register file in the data folder may be larger)."""
    if not raw.strip():
        return None, [Problem(file=file, code="empty_file")]
    try:
        text, encoding = decode(raw)
    except (UnicodeError, ValueError) as exc:
        code = "binary_file" if str(exc) == "binary" else "bad_encoding"
        return None, [Problem(file=file, code=code)]
    if garbled := _garbled(text, file):
        return None, garbled
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    delimiter = sniff_delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter))
    except (csv.Error, StopIteration):
        header = []
    if len(header) > limits.MAX_COLUMNS:
        return None, [_too_many(file, "too_many_columns", len(header), limits.MAX_COLUMNS)]
    if repeated := _repeated_columns(header, file):
        return None, repeated
    header = [str(c).strip().lstrip("\ufeff") for c in header]
    try:
        frame = _fast_read(text, delimiter)
        if frame is None:
            frame, problems = _records_read(text, delimiter, header, file)
            if frame is None:
                return None, problems
    except pd.errors.EmptyDataError:
        return None, [Problem(file=file, code="empty_file")]
    if frame.empty and not len(frame.columns):
        return None, [Problem(file=file, code="empty_file")]
    if upload and len(frame) > limits.MAX_ROWS:
        return None, [_too_many(file, "too_many_rows", len(frame), limits.MAX_ROWS)]
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    return RawTable(frame=frame, encoding=encoding, delimiter=delimiter), []


def _too_many(file: str, code: str, n: int, limit: int) -> Problem:
    return Problem(file=file, code=code, params={"n": n, "limit": limit})


def _repeated_columns(header: list[str], file: str) -> list[Problem]:
    """A header that names a column twice, as the file has it (pandas would quietly rename the
    second one ``id.1``): one problem per repeated name, with the spreadsheet columns it is in."""
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(header, start=1):
        positions.setdefault(str(name).strip().lstrip("\ufeff"), []).append(i)
    return [
        Problem(
            file=file,
            code="duplicate_column",
            row=1,
            column=name,
            params={"columns": ", ".join(_column_letter(i) for i in where)},
        )
        for name, where in positions.items()
        if name and len(where) > 1
    ]


def _column_letter(i: int) -> str:
    """1 → A, 27 → AA: the column as a spreadsheet names it."""
    letters = ""
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_xlsx_table(
    raw: bytes, file: str, register: str | None = None
) -> tuple[RawTable | None, list[Problem]]:
    """Parse one sheet of an XLSX workbook into strings: the visible sheet named like the
    ``register`` table, else the first visible one (``workbook.read_sheet``). A sheet other than
    the workbook's first is named in a ``sheet_chosen`` warning."""
    try:
        cells = read_sheet(raw, register)
    except WorkbookError as refused:
        return None, [Problem(file=file, code=refused.code, params=refused.params)]
    except Exception as exc:  # zipfile, XML and openpyxl raise many types for a broken workbook
        detail = str(exc)[:200] or type(exc).__name__
        return None, [Problem(file=file, code="bad_xlsx", params={"detail": detail})]
    if not cells.rows:
        return None, [Problem(file=file, code="empty_file")]
    header = cells.rows[0]
    if repeated := _repeated_columns(header, file):
        return None, repeated
    width = max(len(r) for r in cells.rows)
    header = header + [""] * (width - len(header))
    columns = [name.strip() if name.strip() else f"Unnamed: {i}" for i, name in enumerate(header)]
    body = [r + [""] * (width - len(r)) for r in cells.rows[1:]]
    frame = pd.DataFrame(body, columns=columns, dtype=object)
    problems = []
    if not cells.first_visible:
        problems.append(
            Problem(
                file=file,
                code="sheet_chosen",
                value=cells.sheet,
                severity="warning",
                params={"sheet": cells.sheet, "sheets": ", ".join(cells.sheets)},
            )
        )
    return RawTable(frame=frame, encoding="xlsx", delimiter="", sheet=cells.sheet), problems


def read_table(
    raw: bytes, file: str, *, upload: bool = False, register: str | None = None
) -> tuple[RawTable | None, list[Problem]]:
    """Read CSV or XLSX bytes (chosen by the file name) into a frame of strings. An ``upload``
    is held to the row limit; ``register`` (a table name) chooses a workbook's sheet."""
    if file.lower().endswith(".xlsx") or raw.startswith(b"PK\x03\x04"):
        return read_xlsx_table(raw, file, register)
    return read_text_table(raw, file, upload=upload)
