"""The dashboard's one stylesheet, drawn once per run by the router (``inject``).

Streamlit 1.67 does not tell the server how wide the screen is, so everything that depends on
it (metric rows and chart rows that reflow, phone padding) is CSS in ``ui/style.css``. The few
texts that Streamlit's own widgets draw in English and offer no parameter for (the file
uploader's drop zone, the «Fullscreen» button Streamlit adds to every chart's toolbar) are
replaced here too, from the translation table, in the one place where CSS writes words
(``_uploader_css``, ``_chart_toolbar_css``). The presentation's full-screen mode adds
``SHOW_CSS`` (``show_mode``).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

from mag_data.i18n import t

STYLESHEET = Path(__file__).with_name("style.css")

# Presentation mode: only the slide; no Streamlit header, sidebar or page padding.
SHOW_CSS = """
[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stBottom"] { display: none !important; }
[data-testid="stMain"] { margin-left: 0 !important; }
[data-testid="stMainBlockContainer"] {
  max-width: 100vw !important; padding: 0.4rem 1rem 0 1rem !important;
}
[data-testid="stMain"], [data-testid="stAppViewContainer"] { overflow: hidden !important; }
"""


@functools.cache
def _base_css() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def _css_text(text: str) -> str:
    """A text as a CSS string literal (JSON's escaping is valid CSS for these texts)."""
    return json.dumps(text, ensure_ascii=False)


def _uploader_css(lang: str) -> str:
    """Streamlit's file uploader shows English texts and has no parameter for them: hide its
    words and write ours in their place.

    Streamlit 1.67 draws the button («Upload») and one line under it, the limits («10MB per
    file • CSV, XLSX»): the line becomes «Перетащите файл сюда» (the widget's label says the
    types and the size limit, from ``register.limits``). Older releases put a «Drag and drop
    file here» span before a ``<small>`` limit line: the same rules cover that layout. A chosen
    file's size («32.8KB») is hidden; the data page writes it in Russian under the widget
    (``upload.chosen``). The remove button has no tooltip, only an English aria-label.
    """
    if lang == "en":
        return ""
    drop = _css_text(t("upload.drop", lang))
    button = _css_text(t("upload.button", lang))
    return f"""
[data-testid="stFileUploaderDropzoneInstructions"] > div > span:first-child {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div > span:first-child::after {{
  content: {drop}; font-size: 1rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] > div > small,
[data-testid="stFileUploaderDropzoneInstructions"] > div > span + span {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p {{
  font-size: 0;
}}
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p::after {{
  content: {button}; font-size: 0.875rem;
}}
[data-testid="stFileChip"] [data-testid="stFileChipName"] + div {{ display: none; }}
"""


#: The titles Streamlit gives its own chart-toolbar button (PlotlyChart: a plain string title,
#: which plotly.js does not look up in ``config.locales``, unlike its own buttons' titles).
STREAMLIT_MODEBAR_TITLES = {
    "Fullscreen": "chart.fullscreen",
    "Close fullscreen": "chart.fullscreen.close",
}


def _chart_toolbar_css(lang: str) -> str:
    """plotly.js draws a toolbar button's tooltip from its ``data-title`` (``content:
    attr(data-title)``): for Streamlit's «Fullscreen» button write our text instead. (The
    button's aria-label stays English: no CSS reaches it.)"""
    if lang == "en":
        return ""
    return "".join(
        f'.js-plotly-plot .plotly .modebar-btn[data-title="{title}"]::after {{'
        f" content: {_css_text(t(key, lang))}; }}\n"
        for title, key in STREAMLIT_MODEBAR_TITLES.items()
    )


def inject(lang: str) -> None:
    """The stylesheet for this run (a style-only ``st.html`` takes no room on the page)."""
    st.html(f"<style>{_base_css()}{_uploader_css(lang)}{_chart_toolbar_css(lang)}</style>")


def show_mode() -> None:
    """Hide everything but the page's main area (the presentation's full-screen mode)."""
    st.html(f"<style>{SHOW_CSS}</style>")
