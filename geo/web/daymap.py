"""The app's map from layer frames: a base map with pre-rendered static layers, and a day's feature groups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Figure
from jinja2 import Template

from geo import settings
from geo.data.contract import END, START
from geo.data.dataset import Dataset
from geo.data.scenario import Scenario
from geo.data.timeline import active_mask
from geo.draw.style import OPACITY_BY_CONFIDENCE, style
from geo.imports.cells import is_cells
from geo.web import elements

PARENT = "__geo_parent__"  # stands for the parent's variable name (map or feature group) in pre-rendered script


class Prerendered(elements.ScriptElement):
    """Leaflet script rendered once (e.g. thousands of boundary and town features), added to any map as is."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.script.replace(this.parent_token, "
                         "this._parent.get_name()) }}{% endmacro %}")

    def __init__(self, script: str):
        super().__init__()
        self._name = "Prerendered"
        self.script, self.parent_token = script, PARENT


def prerender(groups: Iterable[folium.FeatureGroup]) -> str:
    """The groups' script as rendered on a scratch map, the map's name left as a token for the real one.

    A string, not an element: safe to cache and share between sessions (an element belongs to one map).
    """
    scratch = folium.Map(tiles=None)
    for group in groups:
        group.add_to(scratch)
    figure = cast(Figure, scratch.get_root())
    figure.render()
    parts = [child.render() for name, child in figure.script._children.items() if name != scratch.get_name()]
    return "\n".join(parts).replace(scratch.get_name(), PARENT)


def static_groups(frames: dict[str, gpd.GeoDataFrame], sources: pd.DataFrame,
                  shown: Iterable[tuple[str, str]]) -> list[folium.FeatureGroup]:
    """Countries (without dated alliance outlines), regions and towns: (layer name, title) pairs, in drawing order."""
    table = elements.source_table(sources)
    return [elements.layer_group(static_countries(frames[name]) if name == "countries" else frames[name], table, title)
            for name, title in shown]


def forces_legend(dataset: Dataset, radius: Callable[[int], float]) -> elements.Legend:
    """The forces that ever deploy, marker sizes for 100, 500 and 1,500+ (radius: strength -> px), confidence."""
    present = dataset.actors[dataset.actors["actor_id"].isin(dataset["deployments"]["actor_id"])]
    sizes = [(f"{n:,}" + ("+" if n == settings.RADIUS_REFERENCE_STRENGTH else ""), radius(n)) for n in (100, 500, 1500)]
    return elements.legend(zip(present["name"], present["colour"]), sizes, OPACITY_BY_CONFIDENCE.items())


def base_map(static_script: str, legend: elements.Legend, tiles: str | None, *, scenario: Scenario,
             assets: tuple[list[tuple[str, str]], list[tuple[str, str]]] | None = None,
             preview: elements.ScriptElement | None = None) -> folium.Map:
    """The base map: the pre-rendered static layers, the legend and what draws a day in the page as the slider moves
    (preview); the same script on every rerun."""
    fmap = elements.base_map(center=scenario.center, zoom=scenario.zoom, tiles=tiles, assets=assets)
    fmap.add_child(Prerendered(static_script), name="static_layers")
    legend.add_to(fmap)
    if preview is not None:
        preview.add_to(fmap)
    return fmap


def full_map(groups: Iterable[folium.FeatureGroup], legend: elements.Legend, tiles: str | None, *,
             scenario: Scenario) -> folium.Map:
    """Everything as folium objects in one map, rebuilt each time: the benchmark's naive baseline."""
    fmap = elements.base_map(center=scenario.center, zoom=scenario.zoom, tiles=tiles)
    for group in groups:
        group.add_to(fmap)
    legend.add_to(fmap)
    return fmap


def overlay_groups(frames: Iterable[tuple[str, gpd.GeoDataFrame]]) -> tuple[list[folium.FeatureGroup], ...]:
    """Imported layers' groups for a day: (count cells, drawn under the forces; points and shapes, drawn over)."""
    groups = [(is_cells(frame), elements.overlay_group(frame, name)) for name, frame in frames]
    return [g for cells, g in groups if cells], [g for cells, g in groups if not cells]


