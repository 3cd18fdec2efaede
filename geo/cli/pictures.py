"""`python -m geo snapshot` and `animate`: the output checked first, then the layers, the picture, one atomic write."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from functools import partial
from pathlib import Path

from geo import settings
from geo.cli.options import EXIT_BAD_ARGUMENTS, EXIT_OK, add_seeds, iso_day, whole
from geo.data.dataset import load_dataset
from geo.data.files import write_atomically
from geo.data.timeline import on_day
from geo.pictures.page import Layers, page_for, timeline_frames
from layers import REGISTRY
from layers._common import radius_for

EXIT_CODES = "exit status: 0 written; 1 the seeds are invalid; 2 bad arguments or an unwritable or existing output"
PROGRESS_WIDTH = 30


class OutputError(Exception):
    """A request that cannot be met (dates, file name, existing file): nothing was written."""


def add_common(command: argparse.ArgumentParser, *, width: int) -> None:
    command.add_argument("--width", type=whole(settings.PICTURE_MIN_WIDTH_PX, settings.PICTURE_MAX_WIDTH_PX, "pixels"),
                         default=width, metavar="PX", help=f"picture width in pixels (default {width})")
    command.add_argument("--force", action="store_true", help="overwrite an existing output file")
    add_seeds(command)


def add_snapshot(commands: argparse._SubParsersAction, *, layers: Layers) -> None:
    """`snapshot --date D --out FILE.png [--width PX] [--force]`."""
    command = commands.add_parser("snapshot", help="the map of one day as a PNG picture for reports", epilog=EXIT_CODES,
                                  description="Draw the day's map offline: forces, legend, scale bar, attribution and "
                                              "sources; the same bytes for the same input.")
    command.add_argument("--date", type=iso_day, required=True, help="the day, YYYY-MM-DD, within the timeline")
    command.add_argument("--out", type=Path, required=True, metavar="FILE.png", help="the PNG file to write")
    add_common(command, width=settings.PICTURE_WIDTH_PX)
    command.set_defaults(run=partial(cmd_snapshot, layers=layers))


def add_animate(commands: argparse._SubParsersAction, *, layers: Layers) -> None:
    """`animate --from A --to B --step DAYS --out FILE.gif|FILE.mp4 [--force]`."""
    command = commands.add_parser("animate", help="one map per step of days as an animated GIF or an MP4 video",
                                  epilog=EXIT_CODES, description="One frame per step from --from to --to (included when "
                                  f"a step lands on it), {settings.ANIMATION_FPS} frames a second; the same bytes for "
                                  "the same input. MP4 needs ffmpeg.")
    command.add_argument("--from", dest="first", type=iso_day, required=True, metavar="A", help="first day, YYYY-MM-DD")
    command.add_argument("--to", dest="last", type=iso_day, required=True, metavar="B", help="last day, YYYY-MM-DD")
    command.add_argument("--step", type=whole(1, 10_000, "a number of days"), required=True, metavar="DAYS",
                         help="days between frames (1 or more)")
    command.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.gif or FILE.mp4")
    add_common(command, width=settings.ANIMATION_WIDTH_PX)
    command.set_defaults(run=partial(cmd_animate, layers=layers))


def add(commands: argparse._SubParsersAction) -> None:
    """Both picture commands, drawing the registered layers."""
    layers = Layers(REGISTRY, radius_for)
    add_snapshot(commands, layers=layers)
    add_animate(commands, layers=layers)


def check_day(day: dt.date, option: str, timeline: tuple[dt.date, dt.date]) -> None:
    first, last = timeline
    if not first <= day <= last:
        raise OutputError(f"{option} {day.isoformat()} is outside the timeline, {first.isoformat()} to {last.isoformat()}")


def check_output(path: Path, suffixes: tuple[str, ...], *, force: bool) -> str:
    """The output's format from its suffix; refuse another suffix, a missing or unwritable folder, an existing file."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in suffixes:
        raise OutputError(f"cannot write {path.name!r}: the file name must end in {' or '.join('.' + s for s in suffixes)}")
    folder = path.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"folder {folder} does not exist or is not writable")
    if path.is_dir():
        raise OutputError(f"{path} is a folder")
    if path.exists() and not force:
        raise OutputError(f"{path} already exists; pass --force to overwrite")
    return suffix


def failed(command: str, error: Exception) -> int:
    print(f"python -m geo {command}: error: {error}", file=sys.stderr)
    return EXIT_BAD_ARGUMENTS


def cmd_snapshot(args: argparse.Namespace, *, layers: Layers) -> int:
    from geo.pictures.snapshot import snapshot_png  # here, not on top: matplotlib would slow every command to start

    dataset = load_dataset(args.seeds)
    try:
        check_output(args.out, ("png",), force=args.force)
        check_day(args.date, "--date", dataset.scenario.timeline)
    except OutputError as error:
        return failed("snapshot", error)
    frames = timeline_frames(dataset, layers)
    page = page_for(dataset, frames, layers, title=dataset.scenario.map_title)
    day_frames = {name: on_day(frame, args.date) for name, frame in frames.items()}
    try:
        write_atomically(args.out, snapshot_png(page, day_frames, day=args.date, width=args.width))
    except OSError as error:
        return failed("snapshot", error)
    print(f"snapshot: wrote {args.out} ({args.date.isoformat()}, dataset {dataset.version})", file=sys.stderr)
    return EXIT_OK


def progress_bar(done: int, total: int, day: dt.date) -> None:
    """One terminal line redrawn per frame: [#####.....] 12/60 2024-05-03."""
    filled = PROGRESS_WIDTH * done // total
    print(f"\ranimate: [{'#' * filled}{'.' * (PROGRESS_WIDTH - filled)}] {done}/{total} {day.isoformat()}",
          end="\n" if done == total else "", file=sys.stderr, flush=True)


def cmd_animate(args: argparse.Namespace, *, layers: Layers) -> int:
    from geo.pictures.animate import FORMATS, AnimationError, animation_bytes, ffmpeg, frame_days  # as in cmd_snapshot

    dataset = load_dataset(args.seeds)
    try:
        fmt = check_output(args.out, FORMATS, force=args.force)
        check_day(args.first, "--from", dataset.scenario.timeline)
        check_day(args.last, "--to", dataset.scenario.timeline)
        if args.first > args.last:
            raise OutputError(f"--from {args.first.isoformat()} is after --to {args.last.isoformat()}")
        if fmt == "mp4":
            ffmpeg()
    except (OutputError, AnimationError) as error:
        return failed("animate", error)
    frames = timeline_frames(dataset, layers)
    page = page_for(dataset, frames, layers, title=dataset.scenario.map_title)
    days = frame_days(args.first, args.last, args.step)
    try:
        write_atomically(args.out, animation_bytes(page, frames, days=days, fmt=fmt, width=args.width, progress=progress_bar))
    except (AnimationError, OSError) as error:
        return failed("animate", error)
    print(f"animate: wrote {args.out} ({len(days)} frames, dataset {dataset.version})", file=sys.stderr)
    return EXIT_OK
