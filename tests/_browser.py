"""Real-browser helpers: Debian chromium via playwright, every request off loopback aborted and recorded."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlparse

from tests.conftest import missing_tool

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, FilePayload, Frame, Page, ViewportSize

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
ROOT = Path(__file__).resolve().parent.parent


def require_chromium() -> None:
    """Skip without chromium or playwright; in CI (CI=true) that is a failure instead."""
    missing = [] if Path(CHROMIUM).exists() else [CHROMIUM]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package")
    if missing:
        missing_tool(f"browser test needs {' and '.join(missing)} (run .ci/run, which installs them)")


# Every Leaflet layer on the map that carries a GeoJSON feature, as the user would read it: tooltip and popup as
# text (their HTML parsed the way Leaflet shows it), the popup's labelled rows, position and marker style.
DRAWN_JS = """() => {
    const parsed = html => { const div = document.createElement('div'); div.innerHTML = html || ''; return div; };
    const content = part => (part && typeof part.getContent() === 'string') ? part.getContent() : '';
    const found = [];
    window.map.eachLayer(layer => {
        if (!layer.feature) return;
        const popup = parsed(content(layer.getPopup && layer.getPopup()));
        const rows = {};
        popup.querySelectorAll('tr').forEach(row => { rows[row.querySelector('th').textContent] = row.querySelector('td').textContent; });
        const point = layer.getLatLng ? layer.getLatLng() : null;
        found.push({tooltip: parsed(content(layer.getTooltip && layer.getTooltip())).textContent,
                    title: (popup.querySelector('b') || {textContent: ''}).textContent, rows: rows,
                    lat: point ? point.lat : null, lon: point ? point.lng : null,
                    fill: layer.options.fillColor || null, radius: layer.options.radius || null});
    });
    return found;
}"""


@dataclass(frozen=True)
class Drawn:
    """One feature drawn on the Leaflet map, read back from the page."""

    tooltip: str
    title: str
    rows: tuple[tuple[str, str], ...]
    lat: float | None
    lon: float | None
    fill: str | None
    radius: float | None

    def row(self, label: str) -> str | None:
        return dict(self.rows).get(label)


def record_dialogs(page: Page) -> list[str]:
    """Dismiss every alert, confirm or prompt the page opens; the list of their messages (empty: nothing ran)."""
    messages: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return messages


def csv_upload(name: str, text: str) -> FilePayload:
    """An in-memory CSV for `set_input_files`, under any file name (even one no file system allows)."""
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode()}


def drawn_features(frame: Page | Frame) -> list[Drawn]:
    """Every feature drawn in a Leaflet page or frame exposing `window.map` (the app's map iframe)."""
    return [Drawn(f["tooltip"], f["title"], tuple(sorted(f["rows"].items())), f["lat"], f["lon"], f["fill"], f["radius"])
            for f in frame.evaluate(DRAWN_JS)]


def is_local(url: str) -> bool:
    """Loopback, file: and data: URLs are local; everything else would leave the machine."""
    parsed = urlparse(url)
    return parsed.scheme in ("file", "data", "blob", "about") or parsed.hostname in LOOPBACK_HOSTS


@contextlib.contextmanager
def browser_page(viewport: ViewportSize | None = None) -> Iterator[tuple[Page, list[str]]]:
    """A playwright page in Debian chromium whose off-machine requests are aborted and listed in `blocked`."""
    with browser_sessions(1, viewport) as [session]:
        yield session


@contextlib.contextmanager
def browser_sessions(count: int, viewport: ViewportSize | None = None) -> Iterator[list[tuple[Page, list[str]]]]:
    """`count` pages in separate browser contexts (separate cookies: separate app sessions), each with its `blocked`."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    def guard(blocked: list[str]):
        def route_request(route) -> None:
            if is_local(route.request.url):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()
        return route_request

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts, sessions = [], []
        try:
            for _ in range(count):
                blocked: list[str] = []
                context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})
                context.route("**/*", guard(blocked))
                contexts.append(context)
                sessions.append((context.new_page(), blocked))
            yield sessions
        finally:
            for context in contexts:
                context.close()
            browser.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(app: Path = ROOT / "app.py", env: dict | None = None, timeout: float = 60, *,
                     cwd: Path = ROOT) -> Iterator[str]:
    """Start `streamlit run app` in `cwd` (its .streamlit/config.toml applies) on a free loopback port; yield its URL;
    stop it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    url = f"http://127.0.0.1:{port}"
    # A file, not a pipe: a pipe nobody reads would block the server once full.
    with tempfile.TemporaryDirectory(prefix="geo-server-") as folder, open(Path(folder) / "server.log", "w+b") as log:
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})},
                                   stdout=subprocess.DEVNULL, stderr=log)
        try:
            wait_for(f"{url}/_stcore/health", process, timeout, log)
            yield url
        except BaseException as error:
            error.add_note(f"streamlit server log (tail):\n{tail(log)}")
            raise
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    """Terminate, and kill if still running after 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def tail(log: BinaryIO, chars: int = 2000) -> str:
    log.flush()
    return Path(log.name).read_bytes()[-chars:].decode(errors="replace")


def wait_for(url: str, process: subprocess.Popen, timeout: float, log: BinaryIO) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early: {tail(log)}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")
