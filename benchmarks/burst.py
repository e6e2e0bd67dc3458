"""A room of new visitors at once, driven over Streamlit's own WebSocket protocol (no browsers).

Each visitor is one WebSocket to ``/_stcore/stream`` (subprotocol ``streamlit``) that sends one
``BackMsg.rerun_script`` with a ``query_string`` (a different filter per visitor) and a
``page_name``, then reads ``ForwardMsg``s until a ``script_finished`` that is not "finished early
for a rerun". Measured per visitor: seconds from the burst's start to that message, how many
scripts ran (``script_finished`` messages: a second rerun shows here), bytes received, errors
(an exception element, a page not found, a closed socket, a timeout). The server's peak memory
is ``VmHWM`` of each app process.

``servers`` starts N ``streamlit run`` processes on loopback ports and, for N > 1, nginx in front
of them with the configuration in ``deploy/nginx.conf.template`` (sticky by a cookie), so the
burst measures the set-up that ``docs/SERVICE.md`` documents.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.browser import free_port, healthy, peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"

# Links a presenter might share: pages and filters (ids that exist in every generated register:
# the 85 real members are kept at every size).
LINKS = [
    ("overview", ""),
    ("overview", "country=russia"),
    ("map", "country=kazakhstan"),
    ("countries", "area=social"),
    ("areas", "years=2010-2020"),
    ("overview", "country=belarus&years=2015-2024"),
    ("map", ""),
    ("city", "profile=yerevan"),
    ("overview", "area=trade_economic"),
    ("countries", "country=armenia&country=kyrgyzstan"),
]


@dataclass
class Visit:
    started: float = 0.0
    finished: float | None = None
    runs: int = 0
    bytes: int = 0
    error: str = ""


async def visit(url: str, page: str, query: str, timeout: float, t0: float) -> Visit:
    """One new session: connect, ask for ``page`` with ``query``, wait for its finished run."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    out = Visit(started=time.perf_counter() - t0)
    # A cookie per visitor, as a browser would hold: nginx hashes it to choose the process.
    headers = {"Cookie": f"mag_route={uuid.uuid4().hex}"}
    try:
        async with asyncio.timeout(timeout):
            async with websockets.connect(
                url, subprotocols=["streamlit"], max_size=None, additional_headers=headers,
                open_timeout=timeout, ping_interval=None, compression=None,
            ) as ws:  # fmt: skip
                msg = BackMsg()
                msg.rerun_script.query_string = query
                # The default page is the site's root: its page name is empty.
                msg.rerun_script.page_name = "" if page == "overview" else page
                await ws.send(msg.SerializeToString())
                async for frame in ws:
                    out.bytes += len(frame)
                    fwd = ForwardMsg()
                    fwd.ParseFromString(frame)
                    kind = fwd.WhichOneof("type")
                    if kind == "delta" and fwd.delta.new_element.WhichOneof("type") == "exception":
                        out.error = (
                            out.error
                            or "exception: " + fwd.delta.new_element.exception.message[:120]
                        )
                    elif kind == "page_not_found":
                        out.error = out.error or f"page not found: {page}"
                    elif kind == "script_finished":
                        out.runs += 1
                        if fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            out.finished = time.perf_counter() - t0
                            break
    except TimeoutError:
        out.error = out.error or f"timeout after {timeout:.0f} s"
    except Exception as error:  # a refused or dropped socket is an error of the burst
        out.error = out.error or f"{type(error).__name__}: {str(error)[:120]}"
    return out


async def _burst(url: str, n: int, timeout: float, offset: int) -> list[Visit]:
    t0 = time.perf_counter()
    tasks = []
    for i in range(n):
        page, query = LINKS[(i + offset) % len(LINKS)]
        tasks.append(asyncio.create_task(visit(url, page, query, timeout, t0)))
        await asyncio.sleep(0)  # connect in arrival order
    return list(await asyncio.gather(*tasks))


def burst(url: str, n: int, timeout: float = 240.0, offset: int = 0) -> list[Visit]:
    return asyncio.run(_burst(url, n, timeout, offset))


