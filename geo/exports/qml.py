"""QGIS QML styles for exported layers: by actor when a layer has colours (uncertain forces hollow), else one symbol."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd

from geo.data.windows import UNCERTAIN
from geo.draw.style import marker_style, style
from geo.exports.common import is_imported, properties

SYMBOL_KIND = {"Point": "marker", "LineString": "line", "Polygon": "fill"}
NEUTRAL = "#555555"


def rgba(colour: str, alpha: float = 1.0) -> str:
    """'#rrggbb' as QGIS's 'r,g,b,a'."""
    value = colour.lstrip("#")
    red, green, blue = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return f"{red},{green},{blue},{round(alpha * 255)}"


def symbol_kind(frame: gpd.GeoDataFrame) -> str:
    kinds = {k.removeprefix("Multi") for k in frame.geom_type.dropna()}
    return SYMBOL_KIND.get(kinds.pop(), "marker") if len(kinds) == 1 else "marker"


def symbol_layer(kind: str, colour: str, fill: str | None) -> tuple[str, dict[str, str]]:
    """QGIS symbol-layer class and options for a marker, line or fill of this colour."""
    if kind == "line":
        return "SimpleLine", {"line_color": rgba(colour), "line_width": "0.6", "line_style": "dash"}
    if kind == "fill":
        return "SimpleFill", {"color": rgba(fill or colour, 0.6), "outline_color": rgba(colour), "outline_width": "0.3"}
    return "SimpleMarker", {"name": "circle", "color": rgba(fill or colour, 0.8), "outline_color": rgba(colour),
                            "size": "3"}


def symbol(parent: ET.Element, name: str, kind: str, colour: str, fill: str | None = None, *,
           hollow_when_uncertain: bool = False) -> None:
    """Append one <symbol> with a single simple layer (a marker hollow and dashed where "certainty" is uncertain)."""
    element = ET.SubElement(parent, "symbol", type=kind, name=name, alpha="1", clip_to_extent="1", force_rhr="0")
    cls, options = symbol_layer(kind, colour, fill)
    layer = ET.SubElement(element, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    option_map = ET.SubElement(layer, "Option", type="Map")
    for key, value in options.items():
        ET.SubElement(option_map, "Option", name=key, type="QString", value=value)
    if hollow_when_uncertain and kind == "marker":
        overrides = {"fillColor": f"if(\"certainty\" = '{UNCERTAIN}', '0,0,0,0', '{options['color']}')",
                     "outlineStyle": f"if(\"certainty\" = '{UNCERTAIN}', 'dash', 'solid')"}
        data_defined(layer, overrides)


def data_defined(layer: ET.Element, expressions: dict[str, str]) -> None:
    """QGIS data-defined overrides: symbol-layer property name -> expression."""
    defined = ET.SubElement(ET.SubElement(layer, "data_defined_properties"), "Option", type="Map")
    ET.SubElement(defined, "Option", name="name", type="QString", value="")
    listed = ET.SubElement(defined, "Option", name="properties", type="Map")
    for name, expression in expressions.items():
        prop = ET.SubElement(listed, "Option", name=name, type="Map")
        ET.SubElement(prop, "Option", name="active", type="bool", value="true")
        ET.SubElement(prop, "Option", name="expression", type="QString", value=expression)
        ET.SubElement(prop, "Option", name="type", type="int", value="3")
    ET.SubElement(defined, "Option", name="type", type="QString", value="collection")


def categories(frame: gpd.GeoDataFrame) -> tuple[str, list[tuple[str, str, str]]]:
    """The category field and (value, label, colour) per actor, sorted, from the frame's `colour` column."""
    field = "actor_id" if "actor_id" in frame else "colour"
    label = "actor_name" if "actor_name" in frame else field
    rows = pd.DataFrame({"value": frame[field], "label": frame[label], "colour": frame["colour"]}).dropna()
    rows = rows.drop_duplicates("value").sort_values("value")
    return field, [(str(v), str(n), str(c)) for v, n, c in rows.itertuples(index=False)]


def renderer(frame: gpd.GeoDataFrame) -> ET.Element:
    """A categorized renderer when the layer carries colours, else a single symbol styled like the web map."""
    kind = symbol_kind(frame)
    if "colour" in frame and not is_imported(frame) and frame["colour"].notna().any():
        field, cats = categories(frame)
        element = ET.Element("renderer-v2", type="categorizedSymbol", attr=field, symbollevels="0", forceraster="0")
        listed, symbols = ET.SubElement(element, "categories"), ET.SubElement(element, "symbols")
        for index, (value, label, colour) in enumerate(cats):
            ET.SubElement(listed, "category", value=value, symbol=str(index), label=label, render="true")
            symbol(symbols, str(index), kind, colour, hollow_when_uncertain="certainty" in frame)
        return element
    props = properties(frame.head(1))[0] if len(frame) else {}
    look = marker_style(props) if kind == "marker" else style(props)
    element = ET.Element("renderer-v2", type="singleSymbol", symbollevels="0", forceraster="0")
    symbol(ET.SubElement(element, "symbols"), "0", kind, look.get("color") or NEUTRAL, look.get("fillColor"))
    return element


def qml(frame: gpd.GeoDataFrame) -> str:
    """A complete QML document holding only the symbology."""
    root = ET.Element("qgis", version="3.22.0", styleCategories="Symbology")
    root.append(renderer(frame))
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")
