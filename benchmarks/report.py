"""The results as Markdown tables, written between markers in docs/BENCHMARKS.md.

Only the part between ``<!-- bench:results:begin -->`` and ``<!-- bench:results:end -->`` is
generated; the analysis around it is written by hand and kept.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

BEGIN = "<!-- bench:results:begin -->"
END = "<!-- bench:results:end -->"

# The budgets of the issue "Speed at scale".
RERUN_VS_FLOOR = {"today": 1.5, "10k": 3.0}
NAIVE_SPEEDUP_AT_LARGEST = 5.0
MAX_PAGE_BYTES_AT_LARGEST = 2_000_000
MAX_COLD_START_S = 3.0


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.0f}"


def _s(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.2f}"


def _mb(n: float | None) -> str:
    return "—" if n is None else f"{n / 1e6:.2f}"


def _verdict(ok: bool | None, detail: str) -> str:
    if ok is None:
        return f"not measured {detail}".strip()
    return ("**met**" if ok else "**missed**") + (f" ({detail})" if detail else "")


def _valid(page: dict[str, Any]) -> bool:
    """A page whose runs raised an exception has no valid timing (its charts were not built)."""
    return not page.get("errors")


def budgets(results: dict[str, Any]) -> list[tuple[str, str]]:
    """(budget, verdict) rows from the raw results."""
    rows = []
    sizes = results["sizes"]
    largest = "10k" if "10k" in sizes else None  # the budgets name the largest size
    for size, limit in RERUN_VS_FLOOR.items():
        if size not in sizes:
            continue
        for page in sizes[size].get("pages", []):
            floor, project = page["median"]["floor"], page["median"]["project"]
            ratio = project / floor if floor and project and _valid(page) else None
            detail = "" if ratio is None else f"{ratio:.1f}× the floor"
            if ratio is not None and ratio > limit:
                detail += f", over by {_ms(project - limit * floor)} ms"
            rows.append(
                (
                    f"{page['page']}: rerun ≤ {limit}× floor at {size}",
                    _verdict(None if ratio is None else ratio <= limit, detail),
                )
            )
    if largest:
        for page in sizes[largest].get("pages", []):
            naive, project = page["median"]["naive"], page["median"]["project"]
            speedup = naive / project if naive and project and _valid(page) else None
            rows.append(
                (
                    f"{page['page']}: ≥ {NAIVE_SPEEDUP_AT_LARGEST:.0f}× faster than naive at {largest}",
                    _verdict(
                        None if speedup is None else speedup >= NAIVE_SPEEDUP_AT_LARGEST,
                        "" if speedup is None else f"{speedup:.1f}×",
                    ),
                )
            )
        page_bytes = sizes[largest].get("browser", {}).get("page_bytes", {})
        for page, n in page_bytes.items():
            rows.append(
                (
                    f"{page}: ≤ 2 MB to the browser at {largest}",
                    _verdict(n <= MAX_PAGE_BYTES_AT_LARGEST, f"{_mb(n)} MB"),
                )
            )
    ref = _median_run(results.get("reference_cold_start", []))
    reference = (
        f"; a minimal Streamlit page: {_s(ref['cold_start_s'])} s"
        if ref.get("cold_start_s") is not None
        else ""
    )
    for size, data in sizes.items():
        for kind, what in (
            ("restart", "restart, register unchanged"),
            ("first", "first start after a register change"),
        ):
            runs = _cold_runs(data, kind)
            if not runs:
                continue
            median = _median_run(runs)
            cold = median.get("cold_start_s")
            drawn = median["cold_steps"].get("charts_drawn")
            each = " / ".join(_s(r.get("cold_start_s")) for r in runs)
            over = (
                f", over by {_s(cold - MAX_COLD_START_S)} s"
                if cold is not None and cold > MAX_COLD_START_S
                else ""
            )
            how = f"the median of {len(runs)} starts: {each} s" if len(runs) > 1 else "one start"
            rows.append(
                (
                    f"cold start to first paint ≤ {MAX_COLD_START_S:.0f} s at {size} ({what})",
                    _verdict(
                        None if cold is None else cold <= MAX_COLD_START_S,
                        f"{_s(cold)} s{over}, {how}; every chart drawn at {_s(drawn)} s{reference}",
                    ),
                )
            )
    return rows


def _cold_runs(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The measured starts of one kind ("restart" or "first") at one size (older results
    hold a single start of each kind)."""
    if kind == "restart":
        return list(
            data.get("browser_restart_runs") or ([data["browser"]] if "browser" in data else [])
        )
    return list(
        data.get("browser_first_start_runs")
        or ([data["browser_first_start"]] if "browser_first_start" in data else [])
    )


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per step, the median over the runs that reached it (server up, each load step, first
    paint)."""

    def median(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return statistics.median(known) if known else None

    steps = sorted({k for r in runs for k in r.get("cold_steps", {})})
    return {
        "server_ready_s": median([r.get("server_ready_s") for r in runs]),
        "cold_start_s": median([r.get("cold_start_s") for r in runs]),
        "cold_steps": {k: median([r.get("cold_steps", {}).get(k) for r in runs]) for k in steps},
    }


def _cold_row(label: str, runs: list[dict[str, Any]], extra: str = "— | —") -> str:
    """One row of the cold-start table: the median steps of the runs' first loads, first
    paint in bold, then each run's first paint."""
    measured = _median_run(runs)
    steps = measured["cold_steps"]
    each = " / ".join(_s(r.get("cold_start_s")) for r in runs)
    return (
        f"| {label} | {_s(measured.get('server_ready_s'))} | "
        f"{_s(steps.get('page_loaded'))} | {_s(steps.get('connected'))} | "
        f"**{_s(measured.get('cold_start_s'))}** | {each} | "
        f"{_s(steps.get('script_done'))} | {_s(steps.get('charts_drawn'))} | {extra} |"
    )


