"""The day's view as one fragment: a slider move reruns the map, title, chart and text, not the whole page."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo import settings
from geo.data.dataset import Dataset
from geo.data.timeline import format_day
from geo.web.url import Bounds
from ui.compare import compare_ui
from ui.loaders import MAP_KEY, chart_spec, timeline_chart
from ui.mapview import map_ui
from ui.panels import downloads_ui, text_ui
from ui.timeline import save_day_url, slider_ui


@dataclass(frozen=True)
class Places:
    """Containers drawn by the full run that the day's view fills (cleared and redrawn on each of its reruns)."""

    slider: DeltaGenerator  # the sidebar's date slider
    downloads: DeltaGenerator  # the sidebar's download buttons (of the day)
    heading: DeltaGenerator  # the page title, which names the day


@dataclass(frozen=True)
class Choices:
    """What the rest of the page chose, fixed while only the day's view reruns."""

    layers: list[str]
    actors: list[str]
    tiles: str | None
    window: int
    second: dt.date | None = None  # the compared date, None when not comparing
    view: tuple[tuple[float, float], int] | None = None  # a story step's center and zoom
    highlights: Sequence[folium.FeatureGroup] = ()  # a story step's rings
    opening: bool = False  # the page's first run: title and map alone (ui/opening.py)


@st.fragment
def day_view_ui(dataset: Dataset, bounds: Bounds, places: Places, chosen: Choices) -> None:
    """Everything that depends on the day, the slider included: a slider move, or a pan or zoom of the map, reruns
    only this. The map goes first and the rest follows after a pause (settings.MAP_FIRST_PAUSE_S); while the page is
    opening, only the title follows, until the map's first report reruns the whole page: the slider's scripts, loaded
    beside the map's frame, held it back (BENCHMARKS.md, "Eleventh round")."""
    day = st.session_state["day"]  # the slider's value, set before this runs
    if chosen.opening and st.session_state.get(MAP_KEY) is not None:
        st.rerun(scope="app")
    compared = chosen.second is not None and compare_ui(dataset, day, chosen.second, chosen.layers, chosen.actors)
    if not compared:
        map_ui(dataset, day, chosen.layers, chosen.actors, chosen.tiles, chosen.window, fly_to=chosen.view,
               extra=chosen.highlights)
    if not chosen.opening:
        time.sleep(settings.MAP_FIRST_PAUSE_S)
        slider_ui(bounds, places.slider)
    places.heading.title(f"{dataset.scenario.map_title} on {format_day(pd.Timestamp(day))}")
    if chosen.opening:
        return
    downloads_ui(dataset, day, places.downloads)
    chart_ui(dataset, day, bounds, after_map=not compared and st.session_state.get(MAP_KEY) is None)
    text_ui(dataset, day)
    save_day_url(day)


def chart_ui(dataset: Dataset, day: dt.date, bounds: Bounds, *, after_map: bool) -> None:
    """The deployments chart. after_map: the page is opening and its map has not yet reported its view, so only the
    chart's space is kept; the report reruns this and draws it. The chart's scripts (Vega) would otherwise load and
    run beside the map's: first map ~0.5 s sooner (BENCHMARKS.md)."""
    if after_map:  # the shared spec's height: the day's data (converted to Arrow) is needed only to draw it
        st.container(height=timeline_chart(dataset, dataset.version, bounds)["height"], border=False)
    else:
        st.vega_lite_chart(chart_spec(dataset, day, bounds), width="stretch")
