"""Exports as in-memory files for download buttons: written to a temporary folder, read back (zipped if several)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd

from geo.data.contract import LayerRegistry
from geo.data.dataset import Dataset
from geo.data.narrative import narrative
from geo.exports import FORMATS
from geo.exports.frames import layer_frames
from geo.exports.write import export, stem_for
from geo.imports.reader import ImportedLayer


def dataset_bytes(dataset: Dataset, registry: LayerRegistry, layers: Mapping[str, ImportedLayer], fmt: str,
                  day: dt.date | None) -> bytes:
    """Every registered layer and the imported layers (by content key), exported as one format."""
    frames, titles = layer_frames(dataset, registry, {Path(key, layer.name): layer for key, layer in layers.items()},
                                  day=day)
    return export_bytes(frames, dataset, titles, fmt, day)


def file_name(dataset: Dataset, fmt: str, day: dt.date | None) -> str:
    return f"{stem_for(dataset.scenario, day)}.{FORMATS[fmt].suffix}"


def zipped(paths: list[Path]) -> bytes:
    """The files in one zip archive, by name, in a fixed order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(paths):
            archive.write(path, path.name)
    return buffer.getvalue()


def export_bytes(frames: Mapping[str, gpd.GeoDataFrame], dataset: Dataset, titles: Mapping[str, str], fmt: str,
                 day: dt.date | None) -> bytes:
    """One format as bytes: a snapshot of `day`, or the whole timeline when day is None (several files: a zip)."""
    with tempfile.TemporaryDirectory(prefix="geo-download-") as folder:
        paths = export(frames, dataset.sources, dataset.version, out_dir=Path(folder), formats=[fmt], titles=titles,
                       day=day, scenario=dataset.scenario, narrative=narrative(dataset))
        return zipped(paths) if FORMATS[fmt].suffix == "zip" else paths[0].read_bytes()
