"""The whole app under AppTest on the tiny register: pages, filter, URL, search, errors.

Expected numbers are worked out by hand from ``tests/factories.py`` (4 cities, 4 projects):
msk (Russia, 1000), kazan (Russia, Volga FD, RU-TA, 500), minsk (Belarus, 300),
almaty (Kazakhstan, 200); P1 trade 2001 completed msk+minsk, P2 social 2010 active kazan+msk,
P3 trade 2027 planned almaty+minsk+kazan, P4 science 2005 completed minsk+almaty.
"""

from __future__ import annotations

import ast
import base64
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from factories import (
    MEMBER_HEADER,
    MEMBER_ROWS,
    PROJECT_HEADER,
    PROJECT_ROWS,
    csv_text,
    write_register,
)
from geopy.distance import geodesic
from streamlit.testing.v1 import AppTest

from mag_data import load_registry
from mag_data.i18n import t
from mag_data.present.charts.base import plain, wrap_label

NBSP = "\u00a0"
LANGS = ("ru", "en")
ROOT = Path(__file__).resolve().parents[2]


def router_pages() -> dict[str, str]:
    """URL path → page script (relative to app.py) of every ``st.Page`` the router declares."""
    calls = [
        node
        for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page"
    ]
    pages = {}
    for call in sorted(calls, key=lambda c: c.lineno):
        keywords = {
            # A name (the root page's ROOT_PATH, an unknown address) reads as None here.
            k.arg: ast.literal_eval(k.value) if isinstance(k.value, ast.Constant) else None
            for k in call.keywords
            if k.arg in ("url_path", "default", "visibility")
        }
        if keywords.get("visibility") == "hidden":
            continue  # an alias of a listed page (/overview, /home, an unknown address)
        script = ast.literal_eval(call.args[0])
        # The default page is served at the root; it is named after its file here.
        name = Path(script).stem if keywords.get("default") else keywords["url_path"]
        pages[name] = script
    return pages


PAGES = router_pages()
# The charts (by key) each page draws on the unfiltered tiny register; a page missing here is
# still rendered in both languages, and any chart it draws must have a title and alt text.
CHARTS = {
    # Charts in tabs: the first tab's (TABS).
    "overview": {"overview_map", "overview_countries", "overview_areas"},
    "map": {"map_chart"},
    "countries": {"countries_bars", "countries_sunburst"},
    # The areas page's detail charts are in tabs; the first (by country) is open (AREA_TABS).
    "areas": {"areas_bars", "areas_status", "areas_heatmap"},
    "city": {"city_partners", "city_nearest"},
    "network": {"net_chart", "net_map"},
}
# Pages with charts in tabs: the tabs' key, the chart each tab draws (only the open tab's chart
# is built and sent), and the year chart's tab.
TABS = {
    "overview": (
        "overview_tab",
        {"overview.tab.areas": "overview_areas", "overview.tab.years": "overview_years"},
        ("overview.tab.years", "overview_years"),
    ),
    "areas": (
        "areas_tab",
        {
            "areas.tab.countries": "areas_heatmap",
            "areas.tab.years": "areas_years",
            "areas.tab.top": "areas_top_chart",
        },
        ("areas.tab.years", "areas_years"),
    ),
}
# Pages that show projects, with the friendly texts each may use when no project matches.
PROJECT_PAGES = {
    "overview": ("app.empty",),
    "map": ("app.empty", "app.no_projects"),
    "countries": ("app.empty", "app.no_projects"),
    "areas": ("app.empty",),
    "city": ("app.empty", "city.no_projects"),
    "network": ("app.empty", "net.no_links"),
}
HEADLINE = ("members", "countries", "population", "projects", "cross_border_share")


# --- helpers ------------------------------------------------------------------------------------


def ok(at: AppTest) -> AppTest:
    """The app after a run that raised nothing (the exception text is the failure message)."""
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    return ok(at.switch_page(PAGES[page]).run())


def headline(at: AppTest, lang: str = "ru") -> tuple[str, ...]:
    """The five headline metric values of the overview, in HEADLINE order."""
    shown = {m.label: m.value for m in at.metric}
    return tuple(shown[t(f"m.{name}", lang)] for name in HEADLINE)


