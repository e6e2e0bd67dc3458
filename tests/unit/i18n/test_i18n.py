"""Translations and number formats: both languages complete, Russian number format."""

from __future__ import annotations

import re

import pytest

from mag_data import i18n
from mag_data.i18n import NBSP, fmt_float, fmt_int, fmt_pct, fmt_size, t
from mag_data.register.problems import Problem


def _placeholders(text) -> set[str]:
    forms = text.values() if isinstance(text, dict) else [text]
    return {name for form in forms for name in re.findall(r"{(\w+)}", form)}


def test_every_text_has_both_languages_with_the_same_placeholders():
    """No key lacks ru or en, and both use the same {placeholders} (in every plural form)."""
    for key, entry in i18n.TEXTS.items():
        assert set(entry) == {"ru", "en"}, key
        ru, en = entry["ru"], entry["en"]
        assert isinstance(ru, dict) == isinstance(en, dict), f"{key}: plural in one language only"
        for text in (ru, en):
            forms = text.values() if isinstance(text, dict) else [text]
            assert all(form.strip() for form in forms), key
        assert _placeholders(ru) == _placeholders(en), key


def test_plural_texts_have_every_form_of_their_language_and_a_count():
    """Russian plurals have one/few/many, English one/many, and every form shows {n}."""
    plurals = {k: e for k, e in i18n.TEXTS.items() if isinstance(e["ru"], dict)}
    assert "chart.sunburst.more" in plurals
    for key, entry in plurals.items():
        for lang in ("ru", "en"):
            assert tuple(entry[lang]) == i18n.PLURAL_FORMS[lang], (key, lang)
            assert all("{n}" in form for form in entry[lang].values()), (key, lang)


@pytest.mark.parametrize(
    "n,ru,en",
    [
        (1, "ещё 1 город", "1 more city"),
        (2, "ещё 2 города", "2 more cities"),
        (5, "ещё 5 городов", "5 more cities"),
        (11, "ещё 11 городов", "11 more cities"),
        (21, "ещё 21 город", "21 more cities"),
        (104, "ещё 104 города", "104 more cities"),
        (1000, f"ещё 1{NBSP}000 городов", "1,000 more cities"),
    ],
)
def test_a_count_of_cities_takes_the_right_form(n, ru, en):
    """«1 город / 2 города / 5 городов»: the form follows the number, which is formatted too."""
    assert t("chart.sunburst.more", "ru", n=n) == ru
    assert t("chart.sunburst.more", "en", n=n) == en


def test_a_plural_text_without_a_count_is_a_programming_error():
    with pytest.raises(TypeError):
        t("chart.sunburst.more", "ru")


def test_the_texts_are_read_from_one_toml_file_per_language():
    """The catalogue is the two data files, nothing else (one translation table)."""
    import tomllib
    from pathlib import Path

    folder = Path(i18n.__file__).parent
    files = {
        lang: tomllib.loads((folder / f"{lang}.toml").read_text("utf-8")) for lang in ("ru", "en")
    }
    assert set(files["ru"]) == set(files["en"]) == set(i18n.TEXTS)


@pytest.mark.parametrize(
    "value,lang,expected",
    [
        (1234567, "ru", f"1{NBSP}234{NBSP}567"),
        (1234567, "en", "1,234,567"),
        (0, "ru", "0"),
        (999, "ru", "999"),
        (-12000, "ru", f"-12{NBSP}000"),
        (None, "ru", "—"),
    ],
)
def test_fmt_int(value, lang, expected):
    assert fmt_int(value, lang) == expected


@pytest.mark.parametrize(
    "share,lang,expected",
    [
        (0.125, "ru", f"12,5{NBSP}%"),
        (0.125, "en", "12.5%"),
        (1.0, "ru", f"100,0{NBSP}%"),
        (float("nan"), "en", "—"),
    ],
)
def test_fmt_pct(share, lang, expected):
    assert fmt_pct(share, 1, lang) == expected


def test_fmt_float_groups_thousands():
    assert fmt_float(12345.678, 2, "ru") == f"12{NBSP}345,68"
    assert fmt_float(12345.678, 2, "en") == "12,345.68"


def test_every_problem_code_has_a_message():
    """Each code the loaders can emit has a message (not the bare key) in both languages."""
    from mag_data.register.problems import CODES

    codes = CODES
    for code in codes:
        for lang in ("ru", "en"):
            message, _ = i18n.describe_problem(Problem(file="f", code=code), lang)
            assert not message.startswith("problem."), code


def test_unknown_problem_code_is_refused():
    with pytest.raises(ValueError):
        Problem(file="f", code="typo_code")


def test_unknown_key_falls_back_to_key():
    assert t("no.such.key", "en") == "no.such.key"


@pytest.mark.parametrize(
    "n_bytes,lang,expected",
    [
        (950, "ru", f"950{NBSP}Б"),
        (33_587, "ru", f"32,8{NBSP}КБ"),
        (33_587, "en", f"32.8{NBSP}KB"),
        (150_000, "ru", f"146{NBSP}КБ"),
        (10 * 1024 * 1024, "ru", f"10{NBSP}МБ"),
        (1536 * 1024, "en", f"1.5{NBSP}MB"),
    ],
)
def test_fmt_size_writes_a_file_size_in_the_language(n_bytes, lang, expected):
    assert fmt_size(n_bytes, lang) == expected
