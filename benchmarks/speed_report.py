"""The speed a person feels (issue 13) as Markdown, between its own markers in BENCHMARKS.md.

Kept apart from ``report.py``'s section so that ``--only interactive`` or ``--only burst`` can
rewrite this part alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

BEGIN = "<!-- bench:speed:begin -->"
END = "<!-- bench:speed:end -->"

CLICK_VS_REFERENCE = 1.5
FRESH_VS_REFERENCE = 1.3
SWITCH_VS_REFERENCE = 1.5
FIRST_PAGE_VS_MINIMAL = 2.0
BURST40_P95_VS_MINIMAL = 1.25
TWO_PROCESSES_CAPACITY = 1.6


def _f(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def _verdict(ratio: float | None, limit: float, higher_is_better: bool = False) -> str:
    if ratio is None:
        return "not measured"
    ok = ratio >= limit if higher_is_better else ratio <= limit
    return f"**{'met' if ok else 'missed'}** ({ratio:.2f}×, budget {'≥' if higher_is_better else '≤'} {limit}×)"


def interactive_lines(r: dict[str, Any]) -> tuple[list[str], list[tuple[str, str]]]:
    ref = r["reference"]["multiselect"]
    lines = [
        "### Click to chart (headless Chromium, network cut)",
        "",
        f"Reference page (`benchmarks/reference_app.py`: a sidebar multiselect, five metrics, four "
        f"small plotly charts): median {_f(ref['median_s'])} s, p95 {_f(ref['p95_s'])} s over "
        f"{ref['n']} choices, {_f(ref['runs'], 0)} script run per choice, {_f(ref['kb'], 1)} kB sent.",
        "",
        "| page | click | median (s) | p95 (s) | median ÷ reference | p95 ÷ reference | scripts run | kB sent | charts drawn | last chart drawn (ms) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for page, kinds in r["pages"].items():
        worst = None
        # Judged against the reference measured right before this page (same load).
        near = r.get("reference_by_page", {}).get(page, ref)
        lines.append(
            f"| {page} | *reference, measured just before* | {_f(near['median_s'])} | "
            f"{_f(near['p95_s'])} | 1.00× | 1.00× | {near['runs']:.0f} | {_f(near['kb'], 1)} | "
            f"{near['charts_drawn']:.0f} | {_f(near['last_draw_ms'], 0)} |"
        )
        for kind, s in kinds.items():
            ratio = _ratio(s["median_s"], near["median_s"])
            worst = ratio if worst is None or (ratio or 0) > worst else worst
            lines.append(
                f"| {page} | {kind} | {_f(s['median_s'])} | {_f(s['p95_s'])} | {_f(ratio)}× | "
                f"{_f(_ratio(s['p95_s'], near['p95_s']))}× | {s['runs']:.0f} (max {s['max_runs']}) | "
                f"{_f(s['kb'], 1)} | {s['charts_drawn']:.0f} | {_f(s['last_draw_ms'], 0)} |"
            )
        verdicts.append(
            (
                f"{page}: click to chart ≤ {CLICK_VS_REFERENCE}× the reference (worst click, median)",
                _verdict(worst, CLICK_VS_REFERENCE),
            )
        )
    fresh, switch = r["fresh"], r["switch"]
    fr = _ratio(fresh["overview"].get("median_s"), fresh["reference"].get("median_s"))
    sw = _ratio(switch["app"].get("median_s"), switch["reference"].get("median_s"))
    lines += [
        "",
        "| | dashboard median (s) | p95 (s) | reference median (s) | p95 (s) | ratio (median) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| fresh visit to usable (overview) | {_f(fresh['overview'].get('median_s'))} | {_f(fresh['overview'].get('p95_s'))} | {_f(fresh['reference'].get('median_s'))} | {_f(fresh['reference'].get('p95_s'))} | {_f(fr)}× |",
        f"| page switch (sidebar link) | {_f(switch['app'].get('median_s'))} | {_f(switch['app'].get('p95_s'))} | {_f(switch['reference'].get('median_s'))} | {_f(switch['reference'].get('p95_s'))} | {_f(sw)}× |",
        "",
        f"External requests blocked: {len(r.get('external_requests', []))}.",
    ]
    verdicts += [
        (f"fresh visit ≤ {FRESH_VS_REFERENCE}× the reference", _verdict(fr, FRESH_VS_REFERENCE)),
        (f"page switch ≤ {SWITCH_VS_REFERENCE}× the reference", _verdict(sw, SWITCH_VS_REFERENCE)),
    ]
    return lines, verdicts


def burst_lines(r: dict[str, Any]) -> tuple[list[str], list[tuple[str, str]]]:
    lines = [
        "### A room of new visitors (Streamlit's WebSocket protocol, no browsers)",
        "",
        "Each visitor opens a page with its own filter in the link (`benchmarks/burst.py`); the "
        "time is from the burst's start to that visitor's finished script run.",
        "",
        "| set-up | visitors at once | p50 (s) | p95 (s) | first quarter / last quarter median (s) | errors | scripts per visit | kB per visit | peak RSS (MB) |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, setup in r.items():
        for n, b in setup["bursts"].items():
            lines.append(
                f"| {name} | {n} | {_f(b['p50_s'])} | {_f(b['p95_s'])} | "
                f"{_f(b['first_quarter_median_s'])} / {_f(b['last_quarter_median_s'])} | "
                f"{b['errors']} | {_f(b['runs_per_visit'], 1)} | {_f(b['kb_per_visit'], 1)} | "
                f"{_f(setup.get('peak_rss_mb'), 0)} |"
            )
    verdicts = []
    app, minimal = r.get("dashboard ×1"), r.get("minimal ×1")
    if app and minimal:
        one = _ratio(
            app["bursts"].get("1", {}).get("p50_s"), minimal["bursts"].get("1", {}).get("p50_s")
        )
        verdicts.append(
            (
                f"one new visitor's first page ≤ {FIRST_PAGE_VS_MINIMAL}× the minimal page's",
                _verdict(one, FIRST_PAGE_VS_MINIMAL),
            )
        )
        a40, m40 = app["bursts"].get("40", {}), minimal["bursts"].get("40", {})
        p95 = _ratio(a40.get("p95_s"), m40.get("p95_s"))
        verdicts.append(
            (
                f"40 at once: p95 ≤ {BURST40_P95_VS_MINIMAL}× the minimal page's",
                _verdict(p95, BURST40_P95_VS_MINIMAL),
            )
        )
        if a40:
            verdicts.append(
                (
                    "40 at once: first arrivals served first (p50 well below p95)",
                    f"p50 {_f(a40.get('p50_s'))} s, p95 {_f(a40.get('p95_s'))} s (p50 ÷ p95 {_f(_ratio(a40.get('p50_s'), a40.get('p95_s')))})",
                )
            )
            verdicts.append(
                (
                    "40 at once: 0 errors",
                    f"**{'met' if a40.get('errors') == 0 else 'missed'}** ({a40.get('errors')} errors)",
                )
            )
    two = r.get("dashboard ×2 (nginx)")
    if app and two:
        # Visitors held at the same p95: how many visitors two processes serve within the p95
        # that one process needs for the largest burst (linear between the measured bursts).
        def capacity(setup: dict[str, Any], p95: float) -> float:
            pts = sorted((int(n), b["p95_s"]) for n, b in setup["bursts"].items() if b["p95_s"])
            best = 0.0
            for (n0, t0), (n1, t1) in zip(pts, pts[1:], strict=False):
                if t0 <= p95:
                    best = max(
                        best, n0 + (n1 - n0) * min(1.0, (p95 - t0) / (t1 - t0)) if t1 > t0 else n1
                    )
            if pts and pts[-1][1] <= p95:
                best = max(best, pts[-1][0] * p95 / pts[-1][1])  # beyond the largest burst: linear
            return best

        largest = max(app["bursts"], key=int)
        target = app["bursts"][largest]["p95_s"]
        ratio = _ratio(capacity(two, target), capacity(app, target)) if target else None
        verdicts.append(
            (
                f"two processes hold ≥ {TWO_PROCESSES_CAPACITY}× the visitors of one at the same p95 ({_f(target)} s)",
                _verdict(ratio, TWO_PROCESSES_CAPACITY, higher_is_better=True),
            )
        )
    return lines, verdicts


def markdown(speed: dict[str, Any]) -> str:
    lines = [
        BEGIN,
        "",
        f"_Generated by `make bench` on {speed.get('date', '?')}, commit `{speed.get('commit', '?')}`, load average {speed.get('load', '?')}._",
        "",
    ]
    verdicts: list[tuple[str, str]] = []
    if "interactive" in speed:
        more, v = interactive_lines(speed["interactive"])
        lines += more + [""]
        verdicts += v
    if "burst" in speed:
        more, v = burst_lines(speed["burst"])
        lines += more + [""]
        verdicts += v
    lines += ["#### Budgets (issue 13)", "", "| budget | result |", "| --- | --- |"]
    lines += [f"| {a} | {b} |" for a, b in verdicts]
    lines += ["", END]
    return "\n".join(lines)


def write(doc: Path, speed: dict[str, Any]) -> None:
    section = markdown(speed)
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Speed a person feels (issue 13)\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")
