"""Analysts' own layers on the command line: read with hints, safe export names and columns, a day's summary."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo import settings
from geo.data.contract import BASE_COLUMNS, END, START, LayerRegistry
from geo.data.dataset import Dataset
from geo.data.records import iso_day, plain
from geo.exports.common import is_imported
from geo.exports.forked import forked_map
from geo.imports.cells import should_aggregate
from geo.imports.common import fail, listed
from geo.imports.reader import SEPARATORS, ImportedLayer, ImportProblem, on_day, read_layer
from geo.imports.textfile import SEPARATOR_NAMES

# Field names the formats treat specially (case-insensitively): GPKG's fid and geometry, and every name GDAL's
# LIBKML driver turns into KML elements instead of ExtendedData (found by writing each one with GDAL 3.12).
SPECIAL_FIELDS = frozenset([
    "fid", "geom", "geometry", "id", "description", "timestamp", "begin", "end", "altitudemode", "tessellate",
    "extrude", "visibility", "draworder", "icon", "snippet", "heading", "tilt", "roll", "scale_x", "scale_y",
    "scale_z", "model", "networklink", "networklink_refreshvisibility", "networklink_flytoview",
    "networklink_refreshmode", "networklink_refreshinterval", "networklink_viewrefreshmode",
    "networklink_viewrefreshtime", "networklink_viewboundscale", "networklink_viewformat",
    "networklink_httpquery", "camera_longitude", "camera_latitude", "camera_altitude", "camera_altitudemode",
    "photooverlay", "leftfov", "rightfov", "bottomfov", "topfov", "near", "photooverlay_shape",
    "imagepyramid_tilesize", "imagepyramid_maxwidth", "imagepyramid_maxheight", "imagepyramid_gridorigin",
])


def ascii_word(text: str) -> str:
    """Letters (accents dropped), digits and single underscores only; '' when nothing is left."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "_", flat).strip("_")


def unique(word: str, taken: set[str]) -> str:
    """word, or word_2, word_3... whichever is not yet taken (compared case-insensitively); marks it taken."""
    candidate, number = word, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{word}_{number}"
    taken.add(candidate.lower())
    return candidate


def export_name(label: str, taken: set[str]) -> str:
    """A layer name safe as a file-name part, GPKG table and KML id: import_ + [a-z0-9_], unique."""
    word = ascii_word(label).lower()[:settings.MAX_EXPORT_NAME_CHARS].strip("_") or "layer"
    return unique(settings.IMPORT_EXPORT_PREFIX + word, taken)


def export_columns(columns: Iterable[str]) -> dict[str, str]:
    """The file's own columns -> field names every format keeps as plain attributes (orig_ before special ones)."""
    taken = {c.lower() for c in BASE_COLUMNS}
    renamed = {}
    for column in columns:
        word = ascii_word(str(column)) or "field"
        clash = word.lower() in SPECIAL_FIELDS or word.lower() in BASE_COLUMNS
        renamed[column] = unique(f"orig_{word}" if clash else word, taken)
    return renamed


def shown_interval(layer: ImportedLayer, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Instants get the app's display window as their end: [their day, day + EVENT_WINDOW_DAYS), or from the end of
    the span an imprecise date stands for."""
    if layer.time_kind != "instant":
        return frame
    last = frame[END].fillna(frame[START].dt.normalize() + pd.Timedelta(days=1))  # an imprecise date: its span
    return frame.assign(**{END: last + pd.Timedelta(days=settings.EVENT_WINDOW_DAYS - 1)})


def export_frame(layer: ImportedLayer, *, day: dt.date | None) -> gpd.GeoDataFrame:
    """The layer as an export frame: the day's rows (all when day is None), safe field names, no NUL characters."""
    frame = layer.frame if day is None else on_day(layer, day)
    own = [c for c in frame.columns if c not in BASE_COLUMNS and c != frame.geometry.name]
    frame = shown_interval(layer, frame).rename(columns=export_columns(own))
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c]) and c != frame.geometry.name]
    # SQLite ends a GeoPackage string at NUL; no format keeps it whole.
    return frame.assign(**{c: frame[c].str.replace("\x00", "", regex=False) for c in text})


def export_frames(layers: dict[Path, ImportedLayer], *, day: dt.date | None,
                  taken: Iterable[str]) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, str]]:
    """Frames and titles keyed by safe, unique export names (never one of `taken`)."""
    names, frames, titles = {n.lower() for n in taken}, {}, {}
    for path, layer in layers.items():
        name = export_name(layer.name, names)
        frames[name], titles[name] = export_frame(layer, day=day), f"Imported: {layer.name} ({path.name})"
    return frames, titles


