"""The presentation deck: slide descriptions, the PowerPoint read back with python-pptx, the PDF,
and the chart images rendered by kaleido with the system Chromium (offline base map).

Numbers are worked out by hand from the tiny register (tests/factories.py): Moscow 1000,
Kazan 500 (Russia), Minsk 300 (Belarus), Almaty 200 (Kazakhstan); projects P1–P4; Minsk takes
part in 3 projects, the other cities in 2; 3 of the 4 projects are cross-border.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from factories import (
    ALIAS_HEADER,
    ALIAS_ROWS,
    MEMBER_HEADER,
    MEMBER_ROWS,
    PARTICIPANT_HEADER,
    PROJECT_HEADER,
    csv_text,
    write_register,
)
from PIL import Image, ImageStat
from pptx import Presentation

from mag_data import Filter, apply_filter, load_registry
from mag_data.i18n import NBSP, t
from mag_data.present import deck, palette, render
from mag_data.present.deck.slides import started_by_year
from tests.unit.present.pdf_text import pdf_text

TODAY = date(2025, 5, 15)
CHART_SLIDES = ("map", "countries", "areas", "years", "top_cities", "chronicle")
HOSTILE_RU = '=HYPERLINK("http://evil.example/x","click")'
HOSTILE_EN = "<script>alert(1)</script>"


def _png(width: int = 240, height: int = 104) -> bytes:
    """A small stand-in chart image (for tests that do not need the renderer)."""
    img = Image.new("RGB", (width, height), "#ffffff")
    img.paste(Image.new("RGB", (width // 2, height // 2), "#1f4e9c"), (10, 10))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _fake_images(slides: list[deck.Slide]) -> dict[str, bytes]:
    return {s.key: _png() for s in slides if s.figure is not None}


def _read(pptx: bytes):
    return Presentation(io.BytesIO(pptx))


def _texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


# --- slide descriptions (no browser) ------------------------------------------------------------


def test_slides_come_in_presentation_order_whatever_the_selection_order(tiny):
    """The multiselect may list slides in any order; the deck keeps the canonical order."""
    view = apply_filter(tiny, Filter())
    slides = deck.build_slides(view, "ru", ["summary", "map", "nonsense", "title"], TODAY)
    assert [s.key for s in slides] == ["title", "map", "summary"]
    assert [s.key for s in deck.build_slides(view, "ru", None, TODAY)] == list(deck.SLIDE_KEYS)


@pytest.mark.parametrize(
    "f,lang,expected",
    [
        (Filter(), "ru", "Без фильтра: все города-члены и все проекты"),
        (Filter(), "en", "No filter: all member cities and all projects"),
        (Filter(countries=("russia",)), "ru", "Фильтр: Страна: Россия"),
        (Filter(countries=("belarus", "kazakhstan")), "en", "Filter: Country: Belarus, Kazakhstan"),
        (
            Filter(areas=("social",), statuses=("active",), years=(2005, 2015)),
            "en",
            "Filter: Cooperation area: Social cooperation · Project status: Active · "
            "Project start year: 2005–2015",
        ),
        (
            Filter(cities=("msk", "kazan", "minsk", "almaty")),
            "ru",
            "Фильтр: Город: Москва, Казань, Минск, Алматы",
        ),
    ],
    ids=["none-ru", "none-en", "country-ru", "two-countries-en", "areas-status-years-en", "cities"],
)
def test_the_filter_in_force_is_described_in_words(tiny, f, lang, expected):
    assert deck.describe_filter(tiny, f, lang) == expected


def test_a_long_choice_is_shortened_with_a_count(tiny):
    words = deck.describe_filter(tiny, Filter(cities=("msk", "kazan", "minsk", "almaty")), "en", 2)
    assert words == "Filter: City: Moscow, Kazan and 2 more"


def test_title_slide_names_the_assembly_the_date_and_the_filter(tiny):
    f = Filter(countries=("russia",))
    slide = deck.make_slide("title", apply_filter(tiny, f), "ru", TODAY)
    assert slide.title == "Международная ассамблея столиц и крупных городов"
    assert "15.05.2025" in slide.subtitle
    assert slide.lines == ("Фильтр: Страна: Россия",)
    en = deck.make_slide("title", apply_filter(tiny, f), "en", TODAY)
    assert en.title == "International Assembly of Capitals and Major Cities"
    assert "2025-05-15" in en.subtitle


def test_only_slides_showing_projects_say_the_data_is_illustrative(tiny):
    slides = deck.build_slides(apply_filter(tiny, Filter()), "en", None, TODAY)
    note = t("pres.illustrative", "en")
    flagged = {s.key for s in slides if note in s.footer}
    assert flagged == {"areas", "years", "top_cities", "summary"}
    assert all(s.illustrative for s in slides if s.key in flagged)
    assert all(t("pres.source", "en") in s.footer for s in slides)


@pytest.mark.parametrize(
    "key,numbers",
    [
        ("map", [f"Россия — 2 — 1{NBSP}500", "Беларусь — 1 — 300", f"Москва — 1{NBSP}000"]),
        ("countries", [f"Россия — 2 — 1{NBSP}500", "Казахстан — 1 — 200"]),
        (
            "areas",
            [
                "Торгово-экономическое сотрудничество — 2 (1 / 0 / 1) — 100,0",
                "Социальное сотрудничество — 1 (0 / 1 / 0) — 0,0",
            ],
        ),
        ("years", ["2001 — 1", "2005 — 1", "2010 — 1", "2027 — 1"]),
        ("top_cities", ["1. Минск (Беларусь) — 3", "2. Москва (Россия) — 2"]),
        ("summary", ["Городов-членов: 4", f"Население городов: 2{NBSP}000", f"75,0{NBSP}%"]),
    ],
)
def test_speaker_notes_hold_the_figures_behind_each_slide(tiny, key, numbers):
    notes = deck.make_slide(key, apply_filter(tiny, Filter()), "ru", TODAY).notes
    for number in numbers:
        assert number in notes


def test_chart_slides_are_styled_for_the_hall(tiny):
    """No chart title (the slide has one), large type, the explicit template, fixed size."""
    for key in CHART_SLIDES:
        fig = deck.make_slide(key, apply_filter(tiny, Filter()), "ru", TODAY).figure
        assert fig is not None
        assert not fig.layout.title.text
        assert fig.layout.font.size >= 20
        assert fig.layout.height == deck.IMAGE_HEIGHT
        assert fig.layout.template.layout.plot_bgcolor == "white"  # plotly_white, set explicitly


def test_an_empty_view_still_gives_every_slide(tiny):
    view = apply_filter(tiny, Filter(countries=("russia",), areas=("science_technology",)))
    slides = deck.build_slides(view, "en", None, TODAY)
    assert [s.key for s in slides] == list(deck.SLIDE_KEYS)
    pptx = deck.write_pptx(slides, _fake_images(slides), "en")
    assert len(_read(pptx).slides) == len(deck.SLIDE_KEYS)


# --- PowerPoint and PDF writers with stand-in images (no browser) --------------------------------


def test_pptx_has_a_titled_16_9_slide_per_spec_with_pictures_notes_and_numbers(tiny):
    slides = deck.build_slides(apply_filter(tiny, Filter()), "en", None, TODAY)
    prs = _read(deck.write_pptx(slides, _fake_images(slides), "en"))
    assert (prs.slide_width, prs.slide_height) == (12191695, 6858000)  # 13.333 × 7.5 in
    assert [s.shapes.title.text for s in prs.slides] == [s.title for s in slides]
    for number, (spec, slide) in enumerate(zip(slides, prs.slides, strict=True), start=1):
        pictures = [sh for sh in slide.shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == (1 if spec.key in CHART_SLIDES else 0), spec.key
        assert _notes(slide) == spec.notes
        assert f"{number} / {len(deck.SLIDE_KEYS)}" in _texts(slide)
        for line in spec.footer:
            assert line in _texts(slide)
        for shape in slide.shapes:  # nothing hangs off the 16:9 page
            assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width, shape.name
            assert shape.top >= 0 and shape.top + shape.height <= prs.slide_height, shape.name


def test_pdf_has_one_page_per_slide(tiny):
    slides = deck.build_slides(apply_filter(tiny, Filter()), "ru", ["title", "map"], TODAY)
    pdf = deck.write_pdf(slides, _fake_images(slides), "ru")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 2


def _hostile_register(folder: Path):
    """The tiny register with a formula and a script tag as Moscow's names (and an alias)."""
    rows = list(csv.reader(io.StringIO(csv_text(MEMBER_HEADER, MEMBER_ROWS))))
    header, body = rows[0], rows[1:]
    body[0][header.index("name_ru")] = HOSTILE_RU
    body[0][header.index("name_en")] = HOSTILE_EN
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    aliases = csv_text(ALIAS_HEADER, [*ALIAS_ROWS, f"msk,{HOSTILE_EN},en"])
    files = {"members.csv": out.getvalue(), "aliases.csv": aliases}
    return load_registry(write_register(folder, **files))


