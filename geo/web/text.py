"""What the app shows beside the map (no streamlit): milestones, escaped event and change lists with sources."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from geo import settings
from geo.data.dataset import Dataset
from geo.data.people import people_text, person_labels
from geo.data.timeline import Reading, format_day, takes_effect
from geo.data.windows import describe, window


def milestones(dataset: Dataset) -> pd.DataFrame:
    """Milestone events (coup, agreements, handovers, departures, deadlines), by date."""
    events = dataset["events"]
    return events[events["kind"].isin(settings.MILESTONE_KINDS)].sort_values(["date", "event_id"])


def milestone_labels(dataset: Dataset) -> dict[dt.date, str]:
    """Milestone day -> "3 May 2024: title", for a quick-jump list."""
    return {row["date"].date(): f"{format_day(row['date'])}: {row['title']}" for _, row in milestones(dataset).iterrows()}


def md(value: object) -> str:
    """Escape markdown (and HTML) control characters in data shown with st.markdown.

    "/" too: Streamlit rewrites ":material/" in the raw source into an icon, escaped colons or not.
    """
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:/])", r"\\\1", str(value))


def source_links(source_ids: str, sources: pd.DataFrame) -> str:
    """The cited sources as escaped markdown links (plain titles when a source has no URL)."""
    table = dict(zip(sources["source_id"], zip(sources["title"], sources["url"])))
    links = []
    for title, url in [table[s] for s in source_ids.split(";") if s in table]:
        links.append(f"[{md(title)}]({url.replace('(', '%28').replace(')', '%29')})" if url else md(title))
    return "; ".join(links)


def event_lines(dataset: Dataset, day: dt.date) -> list[str]:
    """Markdown list items: the events within EVENT_WINDOW_DAYS either side of the day, each with its sources."""
    window, stamp, events = pd.Timedelta(days=settings.EVENT_WINDOW_DAYS), pd.Timestamp(day), dataset["events"]
    near = events[(events["date"] >= stamp - window) & (events["date"] <= stamp + window)].sort_values("date")
    return [event_line(e, dataset) for _, e in near.iterrows()]


def event_line(event: pd.Series, dataset: Dataset) -> str:
    """One event as a markdown list item: date, kind, title, sources, then its people and notes when it has them."""
    people = people_text(event["person_ids"], person_labels(dataset["people"]))
    extra = "".join(f"\n  - {label}: {md(value)}" for label, value in (("People", people), ("Notes", event["notes"])) if value)
    return (f"- **{md(format_day(event['date'], event['date_precision']))}** ({md(event['kind'])}) {md(event['title'])}: "
            f"{source_links(event['source_ids'], dataset.sources)}{extra}")


def changes_caption(dataset: Dataset, day: dt.date) -> tuple[pd.Timestamp, str]:
    """The previous milestone's date (the timeline start if none) and a caption "From <date> (<title>) to <day>"."""
    stamp, marks = pd.Timestamp(day), milestones(dataset)
    before = marks[marks["date"] < stamp]
    since = before["date"].iloc[-1] if len(before) else pd.Timestamp(dataset.scenario.timeline[0])
    title = f" ({md(before['title'].iloc[-1])})" if len(before) else ""
    return since, f"From {format_day(since)}{title} to {format_day(stamp)}"


def reading(row: pd.Series) -> str:
    """A strengths row's figure as worded: '~1,000', '< 500', '193 departed'."""
    low, high = (None if pd.isna(row[c]) else int(row[c]) for c in ("strength_min", "strength_max"))
    return Reading(low, high, row["qualifier"], row["measure"]).label()


def stated_window(row: pd.Series, column: str) -> str:
    """A start or end as its window: '7 Jul 2024', 'between 10 Apr 2024 and 2 May 2024', 'on or before ...'."""
    precision = row[f"{column}_precision"] or "day"
    return describe(window(row[column], precision, row[f"{column}_latest"]), precision)


def change_lines(dataset: Dataset, since: pd.Timestamp, day: dt.date, *, cite: bool = False) -> list[str]:
    """Markdown list items: deployments started or ended (their stored day in the period), and figures taking effect
    in (since, day]; cite adds sources."""
    stamp = pd.Timestamp(day)
    names = dict(zip(dataset.actors["actor_id"], dataset.actors["name"]))
    sites = dict(zip(dataset["sites"]["site_id"], dataset["sites"]["name"]))
    deps, strengths = dataset["deployments"], dataset["strengths"]

    def sourced(row: pd.Series) -> str:
        return f": {source_links(row['source_ids'], dataset.sources)}" if cite else ""

    effective = takes_effect(strengths)
    lines = [f"- {verb}: {md(names[d['actor_id']])} at {md(sites[d['site_id']])} ({stated_window(d, column)}){sourced(d)}"
             for verb, column in (("Arrived", "start"), ("Left", "end"))
             for _, d in deps[(deps[column] > since) & (deps[column] <= stamp)].iterrows()]
    return lines + [f"- Figure: {md(names[s['actor_id']])} {md(sites.get(s['site_id'], 'country-wide'))}, "
                    f"{md(reading(s))} as of {format_day(s['as_of'], s['as_of_precision'])}{sourced(s)}"
                    for _, s in strengths[(effective > since) & (effective <= stamp)].iterrows()]
