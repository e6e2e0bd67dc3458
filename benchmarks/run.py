"""``make bench``: generated registers at three sizes, timed pages, browser, deck → docs.

    .venv/bin/python -m benchmarks.run                      # everything (< 20 min on 2 cores)
    .venv/bin/python -m benchmarks.run --sizes today --reps 5 --no-browser   # a quick look

Writes the registers and ``results.json`` to ``bench-output/`` (git-ignored) and the results
tables to ``docs/BENCHMARKS.md`` (between its generated-section markers).

``--snapshot`` runs the committed ``HEAD`` from a temporary git worktree, so that edits made in
a shared working tree during the run cannot mix two versions of the code into one result.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import time
import warnings
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import registers, report  # noqa: E402

# Repetitions per size: fewer at the largest, where one naive rerun takes seconds.
DEFAULT_REPS = {"today": 15, "1k": 7, "10k": 5}
# Cold starts of each kind (first start, restart, reference page) per size; the median is judged.
COLD_RUNS = 5


def _log(message: str) -> None:
    print(message, flush=True)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        chromium = subprocess.run(
            [os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        chromium = "not found"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    packages = ("streamlit", "pandas", "numpy", "pyarrow", "plotly", "playwright")
    return {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
        "load_start": os.getloadavg()[0],
        "python": platform.python_version(),
        "versions": ", ".join(f"{p} {version(p)}" for p in packages),
        "chromium": chromium,
        "commit": commit,
    }


def deck_timing(folder: Path) -> dict[str, Any] | None:
    """Build the deck twice (cold renderer, then warm) if a deck builder exists."""
    try:
        from mag_data import Filter, load_registry
        from mag_data.present import deck
    except ImportError:
        return None
    build = getattr(deck, "build_files", None)
    if build is None:
        return {"note": "mag_data.present.deck has no build_files"}
    registry = load_registry(folder)
    out: dict[str, Any] = {}
    try:
        start = time.perf_counter()
        files = build(registry, Filter(), "ru", pdf=True)
        out["cold_s"] = time.perf_counter() - start
        start = time.perf_counter()
        files = build(registry, Filter(), "ru", pdf=True)
        out["warm_s"] = time.perf_counter() - start
        out["slides"] = files.slides
        out["images_s"] = getattr(files, "timings", {}).get("images")
        out["note"] = "" if files.pdf is not None else f"no PDF: {files.pdf_error}"
    except Exception as error:  # a missing browser or a changed API: say so, do not fail
        out["note"] = f"{type(error).__name__}: {str(error)[:120]}"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="МАГ dashboard benchmarks")
    parser.add_argument("--sizes", default=",".join(registers.SIZES), help="comma-separated")
    parser.add_argument("--reps", type=int, help="repetitions at every size (default per size)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-output")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/BENCHMARKS.md")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-reruns", action="store_true")
    parser.add_argument("--no-deck", action="store_true")
    parser.add_argument(
        "--snapshot", action="store_true", help="benchmark HEAD from a temporary git worktree"
    )
    args = parser.parse_args(argv)
    if args.snapshot:
        return _run_snapshot(argv or sys.argv[1:], args)

    # AppTest outside `streamlit run` logs a warning per run; keep the output readable (errors,
    # such as an exception in a page, still show).
    warnings.filterwarnings("ignore")
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")

    from benchmarks import browser, reruns

    for name in ("streamlit", "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)

    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "machine": machine(),
        "sizes": {},
        "pages": list(reruns.PAGES),
    }
    scripts = reruns.router_pages()
    for name in args.sizes.split(","):
        size = registers.SIZES[name]
        _log(f"[{time.perf_counter() - started:6.0f}s] register {size.label}")
        folder, counts = registers.ensure_register(size, args.out / "registers")
        folder = folder.resolve()
        megabytes = sum(f.stat().st_size for f in folder.glob("*.csv")) / 1e6
        reps = args.reps or DEFAULT_REPS.get(name, 5)
        entry: dict[str, Any] = {"counts": counts, "megabytes": megabytes, "reps": reps}
        results["sizes"][name] = entry
        if not args.no_reruns:
            _log(f"[{time.perf_counter() - started:6.0f}s] reruns at {name} ({reps} each)")
            facts, pages = reruns.bench_size(folder, reps, _log)
            entry["facts"] = facts
            entry["pages"] = [p.as_dict() for p in pages]
        if not args.no_browser:
            _log(f"[{time.perf_counter() - started:6.0f}s] browser at {name}")
            # First start with no snapshot (the register is read and validated; the warm-up
            # writes the snapshot), then a restart that finds it: the usual case, measured in
            # full (every page) once. Each kind of start COLD_RUNS times (first paint varies by
            # a second from run to run on two cores): the report judges the median.
            cache = args.out / "cache" / name
            entry["browser_first_start_runs"] = []
            for i in range(COLD_RUNS):
                shutil.rmtree(cache, ignore_errors=True)
                first = browser.measure(
                    folder, {}, args.out / f"server-{name}-first-{i}.log", cache
                )
                entry["browser_first_start_runs"].append(first.as_dict())
                _log(f"  first start (no snapshot): first paint {first.cold_start_s}s")
            measured = browser.measure(
                folder,
                {p: p for p in reruns.PAGES if p in scripts},
                args.out / f"server-{name}.log",
                cache,
            )
            entry["browser"] = measured.as_dict()
            entry["browser_restart_runs"] = [entry["browser"]] + [
                browser.measure(folder, {}, args.out / f"server-{name}-{i}.log", cache).as_dict()
                for i in range(1, COLD_RUNS)
            ]
            _log(
                f"  cold start {measured.cold_start_s}s, peak RSS {measured.peak_rss_mb} MB, "
                f"bytes {measured.page_bytes}, errors {measured.errors}"
            )
        if not args.no_deck:
            _log(f"[{time.perf_counter() - started:6.0f}s] deck at {name}")
            timing = deck_timing(folder)
            if timing is None:
                results["deck_note"] = "mag_data.present.deck does not exist"
            else:
                entry["deck"] = timing
                _log(f"  {timing}")
        (args.out / "results.json").write_text(json.dumps(results, indent=1, default=str))
    if not args.no_browser:
        # Reference: the cold start of a minimal page (title, metrics, one chart, one table)
        # on the same machine, COLD_RUNS times: Streamlit's and Chromium's own share.
        reference = [
            browser.measure(
                args.out / "registers" / "today",
                {},
                args.out / f"server-reference-{i}.log",
                script=Path(__file__).resolve().parent / "minimal_app.py",
            ).as_dict()
            for i in range(COLD_RUNS)
        ]
        results["reference_cold_start"] = reference
        _log(f"  reference page first paint {[r['cold_start_s'] for r in reference]}")
    results["machine"]["load_end"] = os.getloadavg()[0]
    results["total_seconds"] = time.perf_counter() - started
    (args.out / "results.json").write_text(json.dumps(results, indent=1, default=str))
    if not args.no_doc:
        report.write(args.doc, results)
        _log(f"wrote {args.doc}")
    _log(f"done in {results['total_seconds']:.0f} s; raw results in {args.out / 'results.json'}")
    return 0


def _run_snapshot(argv: list[str], args: argparse.Namespace) -> int:
    """Re-run this command from a detached worktree of HEAD (results and doc still land here)."""
    import tempfile

    tree = Path(tempfile.mkdtemp(prefix="mag-bench-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), "HEAD"], cwd=ROOT, check=True)
    try:
        rest = [a for a in argv if a != "--snapshot"]
        rest += ["--out", str(args.out.resolve()), "--doc", str(args.doc.resolve())]
        return subprocess.run(
            [sys.executable, "-m", "benchmarks.run", *rest], cwd=tree, check=False
        ).returncode
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)


if __name__ == "__main__":
    raise SystemExit(main())
