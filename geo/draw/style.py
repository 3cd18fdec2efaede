"""Pure presentation of layer features: style dicts, tooltips and escaped popup HTML with clickable sources."""

from __future__ import annotations

import html
import json
import zlib
from collections.abc import Callable, Mapping

import pandas as pd

from geo import settings
from geo.data.contract import BASE_COLUMNS, CELL_PREFIX, IMPORT_PREFIX

OPACITY_BY_CONFIDENCE = {"high": 0.85, "medium": 0.6, "low": 0.35}
DASHED = "4 4"
UNCERTAIN_DASH = "2 5"  # a possibly-present force: hollow, outline dotted
UNCERTAIN_FILL_OPACITY = 0.05
FIGURE_BADGE_RADIUS = 11
DEPARTURE_RADIUS = 7  # a departure count is never a garrison size: one fixed size
FIGURE_FADE_FLOOR_SHOWN = OPACITY_BY_CONFIDENCE["high"] * settings.FIGURE_FADE_FLOOR
COUNTRY_FILL = {"focus": "#fff7d6", "neighbour": "#f2f2f2", "context": "#f7f7f7"}
GROUP_OUTLINE = "#7a3e00"
IMPORT_PALETTE = ("#7b3294", "#17becf", "#66a61e", "#c51b7d", "#8c564b", "#525252")  # apart from actors and counts
IMPORT_POPUP_COLUMNS = 8
COUNT_COLOURS = ((1, "#fed976"), (10, "#fd8d3c"), (100, "#e31a1c"), (1000, "#800026"))  # lowest count -> fill


def text(value: object) -> str:
    """Escape any value for HTML; missing values become an empty string."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def safe_json(value: object) -> str:
    """Compact, key-stable JSON that cannot end the <script> element it sits in nor open a comment there.

    Only "</" and "<!--" do that in script text; both become JSON escapes ("<\\/", "<\\u0021--") that parse back to
    the same string, so escaped popups keep their size instead of tripling every "<".
    """
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return encoded.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def import_colour(layer: str) -> str:
    """A stable colour per imported layer (given as "import:<name>" or <name>), the same on every run."""
    return IMPORT_PALETTE[zlib.crc32(layer.removeprefix(IMPORT_PREFIX).encode()) % len(IMPORT_PALETTE)]


def swatch(colour: str, radius: float = 6, dashed: bool = False, opacity: float = 0.85) -> str:
    """An inline SVG circle like the map's markers."""
    size = 2 * radius + 4
    dash = ' stroke-dasharray="4 4"' if dashed else ""
    return (f'<svg width="{size:g}" height="{size:g}"><circle cx="{size / 2:g}" cy="{size / 2:g}" r="{radius:g}" '
            f'fill="{html.escape(colour)}" fill-opacity="{opacity:g}" stroke="{html.escape(colour)}" '
            f'stroke-width="2"{dash}/></svg>')


def record_legend() -> list[tuple[str, str]]:
    """(icon, label) rows explaining what is uncertain, country-wide, departed or old; shared by app and export."""
    badge = ('<svg width="26" height="26"><circle cx="13" cy="13" r="9" fill="#ffffff" stroke="#777777" '
             'stroke-width="4"/></svg>')
    return [
        (swatch("#777777", 6, opacity=UNCERTAIN_FILL_OPACITY, dashed=True), "hollow, dotted = possibly present "
         "(between the earliest and latest day it may have arrived or left)"),
        (badge, "country-wide figure: drawn once per country, not at any site"),
        (swatch("#777777", DEPARTURE_RADIUS, opacity=0, dashed=True), "departure count (not a garrison size)"),
        (swatch("#777777", 5, opacity=FIGURE_FADE_FLOOR_SHOWN), f"figures fade as they age ({settings.FIGURE_FADE_DAYS}"
         " days or older: faintest)"),
        ("", "~ about, < fewer than, > more than, ≤ up to, ≥ at least; a / b: two readings of one day"),
    ]


def count_colour(count: int) -> str:
    """The fill of a grid cell holding `count` features."""
    return next((colour for low, colour in reversed(COUNT_COLOURS) if count >= low), COUNT_COLOURS[0][1])


def count_ranges() -> list[tuple[str, str]]:
    """(label, colour) per count class, like "10-99", for a legend."""
    highs = [low - 1 for low, _ in COUNT_COLOURS[1:]]
    return [(f"{low:,}-{high:,}" if high is not None else f"{low:,}+", colour)
            for (low, colour), high in zip(COUNT_COLOURS, [*highs, None])]


def layer_starts(props: Mapping, prefix: str) -> bool:
    return str(props.get("layer") or "").startswith(prefix)


