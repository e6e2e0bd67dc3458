"""Partner finder: rank candidate partner cities for one city and one cooperation area.

The score is a weighted mean of four components, each between 0 and 1 (so the score is too):

- ``experience``: the candidate's completed projects in the area divided by the largest such count
  among the candidates (0 for everyone when nobody has one);
- ``proximity``: ``1 - distance / largest distance`` among the candidates (geodesic km, geopy), so
  the nearest candidates score close to 1 and the farthest 0;
- ``new_partner``: 1 if the two cities have never shared a project in the register, else 0;
- ``complementary``: half for being in another macro-region, half for the difference in size,
  ``|ln(population ratio)|`` divided by the largest such value among the candidates.

``score = Σ weightₖ · componentₖ / Σ weightₖ`` (0 when every weight is 0). Ties keep register
order. Experience and partnership history come from the whole register (a record is a record,
whatever the filter); the caller chooses the candidates (e.g. the members of the current view).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from mag_data.analysis import geo
from mag_data.i18n import fmt_int, plural_form, t
from mag_data.register.registry import Registry

COMPONENTS = ("experience", "proximity", "new_partner", "complementary")
# Population ratio (larger / smaller) from which the "why" text mentions the size difference.
SIZE_RATIO_SHOWN = 2


@dataclass(frozen=True)
class ScoreWeights:
    """How much each component counts (any non-negative numbers; only their ratios matter)."""

    experience: float = 0.4
    proximity: float = 0.3
    new_partner: float = 0.2
    complementary: float = 0.1

    def total(self) -> float:
        return float(sum(asdict(self).values()))


def _area_adjectives(area_id: str, lang: str) -> tuple[str, str]:
    """(singular, plural) adjective of the area with a trailing space, or empty strings."""
    one, many = f"partners.area.one.{area_id}", f"partners.area.many.{area_id}"
    if t(one, lang) == one:
        return "", ""
    return t(one, lang) + " ", t(many, lang) + " "


def experience_phrase(n: int, area_id: str, lang: str) -> str:
    """“3 завершённых социальных проекта” / “3 completed social projects”."""
    adj_one, adj_many = _area_adjectives(area_id, lang)
    if n == 0:
        return t("partners.why.exp.zero", lang, adj=adj_many)
    adj = adj_one if plural_form(n, lang) == "one" else adj_many
    return t("partners.why.exp", lang, n=n, adj=adj)


def why_text(row: pd.Series, area_id: str, lang: str) -> str:
    """The human reason for one candidate's score, built from its raw numbers."""
    parts = [
        experience_phrase(int(row["completed_in_area"]), area_id, lang),
        t("partners.why.km", lang, km=fmt_int(row["distance_km"], lang)),
    ]
    shared = int(row["shared_projects"])
    if shared == 0:
        parts.append(t("partners.why.never", lang))
    else:
        parts.append(t("partners.why.shared", lang, n=shared))
    if row["other_region"]:
        parts.append(t("partners.why.region", lang, region=str(row[f"macro_region_{lang}"])))
    ratio = int(round(float(row["size_ratio"])))
    if ratio >= SIZE_RATIO_SHOWN:
        base = "partners.why.larger" if row["larger"] else "partners.why.smaller"
        parts.append(t(base, lang, n=ratio))
    return ", ".join(parts)


def _scaled(values: pd.Series) -> pd.Series:
    """values / max (all 0 when the max is 0)."""
    top = float(values.max()) if len(values) else 0.0
    return values.astype(float) / top if top > 0 else values.astype(float) * 0.0


