"""Countries around the focus country, which is highlighted, its neighbours set apart, with memberships as of the day."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd

from geo.data.dataset import Dataset
from geo.data.timeline import active_mask, on_day, segments
from layers._common import join_ids, layer_frame, natural_earth_source

NAME = "countries"
TITLE = "Countries and alliances"
TIME_DEPENDENT = True
IN_BASE_MAP = True
COLUMNS = ["iso_a3", "role", "groups", "group_member"]


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """One feature per country and membership period (a single timeless one for non-members)."""
    countries = with_roles(dataset.boundaries["countries"], dataset.scenario.focus_iso3)
    memberships = dataset["memberships"]
    source = natural_earth_source(dataset)
    records, geometries = [], []
    for _, country in countries.iterrows():
        mine = memberships[memberships["country"] == country["ISO_A3"]]
        for record in periods(country, mine, source):
            records.append(record)
            geometries.append(country.geometry)
    return on_day(layer_frame(NAME, records, geometries, COLUMNS), day)


def with_roles(countries: gpd.GeoDataFrame, focus: str) -> gpd.GeoDataFrame:
    """Each country's role: 'focus', 'neighbour' (touching the focus country) or 'context'."""
    shape = countries.loc[countries["ISO_A3"] == focus].union_all()
    touching = countries.intersects(shape)
    roles = touching.map({True: "neighbour", False: "context"}).where(countries["ISO_A3"] != focus, "focus")
    return countries.assign(role=roles)


def periods(country: pd.Series, memberships: pd.DataFrame, source: str) -> list[dict]:
    """Split a country's time where a membership starts or ends; each period lists its groups."""
    pieces = segments([*memberships["start"], *memberships["end"]])
    return [record(country, start, end, memberships, source, i) for i, (start, end) in enumerate(pieces)]


def record(country: pd.Series, start: pd.Timestamp | None, end: pd.Timestamp | None, memberships: pd.DataFrame, source: str,
           index: int) -> dict:
    """One country period: the groups active at its start, with their sources."""
    active = memberships[active_mask(memberships["start"], memberships["end"], start)] if start else memberships[:0]
    groups = "; ".join(active["group"])
    return {
        "feature_id": f"country:{country['ISO_A3']}#{index}", "name": country["NAME"],
        "start_date": start, "end_date": end,
        "source_ids": join_ids(source, *active["source_ids"]),
        "iso_a3": country["ISO_A3"], "role": country["role"], "groups": groups, "group_member": bool(groups),
    }
