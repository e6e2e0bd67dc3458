"""The presentation: one slide description for the page, the PowerPoint and the PDF.

``make_slide`` / ``build_slides`` (``slides``) describe the slides of a view (title, figure,
footer with source and filters, speaker notes holding the numbers behind each chart).
``write_pptx`` (``pptx_file``) and ``write_pdf`` (``pdf_file``) lay them out on the 16:9 page of
``layout`` with chart images rendered by ``render`` (kaleido and the system Chromium, offline).
``build_files`` / ``build_deck(registry, filter, lang)`` (``build``) do it all and return bytes.
No Streamlit here; this package names the API, so callers write ``deck.build_files(...)``.
"""

from __future__ import annotations

from mag_data.present.deck.build import (
    DeckFiles,
    Progress,
    build_deck,
    build_files,
    render_images,
)
from mag_data.present.deck.layout import (
    ACCENT,
    IMAGE_HEIGHT,
    IMAGE_SCALE,
    IMAGE_WIDTH,
    MUTED,
    TEXT,
    WARN,
)
from mag_data.present.deck.pdf_file import PdfUnavailable, write_pdf
from mag_data.present.deck.pptx_file import write_pptx
from mag_data.present.deck.slides import (
    PROJECT_SLIDES,
    SLIDE_KEYS,
    TOP_CITIES,
    Slide,
    build_slides,
    deck_filename,
    describe_filter,
    footer_lines,
    format_date,
    make_slide,
    presentation_figure,
    selected_keys,
    slide_label,
)

__all__ = [
    "ACCENT",
    "IMAGE_HEIGHT",
    "IMAGE_SCALE",
    "IMAGE_WIDTH",
    "MUTED",
    "PROJECT_SLIDES",
    "SLIDE_KEYS",
    "TEXT",
    "TOP_CITIES",
    "WARN",
    "DeckFiles",
    "PdfUnavailable",
    "Progress",
    "Slide",
    "build_deck",
    "build_files",
    "build_slides",
    "deck_filename",
    "describe_filter",
    "footer_lines",
    "format_date",
    "make_slide",
    "presentation_figure",
    "render_images",
    "selected_keys",
    "slide_label",
    "write_pdf",
    "write_pptx",
]
