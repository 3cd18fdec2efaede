"""Co-presence: bases where two or more foreign forces are present at the same time."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd

from geo.data.dataset import Dataset
from geo.data.timeline import on_day
from layers._common import actor_names, join_ids, layer_frame, presence_periods, records_by, site_points

NAME = "copresence"
TITLE = "Co-presence of foreign forces"
TIME_DEPENDENT = True
IN_BASE_MAP = False
COLUMNS = ["base_id", "actor_ids", "actors", "count"]


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """One feature per base and period with two or more foreign actors; compounds count toward their base."""
    sites, names = site_points(dataset), actor_names(dataset)
    deployments = dataset["deployments"]
    deployments = deployments[deployments["site_id"].isin(sites.index[sites.geometry.notna()])]
    deployments = deployments.assign(base_id=sites.loc[deployments["site_id"], "base_id"].to_numpy())
    records, geometries = [], []
    for base_id, here in sorted(records_by(deployments, "base_id").items()):
        base = sites.loc[base_id]
        for index, (start, end, active) in enumerate(presence_periods(here)):
            foreign = [row for row in active if row["actor_id"] != base["country"]]
            actors = sorted({row["actor_id"] for row in foreign})
            if len(actors) < 2:
                continue
            records.append({
                "feature_id": f"copresence:{base_id}#{index}", "name": f"{len(actors)} foreign forces at {base['name']}",
                "start_date": start, "end_date": end, "source_ids": join_ids(*(row["source_ids"] for row in foreign)),
                "base_id": base_id, "actor_ids": ";".join(actors), "actors": "; ".join(names[a] for a in actors),
                "count": len(actors),
            })
            geometries.append(base.geometry)
    return on_day(layer_frame(NAME, records, geometries, COLUMNS), day)
