"""The floor: one page's figures and tables, prebuilt, only handed to Streamlit.

A rerun of this script costs what no implementation of the page can avoid: Streamlit's own
run, plotly's validation and JSON serialisation of the same figures, Arrow for the same tables.
"""

import streamlit as st

from benchmarks import floor_store

for i, (figure, config) in enumerate(floor_store.FIGURES):
    st.plotly_chart(figure, config=config, width="stretch", key=f"floor_chart_{i}")
for i, table in enumerate(floor_store.TABLES):
    st.dataframe(table, hide_index=True, width="stretch", key=f"floor_table_{i}")
# Read the (unused) year slider like the pages do, so a filter change has something to change.
st.sidebar.slider("years", 1900, 2100, (1900, 2100), key="f_years")
