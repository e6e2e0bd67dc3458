"""The smallest page like the overview, for a reference cold start on the same machine.

A title, five headline metrics, one plotly chart, one table and one sidebar widget: what any
Streamlit dashboard's first page needs the browser to load (Streamlit's JavaScript, the metric,
chart and table components). ``make bench`` measures its cold start next to the dashboard's, so
the report can say how much of the dashboard's cold start is Streamlit and Chromium themselves.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="reference", layout="wide")
st.sidebar.multiselect("filter", ["a", "b"])
st.title("Reference page")
for i, column in enumerate(st.columns(5)):
    column.metric(f"figure {i + 1}", f"{(i + 1) * 1000}")
st.plotly_chart(go.Figure(go.Bar(x=[1, 2, 3], y=[3, 1, 2])))
st.dataframe(pd.DataFrame({"a": [1, 2, 3]}))
