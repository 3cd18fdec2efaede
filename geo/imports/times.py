"""Find and parse the time columns of an imported table: instants (one date) or half-open intervals."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from geo.imports.common import Check, filled, find_columns

INSTANT_NAMES = ("event_date", "date", "timestamp", "datetime", "time")
INTERVAL_NAMES = (("start_date", "end_date"), ("start", "end"), ("begin", "end"), ("from", "to"))
DATE_EXPECTED = "a date like 2024-05-12 or 12 May 2024"


class Times(NamedTuple):
    """Parsed times: kind ('instant' | 'interval' | 'none'), start and end per row, and the rows that failed."""

    kind: str
    start: pd.Series
    end: pd.Series
    checks: list[Check]


def parse_dates(column: pd.Series) -> pd.Series:
    """ISO 8601 first (fast), anything else day-first; offsets converted to UTC; tz-naive seconds, NaT if unparsed."""
    parsed = pd.to_datetime(column, errors="coerce", format="ISO8601", utc=True)
    retry = parsed.isna() & filled(column)
    if retry.any():
        parsed[retry] = pd.to_datetime(column[retry], errors="coerce", format="mixed", dayfirst=True, utc=True)
    return parsed.dt.tz_localize(None).astype("datetime64[s]")


def _used(props: pd.DataFrame, names: tuple[str, ...]) -> list[str]:
    # KML and other exports carry empty begin/end/timestamp columns: only columns with values count.
    return [column for column in find_columns(props.columns, names) if filled(props[column]).any()]


def read_times(props: pd.DataFrame) -> Times:
    """Detect the time columns (an interval pair wins over an instant column) and parse them."""
    for first, last in INTERVAL_NAMES:
        starts = _used(props, (first,))
        if starts:
            return _interval(props, starts[0], next(iter(find_columns(props.columns, (last,))), None))
    instants = _used(props, INSTANT_NAMES)
    if instants:
        return _instant(props, instants[0])
    empty = pd.Series(pd.NaT, index=props.index, dtype="datetime64[s]")
    return Times("none", empty, empty, [])


def _instant(props: pd.DataFrame, column: str) -> Times:
    text = props[column]
    date = parse_dates(text)
    given = filled(text)
    checks = [Check(~given, column, text, f"{DATE_EXPECTED} (the cell is empty)"),
              Check(given & date.isna(), column, text, DATE_EXPECTED)]
    return Times("instant", date, pd.Series(pd.NaT, index=props.index, dtype="datetime64[s]"), checks)


def _interval(props: pd.DataFrame, first: str, last: str | None) -> Times:
    start = parse_dates(props[first])
    checks = [Check(filled(props[first]) & start.isna(), first, props[first], DATE_EXPECTED)]
    if last is None:
        return Times("interval", start, pd.Series(pd.NaT, index=props.index, dtype="datetime64[s]"), checks)
    end = parse_dates(props[last])
    checks += [Check(filled(props[last]) & end.isna(), last, props[last], DATE_EXPECTED),
               Check(end <= start, last, props[last], f"an end after {first!r} (intervals are [start, end))")]
    return Times("interval", start, end, checks)
