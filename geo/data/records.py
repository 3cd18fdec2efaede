"""Layer rows as plain records: JSON's own types, days as ISO strings and None for every kind of missing value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd


def iso_day(value: object) -> str | None:
    """A tz-naive timestamp as 'YYYY-MM-DD'; missing (open interval) as None."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def plain(value: Any) -> Any:
    """JSON-friendly scalars: missing values become None, numpy scalars Python ones, timestamps ISO days."""
    if isinstance(value, (str, int)) and not isinstance(value, np.generic):  # most cells: nothing to do
        return value
    if isinstance(value, float):  # NaN is missing; numpy's float64 is a float too
        return None if value != value else float(value)
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, dt.date)):
        return iso_day(value)
    return value.item() if hasattr(value, "item") else value


def properties(frame: gpd.GeoDataFrame) -> list[dict]:
    """Each row's non-geometry columns as a plain dict, in column order."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    values = [[plain(v) for v in frame[c].tolist()] for c in columns]
    return [dict(zip(columns, row)) for row in zip(*values)] if columns else [{} for _ in range(len(frame))]
