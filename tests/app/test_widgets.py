"""Display helpers shared by the pages, run in AppTest on their own."""

from __future__ import annotations

import json
import uuid

from streamlit.testing.v1 import AppTest

from mag_data.config import ROOT_DIR
from mag_data.i18n import NBSP

SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT_DIR)!r})
import pandas as pd
from ui import widgets
widgets.show_table(pd.DataFrame({{"n": range(ROWS), "when": pd.to_datetime(["2024-03-01"] * ROWS)}}), "ru")
"""


def run_table(rows: int) -> AppTest:
    return AppTest.from_string(SCRIPT.replace("ROWS", str(rows))).run()


def test_a_very_long_table_shows_its_first_rows_and_says_so():
    """1 200 rows: 500 shown, a caption saying so in the interface language."""
    at = run_table(1200)
    assert not at.exception
    assert len(at.dataframe[0].value) == 500
    assert [c.value for c in at.caption] == [
        f"Показаны первые 500 строк из 1{NBSP}200; все строки — в файлах для скачивания."
    ]


def test_a_table_of_today_size_is_shown_whole_with_russian_dates():
    """85 rows: all shown, no caption; dates stay dates (they sort as dates) and are shown as
    ДД.ММ.ГГГГ in Russian."""
    at = run_table(85)
    assert not at.caption
    frame = at.dataframe[0].value
    assert len(frame) == 85 and str(frame["when"].iloc[0].date()) == "2024-03-01"
    assert "DD.MM.YYYY" in at.dataframe[0].proto.columns


def test_the_stylesheet_writes_streamlits_english_words_in_russian_only_in_russian() -> None:
    """The uploader's drop zone and the «Fullscreen» chart button get Russian texts from the
    translation table (and the chip's English size is hidden); English mode adds nothing."""
    from mag_data.i18n import t
    from ui import style

    ru = style._uploader_css("ru") + style._chart_toolbar_css("ru")
    for key in ("upload.drop", "upload.button", "chart.fullscreen", "chart.fullscreen.close"):
        assert f'"{t(key, "ru")}"' in ru, key
    assert '[data-title="Fullscreen"]::after' in ru and '[data-title="Close fullscreen"]' in ru
    assert '[data-testid="stFileChipName"] + div { display: none; }' in ru
    assert style._uploader_css("en") == style._chart_toolbar_css("en") == ""


SHARED = f"""
import sys, types
sys.path.insert(0, {str(ROOT_DIR)!r})
import plotly.graph_objects as go
import streamlit as st
from mag_data import Filter
from ui import widgets

def figure(n):
    fig = go.Figure(go.Bar(x=list(range(n)), y=[v * v for v in range(n)]))
    fig.update_layout(meta={{"alt": f"{{n}} bars"}}, title="Тест")
    return fig

builds = []
def build(n):
    def make():
        builds.append(n)
        return figure(n)
    return make

register = types.SimpleNamespace(fingerprint="FINGERPRINT")
def ctx(lang="ru", **chosen):
    return types.SimpleNamespace(registry=register, filter=Filter(**chosen), lang=lang)

first = widgets.shared_figure(ctx(), "bars", build(3), "a")
again = widgets.shared_figure(ctx(), "bars", build(3), "a")
widgets.shared_figure(ctx(countries=("armenia",)), "bars", build(4), "a")
widgets.shared_figure(ctx("en"), "bars", build(5), "a")
widgets.shared_figure(ctx(), "bars", build(6), "b")
widgets.shared_figure(ctx(), "other", build(7), "a")
st.write("same object" if first is again else "rebuilt")
st.write(repr(builds))
widgets.show_chart(figure(3), key="plain")
widgets.show_chart(first, key="shared")
"""


def run_shared(fingerprint: str) -> AppTest:
    return AppTest.from_string(SHARED.replace("FINGERPRINT", fingerprint)).run()


def test_a_shared_figure_is_built_once_per_view_language_and_parameters():
    """The same register, filter, language, name and parameters: built once and the same object;
    any of them different: built anew; a second session of the same register builds nothing."""
    fingerprint = uuid.uuid4().hex
    at = run_shared(fingerprint)
    assert not at.exception
    assert [m.value for m in at.markdown] == ["same object", "[3, 4, 5, 6, 7]"]
    assert [m.value for m in run_shared(fingerprint).markdown] == ["same object", "[]"]
    assert run_shared(uuid.uuid4().hex).markdown[1].value == "[3, 4, 5, 6, 7]"


def test_a_shared_figure_reaches_the_browser_as_the_figure_it_was_made_from():
    """Its spec (the JSON Streamlit sends) and its alt text are the original figure's."""
    at = run_shared(uuid.uuid4().hex)
    plain, shared = (c.proto for c in at.get("plotly_chart"))
    assert shared.spec == plain.spec
    assert json.loads(shared.spec)["layout"]["title"]["text"] == "Тест"
    assert json.loads(shared.spec)["data"][0]["type"] == "bar"
    assert shared.alt == plain.alt == "3 bars"