def day_rows(frames: dict[str, gpd.GeoDataFrame], day: dt.date, shown: Iterable[tuple[str, str]],
             actors: list[str]) -> list[tuple[str, str, pd.Index]]:
    """The time-dependent layers' rows for one day: (layer name, title, row labels); countries become alliance
    outlines. Labels, not frames: the day's groups need only these (a new day 24 -> 5 ms; BENCHMARKS.md)."""
    found = []
    for name, title in shown:
        frame = frames[name]
        keep = active_mask(frame[START], frame[END], day).to_numpy() & actor_mask(frame, actors)
        if name == "countries":
            keep &= frame["group_member"].to_numpy(dtype=bool)
            title = settings.GROUP_MEMBERS_TITLE
        found.append((name, title, frame.index[keep]))
    return found


def style_of(name: str) -> Callable[[Mapping], dict]:
    return elements.outline_only if name == "countries" else style


def day_groups(found: list[tuple[str, str, pd.Index]], features: dict[str, pd.Series]) -> list[folium.FeatureGroup]:
    """Feature groups for day_rows' rows from their serialised features (feature_json): nothing rendered per day."""
    groups = []
    for name, title, rows in found:
        group = folium.FeatureGroup(name=title)
        elements.FeatureLayer([text for text in features[name].loc[rows] if text]).add_to(group)
        groups.append(group)
    return groups


def rendered_groups(frames: dict[str, gpd.GeoDataFrame], found: list[tuple[str, str, pd.Index]],
                    sources: pd.DataFrame) -> list[folium.FeatureGroup]:
    """The same groups built from the frames on every rerun, as a naive app would."""
    return [elements.layer_group(frames[name].loc[rows], sources, title, style_of(name)) for name, title, rows in found]


def feature_json(frame: gpd.GeoDataFrame, sources: pd.DataFrame | elements.SourceTable,
                 style_function: Callable[[Mapping], dict]) -> pd.Series:
    """Each row's serialised feature (elements.feature_json; '' when unlocated), by the frame's index.

    Built once for the whole timeline; a day's group is then the join of its rows' features.
    """
    located = elements.located_rows(frame).index
    serialised = dict(zip(located, elements.feature_json(frame, sources, style_function)))
    return pd.Series([serialised.get(index, "") for index in frame.index], index=frame.index, dtype=object)


def day_features(frames: dict[str, gpd.GeoDataFrame], sources: pd.DataFrame, names: Iterable[str]) -> dict[str, pd.Series]:
    """feature_json of each time-dependent layer over the whole timeline (strings: safe to share between sessions)."""
    table = elements.source_table(sources)  # indexed once, not per layer
    return {name: feature_json(frames[name], table, style_of(name)) for name in names}


def row_actors(frame: gpd.GeoDataFrame) -> list[list[str] | None]:
    """Each row's actors: actor_id, or actor_ids split on ";"; None for a layer without actors (every row shown
    whatever forces are chosen). The page filters by the same lists (geo.web.preview)."""
    if "actor_id" in frame:
        return [[actor] if isinstance(actor, str) else [] for actor in frame["actor_id"]]
    if "actor_ids" in frame:
        return [ids.split(";") for ids in frame["actor_ids"]]
    return [None] * len(frame)


def actor_mask(frame: gpd.GeoDataFrame, actors: list[str]) -> np.ndarray:
    """Which rows belong to the chosen actors (every row of a layer without actors)."""
    chosen = set(actors)
    return np.array([ids is None or bool(chosen.intersection(ids)) for ids in row_actors(frame)], dtype=bool)


def static_countries(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One timeless polygon per country, without alliance membership (that is a dated overlay)."""
    frame = countries.drop_duplicates("iso_a3").assign(group_member=False, groups="", start_date=pd.NaT, end_date=pd.NaT)
    return frame.astype({"start_date": "datetime64[s]", "end_date": "datetime64[s]"})
