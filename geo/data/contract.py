"""The layer contract: the columns every layer frame starts with, and the names that mark analysts' own layers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the dataset module imports this contract's names
    import geopandas as gpd

    from geo.data.dataset import Dataset

START, END = "start_date", "end_date"
BASE_COLUMNS = ("feature_id", "layer", "name", START, END, "source_ids")
# Analysts' own layers: "import:<name>" features, and "cells:<name>" grid counts when too many to draw one by one.
IMPORT_PREFIX, CELL_PREFIX = "import:", "cells:"


class Layer(Protocol):
    """A map layer: a module of layers/ with these names, listed in layers.REGISTRY."""

    NAME: str
    TITLE: str
    TIME_DEPENDENT: bool  # its features have dates: a day shows some of them
    IN_BASE_MAP: bool  # its timeless features are drawn once into the app's base map, the same on every day

    def build(self, dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
        """The layer's features (all of them, or those of `day`) in EPSG:4326, BASE_COLUMNS first."""
        ...


LayerRegistry = Mapping[str, Layer]
