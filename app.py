"""Streamlit app: a sourced, dated map of the forces in the seeds' theatre (`streamlit run app.py`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.data.timeline import format_day
from ui.compare import compare_ui, restore_compare, save_compare_url
from ui.layers import uploads_ui
from ui.loaders import chart_spec, dataset_ui
from ui.mapview import filter_ui, map_ui
from ui.panels import downloads_ui, text_ui
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
    day = date_ui(dataset, bounds)
    layers, actors, tiles = filter_ui(dataset)
    window = uploads_ui()
    downloads_ui(dataset, day)
    st.title(f"{dataset.scenario.map_title} on {format_day(pd.Timestamp(day))}")
    view, highlights = story_ui(dataset, bounds)
    if not compare_ui(dataset, day, layers, actors, bounds):
        map_ui(dataset, day, layers, actors, tiles, window, fly_to=view, extra=highlights)
    st.vega_lite_chart(chart_spec(dataset, dataset.version, day, bounds), width="stretch")
    text_ui(dataset, day)
    seed_ui(dataset, bounds)
    st.caption(f"Dataset version {dataset.version}. Sources are linked in every popup.")
    save_url(day, layers, actors)
    save_story_url()
    save_compare_url()


main()
