"""Presentation: the current view as 16:9 slides for assembly meetings, one at a time, large and
plain; ← / → (or the buttons) move between slides. Below the slide: which slides to include, the
charts' PNG/SVG download format, and the deck as PowerPoint and PDF (rendered on the server)."""

from __future__ import annotations

import html
from datetime import date

import streamlit as st

from mag_data.i18n import fmt_float, t
from mag_data.present import deck, render
from ui import sidebar, state, style, widgets

CURRENT = "pres_current"  # key of the slide on screen (survives changes of the selection)
SLIDES = "pres_slides"  # the multiselect of slides to include
KEEP_SLIDES = "_pres_slides_kept"  # its value, kept while other pages are open
DECK = "_pres_deck"  # the last built deck and the view it was built for
SCREEN_HEIGHT = 520  # chart height on screen (px): title, chart and footer fit a 900 px window
TEXT, MUTED, ACCENT, WARN = deck.TEXT, deck.MUTED, deck.ACCENT, deck.WARN
# The show mode: the slide fills the screen; the chart takes what title and footer leave; the
# navigation is a small bar in the bottom corner; the clicker's extra keys are out of sight.
SHOW_SLIDE_CSS = """
.st-key-pres_chart_box { height: calc(100vh - 6.2vh * 1.15 - 1.5vh - 2.2vh * 1.35 * 3 - 4.5rem); }
.st-key-pres_chart_box > div { height: 100%; }
.st-key-pres_nav { position: fixed; right: 0.6rem; bottom: 0.3rem; width: auto !important;
  z-index: 1000; opacity: 0.45; gap: 0.4rem; }
.st-key-pres_nav:hover { opacity: 1; }
.st-key-pres_exit { position: fixed; right: 0.6rem; top: 0.4rem; width: auto !important;
  z-index: 1000; opacity: 0.35; }
.st-key-pres_exit:hover { opacity: 1; }
"""

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
    return f'<div class="pres-title">{_esc(slide.title)}</div><div class="pres-rule"></div>'


def _title_slide_html(slide: deck.Slide) -> str:
    lines = "".join(f'<div class="pres-line">{_esc(x)}</div>' for x in slide.lines)
    return (
        f'<div class="pres-hero"><div class="pres-hero-title">{_esc(slide.title)}</div>'
        f'<div class="pres-hero-sub">{_esc(slide.subtitle)}</div>{lines}</div>'
    )


def _summary_html(slide: deck.Slide) -> str:
    tiles = "".join(
        f'<div class="pres-tile"><div class="pres-value{" long" if len(value) > 7 else ""}">'
        f"{_esc(value)}</div>"
        f'<div class="pres-label">{_esc(label)}</div></div>'
        for label, value in slide.figures
    )
    points = "".join(f"<li>{_esc(x)}</li>" for x in slide.lines)
    return (
        f'<div class="pres-summary"><div class="pres-tiles">{tiles}</div>'
        f'<ul class="pres-points">{points}</ul></div>'
    )


def _footer_html(slide: deck.Slide) -> str:
    lines = []
    for i, line in enumerate(slide.footer):
        warn = slide.illustrative and i == 0
        lines.append(f'<div class="{"pres-warn" if warn else ""}">{_esc(line)}</div>')
    return f'<div class="pres-footer">{"".join(lines)}</div>'


def _slide_css(show: bool) -> str:
    """The slide's type: on the page sized for a laptop, in the show sized from the screen's
    height (vh) so the whole slide fits 1024×768 to 1920×1080 and reads from the back row; on a
    screen narrower than 4:3 (a phone held upright) from its width instead, so words are not
    broken mid-word (small text keeps 80 % of its laptop size to stay legible)."""
    v = (
        (lambda vh, rem: f"max({round(rem * 0.8, 3)}rem, min({vh}vh, {round(vh * 0.75, 3)}vw))")
        if show
        else (lambda _vh, rem: f"{rem}rem")
    )
    return f"""<style>
.pres-title {{ font-size: {v(6.2, 0) if show else "clamp(1.5rem, 5vw, 2.3rem)"};
  font-weight: 700; line-height: 1.15; color: {TEXT}; margin: 0; overflow-wrap: break-word; }}
.pres-rule {{ height: {v(0.7, 0.4)}; background: {ACCENT}; margin-top: {v(0.8, 0.4)}; }}
.pres-hero {{ min-height: {"calc(100vh - 16vh - 3rem)" if show else f"{SCREEN_HEIGHT}px"};
  display: flex; flex-direction: column; justify-content: center; padding: 0 1rem; }}
.pres-hero-title {{ font-size: {v(8.5, 0) if show else "clamp(1.8rem, 7vw, 3.2rem)"};
  font-weight: 700; line-height: 1.1; color: {TEXT}; overflow-wrap: break-word; }}
.pres-hero-sub {{ font-size: {v(4.6, 1.8)}; color: {ACCENT}; margin-top: {v(2.5, 1.0)}; }}
.pres-line {{ font-size: {v(3.8, 1.5)}; color: {TEXT}; margin-top: {v(2, 0.8)}; }}
.pres-summary {{ min-height: {"calc(100vh - 30vh - 3rem)" if show else f"{SCREEN_HEIGHT}px"}; }}
.pres-tiles {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
  gap: 1rem; margin: {v(3, 1.5)} 0 {v(3.5, 2)} 0; }}
.pres-tile {{ text-align: center; display: flex; flex-direction: column;
  justify-content: flex-end; }}
.pres-value {{ font-size: {"min(8vh, 4vw)" if show else "clamp(1.6rem, 3vw, 2.6rem)"};
  font-weight: 700; color: {ACCENT}; line-height: 1.2; white-space: nowrap; }}
.pres-value.long {{ font-size: {"min(5.6vh, 2.8vw)" if show else "clamp(1.2rem, 2.1vw, 1.9rem)"}; }}
.pres-label {{ font-size: {"min(2.8vh, 1.6vw)" if show else "1rem"}; color: {MUTED}; }}
.pres-points {{ padding-left: 1.6em; margin: 0; }}
.pres-points li {{ font-size: {v(4, 1.6)}; color: {TEXT}; margin: {v(1, 0.4)} 0; }}
.pres-footer {{ font-size: {v(2.2, 0.95)}; line-height: 1.35; color: {MUTED};
  padding-right: {"13rem" if show else "0"}; }}
.pres-footer .pres-warn {{ color: {WARN}; font-weight: 700; }}
</style>"""


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

