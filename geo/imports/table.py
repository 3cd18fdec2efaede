"""Read CSV/TSV imports: strict UTF-8, points from latitude/longitude columns or shapes from a WKT column."""

from __future__ import annotations

import io
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.imports.common import Check, Table, fail, filled, find_columns, outside_degrees

LAT_NAMES = ("latitude", "lat", "y")
LON_NAMES = ("longitude", "lon", "lng", "long", "x")
WKT_NAMES = ("geometry", "wkt", "geom")
FIRST_DATA_ROW = 2  # the header is row 1, as a spreadsheet shows it


def read_delimited(path: Path, *, sep: str, lat: str | None, lon: str | None, max_rows: int) -> Table:
    """Read a delimited text file as text cells, rows indexed by their spreadsheet row number."""
    raw = path.read_bytes()
    _check_utf8(path.name, raw)
    frame = _parse(path.name, raw, sep=sep, max_rows=max_rows)
    geometry, checks = _geometry(path.name, frame, lat=lat, lon=lon)
    return Table(frame, geometry, checks)


def _check_utf8(name: str, raw: bytes) -> None:
    # No latin-1 fallback: it decodes any bytes, so wrong text would be imported silently.
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        row = raw.count(b"\n", 0, error.start) + 1
        bad = raw[error.start:error.end].hex(" ")
        raise fail(name, "UTF-8 text (re-save the file as UTF-8)", row=row,
                   value=f"byte(s) {bad} at byte offset {error.start}") from None


def _parse(name: str, raw: bytes, *, sep: str, max_rows: int) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.BytesIO(raw), sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            nrows=max_rows + 1)
    except pd.errors.EmptyDataError:
        raise fail(name, "a header row and data rows, the file is empty") from None
    except pd.errors.ParserError as error:
        line = re.search(r"line (\d+)", str(error))
        raise fail(name, f"the same number of fields on every row ({error})",
                   row=int(line.group(1)) if line else None) from None
    if frame.empty:
        raise fail(name, "at least one data row under the header", row=FIRST_DATA_ROW)
    if len(frame) > max_rows:
        raise fail(name, f"at most {max_rows:,} data rows", row=max_rows + FIRST_DATA_ROW)
    frame.index = np.arange(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))
    return frame


def _geometry(name: str, frame: pd.DataFrame, *, lat: str | None, lon: str | None) -> tuple[gpd.GeoSeries, list[Check]]:
    if (lat is None) != (lon is None):
        raise fail(name, "both lat= and lon= column names, or neither")
    if lat is not None and lon is not None:
        return _points(frame, _named(name, frame, lat), _named(name, frame, lon))
    lats, lons = find_columns(frame.columns, LAT_NAMES), find_columns(frame.columns, LON_NAMES)
    if lats and lons:
        return _points(frame, _single(name, lats, "latitude", "lat="), _single(name, lons, "longitude", "lon="))
    wkts = find_columns(frame.columns, WKT_NAMES)
    if wkts:
        return _wkt(frame, _single(name, wkts, "WKT geometry", "lat=/lon= or remove one"))
    raise fail(name, f"latitude ({', '.join(LAT_NAMES)}) and longitude ({', '.join(LON_NAMES)}) columns, or a WKT "
                     f"column ({', '.join(WKT_NAMES)}); columns are {', '.join(map(str, frame.columns))}",
               options=tuple(map(str, frame.columns)))


def _named(name: str, frame: pd.DataFrame, column: str) -> str:
    if column not in frame.columns:
        raise fail(name, f"a column named {column!r}; columns are {', '.join(map(str, frame.columns))}",
                   options=tuple(map(str, frame.columns)))
    return column


def _single(name: str, candidates: list[str], role: str, choose: str) -> str:
    if len(candidates) > 1:
        raise fail(name, f"one {role} column, found candidates {', '.join(map(repr, candidates))}: choose with {choose}",
                   options=tuple(map(str, candidates)))
    return candidates[0]


def _points(frame: pd.DataFrame, lat: str, lon: str) -> tuple[gpd.GeoSeries, list[Check]]:
    checks, numbers = [], {}
    for column, limit, role in ((lat, 90, "latitude"), (lon, 180, "longitude")):
        text = frame[column]
        number = pd.to_numeric(text.str.strip(), errors="coerce")
        given = filled(text)
        checks += [Check(~given, column, text, f"a {role} (the cell is empty)"),
                   Check(given & number.isna(), column, text, f"a {role} in decimal degrees, like 13.51"),
                   Check(number.abs() > limit, column, text, f"a {role} in [-{limit}, {limit}]")]
        numbers[role] = number.to_numpy()
    points = gpd.points_from_xy(numbers["longitude"], numbers["latitude"], crs=settings.CRS)
    return gpd.GeoSeries(points, index=frame.index), checks


def _wkt(frame: pd.DataFrame, column: str) -> tuple[gpd.GeoSeries, list[Check]]:
    text = frame[column]
    given = filled(text)
    # Blank cells as None: a string column's missing value is NaN, which from_wkt refuses with a TypeError.
    cells = np.where(given.to_numpy(), text.to_numpy(dtype=object), None)
    with np.errstate(over="ignore", invalid="ignore"):  # huge numbers become inf: the bounds check drops them
        shapes = shapely.from_wkt(cells, on_invalid="ignore")
    geometry = gpd.GeoSeries(shapes, index=frame.index, crs=settings.CRS)
    return geometry, [Check(given & geometry.isna(), column, text, "WKT such as 'POINT (2.1 13.5)'"),
                      Check(outside_degrees(geometry), column, text,
                            "longitude/latitude degrees (EPSG:4326); CSV has no CRS")]
