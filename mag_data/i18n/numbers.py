"""Numbers as each language writes them: 1 234 567 and 12,5 % in Russian, 1,234,567 and 12.5% in
English (``PLOTLY_SEPARATORS`` gives charts the same convention); dates and times as each
language writes them (15.05.2025 14:30 in Russian)."""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

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


def fmt_date(value: object, lang: str = "ru") -> str:
    """A date as 15.05.2025 (ru) or 2025-05-15 (en); an em dash for a missing one."""
    stamp = pd.Timestamp(value) if value is not None and not _missing(value) else None
    if stamp is None or pd.isna(stamp):
        return "—"
    return str(stamp.strftime("%d.%m.%Y" if lang == "ru" else "%Y-%m-%d"))


def fmt_datetime(value: object, lang: str = "ru", tz: str | None = None) -> str:
    """A moment (ISO text or timestamp; naive ones are UTC) in the reader's time zone ``tz``
    (an IANA name such as the browser's ``Europe/Moscow``; the server's zone if None or
    unknown): 15.05.2025 14:30 (ru) or 2025-05-15 14:30 (en)."""
    if value is None or _missing(value):
        return "—"
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return str(value)
    if pd.isna(stamp):
        return "—"
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    try:
        zone = ZoneInfo(tz) if tz else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    local = stamp.tz_convert(zone) if zone is not None else stamp.to_pydatetime().astimezone()
    return str(local.strftime("%d.%m.%Y %H:%M" if lang == "ru" else "%Y-%m-%d %H:%M"))


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
