"""GeoPackage 1.2 export: one layer per map layer (UTC DateTime intervals), a sources table, QGIS default styles."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.exports.common import FIXED_TIMESTAMP, Bundle, Format, prepared, single_file, utc_dates
from geo.exports.qml import qml

GEOMETRY_COLUMN = "geom"
STYLES_TABLE = """CREATE TABLE layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
  f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
  useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME)"""


# The file is built in a staging folder and moved into place only once complete (exports.write), so SQLite's rollback
# journal and fsyncs protect nothing here: a failed write is thrown away. Without them: 0.44 -> 0.27 s (BENCHMARKS.md).
UNJOURNALED = {"OGR_SQLITE_JOURNAL": "OFF", "OGR_SQLITE_SYNCHRONOUS": "OFF"}
UNJOURNALED_PRAGMAS = ("PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF")


@contextlib.contextmanager
def gdal_writing() -> Iterator[None]:
    """Make GDAL stamp FIXED_TIMESTAMP instead of the current time and write without a journal, restoring the previous
    settings after."""
    options = {"OGR_CURRENT_DATE": FIXED_TIMESTAMP, **UNJOURNALED}
    previous = {name: pyogrio.get_gdal_config_option(name) for name in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


def geometry_type(frame: gpd.GeoDataFrame) -> str:
    """The layer's geometry type: multi when parts are mixed, 'Unknown' when nothing is located."""
    kinds = set(frame.geom_type.dropna())
    if not kinds:
        return "Unknown"
    if len(kinds) == 1:
        return kinds.pop()
    multi = {k if k.startswith("Multi") else f"Multi{k}" for k in kinds}
    return multi.pop() if len(multi) == 1 else "Unknown"


def write_gpkg(bundle: Bundle, path: Path) -> None:
    """Write every layer and the sources with pyogrio, then the default styles with sqlite3."""
    with gdal_writing():
        for index, (name, frame) in enumerate(bundle.frames.items()):
            write_layer(utc_dates(prepared(frame)), path, name=name, bundle=bundle, first=index == 0)
        sources = bundle.sources.sort_values("source_id", kind="stable").reset_index(drop=True)
        pyogrio.write_dataframe(sources, path, layer="sources", driver="GPKG", append=False,
                                layer_options={"DESCRIPTION": f"Sources cited; dataset_version={bundle.version}"})
    write_styles(path, bundle)


def write_layer(frame: gpd.GeoDataFrame, path: Path, *, name: str, bundle: Bundle, first: bool) -> None:
    """One GeoPackage layer; the first call creates the file as GeoPackage 1.2."""
    kind = geometry_type(frame)
    promote = kind.startswith("Multi") and len(set(frame.geom_type.dropna())) > 1
    pyogrio.write_dataframe(
        frame, path, layer=name, driver="GPKG", geometry_type=kind, promote_to_multi=promote or None,
        dataset_options={"VERSION": "1.2"} if first else None,
        layer_options={"IDENTIFIER": bundle.title(name), "GEOMETRY_NAME": GEOMETRY_COLUMN, "SPATIAL_INDEX": "YES",
                       "DESCRIPTION": f"{bundle.title(name)}; dataset_version={bundle.version}"},
    )


def write_styles(path: Path, bundle: Bundle) -> None:
    """The `layer_styles` table QGIS reads: one default QML style per layer, registered as an attributes table."""
    rows = [("", "", name, GEOMETRY_COLUMN, "default", qml(frame), "", 1, f"dataset_version={bundle.version}",
             "", "", FIXED_TIMESTAMP) for name, frame in bundle.frames.items()]
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        for pragma in UNJOURNALED_PRAGMAS:
            db.execute(pragma)
        db.execute(STYLES_TABLE)
        db.executemany("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                       "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                   "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS default styles', ?)", (FIXED_TIMESTAMP,))


def read_styles(path: Path) -> pd.DataFrame:
    """The stored styles (for tests and checks)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return pd.read_sql_query("SELECT f_table_name, styleName, useAsDefault, styleQML FROM layer_styles", db)


FORMAT = Format("gpkg", "GeoPackage 1.2 with QGIS styles and a sources table", "GeoPackage (QGIS)", "gpkg",
                "application/geopackage+sqlite3", single_file("gpkg", write_gpkg), weight=3)
