"""The guided story: a step's words, sources and rows beside the map, Previous/Next, the map flown to its view."""

from __future__ import annotations

import folium
import streamlit as st

from geo.data.dataset import Dataset
from geo.data.refs import resolve_all
from geo.data.story import Step, steps
from geo.web.claims import ref_line
from geo.web.highlight import ring_features, ring_group
from geo.web.text import md, source_links
from geo.web.url import Bounds, clamp
from layers import REGISTRY
from ui.loaders import all_time_layers

View = tuple[tuple[float, float], int]


def restore_story(dataset: Dataset, bounds: Bounds) -> None:
    """On a session's first run, `?story=N` opens step N (before the widgets it sets are drawn)."""
    state = st.session_state
    if "story_step" in state:
        return
    text, count = st.query_params.get("story", ""), len(dataset["story"])
    state["story_step"] = None
    if text.isdigit() and 1 <= int(text) <= count:
        go_to_step(dataset, int(text), bounds)


def go_to_step(dataset: Dataset, number: int | None, bounds: Bounds) -> None:
    """Open a step (None leaves the story): its day, and exactly its dated layers (base-map layers unchanged)."""
    state = st.session_state
    state["story_step"] = number
    if number is None:
        return
    step = steps(dataset["story"])[number - 1]
    state["day"] = clamp(step.day, bounds)
    if step.layers:
        state.update({f"layer:{name}": name in step.layers for name, layer in REGISTRY.items()
                      if layer.TIME_DEPENDENT and not layer.IN_BASE_MAP})


def story_ui(dataset: Dataset, bounds: Bounds) -> tuple[View | None, list[folium.FeatureGroup]]:
    """The story's start button, and for an open step its panel; returns its map view and highlight rings."""
    story, number = steps(dataset["story"]), st.session_state.get("story_step")
    if not story:
        return None, []
    if number is None:
        st.sidebar.button("Tell the story", icon=":material/auto_stories:", key="story_start", width="stretch",
                          on_click=go_to_step, args=(dataset, 1, bounds))
        return None, []
    step = story[number - 1]
    step_panel(dataset, step, len(story), bounds)
    frames = all_time_layers(dataset, dataset.version)
    rings = ring_features(frames, step.rows, dataset.sources)
    return (step.center, step.zoom), [ring_group(rings, "Story: highlighted")] if rings else []


def step_panel(dataset: Dataset, step: Step, count: int, bounds: Bounds) -> None:
    """Step N of M: title, our words with their sources, the highlighted rows, and Previous / Next / Leave."""
    with st.container(border=True, key="story_panel"):
        st.markdown(f"**Story, step {step.number} of {count}: {md(step.title)}**")
        st.markdown(f"{md(step.text)}\n\nSources: {source_links(step.source_ids, dataset.sources)}")
        refs = resolve_all(dataset, ";".join(step.rows))
        if refs:
            st.markdown("Highlighted:\n\n" + "\n".join(ref_line(ref, dataset) for ref in refs))
        back, forward, leave = st.columns(3)
        back.button("◀ Previous", key="story_previous", disabled=step.number == 1, width="stretch",
                    on_click=go_to_step, args=(dataset, step.number - 1, bounds))
        forward.button("Next ▶", key="story_next", disabled=step.number == count, width="stretch",
                       on_click=go_to_step, args=(dataset, step.number + 1, bounds))
        leave.button("Leave the story", key="story_leave", width="stretch", on_click=go_to_step,
                     args=(dataset, None, bounds))


def save_story_url() -> None:
    """Keep the open step in the link (`?story=N`)."""
    if (number := st.session_state.get("story_step")) is not None:
        st.query_params["story"] = str(number)
