"""geo.exports.memory: every export format as bytes, GeoJSON zipped, imported layers included."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pyogrio

from geo.exports import memory
from geo.imports.reader import read_layer
from layers import REGISTRY

FIXTURES = Path(__file__).parent / "fixtures" / "import"
DAY = dt.date(2024, 5, 3)


def test_file_names_follow_the_scenario_stem_and_the_format_suffix(dataset):
    assert memory.file_name(dataset, "gpkg", DAY) == "niger_forces_2024-05-03.gpkg"
    assert memory.file_name(dataset, "geojson", None) == "niger_forces.zip"


def test_each_format_as_bytes(dataset, tmp_path):
    gpkg = tmp_path / "a.gpkg"
    layer = read_layer(FIXTURES / "acled_sample.csv", name="acled")
    gpkg.write_bytes(memory.dataset_bytes(dataset, REGISTRY, {"key": layer}, "gpkg", DAY))
    assert {"deployments", "import_acled"} <= set(pyogrio.list_layers(gpkg)[:, 0])
    data = memory.dataset_bytes(dataset, REGISTRY, {}, "geojson", None)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == sorted(f"niger_forces_{name}.geojson" for name in REGISTRY)
    page = memory.dataset_bytes(dataset, REGISTRY, {}, "html", DAY)
    assert page.startswith(b"<!DOCTYPE html>") and b"https://unpkg" not in page
