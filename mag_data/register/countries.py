"""The known countries: ``data/sources/countries.csv``, the one list (the members build reads it
too). A member's ``country_id`` must be one of its ids, and the labels that come with the id
(``country_ru``, ``country_en``, ``iso_code``, ``macro_region_*``) must be the ones listed there.
A new country of the assembly is added to that file first (see ``data/README.md``).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from mag_data import config
from mag_data.register.problems import Problem
from mag_data.register.validate import MAX_PROBLEMS_PER_CHECK

COUNTRIES_PATH = config.DATA_DIR / "sources" / "countries.csv"
# The members columns each country fixes (a members column of the same name in countries.csv).
COUNTRY_LABELS = (
    "country_ru",
    "country_en",
    "iso_code",
    "macro_region_id",
    "macro_region_ru",
    "macro_region_en",
)


@functools.cache
def known_countries(path: Path = COUNTRIES_PATH) -> pd.DataFrame:
    """The countries by ``country_id``, with the labels members must carry (strings, "" if none)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.set_index("country_id")[list(COUNTRY_LABELS)]


def check_countries(
    members: pd.DataFrame, file: str, countries: pd.DataFrame | None = None
) -> list[Problem]:
    """An unknown ``country_id`` and labels that disagree with the id: one problem per cell."""
    countries = known_countries() if countries is None else countries
    ids = members["country_id"].astype("string").fillna("")
    position = countries.index.get_indexer(ids)
    known = position >= 0
    problems: list[Problem] = []
    allowed = ", ".join(countries.index)
    for i in (~known & (ids != "")).to_numpy().nonzero()[0][:MAX_PROBLEMS_PER_CHECK]:
        problems.append(
            Problem(
                file=file,
                code="unknown_country",
                row=int(i) + 2,
                column="country_id",
                value=str(ids.iloc[i]),
                params={"allowed": allowed},
            )
        )
    take = position.clip(min=0)
    for column in COUNTRY_LABELS:
        have = members[column].astype("string").fillna("").to_numpy()
        expected = countries[column].to_numpy()[take]
        wrong = known & (have != expected)
        for i in wrong.nonzero()[0][:MAX_PROBLEMS_PER_CHECK]:
            problems.append(
                Problem(
                    file=file,
                    code="country_mismatch",
                    row=int(i) + 2,
                    column=column,
                    value=str(have[i]),
                    params={"country": str(ids.iloc[i]), "expected": str(expected[i]) or "—"},
                )
            )
    return problems
