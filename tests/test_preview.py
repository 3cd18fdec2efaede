"""geo.web.preview: the whole timeline's rows as the page filters them, the rerun's note of what it drew, the loader."""

from __future__ import annotations

import datetime as dt
import json

import folium
import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.web import daymap, elements, preview
from layers import REGISTRY

DATED = [name for name, module in REGISTRY.items() if module.TIME_DEPENDENT]


def all_time(dataset) -> dict[str, gpd.GeoDataFrame]:
    return {name: module.build(dataset).reset_index(drop=True) for name, module in REGISTRY.items()}


def timeline(dataset) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, list]]:
    frames = all_time(dataset)
    return frames, json.loads(preview.timeline_json(frames, daymap.day_features(frames, dataset.sources, DATED)))


def page_filter(rows: list, day: str, actors: list[str]) -> list[str]:
    """The page's filter (geo/web/templates/preview.js, rows()) in Python: the ids it draws."""
    return [row[0] for row in rows if (row[1] is None or row[1] <= day) and (row[2] is None or day < row[2])
            and (row[3] is None or set(row[3]) & set(actors))]


def change_days(frames: dict[str, gpd.GeoDataFrame], bounds: tuple[dt.date, dt.date]) -> list[dt.date]:
    """Every day on which a time-dependent row starts or ends, the day before each, and the timeline's ends."""
    edges = {stamp.date() for name in DATED for column in ("start_date", "end_date") for stamp in frames[name][column].dropna()}
    return sorted({*bounds, *edges, *(day - dt.timedelta(days=1) for day in edges)})


def server_ids(frames: dict[str, gpd.GeoDataFrame], days: list[dt.date], actors: list[str]) -> list[list[list[str]]]:
    """The feature ids the server draws on each day, layer by layer (daymap.day_rows' located rows)."""
    located = {name: set(elements.located_rows(frames[name]).index) for name in DATED}
    return [[list(frames[name].loc[[row for row in rows if row in located[name]], "feature_id"])
             for name, _, rows in daymap.day_rows(frames, day, [(name, name) for name in DATED], actors)]
            for day in days]


def test_the_timeline_filtered_by_day_is_what_the_server_draws_on_every_change(dataset):
    frames, rows = timeline(dataset)
    days = change_days(frames, dataset.scenario.timeline)
    for actors in (list(dataset.actors["actor_id"]), ["RUS"]):
        for day, expected in zip(days, server_ids(frames, days, actors), strict=True):
            drawn = [page_filter(rows[name], preview.day_text(day), actors) for name in DATED]
            assert drawn == expected, (day, actors)


def test_rows_carry_the_server_features_text(dataset):
    frames, rows = timeline(dataset)
    features = daymap.day_features(frames, dataset.sources, ["deployments"])["deployments"]
    assert [row[4] for row in rows["deployments"]] == [json.loads(text) for text in features if text]


def test_countries_are_alliance_members_only_and_unlocated_rows_are_left_out(dataset):
    frames, rows = timeline(dataset)
    members = frames["countries"][frames["countries"]["group_member"]]
    assert [row[0] for row in rows["countries"]] == list(members["feature_id"])
    frame = gpd.GeoDataFrame({"feature_id": ["here", "nowhere"], "layer": ["sites"] * 2, "name": ["a", "b"],
                              "start_date": pd.to_datetime(["2024-01-02", None]).astype("datetime64[s]"),
                              "end_date": pd.to_datetime([None, None]).astype("datetime64[s]")},
                             geometry=[Point(2, 13), None], crs="EPSG:4326")
    found = [json.loads(row) for row in preview.layer_rows("sites", frame, daymap.feature_json(frame, dataset.sources, daymap.style))]
    assert [row[:4] for row in found] == [["here", "2024-01-02T00:00:00", None, None]]


def test_the_file_is_named_by_its_content_and_holds_the_script():
    name, text = preview.preview_file('{"sites":[]}')
    assert name.startswith("geoPreview_") and name.endswith(".js") and name == preview.preview_file('{"sites":[]}')[0]
    assert name != preview.preview_file('{"events":[]}')[0]
    assert text.startswith('window.geoTimeline = {"sites":[]};') and "window.geoPreview" in text


def test_what_the_rerun_drew_is_escaped_data():
    script = preview.shown_script(dt.date(2024, 5, 3), ["deployments"], ["</script><b>", "{{ 7*7 }}"], 2)
    assert "</script>" not in script and script.startswith("window.feature_group = [];")
    shown = json.loads(script.split("window.geoDayShown = ", 1)[1].split(";\n", 1)[0])
    assert shown == {"day": "2024-05-03T00:00:00", "layers": ["deployments"], "actors": ["</script><b>", "{{ 7*7 }}"],
                     "first": 2}


def test_the_loader_names_its_file_and_slider_as_is():
    fmap = folium.Map(tiles=None)
    preview.PreviewLoader("/app/static/gen/{{ 7*7 }}.js", ".st-key-day input").add_to(fmap)
    page = fmap.get_root().render()
    assert '"/app/static/gen/{{ 7*7 }}.js"' in page and '".st-key-day input"' in page
