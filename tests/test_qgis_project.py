"""The QGIS project beside the GeoPackage: deterministic zip, relative sources, and QGIS opening it styled and timed."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pyogrio
import pytest

from geo.exports import qgis
from geo.exports.gpkg import read_styles
from geo.exports.qgis import ProjectLayer, write_project
from geo.exports.write import export
from layers import REGISTRY

QGIS_PROCESS = Path("/usr/bin/qgis_process.bin")
SYSTEM_PYTHON = "/usr/bin/python3"
TIMELINE = (dt.date(2023, 7, 26), dt.date(2024, 9, 30))
EXTENT = (-1.0, 9.0, 21.0, 21.0)
SCRIPT = r"""
import json, os, sys
from qgis.core import (QgsApplication, QgsDateTimeRange, QgsExpression, QgsExpressionContext, QgsExpressionContextUtils,
                       QgsMapRendererSequentialJob, QgsMapSettings, QgsPointXY, QgsProject, QgsRenderContext, QgsSymbolLayer,
                       QgsUnitTypes, QgsVectorLayerTemporalContext, QgsFeatureRequest)
from qgis.gui import QgsTemporalControllerWidget
from qgis.PyQt.QtCore import QDate, QDateTime, QSize, QTime, Qt
from qgis.PyQt.QtGui import QColor
app = QgsApplication([], True)
app.initQgis()
project, png, days = QgsProject.instance(), sys.argv[2], sys.argv[3:]
dock = QgsTemporalControllerWidget()  # the desktop's Temporal Controller, reading the project as QGIS does
controller = dock.temporalController()

def frame(day):
    start = QDateTime(QDate.fromString(day, Qt.ISODate), QTime(0, 0), Qt.UTC)
    return QgsDateTimeRange(start, start.addDays(1), True, False)

def shown(layer, day):  # the Temporal Controller's own filter, as the canvas requests it from the GeoPackage provider
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)
    request = QgsFeatureRequest().setFilterExpression(
        layer.temporalProperties().createFilterString(context, frame(day)) or "true")
    return sorted(feature["feature_id"] for feature in layer.getFeatures(request))

def sizes(layer, symbol_layer):
    prop = symbol_layer.dataDefinedProperties().property(QgsSymbolLayer.PropertySize)
    if not prop.isActive():
        return []
    expression = QgsExpression(prop.expressionString())
    scope = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    out = []
    for feature in layer.getFeatures():
        scope.setFeature(feature)
        out.append([expression.evaluate(scope), 2 * feature["radius"]])
    return out

read = project.read(sys.argv[1])
span, view = project.timeSettings().temporalRange(), project.viewSettings().defaultViewExtent()
report = {"read": read, "crs": project.crs().authid(), "order": [l.id().rsplit("_", 1)[0] for l in project.layerTreeRoot().layerOrder()],
          "range": [span.begin().toString(Qt.ISODate), span.end().toString(Qt.ISODate)],
          "step": [project.timeSettings().timeStep(), project.timeSettings().timeStepUnit() == QgsUnitTypes.TemporalDays],
          "extent": [view.xMinimum(), view.yMinimum(), view.xMaximum(), view.yMaximum()], "layers": {},
          "controller": [int(controller.navigationMode()), controller.totalFrameCount(), controller.frameDuration().days(),
                         controller.dateTimeRangeForFrameNumber(controller.totalFrameCount() - 1).begin().toString(Qt.ISODate)]}
for layer in project.mapLayers().values():
    props, renderer = layer.temporalProperties(), layer.renderer()
    symbol_layer = renderer.symbols(QgsRenderContext())[0].symbolLayer(0)
    defined = symbol_layer.dataDefinedProperties()
    report["layers"][layer.id().rsplit("_", 1)[0]] = {
        "valid": layer.isValid(), "source": layer.source(), "renderer": renderer.type(),
        "attr": renderer.classAttribute() if renderer.type() == "categorizedSymbol" else None,
        "temporal": props.isActive(), "mode": int(props.mode()), "limit": int(props.limitMode()),
        "fields": [props.startField(), props.endField()], "labels": layer.labelsEnabled(),
        "defined": sorted(QgsSymbolLayer.propertyDefinitions()[k].name() for k in defined.propertyKeys()
                          if defined.property(k).isActive()),
        "sizes": sizes(layer, symbol_layer), "shown": {day: shown(layer, day) for day in days}}
