"""KML export through GDAL's LIBKML driver: a TimeSpan per feature, sourced descriptions, one style per actor."""

from __future__ import annotations

import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.data.contract import IMPORT_PREFIX
from geo.data.records import properties
from geo.draw.style import SourceTable, import_colour, layer_starts, marker_style, popup_html, source_table, style
from geo.exports.common import Bundle, Format, prepared, single_file, utc_dates

NS = "http://www.opengis.net/kml/2.2"
ET.register_namespace("", NS)
ET.register_namespace("gx", "http://www.google.com/kml/ext/2.2")
ET.register_namespace("atom", "http://www.w3.org/2005/Atom")
BEFORE_STYLE_URL = {f"{{{NS}}}{tag}" for tag in ("ExtendedData", "Point", "LineString", "Polygon", "MultiGeometry")}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# LIBKML writes text inside CDATA without splitting "]]>", which would end the section early.
CDATA_END, CDATA_END_SAFE = "]]>", "]] >"


def kml_text(column: pd.Series) -> pd.Series:
    """Text LIBKML writes as well-formed XML: characters XML 1.0 forbids dropped, ']]>' spaced out."""
    # One regex scan over the joined text: most columns have nothing to change.
    joined = "\n".join(v for v in column.tolist() if isinstance(v, str))
    if CDATA_END not in joined and not NOT_XML.search(joined):
        return column
    return column.str.replace(NOT_XML, "", regex=True).str.replace(CDATA_END, CDATA_END_SAFE, regex=False)


def kml_frame(frame: gpd.GeoDataFrame, rows: list[dict], sources: SourceTable) -> gpd.GeoDataFrame:
    """LIBKML's conventions: `name`, `description` (escaped popup with sources), `begin`/`end` -> TimeSpan."""
    descriptions = [popup_html(props, sources) for props in rows]
    frame = utc_dates(frame).rename(columns={"start_date": "begin", "end_date": "end"}).assign(description=descriptions)
    text = [c for c in frame.columns if c != frame.geometry.name and pd.api.types.is_string_dtype(frame[c])]
    return frame.assign(**{c: kml_text(frame[c]) for c in text})


def write_kml(bundle: Bundle, path: Path) -> None:
    """Write every layer as a folder of one KML document, then add styles and the dataset version."""
    frames = {name: prepared(frame) for name, frame in bundle.frames.items()}
    rows, sources = {name: properties(frame) for name, frame in frames.items()}, source_table(bundle.sources)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".kml-") as staging:
        tree = merged([layer_tree(name, kml_frame(frame, rows[name], sources), Path(staging) / f"{index}.kml")
                       for index, (name, frame) in enumerate(frames.items())])
    document = tree.getroot().find(f"{{{NS}}}Document")
    assert document is not None, "GDAL's LIBKML driver writes one Document"
    decorate(document, bundle, rows)
    tree.write(path, encoding="UTF-8", xml_declaration=True)


def layer_tree(name: str, frame: gpd.GeoDataFrame, path: Path) -> ET.ElementTree[ET.Element]:
    """One layer written by LIBKML to a file of its own, parsed. Appending layers to one file instead makes LIBKML
    parse and rewrite the whole file each time: ~4x slower for the bundled seeds (BENCHMARKS.md, "Exports")."""
    frame.to_file(path, driver="LIBKML", layer=name)
    return ET.parse(path)


def merged(trees: list[ET.ElementTree[ET.Element]]) -> ET.ElementTree[ET.Element]:
    """The layers in one document as LIBKML writes several into one file: every Schema, then every layer's Document."""
    documents = [tree.getroot().find(f"{{{NS}}}Document") for tree in trees]
    children = [child for document in documents if document is not None for child in document]
    schemas = [child for child in children if child.tag == f"{{{NS}}}Schema"]
    root = documents[0]
    assert root is not None, "GDAL's LIBKML driver writes one Document"
    ordered = schemas + [child for child in children if child.tag != f"{{{NS}}}Schema"]
    for child in ordered[:-1]:  # the indentation between siblings, as in one file (a last child's closes its parent)
        child.tail = ordered[0].tail
    root[:] = ordered
    return trees[0]


def style_key(props: dict) -> tuple[str, str]:
    """(style id, '#rrggbb'): per actor where the layer names one, else per colour of the web map's style."""
    if layer_starts(props, IMPORT_PREFIX):  # the file's own colour or actor_id columns never style it
        colour = import_colour(str(props["layer"]))
        return f"colour-{colour.lstrip('#')}", colour
    look = marker_style(props) if props.get("layer") in {"sites", "towns", "copresence"} else style(props)
    colour = props.get("colour") or look.get("color") or "#555555"
    if props.get("actor_id"):
        return f"actor-{props['actor_id']}", colour
    return f"colour-{colour.lstrip('#')}", colour


def decorate(root: ET.Element, bundle: Bundle, rows: dict[str, list[dict]]) -> None:
    """Name and version the document, define the styles, and point each placemark at its style (`rows`: each layer's
    features' properties, in the placemarks' order)."""
    keys: dict[str, str] = {}
    for name, layer_rows in rows.items():
        folder = root.find(f"{{{NS}}}Document[@id='{name}']")
        marks = folder.findall(f"{{{NS}}}Placemark") if folder is not None else []
        for mark, props in zip(marks, layer_rows):
            style_id, colour = style_key(props)
            keys[style_id] = colour
            link = ET.Element(f"{{{NS}}}styleUrl")
            link.text = f"#{style_id}"
            mark.insert(next((i for i, c in enumerate(mark) if c.tag in BEFORE_STYLE_URL), len(mark)), link)
    head = [text_element("name", bundle.scenario.map_title),
            text_element("description", f"dataset_version={bundle.version}"),
            *(style_element(style_id, keys[style_id]) for style_id in sorted(keys))]
    root[0:0] = head


def text_element(tag: str, text: str) -> ET.Element:
    element = ET.Element(f"{{{NS}}}{tag}")
    element.text = text
    return element


def kml_colour(colour: str, alpha: str = "ff") -> str:
    """'#rrggbb' as KML's 'aabbggrr'."""
    value = colour.lstrip("#").lower()
    return f"{alpha}{value[4:6]}{value[2:4]}{value[0:2]}"


def style_element(style_id: str, colour: str) -> ET.Element:
    """A <Style> colouring icons, lines and (half-transparent) polygons alike."""
    element = ET.Element(f"{{{NS}}}Style", id=style_id)
    for tag, alpha in (("IconStyle", "ff"), ("LineStyle", "ff"), ("PolyStyle", "80")):
        sub = ET.SubElement(element, f"{{{NS}}}{tag}")
        ET.SubElement(sub, f"{{{NS}}}color").text = kml_colour(colour, alpha)
    return element


FORMAT = Format("kml", "Google Earth with time spans", "KML (Google Earth)", "kml",
                "application/vnd.google-earth.kml+xml", single_file("kml", write_kml), weight=4)
