"""geo.web.elements: offline assets only, escaped text, styles from geo.draw.style."""

from __future__ import annotations

import html
import json
import re

import folium

from geo.draw.assets import offline_js
from geo.draw.style import safe_json
from geo.web import elements
from layers import REGISTRY
from tests.conftest import drawn_features

XSS = "<img src=x onerror=alert(1)>"
SSTI = "{{ 'ssti' ~ 'probe' }} {% for x in 'ab' %}loop{% endfor %}"
REMOTE_ASSET = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=[\"']?https?://", re.IGNORECASE)


def full_map(dataset, day: str = "2024-05-03") -> folium.Map:
    fmap = elements.base_map(center=(15.0, 5.0), zoom=6)
    for module in REGISTRY.values():
        elements.layer_group(module.build(dataset, day=day), dataset.sources, module.TITLE).add_to(fmap)
    elements.legend([("United States", "#0072B2")], [("100", 8.0)], [("high", 0.85)]).add_to(fmap)
    return fmap


def test_map_loads_no_remote_script_or_stylesheet(dataset):
    page = full_map(dataset).get_root().render()
    assert not REMOTE_ASSET.search(page)
    assert "data:text/javascript;base64," in page and "data:text/css;base64," in page
    assert "L.tileLayer" not in page


def test_base_map_sets_offline_assets_on_the_instance_and_no_tiles():
    fmap = elements.base_map(center=(15.0, 5.0), zoom=6)
    assert fmap.default_js == offline_js()
    assert "L.tileLayer" not in fmap.get_root().render()
    assert folium.Map.default_js[0][1].startswith("https://")  # the class default stays untouched


def test_online_tiles_only_when_chosen():
    assert "L.tileLayer" in elements.base_map(center=(15.0, 5.0), zoom=6, tiles="OpenStreetMap").get_root().render()


def test_names_are_escaped_in_tooltips_popups_and_legend(tables, tmp_path):
    from geo.data.dataset import load_dataset
    from tests.conftest import write_seeds

    tables["actors"][0]["name"] = XSS
    tables["sites"][1]["name"] = "`${alert(2)}`"
    dataset = load_dataset(write_seeds(tmp_path / "seeds", tables))
    fmap = full_map(dataset)
    elements.legend([(XSS, "#000000")], [], []).add_to(fmap)
    page = fmap.get_root().render()
    assert XSS not in page and "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the legend's markup
    assert "`${alert(2)}`" in {f["properties"]["tooltip"] for f in drawn_features(page)}  # a JSON string: inert


def test_template_syntax_in_text_is_shown_not_run_on_the_server(tables, tmp_path):
    """branca compiles a rendered element's script as a Jinja template again; ScriptElement never does."""
    from geo.data.dataset import load_dataset
    from tests.conftest import write_seeds

    tables["sites"][1]["name"] = SSTI
    tables["actors"][0]["name"] = SSTI
    dataset = load_dataset(write_seeds(tmp_path / "seeds", tables))
    fmap = full_map(dataset)
    elements.legend([(SSTI, "#000000")], [], []).add_to(fmap)
    elements.count_legend(SSTI, 0.5).add_to(fmap)
    page = fmap.get_root().render()
    assert "sstiprobe" not in page and "looploop" not in page
    assert html.escape(SSTI) in {f["properties"]["tooltip"] for f in drawn_features(page)}


def test_points_are_circle_markers_styled_from_geo_style(dataset):
    group = elements.layer_group(REGISTRY["deployments"].build(dataset, day="2024-05-03"), dataset.sources, "Forces")
    markers = group_features(group)
    assert len(markers) == 2 and {m["geometry"]["type"] for m in markers} == {"Point"}
    assert {m["properties"]["style"]["color"] for m in markers} == {"#0072B2", "#D55E00"}
    assert all(m["properties"]["style"]["dashArray"] == "4 4" for m in markers)  # compounds spread off the base: approximate


def test_shapes_are_styled_by_the_style_function_and_dates_are_iso(dataset):
    frame = REGISTRY["countries"].build(dataset, day="2024-05-03")
    features = elements.plain_features(frame)
    assert features[0]["properties"]["start_date"] in (None, "2023-09-16")
    shapes = group_features(elements.layer_group(frame, dataset.sources, "Countries", elements.outline_only))
    assert len(shapes) == 2 and {s["geometry"]["type"] for s in shapes} == {"Polygon"}
    # Niger (the focus, in the alliance from 2023-09-16) and Chad: outlines only, no dashArray key where none is set.
    assert [s["properties"]["style"] for s in shapes] == [
        {"color": "#7a3e00", "weight": 2.5, "fillColor": "#fff7d6", "fillOpacity": 0},
        {"color": "#888888", "weight": 1, "fillColor": "#f2f2f2", "fillOpacity": 0, "dashArray": "4 4"},
    ]


def test_feature_json_is_each_drawn_feature_encoded_with_shared_shapes_encoded_once(dataset):
    frame = REGISTRY["countries"].build(dataset)  # Niger twice: before and after it joined the alliance
    assert frame.geometry.duplicated().any()
    expected = [safe_json(elements.drawn_feature(f, dataset.sources, elements.outline_only))
                for f in elements.plain_features(frame)]
    assert elements.feature_json(frame, dataset.sources, elements.outline_only) == expected
    points = REGISTRY["sites"].build(dataset)
    assert elements.feature_json(points, dataset.sources) == [safe_json(elements.drawn_feature(f, dataset.sources))
                                                              for f in elements.plain_features(points)]


