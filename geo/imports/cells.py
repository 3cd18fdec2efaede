"""Square-grid counts for point layers too large to draw one marker per feature."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.data.contract import CELL_PREFIX, END, START


def should_aggregate(n_points: int, *, threshold: int = settings.AGGREGATE_THRESHOLD) -> bool:
    """True when a layer has more points than can be drawn one by one."""
    return n_points > threshold


def grid_counts(frame: gpd.GeoDataFrame, *, cell_deg: float) -> gpd.GeoDataFrame:
    """Features per cell_deg square cell (cells aligned on 0,0), as polygons in the layer shape, empty cells omitted.

    Non-point features count in the cell of their centroid; the cells cite every source of the frame.
    """
    lon, lat = _xy(frame.geometry)
    ix, iy, counts = _cell_counts(np.floor(lon / cell_deg).astype(np.int64), np.floor(lat / cell_deg).astype(np.int64))
    layer = str(frame["layer"].iloc[0]) if len(frame) else "grid"
    x0, y0 = ix * cell_deg, iy * cell_deg
    no_date = pd.Series(pd.NaT, index=range(len(counts)), dtype="datetime64[s]")
    records = pd.DataFrame({
        "feature_id": [f"{layer}:cell:{x}:{y}" for x, y in zip(ix.tolist(), iy.tolist())], "layer": layer,
        "name": [f"{n:,} features" for n in counts.tolist()], START: no_date, END: no_date.copy(),
        "source_ids": ";".join(frame["source_ids"].unique()) if len(frame) else "", "count": counts,
        "cell_deg": cell_deg})
    return gpd.GeoDataFrame(records, geometry=shapely.box(x0, y0, x0 + cell_deg, y0 + cell_deg), crs=settings.CRS)


def _cell_counts(ix: np.ndarray, iy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Occupied cells and their counts; one int64 key per cell (np.unique on rows is ten times slower)."""
    if not len(ix):
        return ix, iy, np.zeros(0, dtype=np.int64)
    height = int(iy.max() - iy.min()) + 1
    keys, counts = np.unique((ix - ix.min()) * height + (iy - iy.min()), return_counts=True)
    return keys // height + ix.min(), keys % height + iy.min(), counts


def _xy(geometry: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    shapes = geometry.to_crs(settings.CRS).to_numpy()
    points = shapes if (shapely.get_type_id(shapes) == 0).all() else shapely.centroid(shapes)
    return shapely.get_x(points), shapely.get_y(points)


def is_cells(frame: gpd.GeoDataFrame) -> bool:
    """True for a day of a layer drawn as count cells (see shown_on)."""
    return bool(len(frame)) and str(frame["layer"].iloc[0]).startswith(CELL_PREFIX)
