"""Self-contained HTML export: inline Leaflet, the layers as escaped JSON, and a small timeline control."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import geopandas as gpd
import shapely

from geo.data.contract import IMPORT_PREFIX
from geo.data.records import iso_day, properties
from geo.draw.assets import LEAFLET_JS, leaflet_css_inline
from geo.draw.style import SourceTable, drawn, import_colour, record_legend, safe_json, source_table, swatch
from geo.exports.common import Bundle, Format, geometry_json, is_imported, prepared, single_file
from geo.exports.narrative import narrative_payload

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Context countries (not Niger, not its neighbours) are background only: 0.02 degrees (~2 km) is invisible at zoom 6.
CONTEXT_TOLERANCE_DEG = 0.02


def display_geometry(geometry: shapely.Geometry, props: dict) -> shapely.Geometry:
    """The drawn shape: context countries simplified (topology kept), everything else as exported."""
    if props.get("layer") == "countries" and props.get("role") == "context":
        return shapely.set_precision(geometry.simplify(CONTEXT_TOLERANCE_DEG), 1e-5)
    return geometry


def feature_entry(props: dict, geometry_index: int, point: bool, sources: SourceTable) -> dict:
    """One drawable feature: its interval, whether it is only possibly there (u), precomputed style, escaped tooltip
    and popup with sources."""
    possible = {"u": 1} if props.get("certainty") == "uncertain" else {}
    return {"id": props["feature_id"], "s": props.get("start_date"), "e": props.get("end_date"), "g": geometry_index,
            **possible, **drawn(props, point=point, sources=sources)}


def layer_entries(bundle: Bundle) -> tuple[list[dict], list[dict | None]]:
    """Layers with their located features, and the shared geometries (identical shapes stored once)."""
    indices: dict[str, int] = {}
    geometries: list[dict | None] = []
    layers: list[dict] = []
    sources = source_table(bundle.sources)
    for name, frame in bundle.frames.items():
        frame = prepared(frame)
        features = []
        for props, geometry in zip(properties(frame), frame.geometry):
            shape = geometry_json(display_geometry(geometry, props)) if geometry is not None else None
            if shape is None:
                continue  # unlocated: listed in the other formats, nothing to draw here
            index = indices.setdefault(safe_json(shape), len(geometries))
            if index == len(geometries):
                geometries.append(shape)
            features.append(feature_entry(props, index, shape["type"] == "Point", sources))
        layers.append({"name": name, "title": html.escape(bundle.title(name)), "features": features})
    return layers, geometries


def legend_html(frames: dict[str, gpd.GeoDataFrame]) -> str:
    """Actor colours (from frames with actor names and colours), then what size, opacity and dashes mean."""
    actors: dict[str, str] = {}
    for frame in frames.values():
        if {"actor_name", "colour"} <= set(frame.columns) and not is_imported(frame):
            actors.update(sorted(zip(frame["actor_name"].dropna(), frame["colour"].dropna())))
    rows = [f"<div>{swatch(colour, 5)} {html.escape(name)}</div>" for name, colour in sorted(actors.items())]
    notes = ["size = the site's reported strength", "opacity = confidence", "dashed = approximate location"]
    legend = "<b>Forces</b>" + "".join(rows) + "".join(f"<div><i>{html.escape(n)}</i></div>" for n in notes)
    legend += "<b>Uncertainty</b>" + "".join(f"<div>{icon} {html.escape(label)}</div>" for icon, label in record_legend())
    return legend + imported_legend(frames)


def imported_legend(frames: dict[str, gpd.GeoDataFrame]) -> str:
    """One swatch per imported layer with features, in its map colour, labelled with its (escaped) name."""
    labels = sorted({str(frame["layer"].iloc[0]) for frame in frames.values() if len(frame) and is_imported(frame)})
    rows = [f"<div>{swatch(import_colour(label), 5)} {html.escape(label.removeprefix(IMPORT_PREFIX))}</div>"
            for label in labels]
    return "<b>Your layers</b>" + "".join(rows) if rows else ""


def initial_day(bundle: Bundle) -> dt.date:
    """The snapshot day, else the app's default day kept inside the timeline."""
    if bundle.day is not None:
        return bundle.day
    return min(max(bundle.scenario.default_day, bundle.timeline[0]), bundle.timeline[1])


def payload(bundle: Bundle) -> str:
    """The page's data as script-safe JSON."""
    layers, geometries = layer_entries(bundle)
    start, end = bundle.timeline if bundle.day is None else (bundle.day, bundle.day)
    title, scenario = bundle.scenario.map_title, bundle.scenario
    data = {"version": bundle.version, "title": title, "center": list(scenario.center), "zoom": scenario.zoom,
            "start": iso_day(start), "end": iso_day(end), "day": iso_day(initial_day(bundle)),
            "layers": layers, "legend": legend_html(dict(bundle.frames)), "geometries": geometries,
            "narrative": narrative_payload(bundle)}
    return safe_json(data)


def render_html(bundle: Bundle) -> str:
    """Fill the template in one pass, so inserted code and data are never scanned for placeholders."""
    title = bundle.scenario.map_title
    title = title if bundle.day is None else f"{title} on {bundle.day.isoformat()}"
    parts = {
        "TITLE": html.escape(title), "VERSION": html.escape(bundle.version),
        "LEAFLET_CSS": leaflet_css_inline().replace("</", "<\\/"),
        "LEAFLET_JS": LEAFLET_JS.read_text(encoding="utf-8").replace("</script", "<\\/script"),
        "DATA": payload(bundle), "APP_JS": (TEMPLATES / "export.js").read_text(encoding="utf-8"),
        "NARRATIVE_JS": (TEMPLATES / "narrative.js").read_text(encoding="utf-8"),
    }
    template = (TEMPLATES / "export.html").read_text(encoding="utf-8")
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda match: parts[match.group(1)], template)


def write_html(bundle: Bundle, path: Path) -> None:
    path.write_text(render_html(bundle), encoding="utf-8")


FORMAT = Format("html", "one self-contained offline page with a timeline", "HTML page (offline)", "html", "text/html",
                single_file("html", write_html), weight=2)
