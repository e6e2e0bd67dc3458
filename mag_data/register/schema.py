"""The registers' columns: names, types, allowed values. One table of truth for loaders and docs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["id", "str", "int", "float", "bool", "date", "category"]

STATUSES: tuple[str, ...] = ("planned", "active", "completed")
ROLES: tuple[str, ...] = ("lead", "partner")
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
PROJECT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
# The chronicle's vocabularies and forms (events.csv and its companions).
EVENT_KINDS: tuple[str, ...] = (
    "session",
    "board_meeting",
    "forum",
    "contest",
    "election",
    "admission",
)
DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year", "unknown")
# A date as precise as its source: YYYY, YYYY-MM or YYYY-MM-DD (checked against the precision).
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
URL_PATTERN = r"^https?://\S+$"
ID_LIST_PATTERN = r"^[a-z0-9][a-z0-9_-]*(\|[a-z0-9][a-z0-9_-]*)*$"
MAX_TEXT_LENGTH = 300
# Russia's federal districts in their official order (``federal_district_id``: the slug of
# ``federal_district_en``): the seven of the President's decree No. 849 of 13 May 2000 in the
# decree's order, with the North Caucasian district (decree No. 82 of 19 January 2010, split
# from the Southern one) after the Southern: the order of Rosstat's yearbook «Регионы России»
# and of the Kremlin's list of plenipotentiary representatives. The one place this order is
# kept (filter options, charts); a district not listed here sorts after these.
FEDERAL_DISTRICTS = (
    "central-federal-district",  # Центральный
    "northwestern-federal-district",  # Северо-Западный
    "southern-federal-district",  # Южный
    "north-caucasian-federal-district",  # Северо-Кавказский
    "volga-federal-district",  # Приволжский
    "ural-federal-district",  # Уральский
    "siberian-federal-district",  # Сибирский
    "far-eastern-federal-district",  # Дальневосточный
)

# The bound of a number column that declares none (a budget, a population): beyond it a number
# is out of range (and floats still hold every integer exactly).
NUMBER_LIMIT = 10**15


@dataclass(frozen=True)
class Column:
    """One column of a register file: its type, whether it may be empty, and its bounds."""

    name: str
    kind: Kind
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """A register file: its name in ``data/``, its columns in order, and its unique key."""

    name: str
    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


MEMBERS = TableSpec(
    name="members",
    file="members.csv",
    key=("id",),
    columns=(
        Column("id", "id", pattern=ID_PATTERN),
        Column("name_ru", "str"),
        Column("name_en", "str"),
        Column("country_id", "category", pattern=ID_PATTERN),
        Column("country_ru", "category"),
        Column("country_en", "category"),
        Column("iso_code", "category", required=False, pattern=r"^[A-Z]{2}$"),
        Column("macro_region_id", "category", pattern=ID_PATTERN),
        Column("macro_region_ru", "category"),
        Column("macro_region_en", "category"),
        Column("list_group", "int", minimum=1),
        Column("list_position", "int", minimum=1),
        Column("subdivision_code", "category", required=False),
        Column("subdivision_ru", "category"),
        Column("subdivision_en", "category"),
        Column("federal_district_ru", "category", required=False),
        Column("federal_district_en", "category", required=False),
        Column("lat", "float", minimum=-90, maximum=90),
        Column("lon", "float", minimum=-180, maximum=180),
        Column("population", "int", minimum=0),
        Column("population_year", "int", required=False, minimum=1800, maximum=2100),
        Column("population_source", "str"),
        Column("is_capital", "bool"),
        Column("joined", "int", required=False, minimum=1990, maximum=2100),
        Column("joined_source_url", "str", required=False, pattern=URL_PATTERN),
        Column("joined_source_publisher", "str", required=False),
        Column("joined_source_quote", "str", required=False),
        Column("geonameid", "int", required=False, minimum=1),
        Column("coord_source", "str"),
    ),
)

ALIASES = TableSpec(
    name="aliases",
    file="aliases.csv",
    key=("member_id", "alias"),
    columns=(
        Column("member_id", "id", pattern=ID_PATTERN),
        Column("alias", "str"),
        Column("lang", "category", choices=("ru", "en", "other")),
    ),
)

# A controlled vocabulary: id, label in each language, display order.
VOCABULARY_COLUMNS = (
    Column("id", "id", pattern=ID_PATTERN),
    Column("name_ru", "str"),
    Column("name_en", "str"),
    Column("order", "int", minimum=1),
)

AREAS = TableSpec(
    name="cooperation_areas", file="cooperation_areas.csv", key=("id",), columns=VOCABULARY_COLUMNS
)

TASKS = TableSpec(name="tasks", file="tasks.csv", key=("id",), columns=VOCABULARY_COLUMNS)

PROJECTS = TableSpec(
    name="projects",
    file="projects.csv",
    key=("id",),
    columns=(
        Column("id", "id", pattern=PROJECT_ID_PATTERN),
        Column("title_ru", "str"),
        Column("title_en", "str"),
        Column("area_id", "category"),
        Column("task_id", "category", required=False),
        Column("status", "category", choices=STATUSES),
        Column("start_date", "date"),
        Column("end_date", "date", required=False),
        Column("budget", "float", required=False, minimum=0),
        Column("currency", "category", required=False, pattern=CURRENCY_PATTERN),
        Column("illustrative", "bool"),
    ),
)

PARTICIPANTS = TableSpec(
    name="participants",
    file="participants.csv",
    key=("project_id", "member_id"),
    columns=(
        Column("project_id", "id", pattern=PROJECT_ID_PATTERN),
        Column("member_id", "id", pattern=ID_PATTERN),
        Column("role", "category", choices=ROLES),
    ),
)

# The chronicle: real, sourced facts (unlike the illustrative projects). Every event carries one
# source in its row (checked in mag_data.register.chronicle_checks); more are in event_sources.
SOURCE_COLUMNS = (
    Column("source_url", "str", required=False, pattern=URL_PATTERN),
    Column("source_publisher", "str", required=False),
    Column("source_quote", "str", required=False),
    Column("source_date", "str", required=False, pattern=PARTIAL_DATE_PATTERN),
)

EVENTS = TableSpec(
    name="events",
    file="events.csv",
    key=("id",),
    columns=(
        Column("id", "id", pattern=ID_PATTERN),
        Column("kind", "category", choices=EVENT_KINDS),
        Column("number", "str", required=False),
        Column("start_date", "str", required=False, pattern=PARTIAL_DATE_PATTERN),
        Column("end_date", "str", required=False, pattern=PARTIAL_DATE_PATTERN),
        Column("date_precision", "category", choices=DATE_PRECISIONS),
        Column("host_city_id", "id", required=False, pattern=ID_PATTERN),
        Column("host_name_ru", "str", required=False),
        Column("host_name_en", "str", required=False),
        Column("host_lat", "float", required=False, minimum=-90, maximum=90),
        Column("host_lon", "float", required=False, minimum=-180, maximum=180),
        Column("title_ru", "str"),
        Column("title_en", "str"),
        Column("summary_ru", "str"),
        Column("summary_en", "str"),
        *SOURCE_COLUMNS,
        Column("disagreement", "str", required=False),
        Column("disagrees_with", "str", required=False, pattern=ID_LIST_PATTERN),
    ),
)

EVENT_SOURCES = TableSpec(
    name="event_sources",
    file="event_sources.csv",
    key=("event_id", "source_url"),
    columns=(
        Column("event_id", "id", pattern=ID_PATTERN),
        Column("source_url", "str", pattern=URL_PATTERN),
        Column("source_publisher", "str"),
        Column("source_quote", "str"),
        Column("source_date", "str", required=False, pattern=PARTIAL_DATE_PATTERN),
        Column("note", "str", required=False),
    ),
)

MEMBERSHIP_STATEMENTS = TableSpec(
    name="membership_statements",
    file="membership_statements.csv",
    key=("id",),
    columns=(
        Column("id", "id", pattern=ID_PATTERN),
        Column("as_of_year", "int", required=False, minimum=1990, maximum=2100),
        Column("n_cities", "int", required=False, minimum=0),
        Column("n_countries", "int", required=False, minimum=0),
        Column("founded_stated", "str", required=False, pattern=PARTIAL_DATE_PATTERN),
        Column("source_quote", "str"),
        Column("source_url", "str", pattern=URL_PATTERN),
        Column("source_publisher", "str"),
        Column("note", "str", required=False),
    ),
)

# The register: these nine files, in this order (the order of the content fingerprint). The one
# list of them; a real register replaces the illustrative one with files of these names.
REGISTER_TABLES: tuple[TableSpec, ...] = (
    MEMBERS,
    ALIASES,
    AREAS,
    TASKS,
    PROJECTS,
    PARTICIPANTS,
    EVENTS,
    EVENT_SOURCES,
    MEMBERSHIP_STATEMENTS,
)
REGISTER_FILES: tuple[str, ...] = tuple(spec.file for spec in REGISTER_TABLES)
TABLES_BY_NAME: dict[str, TableSpec] = {spec.name: spec for spec in REGISTER_TABLES}
