"""The active filter in words, the one wording for the pages' caption line and the slides'
footer («Фильтр: Страна: Казахстан · Год начала проекта: 2005–2015»; without a filter, «Без
фильтра: все города-члены и все проекты»), so a filtered screen is never taken for the whole
assembly."""

from __future__ import annotations

from mag_data.i18n import t
from mag_data.query.filters import GEO_COLUMNS, Filter
from mag_data.register.registry import Registry
from mag_data.register.schema import STATUSES


def filter_labels(registry: Registry, name: str, lang: str) -> dict[str, str]:
    """Id → label in ``lang`` for one filter field."""
    if name == "areas":
        areas = registry.areas
        return dict(zip(areas["id"].astype(str), areas[f"name_{lang}"].astype(str), strict=True))
    if name == "statuses":
        return {s: t(f"status.{s}", lang) for s in STATUSES}
    base = {
        "macro_regions": "macro_region",
        "countries": "country",
        "federal_districts": "federal_district",
        "subdivisions": "subdivision",
        "cities": "name",
    }[name]
    m = registry.members.dropna(subset=[GEO_COLUMNS[name]])
    return dict(zip(m[GEO_COLUMNS[name]].astype(str), m[f"{base}_{lang}"].astype(str), strict=True))


def describe_filter(registry: Registry, f: Filter, lang: str, limit: int = 4) -> str:
    """The filter in words ("Фильтр: Страна: Россия, Беларусь · Год начала проекта: 2005–2015");
    more than ``limit`` names of one field end in "и ещё N"."""
    if f.is_empty():
        return t("pres.filter.none", lang)
    parts = []
    for name in (*GEO_COLUMNS, "areas", "statuses"):
        chosen = getattr(f, name)
        if not chosen:
            continue
        labels = filter_labels(registry, name, lang)
        names = [labels.get(i, i) for i in chosen]
        shown = ", ".join(names[:limit])
        if len(names) > limit:
            shown += " " + t("pres.more", lang, n=len(names) - limit)
        parts.append(f"{t(f'filter.{name}', lang)}: {shown}")
    if f.years is not None:
        parts.append(f"{t('filter.years', lang)}: {f.years[0]}–{f.years[1]}")
    return t("pres.filter", lang, text=" · ".join(parts))