def charts(at: AppTest) -> dict[str, dict]:
    """Every plotly chart on the page by its key, as its figure spec."""
    out = {}
    for chart in at.get("plotly_chart"):
        key = chart.proto.id.split("-", 2)[-1]  # "$$ID-<hash>-<user key>"
        out[key] = json.loads(chart.proto.spec) | {"_alt": chart.proto.alt}
    return out


def values(data: object) -> list:
    """A trace's array, decoded when plotly sent it as base64 ({"dtype", "bdata"[, "shape"]})."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        if "shape" in data:
            shape = [int(n) for n in str(data["shape"]).split(",")]
            array = array.reshape(shape)
        return array.tolist()
    return list(data) if data is not None else []


def bars_by_id(spec: dict) -> dict[str, float]:
    """Horizontal bar values keyed by the bar's id (customdata), over every trace (bars coloured
    by country have one trace per country); a chart of one place says its figure in words and
    keeps the id and number in ``layout.meta["single"]``."""
    if not spec["data"] and "single" in spec["layout"].get("meta", {}):
        return dict(spec["layout"]["meta"]["single"])
    return {
        key: value
        for trace in spec["data"]
        for key, value in zip(values(trace["customdata"]), values(trace["x"]), strict=True)
    }


def stacked_totals(spec: dict) -> dict[str, float]:
    """Horizontal stacked bars: the total per category label across all traces."""
    totals: dict[str, float] = {}
    for trace in spec["data"]:
        for label, x in zip(values(trace["y"]), values(trace["x"]), strict=True):
            totals[label] = totals.get(label, 0) + x
    return totals


def _numbers(trace: dict) -> list[float]:
    """The numbers a trace draws: bar lengths, heat cells, marker positions, slice sizes."""
    kind = trace.get("type")
    if kind == "bar":
        fields = ["x" if trace.get("orientation") == "h" else "y"]
    else:
        fields = {
            "heatmap": ["z"],
            "choropleth": ["z"],
            "scattergeo": ["lat", "lon"],
            "scatter": ["x", "y"],
        }.get(kind, ["values"])
    out: list[float] = []
    for field in fields:
        raw = values(trace.get(field))
        try:
            flat = np.ravel(np.asarray(raw, dtype=float))
        except ValueError:  # dates or categories (the chronicle's timeline): each one is drawn
            flat = np.ones(len([v for v in raw if v not in (None, "")]))
        out += [v for v in flat.tolist() if not np.isnan(v)]
    return out


def shows_data(spec: dict) -> bool:
    """Some trace draws a non-zero value (a bar, a heat cell, a marker, a slice)."""
    return any(any(v != 0 for v in _numbers(trace)) for trace in spec["data"])


def says_empty(spec: dict, lang: str) -> bool:
    """The builder's empty figure: the friendly message as annotation, axes hidden."""
    # The text is wrapped with <br> to fit a half-width column.
    texts = [str(a.get("text")).replace("<br>", " ") for a in spec["layout"].get("annotations", [])]
    hidden = spec["layout"].get("xaxis", {}).get("visible") is False
    return t("app.empty", lang) in texts and hidden


def draws_empty_axes(spec: dict) -> bool:
    """Visible x/y axes with nothing but zeros (or nothing at all) drawn on them."""
    kinds = {trace.get("type", "scatter") for trace in spec["data"]}
    cartesian = not kinds or bool(kinds & {"bar", "scatter", "heatmap"})
    axes_shown = spec["layout"].get("xaxis", {}).get("visible") is not False
    return cartesian and axes_shown and not shows_data(spec)


def infos(at: AppTest) -> list[str]:
    return [str(i.value) for i in at.info]


def sidebar_keys(at: AppTest) -> set[str]:
    return {w.key for w in at.sidebar.multiselect}


def area_ids(register_dir: Path, lang: str) -> dict[str, str]:
    """Area label in ``lang`` → area id (also as drawn beside a bar, on lines: ``wrap_label``)."""
    areas = load_registry(register_dir).areas
    names = areas[f"name_{lang}"].astype(str)
    ids = areas["id"].astype(str)
    drawn = [wrap_label(plain(name)) for name in names]
    return dict(zip(names, ids, strict=True)) | dict(zip(drawn, ids, strict=True))


