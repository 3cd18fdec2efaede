"""Streamlit app: a sourced, dated map of foreign forces in Niger, 2023-2024 (`streamlit run app.py`)."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import time
from pathlib import Path

import altair as alt
import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import io, overlay, render, settings
from geo.dataset import Dataset, load_dataset
from geo.importers import ImportedLayer, ImportProblem
from geo.schema import SeedError
from geo.style import OPACITY_BY_CONFIDENCE
from geo.timeline import format_day, on_day
from layers import REGISTRY
from layers._common import radius_for

STATIC_LAYERS = ("countries", "regions", "towns")  # drawn into the base map, identical on every rerun
MILESTONE_KINDS = ("coup", "agreement", "handover", "departure", "deadline")
STEPS = {"1 day": 1, "1 week": 7, "1 month": 30}
PLAY_SECONDS = 1.0
MAP_HEIGHT = 620
DISPLAY_TOLERANCE_DEG = 0.01  # ~1 km: boundaries drawn lighter, the data keeps full detail
NAIVE_RERENDER = os.environ.get("GEO_NAIVE_RERENDER") == "1"  # benchmark baseline: a rebuilt map on every run


@st.cache_resource(max_entries=4, show_spinner=False)
def cached_dataset(seeds_dir: str, version: str) -> Dataset:
    """The dataset for one content version of the seeds (an edited file is a new version)."""
    return load_dataset(seeds_dir)


@st.cache_resource(max_entries=4, show_spinner=False)
def all_time_layers(_dataset: Dataset, version: str) -> dict[str, gpd.GeoDataFrame]:
    """Every layer over the whole timeline (boundaries simplified for display); a day is then a cheap filter."""
    frames = {name: module.build(_dataset) for name, module in REGISTRY.items()}
    for name in ("countries", "regions"):
        frames[name] = frames[name].assign(geometry=frames[name].geometry.simplify(DISPLAY_TOLERANCE_DEG))
    return frames


def dataset_ui() -> Dataset:
    """Load the seeds; when invalid, show every problem and keep the last valid dataset of this session."""
    seeds = os.environ.get("GEO_SEEDS_DIR", str(settings.SEEDS_DIR))
    try:
        dataset = cached_dataset(seeds, io.content_hash(Path(seeds)))
    except (SeedError, OSError) as error:
        st.error(f"The seeds in `{seeds}` are not valid; fix them and the page updates.")
        st.code(str(error), language=None)
        dataset = st.session_state.get("last_good")
        if dataset is None:
            st.stop()
        st.warning(f"Showing the last valid dataset (version {dataset.version}).")
        return dataset
    st.session_state["last_good"] = dataset
    return dataset


def timeline_bounds(dataset: Dataset) -> tuple[dt.date, dt.date]:
    """The app's timeline: from the coup, extended to the last dated change (an end, an event, a report)."""
    dates = pd.concat([dataset["deployments"]["end"], dataset["events"]["date"], dataset["strengths"]["as_of"]]).dropna()
    return settings.TIMELINE_START, max([settings.TIMELINE_END, *[d.date() for d in dates.nlargest(1)]])


def milestones(dataset: Dataset) -> pd.DataFrame:
    """Milestone events (coup, agreements, handovers, departures, deadlines), by date."""
    events = dataset["events"]
    return events[events["kind"].isin(MILESTONE_KINDS)].sort_values(["date", "event_id"])


def clamp(day: dt.date, bounds: tuple[dt.date, dt.date]) -> dt.date:
    return min(max(day, bounds[0]), bounds[1])


def restore_state(dataset: Dataset, bounds: tuple[dt.date, dt.date]) -> None:
    """On a session's first run, restore date, layers and actors from the URL; later, apply pending changes."""
    state, query = st.session_state, st.query_params
    state.update(state.pop("pending", {}))
    if "day" in state:
        return
    try:
        state["day"] = clamp(dt.date.fromisoformat(query.get("date", "")), bounds)
    except ValueError:
        state["day"] = clamp(settings.DEFAULT_DAY, bounds)
    shown = query["layers"].split(",") if "layers" in query else list(REGISTRY)
    state.update({f"layer:{name}": name in shown for name in REGISTRY})
    actors = list(dataset.actors["actor_id"])
    state["actors"] = [a for a in query["actors"].split(",") if a in actors] if "actors" in query else actors


def shift(days: int, bounds: tuple[dt.date, dt.date]) -> None:
    st.session_state["day"] = clamp(st.session_state["day"] + dt.timedelta(days=days), bounds)


def jump(bounds: tuple[dt.date, dt.date]) -> None:
    if st.session_state.get("milestone") is not None:
        st.session_state["day"] = clamp(st.session_state["milestone"], bounds)


