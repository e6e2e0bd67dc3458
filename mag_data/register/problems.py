"""Validation problems: where (file, row, column), what (value, code) and how to fix (hint).

A problem carries a code and parameters, not a sentence, so the UI renders it in the user's
language (see ``i18n.describe_problem``). ``row`` is the spreadsheet row number: the header is
row 1 and the first data row is row 2, so a user can find it in Excel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]

# Every problem code the loaders emit; each has a message and hint in ``i18n.TEXTS``.
CODES = frozenset(
    {
        "file_missing",
        "empty_file",
        "binary_file",
        "bad_encoding",
        "mojibake",
        "malformed_row",
        "bad_xlsx",
        "missing_column",
        "extra_column",
        "duplicate_column",
        "required_value",
        "control_characters",
        "too_long",
        "bad_int",
        "bad_float",
        "bad_bool",
        "bad_date",
        "out_of_range",
        "bad_pattern",
        "unknown_value",
        "duplicate_id",
        "inconsistent_value",
        "several_capitals",
        "end_before_start",
        "budget_without_currency",
        "unknown_project",
        "unknown_member",
        "lead_count",
        "more_problems",
        # the chronicle (mag_data.register.chronicle_checks)
        "unknown_host_city",
        "host_incomplete",
        "date_precision_mismatch",
        "missing_source",
        "unknown_event",
        "joined_without_source",
        "statement_without_figure",
        # reading an upload: encodings, size and shape (mag_data.register.textfile, workbook)
        "double_encoded",
        "wrong_field_count",
        "too_many_rows",
        "too_many_columns",
        "xlsx_too_large",
        "sheet_chosen",
        # cells (mag_data.register.validate) and countries (mag_data.register.countries)
        "mixed_script",
        "unknown_country",
        "country_mismatch",
        # uploads on the data page (mag_data.editing.review)
        "file_too_large",
        "population_jump",
        "rows_removed",
        # loading the register folder (mag_data.register.reading, ui.state)
        "switch_incomplete",
        "load_failed",
        "lost_characters",
        "formula_like",
    }
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located precisely enough for a person to fix it."""

    file: str
    code: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: Severity = "error"
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "severity": self.severity,
            **{f"param_{k}": v for k, v in self.params.items()},
        }


class DataValidationError(Exception):
    """Raised when a register cannot be loaded; holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        first = errors[0] if errors else (problems[0] if problems else None)
        where = ""
        if first is not None:
            where = f": {first.file}"
            if first.row is not None:
                where += f", row {first.row}"
            if first.column:
                where += f", column {first.column}"
            where += f" ({first.code})"
        super().__init__(f"{len(errors)} error(s) in the registers{where}")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def load_failed(error: BaseException) -> DataValidationError:
    """An unexpected failure while loading, as a report (problem ``load_failed`` with the
    exception's text), so that the app shows it like any other problem with the register."""
    text = f"{type(error).__name__}: {error}"[:300]
    return DataValidationError([Problem(file="", code="load_failed", params={"error": text})])