def markdown(results: dict[str, Any]) -> str:
    """The generated section: machine, registers, reruns, browser, deck, budgets."""
    m = results["machine"]
    lines = [
        BEGIN,
        "",
        f"_Generated by `make bench` on {m['date']} ({results['total_seconds']:.0f} s in all)._",
        "",
        "| machine | |",
        "| --- | --- |",
        f"| CPU | {m['cores']} cores, {m['cpu']} |",
        f"| memory | {m['memory_gb']:.0f} GB |",
        f"| load average (1 min) at start / end | {m['load_start']:.2f} / {m['load_end']:.2f} |",
        f"| Python | {m['python']} |",
        f"| versions | {m['versions']} |",
        f"| Chromium | {m['chromium']} |",
        f"| commit | `{m['commit']}` |",
        "",
        "### Registers",
        "",
        "| size | members | projects | participations | files (MB) | repetitions |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, data in results["sizes"].items():
        c = data["counts"]
        lines.append(
            f"| {size} | {c['members']:,} | {c['projects']:,} | {c['participants']:,} | "
            f"{data['megabytes']:.1f} | {data['reps']} |"
        )
    lines += [
        "",
        "### Page rerun after a filter change (median ms)",
        "",
        "Floor: the same page (`app.py`: router, sidebar, widgets, text, charts, tables) with "
        "every data-layer call returning its prebuilt result (`benchmarks/replay.py`), so only "
        "Streamlit's run of the page is timed. Project: `app.py` after a year-range change no "
        "cache has seen. Naive: `benchmarks/naive_app/`, the same charts with pandas + plotly "
        "express and no cache. Charts only: the page's prebuilt figures and tables alone "
        "(`benchmarks/floor_app.py`, the floor of earlier runs; no budget is judged on it).",
        "",
        "| size | page | floor | project | naive | charts only | project ÷ floor | naive ÷ project | figure JSON (MB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, data in results["sizes"].items():
        for page in data.get("pages", []):
            med = page["median"]
            ratio = med["project"] / med["floor"] if med["floor"] and med["project"] else None
            speed = med["naive"] / med["project"] if med["naive"] and med["project"] else None
            if not _valid(page):
                ratio = speed = None
            lines.append(
                f"| {size} | {page['page']}{'' if _valid(page) else ' (error)'} | "
                f"{_ms(med['floor'])} | {_ms(med['project'])} | "
                f"{_ms(med['naive'])} | {_ms(med.get('bare'))} | "
                f"{'—' if ratio is None else f'{ratio:.1f}×'} | "
                f"{'—' if speed is None else f'{speed:.1f}×'} | {_mb(page['spec_bytes'])} |"
            )
    groups: list[str] = []
    for data in results["sizes"].values():
        for page in data.get("pages", []):
            groups += [g for g in page.get("profile", {}) if g not in groups]
    if groups:
        lines += [
            "",
            "Where one project rerun spends its time (share of a cProfile'd rerun; the profiler "
            "inflates Python-heavy parts such as plotly's figure validation):",
            "",
            "| size | page | " + " | ".join(groups) + " |",
            "| --- | --- | " + " | ".join("---:" for _ in groups) + " |",
        ]
        for size, data in results["sizes"].items():
            for page in data.get("pages", []):
                shares = page.get("profile", {})
                cells = [f"{shares[g] * 100:.0f} %" if g in shares else "—" for g in groups]
                lines.append(f"| {size} | {page['page']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "First run of a session (loads and validates the register, then caches it by content): "
        + "; ".join(
            f"{size} {_s(d.get('facts', {}).get('project_first_run_s'))} s"
            for size, d in results["sizes"].items()
        )
        + ".",
        "",
        "### In the browser (headless Chromium)",
        "",
        "Cold start: seconds from launching `streamlit run serve.py` to each step of the "
        "overview's first load, the median of the starts measured (each start's first paint "
        "listed); *first paint* is the title and the headline figures on screen.",
        "",
        "| size | server up | page loaded | connected | first paint | first paint, each start | script done | charts drawn | peak RSS (MB) | static HTTP (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, data in results["sizes"].items():
        first = _cold_runs(data, "first")
        if first:
            lines.append(_cold_row(f"{size}, first start (no snapshot)", first))
        b = data.get("browser", {})
        rss = b.get("peak_rss_mb")
        extra = f"{'—' if rss is None else f'{rss:,.0f}'} | {_mb(b.get('static_bytes'))}"
        lines.append(
            _cold_row(f"{size}{', restart' if first else ''}", _cold_runs(data, "restart"), extra)
        )
    if results.get("reference_cold_start"):
        lines.append(_cold_row("reference page", results["reference_cold_start"]))
    if results.get("reference_cold_start"):
        lines += [
            "",
            "*Reference page*: `benchmarks/minimal_app.py` (a title, five metrics, one small "
            "chart, one table, one sidebar widget; no data), started the same way: what "
            "Streamlit and Chromium alone take on this machine.",
        ]
    pages = list(results.get("pages", []))
    lines += [
        "",
        "Bytes the server sends over the WebSocket for a fresh load of each page (MB), and the "
        "seconds from navigation to charts drawn:",
        "",
        "| size | " + " | ".join(pages) + " |",
        "| --- | " + " | ".join("---:" for _ in pages) + " |",
    ]
    for size, data in results["sizes"].items():
        b = data.get("browser", {})
        cells = [
            f"{_mb(b.get('page_bytes', {}).get(p))} MB / {_s(b.get('page_seconds', {}).get(p))} s"
            for p in pages
        ]
        lines.append(f"| {size} | " + " | ".join(cells) + " |")
    errors = [
        f"{size}: {e}"
        for size, d in results["sizes"].items()
        for e in d.get("browser", {}).get("errors", [])
        + d.get("facts", {}).get("project_first_run_errors", [])
        + [e for p in d.get("pages", []) for e in p.get("errors", [])]
    ]
    external = [
        u
        for d in results["sizes"].values()
        for u in d.get("browser", {}).get("external_requests", [])
    ]
    lines += ["", f"External requests blocked: {len(external)}."]
    if errors:
        lines += ["", "Errors seen during the run:", ""] + [f"- `{e[:200]}`" for e in errors]
    deck = {size: d.get("deck") for size, d in results["sizes"].items() if d.get("deck")}
    lines += [
        "",
        "### Deck build (`mag_data.present.deck.build_files`, PPTX + PDF, unfiltered view)",
        "",
    ]
    if not deck:
        lines.append("Not measured: " + str(results.get("deck_note", "no deck builder")) + ".")
    else:
        lines += [
            "| size | first build (s) | warm build (s) | slides | images (s) | note |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for size, d in deck.items():
            lines.append(
                f"| {size} | {_s(d.get('cold_s'))} | {_s(d.get('warm_s'))} | "
                f"{d.get('slides', '—')} | {_s(d.get('images_s'))} | {d.get('note', '')} |"
            )
    lines += ["", "### Budgets", "", "| budget | result |", "| --- | --- |"]
    lines += [f"| {name} | {verdict} |" for name, verdict in budgets(results)]
    lines += ["", END]
    return "\n".join(lines)


def write(doc: Path, results: dict[str, Any]) -> None:
    """Replace the generated section of ``doc`` (create the file with a stub if missing)."""
    section = markdown(results)
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        text = (text or "# Benchmarks\n\n") + "\n## Results\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")
