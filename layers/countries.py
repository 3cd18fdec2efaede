"""Countries around the focus country, which is highlighted, its neighbours set apart, with memberships as of the day."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd

from geo.data.dataset import Dataset
from geo.data.timeline import active_on, on_day, segments
from layers._common import join_ids, layer_frame, natural_earth_source, records_by

NAME = "countries"
TITLE = "Countries and alliances"
TIME_DEPENDENT = True
IN_BASE_MAP = True
COLUMNS = ["iso_a3", "role", "groups", "group_member"]


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """One feature per country and membership period (a single timeless one for non-members)."""
    countries = with_roles(dataset.boundaries["countries"], dataset.scenario.focus_iso3)
    memberships, source = records_by(dataset["memberships"], "country"), natural_earth_source(dataset)
    records, geometries = [], []
    for country, shape in zip(countries.drop(columns="geometry").to_dict("records"), countries.geometry):
        for record in periods(country, memberships.get(country["ISO_A3"], []), source):
            records.append(record)
            geometries.append(shape)
    return on_day(layer_frame(NAME, records, geometries, COLUMNS), day)


def with_roles(countries: gpd.GeoDataFrame, focus: str) -> gpd.GeoDataFrame:
    """Each country's role: 'focus', 'neighbour' (touching the focus country) or 'context'."""
    shape = countries.loc[countries["ISO_A3"] == focus].union_all()
    touching = countries.intersects(shape)
    roles = touching.map({True: "neighbour", False: "context"}).where(countries["ISO_A3"] != focus, "focus")
    return countries.assign(role=roles)


def periods(country: dict, memberships: list[dict], source: str) -> list[dict]:
    """Split a country's time where one of its memberships (records) starts or ends; each period lists its groups."""
    pieces = segments([day for row in memberships for day in (row["start"], row["end"])])
    return [record(country, start, end, memberships, source, i) for i, (start, end) in enumerate(pieces)]


def record(country: dict, start: pd.Timestamp | None, end: pd.Timestamp | None, memberships: list[dict], source: str,
           index: int) -> dict:
    """One country period: the groups active at its start, with their sources."""
    active = [row for row in memberships if start and active_on(row["start"], row["end"], start)]
    groups = "; ".join(row["group"] for row in active)
    return {
        "feature_id": f"country:{country['ISO_A3']}#{index}", "name": country["NAME"],
        "start_date": start, "end_date": end,
        "source_ids": join_ids(source, *(row["source_ids"] for row in active)),
        "iso_a3": country["ISO_A3"], "role": country["role"], "groups": groups, "group_member": bool(groups),
    }
