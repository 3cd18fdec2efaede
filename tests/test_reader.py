"""User-file imports: every format round-trips, bad rows are dropped and reported, bad files raise ImportProblem."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from geo.draw.style import popup_html
from geo.imports.reader import ImportProblem, on_day, read_layer

FIXTURES = Path(__file__).parent / "fixtures" / "import"
LAYER_COLUMNS = ["feature_id", "layer", "name", "start_date", "end_date", "source_ids"]
DATES = ["2024-05-01", "2024-05-12"]
LONS, LATS = [2.1254, 0.9194], [13.5116, 14.7306]
COORDS = [2.1254, 13.5116, 0.9194, 14.7306]


def points_frame(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame({"title": ["Niamey", "Ayorou"], "event_date": DATES},
                             geometry=gpd.points_from_xy(LONS, LATS), crs="EPSG:4326")
    return frame.to_crs(crs)


def write_csv(frame: gpd.GeoDataFrame, path: Path) -> Path:
    frame.assign(latitude=frame.geometry.y, longitude=frame.geometry.x).drop(columns="geometry").to_csv(path, index=False)
    return path


def write_zipped_shapefile(frame: gpd.GeoDataFrame, path: Path, *, crs: bool = True) -> Path:
    folder = path.parent / "shp"
    folder.mkdir()
    pyogrio.write_dataframe(frame if crs else frame.set_crs(None, allow_override=True), folder / "places.shp")
    with zipfile.ZipFile(path, "w") as archive:
        for member in folder.iterdir():
            archive.write(member, member.name)
    return path


WRITERS = {
    "csv": write_csv,
    "geojson": lambda frame, path: pyogrio.write_dataframe(frame, path, driver="GeoJSON") or path,
    "gpkg": lambda frame, path: pyogrio.write_dataframe(frame, path, driver="GPKG") or path,
    "kml": lambda frame, path: pyogrio.write_dataframe(frame, path, driver="LIBKML") or path,
    "zip": write_zipped_shapefile,
}


def problem(path: Path, **options) -> ImportProblem:
    with pytest.raises(ImportProblem) as caught:
        read_layer(path, **options)
    return caught.value


@pytest.mark.parametrize("suffix", list(WRITERS))
def test_round_trip(tmp_path, suffix):
    layer = read_layer(WRITERS[suffix](points_frame(), tmp_path / f"places.{suffix}"))
    frame = layer.frame
    assert list(frame.columns[:6]) == LAYER_COLUMNS and frame.crs.to_epsg() == 4326
    assert shapely.get_coordinates(frame.geometry).ravel().tolist() == pytest.approx(COORDS)
    assert frame["start_date"].tolist() == [pd.Timestamp(d) for d in DATES] and frame["end_date"].isna().all()
    assert str(frame["start_date"].dtype) == "datetime64[s]" and layer.time_kind == "instant"
    assert frame["name"].tolist() == ["Niamey", "Ayorou"] and (frame["layer"] == "import:places").all()
    assert (frame["source_ids"] == f"user:places.{suffix}").all() and layer.dropped_count == 0


def test_reprojects_from_web_mercator(tmp_path):
    path = tmp_path / "mercator.gpkg"
    pyogrio.write_dataframe(points_frame("EPSG:3857"), path)
    frame = read_layer(path).frame
    assert shapely.get_coordinates(frame.geometry).ravel().tolist() == pytest.approx(COORDS)


def test_acled_sample_drops_and_reports_bad_rows():
    layer = read_layer(FIXTURES / "acled_sample.csv", name="acled")
    assert layer.frame["event_id_cnty"].tolist() == ["NIG1", "NIG2"]
    assert layer.frame["feature_id"].tolist() == ["acled:2", "acled:3"]
    assert layer.dropped_count == 3
    assert [(p.row, p.column, p.value) for p in layer.dropped] == [
        (4, "event_date", "not a date"), (5, "latitude", "95"), (6, "latitude", "")]
    assert "[-90, 90]" in layer.dropped[1].reason


def test_html_is_kept_verbatim_and_escaped_in_popups():
    row = read_layer(FIXTURES / "acled_sample.csv").frame.iloc[0]
    assert row["notes"] == "<script>alert(1)</script> & more" and row["actor1"] == "Group <b>A</b>"
    html = popup_html({**row.drop("geometry").to_dict(), "name": row["notes"]}, pd.DataFrame(columns=["source_id"]))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_no_surviving_row_is_an_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,lat,lon\n2024-05-01,north,2\n2024-05-02,91,2\n")
    error = problem(path)
    assert (error.file, error.row, error.column, error.value) == ("bad.csv", 2, "lat", "north")
    assert "no usable row" in str(error)


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "non-empty"), (b"date,lat,lon\n", "at least one data row"), (b"\n\n", "header row"),
])
def test_empty_files(tmp_path, content, expected):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert expected in str(problem(path))


def test_legacy_encoding_is_detected_and_reported():
    layer = read_layer(FIXTURES / "latin1.csv")
    assert layer.frame["name"].tolist() == ["Tillabéri"] and ("encoding", "cp1252") in layer.reading


def test_utf8_with_bom_is_read(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufefflatitude,longitude,name\n13.5,2.1,Tillabéri\n".encode())
    assert read_layer(path).frame["name"].tolist() == ["Tillabéri"]


def test_ragged_row_names_its_line(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("lat,lon\n13,2\n13,2,extra\n")
    assert problem(path).row == 3


def test_ambiguous_coordinates_list_candidates():
    error = problem(FIXTURES / "ambiguous.csv")
    assert "'latitude', 'lat'" in str(error) and error.question == "coordinates"
    assert len(read_layer(FIXTURES / "ambiguous.csv", lat="latitude", lon="lon").frame) == 1


def test_no_coordinate_columns(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("date,place\n2024-05-01,Niamey\n")
    assert "columns are date, place" in str(problem(path))


def test_wkt_column_and_invalid_geometry(tmp_path):
    bowtie = "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"
    path = tmp_path / "shapes.tsv"
    path.write_text(f"wkt\tname\nPOINT (2 13)\tok\n{bowtie}\tbowtie\nPOINT (nope)\tjunk\nPOINT (500000 1500000)\tmetres\n")
    layer = read_layer(path)
    assert layer.frame["name"].tolist() == ["ok"] and layer.time_kind == "none"
    assert [(p.row, p.column) for p in layer.dropped] == [(3, None), (4, "wkt"), (5, "wkt")]
    assert "Self-intersection" in layer.dropped[0].value


def test_mixed_geometry_types_are_kept(tmp_path):
    path = tmp_path / "mixed.geojson"
    shapes = [Point(2, 13), LineString([(2, 13), (3, 14)]), Polygon([(2, 13), (3, 13), (3, 14)])]
    pyogrio.write_dataframe(gpd.GeoDataFrame({"name": ["a", "b", "c"]}, geometry=shapes, crs="EPSG:4326"), path)
    assert read_layer(path).frame.geom_type.tolist() == ["Point", "LineString", "Polygon"]


def test_size_and_row_limits(tmp_path):
    path = write_csv(points_frame(), tmp_path / "two.csv")
    assert "at most 10 bytes" in str(problem(path, max_bytes=10))
    assert "at most 1 data rows" in str(problem(path, max_rows=1))
    gpkg = WRITERS["gpkg"](points_frame(), tmp_path / "two.gpkg")
    assert "at most 1 features" in str(problem(gpkg, max_rows=1))


def test_geopackage_layers_must_be_chosen(tmp_path):
    path = tmp_path / "two_layers.gpkg"
    pyogrio.write_dataframe(points_frame(), path, layer="alpha")
    pyogrio.write_dataframe(points_frame().iloc[:1], path, layer="beta", append=True)
    assert "alpha, beta" in str(problem(path))
    assert len(read_layer(path, layer="beta").frame) == 1
    assert "gamma" in str(problem(path, layer="gamma"))


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_shapefile_without_crs_is_refused(tmp_path):
    error = problem(write_zipped_shapefile(points_frame(), tmp_path / "nocrs.zip", crs=False))
    assert "coordinate reference system" in str(error) and ".prj" in str(error)


def test_zip_path_traversal_is_refused():
    error = problem(FIXTURES / "traversal.zip")
    assert error.value == "../evil.shp"


def test_zip_without_shapefile(tmp_path):
    path = tmp_path / "nothing.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "no shapes")
    assert "found none" in str(problem(path))


def test_unknown_format_and_not_a_zip(tmp_path):
    (tmp_path / "a.xlsx").write_text("x")
    (tmp_path / "b.zip").write_text("not a zip")
    assert ".csv" in str(problem(tmp_path / "a.xlsx")) and "zip archive" in str(problem(tmp_path / "b.zip"))


def test_intervals_and_on_day(tmp_path):
    path = tmp_path / "tracks.csv"
    path.write_text("lat,lon,start,end\n13,2,2024-05-01,2024-05-10\n13,2,2024-05-05,\n13,2,2024-05-09,2024-05-09\n")
    layer = read_layer(path)
    assert layer.time_kind == "interval" and [p.row for p in layer.dropped] == [4]
    assert len(on_day(layer, "2024-05-02")) == 1 and len(on_day(layer, "2024-05-10")) == 1
    assert len(on_day(layer, "2024-05-09")) == 2


def test_instants_show_within_the_window(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("lat,lon,event_date\n13,2,2024-05-01\n13,2,2024-05-31T18:00:00+00:00\n")
    layer = read_layer(path)
    visible = {day: len(on_day(layer, day, window_days=30)) for day in ["2024-04-30", "2024-05-01", "2024-05-30",
                                                                       "2024-05-31", "2024-06-01"]}
    assert visible == {"2024-04-30": 0, "2024-05-01": 1, "2024-05-30": 1, "2024-05-31": 1, "2024-06-01": 1}


def test_timeless_rows_always_show_and_reserved_columns_are_renamed(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("lat,lon,layer,name\n13,2,mine,\n")
    layer = read_layer(path)
    assert layer.time_kind == "none" and len(on_day(layer, "1990-01-01")) == 1
    assert layer.frame.loc[0, "orig_layer"] == "mine" and layer.frame.loc[0, "name"] == "2"


def test_kml_empty_time_columns_do_not_count(tmp_path):
    path = WRITERS["kml"](points_frame().drop(columns="event_date"), tmp_path / "nodates.kml")
    assert read_layer(path).time_kind == "none"


def test_choices_are_fields_of_the_problem(tmp_path):
    ambiguous = problem(FIXTURES / "ambiguous.csv")
    assert (ambiguous.question, ambiguous.candidates) == ("coordinates", ("date", "lat", "latitude", "lon"))
    path = tmp_path / "plain.csv"
    path.write_text("date,place\n2024-05-01,Niamey\n")
    assert (problem(path).question, problem(path).candidates) == ("coordinates", ("date", "place"))
    gpkg = tmp_path / "two_layers.gpkg"
    pyogrio.write_dataframe(points_frame(), gpkg, layer="a, b")
    pyogrio.write_dataframe(points_frame(), gpkg, layer="c", append=True)
    assert (problem(gpkg).question, problem(gpkg).candidates) == ("layer", ("a, b", "c"))
    assert problem(FIXTURES / "mojibake.csv").question is None and problem(FIXTURES / "mojibake.csv").candidates == ()


def test_problems_do_not_hold_the_upload(tmp_path):
    error = problem(FIXTURES / "mojibake.csv")
    assert error.__context__ is None and error.__cause__ is None
    frames, tb = [], error.__traceback__
    while tb is not None:
        frames, tb = [*frames, tb.tb_frame.f_code.co_name], tb.tb_next
    assert frames[-1] == "read_layer"  # no reader's frame (holding the bytes in `raw`) stays alive


@pytest.mark.parametrize("column", ["location", "Place", "site"])
def test_place_columns_label_rows(tmp_path, column):
    path = tmp_path / "places.csv"
    path.write_text(f"lat,lon,{column}\n13,2,Niamey\n")
    assert read_layer(path).frame["name"].tolist() == ["Niamey"]