# --- navigation and the slide ------------------------------------------------------------------

show = st.session_state.get("page_mode") == sidebar.SHOW_MODE


def _set_mode(mode: str) -> None:
    st.session_state["page_mode"] = mode


def _goto(key: str) -> None:
    st.session_state[CURRENT] = key


# Keys a slide clicker or a presenter uses (Streamlit's own shortcuts: no script injected).
NEXT_KEYS = ("PageDown", "Space")
PREV_KEYS = ("PageUp", "B")


@st.fragment
def _slide_part(keys: list[str], show: bool) -> None:
    """The navigation and the slide on screen. A fragment: a click or a key press reruns only
    this part, not the page's settings (nor the sidebar)."""
    index = keys.index(st.session_state[CURRENT])
    with st.container(key="pres_nav", horizontal=True, vertical_alignment="center"):
        st.button(
            "◀",
            key="pres_prev",
            help=f"{t('pres.prev', lang)} (←)",
            on_click=_step,
            args=(-1, keys),
            disabled=index == 0,
            shortcut="Left",
        )
        st.container(key="pres_counter", width="content").markdown(f"**{index + 1} / {len(keys)}**")
        st.button(
            "▶",
            key="pres_next",
            help=f"{t('pres.next', lang)} (→)",
            on_click=_step,
            args=(1, keys),
            disabled=index == len(keys) - 1,
            shortcut="Right",
        )
        if not show:
            st.caption(t("pres.keys", lang))
    # The clicker's keys: buttons the stylesheet keeps out of sight.
    with st.container(key="pres_keys"):
        for shortcut in NEXT_KEYS:
            st.button(
                "▶", key=f"pres_key_{shortcut}", on_click=_step, args=(1, keys), shortcut=shortcut
            )
        for shortcut in PREV_KEYS:
            st.button(
                "◀", key=f"pres_key_{shortcut}", on_click=_step, args=(-1, keys), shortcut=shortcut
            )
        st.button(
            t("pres.first", lang),
            key="pres_key_home",
            on_click=_goto,
            args=(keys[0],),
            shortcut="Home",
        )
        st.button(
            t("pres.last", lang),
            key="pres_key_end",
            on_click=_goto,
            args=(keys[-1],),
            shortcut="End",
        )

    slide = deck.make_slide(keys[index], view, lang, today)
    with st.container(border=not show, key="pres_slide"):
        if slide.key == "title":
            st.html(_title_slide_html(slide))
        else:
            st.html(_title_html(slide))
            if slide.figure is not None:
                with st.container(key="pres_chart_box"):
                    if show:
                        slide.figure.update_layout(height=None, autosize=True)
                    else:
                        slide.figure.update_layout(height=SCREEN_HEIGHT)
                    widgets.show_chart(
                        slide.figure,
                        key=f"pres_chart_{slide.key}",
                        filename=f"slide_{slide.key}",
                        height="stretch" if show else "content",
                    )
            else:
                st.html(_summary_html(slide))
        st.html(_footer_html(slide))


st.html(_slide_css(show))
if show:
    style.show_mode()
    st.html(f"<style>{SHOW_SLIDE_CSS}</style>")
if keys:
    if show:
        st.button(
            "✕",
            key="pres_exit",
            help=t("pres.show.exit", lang) + " (Esc)",
            on_click=_set_mode,
            args=("",),
            shortcut="Escape",
        )
    _slide_part(keys, show)
    if not show:
        st.button(
            t("pres.show", lang),
            key="pres_show",
            icon="📺",
            help=t("pres.show.help", lang),
            on_click=_set_mode,
            args=(sidebar.SHOW_MODE,),
        )
else:
    st.info(t("pres.none_selected", lang), icon="🗂️")

# --- settings and export: folded away while presenting ------------------------------------------

if show and keys:
    state.end_page()  # the show: nothing but the slide

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
