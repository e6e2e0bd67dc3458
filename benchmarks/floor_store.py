"""What the floor script renders: set by the benchmark before each floor run (same process).

``FIGURES`` is a list of (figure, plotly.js config) and ``TABLES`` a list of frames: one page's
charts and tables, prebuilt from the project page's own output outside the timed loop.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

FIGURES: list[tuple[go.Figure, dict[str, Any]]] = []
TABLES: list[pd.DataFrame] = []
