"""Start and end windows from their precision, and presence on a day: certain, uncertain or none (hand-made cases)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.windows import Window, describe, presence, span, window

T = pd.Timestamp


@pytest.mark.parametrize(
    ("date", "precision", "latest", "expected"),
    [
        ("2024-07-07", "day", None, ("2024-07-07", "2024-07-07")),
        ("2024-02-01", "month", None, ("2024-02-01", "2024-02-29")),
        ("2016-01-01", "year", None, ("2016-01-01", "2016-12-31")),
        ("2023-07-26", "before", None, (None, "2023-07-26")),
        ("2024-03-01", "after", None, ("2024-03-01", None)),
        ("2024-04-10", "between", "2024-05-02", ("2024-04-10", "2024-05-02")),
    ],
)
def test_window_from_precision(date, precision, latest, expected):
    got = window(T(date), precision, None if latest is None else T(latest))
    assert got == Window(*(None if d is None else T(d) for d in expected))


# The Russian case: arrived between 10 Apr and 2 May 2024, no end recorded.
ARRIVING = span(T("2024-04-10"), "between", T("2024-05-02"), None, "", None)
# The embassy case: there by 5 Aug 2024 (start 'before'), gone on or before 16 Sep 2024 (end 'before').
EMBASSY = span(T("2024-08-05"), "before", None, T("2024-09-16"), "before", None)
# An end 'after': still there on 29 Feb 2024, first day gone unknown.
LEAVING_LATE = span(T("2012-01-01"), "year", None, T("2024-03-01"), "after", None)


@pytest.mark.parametrize(
    ("stay", "day", "expected"),
    [
        (ARRIVING, "2024-04-09", None), (ARRIVING, "2024-04-10", "uncertain"), (ARRIVING, "2024-05-01", "uncertain"),
        (ARRIVING, "2024-05-02", "certain"), (ARRIVING, "2030-01-01", "certain"),
        (EMBASSY, "2020-01-01", "uncertain"), (EMBASSY, "2024-08-05", "certain"), (EMBASSY, "2024-08-06", "uncertain"),
        (EMBASSY, "2024-09-15", "uncertain"), (EMBASSY, "2024-09-16", None),
        (LEAVING_LATE, "2011-12-31", None), (LEAVING_LATE, "2012-06-01", "uncertain"),
        (LEAVING_LATE, "2024-02-29", "certain"), (LEAVING_LATE, "2024-03-01", "uncertain"),
        (LEAVING_LATE, "2035-01-01", "uncertain"),
    ],
)
def test_presence_on_a_day(stay, day, expected):
    assert presence(stay, T(day)) == expected


def test_an_end_open_early_is_after_the_day_a_source_places_the_force():
    assert (EMBASSY.end_earliest, EMBASSY.end_latest) == (T("2024-08-06"), T("2024-09-16"))
    assert span(T("2024-05-02"), "day", None, None, "", None).end_earliest is None  # no end at all


@pytest.mark.parametrize(
    ("days", "precision", "text"),
    [
        (Window(T("2024-04-10"), T("2024-05-02")), "between", "between 10 Apr 2024 and 2 May 2024"),
        (Window(None, T("2024-09-16")), "before", "on or before 16 Sep 2024"),
        (Window(T("2024-03-01"), None), "after", "on or after 1 Mar 2024"),
        (Window(T("2024-05-01"), T("2024-05-31")), "month", "May 2024"),
        (Window(T("2024-07-07"), T("2024-07-07")), "day", "7 Jul 2024"),
    ],
)
def test_describe_a_window(days, precision, text):
    assert describe(days, precision) == text
