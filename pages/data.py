"""Data: download the registers and templates; signed-in editors upload, review, apply and undo.

The upload is a plain ``st.file_uploader`` (key ``data_upload``); AppTest 1.67 drives it with
``at.file_uploader(key="data_upload").set_value((name, content, mime))``. Writes go through
``mag_data.editing.store`` only, in button callbacks whose arguments are bound when the page is drawn:
an apply carries the fingerprint of the register the user reviewed, so a change made meanwhile
by someone else is refused as a conflict instead of being overwritten. Text from the data is
shown with ``st.text`` and ``st.dataframe`` only.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import time
from datetime import date

import pandas as pd
import streamlit as st

from mag_data.editing import auth, geocode
from mag_data.editing.review import (
    MAX_UPLOAD_BYTES,
    UPLOADABLE,
    UploadReview,
    export_frame,
    template_frame,
)
from mag_data.editing.store import (
    ConflictError,
    LockTimeout,
    RegisterStore,
    StoreError,
    history_frame,
)
from mag_data.i18n import fmt_datetime, fmt_int, problems_table, t
from mag_data.register.problems import DataValidationError
from mag_data.register.schema import MEMBERS, REGISTER_TABLES, TABLES_BY_NAME
from ui import state, widgets

USER_KEY = "data_user"
THROTTLE_KEY = "data_throttle"
REVIEW_KEY = "data_review"
FLASH_KEY = "data_flash"
GEO_KEY = "data_geo"
# Names recorded in the history: letters (any script), digits, space, dot, hyphen, underscore.
NAME_PATTERN = re.compile(r"^[\w .\-]{1,60}$")
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "cp1251": "Windows-1251",
    "utf-16": "UTF-16",
    "xlsx": "Excel XLSX",
}
DELIMITERS = {",": "«,»", ";": "«;»", "\t": "Tab", "": "—"}

ctx = state.context()
lang = ctx.lang
store = RegisterStore(state.data_dir())


def _secrets() -> dict | None:
    """The password-hash secret, if a secrets.toml provides one (no file is not an error)."""
    try:
        return {auth.SECRET_KEY: st.secrets.get(auth.SECRET_KEY)}
    except Exception:  # no secrets file, or an unreadable one: fall back to the environment
        return None


def _flash(kind: str, **params: str) -> None:
    st.session_state[FLASH_KEY] = (kind, params)


def _show_flash() -> None:
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash is None:
        return
    kind, params = flash
    text = t(f"data.flash.{kind}", lang, **params)
    if kind in ("applied", "restored", "signed_out"):
        st.success(text, icon="✅")
    elif kind == "unchanged":
        st.info(text, icon="ℹ️")
    else:
        st.error(text, icon="⛔")


def _flash_conflict(conflict: ConflictError) -> None:
    """Who changed the register meanwhile (names from the history, reduced to plain text)."""
    latest = conflict.latest
    user = re.sub(r"[^\w .\-]", "", latest.user)[:60] if latest else "?"
    _flash("conflict", user=user or "?", time=latest.time if latest else "?")


# --- callbacks (run before the next rerun; arguments bound when the page was drawn) ----------


def _sign_in(stored: str) -> None:
    name = str(st.session_state.get("data_name", "")).strip()
    password = str(st.session_state.get("data_password", ""))
    st.session_state["data_password"] = ""
    if not NAME_PATTERN.match(name):
        _flash("bad_name")
        return
    throttle = st.session_state.get(THROTTLE_KEY) or auth.Throttle()
    now = time.monotonic()
    result = auth.attempt(password, stored, throttle, now)
    st.session_state[THROTTLE_KEY] = result.throttle
    if result.ok:
        st.session_state[USER_KEY] = name
    elif result.wait_s > 0:
        _flash("wait", seconds=str(math.ceil(result.wait_s)))
    else:
        _flash("wrong_password", seconds=str(math.ceil(result.throttle.wait_seconds(now))))


def _sign_out() -> None:
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(REVIEW_KEY, None)
    _flash("signed_out")


def _apply(review: UploadReview, user: str) -> None:
    assert review.data is not None
    try:
        version = store.apply(
            {review.file: review.data},
            expected_fingerprint=review.base_fingerprint,
            user=user,
            reason=str(st.session_state.get("data_reason", "")),
        )
    except ConflictError as conflict:
        _flash_conflict(conflict)
    except DataValidationError:
        _flash("invalid")
    except LockTimeout:
        _flash("busy")
    else:
        _flash(
            "applied" if version else "unchanged",
            version=fmt_datetime(version.time, lang, st.context.timezone) if version else "",
        )
    # Review again against the register as it is now (the new differences, or none).
    st.session_state.pop(REVIEW_KEY, None)


def _restore(version_id: str | None, expected: str, user: str) -> None:
    version_id = version_id or st.session_state.get("data_restore_pick")
    if not version_id:
        return
    # Versions are named to people by their time, never by their internal id.
    tz = st.context.timezone
    named = {v.id: fmt_datetime(v.time, lang, tz) for v in store.history()}.get(version_id, "")
    try:
        version = store.restore(
            version_id,
            expected_fingerprint=expected,
            user=user,
            reason=t("data.restore.reason", lang, version=named),
        )
    except ConflictError as conflict:
        _flash_conflict(conflict)
    except (StoreError, KeyError, DataValidationError):
        _flash("restore_failed", version=named)
    else:
        _flash("restored" if version else "unchanged", version=named)
    st.session_state.pop(REVIEW_KEY, None)


# --- sections -------------------------------------------------------------------------------


def downloads() -> None:
    """Current registers and blank templates, CSV and XLSX."""
    st.subheader(t("data.download", lang))
    name = st.selectbox(
        t("data.download.table", lang),
        options=[spec.name for spec in REGISTER_TABLES],
        format_func=lambda n: t(f"data.table.{n}", lang),
        key="data_download_table",
    )
    spec = TABLES_BY_NAME[name or REGISTER_TABLES[0].name]
    current = store.read_files().get(spec.file, b"")
    st.caption(t("data.download.current", lang, file=spec.file))
    widgets.download_buttons(export_frame(spec, current), spec.name, lang, key="data_current")
    st.caption(t("data.download.template", lang))
    widgets.download_buttons(template_frame(spec), f"{spec.name}_template", lang, key="data_tpl")


def sign_in_section(stored: str) -> None:
    st.info(t("data.sign_in.help", lang), icon="🔒")
    with st.form("data_sign_in_form", enter_to_submit=True):
        st.text_input(t("data.name", lang), key="data_name", max_chars=60)
        st.text_input(t("data.password", lang), key="data_password", type="password")
        st.form_submit_button(
            t("data.sign_in", lang), key="data_sign_in", on_click=_sign_in, args=(stored,)
        )


def coordinates_step(raw: bytes, upload_name: str) -> dict[int, dict[str, str]]:
    """For new cities without coordinates: candidates (Nominatim / gazetteer) or manual entry."""
    missing = store.new_members_without_coordinates(raw, upload_name)
    if missing.empty:
        return {}
    st.markdown(f"**{t('data.geo.title', lang)}**")
    st.caption(t("data.geo.help", lang))
    lookups = st.session_state.setdefault(GEO_KEY, {})
    today = date.today().isoformat()
    fills: dict[int, dict[str, str]] = {}
    for rec in missing.head(20).itertuples(index=False):
        names = [str(rec.name_ru), str(rec.name_en)]
        lookup_key = (tuple(names), str(rec.iso_code))
        if lookup_key not in lookups:
            lookups[lookup_key] = geocode.find_coordinates(names, str(rec.iso_code) or None)
        lookup: geocode.Lookup = lookups[lookup_key]
        with st.container(border=True):
            st.text(f"{rec.name_ru} / {rec.name_en} ({rec.id}), {rec.country_en}")
            note = t(f"data.geo.source.{lookup.source}", lang)
            if lookup.online_error:
                note += " " + t("data.geo.offline", lang)
            st.caption(note)
            if lookup.candidates:
                st.dataframe(
                    pd.DataFrame(
                        {
                            t("data.geo.place", lang): [c.label for c in lookup.candidates],
                            t("data.geo.country", lang): [
                                c.country_code for c in lookup.candidates
                            ],
                            "lat": [c.lat for c in lookup.candidates],
                            "lon": [c.lon for c in lookup.candidates],
                            t("col.population", lang): [
                                fmt_int(c.population, lang) if c.population else "—"
                                for c in lookup.candidates
                            ],
                        }
                    ),
                    hide_index=True,
                )
            options: list[int | str] = [*range(len(lookup.candidates)), "manual"]
            pick = st.selectbox(
                t("data.geo.pick", lang),
                options=options,
                format_func=lambda i, c=lookup.candidates: (
                    t("data.geo.manual", lang)
                    if i == "manual"
                    else f"{c[i].label} ({c[i].lat:.4f}, {c[i].lon:.4f})"
                ),
                key=f"data_geo_pick_{rec.row}",
            )
            if pick == "manual":
                c1, c2 = st.columns(2)
                lat = c1.number_input(
                    "lat", -90.0, 90.0, value=None, format="%.5f", key=f"data_geo_lat_{rec.row}"
                )
                lon = c2.number_input(
                    "lon", -180.0, 180.0, value=None, format="%.5f", key=f"data_geo_lon_{rec.row}"
                )
                if lat is not None and lon is not None:
                    fills[int(rec.row)] = {
                        "lat": f"{lat:.5f}",
                        "lon": f"{lon:.5f}",
                        "coord_source": geocode.source_note(None, today),
                    }
                    st.caption(t("data.geo.used.manual", lang))
            else:
                chosen = lookup.candidates[int(pick)]
                cells = {
                    "lat": repr(chosen.lat),
                    "lon": repr(chosen.lon),
                    "coord_source": geocode.source_note(chosen, today),
                }
                if chosen.geonameid:
                    cells["geonameid"] = str(chosen.geonameid)
                fills[int(rec.row)] = cells
                st.caption(t(f"data.geo.used.{chosen.source}", lang))
    return fills


def show_diff(review: UploadReview) -> None:
    diff = review.diff
    assert diff is not None
    st.markdown(f"**{t('data.diff.title', lang)}**")
    if diff.is_empty:
        st.info(t("data.diff.none", lang), icon="ℹ️")
        return
    c1, c2, c3 = st.columns(3)
    c1.metric(t("data.diff.added", lang), fmt_int(len(diff.added), lang))
    c2.metric(t("data.diff.removed", lang), fmt_int(len(diff.removed), lang))
    c3.metric(t("data.diff.changed", lang), fmt_int(diff.changed_rows, lang))
    if not diff.added.empty:
        st.caption(t("data.diff.added", lang))
        st.dataframe(diff.added, hide_index=True, key="data_diff_added")
    if not diff.removed.empty:
        st.caption(t("data.diff.removed", lang))
        st.dataframe(diff.removed, hide_index=True, key="data_diff_removed")
    if not diff.changed.empty:
        st.caption(t("data.diff.changed", lang))
        headers = {
            "column": t("data.diff.column", lang),
            "old": t("data.diff.old", lang),
            "new": t("data.diff.new", lang),
        }
        st.dataframe(diff.changed.rename(columns=headers), hide_index=True, key="data_diff_changed")


def upload_section(user: str) -> None:
    st.subheader(t("data.upload", lang))
    if st.session_state.get("data_table") is None:
        st.session_state["data_table"] = UPLOADABLE[0].name
    table = st.segmented_control(
        t("data.upload.table", lang),
        options=[spec.name for spec in UPLOADABLE],
        format_func=lambda n: t(f"data.table.{n}", lang),
        key="data_table",
    )
    spec = TABLES_BY_NAME[table or UPLOADABLE[0].name]
    uploaded = st.file_uploader(
        t("data.upload.file", lang, file=spec.file),
        type=["csv", "xlsx"],
        key="data_upload",
        max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
    )
    if uploaded is None:
        st.caption(t("data.upload.hint", lang))
        return
    raw = uploaded.getvalue()
    fills = coordinates_step(raw, uploaded.name) if spec is MEMBERS else {}
    review_key = (spec.name, hashlib.sha256(raw).hexdigest(), repr(sorted(fills.items())))
    cached = st.session_state.get(REVIEW_KEY)
    if cached is None or cached[0] != review_key:
        review = store.review(spec, raw, uploaded.name, fills)
        st.session_state[REVIEW_KEY] = (review_key, review)
        st.session_state["data_confirm"] = False
    else:
        review = cached[1]

    if review.encoding is not None:
        st.caption(
            t(
                "data.detected",
                lang,
                encoding=ENCODINGS.get(review.encoding, review.encoding),
                delimiter=DELIMITERS.get(review.delimiter or "", review.delimiter or ""),
                rows=fmt_int(review.rows, lang),
                file=spec.file,
            )
        )
    if review.errors:
        widgets.show_problems(review.errors, lang, "data.errors.title", "data.errors.help")
        st.warning(t("data.blocked", lang), icon="⛔")
    if review.warnings:
        st.warning(t("data.warnings", lang), icon="⚠️")
        st.dataframe(
            pd.DataFrame(problems_table(review.warnings, lang)),
            hide_index=True,
            key="data_warnings_table",
        )
    if review.errors or review.diff is None:
        return
    show_diff(review)
    if review.diff.is_empty:
        return
    st.text_input(t("data.reason", lang), key="data_reason", max_chars=300)
    confirmed = True
    if review.warnings:
        confirmed = st.checkbox(t("data.confirm", lang), key="data_confirm")
    st.button(
        t("data.apply", lang),
        key="data_apply",
        type="primary",
        icon="💾",
        disabled=not (review.can_apply and confirmed),
        on_click=_apply,
        args=(review, user),
    )


def history_section(user: str) -> None:
    st.subheader(t("data.history", lang))
    versions = store.history()
    if not versions:
        st.caption(t("data.history.empty", lang))
        return
    current = store.fingerprint()
    target = store.undo_target()
    if target is not None:
        st.button(
            t("data.undo", lang, time=fmt_datetime(target.time, lang, st.context.timezone)),
            key="data_undo",
            icon="↩️",
            on_click=_restore,
            args=(target.id, current, user),
        )
    # Times in the reader's time zone, ДД.ММ.ГГГГ ЧЧ:ММ; a restored version is named by its
    # time, not by its internal id.
    tz = st.context.timezone
    when = {v.id: fmt_datetime(v.time, lang, tz) for v in versions}
    table = (
        history_frame(versions)
        .assign(
            time=lambda f: f["time"].map(lambda x: fmt_datetime(x, lang, tz)),
            restored_from=lambda f: f["restored_from"].map(lambda i: when.get(i, i)),
            current=[v.fingerprint == current for v in versions],
            action=lambda f: f["action"].map(lambda a: t(f"data.action.{a}", lang)),
        )
        .drop(columns=["id"])
    )
    headers = {c: t(f"data.history.{c}", lang) for c in table.columns}
    st.dataframe(table.rename(columns=headers), hide_index=True, key="data_history_table")
    labels = {
        v.id: f"{when[v.id]} · {v.user} · {t(f'data.action.{v.action}', lang)}" for v in versions
    }
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.selectbox(
        t("data.restore.pick", lang),
        options=list(labels),
        format_func=labels.__getitem__,
        key="data_restore_pick",
    )
    c2.button(
        t("data.restore", lang),
        key="data_restore",
        on_click=_restore,
        args=(None, current, user),
    )


# --- page -------------------------------------------------------------------------------------

st.title(t("page.data", lang))
st.caption(t("data.intro", lang))
downloads()
st.divider()
_show_flash()
stored_hash = auth.configured_hash(_secrets(), os.environ)
if stored_hash is None:
    st.info(t("data.editing_off", lang), icon="🔒")
    st.code(
        ".venv/bin/python -m mag_data.editing.auth\n"
        "# /etc/mag/secrets.toml (or .streamlit/secrets.toml):\n"
        '# mag_admin_password_hash = "scrypt$..."\n'
        "# or: export MAG_ADMIN_PASSWORD_HASH='scrypt$...'",
        language="bash",
    )
    state.end_page()
try:
    auth.parse_hash(stored_hash)
except ValueError:
    st.error(t("data.bad_hash", lang), icon="⛔")
    state.end_page()
editor = st.session_state.get(USER_KEY)
if editor is None:
    sign_in_section(stored_hash)
    state.end_page()

c1, c2 = st.columns([4, 1], vertical_alignment="center")
c1.success(t("data.signed_in", lang, name=editor), icon="🔓")
c2.button(t("data.sign_out", lang), key="data_sign_out", on_click=_sign_out)
upload_section(editor)
st.divider()
history_section(editor)
