"""What every command shares: exit codes, the ISO day type, --seeds and the --layer options."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from geo import settings
from geo.data.validate import parse_date
from geo.exports.frames import read_layers
from geo.imports.reader import ImportedLayer
from geo.imports.textfile import SEPARATOR_NAMES

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


def whole(low: int, high: int, what: str) -> Callable[[str], int]:
    """argparse type: a whole number from low to high."""
    def parse(text: str) -> int:
        if not text.strip().isdigit() or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"got {text!r}, expected {what} from {low:,} to {high:,}")
        return int(text)
    return parse


def default_seeds() -> Path:
    """The seeds folder: $GEO_SEEDS_DIR when set, else the bundled one."""
    return Path(os.environ.get("GEO_SEEDS_DIR") or settings.SEEDS_DIR)


def add_seeds(command: argparse.ArgumentParser) -> None:
    command.add_argument("--seeds", type=Path, default=default_seeds(), metavar="DIR",
                         help="seeds folder: scenario.toml, data/, boundaries (default: $GEO_SEEDS_DIR or the bundled)")


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


def imported(args: argparse.Namespace) -> dict[Path, ImportedLayer]:
    """The --layer files, read before anything is written (raises ImportProblem)."""
    return read_layers(args.layer, lat=args.lat, lon=args.lon, file_layer=args.file_layer, sep=args.sep,
                       decimal=args.decimal, date_order=args.date_order, encoding=args.encoding)
