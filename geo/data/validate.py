"""Check curated tables against geo.data.schema: cells, rows and cross-table references, every problem collected."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping

import pandas as pd

from geo.data.records import table_rows
from geo.data.schema import (
    COLOUR_PATTERN,
    ID_PATTERN,
    INTERVALS,
    ISO3_PATTERN,
    ISO_DAY_PATTERN,
    TABLES,
    URL_PATTERN,
    Column,
    Problem,
)

FIRST_DATA_ROW = 2  # the header is row 1, as a spreadsheet shows it


def parse_date(value: str) -> dt.date | None:
    """Parse a strict ISO 8601 calendar date (YYYY-MM-DD), or return None."""
    if not ISO_DAY_PATTERN.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def split_list(value: str) -> list[str]:
    """Split a `;`-separated cell into its stripped, non-empty items."""
    return [item.strip() for item in value.split(";") if item.strip()]


def _is_int(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _is_float_in(value: str, column: Column) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    low, high = column.low if column.low is not None else -math.inf, column.high if column.high is not None else math.inf
    return low <= number <= high


# Each kind's check of a non-empty cell and what it expected, built once rather than for each of ~9,000 cells.
CELL_CHECKS: dict[str, tuple[Callable[[str, Column], bool], Callable[[Column], str]]] = {
    "id": (lambda value, _: bool(ID_PATTERN.match(value)), lambda _: "an id of letters, digits, '_', '-' or '.'"),
    "date": (lambda value, _: parse_date(value) is not None, lambda _: "an ISO 8601 date YYYY-MM-DD"),
    "enum": (lambda value, column: value in column.choices, lambda column: "one of " + ", ".join(column.choices)),
    "float": (_is_float_in, lambda column: f"a number from {column.low} to {column.high}"),
    "int": (lambda value, _: _is_int(value), lambda _: "a whole number of people, 0 or more"),
    "url": (lambda value, _: bool(URL_PATTERN.match(value)), lambda _: "an http(s):// URL with no spaces"),
    "colour": (lambda value, _: bool(COLOUR_PATTERN.match(value)), lambda _: "a colour like #0072B2"),
    "iso3": (lambda value, _: bool(ISO3_PATTERN.match(value)), lambda _: "an ISO 3166 alpha-3 code like NER"),
}


def cell_expectation(value: str, column: Column) -> str | None:
    """Return what was expected if a non-empty cell is malformed, else None."""
    if column.kind not in CELL_CHECKS:
        return None
    check, expected = CELL_CHECKS[column.kind]
    return None if check(value, column) else expected(column)


def check_header(name: str, frame: pd.DataFrame) -> list[Problem]:
    """Report columns the spec wants that the file lacks, and columns the spec does not know."""
    wanted = [c.name for c in TABLES[name]]
    missing = [c for c in wanted if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in wanted]
    problems = [Problem(f"{name}.csv", 1, c, "", "this column in the header") for c in missing]
    problems += [Problem(f"{name}.csv", 1, c, c, "one of " + ", ".join(wanted)) for c in unknown]
    return problems


def check_cells(name: str, frame: pd.DataFrame) -> Iterator[Problem]:
    """Yield a problem for every empty required cell and every malformed cell."""
    for offset, row in enumerate(table_rows(frame)):
        for column in TABLES[name]:
            value = row.get(column.name, "").strip()
            if not value:
                if column.required:
                    yield Problem(f"{name}.csv", offset + FIRST_DATA_ROW, column.name, value, "a value (required)")
                continue
            expected = cell_expectation(value, column)
            if expected:
                yield Problem(f"{name}.csv", offset + FIRST_DATA_ROW, column.name, value, expected)


def check_unique_ids(name: str, frame: pd.DataFrame) -> Iterator[Problem]:
    """Yield a problem for every id that repeats an earlier row's."""
    key = TABLES[name][0].name
    seen: set[str] = set()
    for offset, value in enumerate(frame[key]):
        if value in seen:
            yield Problem(f"{name}.csv", offset + FIRST_DATA_ROW, key, value, "an id not used by an earlier row")
        seen.add(value)


