"""Beside the map: download buttons and the events and changes near the day."""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo import settings
from geo.data.dataset import Dataset
from geo.exports import FORMATS, memory
from ui.layers import shown_imports
from ui.loaders import day_text, export_file, picture_file


def downloads_ui(dataset: Dataset, day: dt.date, bar: DeltaGenerator) -> None:
    """Download buttons for every export format, of the day or the whole timeline; files are built on click, and
    the buttons are drawn only while the expander is open (a slider move does not redraw them)."""
    box = bar.expander("Download", icon=":material/download:", key="downloads_open", on_change="rerun")
    if not box.open:
        return
    with box:
        scope = st.radio("Export", ["This day", "Whole timeline"], key="export_scope", horizontal=True)
        when, layers = (day if scope == "This day" else None), shown_imports()
        for fmt, spec in FORMATS.items():
            st.download_button(spec.label, partial(export_file, dataset, dataset.version, fmt, when, layers, tuple(layers)),
                               file_name=memory.file_name(dataset, fmt, when), mime=spec.mime,
                               key=f"download:{fmt}", on_click="ignore", width="stretch")
        stem = memory.file_name(dataset, "html", day).removesuffix(".html")
        st.download_button("Picture of this day (PNG)", partial(picture_file, dataset, dataset.version, "png", day),
                           file_name=f"{stem}.png", mime="image/png", key="download:png", on_click="ignore",
                           width="stretch")
        st.download_button("Animation, a frame a week (GIF)", partial(picture_file, dataset, dataset.version, "gif", day),
                           file_name=f"{memory.file_name(dataset, 'html', None).removesuffix('.html')}.gif",
                           mime="image/gif", key="download:gif", on_click="ignore", width="stretch")


def text_ui(dataset: Dataset, day: dt.date) -> None:
    """The events near the day, and what changed since the previous milestone: one markdown element a column (each
    element is a redraw of the page in the browser, on every slider move)."""
    left, right = st.columns(2)
    events, caption, changes = day_text(dataset, dataset.version, day)  # cached per dataset version and day
    left.markdown(f"**Events within {settings.EVENT_WINDOW_DAYS} days**\n\n"
                  + ("\n".join(events) or "No events recorded near this date."))
    right.markdown(f"**What changed since the previous milestone**\n\n{caption}\n\n"
                   + ("\n".join(changes) or "No deployment or strength change in this period."))
