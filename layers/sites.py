"""Bases and other sites, each with the forces present there on the day."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd

from geo.data.dataset import Dataset
from geo.data.timeline import on_day
from layers._common import actor_names, join_ids, layer_frame, presence_periods, site_points

NAME = "sites"
TITLE = "Bases and sites"
TIME_DEPENDENT = True
IN_BASE_MAP = False
COLUMNS = ["site_id", "kind", "country", "forces", "location_precision", "displaced", "confidence", "lon", "lat", "notes"]


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """One feature per site and period in which the set of forces there is constant (no geometry if unlocated)."""
    names, deployments = actor_names(dataset), dataset["deployments"]
    records, geometries = [], []
    for site_id, site in site_points(dataset).iterrows():
        here = deployments[deployments["site_id"] == site_id]
        for index, (start, end, active) in enumerate(presence_periods(here)):
            forces = "; ".join(sorted({names[a] for a in active["actor_id"]}))
            records.append({
                "feature_id": f"site:{site_id}#{index}", "name": site["name"], "start_date": start, "end_date": end,
                "source_ids": join_ids(site["source_ids"], *active["source_ids"]), "site_id": site_id,
                "kind": site["kind"], "country": site["country"], "forces": forces,
                "location_precision": site["location_precision"], "displaced": bool(site["displaced"]),
                "confidence": site["confidence"], "lon": site["lon"], "lat": site["lat"], "notes": site["notes"],
            })
            geometries.append(site.geometry)
    return on_day(layer_frame(NAME, records, geometries, COLUMNS), day)
