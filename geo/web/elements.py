"""Layer GeoDataFrames and sources -> folium objects: an offline base map, feature groups and an escaped legend."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo.data.records import properties
from geo.draw.assets import offline_css, offline_js
from geo.draw.style import (
    SourceTable,
    count_ranges,
    drawn,
    import_colour,
    record_legend,
    safe_json,
    source_table,
    style,
    swatch,
)
from geo.imports.cells import is_cells

ONLINE_TILES = {"OpenStreetMap": "OpenStreetMap"}
NO_SOURCES = pd.DataFrame(columns=["source_id", "title", "publisher", "url"])  # an import cites its file: "user:<file>"


def base_map(*, center: tuple[float, float], zoom: int, tiles: str | None = None,
             assets: tuple[list[tuple[str, str]], list[tuple[str, str]]] | None = None) -> folium.Map:
    """A map that loads Leaflet from inline data: URIs, or from `assets` (default_js, default_css: the app's
    served copies, geo.draw.assets.publish); no tiles unless an online one is chosen."""
    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=True)
    fmap.default_js, fmap.default_css = assets or (offline_js(), offline_css())
    if tiles in ONLINE_TILES:
        folium.TileLayer(ONLINE_TILES[tiles], name=tiles).add_to(fmap)
    return fmap


def located_rows(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame[frame.geometry.notna() & ~frame.geometry.is_empty]


def located_parts(frame: gpd.GeoDataFrame) -> tuple[list[dict], list[str]]:
    """The located rows' properties (dates as ISO strings, missing values as None) and their shapes as GeoJSON text."""
    located = located_rows(frame)
    # Records column by column (geo.data.records, as the exports write them), not pandas' astype/where/to_dict, which
    # took ~80% of the time; shapes through shapely in one call (1.6x faster than to_json and back).
    return properties(located), list(shapely.to_geojson(located.geometry.array))


def plain_features(frame: gpd.GeoDataFrame) -> list[dict]:
    """GeoJSON features of the located rows, dates as ISO strings and missing values as null."""
    records, shapes = located_parts(frame)
    return [{"type": "Feature", "properties": props, "geometry": json.loads(shape)} for props, shape in zip(records, shapes)]


def layer_group(frame: gpd.GeoDataFrame, sources: pd.DataFrame | SourceTable, name: str,
                style_function: Callable[[Mapping], dict] = style) -> folium.FeatureGroup:
    """One feature group for a layer: its located rows as one FeatureLayer."""
    group = folium.FeatureGroup(name=name)
    FeatureLayer(feature_json(frame, sources, style_function)).add_to(group)
    return group


def overlay_group(frame: gpd.GeoDataFrame, name: str) -> folium.FeatureGroup:
    """An analyst's layer for one day with its own legend: its features, or count cells (geo.web.uploads.shown_on)."""
    group = layer_group(frame, NO_SOURCES, name)
    (count_legend(name, float(frame["cell_deg"].iloc[0])) if is_cells(frame) else import_legend(name)).add_to(group)
    return group


def feature_json(frame: gpd.GeoDataFrame, sources: pd.DataFrame | SourceTable,
                 style_function: Callable[[Mapping], dict] = style) -> list[str]:
    """Each located row as FeatureLayer draws it: safe_json(drawn_feature(...)), with each distinct shape parsed and
    encoded once (a country's shape recurs in each of its time pieces: the day features 0.24-0.29 -> 0.19 s)."""
    table, shapes = source_table(sources), {}
    texts = []
    for props, shape in zip(*located_parts(frame)):
        if shape not in shapes:
            geometry = json.loads(shape)
            shapes[shape] = (geometry["type"] == "Point", safe_json(geometry))
        point, geometry_text = shapes[shape]
        drawn_text = safe_json(drawn(props, point=point, sources=table, shape_style=style_function))
        texts.append(f'{{"type":"Feature","geometry":{geometry_text},"properties":{drawn_text}}}')
    return texts


def drawn_feature(feature: dict, sources: pd.DataFrame | SourceTable,
                  style_function: Callable[[Mapping], dict] = style) -> dict:
    """A feature reduced to what FeatureLayer needs: its geometry and geo.draw.style.drawn's style, tooltip and popup."""
    point = feature["geometry"]["type"] == "Point"
    return {"type": "Feature", "geometry": feature["geometry"],
            "properties": drawn(feature["properties"], point=point, sources=sources, shape_style=style_function)}


