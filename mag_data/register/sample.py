"""Seeded generator of an ILLUSTRATIVE project register (no public register exists).

Every project it makes has ``illustrative = true``; the UI says so wherever projects are shown.
The same generator makes the large registers of the benchmark, so it is vectorised (numpy).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

# Topics per cooperation area, (ru, en). Titles read "<topic> — <lead city>".
TOPICS: dict[str, list[tuple[str, str]]] = {
    "trade_economic": [
        ("Деловой форум городов-партнёров", "Partner cities business forum"),
        ("Выставка-ярмарка товаров местных производителей", "Local producers trade fair"),
        ("Совместный инвестиционный каталог", "Joint investment catalogue"),
        ("Торговая миссия малого бизнеса", "Small business trade mission"),
        (
            "Логистический коридор для городских предприятий",
            "Logistics corridor for city enterprises",
        ),
        ("Обмен опытом в сфере муниципальных закупок", "Exchange on municipal procurement"),
    ],
    "science_technology": [
        ("Цифровая платформа городских услуг", "Digital platform for city services"),
        ("Умный городской транспорт", "Smart urban transport"),
        (
            "Энергосбережение в жилищно-коммунальном хозяйстве",
            "Energy saving in housing and utilities",
        ),
        ("Сеть городских технопарков", "Network of city technology parks"),
        ("Мониторинг качества воздуха", "Air quality monitoring"),
        ("Открытые данные городов", "Open city data"),
    ],
    "humanitarian_cultural": [
        ("Дни культуры городов-партнёров", "Partner cities culture days"),
        ("Молодёжный театральный фестиваль", "Youth theatre festival"),
        ("Сохранение исторического наследия", "Preserving historical heritage"),
        ("Обмен музейными экспозициями", "Museum exhibition exchange"),
        ("Летняя школа русского языка и литературы", "Summer school of language and literature"),
        ("Туристический маршрут городов Содружества", "Commonwealth cities tourist route"),
    ],
    "social": [
        ("Доступная городская среда", "Accessible urban environment"),
        ("Поддержка ветеранов и пожилых горожан", "Support for veterans and older residents"),
        ("Детский оздоровительный обмен", "Children's health camp exchange"),
        ("Городское здравоохранение: обмен практиками", "Urban healthcare practice exchange"),
        ("Спортивные игры городов", "Cities sports games"),
        ("Социальное жильё и расселение аварийного фонда", "Social housing and resettlement"),
    ],
}
AREA_WEIGHTS = {
    "trade_economic": 0.32,
    "science_technology": 0.2,
    "humanitarian_cultural": 0.28,
    "social": 0.2,
}
FIRST_YEAR = 1998


def generate_projects(
    members: pd.DataFrame,
    task_ids: list[str],
    n_projects: int = 360,
    seed: int = 20261125,
    today: date = date(2026, 11, 25),
    mean_partners: float = 2.2,
    id_prefix: str = "DEMO-",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (projects, participants) frames in the register's file format (strings/dates).

    Leads are drawn with weight √population, partners with population^0.4, doubled for cities of
    the lead's country, so the mix looks plausible. Deterministic for a given seed and members.
    """
    rng = np.random.default_rng(seed)
    areas = np.array(list(AREA_WEIGHTS))
    area_idx = rng.choice(len(areas), size=n_projects, p=np.array(list(AREA_WEIGHTS.values())))

    # Start dates: more projects in later years (the assembly grew), a few planned ahead.
    first = np.datetime64(f"{FIRST_YEAR}-01-01")
    last = np.datetime64(today) + np.timedelta64(400, "D")
    span = int((last - first).astype(int))
    offsets = (rng.random(n_projects) ** 0.75 * span).astype(int)
    start = first + offsets.astype("timedelta64[D]")
    duration = rng.integers(120, 1600, size=n_projects).astype("timedelta64[D]")
    end = start + duration
    today64 = np.datetime64(today)
    status = np.where(start > today64, "planned", np.where(end < today64, "completed", "active"))

    topic_pick = rng.integers(0, 6, size=n_projects)
    with_task = rng.random(n_projects) < 0.8
    task_pick = rng.integers(0, max(len(task_ids), 1), size=n_projects)

    pop = members["population"].astype(float).to_numpy()
    lead_p = np.sqrt(pop) / np.sqrt(pop).sum()
    member_ids = members["id"].astype(str).to_numpy()
    country = members["country_id"].astype(str).to_numpy()
    lead_idx = rng.choice(len(member_ids), size=n_projects, p=lead_p)

    n_partners = 1 + rng.poisson(max(mean_partners - 1, 0.0), size=n_projects)
    partner_project = np.repeat(np.arange(n_projects), n_partners)
    base = pop**0.4
    # Two draws per partner slot: one from anywhere, one from the lead's country; pick per slot.
    anywhere = rng.choice(len(member_ids), size=len(partner_project), p=base / base.sum())
    domestic_pick = rng.random(len(partner_project)) < 0.45
    lead_country = country[lead_idx[partner_project]]
    order = np.argsort(country, kind="stable")
    sorted_country = country[order]
    lo = np.searchsorted(sorted_country, lead_country, side="left")
    hi = np.searchsorted(sorted_country, lead_country, side="right")
    domestic = order[lo + (rng.random(len(partner_project)) * (hi - lo)).astype(int)]
    partner_idx = np.where(domestic_pick, domestic, anywhere)

    # Zero-padded to the widest number so that ids sort in generation order (searchsorted below).
    width = max(4, len(str(n_projects)))
    ids = np.array([f"{id_prefix}{i + 1:0{width}d}" for i in range(n_projects)])
    participants = pd.DataFrame(
        {
            "project_id": np.concatenate([ids, ids[partner_project]]),
            "member_id": np.concatenate([member_ids[lead_idx], member_ids[partner_idx]]),
            "role": np.concatenate(
                [np.full(n_projects, "lead"), np.full(len(partner_project), "partner")]
            ),
        }
    )
    participants = participants.drop_duplicates(["project_id", "member_id"], keep="first")
    # A project whose partners all collapsed into the lead gets its nearest-in-list partner.
    counts = participants.groupby("project_id", sort=False).size()
    lonely = counts[counts < 2].index.to_numpy()
    if len(lonely):
        pos = np.searchsorted(ids, lonely)
        extra_idx = (lead_idx[pos] + 1) % len(member_ids)
        participants = pd.concat(
            [
                participants,
                pd.DataFrame(
                    {"project_id": lonely, "member_id": member_ids[extra_idx], "role": "partner"}
                ),
            ],
            ignore_index=True,
        )
    participants = participants.sort_values(
        ["project_id", "role", "member_id"], kind="stable"
    ).reset_index(drop=True)

    names_ru = members["name_ru"].astype(str).to_numpy()
    names_en = members["name_en"].astype(str).to_numpy()
    topic_ru = np.array([[t[0] for t in TOPICS[a]] for a in areas])
    topic_en = np.array([[t[1] for t in TOPICS[a]] for a in areas])
    title_ru = pd.Series(topic_ru[area_idx, topic_pick]) + " — " + names_ru[lead_idx]
    title_en = pd.Series(topic_en[area_idx, topic_pick]) + " — " + names_en[lead_idx]

    has_budget = rng.random(n_projects) < 0.6
    budget = np.round(np.exp(rng.normal(14.5, 1.1, size=n_projects)), -3)
    lead_is_ru = country[lead_idx] == "russia"
    currency = np.where(lead_is_ru, "RUB", "USD")
    budget = np.where(lead_is_ru, budget, np.round(budget / 80, -2))

    projects = pd.DataFrame(
        {
            "id": ids,
            "title_ru": title_ru,
            "title_en": title_en,
            "area_id": areas[area_idx],
            "task_id": np.where(with_task, np.array(task_ids or [""])[task_pick], ""),
            "status": status,
            "start_date": pd.Series(start).dt.strftime("%Y-%m-%d"),
            "end_date": np.where(status == "planned", "", pd.Series(end).dt.strftime("%Y-%m-%d")),
            "budget": np.where(has_budget, budget.astype(np.int64).astype(str), ""),
            "currency": np.where(has_budget, currency, ""),
            "illustrative": "true",
        }
    )
    return projects, participants
