"""Row references (`table:id`, as in claims' and the story's rows) resolved to a title, a date and sources."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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


Row = Mapping[str, Any]


def _names(dataset: Dataset) -> tuple[dict[str, str], dict[str, str]]:
    return dataset.derived("ref_names", lambda d: (dict(zip(d.actors["actor_id"], d.actors["name"])),
                                                   dict(zip(d["sites"]["site_id"], d["sites"]["name"]))))


def _rows_by_id(dataset: Dataset, table: str) -> dict[str, Row]:
    """A table's rows as records by id, built once per dataset (a claim or story step names several rows)."""
    def by_id(d: Dataset) -> dict[str, Row]:
        return {str(row[TABLES[table][0].name]): row for row in d[table].to_dict("records")}
    return dataset.derived(f"rows_by_id:{table}", by_id)


def _event(row: Row, dataset: Dataset) -> tuple[str, pd.Timestamp, str]:
    return row["title"], row["date"], format_day(row["date"], row["date_precision"])


def _deployment(row: Row, dataset: Dataset) -> tuple[str, pd.Timestamp, str]:
    actors, sites = _names(dataset)
    until = f" to {format_day(row['end'], row['end_precision'])}" if pd.notna(row["end"]) else ""
    return (f"{actors.get(row['actor_id'], row['actor_id'])} at {sites.get(row['site_id'], row['site_id'])}",
            row["start"], f"{format_day(row['start'], row['start_precision'])}{until}")


def _strength(row: Row, dataset: Dataset) -> tuple[str, pd.Timestamp, str]:
    actors, sites = _names(dataset)
    figure = "-".join(f"{row[c]:,}" for c in ("strength_min", "strength_max") if pd.notna(row[c]))
    where = sites.get(row["site_id"]) or f"{row['country']} (country-wide)"
    return (f"{actors.get(row['actor_id'], row['actor_id'])} strength in {where}: {row['qualifier'].replace('_', ' ')} "
            f"{figure}", row["as_of"], format_day(row["as_of"], row["as_of_precision"]))


def _person(row: Row, dataset: Dataset) -> tuple[str, pd.Timestamp | None, str]:
    return f"{row['name']} ({row['role']})", None, ""


DESCRIBE: dict[str, Callable[[Row, Dataset], tuple[str, pd.Timestamp | None, str]]] = {
    "events": _event, "deployments": _deployment, "strengths": _strength, "people": _person,
}


def resolve(dataset: Dataset, ref: str) -> RowRef:
    """A `table:id` as a RowRef; a table without a description is named by its id."""
    table, _, row_id = ref.partition(":")
    row = _rows_by_id(dataset, table)[row_id]
    title, day, label = DESCRIBE.get(table, lambda r, d: (row_id, None, ""))(row, dataset)
    return RowRef(ref, title, day if day is not None and pd.notna(day) else None, label, str(row.get("source_ids", "")))


def resolve_all(dataset: Dataset, cell: str) -> list[RowRef]:
    return [resolve(dataset, ref) for ref in split_list(cell)]
