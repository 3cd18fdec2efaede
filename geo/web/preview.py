"""The day's map drawn in the page as the slider moves: the whole timeline's features, filtered there by day."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from jinja2 import Template

from geo.data.contract import END, START
from geo.draw.style import safe_json
from geo.web import elements
from geo.web.daymap import row_actors

SCRIPT = Path(__file__).resolve().parent / "templates" / "preview.js"


def iso_seconds(values: pd.Series) -> list[str | None]:
    """Naive datetimes as ISO text to the second (None when missing): compared as strings in the page, they order
    as the datetimes do."""
    texts = np.datetime_as_string(values.to_numpy(dtype="datetime64[s]"), unit="s")
    return [None if text == "NaT" else str(text) for text in texts]


def day_text(day: dt.date) -> str:
    """A day as the page compares it with the rows' dates (iso_seconds): its first second."""
    return f"{day.isoformat()}T00:00:00"


def layer_rows(name: str, frame: gpd.GeoDataFrame, features: pd.Series) -> list[str]:
    """The layer's drawable rows as JSON arrays [feature_id, start, end, actors, feature]: located rows only, and for
    countries only the group members (daymap.day_rows draws them as the alliance outlines)."""
    keep = features.to_numpy(dtype=object) != ""
    if name == "countries":
        keep &= frame["group_member"].to_numpy(dtype=bool)
    heads = zip(frame["feature_id"], iso_seconds(frame[START]), iso_seconds(frame[END]), row_actors(frame))
    return [f"{safe_json(list(head))[:-1]},{text}]" for head, text, kept in zip(heads, features, keep) if kept]


def timeline_json(frames: dict[str, gpd.GeoDataFrame], features: dict[str, pd.Series]) -> str:
    """Every time-dependent layer's rows over the whole timeline, by layer name (features: daymap.day_features)."""
    layers = [f"{safe_json(name)}:[{','.join(layer_rows(name, frames[name], texts))}]" for name, texts in features.items()]
    return "{" + ",".join(layers) + "}"


def preview_file(timeline: str) -> tuple[str, str]:
    """(file name, text): the timeline and the script that draws it, named by content (fetched once per version)."""
    text = f"window.geoTimeline = {timeline};\n{SCRIPT.read_text(encoding='utf-8')}"
    return f"geoPreview_{hashlib.sha256(text.encode()).hexdigest()[:16]}.js", text


def shown_script(day: dt.date, layers: Sequence[str], actors: Iterable[str], first: int) -> str:
    """The first of a rerun's group scripts: the day drawn (day_text), its dated layers (the groups
    from index `first`, in this order) and forces, for the page to draw another day the same way. It also empties
    streamlit_folium's list of groups, which that component only ever appends to (it has just removed them)."""
    shown = {"day": day_text(day), "layers": list(layers), "actors": list(actors), "first": first}
    return (f"window.feature_group = [];\nwindow.geoDayShown = {safe_json(shown)};\n"
            "queueMicrotask(function () { if (window.geoPreview) { window.geoPreview.follow(); } });\n")


class PreviewLoader(elements.ScriptElement):
    """Loads the preview file once the map is drawn and idle, and names the page's slider it follows."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.geoPreviewSlider = {{ this.slider_json }};
        (window.requestIdleCallback || setTimeout)(function () {
            var script = document.createElement("script");
            script.src = {{ this.url_json }};
            document.head.appendChild(script);
        });
        {% endmacro %}
    """)

    def __init__(self, url: str, slider: str):
        """url: the preview file; slider: a CSS selector of the page's date slider (an input whose value is the
        day's microseconds since 1970, UTC, as Streamlit's slider holds dates)."""
        super().__init__()
        self._name = "PreviewLoader"
        self.url_json, self.slider_json = safe_json(url), safe_json(slider)