class Verbatim(Element):
    """Rendered script added to a figure as is.

    branca adds a MacroElement's rendered script as `Element(script)`, which compiles it as a Jinja template a
    second time: "{{ ... }}" in a feature's text would run on the server. ScriptElement adds it through this instead.
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class ScriptElement(MacroElement):
    """A MacroElement with only a `script` macro, whose output is never compiled again (Verbatim)."""

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca's MacroElement.render returns None
        script = self._template.module.__dict__["script"]
        cast(Figure, self.get_root()).script.add_child(Verbatim(str(script(self, kwargs))), name=self.get_name())


class FeatureLayer(ScriptElement):
    """Features as one L.geoJson layer: circle markers or shapes, each with its style, tooltip and popup.

    One element per layer, not folium objects per feature: hundreds of features render in milliseconds
    (BENCHMARKS.md, "In the browser"). Tooltip and popup texts arrive escaped (geo.draw.style); the JSON is safe_json.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.data_json }}, {
            pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, feature.properties.style); },
            style: function (feature) { return feature.properties.style; },
            onEachFeature: function (feature, layer) {
                layer.bindTooltip(feature.properties.tooltip, {sticky: true});
                layer.bindPopup(feature.properties.popup, {maxWidth: 360});
            }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, features: list[str]):
        """features: serialised GeoJSON features (feature_json), so pre-rendered rows are joined, not re-encoded."""
        super().__init__()
        self._name = "FeatureLayer"
        self.data_json = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def outline_only(feature: Mapping) -> dict:
    """The usual style without fill: an overlay that must not hide what is drawn under it."""
    return {**style(feature), "fillOpacity": 0}


class Legend(ScriptElement):
    """A Leaflet control holding pre-escaped HTML, shown while its parent (the map or a feature group) is."""

    # A layer that adds the control on add and removes it on remove: a day's feature group takes its legend with it.
    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new (L.Layer.extend({
            onAdd: function (map) {
                this.control = L.control({position: {{ this.position_json }}});
                this.control.onAdd = function () {
                    var div = L.DomUtil.create("div", "geo-legend");
                    div.innerHTML = {{ this.markup_json }};
                    L.DomEvent.disableClickPropagation(div);
                    return div;
                };
                this.control.addTo(map);
            },
            onRemove: function () { this.control.remove(); }
        }))();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, markup: str, position: str = "bottomright"):
        super().__init__()
        self._name = "Legend"
        self.markup_json = json.dumps(markup).replace("</", "<\\/")
        self.position_json = json.dumps(position)


LEGEND_STYLE = "background:white;padding:4px 6px;border-radius:4px;font:11px sans-serif;line-height:1.25;max-width:230px"


def legend_row(icon: str, label: str) -> str:
    return f"<div>{icon} {html.escape(label)}</div>"


def legend(actors: Iterable[tuple[str, str]], sizes: Iterable[tuple[str, float]],
           opacities: Iterable[tuple[str, float]]) -> Legend:
    """Legend: actor colours, size = the site's reported strength, opacity = confidence, dashed = approximate, then
    possibly present, country-wide figures, departures, ageing figures and the qualifiers' signs."""
    def inline(items: str) -> str:
        return f"<div style='display:flex;align-items:center;gap:4px'>{items}</div>"

    parts = ["<b>Forces</b>", *(legend_row(swatch(colour, 5), name) for name, colour in actors),
             "<b>Size = reported strength</b>",
             inline("".join(f"{swatch('#777777', r)}{html.escape(label)}" for label, r in sizes)),
             "<b>Opacity = confidence</b>",
             inline("".join(f"{swatch('#777777', 5, opacity=o)}{html.escape(label)}" for label, o in opacities)),
             legend_row(swatch("#777777", 5, dashed=True), "approximate location"),
             "<b>The record's uncertainty</b>", *(legend_row(icon, label) for icon, label in record_legend())]
    return Legend(f'<div style="{LEGEND_STYLE}">{"".join(parts)}</div>')


def import_legend(name: str) -> Legend:
    """The colour of an imported layer drawn point by point; goes into the layer's feature group."""
    return Legend(f'<div style="{LEGEND_STYLE}">{legend_row(swatch(import_colour(name), 5), name)}</div>', position="bottomleft")


def count_legend(title: str, cell_deg: float) -> Legend:
    """Legend of a layer drawn as grid counts: one square per count range; goes into the layer's feature group."""
    square = '<span style="display:inline-block;width:10px;height:10px;background:{}"></span>'
    parts = [f"<b>{html.escape(title)}: features per cell ({cell_deg:g}°)</b>",
             *(legend_row(square.format(html.escape(colour)), label) for label, colour in count_ranges())]
    return Legend(f'<div style="{LEGEND_STYLE}">{"".join(parts)}</div>', position="bottomleft")
