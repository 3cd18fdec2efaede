"""Helpers behind the app's own-layer uploads (no streamlit): safe file names, choices asked, what a day and view show."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from geo import settings
from geo.data.contract import CELL_PREFIX, IMPORT_PREFIX
from geo.imports.cells import grid_counts, should_aggregate
from geo.imports.common import QUESTIONS
from geo.imports.reader import SEPARATORS, VECTOR_SUFFIXES, ImportedLayer, ImportProblem, on_day, read_layer
from geo.imports.textfile import SEPARATOR_NAMES

UPLOAD_TYPES = tuple(sorted(suffix.removeprefix(".") for suffix in [*SEPARATORS, *VECTOR_SUFFIXES]))
DROPPED_SHOWN = 5
MAX_NAME_CHARS = 80


def digest(data: bytes) -> str:
    """A content hash naming an upload: the same bytes are the same layer."""
    return hashlib.sha256(data).hexdigest()


def safe_filename(name: str) -> str:
    """The uploaded name's last component: word characters and - only, an ASCII suffix kept, no leading dot; never a path."""
    last = re.split(r"[\\/]", name)[-1]
    stem, dot, suffix = last.rpartition(".") if "." in last else (last, "", "")
    clean = re.sub(r"[^\w-]+", "_", stem).strip("_")[:MAX_NAME_CHARS] or "upload"
    return f"{clean}{dot}{re.sub(r'[^A-Za-z0-9]', '', suffix).lower()}"


def save(data: bytes, folder: Path, key: str, filename: str) -> Path:
    """Write an upload as <folder>/<content key>/<safe name> (once: the same key is the same bytes)."""
    path = folder / key / filename
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    return path


@dataclass(frozen=True)
class Field:
    """One choice to ask for: the read_layer option it sets, its label, the choices and how each is shown."""

    option: str
    label: str
    choices: tuple[str, ...]
    shown: Mapping[str, str]


# What each of ImportProblem's questions asks, one label per read_layer option (common.QUESTIONS).
LABELS = {"coordinates": {"lat": "Latitude column", "lon": "Longitude column"}, "layer": {"layer": "Layer"},
          "separator": {"sep": "Field separator"}, "decimal": {"decimal": "Decimal mark of the coordinates"},
          "date_order": {"date_order": "Order of day and month in the dates"}}


def question(error: ImportProblem) -> tuple[str, tuple[Field, ...]] | None:
    """What to ask when a file leaves a choice open: a note (plain text, to be escaped) and the fields; None when
    the problem is something else. Built from the problem's question and candidates, never from its message."""
    if error.question is None:
        return None
    shown = dict(zip(error.candidates, error.examples)) or {c: SEPARATOR_NAMES.get(c, c) for c in error.candidates}
    fields = tuple(Field(option, f"{label} of {error.file}", error.candidates, shown)
                   for option, label in LABELS[error.question].items())
    return f"{error.file}: expected {error.expected}.", fields


def answered(error: ImportProblem, options: Mapping[str, str]) -> bool:
    """True when the options already answer the problem's question (asking again would loop)."""
    return error.question is None or set(QUESTIONS[error.question]) <= set(options)


def reading_line(layer: ImportedLayer) -> str:
    """How the file was read, in one line ('' when there was nothing to guess)."""
    return "; ".join(f"{what}: {how}" for what, how in layer.reading)


def read(path: Path, **options: Any) -> ImportedLayer | ImportProblem:
    """read_layer named after the file, a problem returned (not raised) without traceback: safe to cache."""
    try:
        return read_layer(path, name=path.stem, **options)
    except ImportProblem as problem:
        problem.__context__ = None  # the handled parser error's frames would keep the file's bytes alive
        return problem.with_traceback(None)


def dropped_lines(layer: ImportedLayer) -> list[str]:
    """The first reasons rows were dropped, one line each."""
    return [str(ImportProblem(layer.name, problem)).removeprefix(layer.name + ", ") for problem in layer.dropped[:DROPPED_SHOWN]]


@dataclass(frozen=True)
class View:
    """What the map shows: its zoom level and bounds (west, south, east, north) in degrees."""

    zoom: int
    bounds: tuple[float, float, float, float]


def view_from_map(value: Mapping | None) -> View | None:
    """The view in st_folium's returned value ("zoom", "bounds"); None before the browser reports one."""
    if value is None:
        return None
    try:
        south_west, north_east = value["bounds"]["_southWest"], value["bounds"]["_northEast"]
        return View(int(value["zoom"]), (float(south_west["lng"]), float(south_west["lat"]),
                                         float(north_east["lng"]), float(north_east["lat"])))
    except (KeyError, TypeError, ValueError):
        return None


def cell_size(view: View | None) -> float:
    """Cell width in degrees: settings.CELL_DEG at zoom CELL_ZOOM, halved per level in, doubled per level out."""
    zoom = settings.CELL_ZOOM if view is None else min(max(view.zoom, 0), 18)
    return settings.CELL_DEG * 2.0 ** (settings.CELL_ZOOM - zoom)


def in_view(frame: gpd.GeoDataFrame, view: View) -> gpd.GeoDataFrame:
    """The rows meeting the view's bounds widened by settings.VIEW_PAD of its size on each side."""
    west, south, east, north = view.bounds
    dx, dy = (east - west) * settings.VIEW_PAD, (north - south) * settings.VIEW_PAD
    return frame[frame.geometry.intersects(shapely.box(west - dx, south - dy, east + dx, north + dy))]


def shown_on(layer: ImportedLayer, day: dt.date, window_days: int, view: View | None = None) -> gpd.GeoDataFrame:
    """The layer's rows for the day (in the view, when known), as count cells (layer 'cells:<name>') when too many
    to draw: zooming in shows smaller cells, then the features themselves."""
    frame = on_day(layer, day, window_days=window_days)
    frame = in_view(frame, view) if view is not None else frame
    if not should_aggregate(len(frame)):
        return frame
    cells = grid_counts(frame, cell_deg=cell_size(view))
    return cells.assign(layer=cells["layer"].str.replace(IMPORT_PREFIX, CELL_PREFIX, n=1, regex=False))
