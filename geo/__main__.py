"""The command line: `python -m geo validate | summary | export` (run `python -m geo --help`)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd

from geo import settings
from geo.data.dataset import Dataset, load_dataset
from geo.exports.write import FORMATS, ExportError, export
from geo.imports.textfile import SEPARATOR_NAMES
from geo.exports.frames import hint, html_warnings, layer_frames, layer_summary, read_layers, summary_lines
from geo.imports.reader import ImportedLayer, ImportProblem
from geo.data.schema import SeedError
from geo.data.validate import parse_date
from layers import REGISTRY, deployments, events

EXIT_OK, EXIT_INVALID_DATA, EXIT_BAD_ARGUMENTS = 0, 1, 2
EXIT_CODES = ("exit status: 0 done; 1 the seeds are invalid (one report); 2 bad arguments, an unwritable or "
              "occupied output, or a --layer file that cannot be imported (one message naming file, row, column, "
              "value and what was expected)")


def iso_day(text: str) -> dt.date:
    """argparse type: a strict ISO 8601 day."""
    day = parse_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"got {text!r}, expected a date as YYYY-MM-DD, e.g. 2024-05-03")
    return day


def ids(cell: str) -> list[str]:
    return [item for item in cell.split(";") if item]


def plain(value: object) -> object:
    """JSON-friendly scalars: missing values become null, numpy numbers become Python numbers."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


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
        strength = f"{d['strength_label']} as of {d['strength_as_of']} ({d['strength_scope']})" if d["strength_as_of"] else "strength not reported"
        print(f"  {d['actor_id']:<4} {d['site_name']} [{d['status']}] {strength}; sources {', '.join(d['source_ids'])}")
    print(f"\nEvents in the {settings.EVENT_WINDOW_DAYS} days to {state['date']} ({len(state['events'])}):")
    for e in state["events"]:
        print(f"  {e['date']} {e['kind']}: {e['title']} ({', '.join(e['source_ids'])})")
    for entry in state["layers"]:
        print("\n".join(summary_lines(entry)))


def imported(args: argparse.Namespace) -> dict[Path, ImportedLayer]:
    """The --layer files, read before anything is written (raises ImportProblem)."""
    return read_layers(args.layer, lat=args.lat, lon=args.lon, file_layer=args.file_layer, sep=args.sep,
                       decimal=args.decimal, date_order=args.date_order, encoding=args.encoding)


