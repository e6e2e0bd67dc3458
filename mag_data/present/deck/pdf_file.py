"""The PDF file: each slide as a page of real text (fpdf2, a system TrueType font with Cyrillic
letters embedded; ``PdfUnavailable`` without one) and the chart images, laid out on the 16:9 page
of ``layout`` as the PowerPoint is."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from mag_data.i18n import t
from mag_data.present.deck.layout import (
    ACCENT,
    BODY_TOP,
    BODY_W,
    FOOTER_TOP,
    MARGIN,
    MUTED,
    RULE_TOP,
    SLIDE_H,
    SLIDE_W,
    TEXT,
    TITLE_TOP,
    WARN,
    _tile_size,
)
from mag_data.present.deck.slides import Slide

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


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _pt(inches: float) -> float:
    return inches * 72


class _Deck:
    """The PDF being written: fpdf2 with the two font files embedded (subset) as "Sans"."""

    def __init__(self, fonts: tuple[str, str], lang: str) -> None:
        from fpdf import FPDF

        pdf = FPDF(orientation="L", unit="pt", format=(_pt(SLIDE_H), _pt(SLIDE_W)))
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.add_font("Sans", "", fonts[0])
        pdf.add_font("Sans", "B", fonts[1])
        pdf.set_title(t("app.assembly", lang))
        pdf.set_author(t("app.title", lang))
        pdf.set_creator("MAG dashboard")
        pdf.set_lang(lang)
        self.pdf = pdf

    def text(
        self,
        x: float,
        y: float,
        width: float,
        text: str,
        size: float,
        bold: bool,
        colour: str,
        align: str = "L",
    ) -> float:
        """Wrapped text at (x, y) in inches, ``size`` in points; returns the y below it."""
        pdf = self.pdf
        pdf.set_font("Sans", "B" if bold else "", size)
        pdf.set_text_color(*_rgb(colour))
        pdf.set_xy(_pt(x), _pt(y))
        pdf.multi_cell(_pt(width), size * 1.2, text, align=align, new_x="LMARGIN", new_y="NEXT")
        return float(pdf.get_y()) / 72


def _page(out: _Deck, spec: Slide, image: bytes | None, number: int, total: int) -> None:
    pdf = out.pdf
    pdf.add_page()
    left, width = MARGIN, BODY_W
    if spec.key == "title":
        y = out.text(left, 2.0, width, spec.title, 40, True, TEXT)
        y = out.text(left, y + 0.3, width, spec.subtitle, 24, False, ACCENT)
        for line in spec.lines:
            y = out.text(left, y + 0.2, width, line, 20, False, TEXT)
    else:
        out.text(left, TITLE_TOP + 0.1, width, spec.title, 34, True, TEXT)
        pdf.set_fill_color(*_rgb(ACCENT))
        pdf.rect(_pt(left), _pt(RULE_TOP), _pt(width), _pt(0.05), style="F")
        if image is not None:
            # The chart as an image, its description as the image's alternative text.
            pdf.image(
                io.BytesIO(image),
                x=_pt(left),
                y=_pt(BODY_TOP),
                w=_pt(width),
                alt_text=spec.alt or spec.title,
            )
        y = BODY_TOP + 0.4
        if spec.figures:
            n = len(spec.figures)
            gap = 0.25
            tile = (width - gap * (n - 1)) / n
            for i, (label, value) in enumerate(spec.figures):
                x = left + i * (tile + gap)
                size = _tile_size(value)  # smaller numbers sit on the same baseline
                out.text(x, y + (36 - size) / 72, tile, value, size, True, ACCENT, "C")
                out.text(x, y + 36 * 1.2 / 72, tile, label, 16, False, MUTED, "C")
            y = BODY_TOP + 2.7
        for line in spec.lines:
            y = out.text(left, y, width, f"• {line}", 22, False, TEXT) + 0.05
    y = FOOTER_TOP + 0.05
    for i, line in enumerate(spec.footer):
        warn = spec.illustrative and i == 0
        y = out.text(left, y, width - 1.0, line, 12, warn, WARN if warn else MUTED)
    out.text(
        left + width - 1.0, FOOTER_TOP + 0.05, 1.0, f"{number} / {total}", 14, True, MUTED, "R"
    )


def write_pdf(slides: Sequence[Slide], images: dict[str, bytes], lang: str) -> bytes:
    """The same deck as a PDF with real text (searchable, copyable, read aloud by a screen
    reader): one 13.33×7.5 in page per slide, the charts as images with their descriptions as
    alternative text, the font embedded (fpdf2). Raises PdfUnavailable without a usable font."""
    fonts = _font_files()
    out = _Deck(fonts, lang)
    total = len(slides)
    for i, spec in enumerate(slides, start=1):
        _page(out, spec, images.get(spec.key), i, total)
    return bytes(out.pdf.output())
