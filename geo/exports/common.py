"""Shared pieces of the exporters: the export bundle, sorted frames with rounded coordinates, plain records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.data.contract import IMPORT_PREFIX
from geo.data.scenario import Scenario

DIGITS = 5
DATE_COLUMNS = ("start_date", "end_date")
# GDAL stamps gpkg_contents.last_change with the clock unless told otherwise: a fixed value keeps files identical.
FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"


@dataclasses.dataclass(frozen=True)
class Bundle:
    """Everything an exporter needs: built layer frames (drawing order), their titles, sources and the version."""

    frames: Mapping[str, gpd.GeoDataFrame]
    sources: pd.DataFrame
    version: str
    titles: Mapping[str, str]
    scenario: Scenario
    day: dt.date | None = None
    narrative: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # seed claims and story (geo.data.narrative)

    def title(self, name: str) -> str:
        return self.titles.get(name, name)

    @property
    def timeline(self) -> tuple[dt.date, dt.date]:
        return self.scenario.timeline


Writer = Callable[[Path], None]


@dataclasses.dataclass(frozen=True)
class Format:
    """One export format: what the command line and the download buttons say of it, and the files it writes."""

    name: str
    help: str  # the command line's --format help
    label: str  # the app's download button
    suffix: str  # of the downloaded file (a zip when the format writes several files)
    mime: str  # of the downloaded file
    files: Callable[[Bundle, str], dict[str, Writer]]  # (bundle, file stem) -> file name -> writer
    weight: int = 1  # its writing time relative to the others' (bundled seeds): the heaviest start first in parallel


def single_file(suffix: str, write: Callable[[Bundle, Path], None]) -> Callable[[Bundle, str], dict[str, Writer]]:
    """The `files` of a format that writes one <stem>.<suffix> file."""
    return lambda bundle, stem: {f"{stem}.{suffix}": functools.partial(write, bundle)}


def is_imported(frame: pd.DataFrame) -> bool:
    """True for an analyst's own layer ('import:<name>' features): its file's columns never style it."""
    return "layer" in frame and bool(frame["layer"].astype(str).str.startswith(IMPORT_PREFIX).any())


def prepared(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy sorted by feature id, coordinates rounded to DIGITS decimals: the same input gives the same bytes."""
    ordered = frame.sort_values("feature_id", kind="stable").reset_index(drop=True)
    rounded = shapely.transform(ordered.geometry.to_numpy(), lambda xy: np.round(xy, DIGITS))
    return ordered.set_geometry(gpd.GeoSeries(rounded, crs=frame.crs, index=ordered.index))


def geometry_json(geometry: shapely.Geometry | None) -> dict | None:
    """A shapely geometry as a GeoJSON geometry dict (None when unlocated or empty)."""
    if geometry is None or geometry.is_empty:
        return None
    return shapely.geometry.mapping(geometry)


def utc_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """The interval columns as UTC datetimes (GeoPackage DateTime fields, KML TimeSpan)."""
    return frame.assign(**{c: pd.to_datetime(frame[c]).dt.tz_localize("UTC") for c in DATE_COLUMNS if c in frame})
