"""`python -m geo validate`: check every seed table; one report of every problem."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.cli.options import EXIT_OK, add_seeds
from geo.data.dataset import load_dataset


def run(args: argparse.Namespace) -> int:
    seeds = args.seeds_dir or args.seeds
    dataset = load_dataset(seeds)
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in dataset.tables.items())
    print(f"{seeds}: valid (version {dataset.version}): {counts}")
    return EXIT_OK


def add(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("validate", help="check every seed table; exit 1 with a full report if invalid")
    command.add_argument("seeds_dir", nargs="?", type=Path, metavar="SEEDS_DIR", help="the same as --seeds")
    add_seeds(command)
    command.set_defaults(run=run)
