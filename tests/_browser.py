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
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

import pytest

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
        reason = f"browser test needs {' and '.join(missing)} (run .ci/run, which installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def is_local(url: str) -> bool:
    """Loopback, file: and data: URLs are local; everything else would leave the machine."""
    parsed = urlparse(url)
    return parsed.scheme in ("file", "data", "blob", "about") or parsed.hostname in LOOPBACK_HOSTS


@contextlib.contextmanager
def browser_page(viewport: dict | None = None) -> Iterator[tuple[object, list[str]]]:
    """A playwright page in Debian chromium whose off-machine requests are aborted and listed in `blocked`."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def guard(route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})
        context.route("**/*", guard)
        try:
            yield context.new_page(), blocked
        finally:
            context.close()
            browser.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(app: Path = ROOT / "app.py", env: dict | None = None, timeout: float = 60) -> Iterator[str]:
    """Start `streamlit run app` on a free loopback port; yield its URL; stop it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    url = f"http://127.0.0.1:{port}"
    # A file, not a pipe: a pipe nobody reads would block the server once full.
    with tempfile.TemporaryDirectory(prefix="geo-server-") as folder, open(Path(folder) / "server.log", "w+b") as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
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
