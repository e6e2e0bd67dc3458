"""Translations and number formats: both languages complete, Russian number format."""

from __future__ import annotations

import re

import pytest

from mag_data import i18n
from mag_data.i18n import NBSP, fmt_float, fmt_int, fmt_pct, t
from mag_data.register.problems import Problem


def test_every_text_has_both_languages_with_the_same_placeholders():
    """No key lacks ru or en, and both use the same {placeholders}."""
    for key, entry in i18n.TEXTS.items():
        assert set(entry) == {"ru", "en"}, key
        assert entry["ru"].strip() and entry["en"].strip(), key
        assert set(re.findall(r"{(\w+)}", entry["ru"])) == set(
            re.findall(r"{(\w+)}", entry["en"])
        ), key


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
