"""Read vector imports through pyogrio: GeoJSON, GeoPackage, KML and zipped Shapefiles (read in place, not extracted)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import numpy as np
import pyogrio
from pyogrio import errors

from geo import settings
from geo.import_common import Table, fail

# Their specifications fix WGS84, so a missing CRS there is not an error.
WGS84_SUFFIXES = {".geojson", ".json", ".kml"}
GDAL_ERRORS = (errors.DataSourceError, errors.DataLayerError, errors.FieldError, errors.FeatureError,
               errors.GeometryError, errors.CRSError)


def read_vector(path: Path, *, layer: str | None, max_rows: int, max_bytes: int) -> Table:
    """Read one layer in EPSG:4326, rows indexed from 1 in file order; properties as read."""
    source, layer = (_zip_member(path, layer, max_bytes=max_bytes), None) if path.suffix.lower() == ".zip" else (str(path), layer)
    layers = [str(row[0]) for row in _guard(path.name, pyogrio.list_layers, source)]
    chosen = pick(path.name, layers, layer, what="layer")
    info = _guard(path.name, pyogrio.read_info, source, layer=chosen, force_feature_count=True)
    if info["features"] == 0:
        raise fail(path.name, f"at least one feature in layer {chosen!r}")
    if info["features"] > max_rows:
        raise fail(path.name, f"at most {max_rows:,} features", value=f"{info['features']:,} features")
    if info["crs"] is None and path.suffix.lower() not in WGS84_SUFFIXES:
        raise fail(path.name, "a coordinate reference system (a Shapefile needs its .prj), none is defined")
    frame = _guard(path.name, pyogrio.read_dataframe, source, layer=chosen, force_2d=True,
                   datetime_as_string=True, on_invalid="ignore")
    frame = frame.set_crs(settings.CRS) if frame.crs is None else frame.to_crs(settings.CRS)
    frame.index = np.arange(1, len(frame) + 1)
    return Table(frame.drop(columns=frame.geometry.name), frame.geometry, [])


def pick(file: str, options: list[str], chosen: str | None, *, what: str) -> str:
    """The chosen option, or the only one; otherwise an error listing them all."""
    if chosen is not None and chosen not in options:
        raise fail(file, f"one of the {what}s {', '.join(options) or '(none)'}", value=chosen)
    if chosen is None and len(options) != 1:
        raise fail(file, f"layer= naming one of the {what}s: {', '.join(options)}" if options else f"a {what}")
    return chosen if chosen is not None else options[0]


def _zip_member(path: Path, layer: str | None, *, max_bytes: int) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise fail(path.name, "a zip archive holding a Shapefile") from None
    for member in members:
        if _escapes(member.filename):
            raise fail(path.name, "members with relative paths inside the archive", value=member.filename)
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_bytes:
        raise fail(path.name, f"at most {max_bytes:,} bytes unpacked", value=f"{unpacked:,} bytes")
    shapefiles = [m.filename for m in members if m.filename.lower().endswith(".shp")]
    if not shapefiles:
        raise fail(path.name, "a .shp file inside the zip, found none")
    return f"/vsizip/{path.resolve()}/{pick(path.name, shapefiles, layer, what='shapefile')}"


def _escapes(member: str) -> bool:
    parts = PurePosixPath(member.replace("\\", "/"))
    return parts.is_absolute() or ".." in parts.parts or bool(re.match(r"[A-Za-z]:", member))


def _guard(file: str, read: Callable, *args, **kwargs):
    try:
        return read(*args, **kwargs)
    except GDAL_ERRORS as error:
        raise fail(file, f"a readable {Path(file).suffix} file ({error})") from None
