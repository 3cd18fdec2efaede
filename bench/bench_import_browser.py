"""Benchmark imported layers in the browser: upload -> drawn, slider step with the layer on the map, zoom in -> its
points, server peak RSS; plain folium markers opened in the same browser for comparison.

Run: python3 bench/bench_import_browser.py [--sizes 0 10000 100000] [--moves 20] [--markers 3000 10000]
(loopback only; size 0 is the app without an upload, the baseline of the ratios)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import folium
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_app import p95, timed_move  # noqa: E402  (this script's folder is on sys.path)
from bench_import import acled_csv  # noqa: E402
from bench_load import IDLE, PATHS, POLL_MS, app_server  # noqa: E402

from geo import settings  # noqa: E402
from geo.data.dataset import load_dataset  # noqa: E402
from geo.draw.assets import offline_css, offline_js  # noqa: E402
from geo.draw.style import import_colour  # noqa: E402
from tests._browser import browser_page  # noqa: E402
from tests.test_browser import MAP_FRAME, open_map  # noqa: E402
from tests.test_upload_browser import UPLOADER  # noqa: E402

# Dates from a full window before the slider's first day to its last (the bundled seeds' timeline): both ends of
# the slider show a full window.
FIRST, LAST = (pd.Timestamp(day) for day in load_dataset(settings.SEEDS_DIR).scenario.timeline)
SPAN = pd.date_range(FIRST - pd.Timedelta(days=settings.EVENT_WINDOW_DAYS), LAST).strftime("%Y-%m-%d").to_numpy()
TIMEOUT_MS = 300_000


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM) in MB."""
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def upload(page, path: Path, rows: int) -> float:
    """Upload a CSV; seconds until the sidebar lists its rows and the map has drawn the layer and gone idle."""
    start = time.perf_counter()
    page.locator(UPLOADER).set_input_files(str(path))
    page.locator("[data-testid=stSidebar]").get_by_text(f"({rows:,} features)").wait_for(timeout=TIMEOUT_MS)
    # Markers or count cells, the layer's legend names it either way.
    page.frame_locator(MAP_FRAME).locator(".geo-legend", has_text=path.stem).wait_for(timeout=TIMEOUT_MS)
    page.locator(IDLE).wait_for(timeout=TIMEOUT_MS)
    return time.perf_counter() - start


def slider_moves(page, moves: int) -> tuple[list[float], list[int]]:
    """Home/End alternately: seconds from keydown to changed paths, timed in the page (bench/_moves.py, as
    bench_load.py does), and the paths drawn after each move."""
    timings, drawn = [], []
    for index in range(moves):
        timings.append(timed_move(page, "Home" if index % 2 == 0 else "End", TIMEOUT_MS, POLL_MS)[0])
        page.locator(IDLE).wait_for(timeout=TIMEOUT_MS)
        drawn.append(page.locator(MAP_FRAME).element_handle().content_frame().locator(PATHS).count())
    return timings, drawn


def drawn_as_cells(page) -> bool:
    return page.frame_locator(MAP_FRAME).locator(".geo-legend", has_text="features per cell").count() > 0


def zoom_in(page, layer: str) -> float:
    """Seconds from zooming to Niamey (zoom 10) to the layer's points drawn there instead of cells."""
    start = time.perf_counter()
    page.locator(MAP_FRAME).element_handle().content_frame().evaluate("() => { window.map.setView([13.51, 2.11], 10); }")
    colour = import_colour(layer)
    page.frame_locator(MAP_FRAME).locator(f"path.leaflet-interactive[fill='{colour}']").locator("visible=true").first.wait_for(
        timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - start
    page.locator(IDLE).wait_for(timeout=TIMEOUT_MS)
    return elapsed


def run_size(rows: int, moves: int) -> dict:
    """A fresh server: open the map, upload `rows` points (none for 0), time the slider moves, read the peak RSS."""
    with tempfile.TemporaryDirectory() as folder, app_server(Path(folder) / "server.log") as (url, pid):
        with browser_page() as (page, blocked):
            open_map(page, f"{url}/?date=2024-05-03", timeout_ms=TIMEOUT_MS)
            page.locator(IDLE).wait_for(timeout=TIMEOUT_MS)
            path = acled_csv(rows, Path(folder), days=SPAN)
            upload_s = upload(page, path, rows) if rows else 0.0
            timings, drawn = slider_moves(page, moves)
            zoom_s = zoom_in(page, path.stem) if drawn_as_cells(page) else 0.0
            if blocked:
                raise RuntimeError(f"off-machine requests: {blocked}")
        return {"rows": rows, "upload_s": upload_s, "timings": timings, "drawn": statistics.median(drawn),
                "zoom_s": zoom_s, "peak_mb": peak_rss_mb(pid)}


def folium_page(n: int, folder: Path) -> Path:
    """n plain folium CircleMarkers with popups, Leaflet inlined so the page opens offline."""
    rng = np.random.default_rng(n)
    fmap = folium.Map(location=[17, 8], zoom_start=6, tiles=None)
    fmap.default_js, fmap.default_css = offline_js(), offline_css()
    for lat, lon in zip(rng.uniform(11.7, 23.5, n), rng.uniform(0.2, 16.0, n)):
        folium.CircleMarker([lat, lon], radius=4, popup=f"event {lat:.3f}").add_to(fmap)
    path = folder / f"folium_{n}.html"
    fmap.save(path)
    return path


def folium_draw_s(n: int, repeat: int = 3) -> float:
    """Median seconds from opening the page to all n markers in the DOM."""
    times = []
    with tempfile.TemporaryDirectory() as folder, browser_page() as (page, blocked):
        path = folium_page(n, Path(folder))
        for _ in range(repeat):
            start = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_function(f"() => document.querySelectorAll('path.leaflet-interactive').length >= {n}",
                                   timeout=TIMEOUT_MS, polling=50)
            times.append(time.perf_counter() - start)
        assert blocked == [], blocked
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 10_000, 100_000])
    parser.add_argument("--moves", type=int, default=20, help="slider moves per size (default 20)")
    parser.add_argument("--markers", type=int, nargs="*", default=[3_000, 10_000])
    options = parser.parse_args()
    print("rows | upload -> drawn s | slider -> map median ms | p95 ms | paths drawn | zoom in -> points ms | "
          "server peak RSS MB")
    results = [run_size(rows, options.moves) for rows in options.sizes]
    for r in results:
        print(f"{r['rows']:,} | {r['upload_s']:.1f} | {1000 * statistics.median(r['timings']):.0f} | "
              f"{1000 * p95(r['timings']):.0f} | {r['drawn']:,.0f} | {1000 * r['zoom_s']:.0f} | {r['peak_mb']:.0f}")
    base = statistics.median(results[0]["timings"])
    print("ratio to the first size (median): " + ", ".join(
        f"{r['rows']:,}: {statistics.median(r['timings']) / base:.2f}x" for r in results[1:]))
    for n in options.markers:
        print(f"plain folium, {n:,} CircleMarkers: open -> all drawn {folium_draw_s(n):.2f} s (median of 3)")


if __name__ == "__main__":
    main()
