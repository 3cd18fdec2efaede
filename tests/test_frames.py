"""Imported --layer files in every export format: safe names, arbitrary columns kept and escaped, windowed dates."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from geo.cli import main
from geo.exports.frames import SPECIAL_FIELDS, export_columns, export_name, html_warnings
from geo.exports.gpkg import read_styles
from tests.test_write import sha256s

FIXTURES = Path(__file__).parent / "fixtures" / "import"
NASTY_NAME = "<b>A</b> ]]> \x01 é"
HEADER = ["name", "start", "end", "colour", "actor_id", "actor_name", "FID", "Icon", "heading", "a b", "ü", "<x>&",
          "description", "id", "geom", "lat", "lon", "Name", "notes"]
ROWS = [[NASTY_NAME, "2024-05-01", "2024-06-01", "red;</style>", "x y", "<i>evil</i>", "7", "i", "h", "1", "2", "3",
         "d", "id1", "g", "13.5", "2.1", "N2", "</script><script>alert(1)</script>"],
        ["B & C", "2024-05-05", "", "#zzz", "", "", "8", "", "", "", "", "", "", "", "", "14", "3", "", '"q"']]


def nasty_csv(folder: Path) -> Path:
    """Columns that clash with GPKG, LIBKML and the layer contract; markup, ']]>' and a control character."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "we ird<name>.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    return path


def export_cli(seeds: Path, out: Path, *layers: Path, fmt: str = "all", day: str | None = None) -> None:
    extra = ["--date", day] if day else []
    argv = ["export", "--format", fmt, "--out", str(out), "--seeds", str(seeds), *extra]
    assert main([*argv, *(arg for layer in layers for arg in ("--layer", str(layer)))]) == 0


@pytest.mark.parametrize("label, expected", [
    ("../../etc/passwd", "import_etc_passwd"), ("Tillabéri événements", "import_tillaberi_evenements"),
    ("", "import_layer"), ("<script>", "import_script"), ("A" * 99, "import_" + "a" * 40)])
def test_export_names_are_safe(label, expected):
    assert export_name(label, set()) == expected


def test_export_names_are_unique_and_never_a_core_layer():
    taken = {"deployments", "import_x"}
    assert [export_name(n, taken) for n in ("x", "X", "x!")] == ["import_x_2", "import_x_3", "import_x_4"]


def test_export_columns_avoid_special_and_duplicate_fields():
    renamed = export_columns(["a b", "FID", "Icon", "Name", "orig_name", "ü", "", "x", "X"])
    assert renamed == {"a b": "a_b", "FID": "orig_FID", "Icon": "orig_Icon", "Name": "orig_Name",
                       "orig_name": "orig_name_2", "ü": "u", "": "field", "x": "x", "X": "X_2"}
    assert all(re.fullmatch(r"\w+", v) and v.lower() not in SPECIAL_FIELDS for v in renamed.values())


def test_every_format_keeps_arbitrary_columns_and_escapes_them(seeds, tmp_path):
    out = tmp_path / "out"
    export_cli(seeds, out, nasty_csv(tmp_path / "in"))
    name = "import_we_ird_name"
    assert (out / f"niger_forces_{name}.geojson").exists()
    columns = set(export_columns(HEADER).values()) - {"start"}  # read back as a date by pyogrio's GeoJSON reader
    for path, layer in ((out / "niger_forces.gpkg", name), (out / "niger_forces.kml", name),
                        (out / f"niger_forces_{name}.geojson", None)):
        frame = pyogrio.read_dataframe(path, layer=layer).sort_values("feature_id")
        assert columns <= set(frame.columns), path
        assert list(frame["notes"]) == [ROWS[0][-1], ROWS[1][-1]]
    kml = ET.parse(out / "niger_forces.kml").getroot()  # well-formed despite ']]>' and \x01
    names = [e.text for e in kml.iter("{http://www.opengis.net/kml/2.2}name")]
    assert "<b>A</b> ]] >  é" in names
    page = (out / "niger_forces.html").read_text(encoding="utf-8")
    assert "<b>A" not in page and "<script>alert" not in page and "red;</style>" not in page
    legend = json.loads(re.search(r'id="geo-data">(.*?)</script>', page, re.S).group(1))["legend"]
    assert "<b>Your layers</b>" in legend and "we ird&lt;name&gt;</div>" in legend
    styles = read_styles(out / "niger_forces.gpkg").set_index("f_table_name")
    assert 'type="singleSymbol"' in styles.loc[name, "styleQML"]
    export_cli(seeds, tmp_path / "again", nasty_csv(tmp_path / "in"))
    assert sha256s(out) == sha256s(tmp_path / "again")


def test_instants_get_the_display_window_and_snapshots_hold_the_day(seeds, tmp_path):
    layer = FIXTURES / "acled_sample.csv"
    export_cli(seeds, tmp_path / "all", layer, fmt="geojson")
    export_cli(seeds, tmp_path / "day", layer, fmt="geojson", day="2024-06-05")
    whole = json.loads((tmp_path / "all" / "niger_forces_import_acled_sample.geojson").read_text(encoding="utf-8"))
    spans = {f["properties"]["event_id_cnty"]: (f["properties"]["start_date"], f["properties"]["end_date"])
             for f in whole["features"]}
    assert spans == {"NIG1": ("2024-05-01", "2024-05-31"), "NIG2": ("2024-05-12", "2024-06-11")}
    day = tmp_path / "day" / "niger_forces_2024-06-05_import_acled_sample.geojson"
    features = json.loads(day.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["event_id_cnty"] for f in features] == ["NIG2"]


def test_gpkg_dates_of_imported_intervals(seeds, tmp_path):
    export_cli(seeds, tmp_path, nasty_csv(tmp_path / "in"), fmt="gpkg")
    frame = pyogrio.read_dataframe(tmp_path / "niger_forces.gpkg", layer="import_we_ird_name")
    assert pd.api.types.is_datetime64_any_dtype(frame["start_date"])
    assert sorted(frame["end_date"].dt.strftime("%Y-%m-%d").fillna("")) == ["", "2024-06-01"]


def test_html_warns_about_imported_layers_too_big_to_draw_one_by_one():
    def frame(layer: str, rows: int) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame({"layer": [layer] * rows}, geometry=[None] * rows)

    frames = {"towns": frame("towns", 2001), "import_small": frame("import:small", 5), "import_big": frame("import:big", 2001)}
    (note,) = html_warnings(frames)
    assert note.startswith("warning: import_big has 2,001 features; the HTML page draws each one")


def test_layer_frames_are_the_registry_then_imports_under_safe_unique_names(dataset):
    from geo.exports.frames import layer_frames
    from geo.imports.reader import read_layer
    from layers import REGISTRY

    layer = read_layer(FIXTURES / "acled_sample.csv", name="Données ACLED!")
    imports = {Path("k1", "a.csv"): layer, Path("k2", "a.csv"): layer}
    frames, titles = layer_frames(dataset, {"towns": REGISTRY["towns"]}, imports, day=None)
    assert list(frames) == list(titles) == ["towns", "import_donnees_acled", "import_donnees_acled_2"]
    assert titles["towns"] == REGISTRY["towns"].TITLE and titles["import_donnees_acled"] == "Imported: Données ACLED! (a.csv)"
    assert len(frames["towns"]) == len(REGISTRY["towns"].build(dataset)) and len(frames["import_donnees_acled"]) == len(layer.frame)
