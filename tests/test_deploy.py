"""deploy/cluster.py: two app processes behind nginx on loopback; pages and uploads work through it; stop leaves nothing."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from deploy.cluster import COOKIE, package_folder, running
from tests._browser import browser_page, free_port
from tests.test_browser import SLIDER, open_map, signature
from tests.test_upload_browser import UPLOADER, marker, xss_csv

IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def require_nginx() -> None:
    """Skip without nginx; in CI (CI=true) that is a failure instead."""
    if shutil.which("nginx") is None:
        reason = "the deploy test needs nginx (Debian's package: apt-get install nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def route_cookie(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return next(c for c in response.headers.get_all("Set-Cookie") if c.startswith(COOKIE + "="))


@contextlib.contextmanager
def paused(pids: list[int]):
    """The processes stopped (SIGSTOP) meanwhile: whatever answers now, they did not."""
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def wait_changed(page, before: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if signature(page) not in ("", before):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.browser
def test_two_processes_behind_nginx_serve_pages_uploads_and_stop_cleanly(tmp_path):
    require_nginx()
    ports = [free_port(), free_port()]
    with running(2, free_port(), app_ports=ports, run_dir=tmp_path / "run") as cluster:
        started = [p.pid for p in cluster.processes]
        assert len(started) == 3 and cluster.url.startswith("http://127.0.0.1:")
        assert "geo_app" in (tmp_path / "run" / "nginx.conf").read_text() and "hash $route" in (tmp_path / "run" / "nginx.conf").read_text()
        assert route_cookie(cluster.url + "/") != route_cookie(cluster.url + "/")  # each new browser gets its own route
        for _ in range(2):  # two browsers: each session's websocket and upload must reach the process holding it
            with browser_page() as (page, blocked):
                open_map(page, f"{cluster.url}/?date=2024-05-03")
                page.locator(IDLE).wait_for(timeout=120_000)
                page.locator(UPLOADER).set_input_files(str(xss_csv(tmp_path)))  # an HTTP upload to the session's process
                marker(page, "reports").first.wait_for(timeout=120_000)
                before = signature(page)
                page.locator(SLIDER).press("Home")  # a rerun over the websocket
                assert wait_changed(page, before)
                assert not blocked
        static = urllib.request.urlopen(cluster.url + "/app/static/vendor/leaflet.js")
        assert static.status == 200 and "Cache-Control" in static.headers  # served by nginx, cached by browsers
        frontend = next((package_folder("streamlit", "static", "static") / "js").glob("index.*.js"))
        component = package_folder("streamlit_folium", "frontend", "build") / "index.html"
        with paused(started[:2]):  # nginx reads Streamlit's frontend and the map component's files itself
            for path, file in ((f"/static/js/{frontend.name}", frontend),
                               ("/component/streamlit_folium.st_folium/index.html", component)):
                with urllib.request.urlopen(cluster.url + path, timeout=10) as response:
                    assert response.read() == file.read_bytes()
        with urllib.request.urlopen(cluster.url + f"/static/js/{frontend.name}") as response:
            assert "immutable" in response.headers["Cache-Control"]
    assert all(not Path(f"/proc/{pid}").exists() for pid in started)
