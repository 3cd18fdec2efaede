"""The command line, one module per command: COMMANDS is the registry (one module and one line add a command)."""

from __future__ import annotations

import argparse
import sys

from geo.cli import export, pictures, summary, validate
from geo.cli.options import EXIT_BAD_ARGUMENTS, EXIT_INVALID_DATA
from geo.data.schema import SeedError
from geo.exports.frames import hint
from geo.imports.reader import ImportProblem

COMMANDS = (validate, summary, export, pictures)


def parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    top = argparse.ArgumentParser(prog="python -m geo", description="Sourced, dated maps of military deployments.")
    commands = top.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one command; data problems exit 1 with the report, never a traceback."""
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SeedError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID_DATA
    except ImportProblem as error:
        print(f"python -m geo {args.command}: error: --layer {error}", file=sys.stderr)
        if advice := hint(error):
            print(advice, file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
