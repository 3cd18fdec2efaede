"""Deployments: each force at each site over [start, end), one feature per step of its reported strength."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd

from geo.data.dataset import Dataset
from geo.data.timeline import Strength, format_day, on_day, segments, strength_on
from layers._common import join_ids, layer_frame, radius_for, site_points

NAME = "deployments"
TITLE = "Forces present"
TIME_DEPENDENT = True
IN_BASE_MAP = False
COLUMNS = [
    "deployment_id", "actor_id", "actor_name", "site_id", "site_name", "colour", "status", "mission", "assets",
    "strength_min", "strength_max", "strength_label", "strength_as_of", "strength_scope", "radius",
    "deployment_start", "start_precision", "deployment_end", "end_precision",
    "confidence", "location_precision", "lon", "lat", "notes",
]


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """Every deployment step over the timeline, or those active on day (no geometry where the site is unlocated)."""
    sites, actors = site_points(dataset), dataset.actors.set_index("actor_id", drop=False)
    records, geometries = [], []
    for _, deployment in dataset["deployments"].iterrows():
        site = sites.loc[deployment["site_id"]]
        for record in steps(dataset["strengths"], deployment, site, actors.loc[deployment["actor_id"]]):
            records.append(record)
            geometries.append(site.geometry)
    frame = layer_frame(NAME, records, geometries, COLUMNS)
    frame[["strength_min", "strength_max"]] = frame[["strength_min", "strength_max"]].astype("Int64")
    return on_day(frame, day)


def steps(strengths: pd.DataFrame, deployment: pd.Series, site: pd.Series, actor: pd.Series) -> list[dict]:
    """Split one deployment where its strength report or its status changes."""
    mine = strengths[(strengths["actor_id"] == actor["actor_id"])
                     & strengths["site_id"].isin([site["site_id"], ""]) & (strengths["country"] == site["country"])]
    pieces = segments([*mine["as_of"], deployment["drawdown_from"]], deployment["start"], deployment["end"])
    return [
        record(deployment, site, actor, (start, end),
               strength_on(mine, actor_id=actor["actor_id"], site_id=site["site_id"], country=site["country"], day=start),
               index)
        for index, (start, end) in enumerate(pieces)
    ]


def status_on(deployment: pd.Series, day: pd.Timestamp) -> str:
    """'withdrawing' once a withdrawal was announced or agreed for this force, else 'present'."""
    drawdown = deployment["drawdown_from"]
    return "withdrawing" if pd.notna(drawdown) and day >= drawdown else "present"


def record(deployment: pd.Series, site: pd.Series, actor: pd.Series, span: tuple, strength: Strength | None,
           index: int) -> dict:
    """One feature's properties: who, where, status, reported strength as of its date, and all sources."""
    return {
        "feature_id": f"{deployment['deployment_id']}#{index}", "name": f"{actor['name']} at {site['name']}",
        "start_date": span[0], "end_date": span[1],
        "source_ids": join_ids(deployment["source_ids"], strength.source_ids if strength else ""),
        "deployment_id": deployment["deployment_id"], "actor_id": actor["actor_id"], "actor_name": actor["name"],
        "site_id": site["site_id"], "site_name": site["name"], "colour": actor["colour"],
        "status": status_on(deployment, span[0]), "mission": deployment["mission"], "assets": deployment["assets"],
        **strength_fields(strength),
        "deployment_start": format_day(deployment["start"], deployment["start_precision"]),
        "start_precision": deployment["start_precision"],
        "deployment_end": format_day(deployment["end"], deployment["end_precision"] or "day"),
        "end_precision": deployment["end_precision"], "confidence": deployment["confidence"],
        "location_precision": site["location_precision"], "lon": site["lon"], "lat": site["lat"],
        "notes": deployment["notes"],
    }


def strength_fields(strength: Strength | None) -> dict:
    """Strength columns; unreported strength stays empty (and the marker takes the minimum size)."""
    if strength is None:
        return {"strength_min": None, "strength_max": None, "strength_label": "not reported",
                "strength_as_of": "", "strength_scope": "", "radius": radius_for(None)}
    size = strength.high if strength.high is not None else strength.low
    return {
        "strength_min": strength.low, "strength_max": strength.high, "strength_label": strength.label(),
        "strength_as_of": format_day(strength.as_of, strength.precision), "strength_scope": strength.scope,
        "radius": radius_for(size),
    }
