"""The seed document, its claims and the story as plain data (for the app and the offline page; no markup)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from geo.data.dataset import Dataset
from geo.data.refs import RowRef, resolve_all
from geo.data.story import steps


def seed_document(dataset: Dataset) -> tuple[dict, str | None]:
    """The first document row and its text (None when the file is missing or unreadable)."""
    document = dataset["documents"].iloc[0].to_dict()
    try:
        return document, (dataset.seeds_dir / document["file"]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return document, None


def claim_day(refs: list[RowRef]) -> dt.date | None:
    """The day a claim is about: that of its first dated row."""
    return next((ref.day.date() for ref in refs if ref.day is not None), None)


def citations(sources: pd.DataFrame) -> dict[str, dict]:
    """source_id -> {title, url} (url empty when the source has none)."""
    return {row.source_id: {"title": f"{row.title} ({row.publisher})", "url": row.url}
            for row in sources.itertuples(index=False)}


def source_entries(source_ids: str, table: dict[str, dict]) -> list[dict]:
    """Cited sources as {title, url}, looked up in `citations(sources)`."""
    return [dict(table[s]) for s in source_ids.split(";") if s in table]


def rows_payload(refs: list[RowRef], table: dict[str, dict]) -> list[dict]:
    return [{"title": r.title, "day": r.day_label, "sources": source_entries(r.source_ids, table)} for r in refs]


def claims_payload(dataset: Dataset) -> dict:
    """Document, errata and claims, each claim with its day and rows with their sources."""
    document, text = seed_document(dataset)
    table, claims = citations(dataset.sources), []
    for _, claim in dataset["claims"].iterrows():
        refs = resolve_all(dataset, claim["rows"])
        day = claim_day(refs)
        claims.append({"id": claim["claim_id"], "claim": claim["claim"], "quote": claim["quote"],
                       "day": day.isoformat() if day else None, "rows": rows_payload(refs, table)})
    return {"title": document["title"], "errata": document["errata"], "text": text or "", "claims": claims}


def story_payload(dataset: Dataset) -> list[dict]:
    """The story's steps with their sources and highlighted rows resolved."""
    table = citations(dataset.sources)
    return [{**dataclasses.asdict(step), "day": step.day.isoformat(), "center": list(step.center),
             "sources": source_entries(step.source_ids, table),
             "highlighted": rows_payload(resolve_all(dataset, ";".join(step.rows)), table)}
            for step in steps(dataset["story"])]


def narrative(dataset: Dataset) -> dict:
    """What the offline page shows beside its map: the seed document with its claims, and the story."""
    return {"seed": claims_payload(dataset), "story": story_payload(dataset)}
