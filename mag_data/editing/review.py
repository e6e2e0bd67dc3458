"""Turning an uploaded file into a reviewed change of one register.

An upload is read and validated with the rest of the register (``review_upload``), brought to one
canonical notation (``canonical_frame``: UTF-8, ``,``, ISO dates, ``.`` decimals) and compared
with the current file on the table's key (``diff_tables``). The ``UploadReview`` says what the
upload would change, which warnings need an explicit confirmation and which bytes an apply would
write (``RegisterStore.apply`` in ``store.py``); nothing here writes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mag_data.editing.checks import formula_like, keep_lost_characters
from mag_data.editing.checks import key_labels as _key_labels
from mag_data.register.limits import MAX_UPLOAD_BYTES as MAX_UPLOAD_BYTES
from mag_data.register.problems import DataValidationError, Problem, load_failed
from mag_data.register.registry import fingerprint_of, load_registry
from mag_data.register.schema import (
    EVENT_SOURCES,
    EVENTS,
    MEMBERS,
    MEMBERSHIP_STATEMENTS,
    PARTICIPANTS,
    PROJECTS,
    TableSpec,
)
from mag_data.register.textfile import RawTable, read_table
from mag_data.register.validate import validate_table

# The registers the secretariat maintains by upload (the others change with the code).
UPLOADABLE: tuple[TableSpec, ...] = (
    MEMBERS,
    PROJECTS,
    PARTICIPANTS,
    EVENTS,
    EVENT_SOURCES,
    MEMBERSHIP_STATEMENTS,
)

POPULATION_JUMP = 0.5  # a population change above 50 % needs an explicit confirmation


@dataclass(frozen=True)
class TableDiff:
    """Differences between two versions of one register, matched on the table's key.

    ``added`` and ``removed`` hold whole rows; ``changed`` has one row per changed cell with the
    key columns, ``column``, ``old`` and ``new``. All values are canonical strings.
    """

    table: str
    key: tuple[str, ...]
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame

    @property
    def changed_rows(self) -> int:
        if self.changed.empty:
            return 0
        return len(self.changed[list(self.key)].drop_duplicates())

    @property
    def is_empty(self) -> bool:
        return bool(self.added.empty and self.removed.empty and self.changed.empty)


@dataclass(frozen=True)
class UploadReview:
    """What an uploaded file would change, and whether it may be applied.

    ``data`` is the canonical file (UTF-8, ``,``, ISO dates, ``.`` decimals) to write; it is None
    while an error remains. ``base_fingerprint`` is the register this review was made against.
    """

    table: str
    file: str
    upload_name: str
    encoding: str | None
    delimiter: str | None
    rows: int
    problems: tuple[Problem, ...]
    diff: TableDiff | None
    data: bytes | None
    base_fingerprint: str
    sheet: str | None = None  # the workbook sheet read (an XLSX upload)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def can_apply(self) -> bool:
        """No error left and something to change."""
        return (
            not self.errors
            and self.data is not None
            and self.diff is not None
            and not self.diff.is_empty
        )


# --- canonical form and differences ---------------------------------------------------------


def _format_float(value: float) -> str:
    if value is None or pd.isna(value):
        return ""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def canonical_frame(spec: TableSpec, typed: pd.DataFrame) -> pd.DataFrame:
    """The typed table as strings in one canonical notation (ISO dates, ``.`` decimals, true/false).

    Two files that mean the same data (any encoding, delimiter, number or date notation) give the
    same canonical frame; it is what is written and what differences are computed on.
    """
    out: dict[str, pd.Series] = {}
    for column in spec.columns:
        values = typed[column.name].reset_index(drop=True)
        if column.kind == "int":
            text = values.astype("Int64").astype("string").fillna("")
        elif column.kind == "float":
            text = pd.Series([_format_float(v) for v in values], dtype="string")
        elif column.kind == "bool":
            text = pd.Series(np.where(values.astype(bool), "true", "false"), dtype="string")
        elif column.kind == "date":
            text = pd.to_datetime(values).dt.strftime("%Y-%m-%d").astype("string").fillna("")
        else:
            text = values.astype("string").fillna("")
        out[column.name] = text.astype(object)
    return pd.DataFrame(out, columns=spec.column_names)


def register_csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame of strings as the register stores it: UTF-8 without BOM, ``,``, ``\\n`` endings."""
    text: str = frame.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def typed_table(spec: TableSpec, raw: bytes) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and validate one file on its own (no cross-table checks). An unexpected failure
    of the reader or validator is the problem ``load_failed``, never an exception."""
    try:
        table, problems = read_table(raw, spec.file)
        if table is None:
            return None, problems
        typed, more = validate_table(spec, spec.file, table.frame)
    except Exception as exc:
        return None, list(load_failed(exc).problems)
    problems = problems + more
    if any(p.severity == "error" for p in problems):
        return None, problems
    return typed, problems


def export_frame(spec: TableSpec, raw: bytes) -> pd.DataFrame:
    """A register file for download: schema columns, numbers as numbers, dates as ISO text.

    Re-uploading the downloaded file (CSV with ``,`` or ``;``, or XLSX) gives the same data.
    """
    typed, _ = typed_table(spec, raw)
    if typed is None:
        return pd.DataFrame(columns=spec.column_names)
    dates = [c.name for c in spec.columns if c.kind == "date"]
    return typed.assign(
        **{name: typed[name].dt.strftime("%Y-%m-%d").astype(object) for name in dates}
    )


def template_frame(spec: TableSpec) -> pd.DataFrame:
    """An empty register file with the right header, for a new upload."""
    return pd.DataFrame(columns=spec.column_names)


def keep_unchanged_cells(
    spec: TableSpec, new: pd.DataFrame, old: pd.DataFrame, old_raw: bytes
) -> pd.DataFrame:
    """The canonical upload, except that a cell equal in value to the same cell (same key, same
    column) of the current file keeps the current file's text ("44.51260" stays, not
    "44.5126"), so that writing a file changes only the cells whose data changed."""
    table, _ = read_table(old_raw, spec.file)
    if old.empty or table is None or len(table.frame) != len(old):
        return new
    key = list(spec.key)
    old_index = pd.Index(_key_labels(old, key))
    if not old_index.is_unique:
        return new
    position = old_index.get_indexer(_key_labels(new, key))
    found = position >= 0
    take = np.where(found, position, 0)
    out = {}
    for column in spec.column_names:
        text = table.frame[column].astype(str).str.strip().to_numpy()[take]
        same = found & (new[column].to_numpy() == old[column].to_numpy()[take])
        out[column] = np.where(same, text, new[column].to_numpy())
    return pd.DataFrame(out, columns=spec.column_names).astype(object)


def diff_tables(spec: TableSpec, old: pd.DataFrame, new: pd.DataFrame) -> TableDiff:
    """Rows added, removed and changed cell by cell between two canonical frames of ``spec``."""
    key = list(spec.key)
    old_keys, new_keys = _key_labels(old, key), _key_labels(new, key)
    added = new[~new_keys.isin(set(old_keys))].reset_index(drop=True)
    removed = old[~old_keys.isin(set(new_keys))].reset_index(drop=True)
    both = old.merge(new, on=key, how="inner", suffixes=("__old", "__new"), sort=False)
    parts = []
    for column in spec.column_names:
        if column in key:
            continue
        before, after = both[f"{column}__old"], both[f"{column}__new"]
        mask = before != after
        if mask.any():
            parts.append(
                both.loc[mask, key].assign(
                    column=column, old=before[mask].to_numpy(), new=after[mask].to_numpy()
                )
            )
    columns = [*key, "column", "old", "new"]
    changed = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    ).astype(object)
    if not changed.empty:
        order = {k: i for i, k in enumerate(_key_labels(new, key))}
        position = _key_labels(changed, key).map(order)
        columns_order = changed["column"].map({c: i for i, c in enumerate(spec.column_names)})
        changed = (
            changed.assign(_p=position.to_numpy(), _c=columns_order.to_numpy())
            .sort_values(["_p", "_c"], kind="stable")
            .drop(columns=["_p", "_c"])
            .reset_index(drop=True)
        )
    return TableDiff(spec.name, spec.key, added, removed, changed)


def change_warnings(
    spec: TableSpec, diff: TableDiff, new: pd.DataFrame, file: str
) -> list[Problem]:
    """Warnings that need an explicit confirmation: big population jumps, removed rows."""
    problems: list[Problem] = []
    if spec.name == MEMBERS.name and not diff.changed.empty:
        population = diff.changed[diff.changed["column"] == "population"]
        rows = {k: i for i, k in enumerate(_key_labels(new, list(spec.key)))}
        for _, change in population.iterrows():
            if change["old"] == "" or change["new"] == "":
                continue
            old, value = int(change["old"]), int(change["new"])
            if old > 0 and abs(value - old) / old > POPULATION_JUMP:
                problems.append(
                    Problem(
                        file=file,
                        code="population_jump",
                        row=rows.get(str(change["id"]), -2) + 2,
                        column="population",
                        value=str(value),
                        severity="warning",
                        params={
                            "old": old,
                            "new": value,
                            "change": round(100 * (value - old) / old),
                        },
                    )
                )
    if not diff.removed.empty:
        labels = list(_key_labels(diff.removed, list(spec.key)))
        shown = ", ".join(labels[:10]) + (" …" if len(labels) > 10 else "")
        problems.append(
            Problem(
                file=file,
                code="rows_removed",
                value=shown[:200],
                severity="warning",
                params={"count": len(labels)},
            )
        )
    return problems


def fill_cells(table: RawTable, fills: Mapping[int, Mapping[str, str]]) -> RawTable:
    """A copy of the raw table with some cells set (row index -> column -> text)."""
    frame = table.frame.copy()
    for row, cells in fills.items():
        for column, value in cells.items():
            if row in frame.index and column in frame.columns:
                frame.loc[row, column] = value
    return dataclasses.replace(table, frame=frame)


# --- reviewing an upload ----------------------------------------------------------------------


def review_upload(
    folder: Path,
    files: Mapping[str, bytes],
    spec: TableSpec,
    raw: bytes,
    upload_name: str,
    fills: Mapping[int, Mapping[str, str]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> UploadReview:
    """Validate an upload against the rest of the register and compute what it would change.

    ``files`` are the register's current files (as ``RegisterStore.read_files`` reads them from
    ``folder``). ``fills`` sets cells before validation (row index -> column -> text), e.g.
    coordinates found for a new city. ``progress`` is told each step as it starts (``read``,
    ``check``, ``compare``), so a long review can say what it is doing. Nothing is written.
    """
    base = fingerprint_of(files)
    step = progress or (lambda _name: None)

    def done(
        problems: list[Problem],
        table: RawTable | None = None,
        diff: TableDiff | None = None,
        data: bytes | None = None,
    ) -> UploadReview:
        relabelled = tuple(
            dataclasses.replace(p, file=upload_name) if p.file == spec.file else p for p in problems
        )
        return UploadReview(
            table=spec.name,
            file=spec.file,
            upload_name=upload_name,
            encoding=table.encoding if table else None,
            delimiter=table.delimiter if table else None,
            rows=len(table.frame) if table else 0,
            problems=relabelled,
            diff=diff,
            data=data,
            base_fingerprint=base,
            sheet=table.sheet if table else None,
        )

    if spec not in UPLOADABLE:
        raise ValueError(f"{spec.file} is not an uploadable register")
    if len(raw) > MAX_UPLOAD_BYTES:
        return done(
            [
                Problem(
                    file=spec.file,
                    code="file_too_large",
                    value=f"{len(raw) / 1e6:.1f} MB",
                    params={"limit_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                )
            ]
        )
    step("read")
    table, read_problems = read_table(raw, upload_name, upload=True, register=spec.name)
    if table is None:
        return done(read_problems)
    step("check")
    if fills:
        table = fill_cells(table, fills)
    # The upload is read once: the register is checked with the table read (its bytes only
    # make the fingerprint of that throw-away registry), and a workbook is not parsed again.
    validated: dict[str, pd.DataFrame] = {}
    try:
        registry = load_registry(
            folder,
            overrides={**files, spec.file: raw},
            tables={spec.file: table},
            typed_out=validated,
        )
    except DataValidationError as error:
        return done(read_problems + error.problems, table)
    step("compare")
    problems = read_problems + list(registry.warnings)
    new = canonical_frame(spec, validated[spec.file])
    current_raw = files.get(spec.file, b"")
    current, _ = typed_table(spec, current_raw)
    old = canonical_frame(spec, current) if current is not None else new.iloc[0:0]
    new, lost = keep_lost_characters(spec, new, old, table.encoding, spec.file)
    diff = diff_tables(spec, old, new)
    problems += lost + formula_like(spec, new, old, spec.file)
    problems += change_warnings(spec, diff, new, spec.file)
    written = keep_unchanged_cells(spec, new, old, current_raw)
    return done(problems, table, diff=diff, data=register_csv_bytes(written))


def new_members_without_coordinates(
    raw: bytes, upload_name: str, read_current: Callable[[], bytes]
) -> pd.DataFrame:
    """Rows of a members upload that add a city and leave ``lat`` or ``lon`` empty.

    ``read_current`` gives the current members file (called only once the upload could be read).
    Columns: ``row`` (0-based index in the upload), ``id``, ``name_ru``, ``name_en``,
    ``iso_code``, ``country_en``. Empty when the file cannot be read or has no such row.
    """
    columns = ["row", "id", "name_ru", "name_en", "iso_code", "country_en"]
    if len(raw) > MAX_UPLOAD_BYTES:
        return pd.DataFrame(columns=columns)
    table, _ = read_table(raw, upload_name, upload=True, register=MEMBERS.name)
    needed = {"id", "lat", "lon", "name_ru", "name_en"}
    if table is None or not needed <= set(table.frame.columns):
        return pd.DataFrame(columns=columns)
    frame = table.frame.astype(str).apply(lambda s: s.str.strip())
    current, _ = typed_table(MEMBERS, read_current())
    known = set(current["id"].astype(str)) if current is not None else set()
    missing = (frame["lat"] == "") | (frame["lon"] == "")
    new = ~frame["id"].isin(known) & (frame["id"] != "")
    out = frame[missing & new].assign(row=lambda f: f.index)
    for column in columns:
        if column not in out:
            out[column] = ""
    return out[columns].reset_index(drop=True)
