"""Streamlit app: a sourced, dated map of foreign forces in Niger, 2023-2024 (`streamlit run app.py`)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.web import chart
from geo.exports import memory
from geo.data import files
from geo.web import daymap
from geo.web import uploads
from geo import settings
from geo.data.dataset import Dataset, load_dataset
from geo.imports.reader import ImportedLayer, ImportProblem
from geo.data.schema import SeedError
from geo.data.timeline import format_day
from geo.web.text import Bounds, change_lines, changes_caption, clamp, event_lines, md, milestone_labels, timeline_bounds
from geo.web.text import url_state
from layers import REGISTRY
from layers._common import radius_for

STATIC_LAYERS = ("countries", "regions", "towns")  # pre-rendered into the base map, identical on every rerun
STEPS = {"1 day": 1, "1 week": 7, "1 month": 30}
PLAY_SECONDS = 1.0
MAP_HEIGHT = 620
DISPLAY_TOLERANCE_DEG = 0.01  # ~1 km: boundaries drawn lighter, the data keeps full detail
NAIVE_RERENDER = os.environ.get("GEO_NAIVE_RERENDER") == "1"  # benchmark baseline: a rebuilt map on every run


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
        frames[name] = frames[name].assign(geometry=frames[name].geometry.simplify(DISPLAY_TOLERANCE_DEG))
    return {name: frame.reset_index(drop=True) for name, frame in frames.items()}  # row labels key feature scripts


@st.cache_resource(max_entries=16, show_spinner=False)
def static_script(_dataset: Dataset, version: str, shown: tuple[str, ...]) -> str:
    """The static layers' Leaflet script, rendered once per dataset and choice of layers (a string: shareable)."""
    return daymap.prerender(daymap.static_groups(all_time_layers(_dataset, version), _dataset.sources, titled(shown)))


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


