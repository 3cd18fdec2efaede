"""Half-open intervals and step-function strengths: first day in, end day out, open ends, before and after."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo.data.timeline import Reading, active_mask, effective_days, format_day, latest_report, segments, strength_steps

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


def strength_on(strengths: pd.DataFrame, *, day: pd.Timestamp, **who: str):
    """The figure on one day, as a deployment's piece asks for it."""
    return strength_steps(strengths, **who)(day)


def reports() -> pd.DataFrame:
    return pd.DataFrame({
        "actor_id": ["USA", "USA", "USA", "RUS", "USA", "USA"],
        "site_id": ["", "", "AB", "", "", "AB"],
        "country": ["NER"] * 6,
        "as_of": pd.to_datetime(["2023-09-07", "2024-04-01", "2024-07-05", "2024-04-10", "2024-04-19", "2024-07-06"]),
        "as_of_precision": ["day", "month", "day", "day", "day", "day"],
        "reported": pd.to_datetime(["2023-09-07", "2024-04-12", "2024-07-05", "2024-05-05", "2024-04-20",
                                    "2024-07-06"]),
        "strength_min": pd.array([1100, 946, None, 100, 1000, 60], dtype="Int64"),
        "strength_max": pd.array([1100, 1000, 500, 100, None, 60], dtype="Int64"),
        "qualifier": ["about", "exact", "fewer_than", "about", "more_than", "exact"],
        "measure": ["present", "present", "present", "present", "present", "departed"],
        "source_ids": ["A", "B;C", "D", "E", "F", "G"],
    })


def test_strength_is_a_step_function_never_interpolated():
    frame = reports()
    steps = strength_steps(frame, actor_id="USA", site_id="", country="NER")
    on = lambda day: steps(pd.Timestamp(day))
    assert on("2023-09-06") is None  # before the first report
    assert (on("2023-09-07").low, on("2023-09-07").high) == (1100, 1100)
    assert on("2023-09-07") is on("2024-04-11")  # one step, one figure built
    assert (on("2024-04-11").low, on("2024-04-11").high) == (1100, 1100)  # a month figure waits for its publication
    later = on("2024-04-12")
    assert (later.low, later.high, later.source_ids, later.scope) == (946, 1000, "B;C", "country")
    assert on("2024-04-19").low == 946  # describes 19 Apr, published 20 Apr: not yet known on the 19th
    assert on("2024-04-20").label() == "> 1,000"  # in effect from its publication
    assert (on("2030-01-01").low, on("2030-01-01").label()) == (1000, "> 1,000")  # the last one holds


def test_a_figure_takes_effect_when_published_never_on_the_earlier_day_it_describes():
    frame = reports()
    russia = lambda day: strength_on(frame, actor_id="RUS", site_id="", country="NER", day=pd.Timestamp(day))
    assert russia("2024-05-04") is None  # describes 10 Apr, published 5 May
    assert russia("2024-05-05").effective == pd.Timestamp("2024-05-05")
    late = frame.assign(as_of=pd.to_datetime("2024-06-01"))  # describes a day after publication: takes effect then
    assert strength_on(late, actor_id="RUS", site_id="", country="NER", day=pd.Timestamp("2024-05-20")) is None
    assert strength_on(late, actor_id="RUS", site_id="", country="NER", day=pd.Timestamp("2024-06-01")).low == 100


def test_site_and_country_figures_never_stand_in_for_each_other():
    frame = reports()
    site = strength_on(frame, actor_id="USA", site_id="AB", country="NER", day=pd.Timestamp("2024-07-05"))
    assert (site.low, site.high, site.scope, site.label()) == (None, 500, "site", "< 500")
    assert strength_on(frame, actor_id="USA", site_id="AB", country="NER", day=pd.Timestamp("2024-07-04")) is None
    departed = strength_on(frame, actor_id="USA", site_id="AB", country="NER", day=pd.Timestamp("2024-07-06"),
                           measure="departed")
    assert departed.label() == "60 departed"
    assert strength_on(frame, actor_id="USA", site_id="AB", country="NER", day=pd.Timestamp("2024-07-06")).high == 500


def test_readings_of_one_day_are_kept_side_by_side():
    frame = pd.concat([reports(), reports().iloc[[4]].assign(qualifier="about", strength_max=1000, source_ids="H")])
    both = strength_on(frame, actor_id="USA", site_id="", country="NER", day=pd.Timestamp("2024-05-01"))
    assert (both.label(), both.low, both.high, both.source_ids) == ("> 1,000 / ~1,000", 1000, None, "F;H")


@pytest.mark.parametrize(
    ("reading", "text"),
    [
        (Reading(1000, None, "fewer_than"), "< 1,000"), (Reading(None, 1000, "fewer_than"), "< 1,000"),
        (Reading(1000, 1000, "about"), "~1,000"), (Reading(1400, 1500), "1,400-1,500"),
        (Reading(1000, 1000, "nearly"), "nearly 1,000"), (Reading(1000, None, "more_than"), "> 1,000"),
        (Reading(None, 120, "up_to"), "≤ 120"), (Reading(100, None, "at_least"), "≥ 100"),
        (Reading(193, 193, "exact", "departed"), "193 departed"),
    ],
)
def test_labels_keep_the_wording(reading, text):
    assert reading.label() == text


def test_latest_report_keeps_every_reading_of_the_last_day():
    days = pd.to_datetime(["2023-12-01", "2024-01-01", "2024-01-01"])
    frame = pd.DataFrame({"as_of": days, "as_of_precision": "day", "reported": days, "v": [1, 2, 3]})
    assert frame[latest_report(effective_days(frame), pd.Timestamp("2024-01-01"))]["v"].tolist() == [2, 3]
    assert not latest_report(effective_days(frame), pd.Timestamp("2023-11-30")).any()


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
