"""The deployments timeline chart (Altair -> Vega-Lite spec): a bar per force and site, milestones, the day."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from geo.data.dataset import Dataset
from geo.web.text import milestones
from geo.web.url import Bounds


def deployment_rows(dataset: Dataset, bounds: Bounds) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per deployment (force, "force at site", ISO start and end) and each force's colour."""
    deps = dataset["deployments"].merge(dataset.actors[["actor_id", "name", "colour"]], on="actor_id")
    sites = dataset["sites"][["site_id", "name"]].rename(columns={"name": "site"})
    deps = deps.merge(sites, on="site_id").sort_values(["name", "start"])
    rows = pd.DataFrame({"force": deps["name"], "row": deps["name"] + " at " + deps["site"],
                         "start": deps["start"].dt.strftime("%Y-%m-%d"),
                         "end": deps["end"].fillna(pd.Timestamp(bounds[1])).dt.strftime("%Y-%m-%d")})
    return rows, dict(zip(deps["name"], deps["colour"]))


def deployments_chart(dataset: Dataset, day: dt.date, bounds: Bounds) -> alt.LayerChart:
    """A bar per actor and site over its deployment, a rule at the selected day, ticks at milestones."""
    rows, colours = deployment_rows(dataset, bounds)
    domain = alt.Scale(domain=[bounds[0].isoformat(), bounds[1].isoformat()])
    bars = alt.Chart(rows).mark_bar(cornerRadius=2, clip=True).encode(
        x=alt.X("start:T", title=None, scale=domain), x2="end:T",
        y=alt.Y("row:N", title=None, sort=None, axis=alt.Axis(labelLimit=360, labelOverlap=False)),
        color=alt.Color("force:N", scale=alt.Scale(domain=list(colours), range=list(colours.values())), legend=None),
        tooltip=["row", "start", "end"])
    marks = milestones(dataset).assign(day=lambda m: m["date"].dt.strftime("%Y-%m-%d"))[["day", "kind", "title"]]
    ticks = alt.Chart(marks).mark_rule(color="#999999", strokeDash=[2, 2], clip=True).encode(
        x="day:T", tooltip=["day", "kind", "title"])
    rule = alt.Chart(pd.DataFrame({"day": [day.isoformat()]})).mark_rule(color="#b00020", size=2).encode(x="day:T")
    return (ticks + bars + rule).properties(height=max(120, 24 * len(rows)))


def deployments_spec(dataset: Dataset, day: dt.date, bounds: Bounds) -> dict:
    """The chart as a Vega-Lite dict, data inlined: cheap to cache and to hand to a renderer."""
    return deployments_chart(dataset, day, bounds).to_dict()
