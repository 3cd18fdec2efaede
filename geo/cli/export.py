"""`python -m geo export`: every layer and each --layer file in the registered formats, written atomically."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from geo import settings
from geo.cli.options import EXIT_BAD_ARGUMENTS, EXIT_CODES, EXIT_OK, add_layer_options, add_seeds, imported, iso_day, whole
from geo.data.dataset import load_dataset
from geo.data.narrative import narrative
from geo.exports import FORMATS
from geo.exports.frames import html_warnings, layer_frames
from geo.exports.write import ExportError, export
from layers import REGISTRY


def progress(message: str) -> None:
    print(f"export: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Build every registered layer (whole timeline, or the --date snapshot) and write the chosen formats."""
    layers, dataset = imported(args), load_dataset(args.seeds)
    progress(f"building {len(REGISTRY)} layers from {args.seeds} (version {dataset.version}), {len(layers)} imported")
    frames, titles = layer_frames(dataset, REGISTRY, layers, day=args.date, workers=args.workers)
    formats = list(FORMATS) if args.format == "all" else [args.format]
    for note in html_warnings(frames) if "html" in formats else []:
        progress(note)
    try:
        export(frames, dataset.sources, dataset.version, out_dir=args.out, formats=formats, day=args.date,
               scenario=dataset.scenario, force=args.force, progress=progress, titles=titles,
               narrative=narrative(dataset), workers=args.workers)
    except (ExportError, OSError) as error:
        print(f"python -m geo export: error: {error}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
    return EXIT_OK


def add(commands: argparse._SubParsersAction) -> None:
    """The `export` sub-command; its --format choices and help come from the FORMATS registry."""
    command = commands.add_parser(
        "export", help=f"write the map as {', '.join(FORMATS)}",
        description="Export every map layer and each --layer file (as import_<name>). Files are written "
                    "atomically, identical for identical inputs, and stamped with the dataset version.",
        epilog=EXIT_CODES)
    command.add_argument("--format", choices=[*FORMATS, "all"], required=True,
                         help="; ".join([*(f"{name}: {fmt.help}" for name, fmt in FORMATS.items()), "all: every format"]))
    command.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder (created if missing)")
    command.add_argument("--date", type=iso_day, default=None,
                         help="snapshot of one day, YYYY-MM-DD (default: the whole timeline)")
    command.add_argument("--force", action="store_true", help="overwrite existing output files")
    command.add_argument("--workers", type=whole(1, 64, "a number of processes"), metavar="N",
                         default=min(os.cpu_count() or 1, settings.MAX_EXPORT_WORKERS),
                         help="build the layers and write the files in N processes (default: one per core, at most "
                              f"{settings.MAX_EXPORT_WORKERS})")
    add_seeds(command)
    add_layer_options(command)
    command.set_defaults(run=run)
