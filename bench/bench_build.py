"""Benchmark: what the server builds for its shared data, in CPU seconds, on an empty disk cache; and a day not yet seen.

Run: python3 bench/bench_build.py [--runs N] [--days N] [--checkout DIR ...]   (each run a fresh process with the disk
cache off, GEO_CACHE_DIR empty; each --checkout, e.g. a `git worktree` of an older commit, is run alternately with this
one, so both see the machine at the same moment). Per version, medians over the runs of: the CPU of importing the
app's modules; the CPU of `ui.loaders.warm()` (the dataset, every layer, the map's strings, the default day, the
chart); then, in the same process, the milliseconds a day nobody has opened costs (its map groups, its text, its
chart), over N days a week apart.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in the version's own folder: its modules, not this one's.
PROBE = """
import datetime as dt, json, logging, os, time
from pathlib import Path
logging.disable(logging.WARNING)
started = time.process_time()
import streamlit_folium, ui.loaders as loaders
from layers import REGISTRY
imported = time.process_time()
loaders.warm()
built = time.process_time()
from geo import settings
from geo.data import files
seeds = os.environ.get("GEO_SEEDS_DIR", str(settings.SEEDS_DIR))
dataset = loaders.cached_dataset(seeds, files.content_hash(Path(seeds)))  # the warm-up's, from Streamlit's cache
dated = tuple(loaders.titled(dataset, [n for n, layer in REGISTRY.items() if layer.TIME_DEPENDENT]))
actors, (first, _) = tuple(dataset.actors["actor_id"]), dataset.scenario.timeline
days = [first + dt.timedelta(days=7 * i + 3) for i in range({days})]
def per_day(call):
    seconds = []
    for day in days:
        start = time.perf_counter(); call(day); seconds.append(time.perf_counter() - start)
    return sorted(seconds)[len(seconds) // 2] * 1000
print(json.dumps({{
    "imports (CPU s)": imported - started, "warm-up build (CPU s)": built - imported,
    "new day: map groups (ms)": per_day(lambda d: loaders.day_scripts(dataset, dataset.version, d, dated, actors, 0)),
    "new day: text (ms)": per_day(lambda d: loaders.day_text(dataset, dataset.version, d)),
    "new day: chart (ms)": per_day(lambda d: loaders.chart_spec(dataset, d, dataset.scenario.timeline)),
}}))
"""


def one_run(tree: Path, days: int) -> dict[str, float]:
    """One fresh process in `tree`: its figures."""
    result = subprocess.run([sys.executable, "-c", PROBE.format(days=days)], cwd=tree, check=True, text=True,
                            capture_output=True, env={**os.environ, "GEO_CACHE_DIR": "", "PYTHONPATH": str(tree)})
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per version (default 7)")
    parser.add_argument("--days", type=int, default=40, help="days not yet seen, a week apart (default 40)")
    parser.add_argument("--checkout", type=Path, action="append", default=[], metavar="DIR",
                        help="another work tree, run alternately with this one")
    args = parser.parse_args()
    trees = [ROOT, *args.checkout]
    runs: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
    for _ in range(args.runs):
        for tree in trees:
            runs[tree].append(one_run(tree, args.days))
    for tree, samples in runs.items():
        medians = {name: statistics.median(sample[name] for sample in samples) for name in samples[0]}
        print(f"{tree}: " + "; ".join(f"{name} {value:.3f}" for name, value in medians.items())
              + f" (medians of {len(samples)} runs)")


if __name__ == "__main__":
    main()