@pytest.mark.parametrize("lang,hostile", [("ru", HOSTILE_RU), ("en", HOSTILE_EN)])
def test_hostile_city_names_stay_plain_text_in_the_deck(tmp_path, lang, hostile):
    registry = _hostile_register(tmp_path / "data")
    view = apply_filter(registry, Filter(cities=("msk", "minsk")))
    slides = deck.build_slides(view, lang, None, TODAY)
    pptx = deck.write_pptx(slides, _fake_images(slides), lang)
    prs = _read(pptx)
    # The name reads back verbatim: as text in the title slide's filter line and in the notes.
    assert hostile in _texts(prs.slides[0])
    assert any(hostile in _notes(s) for s in prs.slides)
    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        xml = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}
    everything = "".join(xml.values())
    assert "<script>" not in everything
    if lang == "en":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in everything
    slide_xml = "".join(v for n, v in xml.items() if n.startswith("ppt/slides/"))
    assert "hlinkClick" not in slide_xml  # no hyperlink was made out of a name
    assert "<a:fld" not in slide_xml  # no field code either
    # The PDF draws names as pixels: nothing in it can run.
    assert b"HYPERLINK" not in deck.write_pdf(slides, _fake_images(slides), lang)


# --- rendering with kaleido and the system Chromium ---------------------------------------------