# --- 1. every page renders ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_its_charts_with_title_and_alt_text(shared_app, page, lang):
    """Each page renders without an exception and draws its charts, each titled and described."""
    at = open_page(shared_app(lang=lang), page)
    assert at.session_state["lang"] == lang
    drawn = charts(at)
    if page in CHARTS:
        assert set(drawn) == CHARTS[page]
    for key, spec in drawn.items():
        assert spec["layout"]["title"]["text"].strip(), key
        assert spec["_alt"].strip(), key
        assert spec["_alt"] == spec["layout"]["meta"]["alt"], key
        assert shows_data(spec), key


@pytest.mark.parametrize("page", PAGES)
def test_link_to_a_page_on_a_fresh_server_opens_it_with_the_sidebar(start_app, page):
    """A server's first run (legacy pages/ discovery; every AppTest run is one) still routes a
    deep link through app.py."""
    at = ok(start_app(page=PAGES[page], country="russia"))
    assert at.multiselect(key="f_countries").value == ["russia"]
    if page in CHARTS:
        assert set(charts(at)) == CHARTS[page]


def test_first_visitor_after_a_server_start_keeps_the_language(start_app):
    """Opened with lang=en as a server's first run, the session stays English on the next run."""
    at = ok(start_app(lang="en", country="russia"))
    assert at.title[0].value == t("app.assembly", "en")
    ok(at.multiselect(key="f_areas").select("social").run())
    assert at.query_params == {"country": "russia", "area": "social", "lang": "en"}
    assert at.title[0].value == t("app.assembly", "en")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", TABS)
def test_a_tab_draws_only_its_chart_and_the_year_chart_follows_the_filter(start_app, page, lang):
    """Each tab, opened, draws its chart beside the page's other charts and no other tab's; the
    year chart counts the filtered projects (Russia: 3 of 4)."""
    key, tabs, (year_tab, year_chart) = TABS[page]
    at = open_page(start_app(lang=lang), page)
    always = CHARTS[page] - set(tabs.values())
    assert len(always) == 2
    for label, chart in tabs.items():
        at.session_state[key] = t(label, lang)
        assert set(charts(ok(at.run()))) == always | {chart}, label
    at.session_state[key] = t(year_tab, lang)
    counted = lambda at: sum(  # noqa: E731
        sum(values(trace["y"])) for trace in charts(at)[year_chart]["data"]
    )
    assert counted(ok(at.run())) == 4
    assert counted(ok(at.multiselect(key="f_countries").select("russia").run())) == 3


# --- 2. the filter changes the numbers ----------------------------------------------------------

# id, how the filter is set (widget actions), overview headline (ru),
# projects per country on the countries page, projects per area on the areas page.
WIDGET_CASES = [
    (
        "no-filter",
        [],
        ("4", "3", f"2{NBSP}000", "4", f"75,0{NBSP}%"),
        {"belarus": 3, "russia": 3, "kazakhstan": 2},
        {"trade_economic": 2, "science_technology": 1, "social": 1},
    ),
    (
        "country-russia",
        [lambda at: at.multiselect(key="f_countries").select("russia")],
        ("2", "1", f"1{NBSP}500", "3", f"66,7{NBSP}%"),
        {"russia": 3},
        {"trade_economic": 2, "social": 1},
    ),
    (
        "area-social",
        [lambda at: at.multiselect(key="f_areas").select("social")],
        ("4", "3", f"2{NBSP}000", "1", f"0,0{NBSP}%"),
        {"russia": 1, "belarus": 0, "kazakhstan": 0},
        {"social": 1},
    ),
    (
        "status-completed",
        [lambda at: at.multiselect(key="f_statuses").select("completed")],
        ("4", "3", f"2{NBSP}000", "2", f"100,0{NBSP}%"),
        {"belarus": 2, "russia": 1, "kazakhstan": 1},
        {"trade_economic": 1, "science_technology": 1},
    ),
    (
        "years-2001-2005",
        [lambda at: at.slider(key="f_years").set_range(2001, 2005)],
        ("4", "3", f"2{NBSP}000", "2", f"100,0{NBSP}%"),
        {"belarus": 2, "russia": 1, "kazakhstan": 1},
        {"trade_economic": 1, "science_technology": 1},
    ),
    (
        "city-almaty-planned",
        [
            lambda at: at.multiselect(key="f_cities").select("almaty"),
            lambda at: at.multiselect(key="f_statuses").select("planned"),
        ],
        ("1", "1", "200", "1", f"100,0{NBSP}%"),
        {"kazakhstan": 1},
        {"trade_economic": 1},
    ),
    (
        "russia-social-then-years-2001-2009",
        [
            lambda at: at.multiselect(key="f_countries").select("russia"),
            lambda at: at.multiselect(key="f_areas").select("social"),
            lambda at: at.slider(key="f_years").set_range(2001, 2009),
        ],
        ("2", "1", f"1{NBSP}500", "0", "—"),
        {"russia": 0},
        {},
    ),
]

