"""The presentation: one slide description for the page, the PowerPoint and the PDF.

``make_slide`` / ``build_slides`` describe the slides of a view (title, figure, footer with source
and filters, speaker notes holding the numbers behind each chart). ``write_pptx`` and
``write_pdf`` lay them out on 16:9 pages with chart images rendered by ``render`` (kaleido and the
system Chromium, offline). ``build_deck(registry, filter, lang)`` does it all and returns bytes.
No Streamlit here.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from mag_data.i18n import fmt_int, fmt_pct, t
from mag_data.present import charts, render
from mag_data.query import aggregations as agg
from mag_data.query.filters import GEO_COLUMNS, Filter, View, apply_filter
from mag_data.register.registry import Registry
from mag_data.register.schema import STATUSES

SLIDE_KEYS = ("title", "map", "countries", "areas", "years", "top_cities", "summary")
# Slides that show project figures: their footer says the project data is illustrative.
PROJECT_SLIDES = frozenset({"areas", "years", "top_cities", "summary"})
TOP_CITIES = 10

# Chart images: layout pixels × scale → 2400×1040 PNG, placed 12.33 in wide on the slide.
IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_SCALE = 1200, 520, 2
SLIDE_FONT_PX = 22  # chart text on slides: about 16 pt on the projected page

# Page geometry in inches (PowerPoint's 16:9) shared by the PPTX and the PDF.
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.5
TITLE_TOP, TITLE_H = 0.3, 0.85
RULE_TOP = 1.17
BODY_TOP = 1.3
BODY_W = SLIDE_W - 2 * MARGIN
BODY_H = BODY_W * IMAGE_HEIGHT / IMAGE_WIDTH  # 5.34 in
FOOTER_TOP = 6.72
FOOTER_H = 0.7

TEXT = "#111827"
MUTED = "#4b5563"
ACCENT = "#1f4e9c"
WARN = "#9a3412"
FONT_NAME = "Arial"

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Slide:
    """One slide: what the page shows and what the PPTX/PDF lay out."""

    key: str
    title: str
    subtitle: str = ""
    figure: go.Figure | None = None
    lines: tuple[str, ...] = ()  # body text of the text slides
    figures: tuple[tuple[str, str], ...] = ()  # (label, value) headline numbers
    notes: str = ""
    footer: tuple[str, ...] = ()  # footer lines: illustrative note first, then filter, source
    illustrative: bool = False

    @property
    def alt(self) -> str:
        return charts.alt_text(self.figure) if self.figure is not None else ""


@dataclass(frozen=True)
class DeckFiles:
    """The built files and what they cost."""

    pptx: bytes
    pdf: bytes | None
    pdf_error: str | None
    slides: int
    image_seconds: tuple[float, ...] = ()
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


# --- words -------------------------------------------------------------------------------------


def slide_label(key: str, lang: str) -> str:
    return t(f"pres.slide.{key}", lang)


def format_date(day: date, lang: str) -> str:
    """15.05.2025 (ru) or 2025-05-15 (en)."""
    return day.strftime("%d.%m.%Y") if lang == "ru" else day.isoformat()


def _labels(registry: Registry, name: str, lang: str) -> dict[str, str]:
    """Id → label in ``lang`` for one filter field."""
    if name == "areas":
        areas = registry.areas
        return dict(zip(areas["id"].astype(str), areas[f"name_{lang}"].astype(str), strict=True))
    if name == "statuses":
        return {s: t(f"status.{s}", lang) for s in STATUSES}
    base = {
        "macro_regions": "macro_region",
        "countries": "country",
        "federal_districts": "federal_district",
        "subdivisions": "subdivision",
        "cities": "name",
    }[name]
    m = registry.members.dropna(subset=[GEO_COLUMNS[name]])
    return dict(zip(m[GEO_COLUMNS[name]].astype(str), m[f"{base}_{lang}"].astype(str), strict=True))


def describe_filter(registry: Registry, f: Filter, lang: str, limit: int = 4) -> str:
    """The filter in words ("Страна: Россия, Беларусь · Год начала проекта: 2005–2015")."""
    if f.is_empty():
        return t("pres.filter.none", lang)
    parts = []
    for name in (*GEO_COLUMNS, "areas", "statuses"):
        chosen = getattr(f, name)
        if not chosen:
            continue
        labels = _labels(registry, name, lang)
        names = [labels.get(i, i) for i in chosen]
        shown = ", ".join(names[:limit])
        if len(names) > limit:
            shown += " " + t("pres.more", lang, n=len(names) - limit)
        parts.append(f"{t(f'filter.{name}', lang)}: {shown}")
    if f.years is not None:
        parts.append(f"{t('filter.years', lang)}: {f.years[0]}–{f.years[1]}")
    return t("pres.filter", lang, text=" · ".join(parts))


def footer_lines(registry: Registry, f: Filter, lang: str, projects: bool) -> tuple[str, ...]:
    """Footer of a slide: the illustrative-data statement (slides with projects), filter, source."""
    lines = []
    if projects and registry.illustrative:
        lines.append(t("pres.illustrative", lang))
    lines.append(describe_filter(registry, f, lang))
    lines.append(t("pres.source", lang))
    return tuple(lines)


# --- figures and notes -------------------------------------------------------------------------


def presentation_figure(fig: go.Figure) -> go.Figure:
    """Restyle a chart just built for a slide (in place; returns it): no chart title (the slide
    has one), large type, fixed size. The builders already set the template explicitly (exported
    images do not get Streamlit's theme); setting it again would cost a deep copy per figure."""
    has_annotation_titles = bool(fig.layout.annotations)
    fig.update_layout(
        title_text="",
        font=dict(size=SLIDE_FONT_PX, color=TEXT),
        legend=dict(font=dict(size=SLIDE_FONT_PX - 2)),
        height=IMAGE_HEIGHT,
        width=None,
        margin=dict(l=10, r=10, t=40 if has_annotation_titles else 10, b=10),
        paper_bgcolor="#ffffff",
    )
    fig.update_annotations(font_size=SLIDE_FONT_PX)
    # Axis text set explicitly: Streamlit's chart theme would otherwise make it small and grey.
    axis_font = dict(size=SLIDE_FONT_PX, color=TEXT)
    fig.update_xaxes(tickfont=axis_font, title_font=axis_font)
    fig.update_yaxes(tickfont=axis_font, title_font=axis_font)
    return fig


def _legend_on_top(fig: go.Figure) -> go.Figure:
    """Stacked bars on a slide: the legend in one row above the plot, in stacking order."""
    fig.update_layout(
        legend=dict(orientation="h", x=0.0, y=1.0, yanchor="bottom", traceorder="normal"),
        margin=dict(t=50),
    )
    return fig


def _notes(alt: str, lines: Iterable[str], lang: str) -> str:
    body = "\n".join(lines)
    head = f"{t('pres.notes.figures', lang)}:"
    return "\n".join(x for x in (alt, head, body) if x)


def _country_lines(view: View, lang: str) -> list[str]:
    data = agg.by_country(view)
    header = f"{t('col.country', lang)} — {t('m.members', lang)} — {t('m.population', lang)}"
    rows = [
        f"{r[f'country_{lang}']} — {fmt_int(r['members'], lang)} — {fmt_int(r['population'], lang)}"
        for _, r in data.sort_values(["members", "population"], ascending=False).iterrows()
    ]
    return [header, *rows]


def _headline_line(view: View, lang: str, projects: bool = True) -> str:
    h = agg.headline(view)
    parts = [
        f"{t('m.members', lang)}: {fmt_int(h.members, lang)}",
        f"{t('m.countries', lang)}: {fmt_int(h.countries, lang)}",
        f"{t('m.population', lang)}: {fmt_int(h.population, lang)}",
    ]
    if projects:
        parts.append(f"{t('m.projects', lang)}: {fmt_int(h.projects, lang)}")
    return " · ".join(parts)


def _title_slide(view: View, lang: str, today: date, footer: tuple[str, ...]) -> Slide:
    registry = view.registry
    words = describe_filter(registry, view.filter, lang)
    return Slide(
        key="title",
        title=t("app.assembly", lang),
        subtitle=f"{t('app.title', lang)} · {format_date(today, lang)}",
        lines=(words,),
        notes=_notes("", [words, _headline_line(view, lang, projects=False)], lang),
        footer=footer,
    )


def _map_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    cities = agg.by_city(view)
    fig = presentation_figure(
        charts.member_map(cities, lang, countries=agg.by_country(view), height=IMAGE_HEIGHT)
    )
    largest = cities.sort_values("population", ascending=False).head(TOP_CITIES)
    lines = [
        _headline_line(view, lang, projects=False),
        *_country_lines(view, lang),
        f"{t('col.city', lang)} — {t('col.population', lang)}:",
        *(f"{r[f'name_{lang}']} — {fmt_int(r['population'], lang)}" for _, r in largest.iterrows()),
    ]
    return Slide(
        key="map",
        title=slide_label("map", lang),
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
    )


def _countries_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    data = agg.by_country(view)
    fig = presentation_figure(charts.country_members_population(data, lang))
    lines = [_headline_line(view, lang, projects=False), *_country_lines(view, lang)]
    return Slide(
        key="countries",
        title=slide_label("countries", lang),
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
    )


def _areas_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    areas = agg.by_area(view)
    fig = _legend_on_top(presentation_figure(charts.area_bars(areas, lang)))
    statuses = " / ".join(t(f"status.{s}", lang) for s in STATUSES)
    lines = [
        f"{t('col.area', lang)} — {t('m.projects', lang)} ({statuses}) — "
        f"{t('m.cross_border_share', lang)}"
    ]
    for _, r in areas.iterrows():
        split = " / ".join(fmt_int(r[s], lang) for s in STATUSES)
        share = r["cross_border_share"]
        lines.append(
            f"{r[f'name_{lang}']} — {fmt_int(r['projects'], lang)} ({split}) — "
            f"{fmt_pct(None if share != share else float(share), 1, lang)}"
        )
    return Slide(
        key="areas",
        title=slide_label("areas", lang),
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
        illustrative=view.registry.illustrative,
    )


def _years_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    years = agg.by_year(view)
    fig = _legend_on_top(presentation_figure(charts.year_bars(years, view.registry.areas, lang)))
    lines = [f"{t('m.year', lang)} — {t('m.projects', lang)}"]
    if not years.empty:
        per_year = years.groupby("year")["projects"].sum()
        lines += [f"{int(y)} — {fmt_int(n, lang)}" for y, n in per_year.items() if n > 0]
    return Slide(
        key="years",
        title=slide_label("years", lang),
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
        illustrative=view.registry.illustrative,
    )


def _top_cities_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    top = agg.top_cities(view, n=TOP_CITIES)
    title = slide_label("top_cities", lang)
    fig = presentation_figure(charts.city_bars(top, lang, title))
    fig.update_xaxes(title_text=t("m.projects", lang))
    lines = [f"{t('col.city', lang)} ({t('col.country', lang)}) — {t('m.projects', lang)}"]
    lines += [
        f"{i}. {r[f'name_{lang}']} ({r[f'country_{lang}']}) — {fmt_int(r['projects'], lang)}; "
        f"{t('pres.led', lang, n=fmt_int(r['led'], lang))}"
        for i, (_, r) in enumerate(top.iterrows(), start=1)
    ]
    return Slide(
        key="top_cities",
        title=title,
        figure=fig,
        notes=_notes(charts.alt_text(fig), lines, lang),
        footer=footer,
        illustrative=view.registry.illustrative,
    )


def _summary_slide(view: View, lang: str, footer: tuple[str, ...]) -> Slide:
    h = agg.headline(view)
    numbers = (
        (t("m.members", lang), fmt_int(h.members, lang)),
        (t("m.countries", lang), fmt_int(h.countries, lang)),
        (t("m.population", lang), fmt_int(h.population, lang)),
        (t("m.projects", lang), fmt_int(h.projects, lang)),
        (t("m.cross_border_share", lang), fmt_pct(h.cross_border_share, 1, lang)),
    )
    points = []
    countries = agg.by_country(view)
    if not countries.empty:
        top = countries.sort_values("members", ascending=False, kind="stable").iloc[0]
        points.append(
            t(
                "pres.summary.top_country",
                lang,
                name=top[f"country_{lang}"],
                n=fmt_int(top["members"], lang),
            )
        )
    areas = agg.by_area(view)
    if areas["projects"].sum() > 0:
        top = areas.sort_values("projects", ascending=False, kind="stable").iloc[0]
        points.append(
            t(
                "pres.summary.top_area",
                lang,
                name=top[f"name_{lang}"],
                n=fmt_int(top["projects"], lang),
            )
        )
    cities = agg.top_cities(view, n=1)
    if not cities.empty:
        points.append(
            t(
                "pres.summary.top_city",
                lang,
                name=cities.iloc[0][f"name_{lang}"],
                n=fmt_int(cities.iloc[0]["projects"], lang),
            )
        )
    years = agg.by_year(view)
    if not years.empty and years["projects"].sum() > 0:
        per_year = years.groupby("year")["projects"].sum()
        points.append(
            t(
                "pres.summary.top_year",
                lang,
                year=int(per_year.idxmax()),
                n=fmt_int(per_year.max(), lang),
            )
        )
    lines = [f"{label}: {value}" for label, value in numbers] + points
    return Slide(
        key="summary",
        title=slide_label("summary", lang),
        figures=numbers,
        lines=tuple(points),
        notes=_notes("", lines, lang),
        footer=footer,
        illustrative=view.registry.illustrative,
    )


_BUILDERS = {
    "map": _map_slide,
    "countries": _countries_slide,
    "areas": _areas_slide,
    "years": _years_slide,
    "top_cities": _top_cities_slide,
    "summary": _summary_slide,
}


def selected_keys(include: Iterable[str] | None) -> list[str]:
    """The chosen slide keys in presentation order (unknown keys dropped; None = all)."""
    if include is None:
        return list(SLIDE_KEYS)
    chosen = set(include)
    return [k for k in SLIDE_KEYS if k in chosen]


def make_slide(key: str, view: View, lang: str, today: date | None = None) -> Slide:
    """One slide of the view (the page builds only the slide on screen)."""
    footer = footer_lines(view.registry, view.filter, lang, key in PROJECT_SLIDES)
    if key == "title":
        return _title_slide(view, lang, today or date.today(), footer)
    if key not in _BUILDERS:
        raise KeyError(key)
    return _BUILDERS[key](view, lang, footer)


def build_slides(
    view: View, lang: str, include: Iterable[str] | None = None, today: date | None = None
) -> list[Slide]:
    """Every chosen slide of the view, in presentation order."""
    return [make_slide(k, view, lang, today) for k in selected_keys(include)]


def deck_filename(lang: str, today: date, ext: str) -> str:
    return f"mag_presentation_{lang}_{today.isoformat()}.{ext}"


# --- images ------------------------------------------------------------------------------------


def render_images(
    slides: Sequence[Slide],
    progress: Progress | None = None,
    renderer: render.Renderer | None = None,
    steps: int | None = None,
) -> tuple[dict[str, bytes], list[float]]:
    """PNG of every chart slide (by key) and the seconds each took; raises RendererUnavailable."""
    renderer = renderer or render.default_renderer()
    charts_ = [s for s in slides if s.figure is not None]
    total = steps or len(charts_)
    images: dict[str, bytes] = {}
    seconds: list[float] = []
    for i, slide in enumerate(charts_, start=1):
        if progress:
            progress(i - 1, total, slide.title)
        start = time.perf_counter()
        assert slide.figure is not None
        images[slide.key] = renderer.image(
            slide.figure, "png", IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_SCALE
        )
        seconds.append(time.perf_counter() - start)
    return images, seconds


# --- PowerPoint --------------------------------------------------------------------------------


def _rgb(hex_color: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _textbox(
    slide: Any,
    left: float,
    top: float,
    width: float,
    height: float,
    paragraphs: Sequence[tuple[str, float, bool, str]],
    align: Any = None,
    anchor: Any = None,
) -> Any:
    """A text box; ``paragraphs`` is a list of (text, size pt, bold, colour)."""
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor or MSO_ANCHOR.TOP
    for i, (text, size, bold, color) in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            p.alignment = align
        run = p.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = FONT_NAME
        run.font.color.rgb = _rgb(color)
    return box


def _set_title(slide: Any, text: str, size: int = 34) -> None:
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    title = slide.shapes.title
    title.left, title.top = Inches(MARGIN), Inches(TITLE_TOP)
    title.width, title.height = Inches(BODY_W), Inches(TITLE_H)
    frame = title.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.text = text
    p = frame.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    for run in p.runs:
        run.font.size = Pt(size)
        run.font.bold = True
        run.font.name = FONT_NAME
        run.font.color.rgb = _rgb(TEXT)


def _footer(slide: Any, spec: Slide, number: int, total: int) -> None:
    from pptx.enum.text import PP_ALIGN

    paragraphs = []
    for line in spec.footer:
        warn = spec.illustrative and line == spec.footer[0]
        paragraphs.append((line, 12, warn, WARN if warn else MUTED))
    _textbox(slide, MARGIN, FOOTER_TOP, BODY_W - 1.0, FOOTER_H, paragraphs)
    _textbox(
        slide,
        SLIDE_W - MARGIN - 1.0,
        FOOTER_TOP,
        1.0,
        FOOTER_H,
        [(f"{number} / {total}", 14, True, MUTED)],
        align=PP_ALIGN.RIGHT,
    )


def _rule(slide: Any) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    bar = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Inches(MARGIN), Inches(RULE_TOP), Inches(BODY_W), Inches(0.05)
    )
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(ACCENT)
    bar.line.fill.background()


def _tile_size(value: str) -> int:
    """Point size of a headline number: long ones (population) smaller, so they fit a tile."""
    return 36 if len(value) <= 7 else 28


def _number_tiles(slide: Any, numbers: Sequence[tuple[str, str]], top: float) -> None:
    from pptx.enum.text import PP_ALIGN

    n = max(1, len(numbers))
    gap = 0.25
    width = (BODY_W - gap * (n - 1)) / n
    for i, (label, value) in enumerate(numbers):
        left = MARGIN + i * (width + gap)
        _textbox(
            slide,
            left,
            top,
            width,
            1.6,
            [(value, _tile_size(value), True, ACCENT), (label, 16, False, MUTED)],
            align=PP_ALIGN.CENTER,
        )


def write_pptx(slides: Sequence[Slide], images: dict[str, bytes], lang: str) -> bytes:
    """A 16:9 PowerPoint: title, chart picture (with alt text), footer, speaker notes."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    prs.core_properties.title = t("app.assembly", lang)
    prs.core_properties.language = lang
    layout = prs.slide_layouts[5]  # "Title Only": the title stays a real title placeholder
    total = len(slides)
    for number, spec in enumerate(slides, start=1):
        slide = prs.slides.add_slide(layout)
        for ph in list(slide.placeholders):
            if ph.placeholder_format.idx != 0:  # date/footer/number placeholders: unused
                ph._element.getparent().remove(ph._element)
        if spec.key == "title":
            _set_title(slide, spec.title, size=40)
            slide.shapes.title.top = slide.shapes.title.top + Inches(1.6)
            slide.shapes.title.height = Inches(1.6)
            _textbox(slide, MARGIN, 3.9, BODY_W, 0.7, [(spec.subtitle, 24, False, ACCENT)])
            _textbox(slide, MARGIN, 4.7, BODY_W, 1.6, [(x, 20, False, TEXT) for x in spec.lines])
        else:
            _set_title(slide, spec.title)
            _rule(slide)
            if spec.key in images:
                pic = slide.shapes.add_picture(
                    io.BytesIO(images[spec.key]), Inches(MARGIN), Inches(BODY_TOP), Inches(BODY_W)
                )
                pic._element.nvPicPr.cNvPr.set("descr", spec.alt)
            if spec.figures:
                _number_tiles(slide, spec.figures, BODY_TOP + 0.4)
            if spec.lines:
                top = BODY_TOP + (2.4 if spec.figures else 0.3)
                _textbox(
                    slide,
                    MARGIN,
                    top,
                    BODY_W,
                    FOOTER_TOP - top - 0.1,
                    [(f"• {x}", 22, False, TEXT) for x in spec.lines],
                )
        _footer(slide, spec, number, total)
        slide.notes_slide.notes_text_frame.text = spec.notes
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------

PDF_DPI = 180  # 13.33 in × 180 = 2400 px: the chart images are placed 1:1
FONT_FILES = (
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)


class PdfUnavailable(RuntimeError):
    """The PDF cannot be drawn here (no font with Cyrillic letters)."""


def _font_files() -> tuple[str, str]:
    for regular, bold in FONT_FILES:
        if Path(regular).is_file() and Path(bold).is_file():
            return regular, bold
    fc = shutil.which("fc-match")
    if fc:
        found = []
        for style in ("sans-serif:lang=ru", "sans-serif:lang=ru:bold"):
            out = subprocess.run(
                [fc, "-f", "%{file}", style], capture_output=True, text=True, timeout=10
            )
            found.append(out.stdout.strip())
        if all(found) and all(Path(x).is_file() for x in found):
            return found[0], found[1]
    raise PdfUnavailable("no TrueType font with Cyrillic letters (install fonts-dejavu-core)")


@functools.lru_cache(maxsize=32)
def _font(path: str, size_px: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(path, size_px)


def _px(inches: float) -> int:
    return round(inches * PDF_DPI)


def _pt(points: float) -> int:
    return round(points * PDF_DPI / 72)


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    # Split on plain spaces only: Russian numbers group digits with no-break spaces.
    words, lines, line = text.split(" "), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines or [""]


def _draw_text(
    draw: Any,
    fonts: tuple[str, str],
    x: float,
    y: int,
    width: int,
    text: str,
    size: float,
    bold: bool,
    color: str,
    align: str = "left",
) -> int:
    """Draw wrapped text; return the y below it (pixels)."""
    font = _font(fonts[1] if bold else fonts[0], _pt(size))
    line_h = round(_pt(size) * 1.2)
    for line in _wrap(draw, text, font, width):
        dx = 0.0
        if align == "center":
            dx = (width - draw.textlength(line, font=font)) / 2
        elif align == "right":
            dx = width - draw.textlength(line, font=font)
        draw.text((x + dx, y), line, font=font, fill=color)
        y += line_h
    return int(y)


def _pdf_page(
    spec: Slide, image: bytes | None, number: int, total: int, fonts: tuple[str, str]
) -> Any:
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (_px(SLIDE_W), _px(SLIDE_H)), "#ffffff")
    draw = ImageDraw.Draw(page)
    left, width = _px(MARGIN), _px(BODY_W)
    if spec.key == "title":
        y = _draw_text(draw, fonts, left, _px(2.0), width, spec.title, 40, True, TEXT)
        y = _draw_text(draw, fonts, left, y + _px(0.3), width, spec.subtitle, 24, False, ACCENT)
        for line in spec.lines:
            y = _draw_text(draw, fonts, left, y + _px(0.2), width, line, 20, False, TEXT)
    else:
        _draw_text(draw, fonts, left, _px(TITLE_TOP + 0.15), width, spec.title, 34, True, TEXT)
        draw.rectangle(
            [left, _px(RULE_TOP), left + width, _px(RULE_TOP + 0.05)], fill=ACCENT, width=0
        )
        if image is not None:
            chart = Image.open(io.BytesIO(image)).convert("RGB")
            if chart.width != width:
                chart = chart.resize((width, round(chart.height * width / chart.width)))
            page.paste(chart, (left, _px(BODY_TOP)))
        y = _px(BODY_TOP + 0.4)
        if spec.figures:
            n = len(spec.figures)
            gap = _px(0.25)
            tile = (width - gap * (n - 1)) // n
            for i, (label, value) in enumerate(spec.figures):
                x = left + i * (tile + gap)
                size = _tile_size(value)  # smaller numbers sit on the same baseline
                _draw_text(
                    draw, fonts, x, y + _pt(36 - size), tile, value, size, True, ACCENT, "center"
                )
                below = y + round(_pt(36) * 1.2)
                _draw_text(draw, fonts, x, below, tile, label, 16, False, MUTED, "center")
            y = _px(BODY_TOP + 2.7)
        for line in spec.lines:
            y = _draw_text(draw, fonts, left, y, width, f"• {line}", 22, False, TEXT) + _px(0.05)
    y = _px(FOOTER_TOP + 0.05)
    for i, line in enumerate(spec.footer):
        warn = spec.illustrative and i == 0
        y = _draw_text(
            draw, fonts, left, y, width - _px(1.0), line, 12, warn, WARN if warn else MUTED
        )
    _draw_text(
        draw,
        fonts,
        left + width - _px(1.0),
        _px(FOOTER_TOP + 0.05),
        _px(1.0),
        f"{number} / {total}",
        14,
        True,
        MUTED,
        "right",
    )
    return page


def write_pdf(slides: Sequence[Slide], images: dict[str, bytes], lang: str) -> bytes:
    """The same deck as a PDF: one 13.33×7.5 in page per slide at 180 dpi (JPEG quality 92,
    no chroma subsampling, so text stays crisp). Raises PdfUnavailable without a usable font."""
    fonts = _font_files()
    total = len(slides)
    pages = [
        _pdf_page(spec, images.get(spec.key), i, total, fonts)
        for i, spec in enumerate(slides, start=1)
    ]
    buffer = io.BytesIO()
    pages[0].save(
        buffer,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=PDF_DPI,
        quality=92,
        subsampling=0,
        title=t("app.assembly", lang),
        creator="MAG dashboard",
    )
    return buffer.getvalue()


# --- the whole deck ----------------------------------------------------------------------------


def build_files(
    registry: Registry,
    filter: Filter,
    lang: str,
    include: Iterable[str] | None = None,
    *,
    pdf: bool = True,
    today: date | None = None,
    progress: Progress | None = None,
    renderer: render.Renderer | None = None,
    view: View | None = None,
) -> DeckFiles:
    """Slides → chart images (one renderer, warm) → PPTX and, if asked, PDF.

    Raises ``render.RendererUnavailable`` when there is no browser to draw the charts with; a
    PDF that cannot be drawn is reported in ``pdf_error`` while the PPTX is still returned."""
    start = time.perf_counter()
    renderer = renderer or render.default_renderer()
    renderer.start()  # fail fast (no browser) before any work; a no-op when already running
    view = view if view is not None else apply_filter(registry, filter)
    slides = build_slides(view, lang, include, today)
    n_charts = sum(s.figure is not None for s in slides)
    steps = n_charts + 1 + int(pdf)
    timings = {"slides": time.perf_counter() - start}
    mark = time.perf_counter()
    images, seconds = render_images(slides, progress, renderer, steps)
    timings["images"] = time.perf_counter() - mark
    if progress:
        progress(n_charts, steps, "PowerPoint")
    mark = time.perf_counter()
    pptx = write_pptx(slides, images, lang)
    timings["pptx"] = time.perf_counter() - mark
    pdf_bytes, pdf_error = None, None
    if pdf:
        if progress:
            progress(n_charts + 1, steps, "PDF")
        mark = time.perf_counter()
        try:
            pdf_bytes = write_pdf(slides, images, lang)
        except (PdfUnavailable, OSError) as error:
            pdf_error = str(error)
        timings["pdf"] = time.perf_counter() - mark
    if progress:
        progress(steps, steps, "")
    return DeckFiles(
        pptx=pptx,
        pdf=pdf_bytes,
        pdf_error=pdf_error,
        slides=len(slides),
        image_seconds=tuple(seconds),
        seconds=time.perf_counter() - start,
        timings=timings,
    )


def build_deck(
    registry: Registry,
    filter: Filter,
    lang: str,
    include: Iterable[str] | None = None,
    *,
    fmt: str = "pptx",
    today: date | None = None,
    progress: Progress | None = None,
    renderer: render.Renderer | None = None,
) -> bytes:
    """The deck of a view as ``.pptx`` (default) or ``.pdf`` bytes (benchmarks call this)."""
    if fmt not in ("pptx", "pdf"):
        raise ValueError(f"unknown deck format {fmt!r}")
    files = build_files(
        registry,
        filter,
        lang,
        include,
        pdf=fmt == "pdf",
        today=today,
        progress=progress,
        renderer=renderer,
    )
    if fmt == "pptx":
        return files.pptx
    if files.pdf is None:
        raise PdfUnavailable(files.pdf_error or "PDF not built")
    return files.pdf
