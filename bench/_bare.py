"""The bare page: the app's own slider and map with nothing else on the page, for a slider move's floor in one run."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# The day's view of ui/dayview.py cut to its map and slider (same calls, same order, same pause between them).
BARE_PAGE = '''
import time

import streamlit as st

from geo import settings
from ui.layers import window_days
from ui.loaders import dataset_ui
from ui.mapview import chosen_filters, map_ui
from ui.timeline import restore_state, slider_ui

st.set_page_config(layout="wide")
dataset = dataset_ui()
bounds = dataset.scenario.timeline
restore_state(dataset, bounds)
slider = st.sidebar.container()


@st.fragment
def day_view() -> None:
    map_ui(dataset, st.session_state["day"], *chosen_filters(), window_days())
    time.sleep(settings.MAP_FIRST_PAUSE_S)
    slider_ui(bounds, slider)


day_view()
'''


@contextlib.contextmanager
def bare_script(root: Path) -> Iterator[Path]:
    """The bare page in a folder of its own, beside the app's served files and Streamlit settings; run it there with
    PYTHONPATH=root."""
    with tempfile.TemporaryDirectory(prefix="geo-bare-") as folder:
        script = Path(folder) / "bare.py"
        script.write_text(BARE_PAGE)
        (Path(folder) / "static").symlink_to(root / "static")  # Streamlit serves static/ beside the script
        shutil.copytree(root / ".streamlit", Path(folder) / ".streamlit")
        yield script
