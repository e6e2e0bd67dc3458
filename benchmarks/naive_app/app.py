"""The naive peer: the dashboard's five pages written the way most Streamlit dashboards are.

Every rerun reads the CSVs with pandas, filters and joins with merges, and builds plotly express
figures; nothing is cached. The charts are the same as the project's pages (member map with
partner links and shaded countries, bars per country, area × status, per year, sunburst, heat
map, top cities, a city's projects, partners and nearest members, the tables). It is not a
straw man: it uses vectorised pandas throughout; it only skips the project's habits (validate
and derive once, cache by content, categorical codes, graph_objects). The register folder comes
from ``MAG_DATA_DIR``. Benchmark code only: never served to users.
"""

import os

import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st

DATA = os.environ.get("MAG_DATA_DIR", "data")

members = pd.read_csv(f"{DATA}/members.csv")
projects = pd.read_csv(f"{DATA}/projects.csv", parse_dates=["start_date", "end_date"])
participants = pd.read_csv(f"{DATA}/participants.csv")
areas = pd.read_csv(f"{DATA}/cooperation_areas.csv")
projects["start_year"] = projects["start_date"].dt.year

page = st.sidebar.radio(
    "Page", ["overview", "map", "countries", "areas", "city"], key="page", horizontal=True
)
countries = st.sidebar.multiselect("Country", sorted(members["country_en"].unique()), key="country")
cities = st.sidebar.multiselect("City", sorted(members["name_en"]), key="city")
chosen_areas = st.sidebar.multiselect("Area", list(areas["name_en"]), key="area")
lo, hi = int(projects["start_year"].min()), int(projects["start_year"].max())
years = st.sidebar.slider("Years", lo, hi, (lo, hi), key="years")

m = members
if countries:
    m = m[m["country_en"].isin(countries)]
if cities:
    m = m[m["name_en"].isin(cities)]
p = projects[projects["start_year"].between(*years)]
if chosen_areas:
    p = p[p["area_id"].isin(areas.loc[areas["name_en"].isin(chosen_areas), "id"])]
parts = participants.merge(p, left_on="project_id", right_on="id").merge(
    m, left_on="member_id", right_on="id", suffixes=("", "_member")
)
p = p[p["id"].isin(parts["project_id"])]
p = p.merge(areas, left_on="area_id", right_on="id", suffixes=("", "_area"))

per_city = (
    parts.groupby("member_id")
    .agg(projects=("project_id", "nunique"))
    .reset_index()
    .merge(m, left_on="member_id", right_on="id", how="right")
    .fillna({"projects": 0})
)
per_country = (
    m.groupby("country_en")
    .agg(members=("id", "count"), population=("population", "sum"))
    .reset_index()
    .merge(
        parts.groupby("country_en")["project_id"].nunique().rename("projects").reset_index(),
        how="left",
    )
)


def links(frame: pd.DataFrame, n: int = 400) -> pd.DataFrame:
    pairs = frame[["project_id", "member_id"]].merge(
        frame[["project_id", "member_id"]], on="project_id"
    )
    pairs = pairs[pairs["member_id_x"] < pairs["member_id_y"]]
    return (
        pairs.groupby(["member_id_x", "member_id_y"])
        .size()
        .rename("weight")
        .reset_index()
        .sort_values("weight", ascending=False)
        .head(n)
    )


def city_map(height: int, with_links: bool) -> None:
    fig = px.scatter_geo(
        per_city,
        lat="lat",
        lon="lon",
        size="population",
        color="country_en",
        hover_name="name_en",
        hover_data=["population", "projects"],
        projection="conic conformal",
        height=height,
    )
    if with_links:
        top = links(parts)
        pos = m.set_index("id")[["lat", "lon"]]
        a, b = pos.loc[top["member_id_x"]], pos.loc[top["member_id_y"]]
        lines = pd.DataFrame(
            {
                "lat": np.column_stack([a["lat"], b["lat"], np.full(len(top), np.nan)]).ravel(),
                "lon": np.column_stack([a["lon"], b["lon"], np.full(len(top), np.nan)]).ravel(),
            }
        )
        fig.add_traces(px.line_geo(lines, lat="lat", lon="lon").data)
        choropleth = px.choropleth(
            per_country.merge(m[["country_en", "iso_code"]].drop_duplicates()),
            locations="iso_code",
            color="members",
        )
        fig.add_traces(choropleth.data)
    fig.update_geos(fitbounds="locations")
    st.plotly_chart(fig, width="stretch")


