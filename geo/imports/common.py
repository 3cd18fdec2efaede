"""Shared pieces of user-file imports: limits, the problem types and per-row checks that drop bad rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd

# Reported per rule in ImportedLayer.dropped; the full count is ImportedLayer.dropped_count.
DROPPED_DETAIL = 5


class Problem(NamedTuple):
    """One bad row or file: 1-based row (CSV: header = row 1), column, offending value and what was expected."""

    row: int | None
    column: str | None
    value: str | None
    reason: str


# The choices a file can leave open, each answered by read_layer's keyword option(s) of the same meaning.
QUESTIONS = {"coordinates": ("lat", "lon"), "layer": ("layer",), "separator": ("sep",), "decimal": ("decimal",),
             "date_order": ("date_order",)}


class ImportProblem(ValueError):
    """A file that cannot be imported, with the file, row, column, value and expectation as fields.

    When the file leaves a choice open, `question` names it (a key of QUESTIONS) and `candidates` holds what to
    choose from (columns, layers, separators, decimal marks, date orders); `examples` illustrates each candidate.
    """

    def __init__(self, file: str, problem: Problem, *, note: str = "", question: str | None = None,
                 candidates: tuple[str, ...] = (), examples: tuple[str, ...] = ()) -> None:
        self.file, self.row, self.column, self.value, self.expected = file, *problem
        self.question, self.candidates, self.examples = question, candidates, examples
        where = "".join([f", row {problem.row}" if problem.row is not None else "",
                         f", column {problem.column!r}" if problem.column is not None else ""])
        got = f": got {problem.value!r}" if problem.value is not None else ""
        super().__init__(f"{file}{where}{got}: expected {problem.reason}{note}")


def fail(file: str, reason: str, *, row: int | None = None, column: str | None = None, value: object = None,
         question: str | None = None, candidates: tuple[str, ...] = (), examples: tuple[str, ...] = ()) -> ImportProblem:
    """Build an ImportProblem in one call (raise the result)."""
    return ImportProblem(file, Problem(row, column, None if value is None else str(value), reason), question=question,
                         candidates=candidates, examples=examples)


def detached(problem: ImportProblem) -> ImportProblem:
    """The problem without the exceptions it replaced: their traceback or a UnicodeDecodeError keep the upload alive."""
    problem.__context__ = problem.__cause__ = None
    return problem.with_traceback(None)


def outside_degrees(geometry: gpd.GeoSeries) -> pd.Series:
    """Shapes reaching beyond longitude [-180, 180] or latitude [-90, 90] (infinite coordinates included)."""
    box = geometry.bounds
    return (box["minx"] < -180) | (box["maxx"] > 180) | (box["miny"] < -90) | (box["maxy"] > 90)


@dataclass(frozen=True)
class Check:
    """One rule over a column: `bad` (indexed by row number) marks rows that break it."""

    bad: pd.Series
    column: str | None
    values: pd.Series
    reason: str

    def problems(self, limit: int = DROPPED_DETAIL) -> list[Problem]:
        """The first `limit` failing rows as Problems (building every one would be slow on a million rows)."""
        rows = self.bad.index[self.bad.to_numpy()][:limit]
        return [Problem(int(row), self.column, _shown(self.values.get(row)), self.reason) for row in rows]


class Table(NamedTuple):
    """What a format reader hands on: properties and EPSG:4326 geometry indexed by row number, its checks, and how
    the file was read (("encoding", "cp1252"), ...) when that was a guess worth telling."""

    props: pd.DataFrame
    geometry: gpd.GeoSeries
    checks: list[Check]
    reading: tuple[tuple[str, str], ...] = ()


def _shown(value: Any) -> str:
    return "" if value is None or (np.ndim(value) == 0 and pd.isna(value)) else str(value)


def find_columns(columns: Iterable[str], names: Iterable[str]) -> list[str]:
    """Columns whose lower-cased name is one of `names`, in the order of `names`."""
    by_lower: dict[str, str] = {}
    for column in columns:
        by_lower.setdefault(str(column).lower(), column)
    return [by_lower[name] for name in names if name in by_lower]


def listed(names: Iterable[object], *, limit: int = 20, width: int = 60) -> str:
    """Names joined by ', ' for a message: the first `limit`, each cut to `width` characters, then how many more."""
    texts = [str(name) for name in names]
    shown = [name if len(name) <= width else name[:width - 1] + "…" for name in texts[:limit]]
    return ", ".join(shown + ([f"and {len(texts) - limit:,} more"] if len(texts) > limit else []))


def filled(column: pd.Series) -> pd.Series:
    """True where a cell holds something other than blanks."""
    return column.notna() & column.astype(str).str.strip().ne("")


def as_text(column: pd.Series) -> pd.Series:
    """A property column as text, missing values as empty strings, strings kept verbatim."""
    if isinstance(column.dtype, pd.StringDtype):  # already text: skip a slow round trip through objects
        return column.fillna("")
    return column.astype(object).where(column.notna(), "").astype(str)
