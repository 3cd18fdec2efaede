"""The page opens map first: title and map; the map's first report brings the slider, controls, chart and text."""

# Drawn in the same run, the rest delayed the map by ~1 s of the browser's work (BENCHMARKS.md, "Eighth round").

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo import settings
from geo.data.dataset import Dataset
from geo.web.url import Bounds
from ui.dayview import Choices, Places, day_view_ui
from ui.layers import window_days
from ui.loaders import MAP_KEY
from ui.mapview import chosen_filters

OPENED = "page_opened"  # session key: the whole page has been drawn (or is due)
WAITED = "map_report_awaited"  # session key: the wait for the map's first report has begun


def opens_map_first() -> bool:
    """A session's first run with an st_folium map to wait for (not comparing, no story step: those draw at once)."""
    state = st.session_state
    return (not state.get(OPENED) and state.get(MAP_KEY) is None and not state.get("compare_on")
            and state.get("story_step") is None)


def map_first_ui(dataset: Dataset, bounds: Bounds, places: Places, day_place: DeltaGenerator) -> None:
    """The title and map, with the choices the link restored; the day's view reruns the page when the map
    reports, and a map that never reports holds the rest back settings.MAP_REPORT_WAIT_S at most."""
    layers, actors, tiles = chosen_filters()
    with day_place:
        day_view_ui(dataset, bounds, places, Choices(layers, actors, tiles, window_days(), opening=True))
    st.fragment(run_every=settings.MAP_REPORT_WAIT_S)(draw_rest_if_unreported)()


def draw_rest_if_unreported() -> None:
    """Run at once, then every MAP_REPORT_WAIT_S while the page is opening: the second run draws the whole page."""
    state = st.session_state
    if state.get(WAITED):
        state[OPENED] = True
        st.rerun(scope="app")
    state[WAITED] = True


def page_opened() -> None:
    """The whole page is drawn: later runs (compare turned off, say, where no map has reported) draw it whole."""
    st.session_state[OPENED] = True
