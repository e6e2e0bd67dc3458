"""Reading one sheet of an XLSX workbook as strings, with its size checked before parsing.

Before openpyxl sees the file, the ZIP directory and the workbook's XML are read with
``zipfile``: which sheets there are and which are hidden, the uncompressed size of the sheet
part and the shared strings (a zip bomb declares it), and the ``<dimension ref>`` the sheet
claims (a sparse sheet saying ``A1:XFD1048576``). Then openpyxl reads the one chosen sheet once,
in read-only mode, never more rows or columns than the limits.

The sheet read is the visible one named like the register (``members``, ``projects``,
``participants``), else the first visible one.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from mag_data.register import limits

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{0,3})(\d*)(?::([A-Z]{1,3})(\d+))?\"")


class WorkbookError(Exception):
    """A workbook that is refused; ``code`` and ``params`` make the Problem."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Sheet:
    name: str
    part: str
    visible: bool


@dataclass(frozen=True)
class SheetCells:
    """The rows of the sheet read (strings), its name and the names of all sheets."""

    rows: list[list[str]]
    sheet: str
    sheets: tuple[str, ...]
    first_visible: bool  # the sheet read is the workbook's first sheet


def _column_number(letters: str) -> int:
    n = 0
    for char in letters:
        n = n * 26 + ord(char) - ord("A") + 1
    return n


def _sheets(book: zipfile.ZipFile) -> list[Sheet]:
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    out = []
    for node in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets.get(node.get(f"{{{_NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        state = node.get("state", "visible")
        out.append(Sheet(node.get("name", ""), posixpath.normpath(part), state == "visible"))
    return out


def choose_sheet(sheets: list[Sheet], register: str | None) -> Sheet:
    visible = [s for s in sheets if s.visible] or sheets
    if register:
        named = [s for s in visible if s.name.strip().lower() == register.lower()]
        if named:
            return named[0]
    return visible[0]


def _check_size(book: zipfile.ZipFile, sheet: Sheet) -> None:
    names = set(book.namelist())
    parts = [sheet.part] + [p for p in ("xl/sharedStrings.xml",) if p in names]
    declared = sum(book.getinfo(p).file_size for p in parts)
    if declared > limits.MAX_XLSX_UNCOMPRESSED_BYTES:
        raise WorkbookError(
            "xlsx_too_large",
            size_mb=round(declared / 2**20),
            limit_mb=limits.MAX_XLSX_UNCOMPRESSED_BYTES // 2**20,
        )
    with book.open(sheet.part) as part:
        head = part.read(4096)
    match = _REF.search(head)
    if match and match.group(3):
        rows = int(match.group(4)) - 1
        columns = _column_number(match.group(3).decode())
        if rows > limits.MAX_ROWS:
            raise WorkbookError("too_many_rows", n=rows, limit=limits.MAX_ROWS)
        if columns > limits.MAX_COLUMNS:
            raise WorkbookError("too_many_columns", n=columns, limit=limits.MAX_COLUMNS)


def cell_text(value: object) -> str:
    """A cell as the text a CSV of the same sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_sheet(raw: bytes, register: str | None = None) -> SheetCells:
    """The rows of the chosen sheet as strings (trailing empty rows and cells dropped);
    raises WorkbookError for a workbook over a limit, other exceptions for a broken one."""
    import openpyxl  # imported here: only an XLSX upload needs it

    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        sheets = _sheets(book)
        if not sheets:
            raise WorkbookError("empty_file")
        sheet = choose_sheet(sheets, register)
        _check_size(book, sheet)
    workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        ws = workbook[sheet.name]
        rows: list[list[str]] = []
        for values in ws.iter_rows(
            min_row=1, max_row=limits.MAX_ROWS + 2, max_col=limits.MAX_COLUMNS + 1, values_only=True
        ):
            if values.count(None) == len(values):
                rows.append([])  # an empty (or missing) row, without a cell per column
                continue
            last = len(values)
            while values[last - 1] is None:
                last -= 1
            rows.append([cell_text(v) for v in values[:last]])
    finally:
        workbook.close()
    while rows and not any(c.strip() for c in rows[-1]):  # Excel keeps formatted empty rows
        rows.pop()
    if len(rows) > limits.MAX_ROWS + 1:
        raise WorkbookError("too_many_rows", n=len(rows) - 1, limit=limits.MAX_ROWS)
    width = max((len(r) for r in rows), default=0)
    if width > limits.MAX_COLUMNS:
        raise WorkbookError("too_many_columns", n=width, limit=limits.MAX_COLUMNS)
    return SheetCells(
        rows=rows,
        sheet=sheet.name,
        sheets=tuple(s.name for s in sheets),
        first_visible=sheet == sheets[0],
    )
