"""Disk access for the core: curated CSV tables, boundary GeoJSON and the dataset's content hash."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import settings


def read_table(path: Path) -> pd.DataFrame:
    """Read one curated CSV as text cells: parsing and checking are the schema's job."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


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
