"""Streamlit app: a sourced, dated map of the forces in the seeds' theatre (`streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from ui.compare import compare_controls_ui, restore_compare, save_compare_url
from ui.dayview import Choices, Places, day_view_ui
from ui.layers import uploads_ui
from ui.loaders import dataset_ui
from ui.mapview import filter_ui
from ui.opening import map_first_ui, opens_map_first, page_opened
from ui.seed import seed_ui
from ui.story import restore_story, save_story_url, story_ui
from ui.timeline import date_ui, restore_state, save_url


def main() -> None:
    st.set_page_config(layout="wide")
    dataset = dataset_ui()
    st.set_page_config(page_title=dataset.scenario.title)
    bounds = dataset.scenario.timeline
    restore_state(dataset, bounds)
    restore_story(dataset, bounds)
    restore_compare(bounds)
    # The page's places in the order they show, made first: the map has the same place whether the page opens map
    # first or whole, so the browser keeps it (and its view) when the rest arrives.
    slider, heading, story, day_place = st.sidebar.container(), st.container(), st.container(), st.container()
    if opens_map_first():
        map_first_ui(dataset, bounds, Places(slider, st.sidebar.container(), heading), day_place)
        return
    date_ui(dataset, bounds)
    layers, actors, tiles = filter_ui(dataset)
    window = uploads_ui()
    places = Places(slider, st.sidebar.container(), heading)
    with story:
        view, highlights = story_ui(dataset, bounds)
    second = compare_controls_ui(bounds)
    with day_place:
        day_view_ui(dataset, bounds, places, Choices(layers, actors, tiles, window, second, view, highlights))
    seed_ui(dataset, bounds)
    st.caption(f"Dataset version {dataset.version}. Sources are linked in every popup.")
    save_url(st.session_state["day"], layers, actors)
    save_story_url()
    save_compare_url()
    page_opened()


main()
