"""Margins fitted to the labels (``charts.margins``): large enough that plotly.js keeps them."""

from __future__ import annotations

import pytest

from mag_data.present.charts import margins


def test_text_width_is_the_sum_of_the_letters_of_the_longest_line():
    one = margins.text_px("Минск", 10)
    assert margins.text_px("Минск<br>Минск", 10) == pytest.approx(one)
    assert margins.text_px("<b>Минск</b>", 10) == pytest.approx(one)
    assert margins.text_px("Минск Минск", 10) > 2 * one
    assert margins.text_px("&lt;", 10) == pytest.approx(margins.text_px("&", 10))


def test_a_longer_label_asks_for_a_wider_left_margin():
    def left(labels):
        bars = {"type": "bar", "orientation": "h", "x": [1] * len(labels), "y": labels}
        return margins.fit_margins([bars], {"yaxis": {"tickfont": {"size": 14}}}, 16)["l"]

    assert left(["Россия", "Торгово-экономическое сотрудничество"]) > left(["Россия"]) + 200


def test_a_legend_beside_the_plot_asks_for_the_right_margin_of_its_longest_name():
    traces = [{"type": "bar", "x": [1], "y": [2], "name": n} for n in ("Планируется", "Завершён")]
    fitted = margins.fit_margins(traces, {"legend": {"orientation": "v", "x": 1.01}}, 16)
    assert fitted["r"] == pytest.approx(
        margins.text_px("Планируется", 16) + margins.LEGEND_EXTRA, abs=1
    )


def test_one_trace_needs_no_legend_unless_it_asks_for_one():
    trace = {"type": "bar", "x": [1], "y": [2], "name": "Минск"}
    assert "r" not in margins.fit_margins([trace], {}, 16)
    assert "r" in margins.fit_margins([{**trace, "showlegend": True}], {}, 16)


def test_a_figure_of_several_subplots_is_left_to_plotly():
    assert margins.fit_margins([{"type": "bar"}], {"xaxis2": {}}, 16) == {}


def test_rotated_country_names_ask_for_a_taller_bottom_margin():
    heat = {"type": "heatmap", "z": [[1, 2]], "x": ["Приднестровье", "Россия"], "y": ["Социальное"]}
    flat = margins.fit_margins([heat], {}, 16)["b"]
    turned = margins.fit_margins([heat], {"xaxis": {"tickangle": -45}}, 16)["b"]
    assert turned > flat + 40


def test_the_width_table_is_what_the_script_measures():
    """The table matches the installed DejaVu Sans to within 0.01 em per letter (another
    release of the font may differ in the last digit)."""
    import importlib.util
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    spec = importlib.util.spec_from_file_location("text_widths", root / "scripts/text_widths.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    if not script.FONT.is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    stored = json.loads(script.OUT.read_text(encoding="utf-8"))["em"]
    measured = script.widths()["em"]
    assert stored.keys() == measured.keys()
    assert all(abs(stored[c] - measured[c]) <= 0.01 for c in stored)


def test_long_category_labels_are_broken_at_spaces_and_after_hyphens():
    from mag_data.present.charts.base import wrap_label

    assert wrap_label("Торгово-экономическое сотрудничество") == (
        "Торгово-<br>экономическое<br>сотрудничество"
    )
    assert wrap_label("Trade and economic cooperation") == "Trade and<br>economic<br>cooperation"
    assert wrap_label("Минск") == "Минск"
    assert wrap_label("Санкт-Петербург") == "Санкт-Петербург"  # fits: one line, hyphen kept
    assert wrap_label("a &lt;b&gt; c") == "a &lt;b&gt; c"  # an entity is never split
