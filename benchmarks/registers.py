"""Seeded, reproducible registers at benchmark sizes, written in the register's file format.

Sizes: ``today`` (a copy of the bundled ``data/``), ``1k`` (1,000 members / ~100,000
participations) and ``10k`` (10,000 members / ~1,000,000 participations). The larger ones keep
the 85 real members and add SYNTHETIC cities: ids ``syn-NNNNN``, names "Синт. город NNNNN" /
"Synth city NNNNN", coordinates drawn near the real members of their country and clipped to the
CIS bounding box, ``population_source``/``coord_source`` saying "synthetic". Projects come from
the same vectorised generator as the bundled sample (``mag_data.register.sample.generate_projects``),
with ``SYN-`` project ids.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from mag_data import config
from mag_data.register.sample import generate_projects
from mag_data.register.schema import (
    ALIASES,
    AREAS,
    EVENT_SOURCES,
    EVENTS,
    MEMBERS,
    MEMBERSHIP_STATEMENTS,
    PARTICIPANTS,
    PROJECTS,
    REGISTER_FILES,
    TASKS,
)

SEED = 20261125
# The chronicle is the real one in every benchmark register (its hosts are real members).
CHRONICLE_FILES = (EVENTS.file, EVENT_SOURCES.file, MEMBERSHIP_STATEMENTS.file)
TODAY = date(2026, 11, 25)
# Latitude/longitude box of the CIS members (Kaliningrad to Kamchatka, Tajikistan to the Arctic).
CIS_LAT = (36.0, 70.0)
CIS_LON = (19.0, 180.0)
# Bump when the generator's output changes, so cached registers are rebuilt.
GENERATOR_VERSION = 1


@dataclass(frozen=True)
class Size:
    """One benchmark size: members and the participations asked for (None = the bundled data)."""

    name: str
    members: int | None
    participations: int | None
    label: str


SIZES: dict[str, Size] = {
    "today": Size("today", None, None, "today (bundled data/)"),
    "1k": Size("1k", 1_000, 100_000, "1,000 members / 100,000 participations"),
    "10k": Size("10k", 10_000, 1_000_000, "10,000 members / 1,000,000 participations"),
}


def synthetic_members(real: pd.DataFrame, n_total: int, seed: int = SEED) -> pd.DataFrame:
    """The real members plus ``n_total - len(real)`` synthetic ones, in the members.csv format.

    Synthetic cities go to the real countries in proportion to their real members (Russia
    most), sit near a real member of their country (clipped to the CIS box), get synthetic
    subdivisions (``SYN-<ISO>-NN``, ~25 cities each) and, in Russia, a real federal district.
    """
    real = real.copy()
    n_new = n_total - len(real)
    if n_new <= 0:
        return real.head(n_total).reset_index(drop=True)
    rng = np.random.default_rng(seed)
    # Pick an "anchor" real member per synthetic city: its country, district and neighbourhood.
    anchor = rng.integers(0, len(real), size=n_new)
    a = real.iloc[anchor].reset_index(drop=True)
    lat = np.clip(a["lat"].astype(float).to_numpy() + rng.normal(0, 2.0, n_new), *CIS_LAT)
    lon = np.clip(a["lon"].astype(float).to_numpy() + rng.normal(0, 4.0, n_new), *CIS_LON)
    population = np.round(np.exp(rng.normal(11.3, 1.0, n_new))).astype(np.int64) + 5_000
    numbers = np.arange(len(real) + 1, n_total + 1)
    country = a["country_id"].astype(str).to_numpy()
    iso = a["iso_code"].fillna("").astype(str).replace("", "XX").to_numpy()
    # Subdivision number within the country: ~25 synthetic cities per synthetic region.
    rank = pd.Series(country).groupby(country).cumcount().to_numpy()
    region = rank // 25 + 1
    region_code = pd.Series(iso).str.cat(pd.Series(region).map("{:02d}".format), sep="-")
    is_russia = country == "russia"
    new = pd.DataFrame(
        {
            "id": [f"syn-{i:05d}" for i in numbers],
            "name_ru": [f"Синт. город {i:05d}" for i in numbers],
            "name_en": [f"Synth city {i:05d}" for i in numbers],
            "country_id": country,
            "country_ru": a["country_ru"].to_numpy(),
            "country_en": a["country_en"].to_numpy(),
            "iso_code": a["iso_code"].to_numpy(),
            "macro_region_id": a["macro_region_id"].to_numpy(),
            "macro_region_ru": a["macro_region_ru"].to_numpy(),
            "macro_region_en": a["macro_region_en"].to_numpy(),
            "list_group": a["list_group"].to_numpy(),
            "list_position": numbers,
            "subdivision_code": ("SYN-" + region_code).to_numpy(),
            "subdivision_ru": ("Синт. регион " + region_code).to_numpy(),
            "subdivision_en": ("Synth region " + region_code).to_numpy(),
            "federal_district_ru": np.where(is_russia, a["federal_district_ru"].fillna(""), ""),
            "federal_district_en": np.where(is_russia, a["federal_district_en"].fillna(""), ""),
            "lat": np.round(lat, 5),
            "lon": np.round(lon, 5),
            "population": population,
            "population_year": 2021,
            "population_source": "synthetic benchmark city (not real)",
            "is_capital": "false",
            "joined": "",
            "joined_source_url": "",
            "joined_source_publisher": "",
            "joined_source_quote": "",
            "geonameid": "",
            "coord_source": "synthetic",
        }
    )
    return pd.concat([real, new], ignore_index=True)


def _participations_per_project(members: pd.DataFrame, tasks: list[str], seed: int) -> float:
    """Participations per project that the generator gives for these members (from a sample)."""
    _, parts = generate_projects(members, tasks, n_projects=20_000, seed=seed, id_prefix="SYN-")
    return len(parts) / 20_000


def build_register(size: Size, folder: Path, seed: int = SEED) -> dict[str, int]:
    """Write one register into ``folder``; returns its row counts."""
    folder.mkdir(parents=True, exist_ok=True)
    if size.members is None:
        for name in REGISTER_FILES:
            shutil.copy(config.DATA_DIR / name, folder / name)
    else:
        real = pd.read_csv(config.DATA_DIR / MEMBERS.file, dtype=str, keep_default_na=False)
        members = synthetic_members(real, size.members, seed)
        tasks = list(pd.read_csv(config.DATA_DIR / TASKS.file)["id"])
        gen_members = members.assign(population=members["population"].astype(np.int64))
        per_project = _participations_per_project(gen_members, tasks, seed)
        n_projects = round((size.participations or 0) / per_project)
        projects, participants = generate_projects(
            gen_members, tasks, n_projects=n_projects, seed=seed, today=TODAY, id_prefix="SYN-"
        )
        members.to_csv(folder / MEMBERS.file, index=False, lineterminator="\n")
        projects.to_csv(folder / PROJECTS.file, index=False, lineterminator="\n")
        participants.to_csv(folder / PARTICIPANTS.file, index=False, lineterminator="\n")
        for name in (ALIASES.file, AREAS.file, TASKS.file, *CHRONICLE_FILES):
            shutil.copy(config.DATA_DIR / name, folder / name)
    return counts(folder)


def counts(folder: Path) -> dict[str, int]:
    """Rows per register file (data lines, header excluded)."""
    out = {}
    for name in REGISTER_FILES:
        with open(folder / name, "rb") as fh:
            out[name.removesuffix(".csv")] = sum(1 for _ in fh) - 1
    return out


def _recipe(size: Size, seed: int) -> str:
    """What the register is made from: a changed input or generator version rebuilds it."""
    digest = hashlib.sha256()
    for name in REGISTER_FILES:
        digest.update((config.DATA_DIR / name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update((config.PACKAGE_DIR / "register" / "sample.py").read_bytes())
    digest.update(json.dumps([size.__dict__, seed, GENERATOR_VERSION]).encode())
    return digest.hexdigest()


def ensure_register(size: Size, root: Path, seed: int = SEED) -> tuple[Path, dict[str, int]]:
    """The register folder for ``size`` under ``root``, (re)built only when its recipe changed."""
    folder = root / size.name
    stamp = folder / "recipe.json"
    recipe = _recipe(size, seed)
    if stamp.exists():
        saved = json.loads(stamp.read_text())
        if saved.get("recipe") == recipe and all((folder / n).exists() for n in REGISTER_FILES):
            return folder, saved["counts"]
    if folder.exists():
        shutil.rmtree(folder)
    rows = build_register(size, folder, seed)
    stamp.write_text(json.dumps({"recipe": recipe, "counts": rows}, indent=1))
    return folder, rows
