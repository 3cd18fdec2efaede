"""Write built layer frames in the registered formats: atomic, deterministic, version-stamped."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.data.scenario import Scenario
from geo.exports import FORMATS
from geo.exports.common import Bundle, Writer
from geo.exports.forked import forked_map

# Staging folders are named after their process, so a later export can tell one left by a killed run.
STAGING = re.compile(r"\.export-(\d+)-")


class ExportError(Exception):
    """A problem with the export request (folder, existing files): nothing was written."""


def stem_for(scenario: Scenario, day: dt.date | None) -> str:
    """Exported files' name stem: the scenario's, and the day of a snapshot."""
    return scenario.export_stem if day is None else f"{scenario.export_stem}_{day.isoformat()}"


def plan(bundle: Bundle, formats: list[str]) -> dict[str, Writer]:
    """File name -> writer for every requested format, the slowest format's files first."""
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise ExportError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)} or all")
    stem, files = stem_for(bundle.scenario, bundle.day), {}
    for fmt in sorted(formats, key=lambda name: -FORMATS[name].weight):
        files.update(FORMATS[fmt].files(bundle, stem))
    return files


def check_target(out_dir: Path, names: list[str], *, force: bool) -> None:
    """Create the folder if needed; refuse an unwritable folder or existing files unless forced."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create output folder {out_dir}: {error.strerror or error}") from error
    if not out_dir.is_dir() or not os.access(out_dir, os.W_OK | os.X_OK):
        raise ExportError(f"output folder {out_dir} is not a writable folder")
    existing = [name for name in names if (out_dir / name).exists()]
    if existing and not force:
        raise ExportError(f"{', '.join(existing)} already exist in {out_dir}; pass --force to overwrite")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        return True
    return True


def remove_stale_staging(out_dir: Path) -> None:
    """Delete staging folders whose export process is gone (killed mid-write): never output, only debris."""
    for folder in out_dir.glob(".export-*"):
        found = STAGING.match(folder.name)
        if found and folder.is_dir() and not alive(int(found.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def write_files(files: dict[str, Writer], staging: Path, *, workers: int,
                progress: Callable[[str], None]) -> None:
    """Write every file into `staging`, in up to `workers` forked processes."""
    def write(name: str) -> None:
        files[name](staging / name)
    forked_map(write, list(files), workers=workers, started=lambda name: progress(f"writing {name}"))


def export(frames: Mapping[str, gpd.GeoDataFrame], sources: pd.DataFrame, version: str, *, out_dir: Path,
           formats: list[str], scenario: Scenario, titles: Mapping[str, str] | None = None,
           day: dt.date | None = None, force: bool = False,
           progress: Callable[[str], None] = lambda message: None,
           narrative: Mapping[str, Any] | None = None, workers: int = 1) -> list[Path]:
    """Write each file into a staging folder beside the targets, then move each into place (no partial file).

    Each move is atomic on its own: a run killed between two moves leaves some files new and some old, each complete.
    `workers` > 1 writes the files in that many forked processes (only where forking is safe; see can_fork).
    """
    bundle = Bundle(dict(frames), sources, version, dict(titles or {}), scenario, day, dict(narrative or {}))
    files = plan(bundle, formats)
    check_target(out_dir, list(files), force=force)
    remove_stale_staging(out_dir)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=f".export-{os.getpid()}-") as staging:
        write_files(files, Path(staging), workers=workers, progress=progress)
        for name in files:
            os.replace(Path(staging) / name, out_dir / name)
    progress(f"wrote {len(files)} file(s) to {out_dir}")
    return [out_dir / name for name in files]