LINK_CASES = [
    (
        "country-area-status-years",
        {"country": "russia", "area": "social", "status": "active", "years": "2005-2015"},
        ("2", "1", f"1{NBSP}500", "1", f"0,0{NBSP}%"),
        {"russia": 1},
        {"social": 1},
    ),
    (
        "years-2005-2015",
        {"years": "2005-2015"},
        ("4", "3", f"2{NBSP}000", "2", f"50,0{NBSP}%"),
        {"russia": 1, "belarus": 1, "kazakhstan": 1},
        {"science_technology": 1, "social": 1},
    ),
    (
        "federal-district-volga",
        {"fd": "volga-federal-district"},
        ("1", "1", "500", "2", f"50,0{NBSP}%"),
        {"russia": 2},
        {"trade_economic": 1, "social": 1},
    ),
    (
        "subdivision-tatarstan",
        {"subdivision": "RU-TA"},
        ("1", "1", "500", "2", f"50,0{NBSP}%"),
        {"russia": 2},
        {"trade_economic": 1, "social": 1},
    ),
    (
        "region-central-asia",
        {"region": "central_asia"},
        ("1", "1", "200", "2", f"100,0{NBSP}%"),
        {"kazakhstan": 2},
        {"trade_economic": 1, "science_technology": 1},
    ),
    (
        "city-kazan",
        {"city": "kazan"},
        ("1", "1", "500", "2", f"50,0{NBSP}%"),
        {"russia": 2},
        {"trade_economic": 1, "social": 1},
    ),
    (
        "unknown-ids-dropped",
        {"country": "atlantis", "area": "sport", "status": "done"},
        ("4", "3", f"2{NBSP}000", "4", f"75,0{NBSP}%"),
        {"belarus": 3, "russia": 3, "kazakhstan": 2},
        {"trade_economic": 2, "science_technology": 1, "social": 1},
    ),
]


def _check_pages(at: AppTest, register_dir: Path, overview, per_country, per_area) -> None:
    assert headline(at) == overview
    open_page(at, "countries")
    ok(at.segmented_control(key="countries_measure").set_value("projects").run())
    bars = charts(at)["countries_bars"]
    if any(per_country.values()):
        assert bars_by_id(bars) == per_country
    else:  # no project at all: the chart says so instead of drawing zero-length bars
        assert not bars["data"] and says_empty(bars, "ru")
    open_page(at, "areas")
    drawn = charts(at)
    if per_area:
        labels = area_ids(register_dir, "ru")
        totals = {labels[label]: n for label, n in stacked_totals(drawn["areas_bars"]).items()}
        assert {area: n for area, n in totals.items() if n} == per_area
    else:
        assert t("app.empty", "ru") in infos(at) and not drawn


@pytest.mark.parametrize(
    "actions,overview,per_country,per_area",
    [c[1:] for c in WIDGET_CASES],
    ids=[c[0] for c in WIDGET_CASES],
)
def test_filter_widgets_change_the_numbers(
    start_app, register_dir, actions, overview, per_country, per_area
):
    """Choosing in the sidebar changes the headline, the per-country and the per-area figures."""
    at = ok(start_app())
    for act in actions:
        ok(act(at).run())
    _check_pages(at, register_dir, overview, per_country, per_area)


