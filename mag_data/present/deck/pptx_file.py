"""The PowerPoint file (python-pptx, imported only when a deck is written): a title
placeholder, the chart picture with its alt text, number tiles, footer and speaker notes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from mag_data.i18n import t
from mag_data.present.deck.layout import (
    ACCENT,
    BODY_TOP,
    BODY_W,
    FONT_NAME,
    FOOTER_H,
    FOOTER_TOP,
    MARGIN,
    MUTED,
    RULE_TOP,
    SLIDE_H,
    SLIDE_W,
    TEXT,
    TITLE_H,
    TITLE_TOP,
    WARN,
    _tile_size,
)
from mag_data.present.deck.slides import Slide


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
