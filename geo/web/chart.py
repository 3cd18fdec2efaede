"""The deployments Gantt (Altair -> Vega-Lite): a bar per force and site, faded across uncertain ends; milestones."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from geo.data.dataset import Dataset
from geo.data.windows import CERTAIN, UNCERTAIN, Span, row_span
from geo.web.text import milestones
from geo.web.url import Bounds

BAR_OPACITY = [0.9, 0.25]  # surely there; possibly there (a start or end window)
DAY_DATA = "selected_day"  # the named dataset of the day's rule: the one part of the chart that changes with the day


def bar_pieces(stay: Span, bounds: Bounds) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
    """[from, until) pieces of one deployment's bar: faded where it may have been there, solid where it surely was;
    open sides run to the timeline's edges."""
    first, last = pd.Timestamp(bounds[0]), pd.Timestamp(bounds[1])
    since, until = stay.possible()
    since, until = since if since is not None else first, until if until is not None else last
    sure = stay.certain()
    if sure is None:
        return [(since, until, UNCERTAIN)]
    sure_until = sure[1] if sure[1] is not None else last
    pieces = [(since, sure[0], UNCERTAIN), (sure[0], sure_until, CERTAIN), (sure_until, until, UNCERTAIN)]
    return [piece for piece in pieces if piece[0] < piece[1]]


def deployment_rows(dataset: Dataset, bounds: Bounds) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per piece of each deployment's bar (force, "force at site", ISO start and end, certainty) and each
    force's colour."""
    deps = dataset["deployments"].merge(dataset.actors[["actor_id", "name", "colour"]], on="actor_id")
    sites = dataset["sites"][["site_id", "name"]].rename(columns={"name": "site"})
    deps = deps.merge(sites, on="site_id").sort_values(["name", "start"])
    rows = pd.DataFrame.from_records(
        [{"deployment_id": d["deployment_id"], "force": d["name"], "row": f"{d['name']} at {d['site']}",
          "start": start.strftime("%Y-%m-%d"), "end": end.strftime("%Y-%m-%d"), "certainty": certainty}
         for _, d in deps.iterrows() for start, end, certainty in bar_pieces(row_span(d), bounds)],
        columns=["deployment_id", "force", "row", "start", "end", "certainty"])
    return rows, dict(zip(deps["name"], deps["colour"]))


def deployments_chart(dataset: Dataset, bounds: Bounds) -> alt.LayerChart:
    """A bar per actor and site over its deployment, ticks at milestones, and a rule at the day in DAY_DATA."""
    rows, colours = deployment_rows(dataset, bounds)
    domain = alt.Scale(domain=[bounds[0].isoformat(), bounds[1].isoformat()])
    bars = alt.Chart(rows).mark_bar(cornerRadius=2, clip=True).encode(
        x=alt.X("start:T", title=None, scale=domain), x2="end:T",
        y=alt.Y("row:N", title=None, sort=None, axis=alt.Axis(labelLimit=360, labelOverlap=False)),
        color=alt.Color("force:N", scale=alt.Scale(domain=list(colours), range=list(colours.values())), legend=None),
        opacity=alt.Opacity("certainty:N", scale=alt.Scale(domain=[CERTAIN, UNCERTAIN], range=BAR_OPACITY), legend=None),
        tooltip=["row", "start", "end", "certainty"])
    marks = milestones(dataset).assign(day=lambda m: m["date"].dt.strftime("%Y-%m-%d"))[["day", "kind", "title"]]
    ticks = alt.Chart(marks).mark_rule(color="#999999", strokeDash=[2, 2], clip=True).encode(
        x="day:T", tooltip=["day", "kind", "title"])
    rule = alt.Chart(alt.NamedData(name=DAY_DATA)).mark_rule(color="#b00020", size=2).encode(x="day:T")
    return (ticks + bars + rule).properties(height=max(120, 24 * rows["row"].nunique()))


def timeline_spec(dataset: Dataset, bounds: Bounds) -> dict:
    """The chart as a Vega-Lite dict, data inlined, without a day (see with_day): built once per dataset."""
    return deployments_chart(dataset, bounds).to_dict()


def with_day(spec: dict, day: dt.date) -> dict:
    """The chart with its rule at `day`: a new top-level dict, the shared spec left as it was."""
    return {**spec, "datasets": {**spec.get("datasets", {}), DAY_DATA: [{"day": day.isoformat()}]}}