@pytest.mark.parametrize(
    "query,overview,per_country,per_area",
    [c[1:] for c in LINK_CASES],
    ids=[c[0] for c in LINK_CASES],
)
def test_link_parameters_set_the_filter(
    start_app, register_dir, query, overview, per_country, per_area
):
    """A link's parameters give the same figures as choosing them in the sidebar."""
    at = ok(start_app(**query))
    _check_pages(at, register_dir, overview, per_country, per_area)


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"lang": "en"}, ("4", "3", "2,000", "4", "75.0%")),
        ({"lang": "en", "country": "russia"}, ("2", "1", "1,500", "3", "66.7%")),
        ({"lang": "ru", "country": "russia"}, ("2", "1", f"1{NBSP}500", "3", f"66,7{NBSP}%")),
    ],
    ids=["en-all", "en-russia", "ru-russia"],
)
def test_headline_numbers_are_written_the_way_the_language_writes_them(start_app, query, expected):
    """Russian: no-break space thousands and decimal comma; English: comma and point."""
    at = ok(start_app(**query))
    assert headline(at, query["lang"]) == expected


@pytest.mark.parametrize(
    "years,slider,projects",
    [
        ("2020-2040", (2020, 2027), "1"),
        ("1990-1995", (2001, 2027), "4"),
        ("2030-2040", (2001, 2027), "4"),
    ],
    ids=["overlapping-clamped", "before-the-register", "after-the-register"],
)
def test_link_year_range_outside_the_register_opens_without_an_exception(
    start_app, years, slider, projects
):
    """A stale link's year range is clamped to the register's years, or dropped if disjoint."""
    at = ok(start_app(years=years))
    assert at.slider(key="f_years").value == slider
    assert headline(at)[3] == projects


# --- 3. the URL follows the filter --------------------------------------------------------------


def test_url_follows_the_filter(start_app):
    """Each choice is written into the URL as ids; widening to the full range drops it again."""
    at = ok(start_app())
    assert at.query_params == {}
    ok(at.multiselect(key="f_countries").select("russia").run())
    assert at.query_params == {"country": "russia"}
    ok(at.multiselect(key="f_areas").select("social").run())
    ok(at.multiselect(key="f_statuses").select("active").run())
    ok(at.slider(key="f_years").set_range(2005, 2015).run())
    assert at.query_params == {
        "country": "russia",
        "area": "social",
        "status": "active",
        "years": "2005-2015",
    }
    ok(at.multiselect(key="f_countries").select("belarus").run())
    assert at.query_params["country"] == ["russia", "belarus"]
    ok(at.slider(key="f_years").set_range(2001, 2027).run())
    assert "years" not in at.query_params


def test_language_switch_keeps_the_filter(start_app):
    """Switching to English and back keeps every choice; only the lang parameter changes."""
    at = ok(start_app(country="russia", area="social"))
    open_page(at, "countries")
    ok(at.segmented_control(key="lang").set_value("en").run())
    assert at.query_params == {"country": "russia", "area": "social", "lang": "en"}
    assert at.multiselect(key="f_countries").value == ["russia"]
    assert at.multiselect(key="f_areas").value == ["social"]
    assert at.title[0].value == t("page.countries", "en")
    assert bars_by_id(charts(at)["countries_bars"]) == {"russia": 2}
    open_page(at, "overview")
    assert headline(at, "en") == ("2", "1", "1,500", "1", "0.0%")
    ok(at.segmented_control(key="lang").set_value("ru").run())
    assert at.query_params == {"country": "russia", "area": "social"}
    assert headline(at) == ("2", "1", f"1{NBSP}500", "1", f"0,0{NBSP}%")


def test_reset_button_clears_the_filter_and_the_search(start_app):
    """Reset empties every choice, the year range and the search box, and the URL with them."""
    at = ok(start_app(lang="en", area="social", status="active", years="2005-2015"))
    ok(at.text_input(key="f_search").input("Alma-Ata").run())
    assert at.query_params["city"] == "almaty"
    ok(at.button(key="f_reset").click().run())
    assert at.query_params == {"lang": "en"}
    for key in sidebar_keys(at):
        assert at.multiselect(key=key).value == [], key
    assert at.slider(key="f_years").value == (2001, 2027)
    assert at.text_input(key="f_search").value == ""
    assert headline(at, "en") == ("4", "3", "2,000", "4", "75.0%")