if page == "overview":
    st.title("Overview")
    c = st.columns(4)
    c[0].metric("Members", len(m))
    c[1].metric("Countries", m["country_en"].nunique())
    c[2].metric("Population", int(m["population"].sum()))
    c[3].metric("Projects", len(p))
    left, right = st.columns(2)
    with left:
        city_map(420, with_links=False)
    with right:
        st.plotly_chart(px.bar(per_country, x="members", y="country_en", orientation="h"))
    left, right = st.columns(2)
    with left:
        st.plotly_chart(px.histogram(p, y="name_en", color="status", orientation="h"))
    with right:
        st.plotly_chart(px.histogram(p, x="start_year", color="name_en"))
    table = per_city[["name_en", "country_en", "subdivision_en", "population", "projects"]]
    st.dataframe(table)
    st.download_button("CSV", table.to_csv(index=False), "members.csv")
elif page == "map":
    st.title("Map")
    city_map(680, with_links=True)
elif page == "countries":
    st.title("Countries")
    st.plotly_chart(px.bar(per_country, x="members", y="country_en", orientation="h"))
    st.plotly_chart(
        px.sunburst(m, path=["macro_region_en", "country_en", "name_en"], values="population")
    )
    per_area = (
        parts.merge(areas, left_on="area_id", right_on="id", suffixes=("", "_area"))
        .groupby(["country_en", "name_en_area"])["project_id"]
        .nunique()
        .unstack(fill_value=0)
    )
    table = per_country.merge(per_area, left_on="country_en", right_index=True, how="left")
    st.dataframe(table)
    st.download_button("CSV", table.to_csv(index=False), "countries.csv")
elif page == "areas":
    st.title("Cooperation areas")
    st.plotly_chart(px.histogram(p, y="name_en", color="status", orientation="h"))
    st.plotly_chart(px.pie(p, names="status", hole=0.55))
    matrix = (
        parts.merge(areas, left_on="area_id", right_on="id", suffixes=("", "_area"))
        .drop_duplicates(["project_id", "country_en"])
        .pivot_table(
            index="name_en_area", columns="country_en", values="project_id", aggfunc="count"
        )
    )
    st.plotly_chart(px.imshow(matrix, text_auto=True))
    st.plotly_chart(px.histogram(p, x="start_year", color="name_en"))
    top = per_city.sort_values("projects", ascending=False).head(10)
    st.plotly_chart(px.bar(top, x="projects", y="name_en", orientation="h"))
else:
    st.title("City profile")
    name = st.selectbox("City", list(members["name_en"]), key="city_select")
    city = members[members["name_en"] == name].iloc[0]
    own = participants[participants["member_id"] == city["id"]]
    table = own.merge(p, left_on="project_id", right_on="id")
    st.dataframe(table[["title_en", "name_en", "status", "start_date", "end_date", "role"]])
    st.download_button("CSV", table.to_csv(index=False), "projects.csv")
    partners = links(participants[participants["project_id"].isin(table["project_id"])], n=10**9)
    partners = partners[
        (partners["member_id_x"] == city["id"]) | (partners["member_id_y"] == city["id"])
    ].head(10)
    partners["partner"] = partners["member_id_y"].where(
        partners["member_id_x"] == city["id"], partners["member_id_x"]
    )
    st.plotly_chart(px.bar(partners, x="weight", y="partner", orientation="h"))
    lat1, lon1 = np.radians(city["lat"]), np.radians(city["lon"])
    lat2, lon2 = np.radians(members["lat"]), np.radians(members["lon"])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    distances = members.assign(km=6371.0 * 2 * np.arcsin(np.sqrt(h))).sort_values("km")
    distances = distances[distances["id"] != city["id"]][["name_en", "country_en", "km"]]
    st.plotly_chart(px.bar(distances.head(10), x="km", y="name_en", orientation="h"))
    with st.expander("Distances"):
        st.dataframe(distances)
