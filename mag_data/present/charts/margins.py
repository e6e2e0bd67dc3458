"""Margins large enough before the browser measures: what saves plotly.js a second drawing.

plotly.js lets axis labels, legends and colour bars push a figure's margins (``automargin``):
it draws the chart, measures the labels and, when a margin must grow, draws the whole chart
again. With the 10 px margins a figure used to ask for, every bar chart and heat map here was
drawn twice in the browser, on every filter click (in Chromium, 55–170 ms per chart instead of
35–95 ms; docs/BENCHMARKS.md, "Click to chart"). ``fit_margins`` estimates from the texts what
the labels will need, with the widths of DejaVu Sans (wider than Arial for almost every letter,
``text_widths.json``), so that the margins asked for are already enough: plotly keeps them and
draws once. ``automargin`` stays on: a label the estimate missed still pushes its margin (one
more drawing, never a cut label).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_WIDTHS = Path(__file__).with_name("text_widths.json")
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
LINE_HEIGHT = 1.3  # a line of text, in em of its font
SAFETY = 1.06  # the estimate is raised by this much (hinting and kerning differ by browser)
TICK_GAP = 18  # px between an axis and its tick labels, and beside them
TITLE_GAP = 15  # px of the template's axis-title standoff
LEGEND_EXTRA = 60  # px of a legend beside the plot besides its longest name (symbol, padding)
LEGEND_ITEM_EXTRA = 46  # px of an item of a legend in rows besides its name (symbol, gap)
# A legend in rows under the plot wraps by the figure's width, which the figure does not know:
# its rows are counted for a half-width chart on a 1920 px screen (narrower ones may push).
NOMINAL_WIDTH = 700
COLORBAR_PX = 30 + 12  # thickness and padding of a colour bar (its ticks and title come on top)
MAX_MARGIN_SHARE = 0.45  # never ask for more than this share of a 1,000 px figure on one side


@functools.cache
def _table() -> tuple[dict[str, float], float]:
    data = json.loads(_WIDTHS.read_text(encoding="utf-8"))
    return {k: float(v) for k, v in data["em"].items()}, float(data["default"])


def text_px(text: object, size: float) -> float:
    """Estimated width in px of ``text`` at ``size`` px: the longest of its ``<br>`` lines,
    markup tags not counted, an entity (``&lt;``) as one character."""
    em, default = _table()
    widest = 0.0
    for line in re.split(r"<br\s*/?>", str(text)):
        plain = _ENTITY.sub("&", _TAG.sub("", line))
        widest = max(widest, sum(em.get(ch, default) for ch in plain))
    return widest * size * SAFETY


def _lines(text: object) -> int:
    return len(re.split(r"<br\s*/?>", str(text)))


def _widest(labels: Iterable[object], size: float) -> float:
    return max((text_px(label, size) for label in labels), default=0.0)


def _title_text(axis: dict[str, Any]) -> str:
    title = axis.get("title")
    if isinstance(title, dict):
        return str(title.get("text") or "")
    return str(title or "")


def _texts(values: Any) -> list[Any]:
    """The values of a category axis (all text), or [] for numbers, dates or nothing."""
    if values is None or not len(values) or not all(isinstance(v, str) for v in values):
        return []
    return list(values)


def _number_px(values: Iterable[Any], size: float) -> float:
    """The width of the longest tick label of a count axis: the largest value with its
    thousands groups (``1 234``), a digit more for a rounded-up top tick."""
    top = max((abs(float(v)) for v in values if v is not None and v == v), default=0.0)
    digits = len(f"{int(top):,}") + 1
    return digits * 0.64 * size * SAFETY


def fit_margins(data: list[dict[str, Any]], layout: dict[str, Any], font_size: float) -> dict:
    """The l/r/b margins (px) the labels of this one-plot figure need, as estimated from its
    texts; {} for a figure this does not know how to read (several subplots, no axes)."""
    if any(key in layout for key in ("xaxis2", "yaxis2", "grid", "geo2")):
        return {}
    need: dict[str, float] = {}
    kinds = {trace.get("type") for trace in data}
    cartesian = bool(kinds) and kinds <= {"bar", "heatmap", "scatter"}
    if cartesian:
        need.update(_axes_need(data, layout, font_size))
    legend = layout.get("legend") or {}
    legend_size = float((legend.get("font") or {}).get("size") or font_size)
    named = [t for t in data if t.get("showlegend", True) and t.get("name")]
    shown = len(named) > 1 or any(t.get("showlegend") is True for t in named)
    beside = legend.get("orientation", "v") == "v" and float(legend.get("x", 1.02)) >= 1.0
    if "pie" in kinds and beside:
        labels = [label for t in data if t.get("type") == "pie" for label in t.get("labels", [])]
        need["r"] = _widest(labels, legend_size) + LEGEND_EXTRA
    elif beside and shown:
        need["r"] = _widest((t["name"] for t in named), legend_size) + LEGEND_EXTRA
    elif legend.get("orientation") == "h" and shown and float(legend.get("y", 1.0)) <= 0.0:
        rows = _legend_rows([text_px(t["name"], legend_size) for t in named])
        need["b"] = need.get("b", 0.0) + rows * legend_size * LINE_HEIGHT + 12
    for trace in data:
        if trace.get("type") in ("heatmap", "choropleth") and trace.get("showscale", True):
            bar = trace.get("colorbar") or {}
            title = bar.get("title") or {}
            ticks = _number_px([trace.get("zmax") or 0, *_flat(trace.get("z"))], font_size)
            text = text_px(title.get("text", ""), font_size)
            if title.get("side") == "right":
                width = ticks + font_size * LINE_HEIGHT + 8
            else:
                width = max(ticks, text)
            # plotly's default place is 2 % of the plot's width right of it (up to 30 px).
            offset = 0.0 if "x" in bar else 30.0
            need["r"] = max(need.get("r", 0.0), COLORBAR_PX + width + offset)
    cap = 1000 * MAX_MARGIN_SHARE
    return {side: math.ceil(min(px, cap)) for side, px in need.items()}


def _legend_rows(widths: list[float]) -> int:
    """Rows of a legend in rows at ``NOMINAL_WIDTH`` for items of these text widths."""
    rows, used = 1, 0.0
    for width in widths:
        item = width + LEGEND_ITEM_EXTRA
        if used and used + item > NOMINAL_WIDTH - 20:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _flat(values: Any) -> list[float]:
    if values is None:
        return []
    out: list[float] = []
    for row in values:
        if isinstance(row, (list, tuple)) or hasattr(row, "__len__"):
            out.extend(float(v) for v in row if v is not None and v == v)
        elif row is not None and row == row:
            out.append(float(row))
    return out


def _axes_need(data: list[dict[str, Any]], layout: dict[str, Any], size: float) -> dict:
    """Left and bottom margins for the tick labels and titles of the x and y axes."""
    xaxis, yaxis = layout.get("xaxis") or {}, layout.get("yaxis") or {}
    y_labels: list[Any] = []
    x_labels: list[Any] = []
    for trace in data:
        x, y = _texts(trace.get("x")), _texts(trace.get("y"))
        if trace.get("type") == "bar" and trace.get("orientation") == "h":
            y_labels += y
        elif trace.get("type") == "heatmap":
            y_labels += y
            x_labels += x
        else:  # vertical bars, points: categories on y too (a timeline's kinds)
            x_labels += x
            y_labels += y
    need: dict[str, float] = {}
    if yaxis.get("visible", True) is not False:
        ysize = float((yaxis.get("tickfont") or {}).get("size") or size)
        width = _widest(y_labels, ysize) if y_labels else _number_px(_stacked(data), ysize)
        title = _title_text(yaxis)
        need["l"] = width + TICK_GAP + (size * LINE_HEIGHT + TITLE_GAP if title else 0)
    if xaxis.get("visible", True) is not False:
        xsize = float((xaxis.get("tickfont") or {}).get("size") or size)
        angle = abs(float(xaxis.get("tickangle") or 0))
        height = xsize * LINE_HEIGHT * max((_lines(label) for label in x_labels), default=1)
        if x_labels and angle:
            height = _widest(x_labels, xsize) * math.sin(math.radians(angle)) + xsize
        title = _title_text(xaxis)
        need["b"] = height + TICK_GAP + (size * LINE_HEIGHT + TITLE_GAP if title else 0)
    return need


def _stacked(data: list[dict[str, Any]]) -> list[float]:
    """The values a count axis must reach: per position, the sum over stacked traces."""
    totals: dict[Any, float] = {}
    for trace in data:
        positions = trace.get("x") if trace.get("orientation") != "h" else trace.get("y")
        values = trace.get("y") if trace.get("orientation") != "h" else trace.get("x")
        if values is None:
            continue
        if positions is None:
            positions = range(len(values))
        for p, v in zip(positions, values, strict=False):
            number = isinstance(v, (int, float)) or hasattr(v, "dtype")
            if number and v == v:  # not text, not NaN
                key = p.item() if hasattr(p, "item") else p
                totals[key] = totals.get(key, 0.0) + float(v)
    return list(totals.values())