def summarise(visits: list[Visit]) -> dict[str, Any]:
    done = sorted(v.finished for v in visits if v.finished is not None and not v.error)
    errors = [v.error for v in visits if v.error or v.finished is None]

    def q(p: float) -> float | None:
        if not done:
            return None
        return done[min(len(done) - 1, max(0, round(p * len(done) + 0.5) - 1))]

    # First arrivals served first: the first quarter of the connections against the last one.
    quarter = max(1, len(visits) // 4)
    first = [v.finished for v in visits[:quarter] if v.finished is not None]
    last = [v.finished for v in visits[-quarter:] if v.finished is not None]
    return {
        "n": len(visits),
        "p50_s": q(0.5),
        "p95_s": q(0.95),
        "max_s": done[-1] if done else None,
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "runs_per_visit": statistics.mean(v.runs for v in visits) if visits else None,
        "kb_per_visit": statistics.mean(v.bytes for v in visits) / 1e3 if visits else None,
        "first_quarter_median_s": statistics.median(first) if first else None,
        "last_quarter_median_s": statistics.median(last) if last else None,
    }


def render_nginx(listen: int, backends: list[int], workdir: Path) -> Path:
    """``deploy/nginx.conf.template`` for loopback ports, with its paths in ``workdir``."""
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=0;" for p in backends)
    text = (
        NGINX_TEMPLATE.read_text()
        .replace("@LISTEN@", f"127.0.0.1:{listen}")
        .replace("@UPSTREAMS@", servers.strip())
        .replace("@PREFIX@", str(workdir))
    )
    conf = workdir / "nginx.conf"
    conf.write_text(text)
    return conf


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


@contextlib.contextmanager
def servers(
    script: Path,
    folder: Path,
    n: int,
    log_dir: Path,
    cache: Path | None = None,
    nginx: bool | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[dict[str, Any]]:
    """N app processes on loopback ports (and nginx in front when N > 1 or ``nginx``)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
    env = dict(os.environ, MAG_DATA_DIR=str(folder), **(extra_env or {}))
    if cache is not None:
        env["MAG_CACHE_DIR"] = str(cache)
    procs: list[subprocess.Popen] = []
    ports = [free_port() for _ in range(n)]
    front: subprocess.Popen | None = None
    workdir = Path(tempfile.mkdtemp(prefix="mag-nginx-"))
    try:
        for i, port in enumerate(ports):
            cmd = [
                python, "-m", "streamlit", "run", str(script),
                "--server.port", str(port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none",
            ]  # fmt: skip
            log = (log_dir / f"{script.stem}-{n}-{i}.log").open("wb")
            procs.append(
                subprocess.Popen(
                    cmd,
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )  # fmt: skip
            )
        start = time.perf_counter()
        for port, proc in zip(ports, procs, strict=True):
            while not healthy(f"http://127.0.0.1:{port}/_stcore/health"):
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode} (logs {log_dir})")
                if time.perf_counter() - start > 120:
                    raise RuntimeError("streamlit not healthy after 120 s")
                time.sleep(0.1)
        port = ports[0]
        if nginx or (nginx is None and n > 1):
            binary = nginx_binary()
            if binary is None:
                raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
            port = free_port()
            conf = render_nginx(port, ports, workdir)
            front = subprocess.Popen(
                [binary, "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
            while not healthy(f"http://127.0.0.1:{port}/_stcore/health"):
                if front.poll() is not None:
                    raise RuntimeError(
                        f"nginx exited: {(workdir / 'error.log').read_text()[-500:]}"
                    )
                if time.perf_counter() - start > 150:
                    raise RuntimeError("nginx not answering")
                time.sleep(0.05)
        yield {
            "http": f"http://127.0.0.1:{port}",
            "ws": f"ws://127.0.0.1:{port}/_stcore/stream",
            "backends": [f"http://127.0.0.1:{p}" for p in ports],
            "pids": [p.pid for p in procs],
            "nginx_dir": workdir,
        }
    finally:
        if front is not None and front.poll() is None:
            front.send_signal(signal.SIGQUIT)
            try:
                front.wait(timeout=10)
            except subprocess.TimeoutExpired:
                front.kill()
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def measure(
    script: Path,
    folder: Path,
    sizes: tuple[int, ...],
    log_dir: Path,
    processes: int = 1,
    cache: Path | None = None,
    log: Any = print,
    extra_env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One server set-up, warmed by one visit; then each burst in turn on a fresh set of
    sessions (earlier sessions are closed: nobody stays connected between bursts)."""
    out: dict[str, Any] = {"script": script.name, "processes": processes, "bursts": {}}
    with servers(script, folder, processes, log_dir, cache, extra_env=extra_env) as srv:
        # Warm-up: every process serves one visit per page kind before the bursts (the first
        # run imports the pages; a visitor of a running server does not pay that).
        for _ in range(2 * processes):
            burst(srv["ws"], len(LINKS))
        for i, n in enumerate(sizes):
            visits = burst(srv["ws"], n, offset=i)
            out["bursts"][str(n)] = summary = summarise(visits)
            log(
                f"    {script.name} ×{processes}: {n} at once → p50 {summary['p50_s']}, "
                f"p95 {summary['p95_s']}, errors {summary['errors']}, runs "
                f"{summary['runs_per_visit']}"
            )
            time.sleep(1.0)
        out["peak_rss_mb"] = sum(peak_rss_mb(pid) or 0 for pid in srv["pids"])
    return out
