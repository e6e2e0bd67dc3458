"""Translations (ru default, en) and number formats: the one translation table.

``t(key, lang, **params)`` looks a text up in ``ru.toml`` / ``en.toml`` (plural texts choose
their form by ``n``); ``fmt_int``/``fmt_pct``/``fmt_float``/``fmt_size`` format numbers the way
each language writes them (Russian: 1 234 567, 12,5 % and 32,8 КБ);
``describe_problem``/``problems_table`` put validation problems in words.
"""

from __future__ import annotations

from typing import Any

from mag_data.i18n.catalog import (
    DEFAULT_LANG,
    LANGS,
    PLURAL_FORMS,
    TEXTS,
    fmt_size,
    plural_form,
    t,
)
from mag_data.i18n.numbers import (
    NBSP,
    PLOTLY_SEPARATORS,
    fmt_date,
    fmt_datetime,
    fmt_float,
    fmt_int,
    fmt_pct,
)
from mag_data.i18n.reports import describe_problem, problems_table


def label(row_or_frame: Any, base: str, lang: str) -> Any:
    """The ru/en label column ``<base>_<lang>`` of a row or frame."""
    return row_or_frame[f"{base}_{lang}"]


__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "NBSP",
    "PLOTLY_SEPARATORS",
    "PLURAL_FORMS",
    "TEXTS",
    "describe_problem",
    "fmt_date",
    "fmt_datetime",
    "fmt_float",
    "fmt_int",
    "fmt_pct",
    "fmt_size",
    "label",
    "plural_form",
    "problems_table",
    "t",
]
