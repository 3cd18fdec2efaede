"""Figures not tied to a garrison: country-wide ones once per country and actor; departure counts at their site."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import geopandas as gpd
import pandas as pd
import shapely

from geo import settings
from geo.data.dataset import Dataset
from geo.data.timeline import figure, format_day, on_day, segments, takes_effect
from geo.data.windows import iso, row_span
from layers._common import actor_colours, actor_names, age_cuts, age_days, age_text, layer_frame, shown_until, site_points

NAME = "figures"
TITLE = "Country-wide figures and departures"
TIME_DEPENDENT = True
IN_BASE_MAP = False
COLUMNS = ["kind", "actor_id", "actor_name", "colour", "country", "site_id", "site_name", "strength_min",
           "strength_max", "strength_label", "strength_as_of", "strength_effective", "strength_age_days", "strength_age",
           "confidence"]
LOWEST_FIRST = tuple(reversed(settings.CONFIDENCES))


def build(dataset: Dataset, *, day: dt.date | None = None) -> gpd.GeoDataFrame:
    """Every country-wide figure over the days it holds (cut at its fade steps), and every departure count, or those
    shown on day."""
    pairs = [*country_figures(dataset), *departures(dataset)]
    frame = layer_frame(NAME, [r for r, _ in pairs], [g for _, g in pairs], COLUMNS)
    frame[["strength_min", "strength_max", "strength_age_days"]] = frame[
        ["strength_min", "strength_max", "strength_age_days"]].astype("Int64")
    return on_day(frame, day)


def country_points(dataset: Dataset, countries: list[str], actors: list[str]) -> dict[tuple[str, str], shapely.Point]:
    """One point per (country, actor) on a ring around the country's representative point, so none hides another."""
    shapes = dataset.boundaries["countries"].set_index("ISO_A3").geometry
    points = {}
    for country in sorted(set(countries)):
        centre = shapes[country].representative_point() if country in shapes.index else None
        mine = sorted({a for c, a in zip(countries, actors) if c == country})
        for position, actor in enumerate(mine):
            radius = settings.FIGURE_SPREAD_DEG if len(mine) > 1 else 0.0
            angle = 2 * math.pi * position / len(mine)
            points[(country, actor)] = None if centre is None else shapely.Point(
                centre.x + radius * math.cos(angle), centre.y + radius * math.sin(angle))
    return points


def leaving_days(dataset: Dataset) -> dict[tuple[str, str], pd.Timestamp | None]:
    """The last day a country-wide figure can describe, per (actor, country): when the actor's last deployment there
    may have ended (None while one has no end)."""
    countries = dict(zip(dataset["sites"]["site_id"], dataset["sites"]["country"]))
    ends: dict[tuple[str, str], list[pd.Timestamp | None]] = {}
    for row in dataset["deployments"].to_dict("records"):
        ends.setdefault((row["actor_id"], countries.get(row["site_id"], "")), []).append(row_span(row).possible()[1])
    return {key: None if None in days else max(days) for key, days in ends.items()}  # type: ignore[type-var]


def country_figures(dataset: Dataset) -> list[tuple[dict, shapely.Point | None]]:
    """A feature per country-wide figure, from the day it takes effect to the next one (or the actor's leaving)."""
    strengths = dataset["strengths"]
    wide = strengths[(strengths["site_id"] == "") & (strengths["measure"] == "present")]
    points = country_points(dataset, list(wide["country"]), list(wide["actor_id"]))
    names, leaving, pairs = Names.of(dataset), leaving_days(dataset), []
    for (actor_id, country), rows in wide.groupby(["actor_id", "country"], sort=True):
        effective = takes_effect(rows)
        until = leaving.get((str(actor_id), str(country)))
        last = until if until is None or until > max(effective) else shown_until(max(effective), None)
        figures = {day: described(names, "country", rows[effective == day]) for day in set(effective)}
        for start, end in segments([*effective, *age_cuts(effective)], min(effective), last):
            in_effect = figures[max(day for day in figures if day <= start)]
            pairs.append((record(in_effect, start, end), points[(country, actor_id)]))
    return pairs


def departures(dataset: Dataset) -> list[tuple[dict, shapely.Point | None]]:
    """A feature per departure count at its site, shown from the day it takes effect for EVENT_WINDOW_DAYS."""
    strengths, sites = dataset["strengths"], site_points(dataset)
    gone = strengths[strengths["measure"] == "departed"]
    names, pairs = Names.of(dataset), []
    for index, effective in zip(gone.index, takes_effect(gone)):
        rows = gone.loc[[index]]
        pairs.append((record(described(names, "departure", rows), effective, shown_until(effective, None)),
                      sites.geometry.get(rows["site_id"].iloc[0])))
    return pairs


@dataclass(frozen=True)
class Names:
    """Display names and colours, looked up once per build."""

    actors: Mapping[str, str]
    colours: Mapping[str, str]
    sites: Mapping[str, str]

    @classmethod
    def of(cls, dataset: Dataset) -> Names:
        sites = dataset["sites"]
        return cls(actor_names(dataset), actor_colours(dataset), dict(zip(sites["site_id"], sites["name"])))


class Described(NamedTuple):
    """A figure's properties but its days, built once however many fade steps show it."""

    ids: str
    effective: pd.Timestamp
    fields: dict


def described(names: Names, kind: str, rows: pd.DataFrame) -> Described:
    """Whose figure, where, its label as worded, the day it describes and its weakest confidence."""
    first = rows.iloc[0]
    strength = figure(rows, "country" if kind == "country" else "site")
    where = names.sites.get(first["site_id"], first["country"])
    return Described("+".join(rows["strength_id"]), strength.effective, {
        "name": f"{names.actors[first['actor_id']]}: {where}", "source_ids": strength.source_ids, "kind": kind,
        "actor_id": first["actor_id"], "actor_name": names.actors[first["actor_id"]],
        "colour": names.colours[first["actor_id"]], "country": first["country"], "site_id": first["site_id"],
        "site_name": names.sites.get(first["site_id"], ""), "strength_min": strength.low, "strength_max": strength.high,
        "strength_label": strength.label(), "strength_as_of": format_day(strength.as_of, strength.precision),
        "strength_effective": iso(strength.effective),
        "confidence": next(c for c in LOWEST_FIRST if c in set(rows["confidence"])),
    })


def record(figure_shown: Described, start: pd.Timestamp, end: pd.Timestamp | None) -> dict:
    """One figure's feature from start to end: its days and how old the figure is on the first."""
    age = age_days(figure_shown.effective, start)
    return {**figure_shown.fields, "feature_id": f"figure:{figure_shown.ids}@{start.date().isoformat()}",
            "start_date": start, "end_date": end, "strength_age_days": age, "strength_age": age_text(age)}
