"""Row references (`table:id`, as in claims' and the story's rows) resolved to a title, a date and sources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from geo.data.dataset import Dataset
from geo.data.schema import TABLES
from geo.data.timeline import format_day
from geo.data.validate import split_list


@dataclass(frozen=True)
class RowRef:
    """One referenced row: what it is called, the day it is about (None if undated) and its sources."""

    ref: str
    title: str
    day: pd.Timestamp | None
    day_label: str
    source_ids: str


def _names(dataset: Dataset) -> tuple[dict[str, str], dict[str, str]]:
    return (dict(zip(dataset.actors["actor_id"], dataset.actors["name"])),
            dict(zip(dataset["sites"]["site_id"], dataset["sites"]["name"])))


def _event(row: pd.Series, dataset: Dataset) -> tuple[str, pd.Timestamp, str]:
    return row["title"], row["date"], format_day(row["date"], row["date_precision"])


def _deployment(row: pd.Series, dataset: Dataset) -> tuple[str, pd.Timestamp, str]:
    actors, sites = _names(dataset)
    until = f" to {format_day(row['end'], row['end_precision'])}" if pd.notna(row["end"]) else ""
    return (f"{actors.get(row['actor_id'], row['actor_id'])} at {sites.get(row['site_id'], row['site_id'])}",
            row["start"], f"{format_day(row['start'], row['start_precision'])}{until}")


def _strength(row: pd.Series, dataset: Dataset) -> tuple[str, pd.Timestamp, str]:
    actors, sites = _names(dataset)
    figure = "-".join(f"{row[c]:,}" for c in ("strength_min", "strength_max") if pd.notna(row[c]))
    where = sites.get(row["site_id"]) or f"{row['country']} (country-wide)"
    return (f"{actors.get(row['actor_id'], row['actor_id'])} strength in {where}: {row['qualifier'].replace('_', ' ')} "
            f"{figure}", row["as_of"], format_day(row["as_of"], row["as_of_precision"]))


def _person(row: pd.Series, dataset: Dataset) -> tuple[str, pd.Timestamp | None, str]:
    return f"{row['name']} ({row['role']})", None, ""


DESCRIBE: dict[str, Callable[[pd.Series, Dataset], tuple[str, pd.Timestamp | None, str]]] = {
    "events": _event, "deployments": _deployment, "strengths": _strength, "people": _person,
}


def resolve(dataset: Dataset, ref: str) -> RowRef:
    """A `table:id` as a RowRef; a table without a description is named by its id."""
    table, _, row_id = ref.partition(":")
    frame = dataset[table]
    row = frame[frame[TABLES[table][0].name] == row_id].iloc[0]
    title, day, label = DESCRIBE.get(table, lambda r, d: (row_id, None, ""))(row, dataset)
    return RowRef(ref, title, day if day is not None and pd.notna(day) else None, label, str(row.get("source_ids", "")))


def resolve_all(dataset: Dataset, cell: str) -> list[RowRef]:
    return [resolve(dataset, ref) for ref in split_list(cell)]
