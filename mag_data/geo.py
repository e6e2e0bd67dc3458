"""Geodesic distances between member cities (WGS-84 ellipsoid, geopy) and map helpers."""

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


def distances_from(members: pd.DataFrame, member_id: str) -> pd.DataFrame:
    """Every other member with its geodesic distance in km from ``member_id``, nearest first."""
    ids = members["id"].astype(str)
    origin_rows = members[ids == member_id]
    if origin_rows.empty:
        raise KeyError(member_id)
    origin = (float(origin_rows["lat"].iloc[0]), float(origin_rows["lon"].iloc[0]))
    others = members[ids != member_id]
    km = [
        distance_km(origin, (lat, lon))
        for lat, lon in zip(others["lat"].to_numpy(), others["lon"].to_numpy(), strict=True)
    ]
    return others.assign(distance_km=km).sort_values(["distance_km", "id"]).reset_index(drop=True)


def nearest(members: pd.DataFrame, member_id: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` members nearest to ``member_id``."""
    return distances_from(members, member_id).head(n)


def distance_matrix(members: pd.DataFrame) -> pd.DataFrame:
    """Symmetric matrix of geodesic distances (km) between all members, indexed by id."""
    ids = list(members["id"].astype(str))
    points = list(zip(members["lat"].astype(float), members["lon"].astype(float), strict=True))
    n = len(ids)
    matrix = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i, j] = matrix[j, i] = distance_km(points[i], points[j])
    return pd.DataFrame(matrix, index=ids, columns=ids)


def map_bounds(members: pd.DataFrame, pad_deg: float = 2.0) -> dict[str, list[float]]:
    """Longitude/latitude ranges that frame the given members with a margin.

    On a conic projection parallels bow towards the pole, so the box gets more room to the
    north than to the south; a single city still gets a region around it.
    """
    if members.empty:
        return {"lonaxis": [20.0, 170.0], "lataxis": [35.0, 72.0]}
    lat = members["lat"].astype(float)
    lon = members["lon"].astype(float)
    lon_pad = max(pad_deg, (12.0 - float(lon.max() - lon.min())) / 2)
    lat_pad = max(pad_deg / 2, (6.0 - float(lat.max() - lat.min())) / 2)
    return {
        "lonaxis": [float(lon.min()) - lon_pad, float(lon.max()) + lon_pad],
        "lataxis": [float(lat.min()) - lat_pad, float(lat.max()) + 2 * lat_pad],
    }
