"""A tiny hand-checkable register (4 cities, 4 projects, 4 events) written to a folder for tests.

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
    "is_capital,joined,joined_source_url,joined_source_publisher,joined_source_quote,geonameid,"
    "coord_source"
)
MEMBER_ROWS = [
    "msk,Москва,Moscow,russia,Россия,Russia,RU,russia,Россия,Russia,2,1,RU-MOW,Москва,Moscow,"
    "Центральный федеральный округ,Central Federal District,55.75204,37.61781,1000,2021,test,true,1998,https://example.org/msk,Test,Moscow joined in 1998.,524901,test",
    "kazan,Казань,Kazan,russia,Россия,Russia,RU,russia,Россия,Russia,2,2,RU-TA,Республика Татарстан,"
    "Republic of Tatarstan,Приволжский федеральный округ,Volga Federal District,55.78874,49.12214,500,2021,test,false,,,,,551487,test",
    "minsk,Минск,Minsk,belarus,Беларусь,Belarus,BY,eastern_europe,Восточная Европа,Eastern Europe,1,1,"
    "BY-HM,Минск,Minsk,,,53.9,27.56667,300,2019,test,true,,,,,625144,test",
    "almaty,Алматы,Almaty,kazakhstan,Казахстан,Kazakhstan,KZ,central_asia,Центральная Азия,Central Asia,3,1,"
    "KZ-75,Алматы,Almaty,,,43.25,76.91667,200,2021,test,false,,,,,1526384,test",
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
# The chronicle: two dated sessions (Moscow, and a non-member host with coordinates), one session
# with neither date nor place, a forum in Kazan; e1 and e3 disagree, e1 has a second source.
EVENT_HEADER = (
    "id,kind,number,start_date,end_date,date_precision,host_city_id,host_name_ru,host_name_en,"
    "host_lat,host_lon,title_ru,title_en,summary_ru,summary_en,source_url,source_publisher,"
    "source_quote,source_date,disagreement,disagrees_with"
)
EVENT_ROWS = [
    "e1,session,I,2001-05-10,2001-05-11,day,msk,,,,,Сессия I,Session I,Итоги,Results,"
    "https://example.org/e1,Pub A,Session I met in Moscow.,2001-05-12,Numbering differs from e3,e3",
    "e2,session,II,2005-06,,month,,Прага,Prague,50.08,14.42,Сессия II,Session II,Итоги,Results,"
    "https://example.org/e2,Pub B,Session II met in Prague.,,,",
    "e3,session,3,,,unknown,,,,,,Сессия 3,Session 3,Итоги,Results,"
    "https://example.org/e3,Pub C,The third session.,,Numbering differs from e1,e1",
    "e4,forum,,2010,,year,kazan,,,,,Форум,Forum,Итоги,Results,"
    "https://example.org/e4,Pub D,A forum in Kazan.,,,",
]
EVENT_SOURCE_HEADER = "event_id,source_url,source_publisher,source_quote,source_date,note"
EVENT_SOURCE_ROWS = ["e1,https://example.org/e1b,Pub E,Session I on 10 May 2001.,,Second report"]
STATEMENT_HEADER = "id,as_of_year,n_cities,n_countries,founded_stated,source_quote,source_url,source_publisher,note"
STATEMENT_ROWS = [
    "s-2001,2001,4,3,,Four cities of three countries.,https://example.org/s1,Pub A,",
    "s-founding,,,,1998,Founded in 1998.,https://example.org/s2,Pub B,",
]
# A chronicle without member hosts, for a test that brings its own members (which may lack msk).
EVENT_ROWS_WITHOUT_MEMBER_HOSTS = [
    row.replace(",msk,", ",,").replace(",kazan,", ",,") for row in EVENT_ROWS
]
ALIAS_HEADER = "member_id,alias,lang"
ALIAS_ROWS = ["almaty,Алма-Ата,ru", "almaty,Alma-Ata,en", "msk,Moskva,en"]


def csv_text(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def write_register(folder: Path, **replace: str | bytes) -> Path:
    """Write the tiny register into ``folder``; ``replace`` maps a file name to other contents.

    A test that replaces ``members.csv`` (and not ``events.csv``) gets a chronicle whose events
    have no member host, so that its own members need not include the default hosts."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str | bytes] = {
        "members.csv": csv_text(MEMBER_HEADER, MEMBER_ROWS),
        "projects.csv": csv_text(PROJECT_HEADER, PROJECT_ROWS),
        "participants.csv": csv_text(PARTICIPANT_HEADER, PARTICIPANT_ROWS),
        "aliases.csv": csv_text(ALIAS_HEADER, ALIAS_ROWS),
        "events.csv": csv_text(EVENT_HEADER, EVENT_ROWS),
        "event_sources.csv": csv_text(EVENT_SOURCE_HEADER, EVENT_SOURCE_ROWS),
        "membership_statements.csv": csv_text(STATEMENT_HEADER, STATEMENT_ROWS),
    }
    for name in ("cooperation_areas.csv", "tasks.csv"):
        shutil.copy(config.DATA_DIR / name, folder / name)
    if "members.csv" in replace and "events.csv" not in replace:
        files["events.csv"] = csv_text(EVENT_HEADER, EVENT_ROWS_WITHOUT_MEMBER_HOSTS)
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
