"""Import an analyst's own dated file (CSV/TSV, GeoJSON, GeoPackage, KML, zipped Shapefile) as a map layer."""

from __future__ import annotations

import codecs
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
from geo.imports.precision import Precision, read_precision, widen
from geo.imports.table import DECIMAL_NAMES, read_delimited
from geo.imports.textfile import SEPARATOR_NAMES
from geo.imports.times import DATE_ORDERS, Times, read_times
from geo.imports.vector import read_vector

__all__ = ["ImportProblem", "ImportedLayer", "Problem", "on_day", "read_layer"]

SEPARATORS = {".csv": ",", ".tsv": "\t"}
VECTOR_SUFFIXES = {".geojson", ".json", ".gpkg", ".kml", ".zip"}
LABEL_NAMES = ("name", "title", "label", "location", "place", "site")
# The layer contract's own columns, and the precision the importer decodes: a file's column of that name is renamed.
RESERVED = (*BASE_COLUMNS, "geometry", "location_precision", "precision_meaning")
RENAMED_PREFIX = "orig_"


@dataclass(frozen=True)
class ImportedLayer:
    """An imported layer in the project's layer shape, the first reasons rows were dropped, and how time is held."""

    name: str
    frame: gpd.GeoDataFrame
    dropped: tuple[Problem, ...]
    dropped_count: int
    time_kind: str
    reading: tuple[tuple[str, str], ...] = ()  # how the file was read: ("encoding", "cp1252"), ("date order", ...)


def read_layer(path: Path, *, name: str | None = None, layer: str | None = None, lat: str | None = None,
               lon: str | None = None, sep: str | None = None, decimal: str | None = None,
               date_order: str | None = None, encoding: str | None = None, max_bytes: int = settings.MAX_IMPORT_BYTES,
               max_rows: int = settings.MAX_IMPORT_ROWS) -> ImportedLayer:
    """Read a user file as a layer in EPSG:4326; bad rows are dropped and reported, bad files raise ImportProblem.

    Each option answers one question a file can leave open (ImportProblem.question): lat/lon the coordinate
    columns, layer the layer (GeoPackage) or shapefile (zip), sep the field separator (',', ';', tab, '|'), decimal
    the decimal mark of coordinates ('.' or ','), date_order 'dayfirst' or 'monthfirst' for numeric dates.
    encoding overrides the detected encoding of a CSV/TSV (never asked: the summary says which one was used).
    """
    try:
        _check_options(Path(path).name, sep=sep, decimal=decimal, date_order=date_order, encoding=encoding)
        return _read_layer(Path(path), name=name, layer=layer, lat=lat, lon=lon, sep=sep, decimal=decimal,
                           date_order=date_order, encoding=encoding, max_bytes=max_bytes, max_rows=max_rows)
    except ImportProblem as problem:
        raise detached(problem) from None


def _check_options(file: str, *, encoding: str | None, **options: str | None) -> None:
    allowed = {"sep": SEPARATOR_NAMES, "decimal": DECIMAL_NAMES, "date_order": DATE_ORDERS}
    for option, value in options.items():
        if value is not None and value not in allowed[option]:
            raise fail(file, f"{option}= one of {', '.join(map(repr, allowed[option]))}", value=value)
    try:
        codecs.lookup(encoding or "utf-8")
    except LookupError:
        raise fail(file, "encoding= the name of a text encoding, like cp1252", value=encoding) from None


def _read_layer(path: Path, *, name: str | None, layer: str | None, lat: str | None, lon: str | None,
                sep: str | None, decimal: str | None, date_order: str | None, encoding: str | None,
                max_bytes: int, max_rows: int) -> ImportedLayer:
    _check_file(path, max_bytes=max_bytes)
    table = _read(path, layer=layer, lat=lat, lon=lon, sep=sep, decimal=decimal, encoding=encoding,
                  max_rows=max_rows, max_bytes=max_bytes)
    times, precision = read_times(path.name, table.props, order=date_order), read_precision(table.props)
    checks = [*table.checks, *times.checks, *precision.checks]
    checks += _geometry_checks(table.geometry, unchecked=~_failing(checks, table.geometry.index))
    bad = _failing(checks, table.geometry.index)
    problems = sorted((p for check in checks for p in check.problems()), key=lambda p: (p.row, p.column or ""))
    if bad.all():
        raise ImportProblem(path.name, problems[0], note=f" (no usable row: all {len(bad):,} dropped)")
    label = name or path.stem
    frame = _layer_frame(table, _widened(times, precision), precision, name=label, filename=path.name)
    return ImportedLayer(label, _compact(frame[~bad.to_numpy()].reset_index(drop=True)), tuple(problems),
                         int(bad.sum()), times.kind, _reading(table, times, precision))


