"""Presentation: the current view as 16:9 slides for assembly meetings, one at a time, large and
plain; ← / → (or the buttons) move between slides. Below the slide: which slides to include, the
charts' PNG/SVG download format, and the deck as PowerPoint and PDF (rendered on the server)."""

from __future__ import annotations

import html
from datetime import date

import streamlit as st

from mag_data.i18n import fmt_float, t
from mag_data.present import deck, render
from ui import state, widgets

CURRENT = "pres_current"  # key of the slide on screen (survives changes of the selection)
SLIDES = "pres_slides"  # the multiselect of slides to include
KEEP_SLIDES = "_pres_slides_kept"  # its value, kept while other pages are open
DECK = "_pres_deck"  # the last built deck and the view it was built for
SCREEN_HEIGHT = 520  # chart height on screen (px): title, chart and footer fit a 900 px window
TEXT, MUTED, ACCENT, WARN = deck.TEXT, deck.MUTED, deck.ACCENT, deck.WARN

ctx = state.context()
lang, view, registry = ctx.lang, ctx.view, ctx.registry
today = date.today()


def _keep_slides() -> None:
    st.session_state[KEEP_SLIDES] = list(st.session_state.get(SLIDES) or [])


def _step(delta: int, keys: list[str]) -> None:
    current = st.session_state.get(CURRENT)
    i = keys.index(current) if current in keys else 0
    st.session_state[CURRENT] = keys[max(0, min(len(keys) - 1, i + delta))]


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _title_html(slide: deck.Slide) -> str:
    return (
        f'<div style="font-size:2.5rem;font-weight:700;line-height:1.15;color:{TEXT};'
        f'margin:0.1rem 0 0.5rem 0">{_esc(slide.title)}</div>'
        f'<div style="height:6px;background:{ACCENT};margin-bottom:0.4rem"></div>'
    )


def _title_slide_html(slide: deck.Slide) -> str:
    lines = "".join(
        f'<div style="font-size:1.6rem;color:{TEXT};margin-top:0.8rem">{_esc(x)}</div>'
        for x in slide.lines
    )
    return (
        f'<div style="min-height:{SCREEN_HEIGHT + 90}px;display:flex;flex-direction:column;'
        'justify-content:center;padding:0 1rem">'
        f'<div style="font-size:3.4rem;font-weight:700;line-height:1.1;color:{TEXT}">'
        f"{_esc(slide.title)}</div>"
        f'<div style="font-size:2rem;color:{ACCENT};margin-top:1.2rem">{_esc(slide.subtitle)}</div>'
        f"{lines}</div>"
    )


def _summary_html(slide: deck.Slide) -> str:
    tiles = "".join(
        '<div style="text-align:center">'
        f'<div style="font-size:{3.0 if len(value) <= 7 else 2.3}rem;font-weight:700;'
        f'color:{ACCENT};line-height:1.2">{_esc(value)}</div>'
        f'<div style="font-size:1.25rem;color:{MUTED}">{_esc(label)}</div></div>'
        for label, value in slide.figures
    )
    points = "".join(
        f'<li style="font-size:1.75rem;color:{TEXT};margin:0.4rem 0">{_esc(x)}</li>'
        for x in slide.lines
    )
    return (
        f'<div style="min-height:{SCREEN_HEIGHT}px">'
        f'<div style="display:grid;grid-template-columns:repeat({max(1, len(slide.figures))},1fr);'
        f'gap:1rem;margin:1.5rem 0 2rem 0">{tiles}</div>'
        f'<ul style="padding-left:1.6rem">{points}</ul></div>'
    )


def _footer_html(slide: deck.Slide) -> str:
    lines = []
    for i, line in enumerate(slide.footer):
        warn = slide.illustrative and i == 0
        style = f"color:{WARN};font-weight:700" if warn else f"color:{MUTED}"
        lines.append(f'<div style="font-size:0.95rem;{style}">{_esc(line)}</div>')
    return f'<div style="margin-top:0.3rem">{"".join(lines)}</div>'


def _build(keys: list[str], spec: tuple) -> None:
    """Build PPTX and PDF with a progress bar; keep them for the download buttons."""
    with st.status(t("pres.building", lang), expanded=True) as status:
        bar = st.progress(0.0)

        def progress(done: int, total: int, label: str) -> None:
            text = t("pres.step", lang, i=min(done + 1, total), n=total, label=label)
            bar.progress(min(done / max(total, 1), 1.0), text=text if label else None)

        try:
            files = deck.build_files(
                registry, ctx.filter, lang, keys, view=view, today=today, progress=progress
            )
        except render.RendererUnavailable as error:
            status.update(label=t("pres.failed", lang), state="error", expanded=True)
            st.error(t("pres.no_browser", lang), icon="⚠️")
            st.caption(str(error))
            return
        status.update(
            label=t(
                "pres.built",
                lang,
                seconds=fmt_float(files.seconds, 1, lang),
                images=len(files.image_seconds),
            ),
            state="complete",
            expanded=False,
        )
    st.session_state[DECK] = {"spec": spec, "files": files}


