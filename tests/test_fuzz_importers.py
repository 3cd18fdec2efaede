"""Fuzzing the importers: malformed CSV, GeoJSON, KML and zips give an ImportedLayer or ImportProblem, nothing else."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from geo.imports.reader import ImportedLayer, ImportProblem, read_layer

fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NUMBERS = st.sampled_from(["NaN", "nan", "inf", "-inf", "1e309", "-1e309", "1e400", "-0", "0x10", "1_000", "",
                           " ", "13,5", "९", "１３", "+13.5", "90.0000001", "-180", "1e-320"])
CELLS = NUMBERS | st.text(max_size=20) | st.floats().map(str) | st.integers().map(str)
DATES = st.sampled_from(["2024-02-30", "0000-01-01", "9999-12-31", "1677-09-21", "2262-04-12", "24/13/2024",
                         "2024-05-01T25:00", "2024-05-01+99:00", "-1", "1e9", "now", "today"]) | CELLS
NUMBER_JSON = st.floats() | st.integers(-10**400, 10**400) | st.sampled_from([1e308, -1e308, 1e-320])
JSON = st.recursive(st.none() | st.booleans() | NUMBER_JSON | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=20)
COORD = st.lists(NUMBER_JSON | JSON, min_size=0, max_size=4)
GEOMETRY = st.fixed_dictionaries({"type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPoint",
                                                           "GeometryCollection", "Nope"]) | JSON,
                                  "coordinates": COORD | st.lists(COORD, max_size=5)
                                  | st.lists(st.lists(COORD, max_size=5), max_size=3) | JSON})
PROPERTIES = st.dictionaries(st.sampled_from(["name", "date", "start", "end", "<b>x</b>", "layer", "geometry"])
                             | st.text(max_size=6), DATES | JSON, max_size=4)
FEATURE = st.fixed_dictionaries({"type": st.sampled_from(["Feature", "feature"]) | JSON,
                                 "geometry": GEOMETRY | JSON, "properties": PROPERTIES | JSON}) | JSON

MEMBER_NAMES = st.sampled_from(["a.shp", "a.shx", "a.dbf", "a.prj", "../a.shp", "/abs/a.shp", "C:/a.shp",
                                "dir/../../a.shp", "x.txt", "b.SHP"]) | st.text(
    st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=1, max_size=10)


def outcome(name: str, content: bytes) -> None:
    """Read content as a file called name: a consistent layer or an ImportProblem with its fields set."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            layer = read_layer(path)
        except ImportProblem as problem:
            assert problem.file == name and problem.expected and name in str(problem)
            return
    check_layer(layer)


def check_layer(layer: ImportedLayer) -> None:
    frame = layer.frame
    assert frame.crs.to_epsg() == 4326 and len(frame) > 0
    coordinates = shapely.get_coordinates(frame.geometry.to_numpy())
    assert np.isfinite(coordinates).all()
    assert (np.abs(coordinates[:, 0]) <= 180).all() and (np.abs(coordinates[:, 1]) <= 90).all()
    assert frame.geometry.is_valid.all() and not frame.geometry.is_empty.any()
    assert layer.dropped_count >= len({p.row for p in layer.dropped if p.row is not None}) > 0 or not layer.dropped
    assert bool(layer.dropped_count) == bool(layer.dropped)


@fuzz
@given(content=st.binary(max_size=300), suffix=st.sampled_from(["csv", "tsv", "geojson", "json", "kml", "gpkg", "zip"]))
def test_any_bytes(content, suffix):
    outcome(f"fuzz.{suffix}", content)


@fuzz
@given(lines=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(
    [",", "\t", '"', "\ufeff", "\x00", "\r", "\n", "'", ";"]), max_size=40), max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]),
    suffix=st.sampled_from(["csv", "tsv"]))
def test_any_delimited_text(lines, encoding, suffix):
    header = "latitude,longitude,date,name" if suffix == "csv" else "lat\tlon\tdate\tname"
    outcome(f"fuzz.{suffix}", "\n".join([header, *lines]).encode(encoding, "replace"))


