"""A second, made-up theatre (tests/fixtures/second_theatre) through validate, summary, every export and the app."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pytest
from streamlit.testing.v1 import AppTest

from geo.cli import main
from geo.exports import FORMATS
from tests.conftest import opened

THEATRE = Path(__file__).resolve().parent / "fixtures" / "second_theatre"
APP = str(Path(__file__).resolve().parent.parent / "app.py")
FIRST_DAY, LAST_DAY = dt.date(2023, 1, 1), dt.date(2024, 12, 31)  # the scenario's timeline


def test_validate_and_summary_read_the_other_theatre(capsys):
    assert main(["validate", "--seeds", str(THEATRE)]) == 0
    assert main(["summary", "--date", "2024-06-01", "--json", "--seeds", str(THEATRE)]) == 0
    state = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert state["date"] == "2024-06-01"
    assert sorted(d["actor_id"] for d in state["deployments"]) == ["BLU", "RED"]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_export_is_named_and_titled_by_the_scenario(tmp_path, fmt):
    assert main(["export", "--format", fmt, "--out", str(tmp_path), "--seeds", str(THEATRE)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names and all(name.startswith("testland_forces") for name in names)
    if fmt == "html":
        page = (tmp_path / "testland_forces.html").read_text(encoding="utf-8")
        assert "<title>Forces in Testland</title>" in page and "Niger" not in page
        assert '"center":[15.0,10.0],"zoom":5' in page and '"start":"2023-01-01","end":"2024-12-31"' in page
    if fmt == "kml":
        document = ET.parse(tmp_path / "testland_forces.kml").getroot()[0]
        assert document.findtext("{http://www.opengis.net/kml/2.2}name") == "Forces in Testland"
    if fmt == "gpkg":
        layers = dict(pyogrio.list_layers(tmp_path / "testland_forces.gpkg"))
        assert {"deployments", "regions", "sources"} <= set(layers)
        roles = pyogrio.read_dataframe(tmp_path / "testland_forces.gpkg", layer="countries", read_geometry=False)
        assert dict(zip(roles["iso_a3"], roles["role"])) == {"AAA": "focus", "BBB": "neighbour"}


def test_the_app_opens_on_the_other_theatre(monkeypatch):
    monkeypatch.setenv("GEO_SEEDS_DIR", str(THEATRE))
    at = opened(AppTest.from_file(APP, default_timeout=60).run())
    assert not at.exception and not at.error
    assert at.title[0].value == "Forces in Testland on 1 Jun 2024"
    assert "Testland's provinces" in [box.label for box in at.sidebar.checkbox]
    slider = at.slider(key="day")
    bounds = [dt.datetime.fromtimestamp(us / 1e6, dt.UTC).date() for us in (slider.min, slider.max)]
    assert bounds == [FIRST_DAY, LAST_DAY] and slider.value == dt.date(2024, 6, 1)
