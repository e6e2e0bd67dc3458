"""Reading a register file as text: encoding and delimiter detection, then a frame of strings.

Russian Excel saves CSV in Windows-1251 with ``;`` delimiters; other tools write UTF-8, with or
without a byte-order mark. All of these are accepted; what was detected is reported back.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from mag_data.register.problems import Problem

DELIMITERS = (",", ";", "\t")
_PARSER_LINE = re.compile(r"line (\d+)")
# UTF-8 Cyrillic read as Latin-1/Windows-1252 and saved again ("ÐœÐ¾ÑÐºÐ²Ð°" for "Москва").
_MOJIBAKE = re.compile("[\u00d0\u00d1][\u0080-\u00bf\u0152-\u2122]")


@dataclass(frozen=True)
class RawTable:
    """A file's cells as strings, plus what was detected about the file."""

    frame: pd.DataFrame
    encoding: str
    delimiter: str


def decode(raw: bytes, file: str) -> tuple[str, str]:
    """Return (text, encoding name); raise ValueError with a Problem-ready code if impossible."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw:
        raise UnicodeError("binary")
    try:
        return raw.decode("utf-8", errors="strict"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Windows-1251 is what Russian Excel writes. It decodes almost any byte string;
    # the one byte it lacks (0x98) makes this raise and the file is reported as unreadable.
    return raw.decode("cp1251", errors="strict"), "cp1251"


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
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
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


def read_text_table(raw: bytes, file: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse CSV bytes into strings. Returns (table, []) or (None, [problem])."""
    if not raw.strip():
        return None, [Problem(file=file, code="empty_file")]
    try:
        text, encoding = decode(raw, file)
    except (UnicodeError, ValueError) as exc:
        code = "binary_file" if str(exc) == "binary" else "bad_encoding"
        return None, [Problem(file=file, code=code)]
    if _MOJIBAKE.search(text):
        sample = _MOJIBAKE.search(text)
        assert sample is not None
        line = text.count("\n", 0, sample.start()) + 1
        return None, [
            Problem(
                file=file,
                code="mojibake",
                row=line,
                value=text[sample.start() : sample.start() + 12],
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    delimiter = sniff_delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    except (csv.Error, StopIteration):
        header = []
    if repeated := _repeated_columns(header, file):
        return None, repeated
    try:
        frame = _fast_read(text, delimiter)
        if frame is None:
            frame = pandas_read(text, delimiter)
    except pd.errors.ParserError as exc:
        match = _PARSER_LINE.search(str(exc))
        row = int(match.group(1)) if match else None
        return None, [
            Problem(file=file, code="malformed_row", row=row, params={"detail": str(exc)[:200]})
        ]
    except pd.errors.EmptyDataError:
        return None, [Problem(file=file, code="empty_file")]
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    return RawTable(frame=frame, encoding=encoding, delimiter=delimiter), []


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


def read_xlsx_table(raw: bytes, file: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse the first sheet of an XLSX workbook into strings."""
    try:
        cells = pd.read_excel(
            io.BytesIO(raw), dtype=str, engine="openpyxl", keep_default_na=False, header=None
        )
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        return None, [Problem(file=file, code="bad_xlsx", params={"detail": str(exc)[:200]})]
    if cells.empty:
        return None, [Problem(file=file, code="empty_file")]
    header = ["" if pd.isna(c) else str(c) for c in cells.iloc[0]]
    if repeated := _repeated_columns(header, file):
        return None, repeated
    frame = cells.iloc[1:].reset_index(drop=True)
    frame.columns = [
        name.strip() if name.strip() else f"Unnamed: {i}" for i, name in enumerate(header)
    ]
    frame = frame.fillna("")
    return RawTable(frame=frame, encoding="xlsx", delimiter=""), []


def read_table(raw: bytes, file: str) -> tuple[RawTable | None, list[Problem]]:
    """Read CSV or XLSX bytes (chosen by the file name) into a frame of strings."""
    if file.lower().endswith(".xlsx") or raw.startswith(b"PK\x03\x04"):
        return read_xlsx_table(raw, file)
    return read_text_table(raw, file)
