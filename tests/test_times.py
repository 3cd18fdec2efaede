"""geo.imports.times: numeric dates read in one day/month order, settled by one value or asked with both readings."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.imports.common import ImportProblem
from geo.imports.times import read_times


def times(values: list[str], **options):
    return read_times("f.csv", pd.DataFrame({"date": values}, index=range(2, 2 + len(values))), **options)


@pytest.mark.parametrize(("values", "order", "first"), [
    (["03/04/2024", "25/04/2024"], "dayfirst", "2024-04-03"), (["03/04/2024", "04/25/2024"], "monthfirst", "2024-03-04"),
    (["03 May 2024", "2024-05-01"], None, "2024-05-03"), (["03.03.24", "13.05.2024 14:30"], "dayfirst", "2024-03-03"),
    (["2024-05-03T10:00:00+02:00"], None, "2024-05-03 08:00"),
])
def test_one_value_settles_the_order(values, order, first):
    parsed = times(values)
    assert parsed.order == order and parsed.start.iloc[0] == pd.Timestamp(first)


def test_every_ambiguous_value_asks_with_both_readings():
    with pytest.raises(ImportProblem) as caught:
        times(["05/05/2024", "03/04/2024", "05/06/2024"])
    problem = caught.value
    assert (problem.row, problem.column, problem.value, problem.question) == (3, "date", "03/04/2024", "date_order")
    assert problem.examples == ("day first: 03/04/2024 = 3 April 2024", "month first: 03/04/2024 = 4 March 2024")
    assert times(["03/04/2024"], order="monthfirst").start.iloc[0] == pd.Timestamp("2024-03-04")


def test_conflicting_values_ask_and_the_other_order_drops_its_rows():
    with pytest.raises(ImportProblem, match="some values fit only day first, others only month first"):
        times(["25/04/2024", "04/25/2024"])
    parsed = times(["25/04/2024", "04/25/2024"], order="dayfirst")
    assert parsed.checks[1].bad.tolist() == [False, True]  # never silently swapped, as dateutil would
    assert "numeric dates day first" in parsed.checks[1].reason


def test_ucdp_date_end_is_inclusive():
    props = pd.DataFrame({"date_start": ["2024-05-03"], "date_end": ["2024-05-03"]})
    parsed = read_times("u.csv", props)
    assert parsed.kind == "interval" and parsed.end.iloc[0] == pd.Timestamp("2024-05-04") and not parsed.checks[1].bad.any()
