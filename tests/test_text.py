"""geo.web.text: timeline bounds, milestones, URL days, escaped markdown, event and change lists."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo import settings
from geo.web import text

BOUNDS = (dt.date(2023, 7, 26), dt.date(2024, 9, 30))


def test_bounds_start_at_the_coup_and_reach_the_last_change(dataset):
    assert text.timeline_bounds(dataset) == (settings.TIMELINE_START, settings.TIMELINE_END)


def test_milestones_keep_only_milestone_kinds_by_date(dataset):
    assert list(text.milestones(dataset)["event_id"]) == ["E2"]
    assert text.milestone_labels(dataset) == {dt.date(2024, 4, 19): "19 Apr 2024: Agreement in Washington"}


def test_parse_day_clamps_and_falls_back_to_the_default():
    assert text.parse_day("2020-01-01", BOUNDS) == BOUNDS[0]
    assert text.parse_day("2024-02-03", BOUNDS) == dt.date(2024, 2, 3)
    assert text.parse_day("not a day", BOUNDS) == settings.DEFAULT_DAY


def test_md_escapes_markdown_and_html():
    assert text.md("<b>[x](y)</b>*") == r"\<b\>\[x\]\(y\)\</b\>\*"


def test_source_links_escape_titles_and_parentheses_in_urls():
    sources = pd.DataFrame({"source_id": ["A", "B"], "title": ["A *title*", "B"], "url": ["https://x.org/a(1)", ""]})
    assert text.source_links("A;B;missing", sources) == r"[A \*title\*](https://x.org/a%281%29); B"


def test_event_lines_list_events_near_the_day_with_sources(dataset):
    lines = text.event_lines(dataset, dt.date(2024, 5, 3))
    assert len(lines) == 2 and "Russians enter the base" in lines[1] and "https://example.org/a" in lines[1]
    assert text.event_lines(dataset, dt.date(2023, 8, 1)) == []


def test_changes_since_the_previous_milestone(dataset):
    since, caption = text.changes_caption(dataset, dt.date(2024, 6, 2))
    assert since == pd.Timestamp("2024-04-19") and caption.startswith("From 19 Apr 2024 (Agreement in Washington)")
    lines = text.change_lines(dataset, since, dt.date(2024, 6, 2))
    assert lines == ["- Arrived: Russia at Russian compound (2 May 2024)",
                     "- Strength report: United States US compound, ?-500 as of Jun 2024"]


def test_for_actors_filters_single_and_listed_actors():
    single = pd.DataFrame({"actor_id": ["USA", "RUS"]})
    listed = pd.DataFrame({"actor_ids": ["USA;RUS", "NER"]})
    assert list(text.for_actors(single, ["RUS"])["actor_id"]) == ["RUS"]
    assert list(text.for_actors(listed, ["RUS"])["actor_ids"]) == ["USA;RUS"]
    assert len(text.for_actors(pd.DataFrame({"name": ["x"]}), [])) == 1


def test_url_state_restores_a_link_and_defaults_to_everything():
    state = text.url_state({"date": "2023-09-08", "layers": "deployments", "actors": "RUS,XXX"}, BOUNDS,
                            ["countries", "deployments"], ["USA", "RUS"])
    assert state == {"day": dt.date(2023, 9, 8), "layer:countries": False, "layer:deployments": True, "actors": ["RUS"]}
    state = text.url_state({}, BOUNDS, ["countries"], ["USA"])
    assert state == {"day": settings.DEFAULT_DAY, "layer:countries": True, "actors": ["USA"]}
