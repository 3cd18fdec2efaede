"""Rings around the rows a story step names (events, deployments), drawn over the day's layers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import folium
import geopandas as gpd
import pandas as pd

from geo import settings
from geo.draw.style import safe_json, source_table
from geo.web import elements

ID_COLUMNS = {"events": "event_id", "deployments": "deployment_id"}


def ring_features(frames: Mapping[str, gpd.GeoDataFrame], refs: Iterable[str], sources: pd.DataFrame) -> list[str]:
    """One serialised ring per located row named in refs (its first located feature), with its tooltip and popup."""
    found, table = [], source_table(sources)
    for ref in refs:
        layer, _, row_id = ref.partition(":")
        if layer not in ID_COLUMNS or layer not in frames:
            continue  # strengths, people...: shown in the step's list, not on the map
        rows = elements.located_rows(frames[layer])
        rows = rows[rows[ID_COLUMNS[layer]] == row_id]
        for feature in elements.plain_features(rows.iloc[:1]):
            drawn = elements.drawn_feature(feature, table)
            drawn["properties"]["style"] = dict(settings.STORY_HIGHLIGHT_STYLE)
            found.append(safe_json(drawn))
    return found


def ring_group(features: list[str], name: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=name)
    elements.FeatureLayer(features).add_to(group)
    return group
