"""One contract over the layer registry, then each layer's own behaviour on the synthetic fixture."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo import settings
from geo.data.contract import BASE_COLUMNS
from geo.data.timeline import on_day
from layers import REGISTRY

DAYS = ["2023-01-01", "2023-09-07", "2024-05-02", "2024-05-03", "2024-07-07", "2030-01-01"]


@pytest.mark.parametrize("name", list(REGISTRY))
def test_layer_contract(dataset, name):
    module = REGISTRY[name]
    frame = module.build(dataset)
    assert isinstance(frame, gpd.GeoDataFrame) and frame.crs.to_epsg() == 4326
    assert tuple(frame.columns[: len(BASE_COLUMNS)]) == BASE_COLUMNS and frame.geometry.name == "geometry"
    assert frame["feature_id"].is_unique and (frame["layer"] == module.NAME).all()
    assert frame["source_ids"].str.len().gt(0).all(), "every feature cites a source"
    assert str(frame["start_date"].dtype).startswith("datetime64")
    ends_after = frame["end_date"].isna() | frame["start_date"].isna() | (frame["end_date"] > frame["start_date"])
    assert ends_after.all()
    for day in DAYS:  # build(day) is exactly the whole-timeline frame filtered to the day
        assert_geodataframe_equal(module.build(dataset, day=day), on_day(frame, day))


@pytest.mark.parametrize("name", list(REGISTRY))
def test_layer_is_pure(dataset, name):
    before = {k: v.copy() for k, v in dataset.tables.items()}
    REGISTRY[name].build(dataset, day="2024-05-03")
    for key, table in before.items():
        pd.testing.assert_frame_equal(dataset[key], table)


def test_deployment_steps_follow_site_figures_status_and_age(dataset, monkeypatch):
    monkeypatch.setattr(settings, "FIGURE_AGE_STEP_DAYS", 30)
    us = REGISTRY["deployments"].build(dataset).query("actor_id == 'USA'")
    assert us["start_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-01-01", "2024-03-16", "2024-06-01", "2024-07-01"]  # 7/01: the site figure turns 30 days old
    # country-wide figures (S1, S2) are never drawn at a site: only the site's own S3
    assert us["strength_label"].tolist() == ["not reported", "not reported", "≤ 500", "≤ 500"]
    assert us["strength_age_days"].tolist()[2:] == [0, 30]
    assert us["status"].tolist() == ["present", "withdrawing", "withdrawing", "withdrawing"]
    assert us["certainty"].unique().tolist() == ["certain"]
    assert us["end_date"].iloc[-1] == pd.Timestamp("2024-07-07")
    radius = us["radius"].tolist()
    assert radius[0] < radius[-1], "unreported is smallest"


def test_handover_day_is_out(dataset):
    on = lambda day: set(REGISTRY["deployments"].build(dataset, day=day)["actor_id"])
    assert on("2024-07-06") == {"USA", "RUS"}
    assert on("2024-07-07") == {"RUS"}


def test_compounds_sharing_a_point_are_spread_and_approximate(dataset):
    sites = REGISTRY["sites"].build(dataset, day="2024-05-03").set_index("site_id")
    points = {tuple(g.coords[0]) for g in sites.loc[["BASE", "US_C", "RU_C"]].geometry}
    assert len(points) == 3, "no marker hides another"
    assert sites.loc["BASE"].geometry.coords[0] == (5, 15), "the base keeps its sourced point"
    assert (sites.loc[["US_C", "RU_C"], "location_precision"] == "approximate").all()
    assert (sites.loc[["US_C", "RU_C"], "lon"] == 5).all(), "the sourced coordinate is kept as data"


def test_sites_list_forces_present(dataset):
    sites = REGISTRY["sites"].build(dataset, day="2024-05-03").set_index("site_id")
    assert sites.loc["US_C", "forces"] == "United States" and sites.loc["FAR", "forces"] == ""
    assert sites.loc["NOWHERE"].geometry is None


def test_copresence_from_the_day_both_are_there(dataset):
    co = REGISTRY["copresence"].build(dataset)
    assert len(co) == 1
    row = co.iloc[0]
    assert (row["base_id"], row["actor_ids"], row["count"]) == ("BASE", "RUS;USA", 2)
    assert (row["start_date"], row["end_date"]) == (pd.Timestamp("2024-05-02"), pd.Timestamp("2024-07-07"))


def test_events_window_and_unlocated(dataset):
    events = REGISTRY["events"].build(dataset).set_index("event_id")
    assert events.loc["E2"].geometry is None and events.loc["E1"].geometry is not None
    assert events.loc["E1", "end_date"] == pd.Timestamp("2024-06-02")  # the day and 30 days after
    assert set(REGISTRY["events"].build(dataset, day="2024-06-01")["event_id"]) == {"E1"}


def test_countries_group_membership_as_of_day(dataset):
    before = REGISTRY["countries"].build(dataset, day="2023-09-15").set_index("iso_a3")
    after = REGISTRY["countries"].build(dataset, day="2023-09-16").set_index("iso_a3")
    assert not before.loc["NER", "group_member"] and after.loc["NER", "group_member"]
    assert after.loc["NER", "groups"] == "Alliance of Sahel States" and not after.loc["TCD", "group_member"]


def test_movements_are_lines_between_sites(dataset):
    line = REGISTRY["movements"].build(dataset).iloc[0]
    assert line.geometry.geom_type == "LineString" and line.geometry.coords[-1] == (15, 15)