def date_ui(dataset: Dataset, bounds: tuple[dt.date, dt.date]) -> dt.date:
    """Date slider, step buttons, milestone quick-jumps and a play control; returns the selected day."""
    bar = st.sidebar
    bar.slider("Date", min_value=bounds[0], max_value=bounds[1], step=dt.timedelta(days=1), format="D MMM YYYY", key="day")
    step = STEPS[bar.radio("Step", list(STEPS), horizontal=True, key="step")]
    back, forward = bar.columns(2)
    back.button("◀ Back", on_click=shift, args=(-step, bounds), width="stretch")
    forward.button("Forward ▶", on_click=shift, args=(step, bounds), width="stretch")
    marks = milestones(dataset)
    labels = {row["date"].date(): f"{format_day(row['date'])}: {row['title']}" for _, row in marks.iterrows()}
    bar.selectbox("Jump to milestone", list(labels), index=None, format_func=labels.get, key="milestone",
                  on_change=jump, args=(bounds,), placeholder="Coup, agreements, handovers...")
    play_ui(step, bounds)
    return st.session_state["day"]


def play_ui(step: int, bounds: tuple[dt.date, dt.date]) -> None:
    """A play toggle: a timed fragment advances the day one step a second and stops at the timeline's end."""
    st.sidebar.toggle("Play", key="playing")
    interval = PLAY_SECONDS if st.session_state["playing"] else None
    st.fragment(run_every=interval)(play_tick)(step, bounds)


def play_tick(step: int, bounds: tuple[dt.date, dt.date]) -> None:
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
    return overlay.read(_path, **dict(options))


