"""`python -m geo summary`: who is where on a day, with sources (text or JSON)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from geo import settings
from geo.cli.options import EXIT_CODES, EXIT_OK, add_layer_options, add_seeds, imported, iso_day
from geo.data.dataset import Dataset, load_dataset
from geo.data.records import plain
from geo.exports.frames import layer_summary, summary_lines
from layers import deployments, events, figures


def ids(cell: str) -> list[str]:
    return [item for item in cell.split(";") if item]


DEPLOYMENT_KEYS = ["deployment_id", "actor_id", "actor_name", "site_id", "site_name", "lon", "lat", "certainty",
                   "start_earliest", "start_latest", "end_earliest", "end_latest", "strength_min", "strength_max",
                   "strength_label", "strength_as_of", "strength_scope", "status", "confidence", "location_precision"]


def age_on(effective: str, day: dt.date) -> int | None:
    """Whole days from a figure's effective day (ISO) to day, or None without a figure."""
    return (day - dt.date.fromisoformat(effective)).days if effective else None


def summary_state(dataset: Dataset, day: dt.date) -> dict:
    """The state on a day: every deployment surely or possibly present (with its start and end windows), each site's
    own figure, country-wide figures once per country, and the events of that day and the 30 days before."""
    present = deployments.build(dataset, day=day).sort_values(["actor_id", "site_name"])
    shown = figures.build(dataset, day=day)
    wide = shown[shown["kind"] == "country"].sort_values(["country", "actor_id"])
    recent = events.build(dataset, day=day).sort_values(["start_date", "event_id"])
    return {
        "date": day.isoformat(),
        "dataset_version": dataset.version,
        "deployments": [{**{k: plain(row[k]) for k in DEPLOYMENT_KEYS},
                         "strength_age_days": age_on(row["strength_effective"], day),
                         "source_ids": ids(row["source_ids"])} for _, row in present.iterrows()],
        "country_figures": [
            {"country": row["country"], "actor_id": row["actor_id"], "strength_min": plain(row["strength_min"]),
             "strength_max": plain(row["strength_max"]), "strength_label": row["strength_label"],
             "as_of": row["strength_as_of"], "age_days": age_on(row["strength_effective"], day),
             "confidence": row["confidence"], "source_ids": ids(row["source_ids"])}
            for _, row in wide.iterrows()
        ],
        "events": [
            {"event_id": row["event_id"], "date": row["start_date"].date().isoformat(),
             "date_precision": row["date_precision"], "kind": row["kind"], "title": row["name"],
             "actor_ids": ids(row["actor_ids"]), "site_name": row["site_name"], "confidence": row["confidence"],
             "source_ids": ids(row["source_ids"])}
            for _, row in recent.iterrows()
        ],
    }


def window_text(earliest: str | None, latest: str | None) -> str:
    """'2024-04-10..2024-05-02', '..2024-09-16' (open early), '2024-03-01..' (open late), or the one day."""
    return earliest or "" if earliest == latest else f"{earliest or ''}..{latest or ''}"


def deployment_line(d: dict) -> str:
    """One deployment: who, where, certainty with its windows, its site's own figure, sources."""
    reported = f"{d['strength_label']} as of {d['strength_as_of']} ({d['strength_age_days']} days earlier)"
    strength = reported if d["strength_as_of"] else "no figure for this site"
    certainty = "" if d["certainty"] == "certain" else (
        f" POSSIBLY PRESENT (arrived {window_text(d['start_earliest'], d['start_latest'])}"
        f", left {window_text(d['end_earliest'], d['end_latest']) or 'not recorded'})")
    return (f"  {d['actor_id']:<4} {d['site_name']} [{d['status']}]{certainty} {strength}; "
            f"sources {', '.join(d['source_ids'])}")


def print_summary(state: dict) -> None:
    """Human-readable summary: deployments (possibly present ones marked), country-wide figures, recent events."""
    print(f"State on {state['date']} (dataset {state['dataset_version']})")
    print(f"\nDeployments ({len(state['deployments'])}):")
    for d in state["deployments"]:
        print(deployment_line(d))
    print(f"\nCountry-wide figures ({len(state['country_figures'])}):")
    for f in state["country_figures"]:
        print(f"  {f['actor_id']:<4} in {f['country']}: {f['strength_label']} as of {f['as_of']} "
              f"({f['age_days']} days earlier); sources {', '.join(f['source_ids'])}")
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
                         help="print one JSON object: date, dataset_version, deployments, country_figures, events, layers")
    add_seeds(command)
    add_layer_options(command)
    command.set_defaults(run=run)
