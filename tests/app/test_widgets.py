"""Display helpers shared by the pages, run in AppTest on their own."""

from __future__ import annotations

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
