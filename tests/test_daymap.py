"""geo.web.daymap: static layers rendered once into a shareable script, the day's groups, imported overlays."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.web import daymap, elements
from layers import REGISTRY
from tests.conftest import drawn_features

XSS = "<img src=x onerror=alert(1)>"


def frames(dataset) -> dict[str, gpd.GeoDataFrame]:
    return {name: module.build(dataset) for name, module in REGISTRY.items()}


def titled(*names: str) -> list[tuple[str, str]]:
    return [(name, REGISTRY[name].TITLE) for name in names]


def test_prerendered_static_layers_name_the_map_they_are_drawn_in(dataset):
    script = daymap.prerender(daymap.static_groups(frames(dataset), dataset.sources, titled("countries", "towns")))
    assert daymap.PARENT in script and "Chad" in script and "Town" in script
    legend = elements.legend([], [], [])
    fmap = daymap.base_map(script, legend, None, scenario=dataset.scenario)
    page = fmap.get_root().render()
    assert daymap.PARENT not in page and f"addTo({fmap.get_name()})" in page and "Chad" in page


def test_static_countries_carry_no_alliance_outline(dataset):
    script = daymap.prerender(daymap.static_groups(frames(dataset), dataset.sources, titled("countries")))
    assert "Alliance of Sahel States" not in script


def test_day_rows_follow_the_day_and_actors(dataset):
    all_time = frames(dataset)
    found = daymap.day_rows(all_time, dt.date(2024, 5, 3), titled("countries", "deployments"), ["RUS"])
    assert [(name, title) for name, title, _ in found] == [("countries", "Alliance members"), ("deployments", "Forces present")]
    assert list(all_time["deployments"].loc[found[1][2], "actor_id"]) == ["RUS"]
    assert all_time["countries"].loc[found[0][2], "group_member"].all()  # alliance members only
    assert daymap.day_rows(all_time, dt.date(2022, 1, 1), titled("deployments"), ["RUS"])[0][2].empty


def test_day_groups_draw_what_rendered_groups_draw(dataset):
    all_time = {name: frame.reset_index(drop=True) for name, frame in frames(dataset).items()}
    features = daymap.day_features(all_time, dataset.sources, ["deployments", "events"])
    found = daymap.day_rows(all_time, dt.date(2024, 5, 3), titled("deployments", "events"), ["USA", "RUS"])
    fast, slow = daymap.day_groups(found, features), daymap.rendered_groups(all_time, found, dataset.sources)
    for quick, rendered, (name, _, rows) in zip(fast, slow, found):
        page, naive = (daymap.full_map([group], elements.legend([], [], []), None, scenario=dataset.scenario).get_root().render() for group in (quick, rendered))
        assert quick.layer_name == rendered.layer_name and daymap.PARENT not in page
        assert drawn_features(page) == drawn_features(naive) != []
        assert len(drawn_features(page)) == len(elements.located_rows(all_time[name].loc[rows]))


def test_feature_json_escapes_text_and_leaves_unlocated_rows_empty(dataset):
    frame = gpd.GeoDataFrame({"layer": ["sites", "sites"], "name": [XSS, "nowhere"]},
                             geometry=[Point(2, 13), None], crs="EPSG:4326")
    serialised = daymap.feature_json(frame, dataset.sources, daymap.style_of("sites"))
    assert XSS not in serialised[0] and "</" not in serialised[0] and serialised[1] == ""
    assert json.loads(serialised[0])["properties"]["tooltip"] == "&lt;img src=x onerror=alert(1)&gt;"


def test_overlay_groups_split_cells_from_features():
    feature = gpd.GeoDataFrame({"layer": ["import:mine"], "name": [XSS]}, geometry=[Point(2, 13)], crs="EPSG:4326")
    cells = feature.assign(layer="cells:many", count=5, cell_deg=0.5)
    under, over = daymap.overlay_groups([("mine", feature), ("many", cells)])
    assert [g.layer_name for g in under] == ["many"] and [g.layer_name for g in over] == ["mine"]


def test_full_map_holds_every_group(dataset):
    groups = daymap.static_groups(frames(dataset), dataset.sources, titled("towns"))
    fmap = daymap.full_map(groups, elements.legend([], [], []), None, scenario=dataset.scenario)
    assert "Town" in fmap.get_root().render()


def test_actor_mask_keeps_single_and_listed_actors():
    single = pd.DataFrame({"actor_id": ["USA", "RUS"]})
    listed = pd.DataFrame({"actor_ids": ["USA;RUS", "NER"]})
    assert daymap.actor_mask(single, ["RUS"]).tolist() == [False, True]
    assert daymap.actor_mask(listed, ["RUS"]).tolist() == [True, False]
    assert daymap.actor_mask(pd.DataFrame({"name": ["x"]}), []).tolist() == [True]
    assert daymap.actor_mask(pd.DataFrame({"actor_id": [None]}), ["RUS"]).tolist() == [False]


def test_row_actors_are_the_lists_the_page_filters_by():
    assert daymap.row_actors(pd.DataFrame({"actor_id": ["USA", None]})) == [["USA"], []]
    assert daymap.row_actors(pd.DataFrame({"actor_ids": ["USA;RUS"]})) == [["USA", "RUS"]]
    assert daymap.row_actors(pd.DataFrame({"name": ["x"]})) == [None]