# --- 4. the geographic cascade ------------------------------------------------------------------


@pytest.mark.parametrize(
    "city,country,kept",
    [("minsk", "russia", []), ("kazan", "russia", ["kazan"]), ("msk", "kazakhstan", [])],
    ids=["minsk-dropped-by-russia", "kazan-kept-by-russia", "moscow-dropped-by-kazakhstan"],
)
def test_choosing_a_country_prunes_cities_of_other_countries(
    start_app, register_dir, city, country, kept
):
    """A city outside the newly chosen country is dropped from the filter, the URL and the list."""
    at = ok(start_app())
    ok(at.multiselect(key="f_cities").select(city).run())
    ok(at.multiselect(key="f_countries").select(country).run())
    assert at.multiselect(key="f_cities").value == kept
    assert at.query_params.get("city") == (kept[0] if kept else None)
    members = load_registry(register_dir).members
    in_country = members.loc[members["country_id"] == country, "name_ru"].astype(str)
    assert at.multiselect(key="f_cities").options == list(in_country)


@pytest.mark.parametrize(
    "query,shown",
    [
        ({}, True),
        ({"country": "russia"}, True),
        ({"region": "russia"}, True),
        ({"country": "belarus"}, False),
        ({"country": "kazakhstan"}, False),
        ({"region": "central_asia"}, False),
        ({"country": "belarus", "fd": "volga-federal-district"}, False),
    ],
    ids=[
        "all",
        "country-russia",
        "region-russia",
        "country-belarus",
        "country-kazakhstan",
        "region-central-asia",
        "stale-fd-in-link",
    ],
)
def test_federal_district_filter_shows_only_when_russia_is_in_scope(start_app, query, shown):
    """The federal-district list appears only while a Russian city can still be chosen."""
    at = ok(start_app(**query))
    assert ("f_federal_districts" in sidebar_keys(at)) is shown
    assert "fd" not in at.query_params


def test_choosing_a_non_russian_country_drops_the_chosen_federal_district(start_app):
    """A federal district chosen first disappears with its list when Belarus is chosen."""
    at = ok(start_app())
    ok(at.multiselect(key="f_federal_districts").select("volga-federal-district").run())
    assert headline(at)[:3] == ("1", "1", "500")
    ok(at.multiselect(key="f_countries").select("belarus").run())
    assert "f_federal_districts" not in sidebar_keys(at)
    assert at.query_params == {"country": "belarus"}
    assert headline(at)[:3] == ("1", "1", "300")


# --- 5. city search -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,city",
    [
        ("Алма-Ата", "almaty"),
        ("alma ata", "almaty"),
        ("ALMA-ATA", "almaty"),
        ("Алматы", "almaty"),
        ("Moskva", "msk"),
    ],
    ids=["old-russian-name", "latin-lowercase-space", "latin-uppercase", "current-name", "alias"],
)
def test_city_search_selects_the_city_by_any_spelling(start_app, query, city):
    """Any known spelling selects the city in the filter and in the URL."""
    at = ok(start_app(country="russia"))
    ok(at.text_input(key="f_search").input(query).run())
    assert at.multiselect(key="f_cities").value == [city]
    assert at.multiselect(key="f_countries").value == []
    assert at.query_params == {"city": city}
    name = at.session_state["_ctx"].registry.members.set_index("id").loc[city, "name_ru"]
    assert t("filter.search.found", "ru", names=name) in [c.value for c in at.sidebar.caption]


def test_city_search_without_a_match_warns_and_keeps_the_filter(start_app):
    """An unknown name gives a warning and leaves the filter as it was."""
    at = ok(start_app(country="russia"))
    ok(at.text_input(key="f_search").input("Атлантида").run())
    assert [w.value for w in at.sidebar.warning] == [
        t("filter.search.none", "ru", query="Атлантида")
    ]
    assert at.query_params == {"country": "russia"}


# --- 6. a filter that matches nothing -----------------------------------------------------------

