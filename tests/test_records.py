"""geo.data.records: layer rows as the plain records the map and the exports start from."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.data.records import properties


def test_records_hold_python_values_with_every_kind_of_missing_value_as_none():
    frame = gpd.GeoDataFrame({
        "when": pd.to_datetime(["2024-05-03", None]).astype("datetime64[s]"),
        "count": pd.array([7, None], dtype="Int64"), "share": [0.5, np.nan], "flag": [True, False],
        "text": pd.array(["a", None], dtype="str"), "boxed": pd.Series([np.int64(3), None], dtype=object),
        "day": pd.Series([dt.date(2024, 5, 3), pd.NaT], dtype=object),
    }, geometry=[shapely.Point(1, 2), None], crs="EPSG:4326")
    records = properties(frame)
    assert records == [
        {"when": "2024-05-03", "count": 7, "share": 0.5, "flag": True, "text": "a", "boxed": 3, "day": "2024-05-03"},
        {"when": None, "count": None, "share": None, "flag": False, "text": None, "boxed": None, "day": None},
    ]
    assert [type(value) for value in records[0].values()] == [str, int, float, bool, str, int, str]
    assert json.loads(json.dumps(records)) == records


def test_a_frame_of_geometry_alone_gives_empty_records():
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(1, 2)], crs="EPSG:4326")
    assert properties(frame) == [{}]
