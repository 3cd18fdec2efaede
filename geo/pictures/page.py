"""What a picture says besides its shapes: the page (title, legend, extent), short labels, forces, events, sources."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd

from geo import settings
from geo.data.contract import LayerRegistry
from geo.data.dataset import Dataset

Extent = tuple[float, float, float, float]  # west, south, east, north in degrees


@dataclass(frozen=True)
class Page:
    """What every picture of one dataset shares, whatever the day."""

    title: str
    version: str
    actors: tuple[tuple[str, str], ...]  # (name, colour) of every force that ever deploys, for the legend
    sizes: tuple[tuple[str, float], ...]  # (strength label, marker radius in px) for the legend
    source_titles: Mapping[str, str]  # source_id -> title
    extent: Extent
    skip_sources: frozenset[str] = frozenset()  # cited in the attribution instead (Natural Earth)


@dataclass(frozen=True)
class Layers:
    """What the pictures need from the layers package, handed in by the command line (geo/ never imports layers)."""

    registry: LayerRegistry
    radius: Callable[[int | None], float]  # reported strength -> marker radius in pixels


def timeline_frames(dataset: Dataset, layers: Layers) -> dict[str, gpd.GeoDataFrame]:
    """Every registered layer over the whole timeline, in drawing order; a day is then on_day of each."""
    return {name: module.build(dataset) for name, module in layers.registry.items()}


def page_for(dataset: Dataset, frames: Mapping[str, gpd.GeoDataFrame], layers: Layers, *, title: str) -> Page:
    """What every picture of this dataset shares: forces that ever deploy, marker sizes, source titles, extent.

    The timeless layers (regions, towns) are Natural Earth's: their sources go in the attribution, not the sources line.
    """
    actors = dataset.actors[dataset.actors["actor_id"].isin(dataset["deployments"]["actor_id"])]
    sizes = tuple((f"{n:,}" + ("+" if n >= settings.RADIUS_REFERENCE_STRENGTH else ""), layers.radius(n))
                  for n in settings.PICTURE_LEGEND_STRENGTHS)
    timeless = [frames[name] for name, module in layers.registry.items() if not module.TIME_DEPENDENT]
    return Page(title=title, version=dataset.version, actors=tuple(zip(actors["name"], actors["colour"])), sizes=sizes,
                source_titles=dict(zip(dataset.sources["source_id"], dataset.sources["title"])),
                extent=extent(frames["countries"], frames["deployments"]), skip_sources=frozenset(cited(timeless)))


def extent(countries: gpd.GeoDataFrame, deployments: gpd.GeoDataFrame, *, pad: float = settings.PICTURE_PAD_DEG) -> Extent:
    """The focus country and every located force over the whole timeline, padded: one frame for every day."""
    shapes = [*countries[countries["role"] == "focus"].geometry, *deployments.geometry.dropna()]
    west, south, east, north = gpd.GeoSeries(shapes).total_bounds
    return west - pad, south - pad, east + pad, north + pad


def fit(box: Extent, aspect: float) -> Extent:
    """Grow the extent about its centre to the map box's height/width ratio, measured in km at its mid-latitude."""
    west, south, east, north = box
    width = (east - west) * math.cos(math.radians((south + north) / 2))
    height = north - south
    if height < width * aspect:
        grow = (width * aspect - height) / 2
        return west, south - grow, east, north + grow
    grow = (height / aspect / math.cos(math.radians((south + north) / 2)) - (east - west)) / 2
    return west - grow, south, east + grow, north


def short(name: str, limit: int = 34) -> str:
    """A label: the name before its first ' / ', ', ' or ' (' (e.g. 'Air Base 101'), cut to `limit` characters."""
    head = re.split(r" / |, | \(", str(name), maxsplit=1)[0]
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "\u2026"


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def listed(lines: list[str], limit: int = settings.PICTURE_MAX_LISTED) -> list[str]:
    """At most `limit` lines, the last one counting those left out."""
    return lines if len(lines) <= limit else [*lines[: limit - 1], f"\u2026 and {len(lines) - limit + 1} more"]


def present_lines(deployments: gpd.GeoDataFrame, base_names: Mapping[tuple[float, float], str]) -> list[tuple[str, str]]:
    """(colour, 'United States at Air Base 101: 1,000, withdrawing') per force on the day, by actor then site."""
    rows = deployments.sort_values(["actor_name", "site_name"], kind="stable")
    found = []
    for row in rows.drop(columns=rows.geometry.name).to_dict("records"):
        place = base_names.get((row["lon"], row["lat"]), short(row["site_name"]))
        status = ", withdrawing" if row["status"] == "withdrawing" else ""
        found.append((row["colour"], f"{short(row['actor_name'], 18)} at {place}: {row['strength_label']}{status}"))
    return found


def event_lines(events: gpd.GeoDataFrame, *, width: int) -> list[str]:
    """'2 May 2024: Russian personnel reported inside…' per event shown on the day, newest first, one line each."""
    rows = events.sort_values(["start_date", "event_id"], ascending=[False, True], kind="stable")
    return [cut(f"{label}: {name}", width) for label, name in zip(rows["date_label"], rows["name"])]


def cited(frames: Iterable[gpd.GeoDataFrame]) -> list[str]:
    """Source ids of the features drawn, in first-seen order (frames most specific first)."""
    seen: dict[str, None] = {}
    for frame in frames:
        for cell in frame["source_ids"]:
            for source_id in str(cell or "").split(";"):
                if source_id.strip():
                    seen.setdefault(source_id.strip(), None)
    return list(seen)


def sources_text(source_ids: list[str], page: Page, *, width: int, lines: int = settings.PICTURE_MAX_SOURCE_LINES) -> str:
    """'Sources: SRC012 Title…; …' wrapped to `lines` lines of `width` characters, ending with how many are left out."""
    items = [f"{sid} {cut(page.source_titles.get(sid, ''), 48)}".strip() for sid in source_ids if sid not in page.skip_sources]
    if not items:
        return ""

    def wrapped(shown: int) -> list[str]:
        rest = len(items) - shown
        return textwrap.wrap("Sources: " + "; ".join(items[:shown])
                             + (f"{'; ' if shown else ''}{rest} more in the dataset's sources.csv" if rest else ""), width)

    low, high = 0, len(items)  # the most items that fit: fewer items never need more lines
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if len(wrapped(middle)) <= lines else (low, middle - 1)
    return "\n".join(wrapped(low)[:lines])