NO_PROJECTS = {"country": "kazakhstan", "status": "active"}
EMPTY_CASES = list(PROJECT_PAGES)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", EMPTY_CASES)
def test_filter_without_projects_shows_the_friendly_message(shared_app, page, lang):
    """Kazakhstan + active matches no project: each page says so and draws no empty axes."""
    at = open_page(shared_app(lang=lang, **NO_PROJECTS), page)
    drawn = charts(at)
    for key, spec in drawn.items():
        assert not draws_empty_axes(spec), key
    friendly = {t(key, lang) for key in PROJECT_PAGES[page]}
    in_charts = any(says_empty(spec, lang) for spec in drawn.values())
    assert in_charts or friendly & set(infos(at))


@pytest.mark.parametrize("lang", LANGS)
def test_map_colours_cities_by_macro_region(start_app, lang):
    """The map's colour switch: one marker trace per macro-region instead of per country."""
    at = open_page(ok(start_app(lang=lang)), "map")

    def marker_groups() -> set[str]:  # city marker traces carry the cities' ids (customdata)
        return {tr["name"] for tr in charts(at)["map_chart"]["data"] if tr.get("customdata")}

    by_country = marker_groups()
    ok(at.segmented_control(key="map_color_by").set_value("macro_region").run())
    by_region = marker_groups()
    assert by_region and by_region != by_country
    central_asia = {"ru": "Центральная Азия", "en": "Central Asia"}[lang]
    assert central_asia in by_region and central_asia not in by_country


@pytest.mark.parametrize("measure", ["projects", "participations"])
def test_countries_project_measures_without_projects_draw_no_empty_axes(start_app, measure):
    """With no matching project the countries chart of a project measure says so, not a 0 bar."""
    at = open_page(ok(start_app(**NO_PROJECTS)), "countries")
    ok(at.segmented_control(key="countries_measure").set_value(measure).run())
    assert not draws_empty_axes(charts(at)["countries_bars"])


# --- 7. a broken register -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_broken_register_shows_the_validation_report(start_app, tmp_path, lang):
    """A latitude of 95.5 on Kazan's row shows the error and a table naming file, row, column."""
    rows = [r.replace("55.78874", "95.5") if r.startswith("kazan,") else r for r in MEMBER_ROWS]
    folder = write_register(tmp_path / "data", **{"members.csv": csv_text(MEMBER_HEADER, rows)})
    at = ok(start_app(folder, lang=lang))
    assert [e.value for e in at.error] == [t("app.data_error.title", lang)]
    (report,) = at.dataframe
    headers = t("problem.columns", lang).split(";")
    assert report.value[headers[:4]].astype(str).values.tolist() == [
        ["members.csv", "3", "lat", "95.5"]
    ]
    assert not at.get("plotly_chart")
    assert not at.sidebar.multiselect
    # Every page says where to mend it: a link to the data page.
    (link,) = at.get("page_link")
    assert link.proto.label == t("app.data_error.mend", lang)
    assert link.proto.page.endswith("data")


# --- 8. the illustrative notice -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PROJECT_PAGES)
def test_pages_with_projects_say_the_projects_are_illustrative(shared_app, page, lang):
    """Every page that shows projects carries the plain 'illustrative sample' notice."""
    at = open_page(shared_app(lang=lang), page)
    word = {"ru": "иллюстратив", "en": "illustrative"}[lang]
    assert sum(word in text.lower() for text in infos(at)) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_of_the_areas_page_carries_the_illustrative_mark(start_app, lang):
    """Every chart there counts projects: each, in every tab, is marked as illustrative data in
    the figure itself (so an exported image says so too)."""
    key, tabs, _ = TABS["areas"]
    at = open_page(start_app(lang=lang), "areas")
    for label in tabs:
        at.session_state[key] = t(label, lang)
        for chart, spec in charts(ok(at.run())).items():
            assert spec["layout"]["meta"]["illustrative"] is True, (label, chart)
            assert t("chart.illustrative", lang) in spec["layout"]["title"]["subtitle"]["text"]


def test_real_project_data_carries_no_illustrative_notice(start_app, tmp_path):
    """A register whose projects are not marked illustrative shows no such notice."""
    rows = [r.replace(",true", ",false") for r in PROJECT_ROWS]
    folder = write_register(tmp_path / "data", **{"projects.csv": csv_text(PROJECT_HEADER, rows)})
    for page in ("overview", "areas", "city"):
        at = open_page(ok(start_app(folder)), page)
        assert not any("иллюстратив" in text.lower() for text in infos(at)), page


