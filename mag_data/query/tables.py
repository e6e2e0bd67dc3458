"""Display tables: the frames pages show and export, with headers in the chosen language."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from mag_data.analysis import geo
from mag_data.i18n import fmt_float, fmt_int, t
from mag_data.query import aggregations as agg
from mag_data.query.filters import Filter, View, project_mask
from mag_data.register.registry import Registry
from mag_data.register.schema import STATUSES


def members_table(view: View, lang: str) -> pd.DataFrame:
    """The member cities of a view: name, country, region, district, population, capital."""
    rows = view.member_rows
    column = view.registry.member_array
    year = column("population_year")[rows]
    text = lambda values: np.asarray(values, dtype=object)  # noqa: E731
    return agg.plain_frame(
        {
            t("col.city", lang): column(f"name_{lang}")[rows],
            t("col.country", lang): column(f"country_{lang}")[rows],
            t("col.subdivision", lang): column(f"subdivision_{lang}")[rows],
            t("col.federal_district", lang): text(
                [v or "" for v in column(f"federal_district_{lang}")[rows]]
            ),
            t("col.population", lang): column("population")[rows].astype("int64"),
            # A year is a label, not a quantity: kept as text so it is never shown as "2 021".
            t("col.population_year", lang): text(["" if pd.isna(y) else str(int(y)) for y in year]),
            t("col.capital", lang): column("is_capital")[rows].astype(bool),
            t("m.projects", lang): agg.city_project_counts(view),
        }
    )


def geo_table(view: View, lang: str, level: str = "country") -> pd.DataFrame:
    """Per country (or macro-region) breakdown with one projects column per cooperation area."""
    data = agg.by_country(view) if level == "country" else agg.by_macro_region(view)
    base = "country" if level == "country" else "macro_region"
    areas = view.registry.areas
    out = pd.DataFrame(
        {
            t(f"col.{base}", lang): data[f"{base}_{lang}"].astype(str),
            t("m.members", lang): data["members"],
            t("m.population", lang): data["population"],
            t("m.share_of_membership", lang) + ", %": (data["share_of_membership"] * 100).round(1),
            t("m.projects", lang): data["projects"],
            t("m.participations", lang): data["participations"],
        }
    )
    for _, area in areas.iterrows():
        out[f"{t('m.projects', lang)}: {area[f'name_{lang}']}"] = data[
            f"area:{area['id']}"
        ].to_numpy()
    return out


def city_projects(registry: Registry, f: Filter, member_id: str, lang: str) -> pd.DataFrame:
    """The projects of one city that pass the filter's area/status/year choices, with the city's
    role and its partners (the geographic choices do not hide the city's own projects)."""
    index = registry.index
    parts = registry.participations
    allowed = project_mask(registry, f)
    member = index.levels["cities"].position.get(member_id, -1)
    member_row = int(index.levels["cities"].first_row[member]) if member >= 0 else -2
    own = np.flatnonzero(index.part_member == member_row)
    own = own[allowed[index.part_project[own]]]
    rows = index.part_project[own]
    roles = parts["role"].iloc[own].astype(str)
    # Every participation of those projects (integer rows, no id look-ups), minus the city's own.
    shared = index.parts_of_projects(rows)
    shared = shared[index.part_member[shared] != member_row]
    names = registry.member_array(f"name_{lang}")
    project, name = index.part_project[shared], names[index.part_member[shared]]
    order = np.lexsort((name.astype(str), project))
    project, name = project[order], name[order]
    bounds: np.ndarray = (
        np.flatnonzero(np.r_[True, project[1:] != project[:-1], True])
        if len(project)
        else np.zeros(0, dtype=np.int64)
    )
    partners = {
        int(project[a]): ", ".join(name[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    }
    areas = dict(
        zip(
            registry.areas["id"].astype(str),
            registry.areas[f"name_{lang}"].astype(str),
            strict=True,
        )
    )
    projects = registry.projects
    columns = [
        t(k, lang)
        for k in (
            "col.project",
            "col.area",
            "col.status",
            "col.start",
            "col.end",
            "col.role",
            "col.others",
        )
    ]
    start = projects["start_date"].iloc[rows].to_numpy()
    # Latest start first, a project without a start date last; ties keep the register's order.
    order = np.lexsort((np.arange(len(rows)), np.isnat(start), -start.astype("int64")))
    rows, start, roles = rows[order], start[order], roles.to_numpy(dtype=object)[order]
    area_ids = index.area_ids
    return pd.DataFrame(
        {
            columns[0]: projects[f"title_{lang}"].iloc[rows].to_numpy(dtype=object),
            columns[1]: [
                areas.get(area_ids[a], "") if a >= 0 else "" for a in index.project_area[rows]
            ],
            columns[2]: [
                t(f"status.{STATUSES[s]}", lang) if s >= 0 else ""
                for s in index.project_status[rows]
            ],
            columns[3]: pd.to_datetime(start),
            columns[4]: pd.to_datetime(projects["end_date"].iloc[rows].to_numpy()),
            columns[5]: [t(f"role.{r}", lang) for r in roles],
            columns[6]: [partners.get(int(row), "") for row in rows],
        },
        columns=columns,
    )


def city_partners(view: View, member_id: str) -> pd.DataFrame:
    """Partner cities of one city in the view, with the number of shared projects (most first,
    ties by id). The same counts as ``partner_links``, from the city's own links only."""
    return agg.city_partner_counts(view, member_id)


def distances_table(members: pd.DataFrame, member_id: str, lang: str) -> pd.DataFrame:
    """Geodesic distance (km, whole) from one city to every other member, nearest first."""
    rows, km = geo.distance_order(members, member_id)
    return pd.DataFrame(
        {
            t("col.city", lang): members[f"name_{lang}"].to_numpy(dtype=object)[rows],
            t("col.country", lang): members[f"country_{lang}"].to_numpy(dtype=object)[rows],
            t("m.distance_km", lang): km.round(0).astype("int64"),
        }
    )


# What ``charts.city_bars`` shows of a city: its id, names and country.
BAR_COLUMNS = ("id", "name_ru", "name_en", "country_id", "country_ru", "country_en")


def _bars(members: pd.DataFrame, rows: np.ndarray, **values: np.ndarray) -> pd.DataFrame:
    """The ``BAR_COLUMNS`` of the members at ``rows`` (in that order) plus ``values``: ten
    rows taken column by column, not from the whole members frame."""
    columns = {c: members[c].iloc[rows].to_numpy(dtype=object) for c in BAR_COLUMNS}
    columns["id"] = np.asarray([str(v) for v in columns["id"]], dtype=object)
    return agg.plain_frame(columns | values)


def partner_bars(view: View, member_id: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` partner cities sharing most projects with one city (``BAR_COLUMNS`` plus
    ``value``: shared projects), ready for ``charts.city_bars``."""
    partners = city_partners(view, member_id).head(n)
    cities = view.registry.index.levels["cities"]
    rows = cities.first_row[[cities.position[i] for i in partners["id"]]]
    return _bars(view.registry.members, rows, value=partners["shared"].to_numpy(dtype=np.int64))


def nearest_bars(members: pd.DataFrame, member_id: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` members nearest to one city (``BAR_COLUMNS`` plus ``distance_km`` and
    ``value``: whole km), ready for ``charts.city_bars``."""
    rows, km = geo.distance_order(members, member_id)
    rows, km = rows[:n], km[:n]
    return _bars(members, rows, distance_km=km, value=km.round(0).astype("int64"))


def _text(value: object) -> str:
    text = "" if value is None else str(value)
    return "" if text in ("nan", "<NA>", "None", "NaT") else text


# Who counted a city's population, recognised by the start of the register's (English) source
# note, so that the Russian interface names the agency in Russian.
_SOURCE_AGENCIES = (
    ("GeoNames", "geonames"),
    ("Rosstat", "rosstat"),
    ("Bureau of National Statistics of Kazakhstan", "kazakhstan"),
    ("National Statistical Committee of the Kyrgyz", "kyrgyzstan"),
    ("Statistical Committee of the Republic of Armenia", "armenia"),
    ("National Statistical Committee of the Republic of Belarus", "belarus"),
    ("Agency on Statistics under the President of the Republic of Tajikistan", "tajikistan"),
    ("State Statistics Service of Ukraine", "ukraine"),
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def population_source_text(source: str, lang: str) -> str:
    """The population's source in the reader's language: the agency's name and the census or
    reference year ("Росстат, перепись 2021"). English keeps the register's full note; a
    source the table does not know is shown as written."""
    if lang == "en" or not source:
        return source
    agency = next((key for prefix, key in _SOURCE_AGENCIES if source.startswith(prefix)), None)
    if agency is None:
        return source
    years = [m.group(0) for m in _YEAR.finditer(source.split(",", 1)[-1])]
    if agency == "geonames" or not years:
        when = t("source.no_year", lang) if "not stated" in source or not years else years[0]
    elif "census" in source.lower():
        when = t("source.census", lang, year=years[0])
    else:
        when = t("source.year", lang, year=years[0])
    return f"{t(f'source.{agency}', lang)}, {when}"


def city_facts(registry: Registry, member_id: str, lang: str) -> pd.DataFrame:
    """The facts of one member city as (field, value) text rows, with sources."""
    cities = registry.index.levels["cities"]
    if member_id not in cities.position:
        raise KeyError(member_id)
    city = registry.members.iloc[int(cities.first_row[cities.position[member_id]])]
    aliases = registry.aliases[registry.aliases["member_id"].astype(str) == member_id]["alias"]
    year = _text(city["population_year"])
    population = fmt_int(city["population"], lang) + (f" ({year})" if year else "")
    joined = city["joined"]
    rows = [
        (t("col.country", lang), _text(city[f"country_{lang}"])),
        (t("col.macro_region", lang), _text(city[f"macro_region_{lang}"])),
        (t("col.subdivision", lang), _text(city[f"subdivision_{lang}"])),
        (t("col.federal_district", lang), _text(city[f"federal_district_{lang}"]) or "—"),
        (t("col.population", lang), population),
        (
            t("city.population_source", lang),
            population_source_text(_text(city["population_source"]), lang),
        ),
        (
            t("city.coordinates", lang),
            f"{fmt_float(city['lat'], 4, lang)}°, {fmt_float(city['lon'], 4, lang)}°",
        ),
        (
            t("city.capital", lang),
            t("city.yes", lang) if bool(city["is_capital"]) else t("city.no", lang),
        ),
        (
            t("city.joined", lang),
            (
                f"{int(joined)} ({_text(city['joined_source_publisher'])})"
                if pd.notna(joined)
                else t("city.no_data", lang)
            ),
        ),
        (t("city.aliases", lang), ", ".join(aliases.astype(str)) or "—"),
    ]
    return pd.DataFrame(rows, columns=[t("city.field", lang), t("city.value", lang)])
