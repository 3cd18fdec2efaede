"""geo.imports.textfile: hostile lines and headers refused early, encodings detected, separators sniffed, mojibake refused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from geo import settings
from geo.imports.common import ImportProblem
from geo.imports.reader import read_layer
from geo.imports.textfile import check_lines, decode, sniff_separator
from tests.hostile import empty_rows_csv, long_line_csv, wide_csv


def refused(path: Path) -> tuple[ImportProblem, float]:
    start = time.perf_counter()
    with pytest.raises(ImportProblem) as caught:
        read_layer(path)
    return caught.value, time.perf_counter() - start


def test_a_200000_column_header_is_refused_in_seconds(tmp_path):
    problem, seconds = refused(wide_csv(tmp_path))
    assert str(problem) == "wide.csv, row 1: got '200,000 columns': expected at most 2,000 columns" and seconds < 5


def test_a_100_mb_line_is_refused_in_seconds(tmp_path):
    problem, seconds = refused(long_line_csv(tmp_path))
    assert (problem.row, problem.value) == (2, "a line of 104,857,609 bytes") and seconds < 5
    assert f"lines of at most {settings.MAX_LINE_BYTES:,} bytes" in str(problem)


def test_millions_of_empty_rows_are_skipped_in_seconds(tmp_path):
    start = time.perf_counter()
    layer = read_layer(empty_rows_csv(tmp_path))
    assert len(layer.frame) == 1 and layer.dropped_count == 0 and time.perf_counter() - start < 10


@pytest.mark.parametrize(("raw", "row"), [(b"a\nbbbbbb\ncc", 2), (b"aaaaaa", 1), (b"a\n" * 10 + b"b" * 7, 11)])
def test_check_lines_names_the_long_line(raw, row):
    with pytest.raises(ImportProblem) as caught:
        check_lines("f.csv", raw, max_line=5)
    assert caught.value.row == row
    check_lines("f.csv", b"abcde\nabcde\n", max_line=5)


@pytest.mark.parametrize(("raw", "text", "encoding"), [
    ("Tillabéri".encode(), "Tillabéri", "utf-8"), ("\ufeffTillabéri".encode(), "Tillabéri", "utf-8-sig"),
    ("name\nTillabéri, Téra, Agadez – « fin »\n".encode("cp1252"), "name\nTillabéri, Téra, Agadez – « fin »\n", "cp1252"),
])
def test_decode_utf8_first_then_cp1252(raw, text, encoding):
    assert decode("f.csv", raw) == (text, encoding)


def test_decode_refuses_what_no_encoding_reads():
    with pytest.raises(ImportProblem) as caught:
        decode("f.csv", b"lat,lon\n13,2\n\x81\x8d\x8f\x90\x9d")
    assert caught.value.row == 3 and "re-save the file as UTF-8" in str(caught.value)


@pytest.mark.parametrize(("text", "sep"), [
    ("a,b\n1,2\n", ","), ("a;b\n1,5;2,5\n", ";"), ("a\tb\n1\t2\n", "\t"), ("a|b\n1|2\n", "|"),
    ('a,b\n"x;y",2\n', ","), ("geometry\nPOINT (1 2)\n", ","),
])
def test_sniff_separator(text, sep):
    assert sniff_separator("f.csv", text, default=",") == sep


def test_two_fitting_separators_are_asked():
    with pytest.raises(ImportProblem) as caught:
        sniff_separator("f.csv", "a;b,c\n1;2,3\n", default=",")
    problem = caught.value
    assert (problem.question, problem.candidates) == ("separator", (",", ";"))
    assert problem.examples == ("comma ',': 2 columns", "semicolon ';': 2 columns")


def test_double_encoded_utf8_is_refused_with_row_and_column(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("name,lat,lon\nNiamey,13.5,2.1\n" + "Agadez – fin".encode().decode("cp1252") + ",16.9,7.9\n")
    problem, _ = refused(path)
    assert (problem.row, problem.column, problem.value) == (3, "name", "Agadez â€“ fin")
    assert "this reads '–' garbled as 'â€“'" in str(problem)


def test_legitimate_accents_next_to_guillemets_are_not_mojibake(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text("name,lat,lon\nÉ«x»,13.5,2.1\n")
    assert read_layer(path).frame["orig_name"].tolist() == ["É«x»"]


def test_a_given_encoding_wins(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes("name,lat,lon\nTéra,14.0,0.75\n".encode("cp1252"))
    assert read_layer(path, encoding="latin-1").reading[0] == ("encoding", "latin-1")
    with pytest.raises(ImportProblem, match="encoding= the name of a text encoding"):
        read_layer(path, encoding="klingon")
