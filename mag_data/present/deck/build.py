"""The whole deck: slides → chart images (one warm renderer) → PowerPoint and PDF bytes,
with the progress and the time each step took."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from mag_data.present import render
from mag_data.present.deck.layout import IMAGE_HEIGHT, IMAGE_SCALE, IMAGE_WIDTH
from mag_data.present.deck.pdf_file import PdfUnavailable, write_pdf
from mag_data.present.deck.pptx_file import write_pptx
from mag_data.present.deck.slides import Slide, build_slides
from mag_data.query.filters import Filter, View, apply_filter
from mag_data.register.registry import Registry

Progress = Callable[[int, int, str], None]


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
