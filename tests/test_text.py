"""geo.web.text: milestones, escaped markdown, event and change lists with sources."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.web import text


def test_milestones_keep_only_milestone_kinds_by_date(dataset):
    assert list(text.milestones(dataset)["event_id"]) == ["E2"]
    assert text.milestone_labels(dataset) == {dt.date(2024, 4, 19): "19 Apr 2024: Agreement in Washington"}


def test_md_escapes_markdown_and_html():
    assert text.md("<b>[x](y)</b>*") == r"\<b\>\[x\]\(y\)\<\/b\>\*"
    assert ":material/" not in text.md(":material/warning:")  # Streamlit's icon syntax, matched in the raw source


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
                     "- Figure: United States US compound, ≤ 500 as of Jun 2024"]  # S3 'up to 500', effective 1 Jun
