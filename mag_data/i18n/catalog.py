"""The one translation table: ``ru.toml`` and ``en.toml`` beside this file, read once.

A text is a string, or a table of plural forms chosen by the count ``n``: Russian has
``one``/``few``/``many`` (1 город, 2 города, 5 городов; 11–14 take ``many``), English
``one``/``many``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from mag_data.i18n.numbers import fmt_float, fmt_int

LANGS = ("ru", "en")
DEFAULT_LANG = "ru"
PLURAL_FORMS = {"ru": ("one", "few", "many"), "en": ("one", "many")}

Text = str | dict[str, str]


def _load(folder: Path) -> dict[str, dict[str, Text]]:
    """{key: {lang: text}} from one TOML file per language (keys are quoted, so flat)."""
    by_lang = {lang: tomllib.loads((folder / f"{lang}.toml").read_text("utf-8")) for lang in LANGS}
    keys = dict.fromkeys(k for lang in LANGS for k in by_lang[lang])
    return {k: {lang: by_lang[lang][k] for lang in LANGS if k in by_lang[lang]} for k in keys}


TEXTS: dict[str, dict[str, Text]] = _load(Path(__file__).resolve().parent)


def plural_form(n: int, lang: str) -> str:
    """The plural form of a count: ``one``/``few``/``many`` in Russian (1, 2–4, 5+; 11–14 take
    ``many``), ``one``/``many`` in English."""
    n = abs(int(n))
    if lang != "ru":
        return "one" if n == 1 else "many"
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The text for ``key`` in ``lang`` (falls back to Russian, then to the key itself).

    For a plural text, ``n`` (a number) chooses the form and is written in the language's
    number format.
    """
    entry = TEXTS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    if isinstance(text, dict):
        n = params.get("n")
        if not isinstance(n, int | float):
            raise TypeError(f"plural text {key!r} needs a number n, got {n!r}")
        text = text[plural_form(int(n), lang)]
        params = {**params, "n": fmt_int(n, lang)}
    return text.format(**params) if params else text


def fmt_size(n_bytes: int, lang: str = DEFAULT_LANG) -> str:
    """A file size as the language writes it: 950 Б, 32,8 КБ, 10 МБ (en: 950 B, 32.8 KB, 10 MB);
    a kilobyte is 1024 bytes, as in the upload limit (``register.limits``)."""
    if n_bytes < 1024:
        return t("size.bytes", lang, size=fmt_int(n_bytes, lang))
    kb = n_bytes / 1024
    if kb < 1024:
        return t("size.kb", lang, size=fmt_float(kb, 0 if kb >= 100 else 1, lang))
    mb = kb / 1024
    return t("size.mb", lang, size=fmt_float(mb, 0 if mb >= 100 or mb.is_integer() else 1, lang))


def has_text(key: str) -> bool:
    return key in TEXTS
