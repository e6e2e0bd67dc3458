"""The data page's editing parts that are not about uploads: messages, sign-in, history.

Sign-in goes through ``mag_data.editing.auth`` (named editors, the shared fallback, the
process-wide throttle keyed by the client address Streamlit reports or, behind the nginx proxy,
the last ``X-Forwarded-For`` hop). The history section restores, names and prunes versions
through ``mag_data.editing.store`` in button callbacks whose arguments are bound when drawn.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import streamlit as st

from mag_data.editing import auth, geocode
from mag_data.editing.store import (
    ConflictError,
    LockTimeout,
    RegisterStore,
    StoreError,
    WriteFailed,
    history_frame,
)
from mag_data.i18n import t
from mag_data.register.problems import DataValidationError

USER_KEY = "data_user"
REVIEW_KEY = "data_review"
FLASH_KEY = "data_flash"
# Names typed at sign-in: letters (any script), digits, space, dot, hyphen, underscore.
NAME_PATTERN = re.compile(r"^[\w .\-]{1,60}$")
SUCCESS = ("applied", "restored", "signed_out", "named", "pruned")


def secrets() -> dict[str, Any] | None:
    """The editing settings a secrets.toml provides (no file is not an error)."""
    try:
        out: dict[str, Any] = {}
        for key in (auth.SECRET_KEY, auth.EDITORS_SECTION, geocode.SETTING_SECRET):
            value = st.secrets.get(key)
            out[key] = dict(value) if isinstance(value, Mapping) else value
        return out
    except Exception:  # no secrets file, or an unreadable one: fall back to the environment
        return None


# --- messages shown once, after the callback that caused them ----------------------------------


def flash(kind: str, key: str | None = None, **params: str) -> None:
    st.session_state[FLASH_KEY] = (kind, key or f"data.flash.{kind}", params)


def show_flash(lang: str) -> None:
    shown = st.session_state.pop(FLASH_KEY, None)
    if shown is None:
        return
    kind, key, params = shown
    text = t(key, lang, **params)
    if kind in SUCCESS:
        st.success(text, icon="✅")
    elif kind == "unchanged":
        st.info(text, icon="ℹ️")
    else:
        st.error(text, icon="⛔")


def flash_conflict(conflict: ConflictError) -> None:
    """Who changed the register meanwhile (names from the history, reduced to plain text)."""
    latest = conflict.latest
    user = re.sub(r"[^\w .\-()]", "", latest.user)[:80] if latest else "?"
    flash("conflict", user=user or "?", time=latest.time if latest else "?")


def flash_write_failed(error: WriteFailed) -> None:
    """A disk error, in words: whether the change is in the register or nothing changed."""
    cause = re.sub(r"[^\w .,:;()'/\-]", "", error.cause)[:120]
    if error.written:
        flash("written_not_recorded", cause=cause)
    elif error.disk_full:
        flash("disk_full")
    else:
        flash("write_failed", cause=cause)


# --- sign-in ----------------------------------------------------------------------------------


def usable_credentials(creds: auth.Credentials, lang: str) -> auth.Credentials:
    """The configured hashes that can be used; each malformed or weak one is named in an error."""
    editors = {}
    for name, stored in creds.editors.items():
        if _usable(stored, lang, name):
            editors[name] = stored
    shared = creds.shared if creds.shared and _usable(creds.shared, lang, None) else None
    return auth.Credentials(editors, shared)


def _usable(stored: str, lang: str, name: str | None) -> bool:
    try:
        weak = auth.weakness(stored)
    except ValueError:
        st.error(t("data.bad_hash", lang), icon="⛔")
        return False
    if weak is not None:
        n, r = (str(x) for x in weak)
        if name is None:
            st.error(t("data.weak_hash.shared", lang, n=n, r=r), icon="⛔")
        else:
            st.error(t("data.weak_hash.editor", lang, name=name, n=n, r=r), icon="⛔")
        return False
    return True


def client_address() -> str:
    headers = st.context.headers
    return auth.client_key(st.context.ip_address, headers.get("X-Forwarded-For"))


def _sign_in(creds: auth.Credentials) -> None:
    name = " ".join(str(st.session_state.get("data_name", "")).split())
    password = str(st.session_state.get("data_password", ""))
    st.session_state["data_password"] = ""
    if not NAME_PATTERN.match(name):
        flash("bad_name")
        return
    outcome = auth.sign_in(creds, name, password, client_address())
    if outcome.user is not None:
        st.session_state[USER_KEY] = outcome.user
    elif outcome.weak is not None:
        n, r = (str(x) for x in outcome.weak)
        key = "data.weak_hash.shared" if outcome.shared else "data.weak_hash.editor"
        flash("weak", key, name=name, n=n, r=r)
    elif outcome.busy:
        flash("checks_busy")
    elif not outcome.checked:
        flash("wait", seconds=str(math.ceil(outcome.wait_s)))
    else:
        flash("wrong_password", seconds=str(math.ceil(outcome.wait_s)))


def sign_out() -> None:
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(REVIEW_KEY, None)
    flash("signed_out")


def sign_in_section(creds: auth.Credentials, lang: str) -> None:
    st.info(t("data.sign_in.help", lang), icon="🔒")
    if creds.editors:
        st.caption(t("data.sign_in.named", lang))
    if creds.shared is not None:
        st.caption(t("data.sign_in.shared", lang))
    with st.form("data_sign_in_form", enter_to_submit=True):
        st.text_input(t("data.name", lang), key="data_name", max_chars=60)
        st.text_input(t("data.password", lang), key="data_password", type="password")
        st.form_submit_button(
            t("data.sign_in", lang), key="data_sign_in", on_click=_sign_in, args=(creds,)
        )


# --- history: restore, name, prune ------------------------------------------------------------


def _restore(
    store: RegisterStore, version_id: str | None, expected: str, user: str, lang: str
) -> None:
    version_id = version_id or st.session_state.get("data_restore_pick")
    if not version_id:
        return
    try:
        version = store.restore(
            version_id,
            expected_fingerprint=expected,
            user=user,
            reason=t("data.restore.reason", lang, version=version_id),
        )
    except ConflictError as conflict:
        flash_conflict(conflict)
    except WriteFailed as error:
        flash_write_failed(error)
    except LockTimeout:
        flash("busy")
    except (StoreError, KeyError, DataValidationError):
        flash("restore_failed", version=version_id)
    else:
        flash("restored" if version else "unchanged", version=version_id)
    st.session_state.pop(REVIEW_KEY, None)


def _name(store: RegisterStore) -> None:
    version_id = st.session_state.get("data_restore_pick")
    name = " ".join(str(st.session_state.get("data_label", "")).split())
    if not version_id:
        return
    try:
        store.name_version(version_id, name)
    except WriteFailed as error:
        flash_write_failed(error)
    except (StoreError, KeyError):
        flash("busy")
    else:
        flash("named", version=version_id, name=name)


def _prune(store: RegisterStore) -> None:
    keep = int(st.session_state.get("data_prune_keep") or 1)
    try:
        removed = store.prune(keep_recent=keep)
    except WriteFailed as error:
        flash_write_failed(error)
    except StoreError:
        flash("busy")
    else:
        flash("pruned", n=str(len(removed)))
    st.session_state["data_prune_confirm"] = False


def history_section(store: RegisterStore, user: str, lang: str) -> None:
    st.subheader(t("data.history", lang))
    versions = store.history()
    if not versions:
        st.caption(t("data.history.empty", lang))
        return
    current = store.fingerprint()
    target = store.undo_target()
    if target is not None:
        st.button(
            t("data.undo", lang, time=target.time),
            key="data_undo",
            icon="↩️",
            on_click=_restore,
            args=(store, target.id, current, user, lang),
        )
    table = history_frame(versions).assign(
        current=[v.fingerprint == current for v in versions],
        action=lambda f: f["action"].map(lambda a: t(f"data.action.{a}", lang)),
    )
    headers = {c: t(f"data.history.{c}", lang) for c in table.columns}
    st.dataframe(table.rename(columns=headers), hide_index=True, key="data_history_table")
    labels = {
        v.id: " · ".join(
            x for x in (v.time, v.user, t(f"data.action.{v.action}", lang), v.name) if x
        )
        for v in versions
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
        args=(store, None, current, user, lang),
    )
    st.markdown(f"**{t('data.label.title', lang)}**")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.text_input(t("data.label.input", lang), key="data_label", max_chars=80)
    c2.button(t("data.label.save", lang), key="data_label_save", on_click=_name, args=(store,))
    with st.expander(t("data.prune.title", lang)):
        st.caption(t("data.prune.help", lang))
        st.number_input(
            t("data.prune.keep", lang), min_value=1, max_value=1000, value=20, key="data_prune_keep"
        )
        confirmed = st.checkbox(t("data.prune.confirm", lang), key="data_prune_confirm")
        st.button(
            t("data.prune.button", lang),
            key="data_prune",
            disabled=not confirmed,
            on_click=_prune,
            args=(store,),
        )
