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
import os
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
from mag_data.editing.store import ConflictError, LockTimeout, RegisterStore, WriteFailed
from mag_data.i18n import fmt_datetime, fmt_int, fmt_size, problems_table, t
from mag_data.register.problems import DataValidationError
from mag_data.register.schema import MEMBERS, REGISTER_TABLES, TABLES_BY_NAME
from ui import editing, state, widgets

GEO_KEY = "data_geo"
REVIEW_KEY = editing.REVIEW_KEY
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "cp1251": "Windows-1251",
    "koi8-r": "KOI8-R",
    "koi8-u": "KOI8-U",
    "cp866": "cp866 (DOS)",
    "iso-8859-5": "ISO-8859-5",
    "utf-16": "UTF-16",
    "xlsx": "Excel XLSX",
}
DELIMITERS = {",": "«,»", ";": "«;»", "\t": "Tab", "": "—"}

ctx = state.context()
lang = ctx.lang
store = RegisterStore(state.data_dir())


# --- callbacks (run before the next rerun; arguments bound when the page was drawn) ----------


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
        editing.flash_conflict(conflict)
    except DataValidationError:
        editing.flash("invalid")
    except LockTimeout:
        editing.flash("busy")
    except WriteFailed as error:
        editing.flash_write_failed(error)
    else:
        editing.flash(
            "applied" if version else "unchanged",
            version=fmt_datetime(version.time, lang, st.context.timezone) if version else "",
        )
    # Review again against the register as it is now (the new differences, or none).
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


def coordinates_step(raw: bytes, upload_name: str) -> dict[int, dict[str, str]]:
    """For new cities without coordinates: candidates (Nominatim / gazetteer) or manual entry."""
    missing = store.new_members_without_coordinates(raw, upload_name)
    if missing.empty:
        return {}
    st.markdown(f"**{t('data.geo.title', lang)}**")
    st.caption(t("data.geo.help", lang))
    lookups = st.session_state.setdefault(GEO_KEY, {})
    online = geocode.online_enabled(editing.secrets(), os.environ)
    if not online:
        st.caption(t("data.geo.online_off", lang))
    today = date.today().isoformat()
    fills: dict[int, dict[str, str]] = {}
    for rec in missing.head(20).itertuples(index=False):
        names = [str(rec.name_ru), str(rec.name_en)]
        lookup_key = (tuple(names), str(rec.iso_code))
        if lookup_key not in lookups:
            lookups[lookup_key] = geocode.find_coordinates(
                names, str(rec.iso_code) or None, online=online
            )
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
        t("data.upload.file", lang, file=spec.file, mb=fmt_int(MAX_UPLOAD_BYTES // 2**20, lang)),
        type=["csv", "xlsx"],
        key="data_upload",
        max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
    )
    if uploaded is None:
        st.caption(t("data.upload.hint", lang))
        return
    raw = uploaded.getvalue()
    # The widget writes the size in English («32.8KB», hidden in Russian by ui.style).
    st.caption(
        t(
            "upload.chosen",
            lang,
            upload=widgets.md_escape(uploaded.name),
            size=fmt_size(len(raw), lang),
        )
    )
    fills = coordinates_step(raw, uploaded.name) if spec is MEMBERS else {}
    review_key = (spec.name, hashlib.sha256(raw).hexdigest(), repr(sorted(fills.items())))
    cached = st.session_state.get(REVIEW_KEY)
    if cached is None or cached[0] != review_key:
        # A large file takes seconds to check: say which step is running, then fold the box.
        with st.status(t("data.review.running", lang, file=uploaded.name)) as status:
            steps = ("read", "check", "compare")
            bar = st.progress(0.0)

            def show_step(name: str) -> None:
                status.update(label=t(f"data.review.step.{name}", lang, file=uploaded.name))
                bar.progress((steps.index(name) + 1) / (len(steps) + 1))

            review = store.review(spec, raw, uploaded.name, fills, progress=show_step)
            bar.progress(1.0)
            status.update(label=t("data.review.done", lang), state="complete", expanded=False)
        st.session_state[REVIEW_KEY] = (review_key, review)
        st.session_state["data_confirm"] = False
    else:
        review = cached[1]

    if review.encoding is not None:
        st.caption(
            t(
                "data.detected",
                lang,
                encoding=ENCODINGS.get(review.encoding, review.encoding)
                + (f" · «{review.sheet}»" if review.sheet else ""),
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


# --- page -------------------------------------------------------------------------------------

st.title(t("page.data", lang))
st.caption(t("data.intro", lang))
downloads()
st.divider()
editing.show_flash(lang)
creds = auth.credentials(editing.secrets(), os.environ)
if not creds.enabled:
    st.info(t("data.editing_off", lang), icon="🔒")
    st.code(
        ".venv/bin/python -m mag_data.editing.auth\n"
        "# /etc/mag/secrets.toml (or .streamlit/secrets.toml), one hash per editor:\n"
        "# [editors]\n"
        '# "Анна Петрова" = "scrypt$..."\n'
        "# or: export MAG_EDITOR_ANNA_HASH='scrypt$...'\n"
        '# fallback, one shared password: mag_admin_password_hash = "scrypt$..."\n'
        "# or: export MAG_ADMIN_PASSWORD_HASH='scrypt$...'",
        language="bash",
    )
    state.end_page()
creds = editing.usable_credentials(creds, lang)
if not creds.enabled:
    state.end_page()
editor = st.session_state.get(editing.USER_KEY)
if editor is None:
    editing.sign_in_section(creds, lang)
    state.end_page()

c1, c2 = st.columns([4, 1], vertical_alignment="center")
c1.success(t("data.signed_in", lang, name=editor), icon="🔓")
c2.button(t("data.sign_out", lang), key="data_sign_out", on_click=editing.sign_out)
upload_section(editor)
st.divider()
editing.history_section(store, editor, lang)
