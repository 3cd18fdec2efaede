"""QGIS project (.qgz) beside an exported GeoPackage: styled layers in the app's order, Temporal Controller on the timeline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo import settings
from geo.data.files import write_atomically
from geo.exports.common import DATE_COLUMNS, Bundle, Format, Writer, prepared, utc_dates
from geo.exports.gpkg import geometry_type, write_gpkg
from geo.exports.qml import qml

QGIS_VERSION = "3.22.0-Białowieża"
DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed entry timestamps: identical input, identical bytes
START_FIELD, END_FIELD = "start_date", "end_date"
# QgsVectorLayerTemporalProperties: mode 4 = start and end from expressions; limitMode 0 = include begin, exclude end
# (QGIS 3.22+). Its filter for a frame [t, t + 1 day) is start < t + 1 day and end > t: the data's half-open
# [start_date, end_date). Expressions, not mode 2's plain fields: QGIS 3.22's GeoPackage provider compiles a field
# comparison to SQL text ('...T00:00:00.000Z' > '...T00:00:00.000'), which drew a force on its end day; to_datetime()
# is evaluated by QGIS itself, and coalesce() keeps open (NULL) ends open.
TEMPORAL_MODE_START_END_EXPRESSIONS, LIMIT_INCLUDE_BEGIN_EXCLUDE_END = "4", "0"
START_EXPRESSION = f'coalesce(to_datetime("{START_FIELD}"), make_datetime(1, 1, 1, 0, 0, 0))'
END_EXPRESSION = f'coalesce(to_datetime("{END_FIELD}"), make_datetime(9999, 12, 31, 0, 0, 0))'
NAVIGATION_ANIMATED = 1  # QgsTemporalNavigationObject::Animated: the controller opens ready to play
FRAMES_PER_SECOND = 10
WGS84 = {"proj4": "+proj=longlat +datum=WGS84 +no_defs", "srsid": "3452", "srid": "4326", "authid": "EPSG:4326",
         "description": "WGS 84", "projectionacronym": "longlat", "ellipsoidacronym": "EPSG:7030",
         "geographicflag": "true"}
GEOMETRY_DISPLAY = {"Point": "Point", "LineString": "Line", "Polygon": "Polygon"}


@dataclasses.dataclass(frozen=True)
class ProjectLayer:
    """One GeoPackage layer as the project shows it.

    name: the GeoPackage table (the QGIS layer id is derived from it); title: the name in the Layers panel;
    geometry_type: the GeoPackage geometry type ('Point', 'MultiPolygon', 'Unknown'...); dated: filtered by
    start_date/end_date in the Temporal Controller; qml: the layer's QML style (as stored in its layer_styles).
    """

    name: str
    title: str
    geometry_type: str
    dated: bool
    qml: str


def write_project(path: Path, *, gpkg_name: str, layers: Sequence[ProjectLayer], timeline: tuple[dt.date, dt.date],
                  title: str, extent: tuple[float, float, float, float]) -> None:
    """Write the .qgz at `path` atomically; it reads `gpkg_name` from its own folder by relative path.

    `layers` are in drawing order (first at the bottom); `timeline` is the first and last day shown (inclusive), kept
    in QGIS as the half-open range [first 00:00Z, last + 1 day 00:00Z) so the last frame is the last day;
    `extent` is (xmin, ymin, xmax, ymax) in EPSG:4326.
    """
    document = DOCTYPE + ET.tostring(project(gpkg_name, layers, timeline, title, extent), encoding="unicode")
    write_atomically(path, archive(f"{path.stem}.qgs", document.encode("utf-8")))


def archive(name: str, content: bytes) -> bytes:
    """A zip holding one entry with a fixed timestamp and permissions (QGIS opens the .qgs it finds in a .qgz)."""
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr(entry, content)
    return buffer.getvalue()


def project(gpkg_name: str, layers: Sequence[ProjectLayer], timeline: tuple[dt.date, dt.date], title: str,
            extent: tuple[float, float, float, float]) -> ET.Element:
    """The <qgis> document: CRS, layer tree (top first), canvas extent, layers, properties, time settings."""
    root = ET.Element("qgis", projectname=title, version=QGIS_VERSION)
    ET.SubElement(root, "homePath", path="")
    text(root, "title", title)
    spatial_reference(ET.SubElement(root, "projectCrs"))
    root.append(layer_tree(gpkg_name, layers))
    root.append(map_canvas(extent))
    listed = ET.SubElement(root, "projectlayers")
    for layer in layers:
        listed.append(map_layer(gpkg_name, layer))
    order = ET.SubElement(root, "layerorder")
    for layer in layers:
        ET.SubElement(order, "layer", id=layer_id(layer))
    root.append(properties(timeline))
    root.append(view_settings(extent))
    root.append(time_settings(timeline))
    return root


def text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = value
    return element


def spatial_reference(parent: ET.Element) -> None:
    """EPSG:4326 as QGIS writes a <spatialrefsys>."""
    srs = ET.SubElement(parent, "spatialrefsys")
    for tag, value in WGS84.items():
        text(srs, tag, value)


def layer_id(layer: ProjectLayer) -> str:
    """A stable QGIS layer id from the name (QGIS replaces ids of 10 characters or fewer with random ones)."""
    return f"{layer.name}_{hashlib.sha1(layer.name.encode()).hexdigest()[:16]}"


def source(gpkg_name: str, layer: ProjectLayer) -> str:
    """The OGR data source, relative to the project file."""
    return f"./{gpkg_name}|layername={layer.name}"


def layer_tree(gpkg_name: str, layers: Sequence[ProjectLayer]) -> ET.Element:
    """The Layers panel: the last drawn (forces, events) at the top, every layer checked."""
    tree = ET.Element("layer-tree-group")
    for layer in reversed(layers):
        ET.SubElement(tree, "layer-tree-layer", id=layer_id(layer), name=layer.title, source=source(gpkg_name, layer),
                      providerKey="ogr", checked="Qt::Checked", expanded="0")
    return tree


def rectangle(parent: ET.Element, tag: str, extent: tuple[float, float, float, float]) -> None:
    element = ET.SubElement(parent, tag)
    for name, value in zip(("xmin", "ymin", "xmax", "ymax"), extent):
        text(element, name, repr(float(value)))


def map_canvas(extent: tuple[float, float, float, float]) -> ET.Element:
    """The main canvas' saved view: QGIS desktop opens on this extent."""
    canvas = ET.Element("mapcanvas", name="theMapCanvas", annotationsVisible="1")
    text(canvas, "units", "degrees")
    rectangle(canvas, "extent", extent)
    text(canvas, "rotation", "0")
    spatial_reference(ET.SubElement(canvas, "destinationsrs"))
    text(canvas, "rendermaptile", "0")
    return canvas


