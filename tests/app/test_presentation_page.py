"""The presentation page under AppTest on the tiny register: slide order and numbering, buttons,
the slide selection, filter and language, the illustrative footer, chart download options, the
no-browser message, and the PowerPoint/PDF build."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from factories import MEMBER_HEADER, MEMBER_ROWS, csv_text, write_register
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from mag_data.i18n import t
from mag_data.present import deck, render

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "pages/presentation.py"
TIMEOUT = 60


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_register(tmp_path_factory.mktemp("presentation") / "data")


@pytest.fixture
def open_presentation(monkeypatch: pytest.MonkeyPatch, tiny_dir: Path):
    """Open the presentation page on a register (the tiny one by default) with URL parameters.

    Runs go through ``st.navigation`` as on a running server: AppTest would otherwise treat
    every run as a server's first (Streamlit's legacy ``pages/`` discovery)."""
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)

    def open_(folder: Path | None = None, **query: str) -> AppTest:
        monkeypatch.setenv("MAG_DATA_DIR", str(folder or tiny_dir))
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        return ok(at.switch_page(PAGE).run())

    return open_


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def counter(at: AppTest) -> str:
    (text,) = [m.value for m in at.markdown if " / " in m.value]
    return text.strip("*")


def html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def charts(at: AppTest) -> dict[str, dict]:
    """Plotly charts by key: the figure and the plotly.js config."""
    return {
        c.proto.id.split("-", 2)[-1]: {
            "figure": json.loads(c.proto.spec),
            "config": json.loads(c.proto.config),
        }
        for c in at.get("plotly_chart")
    }


def step(at: AppTest, key: str, times: int = 1) -> AppTest:
    for _ in range(times):
        ok(at.button(key=key).click().run())
    return at


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_presentation_opens_on_the_title_slide_as_1_of_8(open_presentation, lang):
    at = open_presentation(lang=lang)
    assert counter(at) == "1 / 8"
    assert t("app.assembly", lang) in html(at)
    assert t("pres.filter.none", lang) in html(at)
    assert not at.get("plotly_chart")
    assert at.button(key="pres_prev").disabled


def test_next_and_previous_walk_the_slides_and_the_map_draws_offline(open_presentation):
    at = step(open_presentation(), "pres_next")
    assert counter(at) == "2 / 8"
    shown = charts(at)
    assert set(shown) == {"pres_chart_map"}
    assert shown["pres_chart_map"]["config"]["topojsonURL"] == "app/static/topojson/"
    kinds = {trace["type"] for trace in shown["pres_chart_map"]["figure"]["data"]}
    assert "scattergeo" in kinds
    assert deck.slide_label("map", "ru") in html(at)
    step(at, "pres_next", 6)
    assert counter(at) == "8 / 8"
    assert at.button(key="pres_next").disabled
    step(at, "pres_prev")
    assert counter(at) == "7 / 8"


def test_only_slides_showing_projects_say_so_in_their_footer(open_presentation):
    at = open_presentation(lang="en")
    flagged = set()
    for key in deck.SLIDE_KEYS:
        if t("pres.illustrative", "en") in html(at):
            flagged.add(key)
        assert t("pres.source", "en") in html(at), key
        if key != deck.SLIDE_KEYS[-1]:
            step(at, "pres_next")
    assert flagged == deck.PROJECT_SLIDES


def test_choosing_slides_renumbers_them_and_keeps_the_place(open_presentation):
    at = step(open_presentation(), "pres_next")  # on the map slide
    ok(at.multiselect(key="pres_slides").set_value(["title", "map", "summary"]).run())
    assert counter(at) == "2 / 3"
    ok(at.multiselect(key="pres_slides").set_value(["title", "summary"]).run())
    assert counter(at) == "2 / 2"  # the map went: the next chosen slide is shown
    assert deck.slide_label("summary", "ru") in html(at)
    ok(at.multiselect(key="pres_slides").set_value([]).run())
    assert t("pres.none_selected", "ru") in [i.value for i in at.info]


def test_slides_follow_the_filter_and_the_language(open_presentation):
    at = open_presentation(lang="en", country="belarus")
    assert "Filter: Country: Belarus" in html(at)
    step(at, "pres_next", 2)
    (spec,) = [c["figure"] for c in charts(at).values()]
    # One country left: its figures as a card, not a single full-width bar (nothing to compare).
    assert not [trace for trace in spec["data"] if trace["type"] == "bar"]
    assert "belarus" in str(spec["layout"]["meta"]["single"])
    assert "Member cities and population by country" in html(at)


def test_chart_downloads_are_png_or_svg_with_a_meaningful_name(open_presentation):
    at = step(open_presentation(), "pres_next")
    options = charts(at)["pres_chart_map"]["config"]["toImageButtonOptions"]
    assert options["format"] == "png"
    # Laid out at 960×540 and drawn at twice the scale: a 1920×1080 image with slide-sized text.
    assert options["width"] * options["scale"] >= 1920
    assert options["height"] * options["scale"] >= 1080
    assert options["filename"].startswith("mag_slide_map_")
    ok(at.segmented_control(key="_export_format_widget").set_value("svg").run())
    assert charts(at)["pres_chart_map"]["config"]["toImageButtonOptions"]["format"] == "svg"
    assert at.session_state["export_format"] == "svg"


def test_hostile_city_names_are_shown_as_text(open_presentation, tmp_path):
    rows = list(csv.reader(io.StringIO(csv_text(MEMBER_HEADER, MEMBER_ROWS))))
    rows[1][rows[0].index("name_en")] = "<script>alert(1)</script>"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    folder = write_register(tmp_path / "data", **{"members.csv": out.getvalue()})
    at = open_presentation(folder, lang="en", city="msk")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html(at)
    assert "<script>" not in html(at)


def test_without_a_browser_the_page_says_so_and_keeps_chart_downloads(
    open_presentation, monkeypatch
):
    monkeypatch.setattr(render, "available", lambda: False)
    at = open_presentation(lang="en")
    assert t("pres.no_browser", "en") in [w.value for w in at.warning]
    assert not [b for b in at.button if b.key == "pres_build"]
    assert at.segmented_control(key="_export_format_widget").value == "png"


@pytest.mark.slow
def test_build_offers_the_deck_as_pptx_and_pdf(open_presentation):
    if not render.available():
        pytest.fail(render.no_browser_message(), pytrace=False)
    at = open_presentation(lang="en")
    ok(at.multiselect(key="pres_slides").set_value(["title", "countries", "summary"]).run())
    ok(at.button(key="pres_build").click().run())
    downloads = {d.proto.label: d for d in at.get("download_button")}
    assert set(downloads) == {t("pres.download.pptx", "en"), t("pres.download.pdf", "en")}
    assert at.get("status") or at.get("expandable")  # the progress was shown in a status box
    # Another filter makes the built deck stale: the download disappears until rebuilt.
    ok(at.multiselect(key="pres_slides").set_value(["title", "summary"]).run())
    assert not at.get("download_button")
