"""Dated events at their sites, shown from their date to EVENT_WINDOW_DAYS after they ended."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd

from geo.data.dataset import Dataset
from geo.data.people import people_text, person_labels
from geo.data.timeline import format_day, on_day
from layers._common import actor_colours, layer_frame, shown_until, site_points

NAME = "events"
TITLE = "Events (last 30 days)"
TIME_DEPENDENT = True
IN_BASE_MAP = False
COLUMNS = ["event_id", "kind", "date_label", "actor_ids", "colour", "site_id", "site_name", "confidence", "date_precision",
           "people", "notes"]
NEUTRAL_COLOUR = "#555555"


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """One feature per event, a point at its site; no geometry where the event has no located site."""
    sites, colours, people = site_points(dataset), actor_colours(dataset), person_labels(dataset["people"])
    events = dataset["events"]
    records = [
        {
            "feature_id": f"event:{e['event_id']}", "name": e["title"], "start_date": e["date"],
            "end_date": shown_until(e["date"], e["end"]), "source_ids": e["source_ids"], "event_id": e["event_id"],
            "kind": e["kind"], "date_label": format_day(e["date"], e["date_precision"]), "actor_ids": e["actor_ids"],
            "colour": colours.get(e["actor_ids"].split(";")[0].strip(), NEUTRAL_COLOUR), "site_id": e["site_id"],
            "site_name": sites["name"].get(e["site_id"], ""), "confidence": e["confidence"],
            "date_precision": e["date_precision"], "people": people_text(e["person_ids"], people), "notes": e["notes"],
        }
        for _, e in events.iterrows()
    ]
    geometries = [sites.geometry.get(site_id) for site_id in events["site_id"]]
    return on_day(layer_frame(NAME, records, geometries, COLUMNS), day)
