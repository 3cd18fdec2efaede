"""Uploads in Debian chromium: drawn without moving the map, text shown as typed (map and sidebar), one session's
layers never in another's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from geo.draw.style import import_colour
from tests._browser import browser_page, browser_sessions, csv_upload, drawn_features, record_dialogs, streamlit_server
from tests.test_browser import MAP_FRAME, map_frame, open_map

if TYPE_CHECKING:
    from playwright.sync_api import FilePayload

PAYLOAD = "<img src=x onerror=alert(1)>"
TEMPLATE = "{{ 'ssti' ~ 'probe' }}"  # Jinja syntax: shown as typed, never evaluated by the server
UPLOADER = "[data-testid=stSidebar] [data-testid=stFileUploader] input[type=file]"
# Markdown and Streamlit's own syntax (image, link, emoji and icon shortcodes, maths, HTML): shown as typed or not at all.
MARKDOWN = ("![i](http://evil.example/x.png) [l](javascript:alert(2)) :smile: :material/warning: :red[red] $x^2$ "
            "<img src=x onerror=alert(1)> **s** _e_ # h")


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
        dialogs, fetched = record_dialogs(page), []
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


def one_point_csv(name: str, lat: float, lon: float) -> FilePayload:
    """An in-memory upload: one dated point."""
    return csv_upload(name, f"name,event_date,latitude,longitude\n{name} point,2024-05-01,{lat},{lon}\n")


def imported_tooltips(page) -> set[str]:
    return {d.tooltip for d in drawn_features(map_frame(page)) if d.row("event_date") is not None}


def layer_labels(page) -> str:
    return page.locator("[data-testid=stSidebar] [data-testid=stCheckbox]").all_inner_texts().__str__()


@pytest.mark.browser
def test_two_sessions_uploading_at_once_each_see_only_their_own_layer(server):
    """The read cache is shared by the process; what a session shows must come from its own uploads only."""
    with browser_sessions(2) as [(first, blocked_first), (second, blocked_second)]:
        open_map(first, f"{server}/?date=2024-05-03")
        open_map(second, f"{server}/?date=2024-05-03")
        first.locator(UPLOADER).set_input_files(one_point_csv("alpha.csv", 13.5, 2.1))
        second.locator(UPLOADER).set_input_files(one_point_csv("bravo.csv", 16.9, 8.0))
        marker(first, "alpha").first.wait_for(timeout=60_000)
        marker(second, "bravo").first.wait_for(timeout=60_000)
        second.locator("[data-testid=stSlider] input[type=range]").press("ArrowLeft")  # a rerun in the second session
        second.wait_for_timeout(2000)
        first.wait_for_timeout(500)
        assert imported_tooltips(first) == {"alpha: alpha.csv point"}
        assert imported_tooltips(second) == {"bravo: bravo.csv point"}
        assert "alpha (1 feature)" in layer_labels(first) and "bravo" not in layer_labels(first)
        assert "bravo (1 feature)" in layer_labels(second) and "alpha" not in layer_labels(second)
        assert blocked_first == blocked_second == []


@pytest.mark.browser
def test_markup_in_a_file_name_and_in_dropped_rows_shows_as_text(server):
    """The layer's name (from the file name) and the reasons rows were dropped go through Streamlit markdown."""
    name = "<b>**x**</b>[y](javascript:alert(1)) :smile: $x$.csv"
    body = f"name,latitude,longitude\nok,13.5,2.1\nbad,{MARKDOWN},2.1\n"
    with browser_page() as (page, blocked):
        dialogs = record_dialogs(page)
        open_map(page, f"{server}/?date=2024-05-03")
        page.locator(UPLOADER).set_input_files(csv_upload(name, body))
        bar = page.locator("[data-testid=stSidebar]")
        safe = "b_y_javascript_alert_1_smile_x"  # by hand: the part after the last "/", word characters and "_"
        bar.get_by_text(f"{safe} (1 feature)", exact=True).wait_for(timeout=60_000)
        bar.get_by_text("1 rows dropped").click()
        reasons = bar.locator("[data-testid=stExpander]", has_text="rows dropped")
        reasons.get_by_text("row 3", exact=False).wait_for(timeout=10_000)
        shown = reasons.locator("[data-testid=stMarkdownContainer]").last
        assert MARKDOWN in shown.inner_text(), shown.inner_text()
        for element in ("img", "strong", "em", "h1", ".katex", "[data-testid=stIconMaterial]", "span[style]"):
            assert shown.locator(element).count() == 0, element
        # GitHub-flavoured markdown links a bare URL (its text stays the URL as typed); never the javascript: one.
        links = shown.locator("a").evaluate_all("links => links.map(a => [a.getAttribute('href'), a.textContent])")
        assert links == [["http://evil.example/x.png", "http://evil.example/x.png"]], links
        assert "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}" not in shown.inner_text()
        page.wait_for_timeout(500)
        assert dialogs == [] and blocked == []


@pytest.mark.browser
def test_a_day_drawn_in_the_page_stays_under_an_uploaded_layer(server):
    """The page draws the dataset's day in place of the rerun's groups (geo/web/preview.py); an analyst's points,
    drawn over the forces, stay on top."""
    with browser_page() as (page, blocked):
        open_map(page, f"{server}/?date=2024-05-03")
        page.locator(UPLOADER).set_input_files(one_point_csv("alpha.csv", 13.5, 2.1))
        marker(page, "alpha").first.wait_for(timeout=60_000)
        frame = map_frame(page)
        frame.wait_for_function("() => window.geoPreview !== undefined", timeout=30_000)
        before = frame.evaluate("() => document.querySelectorAll('.leaflet-overlay-pane path').length")
        fills = frame.evaluate("() => { geoPreview.draw('2023-07-26T00:00:00');"
                               " return Array.from(document.querySelectorAll('.leaflet-overlay-pane path'), p => p.getAttribute('fill')); }")
        assert len(fills) != before and fills[-1] == import_colour("alpha") and fills.count(import_colour("alpha")) == 1
        assert blocked == []
