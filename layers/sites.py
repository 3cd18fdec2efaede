"""Bases and other sites, each with the forces present there on the day."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd

from geo.data.dataset import Dataset
from geo.data.timeline import on_day
from layers._common import actor_names, join_ids, layer_frame, presence_periods, records_by, site_points

NAME = "sites"
TITLE = "Bases and sites"
TIME_DEPENDENT = True
IN_BASE_MAP = False
COLUMNS = ["site_id", "kind", "country", "forces", "location_precision", "displaced", "confidence", "lon", "lat", "notes"]


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """One feature per site and period in which the set of forces there is constant (no geometry if unlocated)."""
    names, by_site, sites = actor_names(dataset), records_by(dataset["deployments"], "site_id"), site_points(dataset)
    records, geometries = [], []
    for site, shape in zip(sites.drop(columns="geometry").to_dict("records"), sites.geometry):
        site_id = site["site_id"]
        for index, (start, end, active) in enumerate(presence_periods(by_site.get(site_id, []))):
            forces = "; ".join(sorted({names[row["actor_id"]] for row in active}))
            records.append({
                "feature_id": f"site:{site_id}#{index}", "name": site["name"], "start_date": start, "end_date": end,
                "source_ids": join_ids(site["source_ids"], *(row["source_ids"] for row in active)), "site_id": site_id,
                "kind": site["kind"], "country": site["country"], "forces": forces,
                "location_precision": site["location_precision"], "displaced": bool(site["displaced"]),
                "confidence": site["confidence"], "lon": site["lon"], "lat": site["lat"], "notes": site["notes"],
            })
            geometries.append(shape)
    return on_day(layer_frame(NAME, records, geometries, COLUMNS), day)
