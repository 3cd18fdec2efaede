"""The focus country's first-level regions (the scenario's regions boundary file), always shown."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd

from geo.data.dataset import Dataset
from layers._common import boundary_layer

NAME = "regions"
TITLE = "Regions"
TIME_DEPENDENT = False
IN_BASE_MAP = True


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """One polygon per region; the same on every day."""
    return boundary_layer(dataset, boundary="regions", layer=NAME, id_field="iso_3166_2",
                          columns=["iso_3166_2", "name_fr"])
