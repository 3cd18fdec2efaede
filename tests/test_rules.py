"""The record's rules in `validate`: date windows, figures' wording and publication, claims' quotes, confidence."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo.data.rules import allowed_confidence
from tests.conftest import write_seeds


@pytest.mark.parametrize(
    ("cited", "expected"),
    [
        ([("official", "US DoD")], "high"),
        ([("wire", "AP"), ("press", "CNN")], "high"),
        ([("wire", "AP"), ("press", "AP")], "medium"),  # two copies of one wire story count once
        ([("wire", "AP"), ("state_media", "TASS")], "medium"),  # state media never makes a second outlet
        ([("aggregator", "Wikipedia"), ("press", "CNN")], "high"),  # aggregators count with their outlet
        ([("aggregator", "Wikipedia")], "low"),
        ([("state_media", "TASS"), ("state_media", "Xinhua")], "low"),
    ],
)
def test_allowed_confidence(cited, expected):
    assert allowed_confidence(cited) == expected


def test_broken_rules_give_one_report_exit_1(tmp_path, tables):
    tables["deployments"][0].update(start_precision="between", start_latest="")
    tables["deployments"][1].update(end_latest="2024-06-01")
    tables["movements"][0].update(start_precision="between", start_latest="2023-09-07")
    tables["strengths"][0].update(reported="2023-09-01")
    tables["strengths"][2].update(strength_min="5")
    tables["claims"][0].update(quote="the base in June")
    tables["events"][0].update(source_ids="SRC2")  # one wire outlet rated high
    seeds = write_seeds(tmp_path / "seeds", tables)
    result = subprocess.run([sys.executable, "-m", "geo", "validate", str(seeds)], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    expected = [
        "deployments.csv, row 2, field 'start_latest': got '', expected the latest day when start_precision is 'between'",
        "deployments.csv, row 3, field 'end_latest': got '2024-06-01', expected empty unless end_precision is 'between' "
        "(it is '')",
        "movements.csv, row 2, field 'start_latest': got '2023-09-07', expected a day after start 2023-09-07",
        "strengths.csv, row 2, field 'reported': got '2023-09-01', expected a day on or after as_of 2023-09-07",
        "strengths.csv, row 4, field 'strength_min': got '5', expected empty when qualifier is 'up_to'",
        "events.csv, row 2, field 'confidence': got 'high', expected medium or lower (the confidence rule",
        "claims.csv, row 2, field 'quote': got 'the base in June', expected text found exactly once in "
        "documents/a.txt (found 0 times)",
    ]
    for line in expected:
        assert line in result.stderr
    assert result.stderr.startswith(f"{len(expected)} problem(s)")


def test_a_quote_found_twice_is_a_problem(tmp_path, tables):
    tables["claims"][0].update(quote="e")  # "Reportedly, Russians arrived at the base in May.": five e's
    seeds = write_seeds(tmp_path / "seeds", tables)
    result = subprocess.run([sys.executable, "-m", "geo", "validate", str(seeds)], capture_output=True, text=True)
    assert result.returncode == 1 and "(found 5 times)" in result.stderr


def test_the_bundled_seeds_keep_every_rule():
    result = subprocess.run([sys.executable, "-m", "geo", "validate"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