def titled(names: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    return [(name, REGISTRY[name].TITLE) for name in names]


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


def restore_state(dataset: Dataset, bounds: Bounds) -> None:
    """On a session's first run, restore date, layers and actors from the URL; later, apply pending changes."""
    state = st.session_state
    state.update(state.pop("pending", {}))
    if "day" not in state:
        state.update(url_state(st.query_params.to_dict(), bounds, list(REGISTRY), list(dataset.actors["actor_id"])))


def shift(days: int, bounds: Bounds) -> None:
    st.session_state["day"] = clamp(st.session_state["day"] + dt.timedelta(days=days), bounds)


def jump(bounds: Bounds) -> None:
    if st.session_state.get("milestone") is not None:
        st.session_state["day"] = clamp(st.session_state["milestone"], bounds)


def date_ui(dataset: Dataset, bounds: Bounds) -> dt.date:
    """Date slider, step buttons, milestone quick-jumps and a play control; returns the selected day."""
    bar = st.sidebar
    bar.slider("Date", min_value=bounds[0], max_value=bounds[1], step=dt.timedelta(days=1), format="D MMM YYYY", key="day")
    step = STEPS[bar.radio("Step", list(STEPS), horizontal=True, key="step")]
    back, forward = bar.columns(2)
    back.button("◀ Back", on_click=shift, args=(-step, bounds), width="stretch")
    forward.button("Forward ▶", on_click=shift, args=(step, bounds), width="stretch")
    labels = milestone_labels(dataset)
    bar.selectbox("Jump to milestone", list(labels), index=None, format_func=labels.get, key="milestone",
                  on_change=jump, args=(bounds,), placeholder="Coup, agreements, handovers...")
    play_ui(step, bounds)
    return st.session_state["day"]


def play_ui(step: int, bounds: Bounds) -> None:
    """A play toggle: a timed fragment advances the day one step a second and stops at the timeline's end."""
    st.sidebar.toggle("Play", key="playing")
    interval = PLAY_SECONDS if st.session_state["playing"] else None
    st.fragment(run_every=interval)(play_tick)(step, bounds)


def play_tick(step: int, bounds: Bounds) -> None:
    state, now = st.session_state, time.monotonic()
    if not state.get("playing") or now - state.get("last_tick", 0.0) < PLAY_SECONDS:
        return
    state["last_tick"] = now
    day = clamp(state["day"] + dt.timedelta(days=step), bounds)
    state["pending"] = {"day": day, "playing": day < bounds[1]}
    st.rerun(scope="app")


def filter_ui(dataset: Dataset) -> tuple[list[str], list[str], str | None]:
    """Layer toggles, actor filter and an optional online basemap; returns (layers, actor ids, tiles)."""
    bar = st.sidebar
    bar.subheader("Layers")
    layers = [name for name, module in REGISTRY.items() if bar.checkbox(module.TITLE, key=f"layer:{name}")]
    names = dict(zip(dataset.actors["actor_id"], dataset.actors["name"]))
    actors = bar.multiselect("Forces", list(names), format_func=names.get, key="actors")
    online = bar.checkbox("OpenStreetMap background (online)", key="online", value=False)
    return layers, actors, "OpenStreetMap" if online else None


@st.cache_resource(max_entries=8, show_spinner="Reading the layer...")
def read_upload(_path: Path, content_hash: str, filename: str,
                options: tuple[tuple[str, str], ...]) -> ImportedLayer | ImportProblem:
    """An upload read once per content, file name and options; the path (per session) is not part of the key."""
    return uploads.read(_path, **dict(options))


def uploads_ui() -> int:
    """The uploader, the window for dated points and each imported layer; returns the window in days."""
    bar, state = st.sidebar, st.session_state
    bar.subheader("Your layers")
    files = bar.file_uploader("Add layers", type=list(uploads.UPLOAD_TYPES), accept_multiple_files=True, key="uploads",
                              help="CSV/TSV with latitude/longitude or WKT, GeoJSON, GeoPackage, KML, zipped Shapefile")
    window = bar.number_input("Window (days)", min_value=1, max_value=3650, value=settings.EVENT_WINDOW_DAYS,
                              key="window_days", help="A dated point shows for this many days up to the selected day")
    state.setdefault("imported", {})
    state.setdefault("loaded_files", set())
    for file in files or []:
        if file.file_id not in state["loaded_files"]:
            upload_ui(file.file_id, file.name, file.getvalue())
    for key, layer in state["imported"].items():
        imported_ui(key, layer)
    return int(window)


def upload_ui(file_id: str, name: str, data: bytes) -> None:
    """Read one new upload, asking each choice the file leaves open (columns, layer, separator...) in turn; a
    problem keeps the rest."""
    key = uploads.digest(data)
    path = save_upload(data, key, uploads.safe_filename(name))
    slot, options = st.sidebar.empty(), {}
    with slot.container():
        result = read_upload(path, key, path.name, ())
        while isinstance(result, ImportProblem) and not uploads.answered(result, options):
            if (chosen := choice_ui(result, key)) is None:
                return  # asked: the answer comes with the next run
            options |= chosen
            result = read_upload(path, key, path.name, tuple(sorted(options.items())))
        if isinstance(result, ImportProblem):
            st.error(md(result))
    if isinstance(result, ImportedLayer):
        slot.empty()  # the questions are answered
        st.session_state["imported"] = {**st.session_state["imported"], key: result}
        st.session_state["loaded_files"].add(file_id)


def save_upload(data: bytes, key: str, filename: str) -> Path:
    """Write an upload into the session's temporary folder, which goes with the session."""
    if "upload_dir" not in st.session_state:
        st.session_state["upload_dir"] = tempfile.TemporaryDirectory(prefix="geo-upload-")
    return uploads.save(data, Path(st.session_state["upload_dir"].name), key, filename)


def choice_ui(problem: ImportProblem, key: str) -> dict[str, str] | None:
    """Ask what the problem's question needs: the read options chosen, None until every one is."""
    note, fields = uploads.question(problem)
    st.info(md(note))
    chosen = {field.option: st.selectbox(md(field.label), field.choices, index=None, key=f"{field.option}:{key}",
                                         format_func=lambda choice, shown=field.shown: md(shown.get(choice, choice)))
              for field in fields}
    return chosen if None not in chosen.values() else None


def imported_ui(key: str, layer: ImportedLayer) -> None:
    """One imported layer: a toggle, a remove button and the first reasons rows were dropped."""
    show, remove = st.sidebar.columns([5, 1], vertical_alignment="center")
    count = len(layer.frame)
    show.checkbox(f"{md(layer.name)} ({count:,} feature{'s' * (count != 1)})", value=True, key=f"show:{key}")
    remove.button("", icon=":material/close:", key=f"remove:{key}", help=f"Remove {md(layer.name)}",
                  on_click=remove_layer, args=(key,))
    if reading := uploads.reading_line(layer):
        st.sidebar.caption(md(f"Read with {reading}"))
    if layer.dropped_count:
        with st.sidebar.expander(f"{layer.dropped_count:,} rows dropped", icon=":material/warning:"):
            st.markdown("\n".join(f"- {md(line)}" for line in uploads.dropped_lines(layer)))


def remove_layer(key: str) -> None:
    st.session_state["imported"] = {k: v for k, v in st.session_state["imported"].items() if k != key}


def shown_imports() -> dict[str, ImportedLayer]:
    """The imported layers whose toggle is on, by content key."""
    state = st.session_state
    return {key: layer for key, layer in state["imported"].items() if state.get(f"show:{key}", True)}


def map_ui(dataset: Dataset, day: dt.date, layers: list[str], actors: list[str], tiles: str | None, window: int) -> None:
    """Draw the map; only the day's feature groups change between reruns, so zoom and pan are kept."""
    frames, legend = all_time_layers(dataset, dataset.version), daymap.forces_legend(dataset, radius_for)
    static = tuple(name for name in STATIC_LAYERS if name in layers)
    dated = titled([name for name in REGISTRY if name in layers and REGISTRY[name].TIME_DEPENDENT])
    found = daymap.day_frames(frames, day, dated, actors)
    view = uploads.view_from_map(st.session_state.get("map"))  # the browser's last zoom and bounds, if reported
    under, over = daymap.overlay_groups((layer.name, uploads.shown_on(layer, day, window, view))
                                         for layer in shown_imports().values())
    if NAIVE_RERENDER:
        drawn = [*daymap.static_groups(frames, dataset.sources, titled(static)), *under,
                 *daymap.rendered_groups(found, dataset.sources), *over]
        fmap, groups = daymap.full_map(drawn, legend, tiles), None
    else:
        fmap = daymap.base_map(static_script(dataset, dataset.version, static), legend, tiles)
        groups = [*under, *daymap.day_groups(found, day_features(dataset, dataset.version)), *over]
    # Zoom and bounds come back on each pan or zoom (one rerun): imported layers show finer cells, then features.
    st_folium(fmap, key="map", feature_group_to_add=groups, returned_objects=["zoom", "bounds"], height=MAP_HEIGHT,
              use_container_width=True)


def downloads_ui(dataset: Dataset, day: dt.date) -> None:
    """Download buttons for every export format, of the day or the whole timeline; files are built on click."""
    with st.sidebar.expander("Download", icon=":material/download:"):
        scope = st.radio("Export", ["This day", "Whole timeline"], key="export_scope", horizontal=True)
        when, layers = (day if scope == "This day" else None), shown_imports()
        for fmt, label in memory.LABELS.items():
            st.download_button(label, partial(export_file, dataset, dataset.version, fmt, when, layers, tuple(layers)),
                               file_name=memory.file_name(fmt, when), mime=memory.MIMES[fmt],
                               key=f"download:{fmt}", on_click="ignore", width="stretch")


def text_ui(dataset: Dataset, day: dt.date) -> None:
    """The events near the day, and what changed since the previous milestone."""
    left, right = st.columns(2)
    left.subheader(f"Events within {settings.EVENT_WINDOW_DAYS} days")
    left.markdown("\n".join(event_lines(dataset, day)) or "No events recorded near this date.")
    since, caption = changes_caption(dataset, day)
    right.subheader("What changed since the previous milestone")
    right.caption(caption)
    right.markdown("\n".join(change_lines(dataset, since, day)) or "No deployment or strength change in this period.")


def save_url(day: dt.date, layers: list[str], actors: list[str]) -> None:
    """Keep date, layers and forces in the URL so a link reopens this view."""
    st.query_params.from_dict({"date": day.isoformat(), "layers": ",".join(layers), "actors": ",".join(actors)})


def main() -> None:
    st.set_page_config(page_title="Foreign forces in Niger, 2023-2024", layout="wide")
    dataset = dataset_ui()
    bounds = timeline_bounds(dataset)
    restore_state(dataset, bounds)
    day = date_ui(dataset, bounds)
    layers, actors, tiles = filter_ui(dataset)
    window = uploads_ui()
    downloads_ui(dataset, day)
    st.title(f"Foreign forces in Niger on {format_day(pd.Timestamp(day))}")
    map_ui(dataset, day, layers, actors, tiles, window)
    st.vega_lite_chart(chart_spec(dataset, dataset.version, day, bounds), width="stretch")
    text_ui(dataset, day)
    st.caption(f"Dataset version {dataset.version}. Sources are linked in every popup.")
    save_url(day, layers, actors)


main()
