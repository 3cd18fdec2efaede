"""geo.web.chart: one bar per deployment in its force's colour, milestone ticks, a rule at the day."""

from __future__ import annotations

import datetime as dt

from geo.web import chart

BOUNDS = (dt.date(2023, 7, 26), dt.date(2024, 9, 30))


def test_rows_end_open_deployments_at_the_timeline_end(dataset):
    rows, colours = chart.deployment_rows(dataset, BOUNDS)
    assert list(rows["row"]) == ["Russia at Russian compound", "United States at US compound"]
    assert list(rows["end"]) == ["2024-09-30", "2024-07-07"]
    assert colours == {"Russia": "#D55E00", "United States": "#0072B2"}


def test_spec_has_ticks_bars_and_the_day_rule(dataset):
    spec = chart.with_day(chart.timeline_spec(dataset, BOUNDS), dt.date(2024, 5, 3))
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "bar", "rule"]
    assert [{"day": "2024-05-03"}] in spec["datasets"].values()


def test_the_day_is_swapped_into_a_shared_spec_without_changing_it(dataset):
    shared = chart.timeline_spec(dataset, BOUNDS)
    assert chart.DAY_DATA not in shared.get("datasets", {})
    may, july = (chart.with_day(shared, day) for day in (dt.date(2024, 5, 3), dt.date(2023, 7, 26)))
    assert may["datasets"][chart.DAY_DATA] == [{"day": "2024-05-03"}]
    assert july["datasets"][chart.DAY_DATA] == [{"day": "2023-07-26"}]
    assert chart.DAY_DATA not in shared.get("datasets", {}) and may["layer"] == shared["layer"]
