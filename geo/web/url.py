"""The app's state in its link: the day (clamped to the timeline), the layers shown and the forces chosen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

Bounds = tuple[dt.date, dt.date]


def clamp(day: dt.date, bounds: Bounds) -> dt.date:
    return min(max(day, bounds[0]), bounds[1])


def parse_day(text: str, bounds: Bounds, default: dt.date) -> dt.date:
    """A day from the URL, clamped to the timeline; the default day when it is not an ISO date."""
    try:
        return clamp(dt.date.fromisoformat(text), bounds)
    except ValueError:
        return clamp(default, bounds)


def url_state(query: Mapping[str, str], bounds: Bounds, default: dt.date, layers: list[str],
              actors: list[str]) -> dict[str, object]:
    """Widget state from a link: the day (clamped), a toggle per layer and the chosen actors (all when absent)."""
    shown = query["layers"].split(",") if "layers" in query else layers
    chosen = [a for a in query["actors"].split(",") if a in actors] if "actors" in query else actors
    return {"day": parse_day(query.get("date", ""), bounds, default), **{f"layer:{name}": name in shown for name in layers},
            "actors": chosen}
