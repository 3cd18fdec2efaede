"""GeoJSON export: one RFC 7946 FeatureCollection per layer, lon/lat to 5 decimals, ISO dates, version stamped."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import geopandas as gpd

from geo.data.records import properties
from geo.exports.common import Bundle, Format, Writer, geometry_json, prepared


def collection(frame: gpd.GeoDataFrame, *, name: str, version: str) -> dict:
    """A FeatureCollection (no crs member: RFC 7946 is WGS 84) with the dataset version as a foreign member."""
    frame = prepared(frame)
    features = [
        {"type": "Feature", "id": props["feature_id"], "properties": props, "geometry": geometry_json(geometry)}
        for props, geometry in zip(properties(frame), frame.geometry)
    ]
    return {"type": "FeatureCollection", "name": name, "dataset_version": version, "features": features}


def write_geojson(frame: gpd.GeoDataFrame, path: Path, *, name: str, version: str) -> None:
    """Write one layer as UTF-8 GeoJSON."""
    text = json.dumps(collection(frame, name=name, version=version), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def layer_files(bundle: Bundle, stem: str) -> dict[str, Writer]:
    """One <stem>_<layer>.geojson file per layer."""
    return {f"{stem}_{name}.geojson": functools.partial(write_geojson, frame, name=name, version=bundle.version)
            for name, frame in bundle.frames.items()}


FORMAT = Format("geojson", "one RFC 7946 file per layer", "GeoJSON (zip, a file per layer)", "zip", "application/zip",
                layer_files)
