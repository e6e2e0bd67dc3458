"""Translations, number formats, geodesic distances and the sample generator."""

from __future__ import annotations

import re

import pytest

from mag_data import geo, i18n
from mag_data.i18n import NBSP, fmt_float, fmt_int, fmt_pct, t
from mag_data.problems import Problem


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
    from mag_data.problems import CODES

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


def test_geodesic_distance_moscow_to_saint_petersburg():
    """Moscow–Saint Petersburg is about 634 km on the WGS-84 ellipsoid."""
    assert geo.distance_km((55.75204, 37.61781), (59.93863, 30.31413)) == pytest.approx(634, abs=3)


def test_distance_order_nearest_first(tiny):
    """Nearest to Moscow in the tiny register: Minsk (~676 km), then Kazan (~720 km)."""
    rows, km = geo.distance_order(tiny.members, "msk")
    ids = list(tiny.members["id"].astype(str).to_numpy()[rows])
    assert ids == ["minsk", "kazan", "almaty"]
    assert km[0] == pytest.approx(676, abs=10)
    assert (km[1:] >= km[:-1]).all()
    assert ids[:1] == ["minsk"]
    with pytest.raises(KeyError):
        geo.distance_order(tiny.members, "atlantis")


def test_distance_matrix_is_symmetric(tiny):
    m = geo.distance_matrix(tiny.members)
    assert (m.to_numpy() == m.to_numpy().T).all()
    assert m.loc["msk", "msk"] == 0
    assert m.loc["msk", "minsk"] == pytest.approx(geo.distance_order(tiny.members, "msk")[1][0])


def test_vectorised_distances_agree_with_geopy():
    """The array formula used for very large registers matches geopy's geodesic within 1 m,
    including short, long, polar and date-line-crossing pairs."""
    import numpy as np
    from geopy.distance import geodesic

    rng = np.random.default_rng(7)
    lat = np.concatenate([rng.uniform(-89, 89, 400), [55.7521, 55.76, -55.0, 89.9, 0.0]])
    lon = np.concatenate([rng.uniform(-180, 180, 400), [37.6178, 37.62, 179.9, 10.0, -179.9]])
    origin = (55.75204, 37.61781)
    fast = geo._vincenty_km(origin, lat, lon)
    exact = np.array([geodesic(origin, (a, b)).km for a, b in zip(lat, lon, strict=True)])
    assert np.max(np.abs(fast - exact)) < 0.001


def test_distances_between_all_members_agree_with_geopy():
    """Every pair of the bundled members: the array formula and geopy differ by under a metre
    (the pages show whole kilometres)."""
    import numpy as np
    from geopy.distance import geodesic

    from mag_data import config, load_registry

    members = load_registry(config.DATA_DIR).members
    lat, lon = members["lat"].to_numpy(float), members["lon"].to_numpy(float)
    worst = 0.0
    for a, b in zip(lat, lon, strict=True):
        fast = geo.distances_km((a, b), lat, lon)
        exact = np.array([geodesic((a, b), (c, d)).km for c, d in zip(lat, lon, strict=True)])
        worst = max(worst, float(np.max(np.abs(fast - exact))))
    assert worst < 0.001