def uploads_ui() -> int:
    """The uploader, the window for dated points and each imported layer; returns the window in days."""
    bar, state = st.sidebar, st.session_state
    bar.subheader("Your layers")
    files = bar.file_uploader("Add layers", type=list(overlay.UPLOAD_TYPES), accept_multiple_files=True, key="uploads",
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
    """Read one new upload, asking for columns or a layer when the file leaves them open; a problem keeps the rest."""
    key = overlay.digest(data)
    path = save_upload(data, key, overlay.safe_filename(name))
    slot = st.sidebar.empty()
    with slot.container():
        result = read_upload(path, key, path.name, ())
        options = choice_ui(result, path, key)
        result = read_upload(path, key, path.name, options) if options else result
        if isinstance(result, ImportProblem) and options is not None:
            st.error(md(result))
    if isinstance(result, ImportedLayer):
        slot.empty()  # the questions are answered
        st.session_state["imported"] = {**st.session_state["imported"], key: result}
        st.session_state["loaded_files"].add(file_id)


def save_upload(data: bytes, key: str, filename: str) -> Path:
    """Write an upload as <session temp dir>/<content key>/<safe name>; the folder goes with the session."""
    state = st.session_state
    if "upload_dir" not in state:
        state["upload_dir"] = tempfile.TemporaryDirectory(prefix="geo-upload-")
    path = Path(state["upload_dir"].name) / key / filename
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    return path


def choice_ui(result: ImportedLayer | ImportProblem, path: Path, key: str) -> tuple[tuple[str, str], ...] | None:
    """Ask for the coordinate columns or the layer a file leaves open: the options to re-read with, None until chosen."""
    if not isinstance(result, ImportProblem):
        return ()
    if (candidates := overlay.coordinate_candidates(result)) is not None:
        hint = f" (candidates: {', '.join(candidates)})" if candidates else ""
        st.info(md(f"{path.name}: choose the latitude and longitude columns{hint}."))
        columns = overlay.header(path)
        chosen = {role: st.selectbox(f"{label} column of {md(path.name)}", columns, index=None, key=f"{role}:{key}")
                  for role, label in (("lat", "Latitude"), ("lon", "Longitude"))}
    elif (layers := overlay.layer_options(result)) is not None:
        chosen = {"layer": st.selectbox(f"Layer of {md(path.name)}", layers, index=None, key=f"pick-layer:{key}")}
    else:
        return ()
    return tuple(chosen.items()) if None not in chosen.values() else None


def imported_ui(key: str, layer: ImportedLayer) -> None:
    """One imported layer: a toggle, a remove button and the first reasons rows were dropped."""
    show, remove = st.sidebar.columns([5, 1], vertical_alignment="center")
    count = len(layer.frame)
    show.checkbox(f"{md(layer.name)} ({count:,} feature{'s' * (count != 1)})", value=True, key=f"show:{key}")
    remove.button("", icon=":material/close:", key=f"remove:{key}", help=f"Remove {md(layer.name)}",
                  on_click=remove_layer, args=(key,))
    if layer.dropped_count:
        with st.sidebar.expander(f"{layer.dropped_count:,} rows dropped", icon=":material/warning:"):
            st.markdown("\n".join(f"- {md(line)}" for line in overlay.dropped_lines(layer)))


def remove_layer(key: str) -> None:
    st.session_state["imported"] = {k: v for k, v in st.session_state["imported"].items() if k != key}


def imported_groups(day: dt.date, window: int) -> tuple[list[folium.FeatureGroup], list[folium.FeatureGroup]]:
    """The shown imported layers for the day: (count cells, drawn under the forces; points and shapes, drawn over)."""
    state = st.session_state
    frames = [(layer.name, overlay.shown_on(layer, day, window)) for key, layer in state["imported"].items()
              if state.get(f"show:{key}", True)]
    return ([render.overlay_group(frame, name) for name, frame in frames if overlay.is_cells(frame)],
            [render.overlay_group(frame, name) for name, frame in frames if not overlay.is_cells(frame)])


def for_actors(frame: gpd.GeoDataFrame, actors: list[str]) -> gpd.GeoDataFrame:
    """Keep rows of the chosen actors (layers without actors are kept whole)."""
    if "actor_id" in frame:
        return frame[frame["actor_id"].isin(actors)]
    if "actor_ids" in frame:
        chosen = [bool(set(ids.split(";")) & set(actors)) for ids in frame["actor_ids"]]
        return frame[pd.Series(chosen, index=frame.index, dtype=bool)]
    return frame


def static_countries(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One timeless polygon per country, without alliance membership (that is a dated overlay)."""
    frame = countries.drop_duplicates("iso_a3").assign(aes_member=False, groups="", start_date=pd.NaT, end_date=pd.NaT)
    return frame.astype({"start_date": "datetime64[s]", "end_date": "datetime64[s]"})


def legend(dataset: Dataset) -> render.Legend:
    present = dataset.actors[dataset.actors["actor_id"].isin(dataset["deployments"]["actor_id"])]
    sizes = [(f"{n:,}" + ("+" if n == settings.RADIUS_REFERENCE_STRENGTH else ""), radius_for(n)) for n in (100, 500, 1500)]
    return render.legend(zip(present["name"], present["colour"]), sizes, OPACITY_BY_CONFIDENCE.items())


def base_map(dataset: Dataset, frames: dict[str, gpd.GeoDataFrame], layers: list[str], tiles: str | None) -> folium.Map:
    """The base map: countries, regions and towns with a legend; the same object content on every rerun."""
    fmap = render.base_map(tiles=tiles)
    for name in (n for n in STATIC_LAYERS if n in layers):
        frame = static_countries(frames[name]) if name == "countries" else frames[name]
        render.layer_group(frame, dataset.sources, REGISTRY[name].TITLE).add_to(fmap)
    legend(dataset).add_to(fmap)
    return fmap


def day_groups(dataset: Dataset, frames: dict[str, gpd.GeoDataFrame], day: dt.date, layers: list[str],
               actors: list[str]) -> list[folium.FeatureGroup]:
    """The time-dependent feature groups for one day: alliance outlines, movements, forces, events."""
    groups = []
    for name in (n for n in REGISTRY if n in layers and REGISTRY[n].TIME_DEPENDENT):
        frame = for_actors(on_day(frames[name], day), actors)
        if name == "countries":
            groups.append(render.layer_group(frame[frame["aes_member"]], dataset.sources, "Sahel alliance", render.outline_only))
        else:
            groups.append(render.layer_group(frame, dataset.sources, REGISTRY[name].TITLE))
    return groups


def map_ui(fmap: folium.Map, groups: list[folium.FeatureGroup]) -> None:
    """Draw the map; only the day's feature groups change between reruns, so zoom and pan are kept."""
    if NAIVE_RERENDER:
        for group in groups:
            group.add_to(fmap)
        groups = None
    st_folium(fmap, key="map", feature_group_to_add=groups, returned_objects=[], height=MAP_HEIGHT,
              use_container_width=True)


def deployments_chart(dataset: Dataset, day: dt.date, bounds: tuple[dt.date, dt.date]) -> alt.LayerChart:
    """A bar per actor and site over its deployment, a rule at the selected day, ticks at milestones."""
    deps = dataset["deployments"].merge(dataset.actors[["actor_id", "name", "colour"]], on="actor_id")
    deps = deps.merge(dataset["sites"][["site_id", "name"]].rename(columns={"name": "site"}), on="site_id").sort_values(["name", "start"])
    rows = pd.DataFrame({"force": deps["name"], "row": deps["name"] + " at " + deps["site"],
                         "start": deps["start"].dt.strftime("%Y-%m-%d"),
                         "end": deps["end"].fillna(pd.Timestamp(bounds[1])).dt.strftime("%Y-%m-%d")})
    colours = deps.drop_duplicates("name")
    bars = alt.Chart(rows).mark_bar(cornerRadius=2, clip=True).encode(
        x=alt.X("start:T", title=None, scale=alt.Scale(domain=[bounds[0].isoformat(), bounds[1].isoformat()])), x2="end:T", y=alt.Y("row:N", title=None, sort=None, axis=alt.Axis(labelLimit=360, labelOverlap=False)),
        color=alt.Color("force:N", scale=alt.Scale(domain=list(colours["name"]), range=list(colours["colour"])), legend=None),
        tooltip=["row", "start", "end"])
    marks = milestones(dataset).assign(day=lambda m: m["date"].dt.strftime("%Y-%m-%d"))[["day", "kind", "title"]]
    ticks = alt.Chart(marks).mark_rule(color="#999999", strokeDash=[2, 2], clip=True).encode(x="day:T", tooltip=["day", "kind", "title"])
    rule = alt.Chart(pd.DataFrame({"day": [day.isoformat()]})).mark_rule(color="#b00020", size=2).encode(x="day:T")
    return (ticks + bars + rule).properties(height=max(120, 24 * len(rows)))


def md(value: object) -> str:
    """Escape markdown (and HTML) control characters in data shown with st.markdown."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(value))


def source_links(source_ids: str, sources: pd.DataFrame) -> str:
    table = sources.set_index("source_id")
    links = []
    for source_id in [s for s in source_ids.split(";") if s in table.index]:
        row, label = table.loc[source_id], md(table.loc[source_id, "title"])
        links.append(f"[{label}]({row['url'].replace('(', '%28').replace(')', '%29')})" if row["url"] else label)
    return "; ".join(links)


def events_ui(dataset: Dataset, day: dt.date) -> None:
    """The events within EVENT_WINDOW_DAYS either side of the day, each with its sources."""
    window = pd.Timedelta(days=settings.EVENT_WINDOW_DAYS)
    stamp = pd.Timestamp(day)
    events = dataset["events"]
    near = events[(events["date"] >= stamp - window) & (events["date"] <= stamp + window)].sort_values("date")
    st.subheader(f"Events within {settings.EVENT_WINDOW_DAYS} days")
    lines = [f"- **{md(format_day(e['date'], e['date_precision']))}** ({md(e['kind'])}) {md(e['title'])}: "
             f"{source_links(e['source_ids'], dataset.sources)}" for _, e in near.iterrows()]
    st.markdown("\n".join(lines) or "No events recorded near this date.")


def changes_ui(dataset: Dataset, day: dt.date) -> None:
    """What changed between the previous milestone and the day: deployments started or ended, strength reports."""
    stamp, marks = pd.Timestamp(day), milestones(dataset)
    before = marks[marks["date"] < stamp]
    since = before["date"].iloc[-1] if len(before) else pd.Timestamp(settings.TIMELINE_START)
    title = f" ({md(before['title'].iloc[-1])})" if len(before) else ""
    st.subheader("What changed since the previous milestone")
    st.caption(f"From {format_day(since)}{title} to {format_day(stamp)}")
    names = dict(zip(dataset.actors["actor_id"], dataset.actors["name"]))
    sites = dict(zip(dataset["sites"]["site_id"], dataset["sites"]["name"]))
    deps, strengths = dataset["deployments"], dataset["strengths"]
    lines = [f"- {verb}: {md(names[d['actor_id']])} at {md(sites[d['site_id']])} ({format_day(d[column])})"
             for verb, column in (("Arrived", "start"), ("Left", "end"))
             for _, d in deps[(deps[column] > since) & (deps[column] <= stamp)].iterrows()]
    lines += [f"- Strength report: {md(names[s['actor_id']])} {md(sites.get(s['site_id'], 'country-wide'))}, "
              f"{s['strength_min'] if pd.notna(s['strength_min']) else '?'}-{s['strength_max'] if pd.notna(s['strength_max']) else '?'} "
              f"as of {format_day(s['as_of'], s['as_of_precision'])}"
              for _, s in strengths[(strengths["as_of"] > since) & (strengths["as_of"] <= stamp)].iterrows()]
    st.markdown("\n".join(lines) or "No deployment or strength change in this period.")


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
    under, over = imported_groups(day, uploads_ui())
    frames = all_time_layers(dataset, dataset.version)
    st.title(f"Foreign forces in Niger on {format_day(pd.Timestamp(day))}")
    map_ui(base_map(dataset, frames, layers, tiles), under + day_groups(dataset, frames, day, layers, actors) + over)
    st.altair_chart(deployments_chart(dataset, day, bounds), width="stretch")
    left, right = st.columns(2)
    with left:
        events_ui(dataset, day)
    with right:
        changes_ui(dataset, day)
    st.caption(f"Dataset version {dataset.version}. Sources are linked in every popup.")
    save_url(day, layers, actors)


main()
