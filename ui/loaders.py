"""Cached loaders shared by every session: the dataset, its layers and pre-rendered map scripts, exports."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from geo import settings
from geo.data import files
from geo.data.dataset import Dataset, load_dataset
from geo.data.schema import SeedError
from geo.data.timeline import on_day
from geo.diskcache import on_disk
from geo.draw.assets import publish, write_if_changed
from geo.exports import memory
from geo.imports.reader import ImportedLayer
from geo.pictures.page import Layers, page_for, timeline_frames
from geo.web import chart, daymap, preview, text
from geo.web.url import Bounds
from layers import REGISTRY
from layers._common import radius_for
from ui import mapparts

MAP_KEY = "map"
MAP_RETURNS = ("zoom", "bounds")
DAY_SLIDER = ".st-key-day input[type=range]"  # the date slider (ui.timeline, key "day"), which the map follows


@st.cache_resource(max_entries=4, show_spinner=False)
@on_disk
def cached_dataset(seeds_dir: str, version: str) -> Dataset:
    """The dataset for one content version of the seeds (an edited file is a new version)."""
    return load_dataset(seeds_dir)


@st.cache_resource(show_spinner=False)
def last_good() -> dict:
    """The last valid dataset of each seeds folder, shared by every session; a lock guards it (sessions are threads)."""
    return {"lock": threading.Lock(), "by_seeds": {}}


@st.cache_resource(max_entries=4, show_spinner=False)
@on_disk
def all_time_layers(_dataset: Dataset, version: str) -> dict[str, gpd.GeoDataFrame]:
    """Every layer over the whole timeline (boundaries simplified for display); a day is then a cheap filter."""
    frames = {name: module.build(_dataset) for name, module in REGISTRY.items()}
    for name in ("countries", "regions"):
        frames[name] = frames[name].assign(geometry=frames[name].geometry.simplify(settings.DISPLAY_TOLERANCE_DEG))
    return {name: frame.reset_index(drop=True) for name, frame in frames.items()}  # row labels key feature scripts


@st.cache_resource(max_entries=16, show_spinner=False)
@on_disk
def static_script(_dataset: Dataset, version: str, shown: tuple[str, ...]) -> str:
    """The static layers' Leaflet script, rendered once per dataset and choice of layers (a string: shareable)."""
    return daymap.prerender(daymap.static_groups(all_time_layers(_dataset, version), _dataset.sources,
                                                 titled(_dataset, shown)))


@st.cache_resource(max_entries=4, show_spinner=False)
@on_disk
def day_features(_dataset: Dataset, version: str) -> dict[str, pd.Series]:
    """Every time-dependent feature serialised for the map, once per dataset (strings: shareable)."""
    dated = [name for name, module in REGISTRY.items() if module.TIME_DEPENDENT]
    return daymap.day_features(all_time_layers(_dataset, version), _dataset.sources, dated)


@st.cache_resource(max_entries=4, show_spinner=False)
def preview_url(_dataset: Dataset, version: str) -> str:
    """The whole timeline's features and the script drawing a day of them in the page, as a served file's URL."""
    timeline = preview.timeline_json(all_time_layers(_dataset, version), day_features(_dataset, version))
    return generated_url(*preview.preview_file(timeline))


def generated_url(name: str, text: str) -> str:
    """A generated script written into static/gen (unless already there) and the URL the app serves it at."""
    write_if_changed(settings.STATIC_DIR / "gen" / name, text.encode())
    return f"{settings.STATIC_URL}/gen/{name}"


