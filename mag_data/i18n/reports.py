"""Validation problems in words: the message and the fix, in the reader's language."""

from __future__ import annotations

from typing import Any

from mag_data.i18n.catalog import DEFAULT_LANG, TEXTS, has_text, t
from mag_data.i18n.numbers import fmt_int
from mag_data.register.problems import Problem


def _formatted(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Whole numbers written as the language writes them (1 000 000 / 1,000,000); ``n`` stays a
    number (it chooses a plural form, and ``t`` formats it)."""
    out = {}
    for key, value in params.items():
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if key != "n" and whole and not isinstance(value, bool):
            value = fmt_int(value, lang)
        out[key] = value
    return out


def describe_problem(problem: Problem, lang: str = DEFAULT_LANG) -> tuple[str, str]:
    """(message, hint) of a validation problem in ``lang``."""
    message = t(f"problem.{problem.code}", lang)
    hint_key = f"hint.{problem.code}"
    hint = ""
    if has_text(hint_key):
        try:
            hint = t(hint_key, lang, **_formatted(problem.params, lang))
        except (KeyError, IndexError, TypeError):
            # A hint whose parameters the problem lacks: the words without the numbers.
            hint = "" if isinstance(TEXTS[hint_key].get(lang), dict) else t(hint_key, lang)
    return message, hint


def problems_table(
    problems: list[Problem] | tuple[Problem, ...], lang: str = DEFAULT_LANG
) -> list[dict[str, Any]]:
    """Rows (file, row, column, value, problem, hint) with headers in ``lang``."""
    headers = t("problem.columns", lang).split(";")
    rows = []
    for p in problems:
        message, hint = describe_problem(p, lang)
        rows.append(
            dict(zip(headers, [p.file, p.row, p.column, p.value, message, hint], strict=True))
        )
    return rows
