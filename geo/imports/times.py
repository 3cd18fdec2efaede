"""Find and parse the time columns of an imported table: instants or half-open intervals, numeric dates in one order."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from geo.imports.common import Check, as_text, fail, filled, find_columns

INSTANT_NAMES = ("event_date", "date", "timestamp", "datetime", "time")
# UCDP GED's date_start/date_end: its date_prec says how far they are known (geo.imports.precision).
INTERVAL_NAMES = (("start_date", "end_date"), ("date_start", "date_end"), ("start", "end"), ("begin", "end"),
                  ("from", "to"))
# UCDP's date_end is the last day the event may have happened on (a one-day event has date_end = date_start).
INCLUSIVE_ENDS = {"date_end"}
DATE_EXPECTED = "a date like 2024-05-12 or 12 May 2024"
DATE_ORDERS = {"dayfirst": "day first", "monthfirst": "month first"}
# Day, month and year as numbers (either order), an optional time of day.
NUMERIC = (r"^\s*(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{4}|\d{2})"
           r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?\s*$")
# Two-digit years as strptime's %y: 69-99 are 1969-1999, 00-68 are 2000-2068.
PIVOT_YEAR = 69


class Times(NamedTuple):
    """Parsed times: kind ('instant' | 'interval' | 'none'), start and end per row, the rows that failed, and the
    day/month order used for numeric dates (a key of DATE_ORDERS, None when no value needed one)."""

    kind: str
    start: pd.Series
    end: pd.Series
    checks: list[Check]
    order: str | None = None


def parse_dates(column: pd.Series, *, order: str) -> pd.Series:
    """ISO 8601 first (fast), numeric dates in `order` strictly, anything else (12 May 2024) as dateutil reads it;
    offsets converted to UTC; tz-naive seconds, NaT if unparsed. Each distinct value is parsed once."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    parsed = _parse_values(pd.Series(uniques, dtype=object).astype(str), order=order)
    return pd.Series(parsed.to_numpy()[codes], index=column.index, dtype="datetime64[s]")


def _parse_values(values: pd.Series, *, order: str) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce", format="ISO8601", utc=True)
    retry = parsed.isna() & filled(values)
    if retry.any():
        parts = values[retry].str.extract(NUMERIC)
        numeric = parts["a"].notna()
        parsed[retry[retry].index[numeric.to_numpy()]] = _numeric(parts[numeric], order=order)
        words = retry[retry].index[~numeric.to_numpy()]
        parsed[words] = pd.to_datetime(values[words], errors="coerce", format="mixed", dayfirst=order == "dayfirst",
                                       utc=True)
    return parsed.dt.tz_localize(None).astype("datetime64[s]")


def _numeric(parts: pd.DataFrame, *, order: str) -> pd.Series:
    """Dates from numeric parts, strictly in `order`: 04/25/2024 is no date day first (dateutil would swap it)."""
    numbers = parts.astype(float)
    day, month = (numbers["a"], numbers["b"]) if order == "dayfirst" else (numbers["b"], numbers["a"])
    year = numbers["year"].where(parts["year"].str.len() == 4,
                                 numbers["year"] + 2000 - 100 * (numbers["year"] >= PIVOT_YEAR))
    fields = pd.DataFrame({"year": year, "month": month, "day": day, "hour": numbers["hour"].fillna(0),
                           "minute": numbers["minute"].fillna(0), "second": numbers["second"].fillna(0)})
    return pd.to_datetime(fields, errors="coerce", utc=True)


