"""Layer GeoDataFrames and sources -> folium objects: an offline base map, feature groups and an escaped legend."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.assets import offline_css, offline_js
from geo.style import marker_style, popup_html, style, tooltip

NIGER_CENTER = (17.6, 8.1)
DEFAULT_ZOOM = 6
ONLINE_TILES = {"OpenStreetMap": "OpenStreetMap"}
# Characters html.escape leaves alone that would break out of folium's JS template literals.
TEMPLATE_LITERAL_ENTITIES = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def js_safe(markup: str) -> str:
    """HTML that is also inert inside a JS template literal (folium embeds tooltips and popups in backticks)."""
    return markup.translate(TEMPLATE_LITERAL_ENTITIES)


def base_map(*, center: tuple[float, float] = NIGER_CENTER, zoom: int = DEFAULT_ZOOM, tiles: str | None = None) -> folium.Map:
    """A map that loads Leaflet and jQuery from inline data: URIs; no tiles unless an online one is chosen."""
    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=True)
    fmap.default_js = offline_js()
    fmap.default_css = offline_css()
    if tiles in ONLINE_TILES:
        folium.TileLayer(ONLINE_TILES[tiles], name=tiles).add_to(fmap)
    return fmap


def plain_features(frame: gpd.GeoDataFrame) -> list[dict]:
    """GeoJSON features of the located rows, dates as ISO strings and missing values as null."""
    located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    dates = located.select_dtypes(include=["datetime", "datetimetz"]).columns
    located = located.assign(**{c: located[c].dt.strftime("%Y-%m-%d") for c in dates})
    return json.loads(located.to_json(drop_id=True, na="null"))["features"] if len(located) else []


def layer_group(frame: gpd.GeoDataFrame, sources: pd.DataFrame, name: str,
                style_function: Callable[[dict], dict] = style) -> folium.FeatureGroup:
    """One feature group for a layer: points as circle markers, shapes as GeoJSON, each with tooltip and popup."""
    group = folium.FeatureGroup(name=name)
    for feature in plain_features(frame):
        props = feature["properties"]
        element = point_marker(feature) if feature["geometry"]["type"] == "Point" else shape(feature, style_function)
        folium.Tooltip(js_safe(tooltip(props))).add_to(element)
        folium.Popup(js_safe(popup_html(props, sources)), max_width=360).add_to(element)
        element.add_to(group)
    return group


def point_marker(feature: dict) -> folium.CircleMarker:
    """A circle marker styled from the feature's properties (colour, size, opacity, dash)."""
    lon, lat = feature["geometry"]["coordinates"][:2]
    options = {k: v for k, v in marker_style(feature["properties"]).items() if v is not None}
    return folium.CircleMarker(location=[lat, lon], **options)


def shape(feature: dict, style_function: Callable[[dict], dict]) -> folium.GeoJson:
    """A polygon or line as GeoJSON, styled by a pure function of its properties."""
    return folium.GeoJson({"type": "FeatureCollection", "features": [feature]}, style_function=style_function,
                          name=feature["properties"].get("layer"))


def outline_only(feature: dict) -> dict:
    """The usual style without fill: an overlay that must not hide what is drawn under it."""
    return {**style(feature), "fillOpacity": 0}


class Legend(MacroElement):
    """A Leaflet control in the map's corner holding pre-escaped HTML."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "geo-legend");
            div.innerHTML = {{ this.markup_json }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, markup: str):
        super().__init__()
        self._name = "Legend"
        self.markup_json = json.dumps(markup).replace("</", "<\\/")


def swatch(colour: str, radius: float = 6, dashed: bool = False, opacity: float = 0.85) -> str:
    """An inline SVG circle like the map's markers."""
    size = 2 * radius + 4
    dash = ' stroke-dasharray="4 4"' if dashed else ""
    return (f'<svg width="{size:g}" height="{size:g}"><circle cx="{size / 2:g}" cy="{size / 2:g}" r="{radius:g}" '
            f'fill="{html.escape(colour)}" fill-opacity="{opacity:g}" stroke="{html.escape(colour)}" stroke-width="2"{dash}/></svg>')


def legend(actors: Iterable[tuple[str, str]], sizes: Iterable[tuple[str, float]],
           opacities: Iterable[tuple[str, float]]) -> Legend:
    """Legend: actor colours, size = reported strength, dashed = approximate or country-wide, opacity = confidence."""
    def row(icon: str, label: str) -> str:
        return f"<div>{icon} {html.escape(label)}</div>"

    def inline(items: str) -> str:
        return f"<div style='display:flex;align-items:center;gap:4px'>{items}</div>"

    parts = ["<b>Forces</b>", *(row(swatch(colour, 5), name) for name, colour in actors),
             "<b>Size = reported strength</b>", inline("".join(f"{swatch('#777777', r)}{html.escape(label)}" for label, r in sizes)),
             "<b>Opacity = confidence</b>", inline("".join(f"{swatch('#777777', 5, opacity=o)}{html.escape(label)}" for label, o in opacities)),
             row(swatch("#777777", 5, dashed=True), "approximate location or country-wide figure")]
    style_attr = "background:white;padding:4px 6px;border-radius:4px;font:11px sans-serif;line-height:1.25;max-width:230px"
    return Legend(f'<div style="{style_attr}">{"".join(parts)}</div>')
