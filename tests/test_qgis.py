"""The GeoPackage in QGIS (PyQGIS under Debian's python3): DateTime fields and default styles load, imports too."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from geo.exports.frames import export_frames, read_layers
from geo.exports.write import export
from layers import REGISTRY
from tests.conftest import missing_tool

pytestmark = pytest.mark.qgis
QGIS_PROCESS = Path("/usr/bin/qgis_process.bin")
SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = r"""
import json, os, sys
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
report = {}
for name in sys.argv[2:]:
    layer = QgsVectorLayer(f"{sys.argv[1]}|layername={name}", name, "ogr")
    message, loaded = layer.loadDefaultStyle()
    fields = {f.name(): f.typeName() for f in layer.fields()}
    report[name] = {"valid": layer.isValid(), "style": loaded, "message": message,
                    "renderer": layer.renderer().type(), "start": fields.get("start_date"), "end": fields.get("end_date")}
print(json.dumps(report), flush=True)
os._exit(0)  # exitQgis() crashes headless Debian builds on teardown; the report is already out
"""


def test_qgis_opens_gpkg_with_datetime_fields_and_default_styles(dataset, tmp_path):
    if not QGIS_PROCESS.exists():
        missing_tool(f"QGIS is not installed ({QGIS_PROCESS} missing; apt-get install qgis python3-qgis)")
    frames = {name: module.build(dataset) for name, module in REGISTRY.items()}
    acled = Path(__file__).parent / "fixtures" / "import" / "acled_sample.csv"
    imported, _ = export_frames(read_layers([acled], lat=None, lon=None, file_layer=None), day=None, taken=frames)
    frames.update(imported)
    path = export(frames, dataset.sources, dataset.version, out_dir=tmp_path, formats=["gpkg"],
                  scenario=dataset.scenario)[0]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": "", "XDG_RUNTIME_DIR": str(tmp_path)}
    result = subprocess.run([SYSTEM_PYTHON, "-c", SCRIPT, str(path), "deployments", "countries", *imported], env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["deployments"]["renderer"] == "categorizedSymbol"
    for name, layer in report.items():
        assert layer["valid"] and layer["style"], (name, layer["message"])
        assert layer["start"] == layer["end"] == "DateTime", layer