@pytest.fixture(scope="module")
def tiny_module(tmp_path_factory):
    return load_registry(write_register(tmp_path_factory.mktemp("deck") / "data"))


@pytest.fixture(scope="module")
def built(tiny_module) -> deck.DeckFiles:
    """One real build of the whole deck (warm renderer reused by the other tests)."""
    if render.find_browser() is None:
        pytest.fail(render.no_browser_message() + " (deselect with -m 'not slow')", pytrace=False)
    return deck.build_files(tiny_module, Filter(), "ru", today=TODAY)


def _pictures(pptx: bytes) -> dict[str, bytes]:
    """Chart PNGs read back from the deck, by slide title."""
    out = {}
    for slide in _read(pptx).slides:
        for shape in slide.shapes:
            if shape.shape_type == 13:
                out[slide.shapes.title.text] = shape.image.blob
    return out


@pytest.mark.slow
def test_built_deck_reads_back_with_seven_titled_slides_and_chart_pictures(built):
    prs = _read(built.pptx)
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles == [
        "Международная ассамблея столиц и крупных городов",
        *(deck.slide_label(k, "ru") for k in deck.SLIDE_KEYS[1:]),
    ]
    pictures = _pictures(built.pptx)
    assert set(pictures) == {deck.slide_label(k, "ru") for k in CHART_SLIDES}
    top = next(s for s in prs.slides if s.shapes.title.text == deck.slide_label("top_cities", "ru"))
    assert "1. Минск (Беларусь) — 3" in _notes(top)
    assert len(built.image_seconds) == len(CHART_SLIDES)


@pytest.mark.slow
def test_chart_images_are_sharp_and_not_blank(built):
    for title, png in _pictures(built.pptx).items():
        img = Image.open(io.BytesIO(png))
        assert img.format == "PNG"
        assert img.size == (2400, 1040), title
        gray = img.convert("L")
        assert ImageStat.Stat(gray).var[0] > 100, f"{title}: nearly uniform image"
        assert len(img.convert("RGB").getcolors(1 << 24) or []) > 50, title


@pytest.mark.slow
def test_map_image_shows_the_offline_base_map(built):
    """Land pixels prove the local topojson loaded (without it the geo chart stays blank)."""
    png = _pictures(built.pptx)[deck.slide_label("map", "ru")]
    rgb = Image.open(io.BytesIO(png)).convert("RGB")
    land = tuple(int(palette.LAND[i : i + 2], 16) for i in (1, 3, 5))
    counts = dict((colour, n) for n, colour in rgb.getcolors(1 << 24))
    assert counts.get(land, 0) > 0.02 * rgb.width * rgb.height


@pytest.mark.slow
def test_pdf_of_the_same_deck_has_seven_pages(built):
    assert built.pdf is not None, built.pdf_error
    assert built.pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", built.pdf)) == len(deck.SLIDE_KEYS)


