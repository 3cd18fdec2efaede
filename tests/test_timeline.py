"""Half-open intervals and step-function strengths: first day in, end day out, open ends, before and after."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo.data.timeline import active_mask, format_day, latest_report, segments, strength_on

START = pd.Series(pd.to_datetime(["2024-01-10", None, "2024-01-10"]))
END = pd.Series(pd.to_datetime(["2024-01-20", "2024-01-20", None]))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-01-09", [False, True, False]),   # before the first record
        ("2024-01-10", [True, True, True]),     # first day in
        ("2024-01-19", [True, True, True]),
        ("2024-01-20", [False, False, True]),   # end day out; open end stays
        ("2030-01-01", [False, False, True]),   # long after the last record
    ],
)
def test_active_mask_half_open(day, expected):
    assert active_mask(START, END, day).tolist() == expected


def reports() -> pd.DataFrame:
    return pd.DataFrame({
        "actor_id": ["USA", "USA", "USA", "RUS"],
        "site_id": ["", "", "AB", ""],
        "country": ["NER"] * 4,
        "as_of": pd.to_datetime(["2023-09-07", "2024-04-01", "2024-07-05", "2024-04-10"]),
        "as_of_precision": ["day", "month", "day", "day"],
        "strength_min": pd.array([1100, 946, None, 100], dtype="Int64"),
        "strength_max": pd.array([1100, 1000, 500, 100], dtype="Int64"),
        "source_ids": ["A", "B;C", "D", "E"],
    })


def test_strength_is_a_step_function_never_interpolated():
    frame = reports()
    on = lambda day: strength_on(frame, actor_id="USA", site_id="XX", country="NER", day=pd.Timestamp(day))
    assert on("2023-09-06") is None  # before the first report
    assert (on("2023-09-07").low, on("2023-09-07").high) == (1100, 1100)
    assert (on("2024-03-31").low, on("2024-03-31").high) == (1100, 1100)  # unchanged until the next report
    later = on("2024-04-01")
    assert (later.low, later.high, later.source_ids, later.scope) == (946, 1000, "B;C", "country")
    assert on("2030-01-01").high == 1000  # after the last report, the last one holds


def test_site_report_takes_precedence_over_country():
    frame = reports()
    site = strength_on(frame, actor_id="USA", site_id="AB", country="NER", day=pd.Timestamp("2024-07-05"))
    assert (site.low, site.high, site.scope, site.label()) == (None, 500, "site", "<= 500")
    country = strength_on(frame, actor_id="USA", site_id="AB", country="NER", day=pd.Timestamp("2024-07-04"))
    assert country.scope == "country" and country.label() == "946-1,000"


def test_latest_report_ties_keep_file_order():
    frame = pd.DataFrame({"as_of": pd.to_datetime(["2024-01-01", "2024-01-01"]), "v": [1, 2]})
    assert latest_report(frame, pd.Timestamp("2024-01-01"))["v"] == 2


def test_segments_cut_only_inside():
    a, b, c = (pd.Timestamp(d) for d in ("2024-01-01", "2024-02-01", "2024-03-01"))
    assert segments([b, c, pd.NaT, a], a, c) == [(a, b), (b, c)]
    assert segments([b]) == [(None, b), (b, None)]
    assert segments([], a, None) == [(a, None)]


@pytest.mark.parametrize(
    ("precision", "text"),
    [("day", "7 Jul 2024"), ("month", "Jul 2024"), ("year", "2024"), ("before", "by 7 Jul 2024")],
)
def test_format_day_shows_precision(precision, text):
    assert format_day(pd.Timestamp(dt.date(2024, 7, 7)), precision) == text
    assert format_day(None) == ""
