"""Table exports that are safe to open in Excel: CSV (UTF-8 with BOM, ``,`` or ``;``) and XLSX.

A cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab/carriage return) could run as a
spreadsheet formula; such text cells get a leading apostrophe so they show as plain text.
Numbers are left as numbers (a negative number is not a formula).

A table that holds figures of the illustrative project register carries that statement with it
(``note``, given by the caller, who knows what the table holds: ``illustrative_note``): a last
column «Примечание» / «Note» with the short statement on every row of a CSV, and a sheet of
that name with the whole statement in an XLSX. A table of members only carries none.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd

from mag_data.i18n import t
from mag_data.register.validate import FORMULA_PREFIXES


@dataclass(frozen=True)
class Note:
    """The illustrative-data statement an export carries: the column/sheet name, the short
    text for each CSV row and the full text for the XLSX note sheet."""

    title: str
    short: str
    full: str


def illustrative_note(lang: str, illustrative: bool) -> Note | None:
    """The note for an export of project figures of an illustrative register (else None)."""
    if not illustrative:
        return None
    return Note(
        t("export.note", lang), t("app.illustrative.short", lang), t("app.illustrative", lang)
    )


def _safe_label(label: object) -> object:
    """A column header that could start a formula gets the same leading apostrophe."""
    return f"'{label}" if isinstance(label, str) and label.startswith(FORMULA_PREFIXES) else label


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell (and header) that could start a formula is prefixed with
    ``'``."""
    out = frame.copy()
    out.columns = [_safe_label(c) for c in out.columns]
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(
            series
        ):
            continue
        text = series.astype("string")
        risky = text.str.startswith(FORMULA_PREFIXES).fillna(False)
        out[col] = series.astype(object).where(~risky, "'" + text.astype(object))
    return out


def _with_note_column(frame: pd.DataFrame, note: Note | None) -> pd.DataFrame:
    if note is None:
        return frame
    return frame.assign(**{note.title: note.short})


def to_csv_bytes(
    frame: pd.DataFrame, sep: str = ",", decimal: str = ".", note: Note | None = None
) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel shows Cyrillic), formulas neutralised; with ``note``,
    a last column that says the project figures are illustrative."""
    text = neutralise(_with_note_column(frame, note)).to_csv(
        index=False, sep=sep, decimal=decimal, lineterminator="\r\n"
    )
    return ("\ufeff" + str(text)).encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "data", note: Note | None = None) -> bytes:
    """An XLSX workbook with a bold, filled, frozen header row and fitted column widths; with
    ``note``, the same last column as the CSV and a second sheet named ``note.title`` holding
    the whole statement."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    safe = neutralise(_with_note_column(frame, note))
    # Excel forbids []:*?/\ in sheet names and at most 31 characters.
    sheet = re.sub(r"[\[\]:*?/\\]", "_", sheet or "").strip("'")[:31] or "data"
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet)
        ws = writer.sheets[sheet]
        for cell in ws[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F4E9C")
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.freeze_panes = "A2"
        for i, col in enumerate(safe.columns, start=1):
            longest = max([len(str(col))] + [len(str(v)) for v in safe[col].head(500)])
            ws.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)
        # Text cells must stay text: openpyxl would otherwise treat "=..." as a formula.
        for row in ws.iter_rows(min_row=1):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        if note is not None:
            name = note.title if note.title != sheet else f"{note.title} (1)"
            notes = writer.book.create_sheet(name[:31])
            notes["A1"] = note.full
            notes["A1"].font = Font(bold=True, color="9A3412")
            notes["A1"].alignment = Alignment(wrap_text=True, vertical="top")
            notes.column_dimensions["A"].width = 100
            notes.row_dimensions[1].height = 60
    return buffer.getvalue()
