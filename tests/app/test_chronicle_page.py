"""The Chronicle page under AppTest on the tiny register, in both languages (events e1–e4 of
tests/factories.py: e1 Moscow session with two sources, disagreeing with e3; e2 Prague; e3 with
neither date nor place; e4 forum in Kazan)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from mag_data.analysis.chronicle import SEARCH_DATE
from mag_data.i18n import t

LANGS = ("ru", "en")


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_chronicle(start_app, lang: str, **query: str) -> AppTest:
    return ok(start_app(page="pages/chronicle.py", lang=lang, **query))


def events_table(at: AppTest, lang: str):
    """The events table (the one with the date, kind and link columns)."""
    title = t("chron.col.title", lang)
    kind = t("chron.col.kind", lang)
    (frame,) = [d.value for d in at.dataframe if title in d.value and kind in d.value]
    return frame


def chart_keys(at: AppTest) -> dict[str, dict]:
    return {
        c.proto.id.split("-", 2)[-1]: json.loads(c.proto.spec) | {"_alt": c.proto.alt}
        for c in at.get("plotly_chart")
    }


@pytest.mark.parametrize("lang", LANGS)
def test_chronicle_shows_sourced_events_gaps_and_statements(start_app, lang):
    """The note on real sourced facts, the timeline and the map, every event with its link, the
    session without date or place as a gap, and the stated membership figures."""
    at = open_chronicle(start_app, lang)
    assert at.title[0].value == t("page.chronicle", lang)
    assert any(SEARCH_DATE in i.value for i in at.info)
    charts = chart_keys(at)
    assert {"chron_timeline", "chron_map"} <= set(charts)
    for spec in charts.values():
        assert spec["_alt"].strip() and spec["layout"]["title"]["text"]
    table = events_table(at, lang)
    assert list(table[t("chron.col.source", lang)]) == [
        "https://example.org/e1",
        "https://example.org/e2",
        "https://example.org/e4",
        "https://example.org/e3",
    ]
    gaps = [d.value for d in at.dataframe if t("chron.col.missing", lang) in d.value]
    assert len(gaps) == 1 and list(gaps[0][t("chron.col.title", lang)]) == [
        "Сессия 3" if lang == "ru" else "Session 3"
    ]
    assert [m.value for m in at.metric] == ["4 / 3", "1998"]


@pytest.mark.parametrize("lang", LANGS)
def test_an_event_opens_its_details_with_every_source_and_the_disagreement(start_app, lang):
    at = open_chronicle(start_app, lang)
    at = ok(at.selectbox(key="chron_event").select("e1").run())
    text = " ".join(m.value for m in at.markdown)
    assert "Pub A" in text and "Pub E" in text and "Session I met in Moscow" in text
    assert any("Numbering differs from e3" in w.value for w in at.warning)


def test_kind_and_year_filters_narrow_the_timeline(start_app):
    at = open_chronicle(start_app, "en")
    at = ok(at.multiselect(key="chron_kinds").select("forum").run())
    assert list(events_table(at, "en")[t("chron.col.title", "en")]) == ["Forum"]
    at = ok(at.multiselect(key="chron_kinds").unselect("forum").run())
    at = ok(at.checkbox(key="chron_undated").uncheck().run())
    at = ok(at.slider(key="chron_years").set_value((2004, 2010)).run())
    assert list(events_table(at, "en")[t("chron.col.title", "en")]) == ["Session II", "Forum"]


def test_the_sidebar_geography_picks_the_host_cities(start_app):
    """?city=kazan: only the forum Kazan hosted (non-member and unknown hosts drop out)."""
    at = open_chronicle(start_app, "en", city="kazan")
    assert any(c.value == t("chron.geo_note", "en") for c in at.caption)
    assert list(events_table(at, "en")[t("chron.col.title", "en")]) == ["Forum"]


@pytest.mark.parametrize("lang", LANGS)
def test_city_profile_lists_hosted_events_and_the_sourced_join_year(start_app, lang):
    at = ok(start_app(page="pages/city.py", lang=lang, profile="msk"))
    text = " ".join(m.value for m in at.markdown)
    assert "1998" in text and "https://example.org/msk" in text
    hosted = [d.value for d in at.dataframe if t("chron.col.title", lang) in d.value]
    assert len(hosted) == 1 and len(hosted[0]) == 1
