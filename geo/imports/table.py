"""Read CSV/TSV imports: points from latitude/longitude columns (decimal point or comma) or shapes from WKT."""

from __future__ import annotations

import io
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.imports.common import Check, Table, fail, filled, find_columns, listed, outside_degrees
from geo.imports.textfile import SEPARATOR_NAMES, check_columns, check_garbled, check_lines, decode, header_width, sniff_separator

LAT_NAMES = ("latitude", "lat", "y")
LON_NAMES = ("longitude", "lon", "lng", "long", "x")
WKT_NAMES = ("geometry", "wkt", "geom")
FIRST_DATA_ROW = 2  # the header is row 1, as a spreadsheet shows it
DECIMAL_NAMES = {".": "point", ",": "comma"}


def read_delimited(path: Path, *, sep: str | None, default_sep: str, decimal: str | None, encoding: str | None,
                   lat: str | None, lon: str | None, max_rows: int) -> Table:
    """Read a delimited text file as text cells, rows indexed by their spreadsheet row number."""
    raw = path.read_bytes()
    check_lines(path.name, raw)
    text, encoding = decode(path.name, raw, encoding=encoding)
    sep = sep or sniff_separator(path.name, text, default=default_sep)
    check_columns(path.name, header_width(text, sep))
    check_garbled(path.name, text, sep=sep, encoding=encoding)
    del text  # pandas decodes the bytes itself: a second copy of the text would double the memory
    frame = _parse(path.name, raw, sep=sep, encoding=encoding, max_rows=max_rows)
    geometry, checks, decimal = _geometry(path.name, frame, lat=lat, lon=lon, decimal=decimal)
    reading = (("encoding", encoding), ("separator", f"{SEPARATOR_NAMES[sep]} {sep!r}"))
    return Table(frame, geometry, checks, reading + ((("decimal mark", DECIMAL_NAMES[decimal]),) if decimal else ()))


def _parse(name: str, raw: bytes, *, sep: str, encoding: str, max_rows: int) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.BytesIO(raw), sep=sep, dtype=str, keep_default_na=False, encoding=encoding,
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
    # Rows of empty cells (",,,") are padding like blank lines, which pandas skips: not data, not dropped rows.
    frame = frame[frame.ne("").any(axis=1).to_numpy()]
    if frame.empty:
        raise fail(name, "at least one data row with a value under the header", row=FIRST_DATA_ROW)
    return frame


def _geometry(name: str, frame: pd.DataFrame, *, lat: str | None, lon: str | None,
              decimal: str | None) -> tuple[gpd.GeoSeries, list[Check], str | None]:
    if (lat is None) != (lon is None):
        raise fail(name, "both lat= and lon= column names, or neither")
    if lat is None:
        lats, lons = find_columns(frame.columns, LAT_NAMES), find_columns(frame.columns, LON_NAMES)
        if not (lats and lons):
            return (*_wkt(frame, _wkt_column(name, frame)), None)
        lat, lon = _single(name, frame, lats, "latitude"), _single(name, frame, lons, "longitude")
    lat, lon = _named(name, frame, lat), _named(name, frame, str(lon))
    decimal = decimal or _decimal_mark(name, frame, (lat, lon))
    return (*_points(frame, lat, lon, decimal=decimal), decimal)


def _wkt_column(name: str, frame: pd.DataFrame) -> str:
    if wkts := find_columns(frame.columns, WKT_NAMES):
        return _single(name, frame, wkts, "WKT geometry")
    raise fail(name, f"latitude ({', '.join(LAT_NAMES)}) and longitude ({', '.join(LON_NAMES)}) columns, or a WKT "
                     f"column ({', '.join(WKT_NAMES)}); columns are {listed(frame.columns)}",
               question="coordinates", candidates=tuple(map(str, frame.columns)))


def _named(name: str, frame: pd.DataFrame, column: str) -> str:
    if column not in frame.columns:
        raise fail(name, f"a column named {column!r}; columns are {listed(frame.columns)}",
                   question="coordinates", candidates=tuple(map(str, frame.columns)))
    return column


def _single(name: str, frame: pd.DataFrame, found: list[str], role: str) -> str:
    if len(found) > 1:
        raise fail(name, f"one {role} column, found candidates {', '.join(map(repr, found))}",
                   question="coordinates", candidates=tuple(map(str, frame.columns)))
    return found[0]


def _decimal_mark(name: str, frame: pd.DataFrame, columns: tuple[str, str]) -> str:
    """',' when the coordinate columns use only decimal commas, '.' when only points; both: the analyst chooses."""
    marks = {mark: [(column, frame[column].str.contains(mark, regex=False)) for column in columns] for mark in ".,"}
    used = {mark: next(((column, hits.idxmax()) for column, hits in found if hits.any()), None)
            for mark, found in marks.items()}
    if used["."] and used[","]:
        (column, row), (other, other_row) = used[","], used["."]
        raise fail(name, f"one decimal mark in the coordinate columns, found a comma here and a point in row "
                         f"{other_row} of {other!r} ({frame.at[other_row, other]!r})", row=int(row), column=column,
                   value=frame.at[row, column], question="decimal", candidates=(".", ","),
                   examples=("point: 13.51", "comma: 13,51"))
    return "," if used[","] else "."


def _points(frame: pd.DataFrame, lat: str, lon: str, *, decimal: str) -> tuple[gpd.GeoSeries, list[Check]]:
    checks, numbers = [], {}
    like = "13,51" if decimal == "," else "13.51"
    for column, limit, role in ((lat, 90, "latitude"), (lon, 180, "longitude")):
        text = frame[column]
        number = pd.to_numeric(_as_point(text.str.strip(), decimal), errors="coerce")
        given = filled(text)
        checks += [Check(~given, column, text, f"a {role} (the cell is empty)"),
                   Check(given & number.isna(), column, text, f"a {role} in decimal degrees, like {like}"),
                   Check(number.abs() > limit, column, text, f"a {role} in [-{limit}, {limit}]")]
        numbers[role] = number.to_numpy()
    points = gpd.points_from_xy(numbers["longitude"], numbers["latitude"], crs=settings.CRS)
    return gpd.GeoSeries(points, index=frame.index), checks


def _as_point(text: pd.Series, decimal: str) -> pd.Series:
    """Decimal commas as points; with decimal commas a '.' is no decimal mark, so such a value is left unreadable."""
    if decimal == ".":
        return text
    return text.where(~text.str.contains(".", regex=False), "").str.replace(",", ".", regex=False)


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