@fuzz
@given(rows=st.lists(st.tuples(CELLS, CELLS, DATES, DATES, CELLS), min_size=1, max_size=6),
       header=st.sampled_from(["lat,lon,start,end,name", "latitude,longitude,event_date,x2,title",
                               "wkt,name,date,end,place"]))
def test_random_cells_under_a_valid_header(rows, header):
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'
    lines = [",".join(quote(cell) for cell in row) for row in rows]
    check_count(f"{header}\n" + "\n".join(lines), len(rows))


def check_count(text: str, rows: int) -> None:
    """Kept plus dropped rows are every data row of the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cells.csv"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            layer = read_layer(path)
        except ImportProblem:
            return
    check_layer(layer)
    assert len(layer.frame) + layer.dropped_count == rows


@pytest.mark.filterwarnings("ignore::RuntimeWarning:pyogrio")  # GDAL's note on a feature it reads without geometry
@fuzz
@given(document=st.fixed_dictionaries({"type": st.sampled_from(["FeatureCollection"]) | JSON,
                                       "features": st.lists(FEATURE, max_size=5) | JSON}) | JSON)
def test_any_geojson(document):
    outcome("fuzz.geojson", json.dumps(document).encode())


@fuzz
@given(body=st.text(max_size=200), coordinates=st.text(alphabet="0123456789.,-e naif", max_size=30))
def test_any_kml(body, coordinates):
    kml = (f'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>{body}'
           f"</name><Point><coordinates>{coordinates}</coordinates></Point></Placemark></Document></kml>")
    outcome("fuzz.kml", kml.encode("utf-8", "surrogatepass"))


@pytest.mark.filterwarnings("ignore:Duplicate name")
@fuzz
@given(members=st.lists(st.tuples(MEMBER_NAMES, st.binary(max_size=100)), max_size=4))
def test_any_zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    outcome("fuzz.zip", buffer.getvalue())


# Text every one of these encodings can hold: French accents, guillemets, the euro sign.
LOCAL_TEXT = st.text(alphabet="aeiouzAZ éèàçôÉ«»€'", min_size=1, max_size=12)
ROW = st.tuples(LOCAL_TEXT, st.floats(-90, 90), st.floats(-180, 180), st.dates(dt.date(1970, 1, 1), dt.date(2060, 12, 31)))


@fuzz
@given(rows=st.lists(ROW, min_size=1, max_size=6), sep=st.sampled_from([",", ";", "\t", "|"]),
       decimal=st.sampled_from([".", ","]), order=st.sampled_from(["dayfirst", "monthfirst"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]), newline=st.sampled_from(["\n", "\r\n"]))
def test_locale_and_encoding_variations_read_exactly_or_ask(rows, sep, decimal, order, encoding, newline):
    """Any separator, decimal mark, date order and encoding: read exactly, or asked, then read exactly when answered."""
    assume(encoding != "latin-1" or "€" not in "".join(row[0] for row in rows))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=newline)
    writer.writerow(["name", "lat", "lon", "date"])
    pattern = "%d/%m/%Y" if order == "dayfirst" else "%m/%d/%Y"
    for name, lat, lon, day in rows:
        writer.writerow([name, f"{lat:.4f}".replace(".", decimal), f"{lon:.4f}".replace(".", decimal),
                         day.strftime(pattern)])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "local.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        answers = {"sep": sep, "decimal": decimal, "date_order": order}
        options: dict[str, str] = {}
        for _ in range(4):
            try:
                layer = read_layer(path, **options)
                break
            except ImportProblem as problem:
                if problem.question is None and encoding in ("cp1252", "latin-1"):  # too few accents to tell
                    assert "re-save the file as UTF-8" in problem.expected or "re-export" in problem.expected
                    return
                assert problem.question in ("separator", "decimal", "date_order"), str(problem)
                options[{"separator": "sep"}.get(problem.question, problem.question)] = answers[
                    {"separator": "sep"}.get(problem.question, problem.question)]
    frame = layer.frame
    assert frame["orig_name"].tolist() == [row[0] for row in rows] and layer.dropped_count == 0
    assert np.allclose(frame.geometry.y, [round(row[1], 4) for row in rows])
    assert np.allclose(frame.geometry.x, [round(row[2], 4) for row in rows])
    assert [d.date() for d in frame["start_date"]] == [row[3] for row in rows]
