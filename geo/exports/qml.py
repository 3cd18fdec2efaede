"""QGIS QML styles for exported layers: the web map's look, data-defined where the app varies it per feature."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

import geopandas as gpd

from geo.data.records import properties
from geo.data.windows import UNCERTAIN
from geo.draw.style import GROUP_OUTLINE, OPACITY_BY_CONFIDENCE, marker_style, style
from geo.exports.common import is_imported

SYMBOL_KIND = {"Point": "marker", "LineString": "line", "Polygon": "fill"}
NEUTRAL = "#555555"
PIXEL = "Pixel"  # the app's sizes are screen pixels (Leaflet), so are these
LEAFLET_DEFAULTS = {"weight": 3, "opacity": 1.0, "fillOpacity": 0.2}
CATEGORY_FIELDS = {"countries": "role"}  # layers coloured by a column other than the actor
LABEL_FIELDS = {"sites": "name"}
PLAIN_MARKERS = ("sites", "towns", "copresence")  # marker_style draws these alike whatever their columns say
APPROXIMATE = (("location_precision", "approximate"), ("strength_scope", "country"))  # dashed in the app
COUNTRY_OUTLINE = "#888888"  # geo.draw.style.style: a country in no group of memberships.csv


def rgba(colour: str, alpha: float = 1.0) -> str:
    """'#rrggbb' as QGIS's 'r,g,b,a'."""
    value = colour.lstrip("#")
    red, green, blue = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return f"{red},{green},{blue},{round(alpha * 255)}"


def number(value: float) -> str:
    return f"{float(value):g}"


def layer_name(frame: gpd.GeoDataFrame) -> str:
    return str(frame["layer"].iloc[0]) if len(frame) and "layer" in frame else ""


def symbol_kind(frame: gpd.GeoDataFrame) -> str:
    kinds = {k.removeprefix("Multi") for k in frame.geom_type.dropna()}
    return SYMBOL_KIND.get(kinds.pop(), "marker") if len(kinds) == 1 else "marker"


def symbol_layer(kind: str, look: Mapping) -> tuple[str, dict[str, str]]:
    """QGIS symbol-layer class and options drawing what a Leaflet style `look` draws, in pixels."""
    look = {**LEAFLET_DEFAULTS, **{k: v for k, v in look.items() if v is not None}}
    colour = look.get("color") or NEUTRAL
    fill = rgba(look.get("fillColor") or colour, look["fillOpacity"]) if look.get("fill", True) else "0,0,0,0"
    dashed = bool(look.get("dashArray"))
    if kind == "line":
        dash = {"use_custom_dash": "1", "customdash": look["dashArray"].replace(" ", ";"), "customdash_unit": PIXEL}
        return "SimpleLine", {"line_color": rgba(colour, look["opacity"]), "line_width": number(look["weight"]),
                              "line_width_unit": PIXEL, **(dash if dashed else {})}
    outline = {"outline_color": rgba(colour, look["opacity"]), "outline_width": number(look["weight"]),
               "outline_width_unit": PIXEL, "outline_style": "dash" if dashed else "solid"}
    if kind == "fill":
        return "SimpleFill", {"color": fill, **outline}
    return "SimpleMarker", {"name": "circle", "color": fill, "size": number(2 * float(look.get("radius", 5))),
                            "size_unit": PIXEL, **outline}


def confidence_alpha() -> str:
    """QGIS expression: the fill alpha (0-255) the app gives the feature's confidence."""
    cases = " ".join(f"WHEN '{level}' THEN {round(opacity * 255)}" for level, opacity in OPACITY_BY_CONFIDENCE.items())
    return f'CASE "confidence" {cases} ELSE {round(0.5 * 255)} END'


def data_defined(frame: gpd.GeoDataFrame, kind: str) -> dict[str, str]:
    """Symbol-layer property -> expression for what the app varies per feature: size, fading, dashes, outlines."""
    columns, found = set(frame.columns), {}
    if kind == "marker" and layer_name(frame) not in PLAIN_MARKERS and not is_imported(frame):
        if "radius" in columns:  # the app's own marker radius (strength-sized where a site figure is reported)
            found["size"] = '2 * "radius"'
        if {"colour", "confidence"} <= columns:
            found["fillColor"] = f"set_color_part(\"colour\", 'alpha', {confidence_alpha()})"
        approximate = [f"\"{column}\" = '{value}'" for column, value in APPROXIMATE if column in columns]
        if approximate:
            found["outlineStyle"] = f"if({' OR '.join(approximate)}, 'dash', 'solid')"
        if "certainty" in columns:  # a possibly-present force: hollow, outline dotted, as on the web map
            uncertain = f"\"certainty\" = '{UNCERTAIN}'"
            found["fillColor"] = f"if({uncertain}, '0,0,0,0', {found.get('fillColor', chr(34) + 'colour' + chr(34))})"
            found["outlineStyle"] = f"if({uncertain}, 'dot', {found.get('outlineStyle', repr('solid'))})"
    if kind == "fill" and layer_name(frame) == "countries" and {"group_member", "role"} <= columns:
        found["outlineColor"] = f"if(\"group_member\", '{GROUP_OUTLINE}', '{COUNTRY_OUTLINE}')"
        found["outlineStyle"] = "if(\"group_member\" OR \"role\" = 'focus', 'solid', 'dash')"
    return found


