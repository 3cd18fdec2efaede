"""Uploads in Debian chromium: drawn without moving the map, a property shows as text and runs nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geo.draw.style import import_colour
from tests._browser import browser_page, streamlit_server
from tests.test_browser import MAP_FRAME, map_frame, open_map

PAYLOAD = "<img src=x onerror=alert(1)>"
TEMPLATE = "{{ 'ssti' ~ 'probe' }}"  # Jinja syntax: shown as typed, never evaluated by the server
UPLOADER = "[data-testid=stSidebar] [data-testid=stFileUploader] input[type=file]"


def marker(page, layer: str):
    """The imported layer's circle markers, found by their fill colour."""
    return page.frame_locator(MAP_FRAME).locator(f"path.leaflet-interactive[fill='{import_colour(layer)}']")


def xss_csv(folder: Path) -> Path:
    path = folder / "reports.csv"
    path.write_text(f'title,event_date,latitude,longitude,notes,template\nAyorou,2024-05-01,14.7306,0.9194,"{PAYLOAD}",{TEMPLATE}\n')
    return path


def many_csv(folder: Path) -> Path:
    """3,000 dated points around Niamey, Tillaberi and Agadez: drawn as count cells."""
    rng = np.random.default_rng(7)
    centres = np.array([[13.51, 2.11], [14.21, 1.45], [16.97, 7.99]])
    points = centres[rng.integers(0, 3, 3000)] + rng.normal(0, 0.6, (3000, 2))
    rows = "".join(f"2024-04-{1 + i % 28:02d},{lat:.4f},{lon:.4f}\n" for i, (lat, lon) in enumerate(points))
    path = folder / "acled_2024.csv"
    path.write_text(f"event_date,latitude,longitude\n{rows}")
    return path


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


@pytest.mark.browser
def test_an_uploaded_payload_shows_as_text_and_runs_nothing(server, tmp_path):
    with browser_page() as (page, blocked):
        dialogs, fetched = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: fetched.append(request.url) if request.url.rstrip("/").endswith("/x") else None)
        open_map(page, f"{server}/?date=2024-05-03")
        map_frame(page).evaluate("() => { window.map.setView([14.5, 1.5], 7); }")
        page.locator(UPLOADER).set_input_files(str(xss_csv(tmp_path)))
        marker(page, "reports").first.wait_for(timeout=60_000)
        assert map_frame(page).evaluate("() => [window.map.getZoom(), window.map.getCenter().lat]") == [7, 14.5]
        marker(page, "reports").first.click(force=True)
        popup = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content")
        popup.wait_for(timeout=10_000)
        assert PAYLOAD in popup.inner_text() and TEMPLATE in popup.inner_text()
        assert popup.locator("img").count() == 0
        marker(page, "reports").first.hover(force=True)
        page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip", has_text="reports: Ayorou").wait_for(timeout=5_000)
        page.wait_for_timeout(500)
        assert dialogs == [] and fetched == [] and blocked == []


@pytest.mark.browser
def test_zooming_into_a_large_layer_shows_its_points_and_keeps_the_view(server, tmp_path):
    with browser_page() as (page, blocked):
        open_map(page, f"{server}/?date=2024-05-03")
        page.locator(UPLOADER).set_input_files(str(many_csv(tmp_path)))
        legend = page.frame_locator(MAP_FRAME).locator(".geo-legend", has_text="acled_2024")
        legend.filter(has_text="features per cell (0.5°)").wait_for(timeout=60_000)
        assert marker(page, "acled_2024").count() == 0
        map_frame(page).evaluate("() => { window.map.setView([13.51, 2.11], 10); }")
        # The browser reports the view, the server answers with points (those outside the view stay undrawn).
        marker(page, "acled_2024").locator("visible=true").first.wait_for(timeout=60_000)
        assert "features per cell" not in legend.inner_text()
        assert map_frame(page).evaluate("() => window.map.getZoom()") == 10
        map_frame(page).evaluate("() => { window.map.setZoom(6); }")  # finer cells at middle zooms: tests/test_uploads.py
        legend.filter(has_text="features per cell (0.5°)").wait_for(timeout=60_000)
        assert marker(page, "acled_2024").count() == 0
        assert blocked == []
