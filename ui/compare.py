"""Two dates side by side: a second date, two synced maps in one component, and what changed between the days."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geo import settings
from geo.data.dataset import Dataset
from geo.draw.style import style
from geo.web import compare, daymap
from geo.web.text import change_lines
from geo.web.url import Bounds, parse_day
from layers import REGISTRY
from ui.loaders import all_time_layers, day_features, titled


@st.cache_resource(max_entries=4, show_spinner=False)
def base_features(_dataset: Dataset, version: str) -> list[str]:
    """The countries as serialised features, the same under both maps (strings: shareable)."""
    countries = daymap.static_countries(all_time_layers(_dataset, version)["countries"])
    return [text for text in daymap.feature_json(countries, _dataset.sources, style) if text]


def restore_compare(bounds: Bounds) -> None:
    """On a session's first run, `?compare=B` opens the comparison with B as the second date."""
    state = st.session_state
    if "compare_on" not in state:
        text = st.query_params.get("compare")
        state["compare_on"] = text is not None
        state["compare_day"] = parse_day(text or "", bounds, bounds[1])


def side_features(dataset: Dataset, day: dt.date, layers: list[str], actors: list[str]) -> list[str]:
    """The day's serialised features of the shown time-dependent layers and chosen forces."""
    frames, features = all_time_layers(dataset, dataset.version), day_features(dataset, dataset.version)
    dated = titled(dataset, [name for name in REGISTRY if name in layers and REGISTRY[name].TIME_DEPENDENT])
    return [text for name, _, rows in daymap.day_rows(frames, day, dated, actors) for text in features[name].loc[rows]
            if text]


def compare_controls_ui(bounds: Bounds) -> dt.date | None:
    """The second-date controls in the sidebar; returns the second date while comparing, else None."""
    bar = st.sidebar
    bar.toggle("Compare with a second date", key="compare_on")
    if not st.session_state["compare_on"]:
        return None
    bar.date_input("Second date", min_value=bounds[0], max_value=bounds[1], key="compare_day", format="YYYY-MM-DD")
    return st.session_state["compare_day"]


def compare_ui(dataset: Dataset, day: dt.date, second: dt.date, layers: list[str], actors: list[str]) -> bool:
    """Both maps and the changes between the days (True: drawn), or one message when the dates are not in order."""
    if (problem := compare.order_problem(day, second)) is not None:
        st.error(problem)
        return False
    sides = [(d, side_features(dataset, d, layers, actors)) for d in (day, second)]
    st.iframe(compare.compare_html(dataset.scenario, base_features(dataset, dataset.version), sides),
              height=settings.MAP_HEIGHT + settings.COMPARE_LABEL_PX)
    st.subheader(f"What changed from {compare.format_day_text(day)} to {compare.format_day_text(second)}")
    lines = change_lines(dataset, pd.Timestamp(day), second, cite=True)
    st.markdown("\n".join(lines) or "No deployment or strength change between these dates.")
    return True


def save_compare_url() -> None:
    """Keep the second date in the link (`?compare=B`)."""
    if st.session_state.get("compare_on"):
        st.query_params["compare"] = st.session_state["compare_day"].isoformat()