@pytest.mark.slow
def test_build_deck_returns_pptx_or_pdf_bytes_for_a_selection(tiny_module, built):
    pptx = deck.build_deck(tiny_module, Filter(), "en", ["title", "countries"], today=TODAY)
    prs = _read(pptx)
    assert [s.shapes.title.text for s in prs.slides] == [
        "International Assembly of Capitals and Major Cities",
        "Member cities and population by country",
    ]
    pdf = deck.build_deck(tiny_module, Filter(), "en", ["summary"], fmt="pdf", today=TODAY)
    assert pdf.startswith(b"%PDF")
    with pytest.raises(ValueError):
        deck.build_deck(tiny_module, Filter(), "en", fmt="odp")


# --- no browser --------------------------------------------------------------------------------


def test_without_a_browser_the_renderer_says_so_clearly(tiny, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert render.find_browser() is None
    renderer = render.Renderer(browser="/nonexistent/chromium")
    with pytest.raises(render.RendererUnavailable, match="No Chromium/Chrome browser found"):
        renderer.start()
    with pytest.raises(render.RendererUnavailable, match="BROWSER_PATH"):
        deck.build_deck(tiny, Filter(), "ru", renderer=renderer)


def test_topojson_uri_points_at_the_bundled_base_maps():
    uri = render.topojson_uri()
    assert uri.startswith("file://") and uri.endswith("/static/topojson/")
    assert (Path(uri.removeprefix("file://")) / "world_50m.json").is_file()


def test_pdf_pages_hold_the_slides_text_searchable_and_copyable(tiny):
    """The PDF is text, not pictures of text: every title, footer and summary line of the
    slides can be found in its page (fonts embedded, a Unicode map for each)."""
    slides = deck.build_slides(
        apply_filter(tiny, Filter()), "ru", ["title", "areas", "summary"], TODAY
    )
    pdf = deck.write_pdf(slides, _fake_images(slides), "ru")
    pages = [" ".join(text.split()) for text in pdf_text(pdf)]
    assert len(pages) == 3
    for page, slide in zip(pages, slides, strict=True):
        squeezed = page.replace(" ", "")
        for line in (slide.title, *slide.footer, *slide.lines, *(v for _, v in slide.figures)):
            assert "".join(line.split()) in squeezed, f"{line!r} not on page {slide.key}"
    assert b"/FontFile2" in pdf  # the TrueType font travels with the file
    assert b"/DCTDecode" not in pdf or len(pdf) < 500_000  # not one photo per page


def test_pdf_chart_images_carry_their_description(tiny):
    """A chart is an image whose alternative text is the chart's description."""
    slides = deck.build_slides(apply_filter(tiny, Filter()), "en", ["areas"], TODAY)
    pdf = deck.write_pdf(slides, _fake_images(slides), "en")
    assert b"/Subtype /Image" in pdf
    assert b"/Alt" in pdf


@pytest.mark.parametrize(
    "status,start,expected_started,expected_planned",
    [
        ("planned", "2027-03-01", 0, 1),  # a year that has not begun: planned, not started
        ("planned", "2025-01-10", 0, 1),  # planned though its date has passed: not started
        ("active", "2024-06-01", 1, 0),
        ("active", "2025-06-01", 0, 1),  # dated after today (15.05.2025): not started yet
        ("completed", "2020-02-02", 1, 0),
    ],
    ids=["planned-future", "planned-past-date", "active", "active-future-date", "completed"],
)
def test_summary_counts_only_projects_that_have_started(
    tmp_path, status, start, expected_started, expected_planned
):
    """«Больше всего проектов начато в … году» counts a project only once it has begun."""
    registry = _one_project_register(tmp_path, status, start)
    started, planned = started_by_year(apply_filter(registry, Filter()), TODAY)
    assert int(started.sum()) == expected_started
    assert planned == expected_planned
    slide = deck.make_slide("summary", apply_filter(registry, Filter()), "ru", TODAY)
    year = start[:4]
    said = any(f"начато в {year} году" in line for line in slide.lines)
    assert said == bool(expected_started)


def _one_project_register(folder: Path, status: str, start: str):
    """The tiny register's cities with one project of the given status and start date."""
    end = "2021-01-01" if status == "completed" else ""
    row = f"P1,Проект 1,Project 1,social,,{status},{start},{end},,,true"
    write_register(
        folder,
        **{
            "projects.csv": csv_text(PROJECT_HEADER, [row]),
            "participants.csv": csv_text(PARTICIPANT_HEADER, ["P1,msk,lead", "P1,minsk,partner"]),
        },
    )
    return load_registry(folder)