settings = QgsMapSettings()
settings.setLayers(project.layerTreeRoot().layerOrder())
settings.setDestinationCrs(project.crs())
settings.setExtent(view)
settings.setOutputSize(QSize(880, 600))
settings.setBackgroundColor(QColor("white"))
settings.setIsTemporal(True)
settings.setTemporalRange(frame(days[0]))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
image = job.renderedImage()
image.save(png, "PNG")
def pixel(lon, lat, dx=0):
    point = settings.mapToPixel().transform(QgsPointXY(lon, lat))
    return list(image.pixelColor(int(point.x()) + dx, int(point.y())).getRgb()[:3])
report["pixels"] = {"niger": pixel(2, 19), "chad": pixel(10.7, 19)}
print(json.dumps(report), flush=True)
os._exit(0)  # exitQgis() crashes headless Debian builds on teardown; the report is already out
"""


def layer(name: str, dated: bool = True, kind: str = "Point") -> ProjectLayer:
    return ProjectLayer(name, name.title(), kind, dated, "<qgis styleCategories='Symbology'><renderer-v2 type='singleSymbol'/></qgis>")


SAMPLE = [layer("countries", kind="Polygon"), layer("regions", dated=False, kind="MultiPolygon"), layer("deployments")]


def write(folder: Path, layers: list[ProjectLayer] = SAMPLE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "niger_forces.qgz"
    write_project(path, gpkg_name="niger_forces.gpkg", layers=layers, timeline=TIMELINE, title="Niger", extent=EXTENT)
    return path


def document(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as zipped:
        return ET.fromstring(zipped.read("niger_forces.qgs"))


def test_identical_input_gives_identical_bytes_and_no_debris(tmp_path):
    first, second = write(tmp_path / "a"), write(tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    assert write(tmp_path / "a").read_bytes() == first.read_bytes()  # overwriting in place
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["niger_forces.qgz"]
    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    assert first.stat().st_mode == plain.stat().st_mode  # readable like any other export, not a private temp file


def test_zip_holds_one_qgs_with_relative_sources_ids_order_and_time(tmp_path):
    path = write(tmp_path)
    with zipfile.ZipFile(path) as zipped:
        assert [(i.filename, i.date_time) for i in zipped.infolist()] == [("niger_forces.qgs", qgis.ZIP_TIME)]
    root = document(path)
    sources = [e.text for e in root.iter("datasource")] + [e.get("source") for e in root.iter("layer-tree-layer")]
    assert sources and all(s.startswith("./niger_forces.gpkg|layername=") for s in sources)
    assert root.findtext("properties/Paths/Absolute") == "false"
    ids = [e.text for e in root.iter("id")]
    assert ids == [qgis.layer_id(item) for item in SAMPLE] and all(len(i) > 10 for i in ids) and len(set(ids)) == 3
    assert [e.get("name") for e in root.iter("layer-tree-layer")] == ["Deployments", "Regions", "Countries"]
    dated = {e.findtext("id"): e.find("temporal") is not None for e in root.iter("maplayer")}
    assert dated == {qgis.layer_id(item): item.dated for item in SAMPLE}
    temporal = root.find("projectlayers/maplayer/temporal")
    assert (temporal.get("mode"), temporal.get("limitMode"), temporal.get("startField"), temporal.get("endField")) == (
        "4", "0", "start_date", "end_date")
    assert 'to_datetime("end_date")' in temporal.get("endExpression")  # evaluated by QGIS, not compiled to SQL text
    assert [e.text for e in root.find("ProjectTimeSettings/TemporalRange")] == ["2023-07-26T00:00:00Z", "2024-10-01T00:00:00Z"]
    assert root.find("ProjectTimeSettings").get("timeStepUnit") == "d"


def test_failed_write_keeps_the_previous_project(tmp_path, monkeypatch):
    path = write(tmp_path)
    before = path.read_bytes()

    def broken(name: str, content: bytes) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(qgis, "archive", broken)
    with pytest.raises(OSError):
        write(tmp_path, [layer("other")])
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["niger_forces.qgz"]


def project_layers(gpkg: Path) -> list[ProjectLayer]:
    """What the GeoPackage writer passes: every layer in drawing order with its geometry type, dating and QML."""
    styles = read_styles(gpkg).set_index("f_table_name")["styleQML"]
    return [ProjectLayer(name, module.TITLE, pyogrio.read_info(gpkg, layer=name)["geometry_type"],
                         module.TIME_DEPENDENT, styles[name]) for name, module in REGISTRY.items()]


@pytest.mark.qgis
def test_qgis_opens_project_styled_and_timed(dataset, tmp_path):
    if not QGIS_PROCESS.exists():
        reason = f"QGIS is not installed ({QGIS_PROCESS} missing; apt-get install qgis python3-qgis)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    frames = {name: module.build(dataset) for name, module in REGISTRY.items()}
    gpkg, path = export(frames, dataset.sources, dataset.version, out_dir=tmp_path / "out", formats=["qgis"],
                        scenario=dataset.scenario)  # the registered format: the GeoPackage, then the project
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": "", "XDG_RUNTIME_DIR": str(tmp_path)}
    days = ["2024-05-03", "2024-07-06", "2024-07-07", "2024-05-01"]
    result = subprocess.run([SYSTEM_PYTHON, "-c", SCRIPT, str(path), str(tmp_path / "map.png"), *days], env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["read"] and report["crs"] == "EPSG:4326"
    assert report["order"] == list(reversed(REGISTRY))  # the Layers panel lists the top first: events, forces...
    assert report["range"] == ["2023-07-26T00:00:00Z", "2024-10-01T00:00:00Z"] and report["step"] == [1.0, True]
    assert report["extent"] == [-1.0, 9.0, 11.0, 21.0]  # the tiny focus square (0..10, 10..20) padded by 1 degree
    assert report["controller"] == [1, 433, 1.0, "2024-09-30T00:00:00Z"]  # animated, a frame a day, the last day last
    layers = report["layers"]
    for name, module in REGISTRY.items():
        got = layers[name]
        assert got["valid"] and got["source"] == f"{gpkg}|layername={name}", got
        assert got["temporal"] == module.TIME_DEPENDENT, name
        if module.TIME_DEPENDENT:
            assert (got["mode"], got["limit"], got["fields"]) == (4, 0, ["start_date", "end_date"]), got
    forces = layers["deployments"]
    assert (forces["renderer"], forces["attr"]) == ("categorizedSymbol", "actor_id")
    assert forces["defined"] == ["fillColor", "outlineStyle", "size"]
    assert forces["sizes"] and all(size == pytest.approx(expected) for size, expected in forces["sizes"])
    assert (layers["countries"]["renderer"], layers["countries"]["attr"]) == ("categorizedSymbol", "role")
    assert layers["countries"]["defined"] == ["outlineColor", "outlineStyle"] and layers["sites"]["labels"]
    shown = forces["shown"]
    assert shown["2024-05-03"] == ["D_RU#0", "D_US#1"] and shown["2024-05-01"] == ["D_US#1"]
    assert "D_US#2" in shown["2024-07-06"] and "D_US#2" not in shown["2024-07-07"]  # half-open: gone on its end day
    assert layers["regions"]["shown"]["2024-05-03"] == ["regions:NE-1"]
    niger, chad = report["pixels"].values()
    assert niger == pytest.approx([255, 248, 218], abs=3) and chad == pytest.approx([247, 247, 247], abs=3)
