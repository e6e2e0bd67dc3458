"""Where the data lives: every path is resolved from this package's own file, never the CWD."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
DATA_DIR = ROOT_DIR / "data"
STATIC_DIR = ROOT_DIR / "static"
TOPOJSON_DIR = STATIC_DIR / "topojson"

# Relative URL of the base-map files served by Streamlit's static serving; relative so that it
# also works on sub-pages and under server.baseUrlPath.
TOPOJSON_URL = "app/static/topojson/"
