"""The command line: exit codes, the summary's JSON shape, and clear reports instead of tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.__main__ import main
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
    assert (us["strength_min"], us["strength_max"], us["strength_as_of"]) == (946, 1000, "Apr 2024")
    assert us["source_ids"] == ["SRC1", "SRC2"] and us["site_name"] == "US compound"
    assert isinstance(us["lon"], float) and us["status"] == "withdrawing"
    assert [e["event_id"] for e in state["events"]] == ["E2", "E1"]  # the day and the 30 days before it


def test_summary_text(seeds, capsys):
    assert main(["summary", "--date", "2024-05-03", "--seeds", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert "USA" in out and "946-1,000 as of Apr 2024" in out


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
