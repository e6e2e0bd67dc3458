"""Data and logic of the МАГ dashboard: registers, validation, filters, aggregations, charts.

Pure Python and pandas: nothing here imports Streamlit, so every function is testable alone.
"""

from mag_data.query.filters import Filter, View, apply_filter
from mag_data.register.problems import DataValidationError, Problem
from mag_data.register.registry import Registry, load_registry

__all__ = [
    "DataValidationError",
    "Filter",
    "Problem",
    "Registry",
    "View",
    "apply_filter",
    "load_registry",
]
