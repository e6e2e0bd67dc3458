"""Geodesic distances between member cities (WGS-84 ellipsoid) and map helpers.

One pair: geopy's ``geodesic`` (Karney's algorithm). Many pairs (a city page lists the distance
to every other member on each rerun): Vincenty's inverse formula on whole arrays, which agrees
with geopy to well under a metre (tested on every pair of the bundled members and on random,
polar and date-line pairs) and takes a fraction of a millisecond instead of ~7 ms for 84 cities;
a nearly antipodal pair that does not converge falls back to geopy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from geopy.distance import geodesic

# ISO 3166-1 alpha-2 → alpha-3 for the countries of the membership (plotly's choropleth wants
# alpha-3). Source: ISO 3166-1. A country missing here is simply not shaded on the choropleth.
ISO2_TO_ISO3: dict[str, str] = {
    "AM": "ARM",
    "AZ": "AZE",
    "BY": "BLR",
    "GE": "GEO",
    "KZ": "KAZ",
    "KG": "KGZ",
    "MD": "MDA",
    "RU": "RUS",
    "TJ": "TJK",
    "TM": "TKM",
    "UA": "UKR",
    "UZ": "UZB",
}


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in km between two (lat, lon) points."""
    return float(geodesic(a, b).km)


# WGS-84, the ellipsoid geopy's geodesic uses by default.
_WGS84_A = 6378137.0
_WGS84_F = 1 / 298.257223563


def distances_km(origin: tuple[float, float], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Geodesic distances in km from ``origin`` to many points (WGS-84; see the module doc)."""
    return _vincenty_km(origin, np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))


def _vincenty_km(origin: tuple[float, float], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Vincenty's inverse formula on arrays; a nearly antipodal pair that does not converge
    falls back to geopy."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    a, f = _WGS84_A, _WGS84_F
    b = (1 - f) * a
    u1 = np.arctan((1 - f) * np.tan(np.radians(origin[0])))
    u2 = np.arctan((1 - f) * np.tan(np.radians(lat)))
    big_l = np.radians(lon - origin[1])
    sin_u1, cos_u1, sin_u2, cos_u2 = np.sin(u1), np.cos(u1), np.sin(u2), np.cos(u2)
    lam = big_l.copy()
    done = np.zeros(lat.shape, dtype=bool)
    for _ in range(200):
        sin_lam, cos_lam = np.sin(lam), np.cos(lam)
        sin_sigma = np.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = np.arctan2(sin_sigma, cos_sigma)
        with np.errstate(invalid="ignore", divide="ignore"):
            sin_alpha = np.where(sin_sigma == 0, 0.0, cos_u1 * cos_u2 * sin_lam / sin_sigma)
            cos2_alpha = 1 - sin_alpha**2
            cos_2sm = np.where(cos2_alpha == 0, 0.0, cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha)
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        done = np.abs(lam - previous) < 1e-12
        if done.all():
            break
    u_sq = cos2_alpha * (a**2 - b**2) / b**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta_sigma = (
        big_b
        * sin_sigma
        * (
            cos_2sm
            + big_b
            / 4
            * (
                cos_sigma * (-1 + 2 * cos_2sm**2)
                - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    km = np.asarray(b * big_a * (sigma - delta_sigma) / 1000.0, dtype=float)
    for i in np.flatnonzero(~done | ~np.isfinite(km)):
        km[i] = distance_km(origin, (float(lat[i]), float(lon[i])))
    return km


def distance_order(members: pd.DataFrame, member_id: str) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of every other member, nearest first (ties by id), and their distances
    in km from ``member_id`` (raises KeyError for an unknown id)."""
    ids = members["id"].astype(str).to_numpy(dtype=object)
    hit = np.flatnonzero(ids == member_id)
    if not len(hit):
        raise KeyError(member_id)
    lat = members["lat"].to_numpy(dtype=float)
    lon = members["lon"].to_numpy(dtype=float)
    others = np.flatnonzero(ids != member_id)
    km = distances_km((lat[hit[0]], lon[hit[0]]), lat[others], lon[others])
    order = np.lexsort((ids[others], km))
    return others[order], km[order]


# The smallest area a map frames (degrees of longitude, latitude): a one-city or a small
# one-country filter still shows the neighbouring countries around it, for context.
MIN_MAP_SPAN = (18.0, 9.0)


# Natural Earth's 1:50m base map is drawn where a frame is small enough for its detail to show
# (a country of Belarus's or Armenia's size, a city with its neighbours); a frame this wide or
# wider (the whole membership, Russia, Kazakhstan) takes the 1:110m map, which looks the same at
# that scale and draws 4-10 times faster in the browser (docs/BENCHMARKS.md, "Click to chart").
DETAILED_MAP_MAX_LON_SPAN = 34.0  # Kazakhstan's frame is 37°, Belarus's 30°, Moscow's 32°


def map_resolution(bounds: dict[str, list[float]]) -> int:
    """Base-map scale (plotly ``geo.resolution``: 50 or 110) for a frame from ``map_bounds``."""
    west, east = bounds["lonaxis"]
    return 50 if east - west < DETAILED_MAP_MAX_LON_SPAN else 110


def map_bounds(members: pd.DataFrame, pad_deg: float = 2.0) -> dict[str, list[float]]:
    """Longitude/latitude ranges that frame the given members with a margin.

    The margin is at least ``pad_deg`` and a share of the members' extent (a fifth and more for a
    small area, a few hundredths for the whole membership), so the largest
    markers at the edge (Murmansk, Kaliningrad) are not cut by the frame; an area smaller than
    ``MIN_MAP_SPAN`` (one city, a small country) is widened to it, centred on the members, so
    its neighbours are on the map. On a conic projection parallels bow towards the pole, so the
    box gets more room to the north than to the south.
    """
    if members.empty:
        return {"lonaxis": [20.0, 170.0], "lataxis": [35.0, 72.0]}
    lat = members["lat"].astype(float)
    lon = members["lon"].astype(float)
    lon_span = float(lon.max() - lon.min())
    # Degrees of longitude shrink towards the pole: the smallest frame is as wide on screen.
    min_lon_span = MIN_MAP_SPAN[0] / max(float(np.cos(np.radians(lat.mean()))), 0.3)
    lat_span = float(lat.max() - lat.min())
    # A small area gets a wider margin (a fifth of its extent and more: the neighbours), the
    # whole membership a narrow one (a few hundredths: the edge markers, no empty sea).
    lon_pad = max(
        pad_deg, lon_span * max(0.04, 0.3 - lon_span / 300), (min_lon_span - lon_span) / 2
    )
    lat_pad = max(
        pad_deg / 2, lat_span * max(0.06, 0.3 - lat_span / 100), (MIN_MAP_SPAN[1] - lat_span) / 2
    )
    return {
        "lonaxis": [float(lon.min()) - lon_pad, float(lon.max()) + lon_pad],
        "lataxis": [float(lat.min()) - lat_pad, min(89.0, float(lat.max()) + 1.5 * lat_pad + 1.0)],
    }
