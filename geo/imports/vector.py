"""Read vector imports through pyogrio: GeoJSON, GeoPackage, KML and zipped Shapefiles (read in place, not extracted)."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyogrio import errors

from geo import settings
from geo.imports.common import Check, Table, fail, outside_degrees
from geo.imports.sniff import check_driver, check_file, check_member

# Their specifications fix WGS84, so a missing CRS there is not an error.
WGS84_SUFFIXES = {".geojson", ".json", ".kml"}
GDAL_ERRORS = (errors.DataSourceError, errors.DataLayerError, errors.FieldError, errors.FeatureError,
               errors.GeometryError, errors.CRSError)


def read_vector(path: Path, *, layer: str | None, max_rows: int, max_bytes: int) -> Table:
    """Read one layer in EPSG:4326, rows indexed from 1 in file order; properties as read."""
    source, layer = _source(path, layer, max_bytes=max_bytes)
    layers = [str(row[0]) for row in _guard(path.name, pyogrio.list_layers, source)]
    chosen = pick(path.name, layers, layer, what="layer")
    info = _guard(path.name, pyogrio.read_info, source, layer=chosen, force_feature_count=True)
    check_driver(path.name, path.suffix.lower(), info["driver"])
    if info["features"] == 0:
        raise fail(path.name, f"at least one feature in layer {chosen!r}")
    if len(info["fields"]) > settings.MAX_IMPORT_COLUMNS:
        raise fail(path.name, f"at most {settings.MAX_IMPORT_COLUMNS:,} fields", value=f"{len(info['fields']):,} fields")
    if info["features"] > max_rows:
        raise fail(path.name, f"at most {max_rows:,} features", value=f"{info['features']:,} features")
    if info["crs"] is None and path.suffix.lower() not in WGS84_SUFFIXES:
        raise fail(path.name, "a coordinate reference system (a Shapefile needs its .prj), none is defined")
    frame = _guard(path.name, pyogrio.read_dataframe, source, layer=chosen, force_2d=True,
                   datetime_as_string=True, on_invalid="ignore", **_open_options(path))
    frame = frame.set_crs(settings.CRS) if frame.crs is None else frame.to_crs(settings.CRS)
    frame.index = np.arange(1, len(frame) + 1)
    outside = Check(outside_degrees(frame.geometry), None, _bounds_text(frame.geometry),
                    "coordinates within longitude [-180, 180] and latitude [-90, 90] (bounds shown)")
    return Table(frame.drop(columns=frame.geometry.name), frame.geometry, [outside])


def _bounds_text(geometry: gpd.GeoSeries) -> pd.Series:
    text = [" ".join(f"{value:.6g}" for value in row) for row in geometry.bounds.to_numpy().tolist()]
    return pd.Series(text, index=geometry.index, dtype=object)


def _open_options(path: Path) -> dict[str, str]:
    # GDAL types date-like GeoJSON strings as dates and fails on '2024-02-30'; as text, the row is dropped and named.
    return {"DATE_AS_STRING": "YES"} if path.suffix.lower() in {".geojson", ".json"} else {}


def _source(path: Path, layer: str | None, *, max_bytes: int) -> tuple[str, str | None]:
    """What GDAL opens (a /vsizip/ path for a zip) and the layer to pick in it, once its first bytes are checked."""
    if path.suffix.lower() != ".zip":
        check_file(path)
        return str(path), layer
    member = _zip_member(path, layer, max_bytes=max_bytes)
    _zip_guard(path.name, check_member, path, member)
    return f"/vsizip/{path.resolve()}/{member}", None


def pick(file: str, options: list[str], chosen: str | None, *, what: str) -> str:
    """The chosen option, or the only one; otherwise an error listing them all."""
    if chosen is not None and chosen not in options:
        raise fail(file, f"one of the {what}s {', '.join(options) or '(none)'}", value=chosen, question="layer",
                   candidates=tuple(options))
    if chosen is None and len(options) != 1:
        raise fail(file, f"layer= naming one of the {what}s: {', '.join(options)}" if options else f"a {what}",
                   question="layer" if options else None, candidates=tuple(options))
    return chosen if chosen is not None else options[0]


def _zip_member(path: Path, layer: str | None, *, max_bytes: int) -> str:
    members = _zip_guard(path.name, _infolist, path)
    for member in members:
        if _escapes(member.filename):
            raise fail(path.name, "members with relative paths inside the archive", value=member.filename)
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_bytes:
        raise fail(path.name, f"at most {max_bytes:,} bytes unpacked", value=f"{unpacked:,} bytes")
    shapefiles = [m.filename for m in members if m.filename.lower().endswith(".shp")]
    if not shapefiles:
        raise fail(path.name, "a .shp file inside the zip, found none")
    return pick(path.name, shapefiles, layer, what="shapefile")


def _escapes(member: str) -> bool:
    parts = PurePosixPath(member.replace("\\", "/"))
    return parts.is_absolute() or ".." in parts.parts or bool(re.match(r"[A-Za-z]:", member))


def _infolist(path: Path) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as archive:
        return archive.infolist()


def _zip_guard(file: str, read: Callable[..., Any], *args: object) -> Any:
    # Encrypted members raise RuntimeError, unknown compression NotImplementedError, truncated data EOFError/zlib.error.
    try:
        return read(*args)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error) as error:
        raise fail(file, f"a readable zip archive holding a Shapefile ({error})") from None


def _guard(file: str, read: Callable, *args, **kwargs):
    try:
        return read(*args, **kwargs)
    except GDAL_ERRORS as error:
        raise fail(file, f"a readable {Path(file).suffix} file ({error})") from None
