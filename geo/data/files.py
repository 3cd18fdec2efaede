"""Disk access for the core: curated CSV tables, boundary GeoJSON and the dataset's content hash."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import settings

# Text cells of the seed tables, held as Python strings rather than in Arrow: the tables are small and the checks and
# layers look at them a cell or a few rows at a time, where each Arrow-backed comparison, take or iteration is a call
# into pyarrow (BENCHMARKS.md). Same "str" dtype and missing value (NaN); imports keep Arrow.
SEED_TEXT = pd.StringDtype("python", na_value=float("nan"))


def read_table(path: Path) -> pd.DataFrame:
    """Read one curated CSV as text cells: parsing and checking are the schema's job."""
    return pd.read_csv(path, dtype=SEED_TEXT, keep_default_na=False, encoding="utf-8")


def read_boundaries(seeds_dir: Path, files: Mapping[str, str]) -> dict[str, gpd.GeoDataFrame]:
    """Read the boundary layers the scenario names (paths relative to the seeds folder), in EPSG:4326."""
    return {
        name: gpd.read_file(seeds_dir / filename, engine="pyogrio").to_crs(settings.CRS)
        for name, filename in files.items()
    }


def content_hash(seeds_dir: Path) -> str:
    """Return a short sha256 over every file in seeds/ (relative path and bytes), the dataset version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in seeds_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(seeds_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: the file is the old one or the whole new one, never a part.

    The temporary file is opened plainly, so the new file gets the usual mode (the umask's), like any other output.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
