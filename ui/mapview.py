"""The map: layer and force filters, and the folium map whose day groups change while its view stays."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

import folium
import streamlit as st
import streamlit_folium

from geo import settings
from geo.data.dataset import Dataset
from geo.web import daymap, preview, uploads
from layers import REGISTRY
from layers._common import radius_for
from ui.layers import shown_imports
from ui.loaders import MAP_KEY, MAP_RETURNS, all_time_layers, base_parts, day_scripts, titled
from ui.mapparts import group_scripts, show_map


def filter_ui(dataset: Dataset) -> tuple[list[str], list[str], str | None]:
    """Layer toggles, actor filter and an optional online basemap; returns (layers, actor ids, tiles)."""
    bar = st.sidebar
    bar.subheader("Layers")
    for name, title in titled(dataset, list(REGISTRY)):
        bar.checkbox(title, key=f"layer:{name}")
    names = dict(zip(dataset.actors["actor_id"], dataset.actors["name"]))
    bar.multiselect("Forces", list(names), format_func=lambda actor: names.get(actor, actor), key="actors")
    bar.checkbox("OpenStreetMap background (online)", key="online", value=False)
    return chosen_filters()


def chosen_filters() -> tuple[list[str], list[str], str | None]:
    """(layers, actor ids, tiles) as the filters hold them, or as the link set them before the filters are drawn."""
    state = st.session_state
    layers = [name for name in REGISTRY if state.get(f"layer:{name}", False)]
    return layers, list(state.get("actors", [])), "OpenStreetMap" if state.get("online", False) else None


def map_ui(dataset: Dataset, day: dt.date, layers: list[str], actors: list[str], tiles: str | None, window: int, *,
           fly_to: tuple[tuple[float, float], int] | None = None, extra: Sequence[folium.FeatureGroup] = ()) -> None:
    """Draw the map; only the day's feature groups change between reruns, so zoom and pan are kept.

    fly_to: a (center, zoom) the map flies to (a story step); extra: groups drawn on top (its highlights).
    """
    frames = all_time_layers(dataset, dataset.version)
    static = tuple(name for name, layer in REGISTRY.items() if layer.IN_BASE_MAP and name in layers)
    dated = titled(dataset, [name for name in REGISTRY if name in layers and REGISTRY[name].TIME_DEPENDENT])
    view = uploads.view_from_map(st.session_state.get("map"))  # the browser's last zoom and bounds, if reported
    under, over = daymap.overlay_groups((layer.name, uploads.shown_on(layer, day, window, view))
                                         for layer in shown_imports().values())
    if os.environ.get("GEO_NAIVE_RERENDER") == "1":  # the benchmark's baseline: a map rebuilt on every run
        found = daymap.day_rows(frames, day, dated, actors)
        drawn = [*daymap.static_groups(frames, dataset.sources, titled(dataset, static)), *under,
                 *daymap.rendered_groups(frames, found, dataset.sources), *over, *extra]
        fmap = daymap.full_map(drawn, daymap.forces_legend(dataset, radius_for), tiles, scenario=dataset.scenario)
        streamlit_folium.st_folium(fmap, key=MAP_KEY, returned_objects=list(MAP_RETURNS), height=settings.MAP_HEIGHT,
                                   use_container_width=True)
        return
    # Strings rendered once and shared: the base map per dataset version and layer choice, a day's groups per day.
    parts = base_parts(dataset, dataset.version, static, tiles)
    days = day_scripts(dataset, dataset.version, day, tuple(dated), tuple(actors), len(under))
    mine = group_scripts([*over, *extra], len(under) + len(days))  # the session's own layers and highlights
    # What the page needs to draw another day's groups in their place the moment the slider moves (geo.web.preview).
    shown = preview.shown_script(day, [name for name, _ in dated], actors, len(under))
    # Zoom and bounds come back on each pan or zoom (one rerun): imported layers show finer cells, then features.
    center, zoom = fly_to if fly_to else (None, None)
    show_map(parts, [*group_scripts(under), *days, *mine], key=MAP_KEY, returned_objects=MAP_RETURNS,
             height=settings.MAP_HEIGHT, center=center, zoom=zoom, prelude=shown)
