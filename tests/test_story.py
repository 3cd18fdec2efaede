"""The guided story: validated as data, opened by ?story=N, Previous/Next move day, view and highlights together."""

from __future__ import annotations

import datetime as dt

import pytest

from geo import settings
from geo.data.dataset import load_dataset
from geo.data.schema import SeedError
from geo.data.story import steps
from tests.conftest import write_seeds
from tests.test_seed_panel import real_app
from ui import mapview


@pytest.fixture
def views(monkeypatch) -> list[dict]:
    """Every map the app shows: its center, zoom and feature group names (the pre-rendered path, ui.mapparts)."""
    recorded: list[dict] = []

    def fake_show_map(parts, groups, **kwargs) -> None:
        recorded.append({"center": kwargs.get("center"), "zoom": kwargs.get("zoom"), "groups": [t for t, _ in groups]})

    monkeypatch.setattr(mapview, "show_map", fake_show_map)
    return recorded


def test_bundled_story_walks_the_timeline_citing_known_sources():
    dataset = load_dataset(settings.SEEDS_DIR)
    story = steps(dataset["story"])
    start, end = dataset.scenario.timeline
    assert 6 <= len(story) <= 9 and [s.number for s in story] == list(range(1, len(story) + 1))
    assert story[0].day == start and all(a.day < b.day for a, b in zip(story, story[1:])) and story[-1].day <= end
    known = set(dataset.sources["source_id"])
    assert all(s.source_ids and set(s.source_ids.split(";")) <= known for s in story)


def test_story_with_unknown_row_or_date_outside_the_timeline_is_reported(tmp_path, tables):
    tables["story"][0].update(rows="events:NOPE", date="2030-01-01")
    with pytest.raises(SeedError) as error:
        load_dataset(write_seeds(tmp_path / "seeds", tables))
    found = {(p.file, p.field, p.value) for p in error.value.problems}
    assert ("story.csv", "rows", "events:NOPE") in found and ("story.csv", "date", "2030-01-01") in found


def test_story_link_opens_a_step_and_next_follows(monkeypatch, views):
    at = real_app(monkeypatch, story="3")
    story = steps(load_dataset(settings.SEEDS_DIR)["story"])
    assert not at.exception and at.session_state["day"] == story[2].day
    assert views[-1]["center"] == story[2].center and views[-1]["zoom"] == story[2].zoom
    assert "Story: highlighted" in views[-1]["groups"]
    assert at.session_state["layer:countries"] and not at.session_state["layer:movements"]  # base map kept, step's layers
    assert f"step 3 of {len(story)}" in at.markdown[0].value
    at.button(key="story_next").click().run()
    assert at.session_state["day"] == story[3].day and at.query_params["story"] == "4"
    assert views[-1]["center"] == story[3].center
    at.button(key="story_leave").click().run()
    assert views[-1]["center"] is None and "story" not in at.query_params


def test_story_starts_from_the_sidebar_and_a_bad_step_is_ignored(monkeypatch, views):
    at = real_app(monkeypatch, story="99", date="2024-01-02")
    assert not at.exception and at.session_state["day"] == dt.date(2024, 1, 2) and views[-1]["center"] is None
    at.button(key="story_start").click().run()
    assert at.session_state["story_step"] == 1 and at.session_state["day"] == dt.date(2023, 7, 26)