def rank_partners(
    registry: Registry,
    city_id: str,
    area_id: str,
    weights: ScoreWeights | None = None,
    lang: str = "ru",
    candidates: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Candidates for ``city_id`` in ``area_id``, best first, one row each with:

    ``rank``, ``id``, names, country and macro-region labels, the raw numbers
    (``completed_in_area``, ``distance_km``, ``shared_projects``, ``other_region``,
    ``size_ratio`` larger/smaller population, ``larger``: the candidate is the bigger city), the
    components (``experience``, ``proximity``, ``new_partner``, ``complementary``, each 0..1),
    ``score`` (weighted mean) and ``why`` (a sentence in ``lang``).

    ``candidates`` are member ids (default: every other member); the city itself is dropped.
    Raises KeyError for an unknown city.
    """
    weights = weights or ScoreWeights()
    members = registry.members.assign(id=registry.members["id"].astype(str))
    origin = members[members["id"] == city_id]
    if origin.empty:
        raise KeyError(city_id)
    pool = members[members["id"] != city_id]
    if candidates is not None:
        wanted = {str(c) for c in candidates}
        pool = pool[pool["id"].isin(wanted)]
    pool = pool.reset_index(drop=True)

    parts = registry.participations.assign(
        member_id=registry.participations["member_id"].astype(str),
        project_id=registry.participations["project_id"].astype(str),
    )
    done = parts[
        (parts["area_id"].astype(str) == area_id) & (parts["status"].astype(str) == "completed")
    ]
    completed = done.groupby("member_id")["project_id"].nunique()
    mine = set(parts.loc[parts["member_id"] == city_id, "project_id"])
    shared = parts[parts["project_id"].isin(mine)].groupby("member_id")["project_id"].nunique()

    o = origin.iloc[0]
    here = (float(o["lat"]), float(o["lon"]))
    km = [
        geo.distance_km(here, (float(lat), float(lon)))
        for lat, lon in zip(pool["lat"], pool["lon"], strict=True)
    ]
    pop_city = max(float(o["population"]), 1.0)
    pop = pool["population"].astype(float).clip(lower=1.0)
    log_gap = np.abs(np.log(pop / pop_city))

    out = pool[
        [
            "id",
            "name_ru",
            "name_en",
            "country_ru",
            "country_en",
            "macro_region_ru",
            "macro_region_en",
        ]
    ].assign(
        completed_in_area=pool["id"].map(completed).fillna(0).astype("int64"),
        distance_km=pd.Series(km, index=pool.index, dtype="float64"),
        shared_projects=pool["id"].map(shared).fillna(0).astype("int64"),
        other_region=pool["macro_region_id"].astype(str) != str(o["macro_region_id"]),
        size_ratio=np.exp(log_gap),
        larger=pop > pop_city,
    )
    far = float(out["distance_km"].max()) if len(out) else 0.0
    out = out.assign(
        experience=_scaled(out["completed_in_area"]),
        proximity=1.0 - out["distance_km"] / far if far > 0 else 1.0,
        new_partner=(out["shared_projects"] == 0).astype(float),
        complementary=0.5 * out["other_region"].astype(float) + 0.5 * _scaled(log_gap),
    )
    total = weights.total()
    score = sum(getattr(weights, c) * out[c] for c in COMPONENTS)
    out = out.assign(score=score / total if total > 0 else 0.0 * out["experience"])
    out = out.assign(_order=range(len(out))).sort_values(
        ["score", "_order"], ascending=[False, True], kind="stable"
    )
    out = out.drop(columns="_order").reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    why = [why_text(row, area_id, lang) for _, row in out.iterrows()]
    return out.assign(why=pd.Series(why, index=out.index, dtype="object"))


def finder_table(ranking: pd.DataFrame, lang: str, n: int | None = 10) -> pd.DataFrame:
    """The top ``n`` of a ranking for display and export: rank, city, country, the four
    components and the score (0–100 points), and the reason, with headers in ``lang``."""
    top = ranking if n is None else ranking.head(n)
    table = pd.DataFrame(
        {
            "№": top["rank"].to_numpy(),
            t("col.city", lang): top[f"name_{lang}"].astype(str).to_numpy(),
            t("col.country", lang): top[f"country_{lang}"].astype(str).to_numpy(),
            t("partners.col.score", lang): (top["score"] * 100).round(1).to_numpy(),
        }
    )
    for c in COMPONENTS:
        table[t(f"partners.w.{c}", lang)] = (top[c] * 100).round(1).to_numpy()
    table[t("partners.col.why", lang)] = top["why"].to_numpy()
    return table


def weights_note(weights: ScoreWeights, lang: str) -> str:
    """“Опыт 40 %, близость 30 %, …”: the weights as shares of their total."""
    total = weights.total()
    if total <= 0:
        return t("partners.no_weights", lang)
    shares = [
        f"{t(f'partners.w.{c}', lang)} {fmt_int(100 * getattr(weights, c) / total, lang)}"
        + ("\u00a0%" if lang == "ru" else "%")
        for c in COMPONENTS
    ]
    return ", ".join(shares)
