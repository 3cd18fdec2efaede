"""geo.overlay: upload names never escape their folder, importer questions are recognised, big days become cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geo import overlay
from geo.import_common import fail
from geo.importers import ImportedLayer, ImportProblem, read_layer
from geo.style import CELL_PREFIX

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.mark.parametrize(("name", "safe"), [
    ("acled.csv", "acled.csv"), ("../../etc/passwd", "passwd"), ("..\\..\\win.ini", "win.ini"),
    ("..", "upload."), (".hidden.CSV", "hidden.csv"), ("dé jà vu.geojson", "dé_jà_vu.geojson"),
    ("a/b/../c.zip", "c.zip"), ("x.c$v", "x.cv"), ("", "upload"),
])
def test_safe_filename(name, safe):
    assert overlay.safe_filename(name) == safe


def test_safe_filename_is_one_plain_component():
    for name in ["/abs/x.csv", "C:\\x.csv", "\x00.csv", "a" * 500 + ".csv", "\u202e.csv"]:
        safe = overlay.safe_filename(name)
        assert Path(safe).name == safe and not safe.startswith(".") and len(safe) <= overlay.MAX_NAME_CHARS + 10


def test_read_returns_problems_without_traceback():
    result = overlay.read(FIXTURES / "latin1.csv")
    assert isinstance(result, ImportProblem) and result.__traceback__ is None and result.__context__ is None
    assert isinstance(overlay.read(FIXTURES / "acled_sample.csv"), ImportedLayer)


def test_coordinate_questions_are_recognised_with_their_candidates(tmp_path):
    problem = overlay.read(FIXTURES / "ambiguous.csv")
    assert overlay.coordinate_candidates(problem) == ["latitude", "lat"]
    assert overlay.layer_options(problem) is None and overlay.coordinate_candidates(overlay.read(FIXTURES / "latin1.csv")) is None
    path = tmp_path / "unnamed.csv"
    path.write_text("place,northing,easting\nNiamey,13.5,2.1\n")
    assert overlay.coordinate_candidates(overlay.read(path)) == []
    assert overlay.header(FIXTURES / "ambiguous.csv") == ["date", "lat", "latitude", "lon"]


def test_layer_choices_are_recognised(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "two.gpkg"
    for layer in ("alpha", "beta"):
        gpd.GeoDataFrame({"n": [1]}, geometry=[Point(2, 13)], crs="EPSG:4326").to_file(path, layer=layer)
    problem = overlay.read(path)
    assert overlay.layer_options(problem) == ["alpha", "beta"] and overlay.coordinate_candidates(problem) is None
    assert overlay.layer_options(overlay.read(FIXTURES / "latin1.csv")) is None


def test_dropped_lines_name_row_column_value():
    lines = overlay.dropped_lines(read_layer(FIXTURES / "acled_sample.csv", name="acled"))
    assert lines[0] == "row 4, column 'event_date': got 'not a date': expected a date like 2024-05-12 or 12 May 2024"
    assert len(lines) == 3


def test_shown_on_draws_points_until_the_threshold_then_cells(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("lat,lon,date\n" + "".join(f"13.{i % 10},2.{i % 7},2024-05-0{1 + i % 2}\n" for i in range(3000)))
    layer = read_layer(path)
    few = overlay.shown_on(layer, dt.date(2024, 5, 1), window_days=1)
    assert len(few) == 1500 and few["layer"].iloc[0] == "import:many"
    cells = overlay.shown_on(layer, dt.date(2024, 5, 2), window_days=2)
    assert cells["layer"].unique().tolist() == [f"{CELL_PREFIX}many"] and cells["count"].sum() == 3000


def test_question_asks_for_columns_or_a_layer_and_nothing_else(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("place,y,x\nNiamey,13.5,2.1\n")
    columns = fail("t.csv", "a latitude/longitude pair or a WKT column (geometry, wkt); columns are place, y, x")
    note, fields = overlay.question(columns, table)
    assert note == "t.csv: choose the latitude and longitude columns."
    assert fields == {"lat": ("lat", "Latitude column of t.csv", ["place", "y", "x"]),
                      "lon": ("lon", "Longitude column of t.csv", ["place", "y", "x"])}
    layers = fail("two.gpkg", "layer= naming one of the layers: a, b, c", options=("a, b", "c"))
    assert overlay.question(layers, tmp_path / "two.gpkg") == ("", {"layer": ("pick-layer", "Layer of two.gpkg", ["a, b", "c"])})
    assert overlay.question(fail("x.csv", "UTF-8 text"), table) is None
