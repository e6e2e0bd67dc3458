"""The dashboard's one stylesheet, drawn once per run by the router (``inject``).

Streamlit 1.67 does not tell the server how wide the screen is, so everything that depends on
it (metric rows and chart rows that reflow, phone padding) is CSS in ``ui/style.css``. The few
texts that Streamlit's own widgets draw in English and offer no parameter for (the file
uploader's drop zone) are replaced here too, from the translation table, in the one place
where CSS writes words (``_uploader_css``). The presentation's full-screen mode adds
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
    words and write ours in their place (the drop zone's line and the upload button)."""
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
"""


def inject(lang: str) -> None:
    """The stylesheet for this run (a style-only ``st.html`` takes no room on the page)."""
    st.html(f"<style>{_base_css()}{_uploader_css(lang)}</style>")


def show_mode() -> None:
    """Hide everything but the page's main area (the presentation's full-screen mode)."""
    st.html(f"<style>{SHOW_CSS}</style>")