def cmd_validate(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.seeds)
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in dataset.tables.items())
    print(f"{args.seeds}: valid (version {dataset.version}): {counts}")
    return EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    layers = imported(args)
    state = summary_state(load_dataset(args.seeds), args.date)
    state["layers"] = [layer_summary(path, layer, args.date) for path, layer in layers.items()]
    if args.json:
        json.dump(state, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_summary(state)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Build every registered layer (whole timeline, or the --date snapshot) and write the chosen formats."""
    def progress(message: str) -> None:
        print(f"export: {message}", file=sys.stderr)

    layers, dataset = imported(args), load_dataset(args.seeds)
    progress(f"building {len(REGISTRY)} layers from {args.seeds} (version {dataset.version}), {len(layers)} imported")
    frames, titles = layer_frames(dataset, REGISTRY, layers, day=args.date)
    formats = list(FORMATS) if args.format == "all" else [args.format]
    for note in html_warnings(frames) if "html" in formats else []:
        progress(note)
    try:
        export(frames, dataset.sources, dataset.version, out_dir=args.out, formats=formats, day=args.date,
               timeline=(settings.TIMELINE_START, settings.TIMELINE_END), force=args.force, progress=progress,
               titles=titles)
    except (ExportError, OSError) as error:
        print(f"python -m geo export: error: {error}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
    return EXIT_OK


def add_export(commands: argparse._SubParsersAction) -> None:
    """The `export` sub-command and its documented options."""
    export_parser = commands.add_parser(
        "export", help="write the map as HTML, GeoPackage, KML and/or GeoJSON",
        description="Export every map layer and each --layer file (as import_<name>). Files are written "
                    "atomically, identical for identical inputs, and stamped with the dataset version.",
        epilog=EXIT_CODES)
    export_parser.add_argument("--format", choices=[*FORMATS, "all"], required=True,
                               help="html: one self-contained offline page with a timeline; gpkg: GeoPackage 1.2 "
                                    "with QGIS styles and a sources table; kml: Google Earth with time spans; "
                                    "geojson: one RFC 7946 file per layer; all: every format")
    export_parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                               help="output folder (created if missing)")
    export_parser.add_argument("--date", type=iso_day, default=None,
                               help="snapshot of one day, YYYY-MM-DD (default: the whole timeline)")
    export_parser.add_argument("--force", action="store_true", help="overwrite existing output files")
    export_parser.add_argument("--seeds", type=Path, default=settings.SEEDS_DIR, help="seeds folder (default: bundled)")
    add_layer_options(export_parser)
    export_parser.set_defaults(run=cmd_export)


SEPARATORS = {name: sep for sep, name in SEPARATOR_NAMES.items()}  # --sep comma|semicolon|tab|pipe: safe in a shell


def add_layer_options(command: argparse.ArgumentParser) -> None:
    """--layer FILE (repeatable) and the choices an ambiguous file needs, shared by summary and export."""
    command.add_argument("--layer", type=Path, action="append", default=[], metavar="FILE",
                         help="your own dated layer (CSV/TSV, GeoJSON, GeoPackage, KML, zipped Shapefile); repeatable")
    command.add_argument("--lat", metavar="COLUMN", help="latitude column of every CSV/TSV --layer (when ambiguous)")
    command.add_argument("--lon", metavar="COLUMN", help="longitude column of every CSV/TSV --layer (when ambiguous)")
    command.add_argument("--file-layer", metavar="NAME",
                         help="the layer inside a GeoPackage, or the shapefile inside a zip, for every other --layer")
    command.add_argument("--sep", type=lambda text: SEPARATORS.get(text, text), metavar="SEP",
                         help="field separator of every CSV/TSV --layer: comma, semicolon, tab, pipe (default: sniffed)")
    command.add_argument("--decimal", choices=[".", ","], help="decimal mark of CSV/TSV coordinates (default: sniffed)")
    command.add_argument("--encoding", metavar="NAME",
                         help="text encoding of every CSV/TSV --layer, e.g. cp1252 (default: UTF-8, else detected)")
    order = command.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="date_order", action="store_const", const="dayfirst",
                       help="numeric dates such as 03/04/2024 are day/month/year")
    order.add_argument("--monthfirst", dest="date_order", action="store_const", const="monthfirst",
                       help="numeric dates such as 03/04/2024 are month/day/year")


def parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    top = argparse.ArgumentParser(prog="python -m geo", description="Sourced map of foreign forces in Niger.")
    commands = top.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check every seed table; exit 1 with a full report if invalid")
    validate.add_argument("seeds", nargs="?", type=Path, default=settings.SEEDS_DIR, metavar="SEEDS_DIR")
    validate.set_defaults(run=cmd_validate)
    summary = commands.add_parser("summary", help="who is where on a day, with sources", epilog=EXIT_CODES)
    summary.add_argument("--date", type=iso_day, required=True, help="the day, YYYY-MM-DD")
    summary.add_argument("--json", action="store_true",
                         help="print one JSON object: date, dataset_version, deployments, events, layers")
    summary.add_argument("--seeds", type=Path, default=settings.SEEDS_DIR, help="seeds folder (default: bundled)")
    add_layer_options(summary)
    summary.set_defaults(run=cmd_summary)
    add_export(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one command; data problems exit 1 with the report, never a traceback."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except SeedError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID_DATA
    except ImportProblem as error:
        print(f"python -m geo {args.command}: error: --layer {error}", file=sys.stderr)
        if advice := hint(error):
            print(advice, file=sys.stderr)
        return EXIT_BAD_ARGUMENTS


if __name__ == "__main__":
    sys.exit(main())
