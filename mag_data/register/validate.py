"""Turning a frame of strings into a typed frame, reporting every bad cell (vectorised)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from mag_data.register.problems import Problem
from mag_data.register.schema import MAX_TEXT_LENGTH, Column, TableSpec

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "да", "истина", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "нет", "ложь", "f", ""})
# Control characters other than tab/newline never belong in a register cell.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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
                params=dict(params),
            )
        )
    total = int(mask.sum())
    if total > MAX_PROBLEMS_PER_CHECK:
        out.append(
            Problem(
                file=file,
                code="more_problems",
                column=column.name,
                params={"n": total - MAX_PROBLEMS_PER_CHECK, "of_code": code},
            )
        )
    return out


def _to_number(raw: pd.Series, integer: bool) -> pd.Series:
    cleaned = raw.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    if not integer:
        cleaned = cleaned.str.replace(",", ".", regex=False)
    return pd.to_numeric(cleaned.where(cleaned != "", None), errors="coerce")


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


def convert_column(
    spec: TableSpec, file: str, column: Column, raw: pd.Series
) -> tuple[pd.Series, list[Problem]]:
    """Convert one column of strings to its declared type; report each cell that does not fit."""
    problems: list[Problem] = []
    raw = raw.astype(str).str.strip()
    empty = raw == ""
    if column.required:
        problems += _cell_problems(spec, file, column, raw, empty, "required_value")
    control = raw.str.contains(_CONTROL, regex=True)
    problems += _cell_problems(spec, file, column, raw, control, "control_characters")
    too_long = raw.str.len() > MAX_TEXT_LENGTH
    problems += _cell_problems(spec, file, column, raw, too_long, "too_long", limit=MAX_TEXT_LENGTH)

    kind = column.kind
    if kind in ("int", "float"):
        values = _to_number(raw, integer=kind == "int")
        bad = values.isna() & ~empty
        problems += _cell_problems(spec, file, column, raw, bad, f"bad_{kind}")
        if kind == "int":
            fractional = values.notna() & (values != values.round())
            problems += _cell_problems(spec, file, column, raw, fractional, "bad_int")
            values = values.where(~fractional).round().astype("Int64")
        else:
            values = values.astype("float64")
        if column.minimum is not None:
            low = values.notna() & (values < column.minimum)
            problems += _cell_problems(
                spec,
                file,
                column,
                raw,
                low.astype(bool),
                "out_of_range",
                minimum=column.minimum,
                maximum=column.maximum,
            )
        if column.maximum is not None:
            high = values.notna() & (values > column.maximum)
            problems += _cell_problems(
                spec,
                file,
                column,
                raw,
                high.astype(bool),
                "out_of_range",
                minimum=column.minimum,
                maximum=column.maximum,
            )
        return values, problems
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
