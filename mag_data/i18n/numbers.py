"""Numbers as each language writes them: 1 234 567 and 12,5 % in Russian, 1,234,567 and 12.5% in
English (``PLOTLY_SEPARATORS`` gives charts the same convention)."""

from __future__ import annotations

import math

NBSP = "\u00a0"  # no-break space: thousands separator and before % in Russian
# plotly's layout.separators: decimal mark then thousands separator.
PLOTLY_SEPARATORS = {"ru": ",\u00a0", "en": ".,"}


def _group(int_text: str, sep: str) -> str:
    """Digits grouped by three with ``sep`` (Python's own grouping, then the separator)."""
    grouped = f"{int(int_text):,}"
    return grouped if sep == "," else grouped.replace(",", sep)


def fmt_int(value: float | int | None, lang: str = "ru") -> str:
    """1 234 567 (ru, no-break spaces) or 1,234,567 (en); an em dash for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    n = int(round(float(value)))
    return f"{n:,}" if lang != "ru" else f"{n:,}".replace(",", NBSP)


def fmt_float(value: float | None, digits: int = 1, lang: str = "ru") -> str:
    """12,5 (ru) or 12.5 (en), with thousands grouped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{abs(float(value)):.{digits}f}"
    int_part, _, frac = text.partition(".")
    grouped = _group(int_part, NBSP if lang == "ru" else ",")
    sign = "-" if float(value) < 0 and float(text) != 0 else ""
    if not frac:
        return sign + grouped
    return sign + grouped + ("," if lang == "ru" else ".") + frac


def fmt_pct(share: float | None, digits: int = 1, lang: str = "ru") -> str:
    """A share 0..1 as 12,5 % (ru, no-break space) or 12.5% (en)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    number = fmt_float(share * 100, digits, lang)
    return f"{number}{NBSP}%" if lang == "ru" else f"{number}%"
