"""Benchmark refusing files made to hurt: time and peak memory to read or refuse each one, in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import HOSTILE  # noqa: E402

# Run in a child so each figure is that file's alone: wall time of read_layer, and the process's peak RSS above what
# importing the libraries already took.
CHILD = """
import json, resource, sys, time
from pathlib import Path
from geo.imports.reader import ImportProblem, read_layer
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    layer = read_layer(Path(sys.argv[1]))
    outcome = f"read: {len(layer.frame)} feature(s), {layer.dropped_count:,} dropped"
except ImportProblem as problem:
    outcome = str(problem)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "extra_mb": (peak - before) / 1024, "outcome": outcome}))
"""


def measure(path: Path) -> dict:
    """One read of path in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, cwd=ROOT,
                          check=True, timeout=600)
    return json.loads(done.stdout)


def main() -> None:
    print("| file | size | time (s) | peak RSS (MB) | above start-up (MB) | outcome |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label, make in HOSTILE.items():
            path = make(Path(folder))
            figures = measure(path)
            outcome = figures["outcome"] if len(figures["outcome"]) < 160 else figures["outcome"][:157] + "..."
            print(f"| {label} | {path.stat().st_size / 1e6:,.1f} MB | {figures['seconds']:.2f} | "
                  f"{figures['peak_mb']:.0f} | {figures['extra_mb']:.0f} | {outcome} |", flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
