"""Streamlit app: a sourced, dated map of the forces in the seeds' theatre (`streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from ui.compare import compare_controls_ui, restore_compare, save_compare_url
from ui.dayview import Choices, Places, day_view_ui
from ui.layers import uploads_ui
from ui.loaders import dataset_ui
from ui.mapview import filter_ui
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
    slider = st.sidebar.container()
    date_ui(dataset, bounds)
    layers, actors, tiles = filter_ui(dataset)
    window = uploads_ui()
    places = Places(slider, st.sidebar.container(), st.container())
    view, highlights = story_ui(dataset, bounds)
    second = compare_controls_ui(bounds)
    day_view_ui(dataset, bounds, places, Choices(layers, actors, tiles, window, second, view, highlights))
    seed_ui(dataset, bounds)
    st.caption(f"Dataset version {dataset.version}. Sources are linked in every popup.")
    save_url(st.session_state["day"], layers, actors)
    save_story_url()
    save_compare_url()


main()
