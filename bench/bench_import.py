"""Benchmark imported layers: CSV load, server-side slider step (rows of the day, cells, Leaflet script), memory,
plain folium markers. The same step in the browser: bench/bench_import_browser.py."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import folium
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.imports.reader import on_day, read_layer  # noqa: E402
from geo.web.daymap import overlay_groups, prerender  # noqa: E402
from geo.web.uploads import shown_on  # noqa: E402

EVENT_TYPES = ["Battles", "Explosions/Remote violence", "Protests", "Riots", "Strategic developments",
               "Violence against civilians"]
DAYS = pd.date_range("2023-01-01", "2024-12-31").strftime("%Y-%m-%d").to_numpy()


def acled_csv(n: int, folder: Path, *, seed: int = 7, days: np.ndarray = DAYS) -> Path:
    """A synthetic ACLED-style CSV of n points dated among `days`, spread over Niger's bounding box."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "event_id_cnty": [f"NIG{i}" for i in range(n)], "event_date": rng.choice(days, n),
        "event_type": rng.choice(EVENT_TYPES, n), "actor1": rng.choice(["Group A", "Group B", "Military Forces"], n),
        "latitude": rng.uniform(11.7, 23.5, n).round(4), "longitude": rng.uniform(0.2, 16.0, n).round(4),
        "fatalities": rng.integers(0, 20, n), "notes": [f"Synthetic event {i} <b>near</b> a town" for i in range(n)]})
    path = folder / f"acled_{n}.csv"
    frame.to_csv(path, index=False)
    return path


def timed(function, *args, repeat: int = 5, **kwargs) -> tuple[float, object]:
    """Median seconds over repeat calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def slider_step(layer, day: str) -> str:
    """What the app computes for the layer when the slider moves: the day's rows (cells when too many), as script."""
    under, over = overlay_groups([(layer.name, shown_on(layer, day, window_days=30))])
    return prerender([*under, *over])


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux VmHWM; ru_maxrss would carry the parent's peak over exec)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024


def bench_import(path: Path) -> dict:
    """Run in a fresh process so the peak is this load's alone (the CSV is written by the parent)."""
    before = peak_rss_mb()
    load, layer = timed(read_layer, path, repeat=3 if path.stat().st_size < 50e6 else 1)
    peak_mb = peak_rss_mb() - before
    steps = [timed(slider_step, layer, day, repeat=3)[0] for day in ["2023-03-01", "2023-11-15", "2024-06-30"]]
    visible = len(on_day(layer, "2024-06-30", window_days=30))
    cells = len(shown_on(layer, "2024-06-30", window_days=30))
    return {"rows": len(layer.frame), "mb": path.stat().st_size / 1e6, "load_s": load,
            "step_ms": statistics.median(steps) * 1000, "visible": visible, "drawn": cells, "peak_mb": peak_mb}


def bench_folium(n: int) -> dict:
    """Plain folium CircleMarkers, one per point: build and render to HTML."""
    rng = np.random.default_rng(n)
    lats, lons = rng.uniform(11.7, 23.5, n), rng.uniform(0.2, 16.0, n)

    def render() -> str:
        fmap = folium.Map(location=[17, 8], zoom_start=6, tiles=None)
        for lat, lon in zip(lats, lons):
            folium.CircleMarker([lat, lon], radius=4, popup=f"event {lat:.3f}").add_to(fmap)
        return fmap.get_root().render()

    seconds, html = timed(render, repeat=3)
    return {"markers": n, "render_s": seconds, "html_mb": len(html.encode()) / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--markers", type=int, nargs="+", default=[1_000, 3_000, 10_000])
    options = parser.parse_args()
    print("rows | CSV MB | load s | slider step ms (median) | visible (30-day window) | drawn | peak RSS MB")
    for n in options.sizes:
        with tempfile.TemporaryDirectory() as folder, ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            r = pool.submit(bench_import, acled_csv(n, Path(folder))).result()
        print(f"{r['rows']:,} | {r['mb']:.1f} | {r['load_s']:.2f} | {r['step_ms']:.0f} | {r['visible']:,} | "
              f"{r['drawn']:,} | {r['peak_mb']:.0f}")
    print("folium CircleMarkers | render s (median) | HTML MB")
    for n in options.markers:
        r = bench_folium(n)
        print(f"{r['markers']:,} | {r['render_s']:.2f} | {r['html_mb']:.1f}")


if __name__ == "__main__":
    main()
