"""The Streamlit app under streamlit.testing: no exception, day-driven feature groups, URL state, seed errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import folium
import pytest
import streamlit_folium
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def calls(monkeypatch) -> list[dict]:
    """Every st_folium call the app makes: the base map's key and the day's feature groups, by tooltip text."""
    recorded: list[dict] = []

    def fake_st_folium(fig: folium.Map, **kwargs) -> dict:
        groups = kwargs.get("feature_group_to_add") or []
        recorded.append({"key": kwargs.get("key"), "groups": {g.layer_name: tooltips(g) for g in groups},
                         "base": sorted(tooltips(fig))})
        return {}

    monkeypatch.setattr(streamlit_folium, "st_folium", fake_st_folium)
    return recorded


def tooltips(element: folium.Element) -> list[str]:
    """The tooltip texts under an element, depth first."""
    found = [element.text.strip()] if isinstance(element, folium.Tooltip) else []
    for child in element._children.values():
        found += tooltips(child)
    return found


def app(monkeypatch, seeds: Path, **query: str) -> AppTest:
    monkeypatch.setenv("GEO_SEEDS_DIR", str(seeds))
    test = AppTest.from_file(APP, default_timeout=60)
    test.query_params.update(query)
    return test.run()


def test_app_runs_without_exception(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds)
    assert not at.exception and not at.error
    assert calls[-1]["key"] == "map"
    assert "3 May 2024" in at.title[0].value
    assert any("Russians enter the base" in m.value for m in at.markdown)


def test_moving_the_slider_changes_only_the_feature_groups(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds)
    before = calls[-1]
    at.slider(key="day").set_value(dt.date(2023, 8, 1)).run()
    after = calls[-1]
    assert not at.exception
    assert any("Russia" in t for t in before["groups"]["Forces present"])
    assert not any("Russia" in t for t in after["groups"]["Forces present"])
    assert after["base"] == before["base"]
    assert at.query_params["date"] == "2023-08-01"


def test_step_buttons_and_milestone_jump(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds, date="2024-05-03")
    at.radio(key="step").set_value("1 week").run()
    at.button[1].click().run()
    assert at.slider(key="day").value == dt.date(2024, 5, 10)
    at.selectbox(key="milestone").set_value(dt.date(2024, 4, 19)).run()
    assert at.slider(key="day").value == dt.date(2024, 4, 19)


def test_query_params_restore_date_layers_and_actors(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds, date="2023-09-08", layers="countries,deployments", actors="USA")
    assert at.slider(key="day").value == dt.date(2023, 9, 8)
    assert at.checkbox(key="layer:deployments").value and not at.checkbox(key="layer:events").value
    assert set(calls[-1]["groups"]) == {"Sahel alliance", "Forces present"}
    assert at.multiselect(key="actors").value == ["USA"]
    assert at.query_params["layers"] == "countries,deployments"


def test_actor_filter_hides_other_forces(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds, actors="RUS")
    forces = calls[-1]["groups"]["Forces present"]
    assert forces and all("Russia" in t for t in forces)


def test_broken_seeds_show_the_error_not_a_traceback(monkeypatch, tmp_path, calls):
    at = app(monkeypatch, tmp_path / "missing")
    assert not at.exception
    assert "not valid" in at.error[0].value
    assert "actors.csv" in at.code[0].value
    assert not calls


def test_an_edited_invalid_seed_keeps_the_last_good_dataset(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds)
    actors = seeds / "data" / "actors.csv"
    actors.write_text(actors.read_text().replace("#0072B2", "blue"))
    at.run()
    assert not at.exception
    assert "colour" in at.code[0].value
    assert at.warning and "last valid dataset" in at.warning[0].value
    assert calls[-1]["groups"]["Forces present"]


def test_naive_rerender_passes_everything_in_the_map(monkeypatch, seeds, calls):
    monkeypatch.setenv("GEO_NAIVE_RERENDER", "1")
    app(monkeypatch, seeds)
    assert calls[-1]["groups"] == {}
    assert any("Russia" in t for t in calls[-1]["base"])
