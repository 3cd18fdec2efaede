"""The date controls (slider, steps, milestones, play) and the link that keeps the view."""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo import settings
from geo.data.dataset import Dataset
from geo.web.url import Bounds, clamp, url_state
from layers import REGISTRY
from ui.loaders import milestone_labels


def restore_state(dataset: Dataset, bounds: Bounds) -> None:
    """On a session's first run, restore date, layers and actors from the URL; later, apply a play tick's day."""
    state = st.session_state
    state.update(state.pop("pending", {}))
    if "day" not in state:
        state.update(url_state(st.query_params.to_dict(), bounds, dataset.scenario.default_day, list(REGISTRY),
                               list(dataset.actors["actor_id"])))


def shift(days: int, bounds: Bounds) -> None:
    st.session_state["day"] = clamp(st.session_state["day"] + dt.timedelta(days=days), bounds)


def jump(bounds: Bounds) -> None:
    if st.session_state.get("milestone") is not None:
        st.session_state["day"] = clamp(st.session_state["milestone"], bounds)


def slider_ui(bounds: Bounds, bar: DeltaGenerator) -> None:
    """The date slider in `bar` (st.session_state["day"]); drawn by the day's view, so a move reruns only that."""
    bar.slider("Date", min_value=bounds[0], max_value=bounds[1], step=dt.timedelta(days=1), format="D MMM YYYY",
                      key="day")


def date_ui(dataset: Dataset, bounds: Bounds) -> None:
    """Step buttons, milestone quick-jumps and a play control in the sidebar (each a full rerun: the slider moves)."""
    bar = st.sidebar
    step = settings.STEPS[bar.radio("Step", list(settings.STEPS), horizontal=True, key="step")]
    back, forward = bar.columns(2)
    back.button("◀ Back", on_click=shift, args=(-step, bounds), width="stretch")
    forward.button("Forward ▶", on_click=shift, args=(step, bounds), width="stretch")
    labels = milestone_labels(dataset, dataset.version)
    bar.selectbox("Jump to milestone", list(labels), index=None, format_func=lambda day: labels.get(day, str(day)),
                  key="milestone", on_change=jump, args=(bounds,), placeholder="Coup, agreements, handovers...")
    play_ui(step, bounds)


def play_ui(step: int, bounds: Bounds) -> None:
    """A play toggle: a timed fragment advances the day one step a second and stops at the timeline's end."""
    st.sidebar.toggle("Play", key="playing")
    interval = settings.PLAY_SECONDS if st.session_state["playing"] else None
    st.fragment(run_every=interval)(play_tick)(step, bounds)


def play_tick(step: int, bounds: Bounds) -> None:
    state, now = st.session_state, time.monotonic()
    if not state.get("playing") or now - state.get("last_tick", 0.0) < settings.PLAY_SECONDS:
        return
    state["last_tick"] = now
    day = clamp(state["day"] + dt.timedelta(days=step), bounds)
    state["pending"] = {"day": day, "playing": day < bounds[1]}
    st.rerun(scope="app")  # the slider shows the new day too


def save_day_url(day: dt.date) -> None:
    """Keep the date in the URL (a rerun of the day's view alone: the other parameters stay)."""
    st.query_params["date"] = day.isoformat()


def save_url(day: dt.date, layers: list[str], actors: list[str]) -> None:
    """Keep date, layers and forces in the URL so a link reopens this view."""
    st.query_params.from_dict({"date": day.isoformat(), "layers": ",".join(layers), "actors": ",".join(actors)})