def _compact(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Text columns that repeat (a layer name, event types, actors, dates) as categories: a 1M-row layer is held once
    per upload, and a string per row is most of it."""
    repeated = [column for column in frame.columns if column != frame.geometry.name
                and pd.api.types.is_string_dtype(frame[column]) and frame[column].nunique() <= len(frame) // 2]
    return frame.astype(dict.fromkeys(repeated, "category")) if repeated else frame


def _widened(times: Times, precision: Precision) -> Times:
    """Times stretched over what imprecise dates stand for (an instant of a known month shows all that month)."""
    if precision.span is None or times.kind == "none":
        return times
    return times._replace(**dict(zip(("start", "end"), widen(times.start, times.end, precision.span,
                                                              instant=times.kind == "instant"))))


def _reading(table: Table, times: Times, precision: Precision) -> tuple[tuple[str, str], ...]:
    order = (("date order", DATE_ORDERS[times.order]),) if times.order else ()
    return table.reading + order + ((("precision columns", ", ".join(precision.columns)),) if precision.columns else ())


def on_day(layer: ImportedLayer, day: dt.date | str | pd.Timestamp, *,
           window_days: int = settings.EVENT_WINDOW_DAYS) -> gpd.GeoDataFrame:
    """Rows visible on day: instants in (day - window_days, day] (an imprecise one while its span reaches into that
    window), intervals containing day, timeless rows always."""
    frame = layer.frame
    if layer.time_kind == "instant":
        stop = as_timestamp(day) + pd.Timedelta(days=1)  # whole days: a time of day on `day` still counts
        # An imprecise date (its week, its month) shows over its whole span, then window_days more.
        last = frame[END].fillna(frame[START].dt.normalize() + pd.Timedelta(days=1))
        return frame[(frame[START] < stop) & (last > stop - pd.Timedelta(days=window_days))]
    return interval_on_day(frame, day) if layer.time_kind == "interval" else frame


def _check_file(path: Path, *, max_bytes: int) -> None:
    if not path.is_file():
        raise fail(path.name, "an existing file", value=str(path))
    size = path.stat().st_size
    if size == 0:
        raise fail(path.name, "a non-empty file, it has 0 bytes")
    if size > max_bytes:
        raise fail(path.name, f"a file of at most {max_bytes:,} bytes", value=f"{size:,} bytes")


def _read(path: Path, *, layer: str | None, lat: str | None, lon: str | None, sep: str | None, decimal: str | None,
          encoding: str | None, max_rows: int, max_bytes: int) -> Table:
    suffix = path.suffix.lower()
    if suffix in SEPARATORS:
        return read_delimited(path, sep=sep, default_sep=SEPARATORS[suffix], decimal=decimal, encoding=encoding,
                              lat=lat, lon=lon, max_rows=max_rows)
    if suffix not in VECTOR_SUFFIXES:
        raise fail(path.name, f"one of the formats {', '.join(sorted([*SEPARATORS, *VECTOR_SUFFIXES]))}", value=suffix)
    if any(option is not None for option in (lat, lon, sep, decimal, encoding)):
        raise fail(path.name, "lat=/lon=/sep=/decimal=/encoding= only for CSV/TSV files; this format has its own "
                              "geometry and encoding")
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


def _layer_frame(table: Table, times: Times, precision: Precision, *, name: str, filename: str) -> gpd.GeoDataFrame:
    rows = table.props.index.astype(str)
    base = pd.DataFrame({"feature_id": name + ":" + rows, "layer": f"import:{name}", "name": _label(table.props, rows),
                         START: times.start, END: times.end, "source_ids": f"user:{filename}"}, index=table.props.index)
    # First among the file's columns, so the popup shows them: the map draws approximate places dashed.
    decoded = {"location_precision": precision.place, "precision_meaning": precision.meaning}
    base = base.assign(**{column: values for column, values in decoded.items() if values is not None})
    props = table.props.apply(as_text).rename(columns=lambda c: f"{RENAMED_PREFIX}{c}" if c in RESERVED else c)
    return gpd.GeoDataFrame(pd.concat([base, props], axis=1), geometry=table.geometry, crs=settings.CRS)


def _label(props: pd.DataFrame, rows: pd.Index) -> pd.Series:
    """The first label-like column with values, each blank cell falling back to the row number."""
    for column in find_columns(props.columns, LABEL_NAMES):
        text = as_text(props[column])
        if filled(text).any():
            return text.where(filled(text), pd.Series(rows, index=props.index))
    return pd.Series(rows, index=props.index, dtype=str)