def view_settings(extent: tuple[float, float, float, float]) -> ET.Element:
    """The project's default view extent (Project Properties > View; also what QGIS Server and PyQGIS read)."""
    view = ET.Element("ProjectViewSettings", UseProjectScales="0", rotation="0")
    ET.SubElement(view, "Scales")
    default = ET.SubElement(view, "DefaultViewExtent",
                            dict(zip(("xmin", "ymin", "xmax", "ymax"), (repr(float(v)) for v in extent))))
    spatial_reference(default)
    return view


def map_layer(gpkg_name: str, layer: ProjectLayer) -> ET.Element:
    """One <maplayer>: its GeoPackage source, CRS, temporal properties and the QML style's content embedded."""
    style = ET.fromstring(layer.qml)
    kind = next((v for k, v in GEOMETRY_DISPLAY.items() if k in layer.geometry_type), "Unknown geometry")
    element = ET.Element("maplayer", type="vector", geometry=kind, wkbType=layer.geometry_type,
                         labelsEnabled=style.get("labelsEnabled", "0"), styleCategories="AllStyleCategories")
    text(element, "id", layer_id(layer))
    text(element, "datasource", source(gpkg_name, layer))
    text(element, "layername", layer.title)
    spatial_reference(ET.SubElement(element, "srs"))
    ET.SubElement(element, "provider", encoding="UTF-8").text = "ogr"
    if layer.dated:
        element.append(temporal())
    element.extend(style)
    return element


