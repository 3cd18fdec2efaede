"""Uncertain days as data: each start and end is a window [earliest, latest] of days; presence is certain, possible or none."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from geo.data.timeline import active_on, format_day

CERTAIN, UNCERTAIN = "certain", "uncertain"
ONE_DAY = pd.Timedelta(days=1)


def _day(value: object) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).normalize()


@dataclass(frozen=True)
class Window:
    """The days a change may have happened on, both ends inclusive; None is open on that side."""

    earliest: pd.Timestamp | None
    latest: pd.Timestamp | None


def window(date: object, precision: str, latest: object = None) -> Window:
    """A stored date and its precision as a window: a month or year is all its days; before/after are open on one side."""
    day = _day(date)
    if day is None:
        return Window(None, None)
    last = {
        "day": day, "month": day + pd.offsets.MonthEnd(0), "year": day + pd.offsets.YearEnd(0),
        "before": day, "after": None, "between": _day(latest),
    }
    return Window(None if precision == "before" else day, last.get(precision, day))


@dataclass(frozen=True)
class Span:
    """A stay [start, end) whose start and end are windows; end None means no end is recorded (still there)."""

    start: Window
    end: Window | None

    @property
    def end_earliest(self) -> pd.Timestamp | None:
        """The earliest first-day-gone. A force is taken to be present on its start window's latest day (that is the
        day a source places it there), so an end open on its early side is no earlier than the day after."""
        if self.end is None:
            return None
        if self.end.earliest is None and self.start.latest is not None:
            return self.start.latest + ONE_DAY
        return self.end.earliest

    @property
    def end_latest(self) -> pd.Timestamp | None:
        return None if self.end is None else self.end.latest

    def possible(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """[from, until) of every day the force may have been present (None = unbounded)."""
        return self.start.earliest, self.end_latest

    def certain(self) -> tuple[pd.Timestamp, pd.Timestamp | None] | None:
        """[from, until) of the days the force was surely present, or None when no day is sure."""
        since, until = self.start.latest, self.end_earliest
        if since is None or (until is not None and until <= since):
            return None
        return since, until


def span(start: object, start_precision: str, start_latest: object,
         end: object, end_precision: str, end_latest: object) -> Span:
    """A row's stay from its start/end columns; an empty end is no end at all, not an unknown one."""
    end_window = None if _day(end) is None else window(end, end_precision or "day", end_latest)
    return Span(window(start, start_precision, start_latest), end_window)


def row_span(row: pd.Series | Mapping[str, Any]) -> Span:
    """The Span of a deployments or movements row (a Series or a record)."""
    return span(row["start"], row["start_precision"], row["start_latest"],
                row["end"], row["end_precision"], row["end_latest"])


def presence(stay: Span, day: object) -> str | None:
    """'certain' when the force was surely there on day, 'uncertain' when it may have been, None when it was not."""
    stamp = _day(day)
    assert stamp is not None
    sure = stay.certain()
    if sure is not None and active_on(*sure, stamp):
        return CERTAIN
    return UNCERTAIN if active_on(*stay.possible(), stamp) else None


def iso(day: pd.Timestamp | None) -> str | None:
    """An ISO day, or None for an open side."""
    return None if day is None else day.date().isoformat()


def describe(days: Window, precision: str) -> str:
    """'7 Jul 2024', 'May 2024', 'on or before 5 Aug 2024', 'on or after 1 Mar 2024', 'between 10 Apr and 2 May 2024'."""
    if days.earliest is None and days.latest is None:
        return ""
    if days.earliest == days.latest or precision in ("month", "year"):
        return format_day(days.earliest, precision)
    if days.earliest is None:
        return f"on or before {format_day(days.latest)}"
    if days.latest is None:
        return f"on or after {format_day(days.earliest)}"
    return f"between {format_day(days.earliest)} and {format_day(days.latest)}"
