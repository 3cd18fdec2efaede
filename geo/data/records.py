"""Rows as records: a table's as they are, a layer's plain (JSON's own types, days as ISO strings, None for missing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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


def table_rows(frame: pd.DataFrame, columns: list | None = None, cell: Callable[[Any], Any] | None = None) -> list[dict]:
    """Each row as a dict of `columns` (all by default), each value passed through `cell` when given. Built column by
    column: pandas' to_dict boxes every cell on its own (the seeds' checks called it 50 times a load; BENCHMARKS.md)."""
    columns = list(frame.columns) if columns is None else columns
    values = [frame[c].tolist() if cell is None else [cell(v) for v in frame[c].tolist()] for c in columns]
    return [dict(zip(columns, row)) for row in zip(*values)] if columns else [{} for _ in range(len(frame))]


def properties(frame: gpd.GeoDataFrame) -> list[dict]:
    """Each row's non-geometry columns as a plain dict, in column order."""
    return table_rows(frame, [c for c in frame.columns if c != frame.geometry.name], plain)