def temporal() -> ET.Element:
    """Active temporal properties filtering features by their start_date / end_date, end excluded, open ends open."""
    element = ET.Element("temporal", enabled="1", mode=TEMPORAL_MODE_START_END_EXPRESSIONS,
                         limitMode=LIMIT_INCLUDE_BEGIN_EXCLUDE_END, startField=START_FIELD, endField=END_FIELD,
                         startExpression=START_EXPRESSION, endExpression=END_EXPRESSION, durationField="", durationUnit="min",
                         fixedDuration="0", accumulate="0")
    fixed = ET.SubElement(element, "fixedRange")
    ET.SubElement(fixed, "start")
    ET.SubElement(fixed, "end")
    return element


def bounds(timeline: tuple[dt.date, dt.date]) -> tuple[str, str]:
    """The timeline's first day and the day after its last, as QGIS's UTC ISO date-times."""
    first, last = timeline
    return f"{first.isoformat()}T00:00:00Z", f"{(last + dt.timedelta(days=1)).isoformat()}T00:00:00Z"


def properties(timeline: tuple[dt.date, dt.date]) -> ET.Element:
    """Relative paths, the project CRS switched on, and the Temporal Controller's saved state: animated over the timeline."""
    element = ET.Element("properties")
    paths = ET.SubElement(element, "Paths")
    ET.SubElement(paths, "Absolute", type="bool").text = "false"
    crs = ET.SubElement(element, "SpatialRefSys")  # QGIS reads <projectCrs> only when this is set
    ET.SubElement(crs, "ProjectionsEnabled", type="int").text = "1"
    controller = ET.SubElement(element, "TemporalControllerWidget")
    ET.SubElement(controller, "NavigationMode", type="int").text = str(NAVIGATION_ANIMATED)
    start, end = bounds(timeline)
    ET.SubElement(controller, "StartDateTime", type="QString").text = start.replace("Z", ".000Z")
    ET.SubElement(controller, "EndDateTime", type="QString").text = end.replace("Z", ".000Z")
    return element


def time_settings(timeline: tuple[dt.date, dt.date]) -> ET.Element:
    """The project's time range and the controller's step: one frame per day."""
    element = ET.Element("ProjectTimeSettings", timeStepUnit="d", timeStep="1", frameRate=str(FRAMES_PER_SECOND),
                         cumulativeTemporalRange="0")
    start, end = bounds(timeline)
    span = ET.SubElement(element, "TemporalRange")
    text(span, "start", start)
    text(span, "end", end)
    return element


def project_layers(bundle: Bundle) -> list[ProjectLayer]:
    """The bundle's layers as the GeoPackage holds them (same geometry type, same default style), in drawing order."""
    return [ProjectLayer(name=name, title=bundle.title(name), geometry_type=geometry_type(utc_dates(prepared(frame))),
                         dated=bool(frame[list(DATE_COLUMNS)].notna().to_numpy().any()), qml=qml(frame))
            for name, frame in bundle.frames.items()]


def extent_of(bundle: Bundle) -> tuple[float, float, float, float]:
    """The focus country's bounds (else every layer's), padded so its neighbours' edges show."""
    countries = bundle.frames.get("countries")
    focus = countries[countries["role"] == "focus"] if countries is not None and "role" in countries else None
    frames = [focus] if focus is not None and len(focus) else list(bundle.frames.values())
    west, south, east, north = pd.concat([f.geometry for f in frames]).total_bounds
    pad = settings.QGIS_EXTENT_PAD_DEG
    return (float(west) - pad, float(south) - pad, float(east) + pad, float(north) + pad)


def write_qgz(bundle: Bundle, path: Path) -> None:
    """The project beside <stem>.gpkg, on the bundle's timeline (a snapshot: its one day)."""
    timeline = bundle.timeline if bundle.day is None else (bundle.day, bundle.day)
    write_project(path, gpkg_name=f"{path.stem}.gpkg", layers=project_layers(bundle), timeline=timeline,
                  title=f"{bundle.scenario.title}; dataset_version={bundle.version}", extent=extent_of(bundle))


def project_files(bundle: Bundle, stem: str) -> dict[str, Writer]:
    """The GeoPackage and the project that opens it."""
    return {f"{stem}.gpkg": functools.partial(write_gpkg, bundle), f"{stem}.qgz": functools.partial(write_qgz, bundle)}


FORMAT = Format("qgis", "a QGIS project (.qgz) beside the GeoPackage: styled, Temporal Controller on the timeline",
                "QGIS project + GeoPackage (zip)", "zip", "application/zip", project_files)
