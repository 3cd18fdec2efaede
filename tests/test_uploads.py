"""geo.web.uploads: upload names never escape their folder, importer questions are recognised, big days become cells."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    result = uploads.read(FIXTURES / "mojibake.csv")
    assert isinstance(result, ImportProblem) and result.__traceback__ is None and result.__context__ is None
    assert isinstance(uploads.read(FIXTURES / "acled_sample.csv"), ImportedLayer)


def test_reading_line_says_how_the_file_was_read():
    line = uploads.reading_line(read_layer(FIXTURES / "excel_fr.csv"))
    assert line == ("encoding: cp1252; separator: semicolon ';'; decimal mark: comma; date order: day first")


def test_cell_size_halves_per_zoom_level():
    assert [uploads.cell_size(uploads.View(z, (0, 0, 1, 1))) for z in (4, 6, 7, 10)] == [2.0, 0.5, 0.25, 0.03125]
    assert uploads.cell_size(None) == 0.5 and uploads.cell_size(uploads.View(99, (0, 0, 1, 1))) == 0.5 / 2 ** 12


def test_question_is_built_from_the_problem_fields_not_its_message():
    columns = fail("t.csv", "anything at all", question="coordinates", candidates=("place", "y", "x"))
    note, fields = uploads.question(columns)
    assert note == "t.csv: expected anything at all."
    assert [(f.option, f.label, f.choices) for f in fields] == [("lat", "Latitude column of t.csv", ("place", "y", "x")),
                                                                ("lon", "Longitude column of t.csv", ("place", "y", "x"))]
    layers = fail("two.gpkg", "whatever", question="layer", candidates=("a, b", "c"))
    assert [(f.option, f.choices) for f in uploads.question(layers)[1]] == [("layer", ("a, b", "c"))]
    assert uploads.question(fail("x.csv", "UTF-8 text")) is None


@pytest.mark.parametrize(("name", "option", "choices", "shown"), [
    ("ambiguous_dates.csv", "date_order", ("dayfirst", "monthfirst"),
     ["day first: 03/04/2024 = 3 April 2024", "month first: 03/04/2024 = 4 March 2024"]),
    ("ambiguous.csv", "lat", ("date", "lat", "latitude", "lon"), ["date", "lat", "latitude", "lon"]),
])
def test_real_files_ask_their_question(name, option, choices, shown):
    (field, *_), problem = uploads.question(uploads.read(FIXTURES / name))[1], uploads.read(FIXTURES / name)
    assert (field.option, field.choices, [field.shown.get(c, c) for c in field.choices]) == (option, choices, shown)
    assert not uploads.answered(problem, {}) and uploads.answered(problem, {"lat": "a", "lon": "b", "date_order": "x"})


def test_separator_and_decimal_questions_show_readable_choices(tmp_path):
    both = tmp_path / "both.csv"
    both.write_text("a;b,c\n1;2,3\n4;5,6\n")
    (field,) = uploads.question(uploads.read(both))[1]
    assert field.option == "sep" and [field.shown[c] for c in field.choices] == [
        "comma ',': 2 columns", "semicolon ';': 2 columns"]
    mixed = tmp_path / "mixed.csv"
    mixed.write_text('lat;lon\n13,5;2,1\n13.6;2.2\n')
    (field,) = uploads.question(uploads.read(mixed))[1]
    assert field.option == "decimal" and [field.shown[c] for c in field.choices] == ["point: 13.51", "comma: 13,51"]
