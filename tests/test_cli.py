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
        "'latitude', 'lat': choose with lat=",
        "hint: name the coordinate columns with --lat COLUMN --lon COLUMN (candidates: latitude, lat)"]
    assert not (tmp_path / "out").exists()
    assert run_cli(command, *args, *layer, "--lat", "latitude", "--lon", "lon").returncode == 0


@pytest.mark.parametrize("name, message", [
    ("traversal.zip", "--layer traversal.zip: got '../evil.shp': expected members with relative paths inside"),
    ("missing.csv", "--layer missing.csv: got "),
    ("latin1.csv", "--layer latin1.csv, row 2: got 'byte(s) e9 at byte offset 65': expected UTF-8 text"),
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