def date_order(file: str, columns: list[pd.Series], *, chosen: str | None) -> str | None:
    """The chosen order, or the one a value settles (13/04 is day first), or None when no value is ambiguous;
    otherwise ImportProblem asking, with both readings of the first ambiguous value."""
    if chosen is not None:
        return chosen
    # On distinct values: a million rows hold a few thousand dates.
    parts = {column.name: pd.Series(column.unique(), dtype=object).astype(str).str.extract(NUMERIC).dropna(subset=["a"])
             for column in columns}
    firsts = {name: part["a"].astype(float) for name, part in parts.items()}
    seconds = {name: part["b"].astype(float) for name, part in parts.items()}
    day_first = any((first > 12).any() for first in firsts.values())
    month_first = any((second > 12).any() for second in seconds.values())
    if day_first != month_first:
        return "dayfirst" if day_first else "monthfirst"
    ambiguous = {name: (first > 12) if day_first else (first != seconds[name]) for name, first in firsts.items()}
    name = next((name for name, flags in ambiguous.items() if flags.any()), None)
    if name is None:
        return None
    first_value = ambiguous[name].idxmax()
    column = next(c for c in columns if c.name == name)
    value = str(pd.Series(column.unique())[first_value])
    row = column.eq(value).idxmax()
    value = value.strip()
    readings = tuple(f"{label}: {value} = {_shown(parts[name].loc[[first_value]], order)}"
                     for order, label in DATE_ORDERS.items())
    why = "some values fit only day first, others only month first" if day_first else "every value fits both orders"
    raise fail(file, f"numeric dates in one day/month order: {why} ({'; '.join(readings)})", row=int(row),
               column=str(name), value=value, question="date_order", candidates=tuple(DATE_ORDERS), examples=readings)


def _shown(parts: pd.DataFrame, order: str) -> str:
    date = _numeric(parts, order=order).iloc[0]
    return "no date" if pd.isna(date) else f"{date.day} {date:%B %Y}"


def _used(props: pd.DataFrame, names: tuple[str, ...]) -> list[str]:
    # KML and other exports carry empty begin/end/timestamp columns: only columns with values count.
    return [column for column in find_columns(props.columns, names) if filled(props[column]).any()]


def read_times(file: str, props: pd.DataFrame, *, order: str | None = None) -> Times:
    """Detect the time columns (an interval pair wins over an instant column) and parse them."""
    for first, last in INTERVAL_NAMES:
        starts = _used(props, (first,))
        if starts:
            return _interval(file, props, starts[0], next(iter(find_columns(props.columns, (last,))), None), order)
    instants = _used(props, INSTANT_NAMES)
    if instants:
        return _instant(file, props, instants[0], order)
    empty = pd.Series(pd.NaT, index=props.index, dtype="datetime64[s]")
    return Times("none", empty, empty, [])


def _instant(file: str, props: pd.DataFrame, column: str, chosen: str | None) -> Times:
    text = as_text(props[column])
    order = date_order(file, [text.rename(column)], chosen=chosen)
    date = parse_dates(text, order=order or "dayfirst")
    given = filled(text)
    checks = [Check(~given, column, text, f"{DATE_EXPECTED} (the cell is empty)"),
              Check(given & date.isna(), column, text, _expected(order))]
    return Times("instant", date, pd.Series(pd.NaT, index=props.index, dtype="datetime64[s]"), checks, order)


def _interval(file: str, props: pd.DataFrame, first: str, last: str | None, chosen: str | None) -> Times:
    texts = {column: as_text(props[column]) for column in (first, last) if column is not None}
    order = date_order(file, [text.rename(column) for column, text in texts.items()], chosen=chosen)
    start = parse_dates(texts[first], order=order or "dayfirst")
    checks = [Check(filled(texts[first]) & start.isna(), first, texts[first], _expected(order))]
    if last is None:
        return Times("interval", start, pd.Series(pd.NaT, index=props.index, dtype="datetime64[s]"), checks, order)
    end = parse_dates(texts[last], order=order or "dayfirst")
    end = end + pd.Timedelta(days=1) if last.lower() in INCLUSIVE_ENDS else end
    checks += [Check(filled(texts[last]) & end.isna(), last, texts[last], _expected(order)),
               Check(end <= start, last, texts[last], f"an end after {first!r} (intervals are [start, end))")]
    return Times("interval", start, end, checks, order)


def _expected(order: str | None) -> str:
    return DATE_EXPECTED if order is None else f"{DATE_EXPECTED}, numeric dates {DATE_ORDERS[order]}"
