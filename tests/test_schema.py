"""Each validation rule fires with a message naming file, row, field, value and what was expected."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.dataset import SEED_TEXT, load_dataset
from geo.data.schema import SeedError
from tests.conftest import write_seeds


def problems_for(tmp_path, tables) -> list:
    with pytest.raises(SeedError) as caught:
        load_dataset(write_seeds(tmp_path / "seeds", tables))
    return caught.value.problems


def only(problems, field):
    matching = [p for p in problems if p.field == field]
    assert matching, f"no problem for {field}: {problems}"
    return matching[0]


def test_valid_fixture_loads(dataset):
    assert set(dataset.tables) >= {"sources", "sites", "deployments", "strengths", "events"}
    assert len(dataset.version) == 12


def test_cells_are_typed_by_their_column_kind_empty_ones_missing_text_kept(tmp_path, tables):
    tables["sites"][0]["name"] = "  Base One "
    tables["deployments"][1]["notes"] = ""
    dataset = load_dataset(write_seeds(tmp_path / "seeds", tables))
    sites, deployments, strengths = dataset["sites"], dataset["deployments"], dataset["strengths"]
    assert str(deployments["start"].dtype) == "datetime64[s]" and deployments["start"].iloc[0] == pd.Timestamp("2023-01-01")
    assert pd.isna(deployments["end"].iloc[1]) and deployments["notes"].iloc[1] == ""  # an empty date is missing, text not
    assert str(sites["lon"].dtype) == "float64" and pd.isna(sites["lon"].iloc[-1])
    assert str(strengths["strength_min"].dtype) == "Int64" and strengths["strength_min"].tolist() == [1100, 946, pd.NA]
    assert sites["name"].iloc[0] == "Base One" and sites["name"].dtype == SEED_TEXT
    assert list(sites.index) == list(range(2, 2 + len(sites)))  # rows numbered as a spreadsheet shows them


@pytest.mark.parametrize(
    ("table", "index", "field", "value", "expected_fragment"),
    [
        ("deployments", 0, "start", "2024-13-01", "ISO 8601 date"),
        ("deployments", 0, "start", "03/05/2024", "ISO 8601 date"),
        ("deployments", 0, "start_precision", "week", "one of day, month, year, before"),
        ("sites", 0, "lat", "95", "a number from -90 to 90"),
        ("sites", 0, "country", "Niger", "ISO 3166 alpha-3"),
        ("actors", 0, "colour", "blue", "a colour like"),
        ("sources", 0, "url", "www.example.org", "http(s):// URL"),
        ("strengths", 0, "strength_min", "about 100", "a whole number"),
        ("events", 0, "confidence", "certain", "one of high, medium, low"),
        ("events", 0, "title", "", "a value (required)"),
    ],
)
def test_cell_rules(tmp_path, tables, table, index, field, value, expected_fragment):
    tables[table][index][field] = value
    problem = only(problems_for(tmp_path, tables), field)
    assert (problem.file, problem.row, problem.value) == (f"{table}.csv", index + 2, value)
    assert expected_fragment in problem.expected
    assert f"{table}.csv, row {index + 2}, field '{field}'" in str(problem)


def test_end_before_start(tmp_path, tables):
    tables["deployments"][0]["end"] = "2022-01-01"
    problem = only(problems_for(tmp_path, tables), "end")
    assert problem.row == 2 and "a date after start 2023-01-01" in problem.expected


def test_end_equal_to_start_is_an_empty_interval(tmp_path, tables):
    tables["deployments"][0]["end"] = tables["deployments"][0]["start"]
    assert only(problems_for(tmp_path, tables), "end").value == "2023-01-01"


def test_unknown_site_and_missing_source(tmp_path, tables):
    tables["deployments"][1]["site_id"] = "ATLANTIS"
    tables["events"][0]["source_ids"] = "SRC1;NOPE"
    problems = problems_for(tmp_path, tables)
    assert only(problems, "site_id").value == "ATLANTIS" and only(problems, "site_id").row == 3
    assert only(problems, "source_ids").value == "NOPE"
    assert "an id from sources.csv" in only(problems, "source_ids").expected


def test_row_without_any_source(tmp_path, tables):
    tables["strengths"][0]["source_ids"] = ""
    assert only(problems_for(tmp_path, tables), "source_ids").expected == "a value (required)"


def test_coordinates_outside_claimed_country(tmp_path, tables):
    tables["sites"][3]["country"] = "NER"  # FAR lies in the TCD square
    problem = only(problems_for(tmp_path, tables), "lon/lat")
    assert problem.row == 5 and "inside NER" in problem.expected


def test_month_precision_needs_first_of_month(tmp_path, tables):
    tables["strengths"][1]["as_of"] = "2024-04-15"
    assert "first day of the month" in only(problems_for(tmp_path, tables), "as_of").expected


def test_strength_range_and_emptiness(tmp_path, tables):
    tables["strengths"][1]["strength_min"] = 2000
    tables["strengths"][2]["strength_max"] = ""
    problems = [p for p in problems_for(tmp_path, tables) if p.field == "strength_max"]
    assert [p.row for p in problems] == [3, 4]


def test_duplicate_id_and_claim_row(tmp_path, tables):
    tables["events"][1]["event_id"] = "E1"
    tables["claims"][0]["rows"] = "events:E9"
    problems = problems_for(tmp_path, tables)
    assert only(problems, "event_id").row == 3
    assert only(problems, "rows").value == "events:E9"


def test_every_problem_collected_in_one_error(tmp_path, tables):
    tables["deployments"][0]["start"] = "bad"
    tables["sites"][0]["lat"] = "95"
    tables["events"][0]["kind"] = ""
    error_text = str(pytest.raises(SeedError, load_dataset, write_seeds(tmp_path / "s", tables)).value)
    assert error_text.startswith("3 problem(s)")
    assert "deployments.csv, row 2" in error_text and "sites.csv, row 2" in error_text


def test_missing_file_and_missing_column(tmp_path, tables):
    seeds = write_seeds(tmp_path / "seeds", tables)
    (seeds / "data" / "people.csv").unlink()
    text = (seeds / "data" / "movements.csv").read_text().replace("mode,", "", 1)
    (seeds / "data" / "movements.csv").write_text(text)
    with pytest.raises(SeedError) as caught:
        load_dataset(seeds)
    fields = {(p.file, p.field) for p in caught.value.problems}
    assert ("people.csv", "file") in fields and ("movements.csv", "mode") in fields


def test_wrong_encoding_is_a_problem_not_a_crash(tmp_path, tables):
    seeds = write_seeds(tmp_path / "seeds", tables)
    (seeds / "data" / "actors.csv").write_bytes("actor_id,name\nX,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(SeedError) as caught:
        load_dataset(seeds)
    assert caught.value.problems[0].file == "actors.csv"


def test_missing_boundaries_are_a_problem_not_a_crash(tmp_path, tables):
    seeds = write_seeds(tmp_path / "seeds", tables)
    (seeds / "boundaries" / "admin0.geojson").unlink()
    with pytest.raises(SeedError) as caught:
        load_dataset(seeds)
    assert [(p.file, p.field) for p in caught.value.problems] == [("scenario.toml", "boundaries")]
    assert "admin0.geojson" in caught.value.problems[0].expected