def layer_frames(dataset: Dataset, registry: LayerRegistry, layers: Mapping[Path, ImportedLayer], *,
                 day: dt.date | None, workers: int = 1) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, str]]:
    """What every export writes: each registered layer (its module's build and TITLE), then each imported layer.

    `workers` > 1 builds the registered layers in that many forked processes (geo.exports.forked).
    """
    def build(name: str) -> gpd.GeoDataFrame:
        return registry[name].build(dataset, day=day)
    frames = dict(zip(registry, forked_map(build, list(registry), workers=workers)))
    extra, extra_titles = export_frames(dict(layers), day=day, taken=frames)
    titles = {name: dataset.scenario.layer_title(name, layer.TITLE) for name, layer in registry.items()}
    return {**frames, **extra}, {**titles, **extra_titles}


def html_warnings(frames: dict[str, gpd.GeoDataFrame]) -> list[str]:
    """One note per imported layer the HTML page would draw feature by feature past the app's aggregation limit."""
    return [f"warning: {name} has {len(frame):,} features; the HTML page draws each one (the app groups more than "
            f"{settings.AGGREGATE_THRESHOLD:,} into cells): the GeoPackage, KML or GeoJSON suit it better"
            for name, frame in frames.items() if is_imported(frame) and should_aggregate(len(frame))]


def read_layers(paths: list[Path], *, lat: str | None = None, lon: str | None = None, file_layer: str | None = None,
                sep: str | None = None, decimal: str | None = None, date_order: str | None = None,
                encoding: str | None = None) -> dict[Path, ImportedLayer]:
    """Read every file (raises ImportProblem): lat/lon/sep/decimal/encoding go to CSV/TSV files, file_layer to the
    others, date_order to all."""
    layers = {}
    for path in paths:
        table = path.suffix.lower() in SEPARATORS
        options: dict[str, Any] = ({"lat": lat, "lon": lon, "sep": sep, "decimal": decimal, "encoding": encoding} if table
                   else {"layer": file_layer})
        try:
            layers[path] = read_layer(path, name=path.stem, date_order=date_order, **options)
        except OSError as error:  # e.g. no permission: still one message, no traceback
            raise fail(path.name, "a readable file", value=error.strerror or error) from error
    return layers


# The command-line flags answering each ImportProblem.question, and how a candidate is typed after the flag.
FLAGS = {"coordinates": "--lat COLUMN --lon COLUMN", "layer": "--file-layer NAME", "separator": "--sep",
         "decimal": "--decimal", "date_order": ""}
TYPED = {"separator": SEPARATOR_NAMES,
         "date_order": {"dayfirst": "--dayfirst", "monthfirst": "--monthfirst"}}


def hint(error: ImportProblem) -> str:
    """What to type next when the importer needs a choice: the flag(s) and the candidates, from the problem's fields."""
    if error.question in ("coordinates", "layer"):
        return f"hint: choose with {FLAGS[error.question]} (one of: {listed(error.candidates)})"
    if error.question is None:
        return ""
    examples = error.examples or error.candidates
    typed = TYPED.get(error.question, {})
    options = [f"{FLAGS[error.question]} {typed.get(c, repr(c))}".strip() + f" ({example})"
               for c, example in zip(error.candidates, examples)]
    return f"hint: choose with {' or '.join(options)}"


def feature_record(row: pd.Series, geometry: shapely.Geometry | None) -> dict:
    point = None if geometry is None or geometry.is_empty else geometry.representative_point()
    return {"feature_id": row["feature_id"], "name": plain(row["name"]), "start_date": iso_day(row[START]),
            "end_date": iso_day(row[END]), "lon": None if point is None else round(point.x, 5),
            "lat": None if point is None else round(point.y, 5)}


def layer_summary(path: Path, layer: ImportedLayer, day: dt.date) -> dict:
    """What an imported layer shows on the day (instants: the last EVENT_WINDOW_DAYS days), and what was dropped."""
    shown = on_day(layer, day).sort_values([START, "feature_id"], kind="stable")
    head = shown.head(settings.SUMMARY_MAX_FEATURES)
    return {"name": layer.name, "file": str(path), "time": layer.time_kind, "read": dict(layer.reading),
            "rows": len(layer.frame),
            "on_day": len(shown), "dropped": layer.dropped_count,
            "dropped_reasons": [str(ImportProblem(path.name, p)) for p in layer.dropped],
            "features": [feature_record(row, g) for (_, row), g in zip(head.iterrows(), head.geometry)]}


def summary_lines(entry: dict) -> list[str]:
    """The text summary of one imported layer (layer_summary's dict)."""
    lines = [f"\nImported layer {entry['name']} ({entry['file']}, time: {entry['time']}): {entry['on_day']} of "
             f"{entry['rows']} feature(s) on the day, {entry['dropped']} row(s) dropped"]
    lines += [f"  read with {'; '.join(f'{what}: {how}' for what, how in entry['read'].items())}"] if entry["read"] else []
    lines += [f"  dropped: {reason}" for reason in entry["dropped_reasons"]]
    lines += [f"  {f['start_date'] or '-'} {f['name']} ({f['lon']}, {f['lat']})" for f in entry["features"]]
    if entry["on_day"] > len(entry["features"]):
        lines.append(f"  ... and {entry['on_day'] - len(entry['features'])} more (see --json or export)")
    return lines
