"""Towns of the focus country (the scenario's towns boundary file), always shown."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd

from geo.data.dataset import Dataset
from layers._common import boundary_layer

NAME = "towns"
TITLE = "Towns"
TIME_DEPENDENT = False
IN_BASE_MAP = True


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """One point per town; the same on every day."""
    return boundary_layer(dataset, boundary="towns", layer=NAME, id_field="ne_id",
                          columns=["role", "region", "pop_max"])
