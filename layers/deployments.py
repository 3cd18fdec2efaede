"""Deployments: each force at each site over every day it may have been there, cut where figure, status or certainty change."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd

from geo.data.dataset import Dataset
from geo.data.timeline import Strength, format_day, on_day, segments, strength_steps, takes_effect
from geo.data.windows import CERTAIN, UNCERTAIN, Span, describe, iso, row_span
from layers._common import age_cuts, age_days, age_text, join_ids, layer_frame, radius_for, site_points

NAME = "deployments"
TITLE = "Forces present"
TIME_DEPENDENT = True
IN_BASE_MAP = False
COLUMNS = [
    "deployment_id", "actor_id", "actor_name", "site_id", "site_name", "colour", "status", "certainty", "mission",
    "assets", "strength_min", "strength_max", "strength_label", "strength_as_of", "strength_effective",
    "strength_age_days", "strength_age", "strength_scope", "radius", "deployment_start", "start_precision", "deployment_end",
    "end_precision", "start_earliest", "start_latest", "end_earliest", "end_latest",
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
    frame[["strength_min", "strength_max", "strength_age_days"]] = frame[
        ["strength_min", "strength_max", "strength_age_days"]].astype("Int64")
    return on_day(frame, day)


def steps(strengths: pd.DataFrame, deployment: pd.Series, site: pd.Series, actor: pd.Series) -> list[dict]:
    """Split one deployment where its site figure, its status or its certainty changes."""
    mine = strengths[(strengths["actor_id"] == actor["actor_id"]) & (strengths["site_id"] == site["site_id"])]
    stay, effective = row_span(deployment), takes_effect(mine)
    sure = stay.certain()
    cuts = [*effective, *age_cuts(effective), deployment["drawdown_from"], *(sure or ())]
    strength_on = strength_steps(mine, actor_id=actor["actor_id"], site_id=site["site_id"], country=site["country"])
    return [record(deployment, site, actor, (start, end), stay, None if start is None else strength_on(start), index)
            for index, (start, end) in enumerate(segments(cuts, *stay.possible()))]


def certainty(stay: Span, piece: tuple[pd.Timestamp | None, pd.Timestamp | None]) -> str:
    """'certain' when the whole piece lies inside the sure days, else 'uncertain' (pieces never straddle them)."""
    sure = stay.certain()
    inside = sure is not None and piece[0] is not None and sure[0] <= piece[0] and (
        sure[1] is None or (piece[1] is not None and piece[1] <= sure[1]))
    return CERTAIN if inside else UNCERTAIN


def status_on(deployment: pd.Series, day: pd.Timestamp | None) -> str:
    """'withdrawing' once a withdrawal was announced or agreed for this force, else 'present'."""
    drawdown = deployment["drawdown_from"]
    return "withdrawing" if day is not None and pd.notna(drawdown) and day >= drawdown else "present"


def record(deployment: pd.Series, site: pd.Series, actor: pd.Series, piece: tuple, stay: Span,
           strength: Strength | None, index: int) -> dict:
    """One feature's properties: who, where, status and certainty, the site's figure as of its date, all sources."""
    return {
        "feature_id": f"{deployment['deployment_id']}#{index}", "name": f"{actor['name']} at {site['name']}",
        "start_date": piece[0], "end_date": piece[1],
        "source_ids": join_ids(deployment["source_ids"], strength.source_ids if strength else ""),
        "deployment_id": deployment["deployment_id"], "actor_id": actor["actor_id"], "actor_name": actor["name"],
        "site_id": site["site_id"], "site_name": site["name"], "colour": actor["colour"],
        "status": status_on(deployment, piece[0]), "certainty": certainty(stay, piece),
        "mission": deployment["mission"], "assets": deployment["assets"],
        **strength_fields(strength), **age_fields(strength, piece[0]),
        "deployment_start": describe(stay.start, deployment["start_precision"]),
        "start_precision": deployment["start_precision"],
        "deployment_end": describe(stay.end, deployment["end_precision"]) if stay.end else "",
        "end_precision": deployment["end_precision"],
        "start_earliest": iso(stay.start.earliest), "start_latest": iso(stay.start.latest),
        "end_earliest": iso(stay.end_earliest), "end_latest": iso(stay.end_latest),
        "confidence": deployment["confidence"],
        "location_precision": site["location_precision"], "lon": site["lon"], "lat": site["lat"],
        "notes": deployment["notes"],
    }


def strength_fields(strength: Strength | None) -> dict:
    """Strength columns; unreported strength stays empty (and the marker takes the minimum size)."""
    if strength is None:
        return {"strength_min": None, "strength_max": None, "strength_label": "not reported", "strength_as_of": "",
                "strength_effective": "", "strength_scope": "", "radius": radius_for(None)}
    size = strength.high if strength.high is not None else strength.low
    return {
        "strength_min": strength.low, "strength_max": strength.high, "strength_label": strength.label(),
        "strength_as_of": format_day(strength.as_of, strength.precision),
        "strength_effective": iso(strength.effective), "strength_scope": strength.scope,
        "radius": radius_for(size),
    }


def age_fields(strength: Strength | None, since: pd.Timestamp | None) -> dict:
    """How old the figure is on the feature's first day, in days and as text."""
    age = age_days(strength.effective if strength else None, since)
    return {"strength_age_days": age, "strength_age": age_text(age)}