def options(parent: ET.Element, values: Mapping[str, str]) -> None:
    option_map = ET.SubElement(parent, "Option", type="Map")
    for key, value in values.items():
        ET.SubElement(option_map, "Option", name=key, type="QString", value=value)


def expressions(parent: ET.Element, found: Mapping[str, str]) -> None:
    """A <data_defined_properties> collection with one active expression per property."""
    collection = ET.SubElement(ET.SubElement(parent, "data_defined_properties"), "Option", type="Map")
    ET.SubElement(collection, "Option", name="name", type="QString", value="")
    listed = ET.SubElement(collection, "Option", name="properties", type="Map")
    for name, expression in found.items():
        item = ET.SubElement(listed, "Option", name=name, type="Map")
        ET.SubElement(item, "Option", name="active", type="bool", value="true")
        ET.SubElement(item, "Option", name="expression", type="QString", value=expression)
        ET.SubElement(item, "Option", name="type", type="int", value="3")
    ET.SubElement(collection, "Option", name="type", type="QString", value="collection")


def symbol(parent: ET.Element, name: str, kind: str, look: Mapping, found: Mapping[str, str]) -> None:
    """Append one <symbol> with a single simple layer, its data-defined expressions attached."""
    element = ET.SubElement(parent, "symbol", type=kind, name=name, alpha="1", clip_to_extent="1", force_rhr="0")
    cls, values = symbol_layer(kind, look)
    layer = ET.SubElement(element, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    options(layer, values)
    expressions(layer, found)


def look_of(props: Mapping, kind: str) -> dict:
    return marker_style(props) if kind == "marker" else style(props)


def categories(frame: gpd.GeoDataFrame, field: str) -> list[tuple[str, str, dict]]:
    """(value, label, first feature's properties) per value of `field`, sorted."""
    label = "actor_name" if field == "actor_id" and "actor_name" in frame else field
    rows = frame[frame[field].notna()].sort_values(field, kind="stable").drop_duplicates(field)
    return [(str(row[field]), str(row[label]), props) for (_, row), props in zip(rows.iterrows(), properties(rows))]


def category_field(frame: gpd.GeoDataFrame) -> str | None:
    """The column a categorized renderer splits on: the layer's own, else the actor's when it has colours."""
    field = CATEGORY_FIELDS.get(layer_name(frame))
    if field in frame:
        return field
    if "colour" in frame and not is_imported(frame) and frame["colour"].notna().any():
        return "actor_id" if "actor_id" in frame else "colour"
    return None


def renderer(frame: gpd.GeoDataFrame) -> ET.Element:
    """A categorized renderer (actor or the layer's own field), else a single symbol styled like the web map."""
    kind, field = symbol_kind(frame), category_field(frame)
    found = data_defined(frame, kind)
    if field is not None:
        element = ET.Element("renderer-v2", type="categorizedSymbol", attr=field, symbollevels="0", forceraster="0")
        listed, symbols = ET.SubElement(element, "categories"), ET.SubElement(element, "symbols")
        for index, (value, label, props) in enumerate(categories(frame, field)):
            ET.SubElement(listed, "category", value=value, symbol=str(index), label=label, render="true")
            symbol(symbols, str(index), kind, look_of(props, kind), found)
        return element
    props = properties(frame.head(1))[0] if len(frame) else {}
    element = ET.Element("renderer-v2", type="singleSymbol", symbollevels="0", forceraster="0")
    symbol(ET.SubElement(element, "symbols"), "0", kind, look_of(props, kind), found)
    return element


def labeling(field: str) -> ET.Element:
    """Simple labels of `field`: small dark text with a white halo, beside the point."""
    element = ET.Element("labeling", type="simple")
    settings_element = ET.SubElement(element, "settings", calloutType="simple")
    text = ET.SubElement(settings_element, "text-style", fieldName=field, isExpression="0", fontSize="8",
                         fontSizeUnit="Point", textColor=rgba("#222222"), textOpacity="1")
    ET.SubElement(text, "text-buffer", bufferDraw="1", bufferSize="1", bufferSizeUnits="MM",
                  bufferColor=rgba("#ffffff"), bufferOpacity="0.8")
    ET.SubElement(settings_element, "placement", placement="0", dist="1", distUnits="MM")
    ET.SubElement(settings_element, "rendering", drawLabels="1", obstacle="1")
    return element


def qml(frame: gpd.GeoDataFrame) -> str:
    """A complete QML document holding the symbology and, for labelled layers, the labels."""
    label = None if is_imported(frame) else LABEL_FIELDS.get(layer_name(frame))
    root = ET.Element("qgis", version="3.22.0", styleCategories="Symbology|Labeling" if label else "Symbology",
                      labelsEnabled="1" if label else "0")
    root.append(renderer(frame))
    if label:
        root.append(labeling(label))
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")
