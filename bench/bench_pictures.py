"""Benchmark: snapshot time and bytes (median of N), animation time and bytes for 60 frames (GIF, MP4), and the CLI.

Run: python3 bench/bench_pictures.py [--runs N] [--frames N] [--seeds DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import settings  # noqa: E402
from geo.data.dataset import load_dataset  # noqa: E402
from geo.data.timeline import on_day  # noqa: E402
from geo.pictures.animate import animation_bytes, frame_days  # noqa: E402
from geo.pictures.page import Layers, page_for, timeline_frames  # noqa: E402
from geo.pictures.snapshot import snapshot_png  # noqa: E402
from layers import REGISTRY  # noqa: E402
from layers._common import radius_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def timed(work, runs: int) -> tuple[float, float, bytes]:
    """Median wall seconds, median CPU seconds of this process, and the last result."""
    walls, cpus, result = [], [], b""
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def command_seconds(argv: list[str]) -> float:
    """Wall seconds of one `python -m geo ...` run (start-up, seeds, layers, drawing, writing)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "geo", *argv], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=5)
    options.add_argument("--frames", type=int, default=60)
    options.add_argument("--seeds", type=Path, default=settings.SEEDS_DIR)
    args = options.parse_args()
    dataset, layers = load_dataset(args.seeds), Layers(REGISTRY, radius_for)
    frames = timeline_frames(dataset, layers)
    page, day = page_for(dataset, frames, layers, title=dataset.scenario.map_title), dataset.scenario.default_day
    day_frames = {name: on_day(frame, day) for name, frame in frames.items()}
    print(f"dataset {dataset.version}; {day}; widths {settings.PICTURE_WIDTH_PX} (snapshot), "
          f"{settings.ANIMATION_WIDTH_PX} (animation)")
    print("| what | wall s (median) | CPU s | bytes |\n| --- | ---: | ---: | ---: |")
    wall, cpu, png = timed(lambda: snapshot_png(page, day_frames, day=day), args.runs)
    print(f"| snapshot_png, {settings.PICTURE_WIDTH_PX} px | {wall:.2f} | {cpu:.2f} | {len(png):,} |")
    days = frame_days(dataset.scenario.timeline[0], dataset.scenario.timeline[0] + dt.timedelta(days=7 * (args.frames - 1)), 7)
    for fmt in ("gif", "mp4"):
        wall, cpu, data = timed(lambda fmt=fmt: animation_bytes(page, frames, days=days, fmt=fmt), 1)
        print(f"| animation_bytes, {len(days)} frames weekly, {fmt} | {wall:.1f} | {cpu:.1f} | {len(data):,} |")
    with tempfile.TemporaryDirectory() as folder:
        seconds = command_seconds(["snapshot", "--date", day.isoformat(), "--out", f"{folder}/s.png"])
        print(f"| `python -m geo snapshot` (whole command) | {seconds:.2f} | | |")
        last = days[-1].isoformat()
        seconds = command_seconds(["animate", "--from", days[0].isoformat(), "--to", last, "--step", "7",
                                   "--out", f"{folder}/a.gif"])
        print(f"| `python -m geo animate` {len(days)} frames, gif (whole command) | {seconds:.1f} | | |")


if __name__ == "__main__":
    main()