def style(feature: Mapping) -> dict:
    """Leaflet path style for a polygon or line feature, from its properties only."""
    props = feature.get("properties", feature)
    layer = props.get("layer")
    if layer_starts(props, CELL_PREFIX):
        fill = count_colour(int(props.get("count") or 0))
        return {"color": fill, "weight": 0.5, "fillColor": fill, "fillOpacity": 0.5}
    if layer_starts(props, IMPORT_PREFIX):
        return {"color": import_colour(layer), "weight": 2, "fillOpacity": 0.2}
    if layer == "countries":
        focus = props.get("role") == "focus"
        outline = GROUP_OUTLINE if props.get("group_member") else "#888888"
        return {"color": outline, "weight": 2.5 if focus else 1, "fillColor": COUNTRY_FILL.get(props.get("role"), "#f7f7f7"),
                "fillOpacity": 0.9 if focus else 0.6, "dashArray": None if props.get("group_member") or focus else DASHED}
    if layer == "regions":
        return {"color": "#b3a16b", "weight": 0.8, "fillOpacity": 0, "dashArray": "2 3"}
    if layer == "movements":
        return {"color": props.get("colour", "#333333"), "weight": 3, "opacity": 0.8, "dashArray": "8 6"}
    return {"color": props.get("colour", "#333333"), "weight": 1.5, "fillOpacity": 0.3}


def marker_style(props: Mapping) -> dict:
    """Circle-marker options: actor colour, size by strength, opacity by confidence, dashed when approximate."""
    layer = props.get("layer")
    approximate = props.get("location_precision") == "approximate"
    if layer_starts(props, IMPORT_PREFIX):  # the file's own columns (colour, radius...) never style it; the importer
        # decodes ACLED/UCDP precision codes into location_precision (geo.imports.precision)
        return {"radius": 5, "color": "#ffffff", "weight": 1, "fillColor": import_colour(str(layer)), "fillOpacity": 0.85,
                **({"color": import_colour(str(layer)), "weight": 2, "fillOpacity": 0.35, "dashArray": DASHED}
                   if approximate else {})}
    if layer == "sites":
        return {"radius": 4, "color": "#222222", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1}
    if layer == "towns":
        return {"radius": 2.5, "color": "#555555", "weight": 1, "fillColor": "#555555", "fillOpacity": 0.9}
    if layer == "copresence":
        return {"radius": 30, "color": "#b00020", "weight": 2.5, "fill": False, "dashArray": "6 4"}
    if layer == "figures":
        return figure_style(props)
    fill_opacity = OPACITY_BY_CONFIDENCE.get(str(props.get("confidence")), 0.5) * fade(props.get("strength_age_days"))
    if props.get("certainty") == "uncertain":
        return {"radius": float(props.get("radius") or 6), "color": props.get("colour", "#333333"), "weight": 2,
                "fillColor": props.get("colour", "#333333"), "fillOpacity": UNCERTAIN_FILL_OPACITY,
                "dashArray": UNCERTAIN_DASH}
    return {"radius": float(props.get("radius") or 6), "color": props.get("colour", "#333333"), "weight": 2,
            "fillColor": props.get("colour", "#333333"), "fillOpacity": round(fill_opacity, 3),
            "dashArray": DASHED if approximate else None}


def fade(age_days: int | None) -> float:
    """1 for a new figure down to FIGURE_FADE_FLOOR at FIGURE_FADE_DAYS old; 1 where there is no figure."""
    if age_days is None or pd.isna(age_days):
        return 1.0
    share = min(max(int(age_days), 0), settings.FIGURE_FADE_DAYS) / settings.FIGURE_FADE_DAYS
    return 1 - (1 - settings.FIGURE_FADE_FLOOR) * share


def figure_style(props: Mapping) -> dict:
    """A country-wide figure: a white badge ringed in the actor's colour; a departure: a small dotted ring. Both fade."""
    opacity = round(fade(props.get("strength_age_days")), 3)
    colour = props.get("colour", "#333333")
    if props.get("kind") == "departure":
        return {"radius": DEPARTURE_RADIUS, "color": colour, "weight": 2, "opacity": opacity, "fill": False,
                "dashArray": "1 4"}
    return {"radius": FIGURE_BADGE_RADIUS, "color": colour, "weight": 4, "opacity": opacity, "fillColor": "#ffffff",
            "fillOpacity": round(0.9 * opacity, 3)}


