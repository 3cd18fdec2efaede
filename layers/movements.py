"""Movements between two located sites (convoys, airlifts), shown while under way and for a window after."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import shapely

from geo.data.dataset import Dataset
from geo.data.timeline import format_day, on_day
from layers._common import actor_colours, layer_frame, shown_until, site_points

NAME = "movements"
TITLE = "Movements"
TIME_DEPENDENT = True
IN_BASE_MAP = False
COLUMNS = ["movement_id", "actor_id", "colour", "mode", "from_name", "to_name", "date_label", "confidence"]


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """One line per movement; no geometry unless both its origin and destination have coordinates."""
    sites, colours = site_points(dataset), actor_colours(dataset)
    movements = dataset["movements"]
    records = [
        {
            "feature_id": f"movement:{m['movement_id']}", "name": m["title"], "start_date": m["start"],
            "end_date": shown_until(m["start"], m["end"]), "source_ids": m["source_ids"],
            "movement_id": m["movement_id"], "actor_id": m["actor_id"], "colour": colours[m["actor_id"]],
            "mode": m["mode"], "from_name": sites["name"].get(m["from_site"], ""), "to_name": sites["name"].get(m["to_site"], ""),
            "date_label": format_day(m["start"], m["start_precision"]), "confidence": m["confidence"],
        }
        for _, m in movements.iterrows()
    ]
    ends = zip(movements["from_site"], movements["to_site"])
    geometries = [line(sites.geometry.get(a), sites.geometry.get(b)) for a, b in ends]
    return on_day(layer_frame(NAME, records, geometries, COLUMNS), day)


def line(origin: shapely.Point | None, destination: shapely.Point | None) -> shapely.LineString | None:
    """A straight line between two points: the route itself is not sourced, only its ends."""
    return None if origin is None or destination is None else shapely.LineString([origin, destination])
