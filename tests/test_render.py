"""geo.render: offline assets only, escaped text, styles from geo.style."""

from __future__ import annotations

import re

import folium

from geo import render
from geo.assets import offline_js
from geo.style import style
from layers import REGISTRY

XSS = "<img src=x onerror=alert(1)>"
REMOTE_ASSET = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=[\"']?https?://", re.IGNORECASE)


def full_map(dataset, day: str = "2024-05-03") -> folium.Map:
    fmap = render.base_map()
    for name, module in REGISTRY.items():
        render.layer_group(module.build(dataset, day=day), dataset.sources, module.TITLE).add_to(fmap)
    render.legend([("United States", "#0072B2")], [("100", 8.0)], [("high", 0.85)]).add_to(fmap)
    return fmap


def test_map_loads_no_remote_script_or_stylesheet(dataset):
    page = full_map(dataset).get_root().render()
    assert not REMOTE_ASSET.search(page)
    assert "data:text/javascript;base64," in page and "data:text/css;base64," in page
    assert "L.tileLayer" not in page


def test_base_map_sets_offline_assets_on_the_instance_and_no_tiles():
    fmap = render.base_map()
    assert fmap.default_js == offline_js()
    assert "L.tileLayer" not in fmap.get_root().render()
    assert folium.Map.default_js[0][1].startswith("https://")  # the class default stays untouched


def test_online_tiles_only_when_chosen():
    assert "L.tileLayer" in render.base_map(tiles="OpenStreetMap").get_root().render()


def test_names_are_escaped_in_tooltips_popups_and_legend(tables, tmp_path):
    from geo.dataset import load_dataset
    from tests.conftest import write_seeds

    tables["actors"][0]["name"] = XSS
    tables["sites"][1]["name"] = "`${alert(2)}`"
    dataset = load_dataset(write_seeds(tmp_path / "seeds", tables))
    fmap = full_map(dataset)
    render.legend([(XSS, "#000000")], [], []).add_to(fmap)
    page = fmap.get_root().render()
    assert XSS not in page and "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "${alert(2)}" not in page and "&#36;{alert(2)}" in page


def test_points_are_circle_markers_styled_from_geo_style(dataset):
    group = render.layer_group(REGISTRY["deployments"].build(dataset, day="2024-05-03"), dataset.sources, "Forces")
    markers = [child for child in group._children.values() if isinstance(child, folium.CircleMarker)]
    assert len(markers) == 2
    assert {m.options["color"] for m in markers} == {"#0072B2", "#D55E00"}
    assert all(m.options["dashArray"] == "4 4" for m in markers)  # compounds spread off the base: approximate


def test_shapes_are_geojson_with_style_function_and_iso_dates(dataset):
    frame = REGISTRY["countries"].build(dataset, day="2024-05-03")
    features = render.plain_features(frame)
    assert features[0]["properties"]["start_date"] in (None, "2023-09-16")
    group = render.layer_group(frame, dataset.sources, "Countries", render.outline_only)
    shapes = [child for child in group._children.values() if isinstance(child, folium.GeoJson)]
    assert len(shapes) == 2
    assert shapes[0].style_function(features[0])["fillOpacity"] == 0


def test_unlocated_rows_are_skipped(dataset):
    frame = REGISTRY["sites"].build(dataset, day="2024-05-03")
    assert frame.geometry.isna().any()
    assert len(render.plain_features(frame)) == frame.geometry.notna().sum()


def test_outline_only_keeps_the_line_style():
    feature = {"properties": {"layer": "countries", "role": "focus", "aes_member": True}}
    assert render.outline_only(feature) == {**style(feature), "fillOpacity": 0}