@st.cache_resource(show_spinner=False)
def served_assets() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Leaflet copied into static/vendor once per process: (default_js, default_css) URLs."""
    return publish(settings.STATIC_DIR / "vendor", f"{settings.STATIC_URL}/vendor")


@st.cache_resource(max_entries=16, show_spinner=False)
def base_parts(_dataset: Dataset, version: str, shown: tuple[str, ...], tiles: str | None) -> mapparts.MapParts:
    """The base map rendered once per dataset version, static layers and tiles: the static layers as a served
    script file, Leaflet as served files, the legend, the day's preview; the component's parts (strings: shareable)."""
    layers = static_script(_dataset, version, shown)
    call, name, text = mapparts.layers_file(layers, daymap.PARENT)
    js, css = served_assets()
    fmap = daymap.base_map(call, daymap.forces_legend(_dataset, radius_for), tiles, scenario=_dataset.scenario,
                           assets=([*js, ("static_layers", generated_url(name, text))], css),
                           preview=preview.PreviewLoader(preview_url(_dataset, version), DAY_SLIDER))
    return dataclasses.replace(mapparts.render_base(fmap, MAP_KEY, MAP_RETURNS), layers=layers)


@st.cache_resource(max_entries=settings.DAY_SCRIPTS_CACHED, show_spinner=False)
def day_scripts(_dataset: Dataset, version: str, day: dt.date, dated: tuple[tuple[str, str], ...],
                actors: tuple[str, ...], first: int) -> tuple[tuple[str, str], ...]:
    """A day's feature groups as the component's (title, script) pairs, numbered from `first`, once per dataset
    version, day, layers and forces (strings: shareable; no session's own layer is in them)."""
    found = daymap.day_rows(all_time_layers(_dataset, version), day, dated, list(actors))
    groups = daymap.day_groups(found, day_features(_dataset, version))
    return mapparts.group_scripts(groups, first)


@st.cache_resource(max_entries=4, show_spinner=False)
@on_disk
def timeline_chart(_dataset: Dataset, version: str, bounds: Bounds) -> dict:
    """The chart's spec without its day, its named datasets already Arrow bytes as st.vega_lite_chart sends them
    (once per dataset, not per rerun; never mutated: shareable)."""
    return arrow_datasets(chart.timeline_spec(_dataset, bounds))


def chart_spec(dataset: Dataset, day: dt.date, bounds: Bounds) -> dict:
    """The chart on a day: the shared spec with the day's one-row dataset swapped in."""
    return arrow_datasets(chart.with_day(timeline_chart(dataset, dataset.version, bounds), day), chart.DAY_DATA)


def arrow_datasets(spec: dict, *names: str) -> dict:
    """The spec with its named datasets (or only `names`) as Arrow bytes; a new top-level dict."""
    datasets = {name: dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(values))
                if not names or name in names else values for name, values in spec.get("datasets", {}).items()}
    return {**spec, "datasets": datasets} if datasets else spec


@st.cache_resource(max_entries=4, show_spinner=False)
@on_disk
def milestone_labels(_dataset: Dataset, version: str) -> dict[dt.date, str]:
    return text.milestone_labels(_dataset)


@st.cache_resource(max_entries=256, show_spinner=False)
def day_text(_dataset: Dataset, version: str, day: dt.date) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """The panel beside the map for a day: (event lines, caption of the changes, change lines), immutable."""
    since, caption = text.changes_caption(_dataset, day)
    return tuple(text.event_lines(_dataset, day)), caption, tuple(text.change_lines(_dataset, since, day))


@st.cache_data(max_entries=16, show_spinner=False)
def export_file(_dataset: Dataset, version: str, fmt: str, day: dt.date | None,
                _layers: dict[str, ImportedLayer], layer_keys: tuple[str, ...]) -> bytes:
    """One export's bytes, built when its button is pressed (the whole timeline when day is None)."""
    return memory.dataset_bytes(_dataset, REGISTRY, _layers, fmt, day)


def warm() -> None:
    """Build what every session shares before the first one asks: the dataset, its layers, the default map's parts,
    today's feature groups and text (serve.py runs this when the server starts; later sessions find it cached)."""
    seeds = os.environ.get("GEO_SEEDS_DIR", str(settings.SEEDS_DIR))
    try:
        dataset = cached_dataset(seeds, files.content_hash(Path(seeds)))
    except (SeedError, OSError):
        return  # the first session shows the problem
    day, version = dataset.scenario.default_day, dataset.version
    static = tuple(name for name, layer in REGISTRY.items() if layer.IN_BASE_MAP)
    base_parts(dataset, version, static, None)
    dated = titled(dataset, [name for name, layer in REGISTRY.items() if layer.TIME_DEPENDENT])
    day_scripts(dataset, version, day, tuple(dated), tuple(dataset.actors["actor_id"]), 0)
    day_text(dataset, version, day)
    milestone_labels(dataset, version)
    timeline_chart(dataset, version, dataset.scenario.timeline)


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


@st.cache_data(max_entries=8, show_spinner="Drawing the picture...")
def picture_file(_dataset: Dataset, version: str, kind: str, day: dt.date) -> bytes:
    """The day's map as a PNG, or the timeline as a GIF (a frame every settings.APP_ANIMATION_STEP_DAYS), built when
    its button is pressed: the same pictures as `python -m geo snapshot` and `animate`."""
    from geo.pictures.animate import animation_bytes, frame_days  # matplotlib only when a picture is asked for
    from geo.pictures.snapshot import snapshot_png

    layers = Layers(REGISTRY, radius_for)
    frames = timeline_frames(_dataset, layers)
    page = page_for(_dataset, frames, layers, title=_dataset.scenario.map_title)
    if kind == "png":
        return snapshot_png(page, {name: on_day(frame, day) for name, frame in frames.items()}, day=day)
    first, last = _dataset.scenario.timeline
    return animation_bytes(page, frames, days=frame_days(first, last, settings.APP_ANIMATION_STEP_DAYS), fmt="gif")
