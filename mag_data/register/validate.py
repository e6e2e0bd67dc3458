"""Turning a frame of strings into a typed frame, reporting every bad cell (vectorised).

Text is normalised to NFC (a name typed with a combining accent equals the precomposed one);
control and invisible format characters (bidi controls, zero-width characters, a byte-order mark
inside text) are refused; a word mixing Latin and Cyrillic letters (``Mоscow`` with a Cyrillic
``о``) is a warning. The apostrophe an export puts before formula-like text (``'=…``) is taken
off again, so a downloaded file uploads back unchanged. Numbers that are infinite, not a number
or beyond ``NUMBER_LIMIT`` are out of range.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from mag_data.register.problems import Problem, Severity
from mag_data.register.schema import MAX_TEXT_LENGTH, NUMBER_LIMIT, Column, TableSpec

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "да", "истина", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "нет", "ложь", "f", ""})
# C0 and C1 control characters, invisible format characters (soft hyphen, zero-width
# characters, bidi marks, embeddings, overrides and isolates, word joiners, a byte-order mark)
# and the replacement character of text lost in a decoding: none belongs in a register cell.
_CONTROL = (
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\ufffd]"
)
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_CYRILLIC = "\u0400-\u04ff"
# Two adjacent letters of a word in different scripts.
_MIXED_SCRIPT = f"[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}]"
# Text a spreadsheet could run as a formula; an export puts an apostrophe before it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = "^'(?=[=+\\-@\t\r])"
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NOT_FINITE = r"[+-]?(?:inf|infinity|nan)"
MAX_PROBLEMS_PER_CHECK = 50


def _rows(mask: pd.Series) -> np.ndarray:
    """Spreadsheet row numbers (header = 1) of the True cells, capped per check."""
    idx = np.flatnonzero(mask.to_numpy())
    return idx[:MAX_PROBLEMS_PER_CHECK]


def _cell_problems(
    spec: TableSpec,
    file: str,
    column: Column,
    raw: pd.Series,
    mask: pd.Series,
    code: str,
    severity: Severity = "error",
    row_params: Callable[[int], dict[str, object]] | None = None,
    **params: object,
) -> list[Problem]:
    out = []
    for i in _rows(mask):
        out.append(
            Problem(
                file=file,
                code=code,
                row=int(i) + 2,
                column=column.name,
                value=str(raw.iloc[i])[:80],
                severity=severity,
                params={**params, **(row_params(int(i)) if row_params else {})},
            )
        )
    total = int(mask.sum())
    if total > MAX_PROBLEMS_PER_CHECK:
        out.append(
            Problem(
                file=file,
                code="more_problems",
                column=column.name,
                severity=severity,
                params={"n": total - MAX_PROBLEMS_PER_CHECK, "of_code": code},
            )
        )
    return out


def _to_number(raw: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
    """(values as float64, out of range): a cell that is not a number is NaN and not out of
    range; ``inf``, ``nan``, ``1e309`` and numbers of more than 40 characters are out of range
    (never converted: a 400-digit integer would overflow the conversion)."""
    cleaned = raw.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    if not integer:
        cleaned = cleaned.str.replace(",", ".", regex=False)
    syntactic = cleaned.str.fullmatch(_NUMBER).fillna(False).astype(bool)
    too_long = syntactic & (cleaned.str.len() > 40)
    readable = syntactic & ~too_long
    values = pd.to_numeric(cleaned.where(readable, None), errors="coerce")
    values = pd.Series(np.asarray(values, dtype="float64"), index=raw.index)
    not_finite = cleaned.str.fullmatch(_NOT_FINITE, case=False).fillna(False).astype(bool)
    infinite = readable & ~np.isfinite(values.fillna(0.0))
    out = too_long | not_finite | infinite
    return values.where(~out), out


DATE_FORMATS = (
    "%Y-%m-%d",  # ISO, what the app writes
    "%d.%m.%Y",  # Russian Excel's display format
    "%Y-%m-%d %H:%M:%S",  # a date typed in Excel and read from XLSX (midnight time)
)


def _to_date(raw: pd.Series) -> pd.Series:
    """Parse dates in any accepted format; a cell that fits none becomes NaT."""
    cells = raw.where(raw != "", None)
    out = pd.to_datetime(cells, format=DATE_FORMATS[0], errors="coerce")
    for fmt in DATE_FORMATS[1:]:
        left = out.isna() & cells.notna()  # only the cells no earlier format read
        if not left.any():
            break
        out = out.fillna(pd.to_datetime(cells[left], format=fmt, errors="coerce"))
    return out


def _nfc(raw: pd.Series) -> pd.Series:
    """Text in NFC; only the cells that are not plain ASCII are looked at."""
    wide = ~raw.str.isascii().fillna(True).astype(bool)
    if not wide.any():
        return raw
    return raw.where(~wide, raw[wide].str.normalize("NFC"))


def convert_column(
    spec: TableSpec, file: str, column: Column, raw: pd.Series
) -> tuple[pd.Series, list[Problem]]:
    """Convert one column of strings to its declared type; report each cell that does not fit."""
    problems: list[Problem] = []
    raw = raw.astype(str).str.strip()
    if column.kind in ("str", "category", "id"):
        quoted = raw.str.startswith("'").fillna(False).astype(bool)
        if quoted.any():
            raw = raw.where(~quoted, raw[quoted].str.replace(_NEUTRALISED, "", regex=True))
    raw = _nfc(raw)
    empty = raw == ""
    if column.required:
        problems += _cell_problems(spec, file, column, raw, empty, "required_value")
    control = raw.str.contains(_CONTROL, regex=True)
    if control.any():
        found = raw.where(control, "").str.extract(f"({_CONTROL})", expand=False)
        problems += _cell_problems(
            spec,
            file,
            column,
            raw,
            control,
            "control_characters",
            row_params=lambda i: {"char": f"U+{ord(found.iloc[i]):04X}"},
        )
    if column.kind in ("str", "category"):
        mixed = raw.str.contains(_MIXED_SCRIPT, regex=True)
        problems += _cell_problems(
            spec, file, column, raw, mixed, "mixed_script", severity="warning"
        )
    too_long = raw.str.len() > MAX_TEXT_LENGTH
    problems += _cell_problems(spec, file, column, raw, too_long, "too_long", limit=MAX_TEXT_LENGTH)

    kind = column.kind
    if kind in ("int", "float"):
        values, out = _to_number(raw, integer=kind == "int")
        low = -NUMBER_LIMIT if column.minimum is None else column.minimum
        high = NUMBER_LIMIT if column.maximum is None else column.maximum
        bad = values.isna() & ~empty & ~out
        problems += _cell_problems(spec, file, column, raw, bad, f"bad_{kind}")
        out = out | (values.notna() & ((values < low) | (values > high)))
        problems += _cell_problems(
            spec, file, column, raw, out, "out_of_range", minimum=low, maximum=high
        )
        values = values.where(~out)
        if kind == "int":
            fractional = values.notna() & (values != values.round())
            problems += _cell_problems(spec, file, column, raw, fractional, "bad_int")
            return values.where(~fractional).round().astype("Int64"), problems
        return values.astype("float64"), problems
    if kind == "bool":
        lowered = raw.str.lower()
        is_true = lowered.isin(TRUE_WORDS)
        bad = ~is_true & ~lowered.isin(FALSE_WORDS)
        problems += _cell_problems(spec, file, column, raw, bad, "bad_bool")
        return is_true.astype(bool), problems
    if kind == "date":
        values = _to_date(raw)
        bad = values.isna() & ~empty
        problems += _cell_problems(spec, file, column, raw, bad, "bad_date")
        return values, problems

    # Text-like kinds: id, str, category.
    if column.pattern is not None:
        bad = ~empty & ~raw.str.match(column.pattern)
        problems += _cell_problems(
            spec, file, column, raw, bad, "bad_pattern", pattern=column.pattern
        )
    if column.choices is not None:
        bad = ~empty & ~raw.isin(column.choices)
        problems += _cell_problems(
            spec, file, column, raw, bad, "unknown_value", allowed=", ".join(column.choices)
        )
    values = raw.where(~empty, None)
    if kind == "category":
        return values.astype("category"), problems
    return values.astype("string"), problems


def validate_table(
    spec: TableSpec, file: str, frame: pd.DataFrame
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check columns and convert every cell; returns the typed frame and all problems found."""
    problems: list[Problem] = []
    expected = spec.column_names
    present = list(frame.columns)
    for name in expected:
        if name not in present:
            problems.append(
                Problem(
                    file=file,
                    code="missing_column",
                    column=name,
                    params={"expected": ", ".join(expected)},
                )
            )
    for name in present:
        if name not in expected:
            problems.append(
                Problem(
                    file=file,
                    code="extra_column",
                    column=name,
                    value=name,
                    params={"expected": ", ".join(expected)},
                )
            )
    if problems:
        return pd.DataFrame(columns=expected), problems

    frame = frame.reset_index(drop=True)
    typed: dict[str, pd.Series] = {}
    for column in spec.columns:
        values, column_problems = convert_column(spec, file, column, frame[column.name])
        typed[column.name] = values
        problems += column_problems
    out = pd.DataFrame(typed)

    key = list(spec.key)
    # Missing key cells compare (and print) as empty text rather than breaking the join.
    keys = out[key].astype("string").fillna("")
    dup = keys.duplicated(keep="first")
    if dup.any():
        key_raw = keys.agg(" / ".join, axis=1)
        for i in _rows(dup):
            first = int(np.flatnonzero((keys == keys.iloc[i]).all(axis=1).to_numpy())[0]) + 2
            problems.append(
                Problem(
                    file=file,
                    code="duplicate_id",
                    row=int(i) + 2,
                    column=",".join(key),
                    value=str(key_raw.iloc[i]),
                    params={"first_row": first},
                )
            )
    return out, problems


def flag_rows(
    problems: list[Problem],
    code: str,
    file: str,
    mask: pd.Series,
    frame: pd.DataFrame,
    column: str,
    **params: object,
) -> None:
    """One problem per True row of ``mask`` (capped at ``MAX_PROBLEMS_PER_CHECK``, then one
    ``more_problems``), located by spreadsheet row: the cross-table checks report with this."""
    rows = mask.to_numpy(dtype=bool).nonzero()[0]
    values = (
        frame[column].astype("string").fillna("")
        if column in frame
        else pd.Series([""] * len(frame))
    )
    for i in rows[:MAX_PROBLEMS_PER_CHECK]:
        problems.append(
            Problem(
                file=file,
                code=code,
                row=int(i) + 2,
                column=column,
                value=str(values.iloc[i]),
                params=dict(params),
            )
        )
    if len(rows) > MAX_PROBLEMS_PER_CHECK:
        problems.append(
            Problem(
                file=file,
                code="more_problems",
                column=column,
                params={"n": len(rows) - MAX_PROBLEMS_PER_CHECK, "of_code": code},
            )
        )
