"""Geodesic distances: geopy for one pair, the array formula for lists, nearest-first order."""

from __future__ import annotations

import pytest

from mag_data.analysis import geo


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


def _members_of(country: str | None = None):
    import pandas as pd

    from mag_data import config

    members = pd.read_csv(
        config.DATA_DIR / "members.csv", usecols=["id", "country_id", "lat", "lon"]
    )
    return members if country is None else members[members["country_id"] == country]


@pytest.mark.parametrize(
    ("country", "resolution"),
    [(None, 110), ("russia", 110), ("kazakhstan", 110), ("belarus", 50), ("armenia", 50)],
)
def test_wide_frames_take_the_coarse_base_map_small_ones_the_detailed(country, resolution):
    assert geo.map_resolution(geo.map_bounds(_members_of(country))) == resolution


def test_one_city_framed_with_its_neighbours_takes_the_detailed_base_map():
    moscow = _members_of()
    moscow = moscow[moscow["id"] == "moscow"]
    assert len(moscow) == 1
    assert geo.map_resolution(geo.map_bounds(moscow)) == 50
