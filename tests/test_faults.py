"""An export killed mid-write (SIGKILL) leaves each target file absent or complete, and its debris is cleaned up.

Each file is moved into place by its own atomic os.replace: a run killed between two moves (with --format all)
leaves some files from the new export and some from the previous one, each complete. That is the guarantee tested.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from geo.exports.write import export
from layers import REGISTRY
from tests.conftest import base_tables, write_seeds

KILLS = int(os.environ.get("GEO_FAULT_KILLS", "6"))  # more for the benchmark (BENCHMARKS.md, "Faults")
LAST_WRITE = "writing niger_forces_events.geojson"
TRIGGERS = ("building", *(f"writing niger_forces.{fmt}" for fmt in ("html", "gpkg", "qgz", "kml")), LAST_WRITE)


def command(seeds: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "geo", "export", "--format", "all", "--out", str(out), "--seeds", str(seeds),
            "--force"]


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def complete_export(seeds: Path, out: Path) -> dict[str, str]:
    subprocess.run(command(seeds, out), check=True, capture_output=True)
    return digests(out)


def kill_during(seeds: Path, out: Path, rng: random.Random) -> bool:
    """Start an export, SIGKILL it a random moment after a random progress line; True if it was killed."""
    process = subprocess.Popen(command(seeds, out), stderr=subprocess.PIPE, text=True)
    trigger = rng.choice(TRIGGERS)
    for line in process.stderr:
        if trigger in line:
            break
    time.sleep(rng.uniform(0, 0.02 if trigger == LAST_WRITE else 0.3))  # the moves take milliseconds
    process.send_signal(signal.SIGKILL)
    process.stderr.close()
    return process.wait() == -signal.SIGKILL


def test_killed_exports_leave_complete_files_and_no_debris(tmp_path):
    """Alternate two seed versions; after every kill each target is absent or one of the two complete exports."""
    changed = base_tables()
    changed["events"][0]["title"] = "Russians enter the base (updated)"
    seeds = [write_seeds(tmp_path / "a", base_tables()), write_seeds(tmp_path / "b", changed)]
    known = [complete_export(s, tmp_path / f"ref_{i}") for i, s in enumerate(seeds)]
    assert all(known[0][name] != known[1][name] for name in known[0])
    out, rng, killed, checked, debris = tmp_path / "out", random.Random(6), 0, 0, 0
    for attempt in range(KILLS):
        killed += kill_during(seeds[attempt % 2], out, rng)
        debris += any(out.glob(".export-*"))
        for name, digest in digests(out).items():
            assert digest in (known[0].get(name), known[1].get(name)), f"{name} is partial after kill {attempt}"
            checked += 1
    assert killed > KILLS // 2 and debris > 0
    assert complete_export(seeds[0], out) == known[0]
    assert sorted(p.name for p in out.iterdir()) == sorted(known[0]), "stale .export-* folders were not removed"
    print(f"faults: {KILLS} runs, {killed} killed, {debris} left staging debris, {checked} files checked, 0 partial")


def test_only_staging_of_finished_processes_is_removed(dataset, tmp_path):
    """A dead process's staging folder goes; a live one's and a folder not named by a process stay."""
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    out = tmp_path / "out"
    folders = [out / f".export-{gone.stdout.strip()}-x", out / f".export-{os.getpid()}-x", out / ".export-manual"]
    for folder in folders:
        (folder / "niger_forces.html").mkdir(parents=True)
    frames = {name: module.build(dataset) for name, module in REGISTRY.items()}
    paths = export(frames, dataset.sources, dataset.version, out_dir=out, formats=["html"],
                   scenario=dataset.scenario)
    assert [p.name for p in paths] == ["niger_forces.html"]
    assert [f.exists() for f in folders] == [False, True, True]