def tooltip(props: Mapping) -> str:
    """One escaped line: name, for forces their status and reported strength, for imports their layer first."""
    if props.get("layer") == "deployments":
        possibly = "possibly present, " if props.get("certainty") == "uncertain" else ""
        return text(f"{props.get('name')}: {possibly}{props.get('status')}, {props.get('strength_label')}")
    if props.get("layer") == "figures":
        what = "country-wide" if props.get("kind") == "country" else "departure"
        return text(f"{props.get('name')}: {props.get('strength_label')} ({what}), as of {props.get('strength_as_of')}")
    if props.get("layer") == "events":
        return text(f"{props.get('date_label')}: {props.get('name')}")
    if layer_starts(props, IMPORT_PREFIX) or layer_starts(props, CELL_PREFIX):
        return text(f"{str(props['layer']).split(':', 1)[1]}: {props.get('name')}")
    return text(props.get("name"))


SourceTable = Mapping[str, Mapping[str, str]]  # source_id -> its title, publisher and url


def source_table(sources: pd.DataFrame | SourceTable) -> SourceTable:
    """Sources by id, for popups built by the thousand (a frame is indexed once, not per feature)."""
    if isinstance(sources, Mapping):
        return sources
    return {row["source_id"]: row for row in sources.to_dict("records")}


def source_links(source_ids: str, sources: pd.DataFrame | SourceTable) -> str:
    """An escaped HTML list of the cited sources, each linked to its URL when there is one."""
    table, items = source_table(sources), []
    for source_id in [s for s in str(source_ids or "").split(";") if s]:
        if source_id not in table:
            items.append(f"<li>{text(source_id)}</li>")
            continue
        row = table[source_id]
        label = text(f"{row['title']} ({row['publisher']})")
        link = f'<a href="{text(row["url"])}" target="_blank" rel="noopener noreferrer">{label}</a>' if row["url"] else label
        items.append(f"<li>{link}</li>")
    return f"<ol class='sources'>{''.join(items)}</ol>"


POPUP_FIELDS = {
    "deployments": [("Force", "actor_name"), ("Status", "status"), ("Presence", "certainty"),
                    ("Arrived", "deployment_start"), ("Left", "deployment_end"),
                    ("Figure for this site", "strength_label"), ("As of", "strength_as_of"), ("Age", "strength_age"),
                    ("Mission", "mission"), ("Assets", "assets"),
                    ("Confidence", "confidence"), ("Location", "location_precision"), ("Notes", "notes")],
    "sites": [("Kind", "kind"), ("Forces present", "forces"), ("Location", "location_precision"),
              ("Confidence", "confidence"), ("Notes", "notes")],
    "figures": [("Force", "actor_name"), ("Figure", "strength_label"), ("Kind", "kind"), ("As of", "strength_as_of"),
                ("Age", "strength_age"), ("Country", "country"), ("Site", "site_name"), ("Confidence", "confidence")],
    "events": [("Date", "date_label"), ("Kind", "kind"), ("Where", "site_name"), ("People", "people"),
               ("Confidence", "confidence"), ("Notes", "notes")],
    "movements": [("Date", "date_label"), ("Mode", "mode"), ("From", "from_name"), ("To", "to_name"),
                  ("Confidence", "confidence")],
    "copresence": [("Forces", "actors")],
    "countries": [("Groups", "groups")],
    "towns": [("Region", "region"), ("Population (max)", "pop_max")],
}


def popup_fields(props: Mapping) -> list[tuple[str, str]]:
    """(label, key) pairs shown in a popup: the layer's own list, an import's first file columns, a cell's count."""
    if layer_starts(props, CELL_PREFIX):
        return [("Features in this cell", "count"), ("Cell width (degrees)", "cell_deg")]
    if layer_starts(props, IMPORT_PREFIX):
        return [(key, key) for key in props if key not in BASE_COLUMNS][:IMPORT_POPUP_COLUMNS]
    return POPUP_FIELDS.get(str(props.get("layer")), [])


def popup_html(props: Mapping, sources: pd.DataFrame | SourceTable) -> str:
    """Escaped popup: the feature's name, its labelled fields, and its sources as links."""
    rows = "".join(
        f"<tr><th>{text(label)}</th><td>{text(props.get(key))}</td></tr>"
        for label, key in popup_fields(props)
        if text(props.get(key))
    )
    return (f"<div class='popup'><b>{text(props.get('name'))}</b><table>{rows}</table>"
            f"<div>Sources:</div>{source_links(props.get('source_ids', ''), sources)}</div>")


def drawn(props: Mapping, *, point: bool, sources: pd.DataFrame | SourceTable,
          shape_style: Callable[[Mapping], dict] = style) -> dict:
    """What a map draws for one feature: its Leaflet style (marker_style for points, shape_style otherwise; unset
    options left out), escaped tooltip and popup with sources. The app's FeatureLayer and the HTML export share it."""
    look = marker_style(props) if point else shape_style(props)
    return {"style": {k: v for k, v in look.items() if v is not None}, "tooltip": tooltip(props),
            "popup": popup_html(props, sources)}