def check_rows(name: str, frame: pd.DataFrame) -> Iterator[Problem]:
    """Yield row-level problems: intervals, strength ranges, precise-enough dates, coordinate pairs."""
    for offset, row in enumerate(table_rows(frame)):
        line = offset + FIRST_DATA_ROW
        yield from _interval_problem(name, line, row)
        yield from _range_problem(name, line, row)
        yield from _precision_problem(name, line, row)
        yield from _coordinate_pair_problem(name, line, row)


def _interval_problem(name: str, line: int, row: Mapping[str, str]) -> Iterator[Problem]:
    if name not in INTERVALS:
        return
    start_field, end_field = INTERVALS[name]
    start, end = parse_date(row.get(start_field, "")), parse_date(row.get(end_field, ""))
    if start and end and end <= start:
        expected = f"a date after {start_field} {start.isoformat()} (intervals are [start, end))"
        yield Problem(f"{name}.csv", line, end_field, row[end_field], expected)


def _range_problem(name: str, line: int, row: Mapping[str, str]) -> Iterator[Problem]:
    if name != "strengths":
        return
    low, high = row.get("strength_min", "").strip(), row.get("strength_max", "").strip()
    if not low and not high:
        yield Problem(f"{name}.csv", line, "strength_max", "", "strength_min or strength_max (or both)")
    elif _is_int(low) and _is_int(high) and int(low) > int(high):
        yield Problem(f"{name}.csv", line, "strength_max", high, f"a number >= strength_min {low}")


def _precision_problem(name: str, line: int, row: Mapping[str, str]) -> Iterator[Problem]:
    for field in (f for f in row if f.endswith("_precision") and f != "location_precision"):
        date, precision = parse_date(row.get(field[: -len("_precision")], "")), row[field]
        if date and (precision == "month" and date.day != 1 or precision == "year" and date.timetuple().tm_yday != 1):
            expected = f"the first day of the {precision} when {field} is {precision!r}"
            yield Problem(f"{name}.csv", line, field[: -len("_precision")], date.isoformat(), expected)


def _coordinate_pair_problem(name: str, line: int, row: Mapping[str, str]) -> Iterator[Problem]:
    if name == "sites" and bool(row.get("lon", "").strip()) != bool(row.get("lat", "").strip()):
        yield Problem(f"{name}.csv", line, "lon/lat", f"{row['lon']}/{row['lat']}", "both lon and lat, or neither")


def check_references(frames: Mapping[str, pd.DataFrame]) -> Iterator[Problem]:
    """Yield a problem for every id that points at a row that does not exist."""
    known = {name: set(frame[TABLES[name][0].name]) for name, frame in frames.items()}
    for name, frame in frames.items():
        columns = [c for c in TABLES[name] if c.kind in ("ref", "refs")]
        for offset, row in enumerate(table_rows(frame)):
            for column in columns:
                for ref in split_list(row.get(column.name, "")):
                    if ref not in known.get(column.table, set()):
                        expected = f"an id from {column.table}.csv"
                        yield Problem(f"{name}.csv", offset + FIRST_DATA_ROW, column.name, ref, expected)
    yield from _row_list_problems(frames, known)


def _row_list_problems(frames: Mapping[str, pd.DataFrame], known: Mapping[str, set[str]]) -> Iterator[Problem]:
    """Every `table:id` in a rows column (claims, story) must name an existing row."""
    for name, frame in frames.items():
        for column in (c for c in TABLES[name] if c.kind == "rows"):
            for offset, cell in enumerate(frame[column.name]):
                for item in split_list(cell):
                    table, _, row_id = item.partition(":")
                    if row_id not in known.get(table, set()):
                        expected = "table:id of an existing row, e.g. events:EVT001"
                        yield Problem(f"{name}.csv", offset + FIRST_DATA_ROW, column.name, item, expected)


def table_problems(name: str, frame: pd.DataFrame) -> list[Problem]:
    """Every problem of one table on its own (header, cells, ids, rows)."""
    header = check_header(name, frame)
    if any(p.row == 1 and p.value == "" for p in header):
        return header  # cells of a table with missing columns cannot be read reliably
    return header + list(check_cells(name, frame)) + list(check_unique_ids(name, frame)) + list(check_rows(name, frame))
