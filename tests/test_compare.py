"""Two dates side by side: ?date=A&compare=B draws two synced maps and what changed; bad pairs get one message."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import streamlit as st

from geo.web import compare
from geo.web.text import change_lines
from tests._browser import browser_page
from tests.test_app import first_run


@pytest.fixture
def frames_drawn(monkeypatch) -> list[str]:
    """The HTML of every st.iframe the app draws."""
    seen: list[str] = []
    monkeypatch.setattr(st, "iframe", lambda src, **kwargs: seen.append(src))
    return seen


def page_data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="compare-data">(.*?)</script>', page, re.S).group(1))


def test_compare_link_draws_two_maps_and_the_changes_with_sources(monkeypatch, seeds, frames_drawn):
    at = first_run(monkeypatch, seeds, date="2024-04-01", compare="2024-06-02")
    assert not at.exception and not at.error and len(frames_drawn) == 1
    assert 'id="map-a"' in frames_drawn[0] and 'id="map-b"' in frames_drawn[0]
    sides = page_data(frames_drawn[0])["sides"]
    assert [s["label"] for s in sides] == ["1 Apr 2024", "2 Jun 2024"]
    tips = [[f["properties"]["tooltip"] for f in s["features"]] for s in sides]
    russians = "Russia at Russian compound: present"
    assert not any(t.startswith(russians) for t in tips[0]) and any(t.startswith(russians) for t in tips[1])
    shown = "\n".join(m.value for m in at.markdown)
    assert "Arrived: Russia at Russian compound" in shown and "https://example.org/a" in shown
    assert at.query_params["compare"] == "2024-06-02"


@pytest.mark.parametrize("second", ["2024-04-01", "2023-09-01"])
def test_equal_or_reversed_dates_get_one_clear_message(monkeypatch, seeds, frames_drawn, second):
    at = first_run(monkeypatch, seeds, date="2024-04-01", compare=second)
    assert not at.exception and frames_drawn == [] and len(at.error) == 1
    assert "pick a second date after the first" in at.error[0].value


def test_change_lines_cite_sources_for_any_pair_of_days(dataset):
    import pandas as pd

    lines = change_lines(dataset, pd.Timestamp("2023-01-01"), dt.date(2024, 9, 1), cite=True)
    assert any(line.startswith("- Left: United States") and "example.org" in line for line in lines)


@pytest.mark.browser
def test_the_two_maps_draw_and_follow_each_other(dataset, tmp_path):
    from geo.web import daymap
    from layers import REGISTRY

    frames = {name: module.build(dataset).reset_index(drop=True) for name, module in REGISTRY.items()}
    features = daymap.day_features(frames, dataset.sources, ["deployments"])
    days = (dt.date(2024, 4, 1), dt.date(2024, 6, 2))
    sides = [(d, [t for t in features["deployments"].loc[daymap.day_rows(frames, d, [("deployments", "")],
                                                                           ["USA", "RUS"])[0][2]] if t])
             for d in days]
    path = tmp_path / "compare.html"
    path.write_text(compare.compare_html(dataset.scenario, [], sides), encoding="utf-8")
    with browser_page() as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_selector("#map-b path.leaflet-interactive")
        assert page.locator(".leaflet-container").count() == 2 and errors == []
        assert int(page.get_attribute("body", "data-features-b")) > int(page.get_attribute("body", "data-features-a"))
        page.evaluate("window.geoCompare.maps[0].setView([14, 6], 9, {animate: false})")
        assert page.evaluate("window.geoCompare.maps[1].getZoom()") == 9
        assert page.evaluate("window.geoCompare.maps[1].getCenter().lat") == pytest.approx(14)
        assert page.inner_text("#label-b") == "2 Jun 2024"
    assert blocked == []
