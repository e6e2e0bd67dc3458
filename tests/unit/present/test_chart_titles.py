"""Chart titles fit a chart on a 390 px phone: a long one is broken onto lines (plotly does not
wrap titles), a short one is left alone, register text in it stays escaped."""

from __future__ import annotations

import html

import pytest

from mag_data.i18n import t
from mag_data.present.charts.base import (
    TITLE_WIDTH,
    _visible_width,
    note_figure,
    plain,
    title_lines,
)


def test_a_long_russian_title_becomes_two_even_lines() -> None:
    assert title_lines("Проекты по направлениям сотрудничества") == (
        "Проекты по направлениям<br>сотрудничества"
    )
    # Even lines, not «…на» with «карте» left over.
    assert title_lines("Связи по совместным проектам на карте") == (
        "Связи по совместным<br>проектам на карте"
    )


def test_a_title_breaks_after_its_colon_when_the_head_fits() -> None:
    assert title_lines("Сеть сотрудничества: городов — 85, связей — 979") == (
        "Сеть сотрудничества:<br>городов — 85, связей — 979"
    )
    assert title_lines("Cooperation network: 85 cities, 979 links") == (
        "Cooperation network:<br>85 cities, 979 links"
    )


@pytest.mark.parametrize(
    "title",
    ["Проекты по году начала", "Число городов-членов по странам", "Projects by cooperation area"],
)
def test_a_short_title_is_unchanged(title: str) -> None:
    assert title_lines(title) == title


def test_cyrillic_counts_wider_than_latin() -> None:
    """38 Latin letters fit on a line, 38 Cyrillic ones do not (Source Sans sets them wider)."""
    assert _visible_width("a" * 38) == TITLE_WIDTH
    assert _visible_width("я" * 38) > TITLE_WIDTH
    assert "<br>" in title_lines(" ".join(["abcdefghi"] * 4))  # 39 characters
    assert "<br>" not in title_lines(" ".join(["abcdefghi"] * 3 + ["abcdefgh"]))  # 38


def test_register_text_stays_escaped_and_is_measured_as_shown() -> None:
    """An escaped name (``plain``) is never split inside an entity, counts as the characters it
    shows, and comes out still escaped."""
    name = plain("Санкт-Петербург & <b>Ленинградская область</b>")
    wrapped = title_lines(f"Партнёры по проектам: {name}")
    assert "<b>" not in wrapped and "&lt;b&gt;" in wrapped and "&amp;" in wrapped
    lines = wrapped.split("<br>")
    assert lines[0] == "Партнёры по проектам:" and len(lines) >= 3
    assert all(_visible_width(line) <= TITLE_WIDTH for line in lines)
    assert html.unescape(" ".join(lines[1:])) == "Санкт-Петербург & <b>Ленинградская область</b>"
    # An entity is one character wide: «&amp;» does not push a fitting title over.
    short = plain("A & B")
    assert _visible_width(short) == 5 and title_lines(short) == short


def test_a_break_already_in_the_title_is_kept_and_a_word_longer_than_a_line_is_not_cut() -> None:
    assert title_lines("Один<br>Два") == "Один<br>Два"
    word = "Ы" * 50
    assert title_lines(word) == word


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_line_of_a_drawn_title_fits_and_the_top_margin_makes_room(lang: str) -> None:
    """The figure carries the wrapped title; each extra title line (and the illustrative
    mark's line under the source) adds to the top margin, so the plot is not covered."""
    long_title = t("chart.areas", "ru") + " " + t("chart.areas", "ru")
    short = note_figure("…", lang, "Коротко", "alt")
    wrapped = note_figure("…", lang, long_title, "alt")
    marked = note_figure("…", lang, long_title, "alt", illustrative=True)
    lines = wrapped.layout.title.text.split("<br>")
    assert len(lines) >= 2 and all(_visible_width(line) <= TITLE_WIDTH for line in lines)
    assert wrapped.layout.margin.t > short.layout.margin.t
    assert marked.layout.margin.t > wrapped.layout.margin.t
    assert "<br>" in marked.layout.title.subtitle.text
    assert wrapped.layout.meta["alt"] == "alt"
