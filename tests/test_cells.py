"""Grid aggregation of large point layers: exact cells on a tiny example, counts that always add up."""

from __future__ import annotations

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from geo.imports.cells import grid_counts, should_aggregate


def points(lons, lats) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"layer": "import:x", "source_ids": "user:x.csv"}, index=range(len(lons)),
                            geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")


def test_cells_on_a_tiny_example():
    grid = grid_counts(points([0.1, 0.9, 1.5, -0.5], [0.2, 0.8, 0.5, -0.5]), cell_deg=1.0)
    cells = {tuple(map(float, g.bounds)): n for g, n in zip(grid.geometry, grid["count"])}
    assert cells == {(0, 0, 1, 1): 2, (1, 0, 2, 1): 1, (-1, -1, 0, 0): 1}
    assert list(grid.columns[:6]) == ["feature_id", "layer", "name", "start_date", "end_date", "source_ids"]
    assert grid.crs.to_epsg() == 4326 and (grid["source_ids"] == "user:x.csv").all()
    assert grid["feature_id"].is_unique


def test_non_points_count_at_their_centroid():
    frame = points([0.5], [0.5]).set_geometry([box(2, 2, 3, 3)], crs="EPSG:4326")
    assert grid_counts(frame, cell_deg=1.0).geometry[0].equals(box(2, 2, 3, 3))


def test_empty_frame_gives_empty_grid():
    assert grid_counts(points([], []), cell_deg=0.5).empty


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(-180, 180), st.floats(-90, 90)), max_size=200), st.sampled_from([0.1, 0.25, 1, 7]))
def test_counts_sum_to_n_and_cells_hold_their_points(coords, cell):
    lons, lats = [c[0] for c in coords], [c[1] for c in coords]
    grid = grid_counts(points(lons, lats), cell_deg=cell)
    assert grid["count"].sum() == len(coords)
    for lon, lat in coords[:20]:
        assert grid.geometry.covers(Point(lon, lat)).any()


@pytest.mark.parametrize(("n", "expected"), [(0, False), (2000, False), (2001, True)])
def test_should_aggregate(n, expected):
    assert should_aggregate(n) is expected and should_aggregate(n, threshold=n - 1)
