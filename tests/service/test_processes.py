"""Two app processes behind nginx (deploy/nginx.conf.template) sharing one register folder.

Starts two ``streamlit run serve.py`` on loopback ports and nginx in front of them, as
docs/SERVICE.md section 4 describes, then shows that (1) nginx keeps a visitor on one process
(by its ``mag_route`` cookie) and spreads visitors over both, (2) Streamlit's WebSocket works
through nginx, and (3) an edit applied to the shared folder with ``RegisterStore`` (what the data
page does) is served by both processes after a reload, each having served the old register first.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
import urllib.request
import uuid
from pathlib import Path

import pytest

from benchmarks import burst
from mag_data import config
from mag_data.editing.store import RegisterStore

pytestmark = [pytest.mark.service, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    if burst.nginx_binary() is None:
        pytest.skip("nginx is not installed and could not be installed (make chromium installs it)")
    folder = tmp_path_factory.mktemp("register")
    for name in config.DATA_DIR.glob("*.csv"):
        shutil.copy(name, folder / name.name)
    logs = REPO_ROOT / "test-output" / "service"
    cache = tmp_path_factory.mktemp("cache")
    with burst.servers(REPO_ROOT / "serve.py", folder, 2, logs, cache, nginx=True) as srv:
        yield srv | {"folder": folder}


def _run(coroutine):  # type: ignore[no-untyped-def]
    """Run a coroutine to its end in a thread of its own: the browser tests' Playwright keeps an
    event loop running in this thread, where ``asyncio.run`` is refused."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _upstream(base: str, cookie: str | None) -> tuple[str, str]:
    request = urllib.request.Request(base + "/_stcore/health")
    if cookie:
        request.add_header("Cookie", f"mag_route={cookie}")
    with _NO_PROXY.open(request, timeout=10) as resp:
        routes = [c for c in resp.headers.get_all("Set-Cookie") or [] if c.startswith("mag_route=")]
        return resp.headers.get("X-Mag-Upstream", ""), "".join(routes)


async def _page_text(ws_url: str, cookie: str, query: str) -> bytes:
    """Every byte a new session on the city page receives until its run finished."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    frames = []
    async with websockets.connect(
        ws_url, subprotocols=["streamlit"], max_size=None,
        additional_headers={"Cookie": f"mag_route={cookie}"},
    ) as ws:  # fmt: skip
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = "city"
        await ws.send(msg.SerializeToString())
        async with asyncio.timeout(90):
            async for frame in ws:
                frames.append(frame)
                fwd = ForwardMsg()
                fwd.ParseFromString(frame)
                if fwd.WhichOneof("type") == "script_finished" and (
                    fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
                ):
                    break
    return b"".join(frames)


def _cookies_per_backend(base: str, backends: list[str]) -> dict[str, str]:
    """One routing cookie that nginx sends to each backend."""
    found: dict[str, str] = {}
    for _ in range(200):
        cookie = uuid.uuid4().hex
        upstream, _ = _upstream(base, cookie)
        found.setdefault(upstream, cookie)
        if len(found) == len(backends):
            break
    return found


def test_nginx_is_sticky_by_cookie_and_uses_both_processes(cluster) -> None:
    backends = [b.removeprefix("http://") for b in cluster["backends"]]
    upstream, set_cookie = _upstream(cluster["http"], None)
    assert upstream in backends
    assert set_cookie.startswith("mag_route="), "nginx sets the routing cookie on a first visit"
    found = _cookies_per_backend(cluster["http"], backends)
    assert sorted(found) == sorted(backends), f"visitors reach every process: {found}"
    for backend, cookie in found.items():
        assert {_upstream(cluster["http"], cookie)[0] for _ in range(5)} == {backend}
        assert _upstream(cluster["http"], cookie)[1] == "", "no new cookie once one is held"


def test_an_edit_through_the_shared_folder_is_served_by_both_processes(cluster) -> None:
    backends = [b.removeprefix("http://") for b in cluster["backends"]]
    cookies = _cookies_per_backend(cluster["http"], backends)
    ws = cluster["ws"]
    query = "lang=en&profile=yerevan"
    marker = "Yerevan-" + uuid.uuid4().hex[:8]
    for cookie in cookies.values():  # both processes serve (and cache) the register as it is
        text = _run(_page_text(ws, cookie, query))
        assert b"Yerevan" in text and marker.encode() not in text

    store = RegisterStore(cluster["folder"])
    members = (cluster["folder"] / "members.csv").read_bytes()
    edited = members.replace(b",Yerevan,", f",{marker},".encode(), 1)
    assert edited != members
    store.apply({"members.csv": edited}, expected_fingerprint=store.fingerprint(), user="test")

    for backend, cookie in cookies.items():  # a reload: a new session on each process
        text = _run(_page_text(ws, cookie, query))
        assert marker.encode() in text, f"{backend} still serves the old register"
