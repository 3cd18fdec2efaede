"""`python -m geo summary`: who is where on a day, with sources (text or JSON)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from geo import settings
from geo.cli.options import EXIT_CODES, EXIT_OK, add_layer_options, add_seeds, imported, iso_day
from geo.data.dataset import Dataset, load_dataset
from geo.exports.common import plain
from geo.exports.frames import layer_summary, summary_lines
from layers import deployments, events


def ids(cell: str) -> list[str]:
    return [item for item in cell.split(";") if item]


def summary_state(dataset: Dataset, day: dt.date) -> dict:
    """The state on a day: every deployment present, and the events of that day and the 30 days before."""
    present = deployments.build(dataset, day=day).sort_values(["actor_id", "site_name"])
    recent = events.build(dataset, day=day).sort_values(["start_date", "event_id"])
    keys = ["deployment_id", "actor_id", "actor_name", "site_id", "site_name", "lon", "lat", "strength_min",
            "strength_max", "strength_label", "strength_as_of", "strength_scope", "status", "confidence",
            "location_precision"]
    return {
        "date": day.isoformat(),
        "dataset_version": dataset.version,
        "deployments": [{**{k: plain(row[k]) for k in keys}, "source_ids": ids(row["source_ids"])}
                        for _, row in present.iterrows()],
        "events": [
            {"event_id": row["event_id"], "date": row["start_date"].date().isoformat(),
             "date_precision": row["date_precision"], "kind": row["kind"], "title": row["name"],
             "actor_ids": ids(row["actor_ids"]), "site_name": row["site_name"], "confidence": row["confidence"],
             "source_ids": ids(row["source_ids"])}
            for _, row in recent.iterrows()
        ],
    }


def print_summary(state: dict) -> None:
    """Human-readable summary: one line per deployment, then the recent events."""
    print(f"State on {state['date']} (dataset {state['dataset_version']})")
    print(f"\nDeployments ({len(state['deployments'])}):")
    for d in state["deployments"]:
        reported = f"{d['strength_label']} as of {d['strength_as_of']} ({d['strength_scope']})"
        strength = reported if d["strength_as_of"] else "strength not reported"
        print(f"  {d['actor_id']:<4} {d['site_name']} [{d['status']}] {strength}; sources {', '.join(d['source_ids'])}")
    print(f"\nEvents in the {settings.EVENT_WINDOW_DAYS} days to {state['date']} ({len(state['events'])}):")
    for e in state["events"]:
        print(f"  {e['date']} {e['kind']}: {e['title']} ({', '.join(e['source_ids'])})")
    for entry in state["layers"]:
        print("\n".join(summary_lines(entry)))


def run(args: argparse.Namespace) -> int:
    layers = imported(args)
    state = summary_state(load_dataset(args.seeds), args.date)
    state["layers"] = [layer_summary(path, layer, args.date) for path, layer in layers.items()]
    if args.json:
        json.dump(state, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_summary(state)
    return EXIT_OK


def add(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("summary", help="who is where on a day, with sources", epilog=EXIT_CODES)
    command.add_argument("--date", type=iso_day, required=True, help="the day, YYYY-MM-DD")
    command.add_argument("--json", action="store_true",
                         help="print one JSON object: date, dataset_version, deployments, events, layers")
    add_seeds(command)
    add_layer_options(command)
    command.set_defaults(run=run)
