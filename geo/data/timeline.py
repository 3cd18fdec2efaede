"""Pure date logic: half-open [start, end) intervals, and reported figures as step functions of the day they take effect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo import settings
from geo.data.contract import END, START


def as_timestamp(day: dt.date | str | pd.Timestamp) -> pd.Timestamp:
    """Normalise a day given as a date, an ISO string or a Timestamp to a midnight Timestamp."""
    return pd.Timestamp(day).normalize()


def active_mask(start: pd.Series, end: pd.Series, day: dt.date | str | pd.Timestamp) -> pd.Series:
    """True where start <= day < end; a missing start or end is unbounded on that side. Both columns are naive
    datetime64 (seed tables, layer frames and imported times all are); NumPy, not pandas' own comparisons: a layer
    build asks this of a few rows ~100 times (BENCHMARKS.md)."""
    starts, ends, stamp = start.to_numpy(), end.to_numpy(), as_timestamp(day).to_datetime64()
    return pd.Series((np.isnat(starts) | (starts <= stamp)) & (np.isnat(ends) | (stamp < ends)), index=start.index)


def active_on(start: pd.Timestamp | None, end: pd.Timestamp | None, day: pd.Timestamp) -> bool:
    """active_mask for one start and end (None or NaT: unbounded), as the layers ask it of a few records at a time."""
    return (pd.isna(start) or start <= day) and (pd.isna(end) or day < end)


def on_day(frame: pd.DataFrame, day: dt.date | str | pd.Timestamp | None) -> pd.DataFrame:
    """The rows of a layer frame whose [start_date, end_date) contains day (all rows when day is None)."""
    if day is None:
        return frame
    return frame[active_mask(frame[START], frame[END], day)]


@dataclass(frozen=True)
class Reading:
    """One reported figure as worded: a range or bound, its qualifier, and whether it counts troops present or departed."""

    low: int | None
    high: int | None
    qualifier: str = "exact"
    measure: str = "present"

    def label(self) -> str:
        """'1,400-1,500', '~1,000', 'nearly 1,000', '< 1,000', '> 1,000', '≤ 120', '≥ 100'; '193 departed'."""
        if self.low is not None and self.high is not None and self.low != self.high:
            figure = f"{self.low:,}-{self.high:,}"
        else:
            figure = f"{next(n for n in (self.low, self.high) if n is not None):,}"
        text = settings.QUALIFIER_LABELS.get(self.qualifier, "{}").format(figure)
        return f"{text} departed" if self.measure == "departed" else text


@dataclass(frozen=True)
class Strength:
    """The figure in effect: one or more readings of one day (alternative wordings kept side by side), with sources."""

    readings: tuple[Reading, ...]
    as_of: pd.Timestamp
    precision: str
    effective: pd.Timestamp
    scope: str
    source_ids: str

    @property
    def low(self) -> int | None:
        """The least any reading allows, or None when a reading has no lower bound."""
        lows = [r.low for r in self.readings]
        return None if None in lows else min(lows)  # type: ignore[type-var]

    @property
    def high(self) -> int | None:
        """The most any reading allows, or None when a reading has no upper bound."""
        highs = [r.high for r in self.readings]
        return None if None in highs else max(highs)  # type: ignore[type-var]

    def label(self) -> str:
        """The readings' labels, side by side: '~1,000 / > 1,000'."""
        return " / ".join(dict.fromkeys(r.label() for r in self.readings))


def _as_int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


# The layers ask these of a few rows at a time, ~150 times a build: NumPy on the columns, not pandas' own comparisons
# and row iteration (each ~0.3-0.5 ms on a handful of rows; strength_on 5.3 -> 2.2 ms, BENCHMARKS.md).
def effective_days(strengths: pd.DataFrame) -> np.ndarray:
    """The day each figure takes effect: its publication day, or the day it describes if that is later; never before
    the figure existed (a map of a past day shows what had been reported by then)."""
    as_of, reported = strengths["as_of"].to_numpy(), strengths["reported"].to_numpy()
    later = np.isnat(reported) | (~np.isnat(as_of) & (as_of >= reported))
    return np.where(later, as_of, reported)


def takes_effect(strengths: pd.DataFrame) -> pd.Series:
    """effective_days as a Series on the rows' index."""
    return pd.Series(effective_days(strengths), index=strengths.index)


def latest_report(effective: np.ndarray, day: pd.Timestamp) -> np.ndarray:
    """Which reports are in effect on day, by their effective days: every one of the last effective day <= day
    (alternative readings), never interpolated; none before the first (a missing day, NaT, is never in effect)."""
    known = effective[effective <= day.to_datetime64()]
    return effective == known.max() if len(known) else np.zeros(len(effective), dtype=bool)


def figure(rows: pd.DataFrame, scope: str) -> Strength:
    """The Strength of one day's rows (same effective day), their sources merged in file order."""
    readings = tuple(Reading(_as_int(low), _as_int(high), qualifier, measure) for low, high, qualifier, measure
                     in zip(rows["strength_min"], rows["strength_max"], rows["qualifier"], rows["measure"]))
    sources = ";".join(dict.fromkeys(s for cell in rows["source_ids"] for s in cell.split(";") if s))
    return Strength(readings, rows["as_of"].iloc[0], rows["as_of_precision"].iloc[0],
                    pd.Timestamp(effective_days(rows)[0]), scope, sources)


def strength_steps(strengths: pd.DataFrame, *, actor_id: str, site_id: str, country: str,
                   measure: str = "present") -> Callable[[pd.Timestamp], Strength | None]:
    """The figure in effect on a day for an actor at a site, or country-wide when site_id is '': never the other's.
    Its rows are found once and each figure built once: a deployment asks for it on each of its pieces."""
    wanted = {"actor_id": actor_id, "site_id": site_id, "country": country, "measure": measure}
    rows = strengths[np.logical_and.reduce([strengths[column].to_numpy() == value for column, value in wanted.items()])]
    effective, built = effective_days(rows), {}

    def on(day: pd.Timestamp) -> Strength | None:
        chosen = latest_report(effective, day)
        if not chosen.any():
            return None
        day_in_effect = effective[chosen][0]
        if day_in_effect not in built:
            built[day_in_effect] = figure(rows[chosen], "site" if site_id else "country")
        return built[day_in_effect]

    return on


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
    formats = {"day": "%-d %b %Y", "month": "%b %Y", "year": "%Y", "before": "by %-d %b %Y", "after": "from %-d %b %Y"}
    return stamp.strftime(formats.get(precision, "%-d %b %Y"))
