"""The deployments Gantt as a Vega-Lite spec: a bar per force and site, faded across uncertain ends; milestones."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.data.dataset import Dataset
from geo.data.windows import CERTAIN, UNCERTAIN, Span, row_span
from geo.web.text import milestones
from geo.web.url import Bounds

BAR_OPACITY = [0.9, 0.25]  # surely there; possibly there (a start or end window)
DAY_DATA = "selected_day"  # the named dataset of the day's rule: the one part of the chart that changes with the day
MILESTONE_DATA, DEPLOYMENT_DATA = "milestones", "deployments"


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


def timeline_spec(dataset: Dataset, bounds: Bounds) -> dict:
    """A bar per actor and site over its deployment, ticks at milestones and a rule at the day in DAY_DATA (see
    with_day): a Vega-Lite dict with its data inlined as named datasets, built once per dataset. Written by hand:
    Altair took ~0.4 s to import and ~0.3 s to build and validate this on a server's first run."""
    rows, colours = deployment_rows(dataset, bounds)
    marks = milestones(dataset).assign(day=lambda m: m["date"].dt.strftime("%Y-%m-%d"))[["day", "kind", "title"]]
    return {
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
        "layer": [ticks_layer(), bars_layer(colours, bounds), day_layer()],
        "height": max(120, 24 * rows["row"].nunique()),
        "datasets": {MILESTONE_DATA: marks.to_dict("records"), DEPLOYMENT_DATA: rows.to_dict("records")},
    }


def nominal(*fields: str) -> list[dict]:
    return [{"field": field, "type": "nominal"} for field in fields]


def ticks_layer() -> dict:
    return {"data": {"name": MILESTONE_DATA},
            "mark": {"type": "rule", "clip": True, "color": "#999999", "strokeDash": [2, 2]},
            "encoding": {"tooltip": nominal("day", "kind", "title"), "x": {"field": "day", "type": "temporal"}}}


def bars_layer(colours: dict[str, str], bounds: Bounds) -> dict:
    legendless = {"legend": None, "type": "nominal"}
    return {"data": {"name": DEPLOYMENT_DATA},
            "mark": {"type": "bar", "clip": True, "cornerRadius": 2},
            "encoding": {
                "color": {"field": "force", "scale": {"domain": list(colours), "range": list(colours.values())},
                          **legendless},
                "opacity": {"field": "certainty", "scale": {"domain": [CERTAIN, UNCERTAIN], "range": BAR_OPACITY},
                            **legendless},
                "tooltip": nominal("row", "start", "end", "certainty"),
                "x": {"field": "start", "scale": {"domain": [bounds[0].isoformat(), bounds[1].isoformat()]},
                      "title": None, "type": "temporal"},
                "x2": {"field": "end"},
                "y": {"axis": {"labelLimit": 360, "labelOverlap": False}, "field": "row", "sort": None, "title": None,
                      "type": "nominal"}}}


def day_layer() -> dict:
    return {"data": {"name": DAY_DATA}, "mark": {"type": "rule", "color": "#b00020", "size": 2},
            "encoding": {"x": {"field": "day", "type": "temporal"}}}


def with_day(spec: dict, day: dt.date) -> dict:
    """The chart with its rule at `day`: a new top-level dict, the shared spec left as it was."""
    return {**spec, "datasets": {**spec.get("datasets", {}), DAY_DATA: [{"day": day.isoformat()}]}}
