"""Niger's eight regions (Natural Earth admin-1), always shown."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd

from geo.data.dataset import Dataset
from layers._common import boundary_layer

NAME = "regions"
TITLE = "Niger's regions"
TIME_DEPENDENT = False


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """One polygon per region; the same on every day."""
    return boundary_layer(dataset, boundary="regions", layer=NAME, id_field="iso_3166_2",
                          columns=["iso_3166_2", "name_fr"])
