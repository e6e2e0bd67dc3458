"""The 16:9 page the PowerPoint and the PDF share: chart image size, geometry in inches,
colours and font, so that the two files and the page on screen look the same."""

from __future__ import annotations

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


def _tile_size(value: str) -> int:
    """Point size of a headline number: long ones (population) smaller, so they fit a tile."""
    return 36 if len(value) <= 7 else 28
