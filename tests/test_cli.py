"""The command line: exit codes, the summary's JSON shape, and clear reports instead of tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main
from tests.conftest import write_seeds


def run_json(capsys, *argv) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_validate_ok(seeds, capsys):
    assert main(["validate", str(seeds)]) == 0
    assert "valid" in capsys.readouterr().out


def test_summary_json_shape(seeds, capsys):
    state = run_json(capsys, "summary", "--date", "2024-05-03", "--json", "--seeds", str(seeds))
    assert set(state) >= {"date", "deployments", "events"} and state["date"] == "2024-05-03"
    by_actor = {d["actor_id"]: d for d in state["deployments"]}
    assert set(by_actor) == {"USA", "RUS"}
    us = by_actor["USA"]
    assert (us["strength_min"], us["strength_max"], us["strength_as_of"]) == (None, None, "")  # no site figure yet
    assert (us["certainty"], us["start_earliest"], us["start_latest"]) == ("certain", "2023-01-01", "2023-01-01")
    assert (us["end_earliest"], us["end_latest"]) == ("2024-07-07", "2024-07-07")
    assert by_actor["RUS"]["end_earliest"] is None  # open: no end recorded
    assert us["source_ids"] == ["SRC1"] and us["site_name"] == "US compound"
    figures = [(f["actor_id"], f["strength_min"], f["strength_max"], f["strength_label"], f["as_of"], f["source_ids"])
               for f in state["country_figures"]]
    assert figures == [("USA", 946, 1000, "946-1,000", "Apr 2024", ["SRC1", "SRC2"])]
    assert isinstance(us["lon"], float) and us["status"] == "withdrawing"
    assert [e["event_id"] for e in state["events"]] == ["E2", "E1"]  # the day and the 30 days before it


def test_summary_text(seeds, capsys):
    assert main(["summary", "--date", "2024-05-03", "--seeds", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert "USA" in out and "USA  in NER: 946-1,000 as of Apr 2024 (32 days earlier)" in out


@pytest.mark.parametrize("bad", ["2024-5-3", "03/05/2024", "2024-02-30", "yesterday"])
def test_bad_date_exit_2(seeds, capsys, bad):
    with pytest.raises(SystemExit) as caught:
        main(["summary", "--date", bad, "--seeds", str(seeds)])
    assert caught.value.code == 2
    assert "expected a date as YYYY-MM-DD" in capsys.readouterr().err


def test_broken_seeds_one_report_exit_1(tmp_path, tables):
    tables["deployments"][0]["start"] = "2024-02-30"
    tables["deployments"][0]["end"] = ""
    tables["movements"][0]["end"] = "2023-09-01"
    tables["deployments"][1]["site_id"] = "ATLANTIS"
    tables["sites"][3]["country"] = "NER"
    tables["events"][0]["source_ids"] = ""
    seeds = write_seeds(tmp_path / "seeds", tables)
    result = subprocess.run([sys.executable, "-m", "geo", "validate", str(seeds)], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "deployments.csv, row 2, field 'start': got '2024-02-30'" in result.stderr
    assert "events.csv, row 2, field 'source_ids'" in result.stderr
    assert "deployments.csv, row 3, field 'site_id': got 'ATLANTIS'" in result.stderr
    assert "sites.csv, row 5, field 'lon/lat': got '15, 15', expected a point inside NER" in result.stderr
    assert "movements.csv, row 2, field 'end': got '2023-09-01', expected a date after start" in result.stderr
    assert result.stderr.startswith("5 problem(s)")


def test_missing_seeds_folder_exit_1(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope")]) == 1
    assert "sources.csv" in capsys.readouterr().err


FIXTURES = Path(__file__).parent / "fixtures" / "import"


def test_summary_lists_imported_layer_on_the_day(seeds, capsys):
    """Instants show for EVENT_WINDOW_DAYS days: on 5 June the 12 May row is in, the 1 May row is out."""
    state = run_json(capsys, "summary", "--date", "2024-06-05", "--json", "--seeds", str(seeds),
                     "--layer", str(FIXTURES / "acled_sample.csv"))
    assert {"date", "deployments", "events", "layers"} <= set(state) and state["deployments"]
    (layer,) = state["layers"]
    counts = (layer["name"], layer["time"], layer["rows"], layer["on_day"], layer["dropped"])
    assert counts == ("acled_sample", "instant", 2, 1, 3)
    assert layer["file"].endswith("acled_sample.csv")
    assert layer["dropped_reasons"][0] == ("acled_sample.csv, row 4, column 'event_date': got 'not a date': "
                                           "expected a date like 2024-05-12 or 12 May 2024")
    (feature,) = layer["features"]
    assert (feature["start_date"], feature["lon"], feature["lat"]) == ("2024-05-12", 2.1254, 13.5116)


def test_summary_text_and_json_without_layers(seeds, capsys):
    assert run_json(capsys, "summary", "--date", "2024-05-03", "--json", "--seeds", str(seeds))["layers"] == []
    layer = ["--layer", str(FIXTURES / "acled_sample.csv")]
    assert main(["summary", "--date", "2024-05-03", "--seeds", str(seeds), *layer]) == 0
    out = capsys.readouterr().out
    assert "Imported layer acled_sample" in out and "1 of 2 feature(s) on the day, 3 row(s) dropped" in out
    assert "dropped: acled_sample.csv, row 5, column 'latitude': got '95'" in out


def run_cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *argv], capture_output=True, text=True)


@pytest.mark.parametrize("command", ["summary", "export"])
def test_ambiguous_columns_exit_2_with_candidates_and_flags(seeds, tmp_path, command):
    args = ["--date", "2024-05-03"] if command == "summary" else ["--format", "geojson", "--out", str(tmp_path / "out")]
    layer = ["--seeds", str(seeds), "--layer", str(FIXTURES / "ambiguous.csv")]
    result = run_cli(command, *args, *layer)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"python -m geo {command}: error: --layer ambiguous.csv: expected one latitude column, found candidates "
        "'latitude', 'lat'",
        "hint: choose with --lat COLUMN --lon COLUMN (one of: date, lat, latitude, lon)"]
    assert not (tmp_path / "out").exists()
    assert run_cli(command, *args, *layer, "--lat", "latitude", "--lon", "lon").returncode == 0


@pytest.mark.parametrize("name, message", [
    ("traversal.zip", "--layer traversal.zip: got '../evil.shp': expected members with relative paths inside"),
    ("missing.csv", "--layer missing.csv: got "),
    ("mojibake.csv", "--layer mojibake.csv, row 2, column 'name': got 'TillabÃ©ri': expected text saved once in one "
                     "encoding; this reads 'é' garbled as 'Ã©' (UTF-8 read as cp1252 and saved again): re-export the "
                     "file as UTF-8"),
])
def test_bad_layer_file_exit_2_one_message(seeds, capsys, name, message):
    assert main(["summary", "--date", "2024-05-03", "--seeds", str(seeds), "--layer", str(FIXTURES / name)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_help_documents_layers_and_exit_codes(capsys):
    for command in ("summary", "export"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert all(option in text for option in ("--layer FILE", "--lat COLUMN", "--lon COLUMN", "--file-layer NAME"))
        assert "exit status: 0 done; 1 the seeds are invalid" in text and "2 bad arguments" in text


def test_unreadable_layer_file_exit_2(seeds, capsys, monkeypatch):
    def refuse(path, **options):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("geo.exports.frames.read_layer", refuse)
    assert main(["summary", "--date", "2024-05-03", "--seeds", str(seeds), "--layer", "secret.csv"]) == 2
    err = capsys.readouterr().err
    assert err == "python -m geo summary: error: --layer secret.csv: got 'Permission denied': expected a readable file\n"


@pytest.mark.parametrize(("content", "message", "advice", "answer"), [
    (b"date,lat,lon\n03/04/2024,13.5,2.1\n05/06/2024,16.9,7.9\n",
     "--layer f.csv, row 2, column 'date': got '03/04/2024': expected numeric dates in one day/month order: every "
     "value fits both orders (day first: 03/04/2024 = 3 April 2024; month first: 03/04/2024 = 4 March 2024)",
     "hint: choose with --dayfirst (day first: 03/04/2024 = 3 April 2024) or --monthfirst (month first: 03/04/2024 = "
     "4 March 2024)", ["--monthfirst"]),
    (b"name|alias;lat;lon\nA|a;13.5;2.1\n",
     "--layer f.csv, row 1: got 'name|alias;lat;lon': expected one field separator: semicolon ';' and pipe '|' each "
     "split every row alike",
     "hint: choose with --sep semicolon (semicolon ';': 3 columns) or --sep pipe (pipe '|': 2 columns)",
     ["--sep", "semicolon"]),
    (b"lat;lon\n13,5;2,1\n13.6;2.2\n",
     "--layer f.csv, row 2, column 'lat': got '13,5': expected one decimal mark in the coordinate columns, found a "
     "comma here and a point in row 3 of 'lat' ('13.6')",
     "hint: choose with --decimal '.' (point: 13.51) or --decimal ',' (comma: 13,51)", ["--decimal", ","]),
])
def test_open_choices_exit_2_naming_the_flag_then_read(seeds, tmp_path, capsys, content, message, advice, answer):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    args = ["summary", "--date", "2024-05-03", "--seeds", str(seeds), "--layer", str(path)]
    assert main(args) == 2
    assert capsys.readouterr().err.splitlines() == [f"python -m geo summary: error: {message}", advice]
    assert main([*args, *answer]) == 0


def test_summary_says_how_a_file_was_read(seeds, capsys):
    args = ["summary", "--date", "2024-05-03", "--seeds", str(seeds), "--layer", str(FIXTURES / "excel_fr.csv")]
    assert main(args) == 0
    assert ("  read with encoding: cp1252; separator: semicolon ';'; decimal mark: comma; date order: day first"
            in capsys.readouterr().out.splitlines())
    state = run_json(capsys, *args, "--json")
    assert state["layers"][0]["read"]["date order"] == "day first"


def test_a_hostile_file_exits_2_with_one_message(seeds, tmp_path, capsys):
    from tests.hostile import wide_csv

    path = wide_csv(tmp_path)
    assert main(["summary", "--date", "2024-05-03", "--seeds", str(seeds), "--layer", str(path)]) == 2
    assert capsys.readouterr().err == ("python -m geo summary: error: --layer wide.csv, row 1: got '200,000 columns': "
                                       "expected at most 2,000 columns\n")
def two_layer_gpkg(folder: Path) -> Path:
    """A GeoPackage holding two layers: 'camps' (two dated points) and 'roads' (one undated line)."""
    import geopandas as gpd
    import shapely

    path = folder / "field.gpkg"
    camps = gpd.GeoDataFrame({"name": ["Camp A", "Camp B"], "event_date": ["2024-05-01", "2024-05-02"]},
                             geometry=[shapely.Point(2.1, 13.5), shapely.Point(8.0, 16.9)], crs="EPSG:4326")
    roads = gpd.GeoDataFrame({"name": ["Route 1"]}, geometry=[shapely.LineString([(2.1, 13.5), (8.0, 16.9)])],
                             crs="EPSG:4326")
    camps.to_file(path, layer="camps", driver="GPKG")
    roads.to_file(path, layer="roads", driver="GPKG")
    return path


def test_file_layer_chooses_the_layer_inside_a_geopackage(seeds, tmp_path, capsys):
    gpkg = two_layer_gpkg(tmp_path)
    base = ["--seeds", str(seeds), "--layer", str(gpkg)]
    out = tmp_path / "out"
    result = run_cli("export", "--format", "geojson", "--out", str(out), *base)
    assert result.returncode == 2 and "Traceback" not in result.stderr and not out.exists()
    assert "--file-layer NAME (one of: camps, roads)" in result.stderr
    assert main(["export", "--format", "geojson", "--out", str(out), *base, "--file-layer", "roads"]) == 0
    [written] = [p for p in out.iterdir() if "field" in p.name]
    features = json.loads(written.read_text(encoding="utf-8"))["features"]
    assert [(f["properties"]["name"], f["geometry"]["type"]) for f in features] == [("Route 1", "LineString")]
    capsys.readouterr()
    state = run_json(capsys, "summary", "--date", "2024-05-03", "--json", *base, "--file-layer", "camps")
    [layer] = state["layers"]
    assert (layer["rows"], layer["on_day"]) == (2, 2)
    assert sorted(f["name"] for f in layer["features"]) == ["Camp A", "Camp B"]
    result = run_cli("summary", "--date", "2024-05-03", *base, "--file-layer", "rivers")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) <= 2 and "rivers" in result.stderr
