"""The reference page for click-to-chart: what a plain Streamlit dashboard costs in the browser.

A sidebar multiselect, five metrics and four small plotly charts that change with it. ``make
bench`` (``--only interactive``) times a choice in its multiselect, a fresh visit and a page
switch next to the dashboard's, in the same browser and run, and reports the dashboard as a
ratio of this page.
"""

import plotly.graph_objects as go
import streamlit as st

COUNTRIES = ["Armenia", "Belarus", "Georgia", "Kazakhstan", "Kyrgyzstan", "Moldova", "Russia"]
WEIGHTS = {name: i + 1 for i, name in enumerate(COUNTRIES)}


def main() -> None:
    chosen = st.sidebar.multiselect("Country", COUNTRIES, key="f_countries") or COUNTRIES
    st.title("Reference page")
    total = sum(WEIGHTS[c] for c in chosen)
    for i, column in enumerate(st.columns(5)):
        column.metric(f"figure {i + 1}", f"{total * (i + 1) * 100:,}")
    years = list(range(2010, 2025))
    left, right = st.columns(2)
    charts = [
        go.Figure(go.Bar(x=chosen, y=[WEIGHTS[c] for c in chosen])),
        go.Figure(go.Scatter(x=years, y=[total * (y - 2009) % 17 for y in years])),
        go.Figure(go.Pie(labels=chosen, values=[WEIGHTS[c] for c in chosen])),
        go.Figure(go.Bar(x=years, y=[(total + y) % 11 for y in years])),
    ]
    for i, fig in enumerate(charts):
        fig.update_layout(height=300, margin={"t": 30, "b": 30, "l": 30, "r": 10})
        (left if i % 2 == 0 else right).plotly_chart(fig, key=f"chart_{i}")


pages = [
    st.Page(main, title="Reference", url_path="reference", default=True),
    st.Page(main, title="Reference 2", url_path="reference2"),
]
st.navigation(pages).run()
