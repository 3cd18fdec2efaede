"""Pure date logic: half-open [start, end) intervals and reported strengths as step functions of report dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from geo.data.contract import END, START


def as_timestamp(day: dt.date | str | pd.Timestamp) -> pd.Timestamp:
    """Normalise a day given as a date, an ISO string or a Timestamp to a midnight Timestamp."""
    return pd.Timestamp(day).normalize()


def active_mask(start: pd.Series, end: pd.Series, day: dt.date | str | pd.Timestamp) -> pd.Series:
    """True where start <= day < end; a missing start or end is unbounded on that side."""
    stamp = as_timestamp(day)
    return (start.isna() | (start <= stamp)) & (end.isna() | (stamp < end))


def on_day(frame: pd.DataFrame, day: dt.date | str | pd.Timestamp | None) -> pd.DataFrame:
    """The rows of a layer frame whose [start_date, end_date) contains day (all rows when day is None)."""
    if day is None:
        return frame
    return frame[active_mask(frame[START], frame[END], day)]


@dataclass(frozen=True)
class Strength:
    """A reported strength range as of its report date, with its sources."""

    low: int | None
    high: int | None
    as_of: pd.Timestamp
    precision: str
    scope: str
    source_ids: str

    def label(self) -> str:
        """Human text for the range: '946-1,000', '~1,100' style exact figure, '<= 500' or '>= 100'."""
        if self.low is not None and self.high is not None:
            return f"{self.low:,}" if self.low == self.high else f"{self.low:,}-{self.high:,}"
        return f"<= {self.high:,}" if self.high is not None else f">= {self.low:,}"


def _as_int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def latest_report(reports: pd.DataFrame, day: pd.Timestamp) -> pd.Series | None:
    """The last report with as_of <= day (ties: the last row in file order), or None: never interpolated."""
    known = reports[reports["as_of"] <= day]
    return None if known.empty else known.sort_values("as_of", kind="stable").iloc[-1]


def strength_on(strengths: pd.DataFrame, *, actor_id: str, site_id: str, country: str, day: pd.Timestamp) -> Strength | None:
    """The strength for an actor at a site as of day: the site's own report if any, else the country-wide one."""
    same_actor = strengths[strengths["actor_id"] == actor_id]
    for scope, reports in (
        ("site", same_actor[same_actor["site_id"] == site_id]),
        ("country", same_actor[(same_actor["site_id"] == "") & (same_actor["country"] == country)]),
    ):
        report = latest_report(reports, day)
        if report is not None:
            low, high = _as_int(report["strength_min"]), _as_int(report["strength_max"])
            return Strength(low, high, report["as_of"], report["as_of_precision"], scope, report["source_ids"])
    return None


def _bound(value: object) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else value


def segments(dates: list, start: object = None, end: object = None) -> list[tuple[pd.Timestamp | None, pd.Timestamp | None]]:
    """Cut [start, end) at every date strictly inside it: consecutive half-open pieces (None = unbounded)."""
    start, end = _bound(start), _bound(end)
    inside = {
        d for d in map(_bound, dates)
        if d is not None and (start is None or d > start) and (end is None or d < end)
    }
    bounds = [start, *sorted(inside), end]
    return list(zip(bounds[:-1], bounds[1:]))


def format_day(stamp: pd.Timestamp | None, precision: str = "day") -> str:
    """Show a date at its precision: '7 Jul 2024', 'May 2024', '2018', 'by 7 Jul 2023'; '' when missing."""
    if stamp is None or pd.isna(stamp):
        return ""
    formats = {"day": "%-d %b %Y", "month": "%b %Y", "year": "%Y", "before": "by %-d %b %Y"}
    return stamp.strftime(formats.get(precision, "%-d %b %Y"))
