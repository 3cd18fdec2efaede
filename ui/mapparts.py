"""The st_folium component fed from strings: the base map rendered once per content, a day's groups once per day."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium
import streamlit as st
import streamlit_folium as sf


@dataclass(frozen=True)
class MapParts:
    """What streamlit_folium.st_folium sends for a base map, rendered once: immutable, shared by sessions."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    defaults_json: str  # the component's value before the browser reports one
    hash_key: str  # the component's key: unchanged while the base script is, so the browser keeps the map
    layers: str = ""  # the pre-rendered static layers' script, served as a file (layers_file) the base script calls


def render_base(fmap: folium.Map, key: str, returned_objects: Sequence[str]) -> MapParts:
    """The base map as st_folium renders it (same calls, same order), once instead of on every rerun."""
    fmap.get_root().render()
    fmap.render()
    html, header, script = sf._get_html(fmap), sf._get_header(fmap), sf._get_map_string(fmap)
    (south, west), (north, east) = fmap.get_bounds()
    defaults = {"bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
                "zoom": fmap.options.get("zoom")}
    links = list(walk(fmap))
    css = dict.fromkeys(href for element in links for _, href in getattr(element, "default_css", []))
    js = dict.fromkeys(src for element in links for _, src in getattr(element, "default_js", []))
    return MapParts(script, header, html, sf.get_full_id(fmap), tuple(css), tuple(js),
                    json.dumps({k: v for k, v in defaults.items() if k in returned_objects}),
                    # st_folium's hash ignores names like geoLayers_<hash>: add the script's own, so another choice
                    # of static layers (another layers file) mounts a new map instead of keeping the old layers.
                    f"{sf.generate_js_hash(script, key, False)}-{hashlib.sha256(script.encode()).hexdigest()[:12]}")


def walk(element: folium.Element) -> Iterable[folium.Element]:
    yield element
    for child in element._children.values():
        yield from walk(child)


def group_scripts(groups: Iterable[folium.FeatureGroup], first: int = 0) -> tuple[tuple[str, str], ...]:
    """(title, script) of each feature group as st_folium sends it, numbered from `first` (strings: cacheable)."""
    groups = list(groups)
    if not groups:
        return ()
    scratch = folium.Map(tiles=None)
    return tuple((group.layer_name, sf._get_feature_group_string(group, map=scratch, idx=first + index))
                 for index, group in enumerate(groups))


def show_map(parts: MapParts, groups: Sequence[tuple[str, str]], *, key: str, returned_objects: Sequence[str],
             height: int, center: tuple[float, float] | None = None, zoom: int | None = None,
             prelude: str = "") -> None:
    """st_folium's component call with pre-rendered parts; the browser keeps the map (and its view) while the
    base script is unchanged and replaces only the groups; a center and zoom fly it there (a story step); prelude
    runs before the groups' scripts. The reported value lands in st.session_state[key]."""
    def on_change() -> None:
        st.session_state[key] = st.session_state.get(parts.hash_key, {})

    sf._component_func(script=parts.script, header=parts.header, html=parts.html, id=parts.map_id, key=parts.hash_key,
                       height=height, width=None, returned_objects=list(returned_objects),
                       default=json.loads(parts.defaults_json), zoom=zoom, center=center,
                       feature_group=prelude + "".join(script for _, script in groups), return_on_hover=False,
                       layer_control=None, pixelated=False, css_links=list(parts.css_links),
                       js_links=list(parts.js_links), on_change=on_change, wrap_longitude=False)


def stable_names(script: str) -> str:
    """folium's random variable suffixes (uuid4 hex) numbered in order of appearance: the same layers give the same
    text in every process, hence one file and one browser-cache entry per content, not per server start."""
    pattern = re.compile(r"\b([a-z][a-z_]*)_([0-9a-f]{32})\b")
    numbers = {suffix: n for n, suffix in enumerate(dict.fromkeys(m.group(2) for m in pattern.finditer(script)))}
    return pattern.sub(lambda m: f"{m.group(1)}_s{numbers[m.group(2)]}", script)


def layers_file(script: str, parent_token: str) -> tuple[str, str, str]:
    """Pre-rendered layers as a script file defining one function of their parent: (call, file name, file text).

    Named by content, so the browser fetches it once per version and the base map's own script stays a few hundred
    bytes on every rerun."""
    script = stable_names(script)
    function = f"geoLayers_{hashlib.sha256(script.encode()).hexdigest()[:16]}"
    text = f"window.{function} = function ({parent_token}) {{\n{script}\n}};\n"
    return f"{function}({parent_token});", f"{function}.js", text
