"""Cached loaders shared by every session: the dataset, its layers and pre-rendered map scripts, exports."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import settings
from geo.data import files
from geo.data.dataset import Dataset, load_dataset
from geo.data.schema import SeedError
from geo.exports import memory
from geo.imports.reader import ImportedLayer
from geo.web import chart, daymap
from geo.web.url import Bounds
from layers import REGISTRY


@st.cache_resource(max_entries=4, show_spinner=False)
def cached_dataset(seeds_dir: str, version: str) -> Dataset:
    """The dataset for one content version of the seeds (an edited file is a new version)."""
    return load_dataset(seeds_dir)


@st.cache_resource(show_spinner=False)
def last_good() -> dict:
    """The last valid dataset of each seeds folder, shared by every session; a lock guards it (sessions are threads)."""
    return {"lock": threading.Lock(), "by_seeds": {}}


@st.cache_resource(max_entries=4, show_spinner=False)
def all_time_layers(_dataset: Dataset, version: str) -> dict[str, gpd.GeoDataFrame]:
    """Every layer over the whole timeline (boundaries simplified for display); a day is then a cheap filter."""
    frames = {name: module.build(_dataset) for name, module in REGISTRY.items()}
    for name in ("countries", "regions"):
        frames[name] = frames[name].assign(geometry=frames[name].geometry.simplify(settings.DISPLAY_TOLERANCE_DEG))
    return {name: frame.reset_index(drop=True) for name, frame in frames.items()}  # row labels key feature scripts


@st.cache_resource(max_entries=16, show_spinner=False)
def static_script(_dataset: Dataset, version: str, shown: tuple[str, ...]) -> str:
    """The static layers' Leaflet script, rendered once per dataset and choice of layers (a string: shareable)."""
    return daymap.prerender(daymap.static_groups(all_time_layers(_dataset, version), _dataset.sources,
                                                 titled(_dataset, shown)))


@st.cache_resource(max_entries=4, show_spinner=False)
def day_features(_dataset: Dataset, version: str) -> dict[str, pd.Series]:
    """Every time-dependent feature serialised for the map, once per dataset (strings: shareable)."""
    dated = [name for name, module in REGISTRY.items() if module.TIME_DEPENDENT]
    return daymap.day_features(all_time_layers(_dataset, version), _dataset.sources, dated)


@st.cache_data(max_entries=64, show_spinner=False)
def chart_spec(_dataset: Dataset, version: str, day: dt.date, bounds: Bounds) -> dict:
    return chart.deployments_spec(_dataset, day, bounds)


@st.cache_data(max_entries=16, show_spinner=False)
def export_file(_dataset: Dataset, version: str, fmt: str, day: dt.date | None,
                _layers: dict[str, ImportedLayer], layer_keys: tuple[str, ...]) -> bytes:
    """One export's bytes, built when its button is pressed (the whole timeline when day is None)."""
    return memory.dataset_bytes(_dataset, REGISTRY, _layers, fmt, day)


def titled(dataset: Dataset, names: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    return [(name, dataset.scenario.layer_title(name, REGISTRY[name].TITLE)) for name in names]


def dataset_ui() -> Dataset:
    """Load the seeds; when invalid, show every problem and keep the last valid dataset (of any session)."""
    seeds, holder = os.environ.get("GEO_SEEDS_DIR", str(settings.SEEDS_DIR)), last_good()
    try:
        dataset = cached_dataset(seeds, files.content_hash(Path(seeds)))
    except (SeedError, OSError) as error:
        st.error(f"The seeds in `{seeds}` are not valid; fix them and the page updates.")
        st.code(str(error), language=None)
        with holder["lock"]:
            dataset = holder["by_seeds"].get(seeds)
        if dataset is None:
            st.stop()
        st.warning(f"Showing the last valid dataset (version {dataset.version}).")
        return dataset
    with holder["lock"]:
        holder["by_seeds"][seeds] = dataset
    return dataset
