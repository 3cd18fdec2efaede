"""Property test: generated point layers survive GeoPackage, GeoJSON and KML export and pyogrio read-back."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import settings as geo_settings
from geo.exports.write import export
from tests.conftest import tiny_scenario

EPOCH = dt.date(2023, 1, 1)
SOURCES = pd.DataFrame({"source_id": ["S1"], "title": ["A report"], "publisher": ["Wire"], "url": [""]})
# Markup, quotes, accents, other scripts, emoji, control characters and "]]>" pieces (NUL and surrogates aside).
names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=12) \
    | st.sampled_from(["<b>x</b>", "a & b", "]]>", "Tillabéri", "نيامي", "“q” 'q'", "🛩"])
rows = st.tuples(names, st.none() | st.integers(0, 800), st.none() | st.integers(1, 400),
                 st.integers(-1800000, 1800000), st.integers(-800000, 800000))


def layer_frame(generated: list[tuple]) -> gpd.GeoDataFrame:
    """Points with half-open [start, end) days: an end only where there is a start, always after it."""
    starts = [None if s is None else pd.Timestamp(EPOCH + dt.timedelta(days=s)) for _, s, _, _, _ in generated]
    ends = [None if s is None or g[2] is None else s + pd.Timedelta(days=g[2]) for s, g in zip(starts, generated)]
    frame = pd.DataFrame({"feature_id": [f"f{i:02d}" for i in range(len(generated))], "layer": "points",
                          "name": [g[0] for g in generated], "start_date": pd.to_datetime(pd.Series(starts, dtype=object)),
                          "end_date": pd.to_datetime(pd.Series(ends, dtype=object)), "source_ids": "S1"})
    points = [shapely.Point(x / 1e4, y / 1e4) for *_, x, y in generated]
    return gpd.GeoDataFrame(frame, geometry=points, crs=geo_settings.CRS)


def comparable(frame: pd.DataFrame, start: str, end: str, name: str = "name") -> pd.DataFrame:
    """feature_id, name, ISO days and coordinates to 5 decimals, sorted."""
    days = {c: pd.to_datetime(frame[c], utc=True).dt.strftime("%Y-%m-%d").fillna("") for c in (start, end)}
    return pd.DataFrame({"feature_id": frame["feature_id"], "name": frame[name].fillna(""), "start": days[start],
                         "end": days[end], "x": frame.geometry.x.round(5), "y": frame.geometry.y.round(5)}
                        ).sort_values("feature_id").reset_index(drop=True)


def read_back(folder: Path) -> dict[str, pd.DataFrame]:
    def read(name: str, layer: str | None = "points") -> pd.DataFrame:
        return pyogrio.read_dataframe(folder / name, layer=layer)

    return {"gpkg": comparable(read("niger_forces.gpkg"), "start_date", "end_date"),
            "geojson": comparable(read("niger_forces_points.geojson", None), "start_date", "end_date"),
            "kml": comparable(read("niger_forces.kml"), "begin", "end", "Name")}


def xml_char(c: str) -> bool:
    """XML 1.0's Char production (section 2.2), written out: what a well-formed document may hold."""
    return c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000"


def kml_read(name: str) -> str:
    """What a KML reader hands back for a name, derived from XML 1.0 and LIBKML rather than from geo.exports.kml:
    characters XML forbids cannot be written (gone), "]]>" would end LIBKML's CDATA section (written "]] >"), and
    line ends come back normalised to \\n (section 2.11)."""
    kept = "".join(c for c in name if xml_char(c)).replace("]]>", "]] >")
    return kept.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=25, deadline=None)
@given(generated=st.lists(rows, min_size=1, max_size=6))
def test_exports_round_trip_generated_layers(generated):
    frame = layer_frame(generated)
    with tempfile.TemporaryDirectory() as folder:
        export({"points": frame}, SOURCES, "test", out_dir=Path(folder), formats=["gpkg", "geojson", "kml"],
               scenario=tiny_scenario())
        got = read_back(Path(folder))
    want = comparable(frame, "start_date", "end_date")
    for fmt, back in got.items():
        expected = want.assign(name=want["name"].map(kml_read)) if fmt == "kml" else want
        pd.testing.assert_frame_equal(back, expected, check_dtype=False, obj=fmt)
