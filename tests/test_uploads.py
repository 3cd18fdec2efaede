"""geo.web.uploads: upload names never escape their folder, importer questions are recognised, big days become cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geo.data.contract import CELL_PREFIX
from geo.imports.common import fail
from geo.imports.reader import ImportedLayer, ImportProblem, read_layer
from geo.web import uploads

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.mark.parametrize(("name", "safe"), [
    ("acled.csv", "acled.csv"), ("../../etc/passwd", "passwd"), ("..\\..\\win.ini", "win.ini"),
    ("..", "upload."), (".hidden.CSV", "hidden.csv"), ("dé jà vu.geojson", "dé_jà_vu.geojson"),
    ("a/b/../c.zip", "c.zip"), ("x.c$v", "x.cv"), ("", "upload"),
])
def test_safe_filename(name, safe):
    assert uploads.safe_filename(name) == safe


def test_safe_filename_is_one_plain_component():
    for name in ["/abs/x.csv", "C:\\x.csv", "\x00.csv", "a" * 500 + ".csv", "\u202e.csv"]:
        safe = uploads.safe_filename(name)
        assert Path(safe).name == safe and not safe.startswith(".") and len(safe) <= uploads.MAX_NAME_CHARS + 10


def test_read_returns_problems_without_traceback():
    result = uploads.read(FIXTURES / "latin1.csv")
    assert isinstance(result, ImportProblem) and result.__traceback__ is None and result.__context__ is None
    assert isinstance(uploads.read(FIXTURES / "acled_sample.csv"), ImportedLayer)


def test_coordinate_questions_are_recognised_with_their_candidates(tmp_path):
    problem = uploads.read(FIXTURES / "ambiguous.csv")
    assert uploads.coordinate_candidates(problem) == ["latitude", "lat"]
    assert uploads.layer_options(problem) is None and uploads.coordinate_candidates(uploads.read(FIXTURES / "latin1.csv")) is None
    path = tmp_path / "unnamed.csv"
    path.write_text("place,northing,easting\nNiamey,13.5,2.1\n")
    assert uploads.coordinate_candidates(uploads.read(path)) == []
    assert uploads.header(FIXTURES / "ambiguous.csv") == ["date", "lat", "latitude", "lon"]


def test_layer_choices_are_recognised(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "two.gpkg"
    for layer in ("alpha", "beta"):
        gpd.GeoDataFrame({"n": [1]}, geometry=[Point(2, 13)], crs="EPSG:4326").to_file(path, layer=layer)
    problem = uploads.read(path)
    assert uploads.layer_options(problem) == ["alpha", "beta"] and uploads.coordinate_candidates(problem) is None
    assert uploads.layer_options(uploads.read(FIXTURES / "latin1.csv")) is None


def test_dropped_lines_name_row_column_value():
    lines = uploads.dropped_lines(read_layer(FIXTURES / "acled_sample.csv", name="acled"))
    assert lines[0] == "row 4, column 'event_date': got 'not a date': expected a date like 2024-05-12 or 12 May 2024"
    assert len(lines) == 3


def many_layer(folder: Path) -> ImportedLayer:
    """3,000 points on 70 spots (lat 13.0-13.9, lon 2.0-2.6), half dated 1 May 2024 and half 2 May."""
    path = folder / "many.csv"
    path.write_text("lat,lon,date\n" + "".join(f"13.{i % 10},2.{i % 7},2024-05-0{1 + i % 2}\n" for i in range(3000)))
    return read_layer(path)


def test_shown_on_draws_points_until_the_threshold_then_cells(tmp_path):
    layer = many_layer(tmp_path)
    few = uploads.shown_on(layer, dt.date(2024, 5, 1), window_days=1)
    assert len(few) == 1500 and few["layer"].iloc[0] == "import:many"
    cells = uploads.shown_on(layer, dt.date(2024, 5, 2), window_days=2)
    assert cells["layer"].unique().tolist() == [f"{CELL_PREFIX}many"] and cells["count"].sum() == 3000
    assert cells["cell_deg"].unique().tolist() == [0.5]


def test_zooming_in_shows_finer_cells_then_the_features(tmp_path):
    layer, day = many_layer(tmp_path), dt.date(2024, 5, 2)
    wide = uploads.shown_on(layer, day, 2, uploads.View(6, (-5.0, 8.0, 20.0, 24.0)))
    finer = uploads.shown_on(layer, day, 2, uploads.View(8, (1.0, 12.0, 4.0, 15.0)))
    assert wide["cell_deg"].iloc[0] == 0.5 and finer["cell_deg"].iloc[0] == 0.125
    assert wide["count"].sum() == finer["count"].sum() == 3000 and len(finer) > len(wide)
    corner = uploads.shown_on(layer, day, 2, uploads.View(11, (2.25, 13.65, 2.35, 13.75)))  # lon 2.3, lat 13.7 only
    assert corner["layer"].unique().tolist() == ["import:many"] and len(corner) == 3000 // 70 + 1


def test_rows_outside_the_padded_view_are_left_out(tmp_path):
    frame = many_layer(tmp_path).frame
    view = uploads.View(10, (2.0, 13.0, 2.4, 13.4))  # padded by a quarter: lon 1.9-2.5, lat 12.9-13.5
    kept = uploads.in_view(frame, view)
    assert kept.geometry.x.between(1.9, 2.5).all() and kept.geometry.y.between(12.9, 13.5).all()
    assert sorted(set(kept.geometry.x.round(1))) == [2.0, 2.1, 2.2, 2.3, 2.4, 2.5] and len(kept) < len(frame)


@pytest.mark.parametrize(("value", "view"), [
    ({"zoom": 9, "bounds": {"_southWest": {"lat": 12.5, "lng": 1.5}, "_northEast": {"lat": 14.5, "lng": 3.5}}},
     uploads.View(9, (1.5, 12.5, 3.5, 14.5))),
    ({"zoom": 6, "bounds": {"_southWest": {"lat": None, "lng": None}, "_northEast": {"lat": None, "lng": None}}}, None),
    ({}, None), (None, None), ({"zoom": "x", "bounds": {}}, None),
])
def test_view_from_the_maps_returned_value(value, view):
    assert uploads.view_from_map(value) == view


def test_cell_size_halves_per_zoom_level():
    assert [uploads.cell_size(uploads.View(z, (0, 0, 1, 1))) for z in (4, 6, 7, 10)] == [2.0, 0.5, 0.25, 0.03125]
    assert uploads.cell_size(None) == 0.5 and uploads.cell_size(uploads.View(99, (0, 0, 1, 1))) == 0.5 / 2 ** 12


def test_question_asks_for_columns_or_a_layer_and_nothing_else(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("place,y,x\nNiamey,13.5,2.1\n")
    columns = fail("t.csv", "a latitude/longitude pair or a WKT column (geometry, wkt); columns are place, y, x")
    note, fields = uploads.question(columns, table)
    assert note == "t.csv: choose the latitude and longitude columns."
    assert fields == {"lat": ("lat", "Latitude column of t.csv", ["place", "y", "x"]),
                      "lon": ("lon", "Longitude column of t.csv", ["place", "y", "x"])}
    layers = fail("two.gpkg", "layer= naming one of the layers: a, b, c", options=("a, b", "c"))
    assert uploads.question(layers, tmp_path / "two.gpkg") == ("", {"layer": ("pick-layer", "Layer of two.gpkg", ["a, b", "c"])})
    assert uploads.question(fail("x.csv", "UTF-8 text"), table) is None
