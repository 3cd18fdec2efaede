"""Import an analyst's own dated file (CSV/TSV, GeoJSON, GeoPackage, KML, zipped Shapefile) as a map layer."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo import settings
from geo.data.contract import BASE_COLUMNS, END, START
from geo.data.timeline import as_timestamp
from geo.data.timeline import on_day as interval_on_day
from geo.imports.common import Check, ImportProblem, Problem, Table, as_text, detached, fail, filled, find_columns
from geo.imports.table import read_delimited
from geo.imports.times import Times, read_times
from geo.imports.vector import read_vector

__all__ = ["ImportProblem", "ImportedLayer", "Problem", "on_day", "read_layer"]

SEPARATORS = {".csv": ",", ".tsv": "\t"}
VECTOR_SUFFIXES = {".geojson", ".json", ".gpkg", ".kml", ".zip"}
LABEL_NAMES = ("name", "title", "label", "location", "place", "site")
RESERVED = (*BASE_COLUMNS, "geometry")
RENAMED_PREFIX = "orig_"


@dataclass(frozen=True)
class ImportedLayer:
    """An imported layer in the project's layer shape, the first reasons rows were dropped, and how time is held."""

    name: str
    frame: gpd.GeoDataFrame
    dropped: tuple[Problem, ...]
    dropped_count: int
    time_kind: str


def read_layer(path: Path, *, name: str | None = None, layer: str | None = None, lat: str | None = None,
               lon: str | None = None, max_bytes: int = settings.MAX_IMPORT_BYTES,
               max_rows: int = settings.MAX_IMPORT_ROWS) -> ImportedLayer:
    """Read a user file as a layer in EPSG:4326; bad rows are dropped and reported, bad files raise ImportProblem."""
    try:
        return _read_layer(Path(path), name=name, layer=layer, lat=lat, lon=lon, max_bytes=max_bytes, max_rows=max_rows)
    except ImportProblem as problem:
        raise detached(problem) from None


def _read_layer(path: Path, *, name: str | None, layer: str | None, lat: str | None, lon: str | None,
                max_bytes: int, max_rows: int) -> ImportedLayer:
    _check_file(path, max_bytes=max_bytes)
    table = _read(path, layer=layer, lat=lat, lon=lon, max_rows=max_rows, max_bytes=max_bytes)
    times = read_times(table.props)
    checks = [*table.checks, *times.checks]
    checks += _geometry_checks(table.geometry, unchecked=~_failing(checks, table.geometry.index))
    bad = _failing(checks, table.geometry.index)
    problems = sorted((p for check in checks for p in check.problems()), key=lambda p: (p.row, p.column or ""))
    if bad.all():
        raise ImportProblem(path.name, problems[0], note=f" (no usable row: all {len(bad):,} dropped)")
    label = name or path.stem
    frame = _layer_frame(table, times, name=label, filename=path.name)[~bad.to_numpy()]
    return ImportedLayer(label, frame.reset_index(drop=True), tuple(problems), int(bad.sum()), times.kind)


def on_day(layer: ImportedLayer, day: dt.date | str | pd.Timestamp, *,
           window_days: int = settings.EVENT_WINDOW_DAYS) -> gpd.GeoDataFrame:
    """Rows visible on day: instants in (day - window_days, day], intervals containing day, timeless rows always."""
    frame = layer.frame
    if layer.time_kind == "instant":
        stop = as_timestamp(day) + pd.Timedelta(days=1)  # whole days: a time of day on `day` still counts
        return frame[(frame[START] >= stop - pd.Timedelta(days=window_days)) & (frame[START] < stop)]
    return interval_on_day(frame, day) if layer.time_kind == "interval" else frame


def _check_file(path: Path, *, max_bytes: int) -> None:
    if not path.is_file():
        raise fail(path.name, "an existing file", value=str(path))
    size = path.stat().st_size
    if size == 0:
        raise fail(path.name, "a non-empty file, it has 0 bytes")
    if size > max_bytes:
        raise fail(path.name, f"a file of at most {max_bytes:,} bytes", value=f"{size:,} bytes")


def _read(path: Path, *, layer: str | None, lat: str | None, lon: str | None, max_rows: int, max_bytes: int) -> Table:
    suffix = path.suffix.lower()
    if suffix in SEPARATORS:
        return read_delimited(path, sep=SEPARATORS[suffix], lat=lat, lon=lon, max_rows=max_rows)
    if suffix not in VECTOR_SUFFIXES:
        raise fail(path.name, f"one of the formats {', '.join(sorted([*SEPARATORS, *VECTOR_SUFFIXES]))}", value=suffix)
    if lat is not None or lon is not None:
        raise fail(path.name, "lat=/lon= only for CSV/TSV files; this format has its own geometry")
    return read_vector(path, layer=layer, max_rows=max_rows, max_bytes=max_bytes)


def _failing(checks: list[Check], index: pd.Index) -> pd.Series:
    return functools.reduce(operator.or_, [check.bad for check in checks], pd.Series(False, index=index))


def _geometry_checks(geometry: gpd.GeoSeries, *, unchecked: pd.Series) -> list[Check]:
    """Missing and invalid shapes among rows not already dropped (bad coordinates make invalid points too)."""
    # Invalid shapes are dropped, not repaired: make_valid would change the analyst's data without saying so.
    missing = unchecked & (geometry.isna() | geometry.is_empty)
    invalid = unchecked & ~missing & ~geometry.is_valid
    reasons = pd.Series(shapely.is_valid_reason(geometry[invalid].to_numpy()), index=geometry.index[invalid])
    return [Check(missing, None, pd.Series(dtype=object), "a geometry, the feature has none"),
            Check(invalid, None, reasons, "a valid geometry (fix it, e.g. QGIS 'Fix geometries')")]


def _layer_frame(table: Table, times: Times, *, name: str, filename: str) -> gpd.GeoDataFrame:
    rows = table.props.index.astype(str)
    base = pd.DataFrame({"feature_id": name + ":" + rows, "layer": f"import:{name}", "name": _label(table.props, rows),
                         START: times.start, END: times.end, "source_ids": f"user:{filename}"}, index=table.props.index)
    props = table.props.apply(as_text).rename(columns=lambda c: f"{RENAMED_PREFIX}{c}" if c in RESERVED else c)
    return gpd.GeoDataFrame(pd.concat([base, props], axis=1), geometry=table.geometry, crs=settings.CRS)


def _label(props: pd.DataFrame, rows: pd.Index) -> pd.Series:
    """The first label-like column with values, each blank cell falling back to the row number."""
    for column in find_columns(props.columns, LABEL_NAMES):
        text = as_text(props[column])
        if filled(text).any():
            return text.where(filled(text), pd.Series(rows, index=props.index))
    return pd.Series(rows, index=props.index, dtype=str)
