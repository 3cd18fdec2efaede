"""Shared pieces for layer builders: the common frame shape, displayed site points and marker sizing."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import geopandas as gpd
import pandas as pd
import shapely

from geo import settings
from geo.data.contract import BASE_COLUMNS, END, START
from geo.data.dataset import Dataset
from geo.data.records import table_rows
from geo.data.timeline import active_on, segments


def layer_frame(layer: str, records: Iterable[Mapping], geometries: Iterable, extra: list[str]) -> gpd.GeoDataFrame:
    """Build a layer's GeoDataFrame with the common columns first, in EPSG:4326, even when empty."""
    records = [dict(r, layer=layer) for r in records]
    frame = pd.DataFrame.from_records(records, columns=[*BASE_COLUMNS, *extra])
    for column in (START, END):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(list(geometries), crs=settings.CRS), crs=settings.CRS)


def join_ids(*cells: str) -> str:
    """Merge `;`-separated id lists, keeping first-seen order and dropping repeats and blanks."""
    seen: dict[str, None] = {}
    for cell in cells:
        for item in str(cell or "").split(";"):
            if item.strip():
                seen.setdefault(item.strip(), None)
    return ";".join(seen)


def site_points(dataset: Dataset) -> gpd.GeoDataFrame:
    """Every site (no geometry where unlocated), compounds sharing one coordinate spread on a ring, marked approximate.

    The data keeps the one sourced coordinate; only the display moves, so no marker hides another. Built once per
    dataset (six layers ask), each caller given its own copy.
    """
    return dataset.derived("site_points", spread_sites).copy()


def spread_sites(dataset: Dataset) -> gpd.GeoDataFrame:
    sites = dataset.sites_frame()
    # Moved points gathered first and set in one step each: pandas' per-cell setting cost ~30 ms a build.
    moved = dict(point for _, group in sites.groupby(["lon", "lat"], sort=False) if len(group) > 1
                 for point in _ring(group))
    displaced = sites.index.isin(list(moved))
    geometry = [moved.get(row, shape) for row, shape in zip(sites.index, sites.geometry)]
    sites = sites.assign(displaced=displaced, base_id=sites["within"].where(sites["within"] != "", sites["site_id"]))
    sites.loc[displaced, "location_precision"] = "approximate"
    return sites.set_geometry(gpd.GeoSeries(geometry, index=sites.index, crs=settings.CRS)).set_index("site_id", drop=False)


def _ring(group: pd.DataFrame) -> list[tuple[object, shapely.Point]]:
    """The group's sites but the first (a base before its compounds) on a ring around their shared coordinate."""
    ordered = group.assign(is_compound=group["within"] != "").sort_values(["is_compound", "site_id"])
    ring = ordered.index[1:]
    points = []
    for position, row in enumerate(ring):
        angle = 2 * math.pi * position / len(ring)
        points.append((row, shapely.Point(group.at[row, "lon"] + settings.COMPOUND_SPREAD_DEG * math.cos(angle),
                                          group.at[row, "lat"] + settings.COMPOUND_SPREAD_DEG * math.sin(angle))))
    return points


def radius_for(strength: int | None) -> float:
    """Marker radius in pixels, sqrt-scaled so area tracks reported strength; the minimum when unreported."""
    if strength is None:
        return float(settings.RADIUS_MIN_PX)
    share = math.sqrt(min(strength, settings.RADIUS_REFERENCE_STRENGTH) / settings.RADIUS_REFERENCE_STRENGTH)
    return round(settings.RADIUS_MIN_PX + (settings.RADIUS_MAX_PX - settings.RADIUS_MIN_PX) * share, 1)


def actor_colours(dataset: Dataset) -> dict[str, str]:
    """Actor id -> display colour, from actors.csv."""
    return dict(zip(dataset.actors["actor_id"], dataset.actors["colour"]))


def actor_names(dataset: Dataset) -> dict[str, str]:
    """Actor id -> display name, from actors.csv."""
    return dict(zip(dataset.actors["actor_id"], dataset.actors["name"]))


def natural_earth_source(dataset: Dataset) -> str:
    """The source id of the bundled Natural Earth boundaries (the reference row whose title names it)."""
    sources = dataset.sources
    match = sources[sources["title"].str.contains("Natural Earth", regex=False) & (sources["kind"] == "reference")]
    return ";".join(match["source_id"].head(1))


def boundary_layer(dataset: Dataset, *, boundary: str, layer: str, id_field: str, columns: list[str]) -> gpd.GeoDataFrame:
    """A timeless layer straight from a bundled Natural Earth file, citing Natural Earth."""
    frame = dataset.boundaries[boundary]
    source = natural_earth_source(dataset)
    records = [
        {"feature_id": f"{layer}:{row[id_field]}", "name": row["name"], "start_date": None, "end_date": None,
         "source_ids": source, **{column: row[column] for column in columns}}
        for _, row in frame.iterrows()
    ]
    return layer_frame(layer, records, frame.geometry, columns)


def age_cuts(effective: Iterable) -> list[pd.Timestamp]:
    """Days where the figure in effect crosses a fade step (FIGURE_AGE_STEP_DAYS up to FIGURE_FADE_DAYS); a later
    figure's day ends the earlier one's steps."""
    days = sorted({day for day in effective if pd.notna(day)})
    steps = range(settings.FIGURE_AGE_STEP_DAYS, settings.FIGURE_FADE_DAYS + 1, settings.FIGURE_AGE_STEP_DAYS)
    cuts = [(day + pd.Timedelta(days=n), following) for day, following in zip(days, [*days[1:], None]) for n in steps]
    return [cut for cut, following in cuts if following is None or cut < following]


def age_days(effective: pd.Timestamp | None, since: pd.Timestamp | None) -> int | None:
    """A figure's age in whole days on the first day of a feature (the feature never spans a fade step)."""
    return None if effective is None or since is None else int((since - effective).days)


def age_text(age: int | None) -> str:
    """A feature's figure age as the band it lies in: '0-29 days earlier', '180+ days earlier'; '' when no figure."""
    if age is None:
        return ""
    step, cap = settings.FIGURE_AGE_STEP_DAYS, settings.FIGURE_FADE_DAYS
    low = min(age, cap) // step * step if age < cap else cap
    return f"{low}+ days earlier" if age >= cap else f"{low}-{low + step - 1} days earlier"


def shown_until(start: pd.Timestamp, end: pd.Timestamp | None) -> pd.Timestamp:
    """End of display for a dated happening: EVENT_WINDOW_DAYS after its last day, so 'near the day' is a window."""
    finished = end if end is not None and pd.notna(end) else start + pd.Timedelta(days=1)
    return finished + pd.Timedelta(days=settings.EVENT_WINDOW_DAYS)


def presence_periods(deployments: list[dict]) -> list[tuple[pd.Timestamp | None, pd.Timestamp | None, list[dict]]]:
    """Cut time where any of these deployments (records) starts or ends: (start, end, the deployments active in that
    piece, in file order)."""
    pieces = segments([day for row in deployments for day in (row["start"], row["end"])])
    return [(start, end, [row for row in deployments if start and active_on(row["start"], row["end"], start)])
            for start, end in pieces]


def records_by(frame: pd.DataFrame, column: str) -> dict[object, list[dict]]:
    """The frame's rows as records, grouped by one column's value, in file order."""
    grouped: dict[object, list[dict]] = {}
    for row in table_rows(frame):
        grouped.setdefault(row[column], []).append(row)
    return grouped
