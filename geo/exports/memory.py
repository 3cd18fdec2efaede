"""Exports as in-memory files for download buttons: geo.exports.write into a temporary folder, read back (GeoJSON zipped)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pandas as pd

from geo import settings
from geo.data.dataset import Dataset
from geo.exports.write import export, stem_for
from geo.exports.frames import layer_frames
from geo.imports.reader import ImportedLayer

LABELS = {"html": "HTML page (offline)", "gpkg": "GeoPackage (QGIS)", "kml": "KML (Google Earth)",
          "geojson": "GeoJSON (zip, a file per layer)"}
MIMES = {"html": "text/html", "gpkg": "application/geopackage+sqlite3", "kml": "application/vnd.google-earth.kml+xml",
         "geojson": "application/zip"}


def dataset_bytes(dataset: Dataset, registry: Mapping[str, ModuleType], layers: Mapping[str, ImportedLayer], fmt: str,
                  day: dt.date | None) -> bytes:
    """Every registered layer and the imported layers (by content key), exported as one format."""
    frames, titles = layer_frames(dataset, registry, {Path(key, layer.name): layer for key, layer in layers.items()}, day=day)
    return export_bytes(frames, dataset.sources, dataset.version, titles, fmt, day)


def file_name(fmt: str, day: dt.date | None) -> str:
    return f"{stem_for(day)}.{'zip' if fmt == 'geojson' else fmt}"


def zipped(paths: list[Path]) -> bytes:
    """The files in one zip archive, by name, in a fixed order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(paths):
            archive.write(path, path.name)
    return buffer.getvalue()


def export_bytes(frames: Mapping[str, gpd.GeoDataFrame], sources: pd.DataFrame, version: str, titles: Mapping[str, str],
                 fmt: str, day: dt.date | None) -> bytes:
    """One format as bytes: a snapshot of `day`, or the whole timeline when day is None (GeoJSON: a zip of layers)."""
    with tempfile.TemporaryDirectory(prefix="geo-download-") as folder:
        paths = export(frames, sources, version, out_dir=Path(folder), formats=[fmt], titles=titles, day=day,
                       timeline=(settings.TIMELINE_START, settings.TIMELINE_END))
        return zipped(paths) if fmt == "geojson" else paths[0].read_bytes()
