"""A tiny hand-checkable register (4 cities, 4 projects) written to a folder for tests.

Expected numbers used across the unit tests are worked out by hand from these rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mag_data import config

MEMBER_HEADER = (
    "id,name_ru,name_en,country_id,country_ru,country_en,iso_code,macro_region_id,macro_region_ru,"
    "macro_region_en,list_group,list_position,subdivision_code,subdivision_ru,subdivision_en,"
    "federal_district_ru,federal_district_en,lat,lon,population,population_year,population_source,"
    "is_capital,joined,geonameid,coord_source"
)
MEMBER_ROWS = [
    "msk,Москва,Moscow,russia,Россия,Russia,RU,russia,Россия,Russia,2,1,RU-MOW,Москва,Moscow,"
    "Центральный федеральный округ,Central Federal District,55.75204,37.61781,1000,2021,test,true,,524901,test",
    "kazan,Казань,Kazan,russia,Россия,Russia,RU,russia,Россия,Russia,2,2,RU-TA,Республика Татарстан,"
    "Republic of Tatarstan,Приволжский федеральный округ,Volga Federal District,55.78874,49.12214,500,2021,test,false,,551487,test",
    "minsk,Минск,Minsk,belarus,Беларусь,Belarus,BY,eastern_europe,Восточная Европа,Eastern Europe,1,1,"
    "BY-HM,Минск,Minsk,,,53.9,27.56667,300,2019,test,true,,625144,test",
    "almaty,Алматы,Almaty,kazakhstan,Казахстан,Kazakhstan,KZ,central_asia,Центральная Азия,Central Asia,3,1,"
    "KZ-75,Алматы,Almaty,,,43.25,76.91667,200,2021,test,false,,1526384,test",
]
PROJECT_HEADER = (
    "id,title_ru,title_en,area_id,task_id,status,start_date,end_date,budget,currency,illustrative"
)
PROJECT_ROWS = [
    "P1,Проект 1,Project 1,trade_economic,restore_links,completed,2001-03-01,2002-03-01,1000,RUB,true",
    "P2,Проект 2,Project 2,social,,active,2010-05-01,2030-01-01,,,true",
    "P3,Проект 3,Project 3,trade_economic,advocacy,planned,2027-01-01,,,,true",
    "P4,Проект 4,Project 4,science_technology,,completed,2005-01-01,2006-01-01,500,USD,true",
]
PARTICIPANT_HEADER = "project_id,member_id,role"
PARTICIPANT_ROWS = [
    "P1,msk,lead",
    "P1,minsk,partner",
    "P2,kazan,lead",
    "P2,msk,partner",
    "P3,almaty,lead",
    "P3,minsk,partner",
    "P3,kazan,partner",
    "P4,minsk,lead",
    "P4,almaty,partner",
]
ALIAS_HEADER = "member_id,alias,lang"
ALIAS_ROWS = ["almaty,Алма-Ата,ru", "almaty,Alma-Ata,en", "msk,Moskva,en"]


def csv_text(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def write_register(folder: Path, **replace: str | bytes) -> Path:
    """Write the tiny register into ``folder``; ``replace`` maps a file name to other contents."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str | bytes] = {
        "members.csv": csv_text(MEMBER_HEADER, MEMBER_ROWS),
        "projects.csv": csv_text(PROJECT_HEADER, PROJECT_ROWS),
        "participants.csv": csv_text(PARTICIPANT_HEADER, PARTICIPANT_ROWS),
        "aliases.csv": csv_text(ALIAS_HEADER, ALIAS_ROWS),
    }
    for name in ("cooperation_areas.csv", "tasks.csv"):
        shutil.copy(config.DATA_DIR / name, folder / name)
    files.update(replace)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


# The limits hold on an idle machine, where reviewing the unchanged tiny register takes about
# IDLE_REVIEW_S; on a machine shared with other jobs every review is slower by the same factor,
# so the time limits are scaled by it (measured once per test session).
IDLE_REVIEW_S = 0.5
_FACTOR: list[float] = []


def load_factor(folder: Path) -> float:
    """How much slower than idle this machine reviews the tiny register now (at least 1)."""
    if not _FACTOR:
        import time

        from mag_data.editing.store import RegisterStore
        from mag_data.register.schema import MEMBERS

        raw = (folder / MEMBERS.file).read_bytes()
        RegisterStore(folder).review(MEMBERS, raw, "members.csv")  # imports, caches
        start = time.perf_counter()
        RegisterStore(folder).review(MEMBERS, raw, "members.csv")
        _FACTOR.append(max(1.0, (time.perf_counter() - start) / IDLE_REVIEW_S))
    return _FACTOR[0]
