"""A page's traffic without its browser: what one chromium page fetches and sends while it opens the app and moves the
date slider, recorded once, then replayed by many clients speaking Streamlit's websocket protocol."""

from __future__ import annotations

import asyncio
import http.cookiejar
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

from tests._browser import browser_page, is_local
from tests.test_browser import SLIDER, open_map

STREAM = "/_stcore/stream"
MAP_COMPONENT = "streamlit_folium.st_folium"
FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
SETTLE_MS = 2000
ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # chromium's
BROWSER_CONNECTIONS = 6  # chromium's connections per host over HTTP/1.1


@dataclass(frozen=True)
class Recording:
    """One page's traffic: the paths fetched before its websocket opened and after, the reruns it sent to open
    (its first run, then the map component's first value), and those of a Home and an End key press on the slider."""

    fetched_first: tuple[str, ...]
    fetched_after: tuple[str, ...]
    opening: tuple[bytes, ...]
    home: tuple[bytes, ...]
    end: tuple[bytes, ...]


def record(url: str, query: str) -> Recording:
    """Open `url` + `query` in chromium, wait for the map, press Home then End on the slider; what the page did."""
    fetched: list[tuple[float, str]] = []
    sent: list[bytes] = []
    opened: list[float] = []

    def on_websocket(socket) -> None:
        opened.append(time.perf_counter())
        socket.on("framesent", lambda payload: sent.append(uncached(payload)) if rerun(payload) else None)

    with browser_page() as (page, blocked):
        page.on("request", lambda request: fetched.append((time.perf_counter(), request.url)))
        page.on("websocket", on_websocket)
        open_map(page, url + query)
        page.wait_for_timeout(SETTLE_MS)
        groups = [tuple(sent)]
        for key in ("Home", "End"):
            count = len(sent)
            page.locator(SLIDER).press(key)
            page.wait_for_timeout(SETTLE_MS)
            groups.append(tuple(sent[count:]))
        if blocked:
            raise RuntimeError(f"off-machine requests while recording: {blocked}")
        if not all(groups) or not opened:
            raise RuntimeError(f"the page sent no rerun to open or for a key press ({[len(g) for g in groups]}), "
                               "or opened no websocket: nothing to replay")
    paths = [(at, urlparse(u)._replace(scheme="", netloc="").geturl()) for at, u in fetched if is_local(u)
             and urlparse(u).scheme.startswith("http")]
    return Recording(tuple(p for at, p in paths if at < opened[0]), tuple(p for at, p in paths if at >= opened[0]),
                     *groups)


def rerun(payload: bytes | str) -> bool:
    return isinstance(payload, bytes) and parse(BackMsg, payload).WhichOneof("type") == "rerun_script"


def uncached(payload: bytes) -> bytes:
    """The message without the hashes of messages the recording page had cached: every replay gets them whole."""
    message = parse(BackMsg, payload)
    del message.rerun_script.cached_message_hashes[:]
    return message.SerializeToString()


def parse(kind, payload: bytes):
    message = kind()
    message.ParseFromString(payload)
    return message


@dataclass
class Timings:
    """What a level's clients measured: seconds to the first map (page open) and, per move, to the map's message and
    to the run's end; the errors seen."""

    opens: list[float] = field(default_factory=list)
    maps: list[float] = field(default_factory=list)
    finished: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Run:
    """One rerun as the client saw it: seconds to the map's message (None: none came) and to the end; errors."""

    map: float | None
    finished: float
    errors: list[str]


class Client:
    """One analyst's session: its own cookies (a sticky process behind nginx) and its own websocket."""

    def __init__(self, url: str, recording: Recording, pool: ThreadPoolExecutor) -> None:
        self.url, self.recording, self.pool = url, recording, pool
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.opener.addheaders = [("Accept-Encoding", ACCEPT_ENCODING)]  # what the server compresses, it compresses
        self.socket: ClientConnection | None = None

    async def fetch(self, paths: tuple[str, ...]) -> None:
        """GET the paths, BROWSER_CONNECTIONS at a time (as a browser does over HTTP/1.1)."""
        loop, left = asyncio.get_running_loop(), list(paths)

        async def worker() -> None:
            while left:
                await loop.run_in_executor(self.pool, self.get, left.pop(0))
        await asyncio.gather(*(worker() for _ in range(BROWSER_CONNECTIONS)))

    def get(self, path: str) -> None:
        with self.opener.open(self.url + path, timeout=120) as response:
            response.read()

    async def open(self, timings: Timings) -> None:
        """Fetch what the page fetched first, open the websocket and run the page; the first map is there once its
        message and what the page fetched after it have arrived. Then send the map component's first value."""
        started = time.perf_counter()
        await self.fetch(self.recording.fetched_first)
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        self.socket = await connect(self.url.replace("http", "ws", 1) + STREAM, subprotocols=["streamlit"],
                                    additional_headers={"Cookie": cookie} if cookie else None, proxy=None,
                                    max_size=None, open_timeout=120)
        first, *rest = self.recording.opening
        runs = [await self.run(first)]
        await self.fetch(self.recording.fetched_after)
        timings.opens.append(time.perf_counter() - started)
        runs += [await self.run(message) for message in rest]
        timings.errors += [error for run in runs for error in run.errors]

    async def move(self, index: int, timings: Timings) -> None:
        """A Home (even index) or End key press on the slider, as the recorded page sent it."""
        for message in self.recording.home if index % 2 == 0 else self.recording.end:
            run = await self.run(message)
            timings.maps += [run.map] if run.map is not None else []
            timings.finished.append(run.finished)
            timings.errors += run.errors

    async def run(self, message: bytes) -> Run:
        """Send one rerun and read the server's messages until it has finished."""
        assert self.socket is not None
        started, seen, errors = time.perf_counter(), None, []
        await self.socket.send(message)
        while True:
            reply = parse(ForwardMsg, await self.socket.recv(decode=False))
            kind, element = reply.WhichOneof("type"), reply.delta.new_element
            if kind == "delta" and element.WhichOneof("type") == "component_instance" \
                    and element.component_instance.component_name == MAP_COMPONENT:
                seen = time.perf_counter() - started
            elif kind == "delta" and element.WhichOneof("type") == "exception":
                errors.append(f"exception: {element.exception.message[:200]}")
            elif kind == "script_finished" and reply.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # st.rerun: the page opening map first reruns whole on the map's first value (ui/opening.py)
            elif kind == "script_finished":
                if reply.script_finished not in FINISHED_OK:
                    errors.append(f"script finished with status {reply.script_finished}")
                return Run(seen, time.perf_counter() - started, errors)

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