# --- which slides ---------------------------------------------------------------------------------

# The kept choice is written back to the widget on every run: a widget's own state is dropped
# when another page is shown (and whenever its identity changes), the kept copy is not.
st.session_state[SLIDES] = list(st.session_state.get(KEEP_SLIDES, deck.SLIDE_KEYS))
keys = deck.selected_keys(st.session_state.get(SLIDES))
if keys and st.session_state.get(CURRENT) not in keys:
    # The slide on screen was dropped (or none yet): the next chosen one, else the last.
    old = st.session_state.get(CURRENT)
    pos = deck.SLIDE_KEYS.index(old) if old in deck.SLIDE_KEYS else 0
    later = [k for k in keys if deck.SLIDE_KEYS.index(k) >= pos]
    st.session_state[CURRENT] = later[0] if later else keys[-1]

# --- navigation: compact, above the slide ---------------------------------------------------------

if keys:
    index = keys.index(st.session_state[CURRENT])
    c_prev, c_count, c_next, c_hint = st.columns([1, 1, 1, 6], vertical_alignment="center")
    c_prev.button(
        "◀",
        key="pres_prev",
        help=f"{t('pres.prev', lang)} (←)",
        on_click=_step,
        args=(-1, keys),
        disabled=index == 0,
        shortcut="Left",
        width="stretch",
    )
    c_count.container(key="pres_counter").markdown(f"**{index + 1} / {len(keys)}**")
    c_next.button(
        "▶",
        key="pres_next",
        help=f"{t('pres.next', lang)} (→)",
        on_click=_step,
        args=(1, keys),
        disabled=index == len(keys) - 1,
        shortcut="Right",
        width="stretch",
    )
    c_hint.caption(t("pres.keys", lang))

    # --- the slide ---------------------------------------------------------------------------------
    slide = deck.make_slide(keys[index], view, lang, today)
    with st.container(border=True, key="pres_slide"):
        if slide.key == "title":
            st.html(_title_slide_html(slide))
        else:
            st.html(_title_html(slide))
            if slide.figure is not None:
                slide.figure.update_layout(height=SCREEN_HEIGHT)
                widgets.show_chart(
                    slide.figure, key=f"pres_chart_{slide.key}", filename=f"slide_{slide.key}"
                )
            else:
                st.html(_summary_html(slide))
        st.html(_footer_html(slide))
else:
    st.info(t("pres.none_selected", lang), icon="🗂️")

# --- settings and export: folded away while presenting ------------------------------------------

with st.expander(t("pres.settings", lang), expanded=not keys):
    st.multiselect(
        t("pres.slides", lang),
        options=list(deck.SLIDE_KEYS),
        format_func=lambda k: deck.slide_label(k, lang),
        key=SLIDES,
        on_change=_keep_slides,
    )
    widgets.export_format_choice(lang)
    st.subheader(t("pres.export", lang))
    spec = (registry.fingerprint, ctx.filter, lang, tuple(keys), today.isoformat())
    if not render.available():
        st.warning(t("pres.no_browser", lang), icon="⚠️")
    elif keys:
        render.warm_up_in_background()  # Chromium starts while the presenter looks at slides
        if st.button(
            t("pres.build", lang), key="pres_build", icon="📽️", help=t("pres.build.help", lang)
        ):
            _build(keys, spec)
        built = st.session_state.get(DECK)
        if built is not None and built["spec"] == spec:
            files = built["files"]
            c_pptx, c_pdf = st.columns(2)
            c_pptx.download_button(
                t("pres.download.pptx", lang),
                files.pptx,
                file_name=deck.deck_filename(lang, today, "pptx"),
                mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                key="pres_download_pptx",
                on_click="ignore",
                icon="⬇️",
            )
            if files.pdf is not None:
                c_pdf.download_button(
                    t("pres.download.pdf", lang),
                    files.pdf,
                    file_name=deck.deck_filename(lang, today, "pdf"),
                    mime="application/pdf",
                    key="pres_download_pdf",
                    on_click="ignore",
                    icon="⬇️",
                )
            else:
                c_pdf.warning(t("pres.pdf_failed", lang, reason=files.pdf_error), icon="⚠️")