def test_unlocated_rows_are_skipped(dataset):
    frame = REGISTRY["sites"].build(dataset, day="2024-05-03")
    assert frame.geometry.isna().any()
    assert len(elements.plain_features(frame)) == frame.geometry.notna().sum()


def test_outline_only_keeps_the_line_style_without_fill():
    focus = {"properties": {"layer": "countries", "role": "focus", "group_member": True}}
    neighbour = {"properties": {"layer": "countries", "role": "neighbour", "group_member": False}}
    assert elements.outline_only(focus) == {"color": "#7a3e00", "weight": 2.5, "fillColor": "#fff7d6", "fillOpacity": 0,
                                            "dashArray": None}
    assert elements.outline_only(neighbour) == {"color": "#888888", "weight": 1, "fillColor": "#f2f2f2", "fillOpacity": 0,
                                                "dashArray": "4 4"}


def imported_frame(tmp_path, rows: int = 2):
    from geo.imports.reader import read_layer

    path = tmp_path / "mine.csv"
    body = "".join(f"{10 + i},{2 + i},#ff0000,huge,{XSS},c{i},d,e,f,g,h,i,j\n" for i in range(rows))
    path.write_text(f"lat,lon,colour,radius,notes,c1,c2,c3,c4,c5,c6,c7,c8\n{body}")
    return read_layer(path)


def group_features(group: folium.FeatureGroup) -> list[dict]:
    """The features of the group's one FeatureLayer, as the browser will parse them."""
    [layer] = [child for child in group._children.values() if isinstance(child, elements.FeatureLayer)]
    return json.loads(layer.data_json)["features"]


def test_feature_layer_json_cannot_end_its_script_element():
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2, 13]},
               "properties": {"name": "</script><script>alert(1)</script><!--", "layer": "import:x"}}
    fmap = elements.base_map(center=(15.0, 5.0), zoom=6)
    group = folium.FeatureGroup().add_to(fmap)
    elements.FeatureLayer([safe_json(elements.drawn_feature(feature, elements.NO_SOURCES))]).add_to(group)
    page = fmap.get_root().render()
    data = page.split("L.geoJson(", 1)[1].split(", {\n")[0]
    assert "</" not in data and "<!--" not in data
    assert group_features(group)[0]["properties"]["popup"].startswith("<div class='popup'><b>&lt;/script&gt;")


def test_imported_points_are_styled_by_layer_not_by_their_columns_and_popups_are_escaped(tmp_path):
    from geo.draw import style

    layer = imported_frame(tmp_path)
    group = elements.overlay_group(layer.frame, "mine")
    drawn = group_features(group)
    assert {f["properties"]["style"]["fillColor"] for f in drawn} == {style.import_colour("mine")}
    assert {f["properties"]["style"]["radius"] for f in drawn} == {5} and len(drawn) == len(layer.frame)
    assert all(XSS not in f["properties"]["popup"] for f in drawn)
    props = elements.plain_features(layer.frame)[0]["properties"]
    popup = style.popup_html(props, elements.NO_SOURCES)
    assert "<img" not in popup and "&lt;img src=x onerror=alert(1)&gt;" in popup
    assert popup.count("<tr>") == style.IMPORT_POPUP_COLUMNS and "<th>c3</th>" in popup and "c4" not in popup
    assert "user:mine.csv" in popup and style.tooltip(props) == "mine: 2"
    legends = [child for child in group._children.values() if isinstance(child, elements.Legend)]
    assert len(legends) == 1 and style.import_colour("mine") in legends[0].markup_json


def test_count_cells_are_coloured_by_count_with_a_legend_in_their_group(tmp_path):
    from geo.draw import style
    from geo.imports.reader import ImportedLayer
    from geo.web import uploads

    layer = imported_frame(tmp_path, rows=3)
    many = ImportedLayer("mine", layer.frame.iloc[[0, 1, 2] * 700].reset_index(drop=True), (), 0, "none")
    cells = uploads.shown_on(many, "2024-05-03", window_days=30)
    group = elements.overlay_group(cells, "mine")
    feature = elements.plain_features(cells)[0]
    assert style.style(feature)["fillColor"] == style.count_colour(700) == "#e31a1c"
    assert "Features in this cell" in style.popup_html(feature["properties"], elements.NO_SOURCES)
    assert style.tooltip(feature["properties"]) == "mine: 700 features"
    legends = [child for child in group._children.values() if isinstance(child, elements.Legend)]
    assert len(legends) == 1 and "100-999" in legends[0].markup_json and legends[0].position_json == '"bottomleft"'


def test_count_ranges_cover_every_count():
    from geo.draw import style

    assert [label for label, _ in style.count_ranges()] == ["1-9", "10-99", "100-999", "1,000+"]
    colours = [colour for _, colour in style.COUNT_COLOURS]
    assert [style.count_colour(n) for n in (1, 9, 10, 99, 100, 999, 1000, 10**6)] == [c for c in colours for _ in (0, 1)]
