"""The PDF file: each slide drawn as a 180 dpi page with Pillow, with a system TrueType font
that has Cyrillic letters (``PdfUnavailable`` without one)."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
