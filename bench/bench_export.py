"""Benchmark: export time per format (median of N runs) on the bundled seeds, and the HTML file size.

Run: python3 bench/bench_export.py [--runs N] [--seeds DIR] [--import-rows N]
     python3 bench/bench_export.py --end-to-end N [--checkout DIR ...]   (`python -m geo export --format all` as a
     user runs it, process start to exit, median of N; each --checkout (e.g. a `git worktree` of an older commit) is
     timed alternately with this one, in the same run)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_import import acled_csv  # noqa: E402  (this script's folder is on sys.path)

from geo import settings  # noqa: E402
from geo.data.dataset import load_dataset  # noqa: E402
from geo.exports.frames import export_frames  # noqa: E402
from geo.exports.write import FORMATS, export  # noqa: E402
from geo.imports.reader import read_layer  # noqa: E402
from layers import REGISTRY  # noqa: E402


def with_import(frames: dict, rows: int) -> dict:
    """The layers plus a synthetic ACLED-style imported layer of `rows` points, as `--layer` would add it."""
    if not rows:
        return frames
    with tempfile.TemporaryDirectory() as folder:
        path = acled_csv(rows, Path(folder))
        extra, _ = export_frames({path: read_layer(path, name=path.stem)}, day=None, taken=frames)
    return {**frames, **extra}


def time_format(frames: dict, dataset, fmt: str, runs: int) -> tuple[float, int]:
    """Median seconds over `runs` fresh exports of one format, and the total bytes written."""
    timings, size = [], 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            paths = export(frames, dataset.sources, dataset.version, out_dir=Path(folder), formats=[fmt],
                           scenario=dataset.scenario)
            timings.append(time.perf_counter() - started)
            size = sum(p.stat().st_size for p in paths)
    return statistics.median(timings), size


def end_to_end(checkout: Path) -> float:
    """Seconds for `python -m geo export --format all` run from `checkout` into a fresh folder."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "geo", "export", "--format", "all", "--out", folder], cwd=checkout,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started


def main_end_to_end(runs: int, checkouts: list[Path]) -> None:
    timings: dict[Path, list[float]] = {path: [] for path in [ROOT, *checkouts]}
    for _ in range(runs):
        for path in timings:
            timings[path].append(end_to_end(path))
    for path, values in timings.items():
        print(f"{path}: median {statistics.median(values):.2f} s, min {min(values):.2f} s over {runs} runs")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=5)
    options.add_argument("--seeds", type=Path, default=settings.SEEDS_DIR)
    options.add_argument("--import-rows", type=int, default=0, help="add an imported layer of this many points")
    options.add_argument("--end-to-end", type=int, default=0, metavar="N", help="time the whole command N times")
    options.add_argument("--checkout", type=Path, nargs="*", default=[], help="other checkouts to time alongside")
    args = options.parse_args()
    if args.end_to_end:
        return main_end_to_end(args.end_to_end, args.checkout)
    dataset = load_dataset(args.seeds)
    started = time.perf_counter()
    frames = with_import({name: module.build(dataset) for name, module in REGISTRY.items()}, args.import_rows)
    print(f"dataset {dataset.version}; building {len(frames)} layers: {time.perf_counter() - started:.2f} s")
    print("| format | median s | bytes |\n| --- | ---: | ---: |")
    for fmt in FORMATS:
        seconds, size = time_format(frames, dataset, fmt, args.runs)
        print(f"| {fmt} | {seconds:.3f} | {size:,} |")


if __name__ == "__main__":
    main()
