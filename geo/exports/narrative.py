"""The offline page's narrative: the seed document with its claims, and the story with the features each step rings."""

from __future__ import annotations

from collections.abc import Mapping

from geo import settings
from geo.data.schema import TABLES
from geo.exports.common import Bundle


def feature_ids(bundle: Bundle, refs: list[str]) -> list[str]:
    """The drawn features of the rows a step names (a layer named like its table, matched on the table's id)."""
    found = []
    for ref in refs:
        table, _, row_id = ref.partition(":")
        frame = bundle.frames.get(table)
        key = TABLES[table][0].name if table in TABLES else ""
        if frame is not None and key in frame.columns:
            found += [str(f) for f in frame.loc[frame[key] == row_id, "feature_id"]]
    return found


def narrative_payload(bundle: Bundle) -> Mapping[str, object]:
    """The bundle's narrative with ring targets per story step; a one-day snapshot has no story (it cannot move)."""
    if not bundle.narrative:
        return {}
    story = [] if bundle.day is not None else [
        {**step, "features": feature_ids(bundle, list(step["rows"]))} for step in bundle.narrative.get("story", [])]
    return {**bundle.narrative, "story": story, "ring": settings.STORY_HIGHLIGHT_STYLE}
