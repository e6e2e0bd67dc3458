"""The common part of every chart: the template, font and look (``_style``), the one figure
constructor without validation (``_figure``), axis, legend and text helpers, the empty figure."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from mag_data.i18n import PLOTLY_SEPARATORS, fmt_int, t
from mag_data.present.charts.margins import fit_margins

Trace = dict[str, Any]
Layout = dict[str, Any]
Frame: TypeAlias = "pd.DataFrame | None"

# A character plotly.js reads as markup in labels, hover cards, titles and annotations
# (``<a href>``, ``<span style>``, ``<b>``, ``<br>``) or as the start of an entity (``&``).
_MARKUP = ("<", ">", "&")
WARN_COLOR = "#9a3412"  # the illustrative-data mark (as on the slides' footer)
MUTED_COLOR = "#5b6470"

FONT_SIZE = 16
# Tick labels, set on every axis (not in the template, which Streamlit's chart theme rewrites to
# 12 px): one size in the app and in exported images, and the size the margins are fitted to.
TICK_FONT_SIZE = 14
FONT = dict(family="Arial, 'Helvetica Neue', sans-serif", size=FONT_SIZE, color="#1b1f24")
# plotly_white's layout part only, without the parts no chart here uses (3-D scenes, polar and
# ternary axes, default shapes, default colour scales: every coloured chart names its scale):
# every figure carries and copies the template, so what is left out is not paid for on every
# rerun. Validated once here; figures carry its plain-dict form.
_UNUSED_TEMPLATE_PARTS = ("scene", "polar", "ternary", "shapedefaults", "colorscale")
TEMPLATE = go.layout.Template(
    layout={
        key: value
        for key, value in pio.templates["plotly_white"].layout.to_plotly_json().items()
        if key not in _UNUSED_TEMPLATE_PARTS
    }
)
_TEMPLATE_JSON: dict[str, Any] = TEMPLATE.to_plotly_json()


def _figure(data: list[Trace], layout: Layout) -> go.Figure:
    """The one place a figure is made: plain dicts in, no property validation (see the package
    docstring; the unit tests validate every builder's output instead). The figure keeps that
    setting: a caller's later ``update_layout`` is not validated either."""
    return go.Figure(data=data, layout=layout, _validate=False)


def plain(text: object) -> str:
    """Text from the register (a name, title, source) as plain text inside a figure: the
    characters plotly.js reads as markup become entities, which it draws as the characters
    themselves. Our own texts (``t(...)``) are not passed through here, so their ``<br>`` stays."""
    value = str(text)
    if "<" in value or ">" in value or "&" in value:
        return html.escape(value, quote=False)
    return value


def plain_all(values: Iterable[object] | np.ndarray | pd.Series) -> np.ndarray:
    """``plain`` of every value, as an array of ``str``: one scan when nothing needs escaping
    (the usual case), so a map of 1,500 cities pays microseconds."""
    array = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    array = np.asarray(array, dtype=object)
    if not all(type(v) is str for v in array):
        array = np.asarray([str(v) for v in array], dtype=object)
    if not len(array):
        return array
    joined = "\x00".join(array)
    if "<" not in joined and ">" not in joined and "&" not in joined:
        return array
    return np.asarray([plain(v) for v in array], dtype=object)


def t_plain(key: str, lang: str, **params: Any) -> str:
    """``t`` with every text parameter made plain (our template's own markup is kept)."""
    return t(key, lang, **{k: plain(v) if isinstance(v, str) else v for k, v in params.items()})


def wrap(text: str, width: int) -> str:
    """Our own text broken into lines of about ``width`` characters with ``<br>`` (plotly
    neither wraps annotations nor titles: a long line is cut at the edge of a narrow chart)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


# A chart title longer than this many characters is drawn on two (or more) lines. A Cyrillic
# letter counts as 1.2 (in the bold Source Sans Streamlit draws titles in, Russian runs about a
# fifth wider than English): 38 such characters of 20 px type fit the 358 px of a chart on a
# 390 px phone, the narrowest chart on any page. plotly does not wrap titles, and the figure
# does not know the screen, so the same title wraps at every size (and in exported images).
TITLE_WIDTH = 38
_TAG = re.compile(r"<[^>]*>")
TITLE_LINE_PX = 26  # a line of the 20 px title
SUBTITLE_LINE_PX = 17  # a line of the 13 px subtitle
TITLE_TOP_PX = 30  # from the top of the figure to the title (below the modebar)


def _visible_width(text: str) -> float:
    """The width of a piece of title text in characters of the budget above: markup tags do not
    count, an entity (register text made plain: ``&amp;``) counts as the one character it is."""
    shown = html.unescape(_TAG.sub("", text))
    return len(shown) + 0.2 * sum(1 for ch in shown if "\u0400" <= ch <= "\u04ff")


def _greedy(words: Sequence[str], width: float) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and _visible_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _balanced(text: str, width: float) -> list[str]:
    """``text`` in as few lines of at most ``width`` as words allow, the lines as even as
    possible (no «…на» / «карте» with one word left over): the narrowest width that still needs
    no more lines than a greedy fill of ``width``."""
    words = text.split()
    lines = _greedy(words, width)
    if len(lines) < 2:
        return lines
    low = max(_visible_width(w) for w in words)
    for narrower in np.arange(low, width, 0.5):
        candidate = _greedy(words, float(narrower))
        if len(candidate) == len(lines):
            return candidate
    return lines


def title_lines(title: str, width: float = TITLE_WIDTH) -> str:
    """A chart title that fits ``width`` (see ``TITLE_WIDTH``): a longer one is broken with
    ``<br>`` between words, after its colon when the part before it fits on a line («Сеть
    сотрудничества:<br>городов — 85, связей — 979»), else into lines of even length. A ``<br>``
    already in the title stays; entities and tags are never split (they hold no spaces)."""
    lines: list[str] = []
    for part in title.split("<br>"):
        if _visible_width(part) <= width:
            lines.append(part)
            continue
        head, colon, rest = part.partition(": ")
        if colon and rest and _visible_width(head + ":") <= width:
            lines += [head + ":", *_balanced(rest, width)]
        else:
            lines += _balanced(part, width)
    return "<br>".join(lines)


def wrap_label(text: str, width: int = 15) -> str:
    """A category label (already ``plain``) on lines of about ``width`` characters, broken at
    spaces and after hyphens («Гуманитарно-<br>культурное<br>сотрудничество»): a long label
    beside a bar would otherwise take most of a phone's chart."""
    lines: list[str] = []
    for word in text.split():
        for i, part in enumerate(re.split(r"(?<=-)(?=\w)", word)):
            glue = "" if i else " "  # the pieces of one hyphenated word join without a space
            if lines and len(lines[-1]) + len(glue) + len(part) <= width:
                lines[-1] += glue + part
            else:
                lines.append(part)
    return "<br>".join(lines)


def _subtitle(lang: str, illustrative: bool) -> str:
    """The line under every chart title: the source and, for charts of the illustrative project
    register, that mark on a line of its own (so a chart image keeps both wherever it is pasted;
    on one line they are wider than a chart on a phone)."""
    parts = [t("chart.source", lang)]
    if illustrative:
        parts.append(
            f"<span style='color:{WARN_COLOR}'><b>{t('chart.illustrative', lang)}</b></span>"
        )
    return "<br>".join(parts)


_AXIS_KEY = re.compile(r"[xy]axis\d*")


def _style(
    data: list[Trace],
    layout: Layout,
    title: str,
    lang: str,
    alt: str,
    height: int = 480,
    illustrative: bool = False,
    meta: dict[str, Any] | None = None,
) -> go.Figure:
    """The figure with the common look: title with the source (and the illustrative-data mark
    for charts of project figures, ``illustrative``) under it, template, font, separators,
    margins, legend font, a hover card large enough for a projector, alt text (``layout`` is
    the builder's own part; it is not changed). ``title`` is ours (plain text, may hold
    ``<br>``); register text in it must have gone through ``plain``."""
    margin = layout.get("margin", {})
    axes = {
        key: {**value, "tickfont": {"size": TICK_FONT_SIZE, **value.get("tickfont", {})}}
        for key, value in layout.items()
        if _AXIS_KEY.fullmatch(key) and isinstance(value, dict)
    }
    # Margins the labels will need, asked for up front: plotly.js then draws the chart once.
    fitted = fit_margins(data, {**layout, **axes}, FONT_SIZE)
    title = title_lines(title)
    # The title hangs from the top of the figure, the subtitle under it: each line beyond the
    # first of either adds its height to the top margin, and the gaps stay as they are.
    extra = TITLE_LINE_PX * title.count("<br>") + SUBTITLE_LINE_PX * illustrative
    return _figure(
        data,
        {
            **layout,
            **axes,
            "title": dict(
                text=title,
                x=0.01,
                xanchor="left",
                yref="container",
                y=1.0,
                yanchor="top",
                # plotly moves a title of n lines up by half of its n - 1 extra lines.
                pad=dict(t=TITLE_TOP_PX + TITLE_LINE_PX * title.count("<br>") // 2),
                font=dict(size=20),
                subtitle=dict(
                    text=_subtitle(lang, illustrative), font=dict(size=13, color=MUTED_COLOR)
                ),
            ),
            "hoverlabel": dict(font=dict(size=17, family=FONT["family"]), align="left"),
            "template": _TEMPLATE_JSON,
            "font": FONT,
            "separators": PLOTLY_SEPARATORS[lang],
            "height": height,
            # A builder that put its legend on top has already asked for a taller top margin.
            "margin": dict(
                l=max(10, fitted.get("l", 0)),
                r=max(10, fitted.get("r", 0)),
                t=(margin.get("t") or 60) + 22 + extra,
                b=max(margin.get("b") or 10, fitted.get("b", 0)),
            ),
            "legend": {**layout.get("legend", {}), "font": dict(size=14)},
            "meta": {"alt": alt, "illustrative": illustrative, **(meta or {})},
        },
    )


def alt_text(fig: go.Figure) -> str:
    """The screen-reader description stored on a figure by its builder."""
    meta = fig.layout.meta
    return str(meta.get("alt", "")) if isinstance(meta, dict) else ""


def _axis(title: str | None = None, **props: Any) -> dict[str, Any]:
    """An axis (or subplot) dict: its title text, if any (an empty title is none: plotly.js
    would keep room for it beside the tick labels), and other properties."""
    return props if not title else {"title": {"text": title}, **props}


def _integer_ticks(max_value: float) -> dict[str, Any]:
    """Axis properties for counts: whole-number ticks (no 0,5 projects), thousands grouped."""
    if max_value <= 10:
        return dict(tick0=0, dtick=1, tickformat=",d")
    return dict(tickformat=",d")


def _text(column: pd.Series) -> np.ndarray:
    """An id or label column as an array of ``str`` (one conversion, whatever the dtype)."""
    values: np.ndarray = column.to_numpy(dtype=object)
    if all(type(v) is str for v in values):
        return values
    return np.asarray([str(v) for v in values], dtype=object)


def _legend_below(y: float, **props: Any) -> dict[str, Any]:
    """A horizontal legend under the plot, left-aligned, its top at ``y`` (paper units)."""
    return dict(orientation="h", yanchor="top", y=y, x=0.0, **props)


def _corner_note(text: str, top: bool, **props: Any) -> dict[str, Any]:
    """A small left-aligned annotation in the top-left or bottom-left corner of the figure."""
    return dict(
        text=text,
        xref="paper",
        yref="paper",
        x=0.0,
        y=1.0 if top else 0.0,
        xanchor="left",
        yanchor="top" if top else "bottom",
        showarrow=False,
        align="left",
        font=dict(size=13),
        **props,
    )


def _top_phrase(names: Sequence[str], values: Sequence[float], lang: str, n: int = 3) -> str:
    pairs = [f"{name} ({fmt_int(v, lang)})" for name, v in zip(names[:n], values[:n], strict=False)]
    return ", ".join(pairs)


def _link_width_class(weights: np.ndarray) -> np.ndarray:
    """Width class 1..5 of links by shared projects (log scale), on the map and the network."""
    classes: np.ndarray = np.minimum(
        np.ceil(np.log2(np.asarray(weights, dtype=float) + 1)).astype(int), 5
    )
    return classes


def _segments(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Line segments as one array (start, end, gap, start, end, gap…) for a single trace."""
    start = np.asarray(start, dtype=float)
    return np.column_stack(
        [start, np.asarray(end, dtype=float), np.full(len(start), np.nan)]
    ).ravel()


def _link_lines(
    trace_type: str,
    a: pd.DataFrame | dict[str, np.ndarray],
    b: pd.DataFrame | dict[str, np.ndarray],
    sel: np.ndarray,
    **props: Any,
) -> Trace:
    """The links ``sel`` as line segments in one trace, without hover; ``a`` and ``b`` hold the
    positions of the links' two ends in columns named as the trace's (lat/lon or x/y)."""
    ends = {c: _segments(np.asarray(a[c])[sel], np.asarray(b[c])[sel]) for c in a}
    return dict(type=trace_type, **ends, mode="lines", hoverinfo="skip", **props)


def note_figure(
    text: str, lang: str, title: str, alt: str, height: int = 300, illustrative: bool = False
) -> go.Figure:
    """A figure that says something in words instead of drawing (nothing to show, or a chart
    that would mean nothing for the filter, such as one bar for one country). ``text`` is ours
    (register text in it made plain); it is wrapped so it fits a half-width column."""
    note = dict(
        text=wrap(text, 46),
        showarrow=False,
        font=dict(size=17),
        align="center",
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
    )
    layout = {"annotations": [note], "xaxis": _axis(visible=False), "yaxis": _axis(visible=False)}
    return _style([], layout, title, lang, alt, height=height, illustrative=illustrative)


def empty_figure(lang: str, title: str = "") -> go.Figure:
    """A figure that says there is nothing to show (never an empty axis)."""
    return note_figure(t("app.empty", lang), lang, title, t("app.empty", lang))