# --- 9. the city profile ------------------------------------------------------------------------


@pytest.fixture
def geopy_km(register_dir: Path) -> Callable[[str], dict[str, int]]:
    """Whole km from one member to every other, computed here with geopy (nearest first)."""
    members = pd.read_csv(register_dir / "members.csv").set_index("id")

    def km(origin: str) -> dict[str, int]:
        here = tuple(members.loc[origin, ["lat", "lon"]])
        out = {
            other: round(geodesic(here, tuple(row[["lat", "lon"]])).km)
            for other, row in members.iterrows()
            if other != origin
        }
        return dict(sorted(out.items(), key=lambda item: item[1]))

    return km


@pytest.mark.parametrize("lang", LANGS)
def test_profile_link_opens_the_city(start_app, lang):
    """profile=kazan opens Kazan's profile with its facts; the URL keeps the profile."""
    at = open_page(ok(start_app(profile="kazan", lang=lang)), "city")
    assert at.selectbox(key="city_select").value == "kazan"
    assert at.query_params["profile"] == "kazan"
    (table,) = [tb.value for tb in at.table if t("city.value", lang) in tb.value.columns]
    facts = table[t("city.value", lang)].to_dict()
    assert facts[t("col.country", lang)] == {"ru": "Россия", "en": "Russia"}[lang]
    assert facts[t("col.population", lang)] == "500 (2021)"
    assert (
        facts[t("col.federal_district", lang)]
        == {
            "ru": "Приволжский федеральный округ",
            "en": "Volga Federal District",
        }[lang]
    )
    ok(at.selectbox(key="city_select").set_value("minsk").run())
    assert at.query_params["profile"] == "minsk"


def test_city_profile_lists_its_projects_and_partners(start_app):
    """Kazan leads P2 (with Moscow) and is a partner in P3 (with Almaty and Minsk)."""
    at = open_page(ok(start_app(profile="kazan")), "city")
    projects = next(df.value for df in at.dataframe if t("col.role", "ru") in df.value.columns)
    rows = projects[[t("col.project", "ru"), t("col.role", "ru"), t("col.others", "ru")]]
    assert rows.values.tolist() == [
        ["Проект 3", "Партнёр", "Алматы, Минск"],
        ["Проект 2", "Ведущий", "Москва"],
    ]
    partners = charts(at)["city_partners"]
    assert bars_by_id(partners) == {"msk": 1, "minsk": 1, "almaty": 1}


@pytest.mark.parametrize("origin", ["kazan", "almaty"])
def test_nearest_members_match_geopy_distances(start_app, geopy_km, origin):
    """The distance table and the nearest-members chart give geopy's geodesic km, nearest first."""
    expected = geopy_km(origin)
    at = open_page(ok(start_app(profile=origin, lang="en")), "city")
    names = at.session_state["_ctx"].registry.members.set_index("id")["name_en"]
    table = next(df.value for df in at.dataframe if t("m.distance_km", "en") in df.value.columns)
    assert table[[t("col.city", "en"), t("m.distance_km", "en")]].values.tolist() == [
        [names[other], km] for other, km in expected.items()
    ]
    spec = charts(at)["city_nearest"]
    assert sorted(bars_by_id(spec).items()) == sorted(expected.items())
    # Drawn nearest on top: the category order (bottom to top) ends with the nearest.
    order = spec["layout"]["yaxis"]["categoryarray"]
    assert order[::-1] == [names[other] for other in expected]


def test_kazans_nearest_member_is_moscow(start_app, geopy_km):
    """Kazan's nearest member is Moscow, about 720 km away by geopy."""
    expected = geopy_km("kazan")
    assert next(iter(expected)) == "msk"
    at = open_page(ok(start_app(profile="kazan")), "city")
    table = next(df.value for df in at.dataframe if t("m.distance_km", "ru") in df.value.columns)
    first = table.iloc[0]
    assert (first[t("col.city", "ru")], first[t("m.distance_km", "ru")]) == (
        "Москва",
        expected["msk"],
    )
