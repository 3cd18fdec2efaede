"""The guided story (story.csv): its steps in order, and the checks that need the scenario's timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geo import settings
from geo.data.records import table_rows
from geo.data.scenario import Scenario
from geo.data.schema import Problem
from geo.data.validate import FIRST_DATA_ROW, parse_date, split_list


@dataclass(frozen=True)
class Step:
    """One step: its day, words and sources, the map view, the layers shown and the rows it highlights."""

    number: int
    day: dt.date
    title: str
    text: str
    source_ids: str
    center: tuple[float, float]
    zoom: int
    layers: tuple[str, ...]
    rows: tuple[str, ...]


def story_problems(frame: pd.DataFrame | None, scenario: Scenario | None) -> list[Problem]:
    """Steps dated outside the scenario's timeline, and zooms a map cannot show (raw text cells)."""
    if frame is None or scenario is None or not {"date", "zoom"} <= set(frame.columns):
        return []
    start, end = scenario.timeline
    problems = []
    for offset, row in enumerate(table_rows(frame)):
        day, zoom = parse_date(row["date"].strip()), row["zoom"].strip()
        if day is not None and not start <= day <= end:
            expected = f"a day in the timeline, {start.isoformat()} to {end.isoformat()}"
            problems.append(Problem("story.csv", offset + FIRST_DATA_ROW, "date", row["date"], expected))
        if zoom.isdigit() and int(zoom) > settings.STORY_MAX_ZOOM:
            expected = f"a zoom level from 0 to {settings.STORY_MAX_ZOOM}"
            problems.append(Problem("story.csv", offset + FIRST_DATA_ROW, "zoom", zoom, expected))
    return problems


def steps(story: pd.DataFrame) -> list[Step]:
    """The typed story table's steps, by step number."""
    return [Step(int(row["step"]), row["date"].date(), row["title"], row["text"], row["source_ids"],
                 (float(row["lat"]), float(row["lon"])), int(row["zoom"]), tuple(split_list(row["layers"])),
                 tuple(split_list(row["rows"])))
            for _, row in story.sort_values("step").iterrows()]
