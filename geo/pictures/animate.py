"""Animations: one snapshot per step of days, as GIF (Pillow) or MP4 (ffmpeg, H.264), the same bytes for the same input."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
from PIL import Image

from geo import settings
from geo.data.timeline import on_day
from geo.pictures import layout
from geo.pictures.page import Page
from geo.pictures.snapshot import Painter

FORMATS = ("gif", "mp4")
Progress = Callable[[int, int, dt.date], None]  # (frames done, frames in all, the day just drawn)


class AnimationError(Exception):
    """The animation cannot be made here (no ffmpeg for MP4, or ffmpeg failed): nothing was written."""


def frame_days(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    """first, first + step, ... up to and including last (last itself only when the steps land on it)."""
    return [first + dt.timedelta(days=offset) for offset in range(0, (last - first).days + 1, step)]


def ffmpeg() -> str:
    """The ffmpeg program MP4 needs (Debian package ffmpeg)."""
    found = shutil.which(settings.FFMPEG)
    if found is None:
        raise AnimationError("writing MP4 needs ffmpeg (Debian package 'ffmpeg'); install it or write a .gif")
    return found


def animation_bytes(page: Page, frames: Mapping[str, gpd.GeoDataFrame], *, days: list[dt.date], fmt: str,
                    width: int = settings.ANIMATION_WIDTH_PX, progress: Progress = lambda done, total, day: None) -> bytes:
    """The days as a GIF or MP4; frames hold each layer over the whole timeline, filtered here day by day."""
    if fmt not in FORMATS:
        raise AnimationError(f"unknown animation format {fmt!r}; choose from {', '.join(FORMATS)}")
    with layout.drawing():
        images = day_images(page, frames, days, width=width, progress=progress)
        return gif_bytes(images) if fmt == "gif" else mp4_bytes(images, fps=settings.ANIMATION_FPS)


def day_images(page: Page, frames: Mapping[str, gpd.GeoDataFrame], days: list[dt.date], *, width: int,
               progress: Progress) -> Iterator[np.ndarray]:
    """One RGB image per day, from one Painter: the page and its background are drawn once, not per frame."""
    painter = Painter(page, width=width)
    for index, day in enumerate(days):
        image = painter.day({name: on_day(frame, day) for name, frame in frames.items()}, day)
        progress(index + 1, len(days), day)
        yield image


def gif_bytes(images: Iterator[np.ndarray]) -> bytes:
    """A looping GIF, each frame with its own 256-colour palette (no dithering: flat map colours stay flat)."""
    paletted = (Image.fromarray(image).quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
                for image in images)
    first = next(paletted, None)
    if first is None:
        raise AnimationError("no frames to write")
    buffer = io.BytesIO()
    first.save(buffer, format="GIF", save_all=True, append_images=paletted, loop=0,
               duration=round(1000 / settings.ANIMATION_FPS), optimize=False)
    return buffer.getvalue()


def mp4_command(program: str, *, size: tuple[int, int], fps: int, out: Path) -> list[str]:
    """H.264 in MP4 any player opens (yuv420p, index first), without version or date stamps."""
    return [program, "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{size[0]}x{size[1]}",
            "-framerate", str(fps), "-i", "-", "-c:v", "libx264", "-preset", "medium", "-crf", "20",
            "-pix_fmt", "yuv420p", "-threads", str(settings.FFMPEG_THREADS), "-map_metadata", "-1",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-movflags", "+faststart", "-y", str(out)]


def mp4_bytes(images: Iterator[np.ndarray], *, fps: int) -> bytes:
    """Pipe the frames (cropped to even sides, as yuv420p needs) to ffmpeg; return the file it wrote."""
    program = ffmpeg()
    even = (np.ascontiguousarray(image[: image.shape[0] // 2 * 2, : image.shape[1] // 2 * 2]) for image in images)
    first = next(even, None)
    if first is None:
        raise AnimationError("no frames to write")
    with tempfile.TemporaryDirectory(prefix="geo-animate-") as folder:
        out = Path(folder) / "animation.mp4"
        command = mp4_command(program, size=(first.shape[1], first.shape[0]), fps=fps, out=out)
        with subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE) as process:
            assert process.stdin is not None and process.stderr is not None  # both piped above
            try:
                for image in itertools.chain([first], even):
                    process.stdin.write(image.tobytes())
            except BrokenPipeError:
                pass  # ffmpeg stopped early: its own message follows
            finally:
                process.stdin.close()
            errors = process.stderr.read()
        if process.returncode != 0:
            raise AnimationError(f"ffmpeg failed: {errors.decode(errors='replace').strip()[-500:]}")
        return out.read_bytes()
