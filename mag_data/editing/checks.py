"""Checks of an upload against the stored file, cell by cell (used by ``review.review_upload``).

* **Characters lost in a code page.** Russian Excel saving CSV as Windows-1251 turns each
  character the code page lacks into ``?`` (``Chișinău`` → ``Chi?in?u``). A cell that equals
  the stored cell of the same row (same key) except for such ``?`` keeps the stored text, with a
  ``lost_characters`` warning, so the diff shows only real edits.
* **Formula-like text.** A new or changed text cell that begins with ``=``, ``+``, ``-`` or ``@``
  gets a ``formula_like`` warning (exports neutralise such cells; the register keeps them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mag_data.register.encoding import unencodable
from mag_data.register.problems import Problem
from mag_data.register.schema import TableSpec
from mag_data.register.validate import FORMULA_PREFIXES

TEXT_KINDS = ("str", "category")
ENCODING_LABELS = {
    "cp1251": "Windows-1251",
    "koi8-r": "KOI8-R",
    "koi8-u": "KOI8-U",
    "cp866": "cp866 (DOS)",
    "iso-8859-5": "ISO-8859-5",
}


def key_labels(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    """Each row's key as one text (``P1 / msk``), column by column (a row-by-row join of a
    60,000-row upload took seconds)."""
    if not len(frame):
        return pd.Series([], dtype=object)
    parts = [frame[k].astype(object).where(frame[k].notna(), "").astype(str) for k in key]
    labels = parts[0].astype(object)
    for part in parts[1:]:
        labels = labels + " / " + part.astype(object)
    return labels.reset_index(drop=True).astype(object).set_axis(frame.index)


def _lost_in(new: str, old: str, encoding: str) -> bool:
    """``new`` is ``old`` with some characters ``encoding`` cannot hold replaced by ``?``."""
    if len(new) != len(old) or new == old:
        return False
    lost = False
    for a, b in zip(new, old, strict=True):
        if a == b:
            continue
        if a != "?" or not unencodable(b, encoding):
            return False
        lost = True
    return lost


def keep_lost_characters(
    spec: TableSpec, new: pd.DataFrame, old: pd.DataFrame, encoding: str | None, file: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """The canonical upload with stored text kept where the upload lost characters to ``?``."""
    if encoding not in ENCODING_LABELS or old.empty or new.empty:
        return new, []
    key = list(spec.key)
    old_index = pd.Index(key_labels(old, key))
    if not old_index.is_unique:
        return new, []
    position = old_index.get_indexer(key_labels(new, key))
    found = position >= 0
    take = np.where(found, position, 0)
    problems: list[Problem] = []
    out = new.copy()
    for column in spec.columns:
        if column.kind not in TEXT_KINDS:
            continue
        values = new[column.name].to_numpy()
        stored = old[column.name].to_numpy()[take]
        suspect = found & (values != stored) & pd.Series(values).str.contains("?", regex=False)
        rows = [i for i in np.flatnonzero(suspect) if _lost_in(values[i], stored[i], encoding)]
        for i in rows:
            problems.append(
                Problem(
                    file=file,
                    code="lost_characters",
                    row=int(i) + 2,
                    column=column.name,
                    value=str(values[i])[:80],
                    severity="warning",
                    params={"stored": str(stored[i])[:80], "encoding": ENCODING_LABELS[encoding]},
                )
            )
        if rows:
            column_values = out[column.name].to_numpy().copy()
            column_values[rows] = stored[rows]
            out[column.name] = column_values
    return out, problems


def formula_like(spec: TableSpec, new: pd.DataFrame, old: pd.DataFrame, file: str) -> list[Problem]:
    """A warning per new or changed text cell that a spreadsheet could run as a formula."""
    key = list(spec.key)
    position = (
        pd.Index(key_labels(old, key)).get_indexer(key_labels(new, key)) if len(old) else None
    )
    problems: list[Problem] = []
    for column in spec.columns:
        if column.kind not in TEXT_KINDS:
            continue
        values = new[column.name].astype(str)
        risky = values.str.startswith(FORMULA_PREFIXES[:4]).to_numpy(dtype=bool).copy()
        if position is not None and risky.any():
            stored = old[column.name].astype(str).to_numpy()[np.where(position >= 0, position, 0)]
            risky &= (position < 0) | (stored != values.to_numpy())
        for i in np.flatnonzero(risky)[:50]:
            problems.append(
                Problem(
                    file=file,
                    code="formula_like",
                    row=int(i) + 2,
                    column=column.name,
                    value=str(values.iloc[i])[:80],
                    severity="warning",
                )
            )
    problems.sort(key=lambda p: (p.row or 0, spec.column_names.index(p.column or "")))
    return problems
