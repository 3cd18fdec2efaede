"""Animations: frame days, a GIF's frame count and bytes, an MP4 a decoder opens, and the command's refusals."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from PIL import Image

from geo.cli import pictures as cli
from geo.data.timeline import on_day
from geo.pictures import layout
from geo.pictures.animate import AnimationError, animation_bytes, frame_days
from geo.pictures.page import Layers, page_for, timeline_frames
from geo.pictures.snapshot import Painter
from layers import REGISTRY
from layers._common import radius_for
from tests.conftest import run_command as run

WIDTH = 640
LAYERS = Layers(REGISTRY, radius_for)
DAYS = frame_days(dt.date(2024, 4, 30), dt.date(2024, 5, 4), 2)  # 30 Apr, 2 May (Russians arrive), 4 May


@pytest.fixture
def scene(dataset):
    frames = timeline_frames(dataset, LAYERS)
    return page_for(dataset, frames, LAYERS, title="Test title"), frames


def test_frame_days_step_from_the_first_day():
    first = dt.date(2024, 5, 1)
    assert frame_days(first, dt.date(2024, 5, 10), 3) == [first + dt.timedelta(days=d) for d in (0, 3, 6, 9)]
    assert frame_days(first, dt.date(2024, 5, 9), 3)[-1] == dt.date(2024, 5, 7)  # the last day only when a step lands on it
    assert frame_days(first, first, 7) == [first]


def test_gif_has_one_frame_per_day_and_the_same_bytes_each_time(scene):
    page, frames = scene
    seen = []
    gif = animation_bytes(page, frames, days=DAYS, fmt="gif", width=WIDTH,
                          progress=lambda done, total, day: seen.append((done, total, day)))
    image = Image.open(io.BytesIO(gif))
    assert image.format == "GIF" and image.n_frames == len(DAYS) == 3 and image.size[0] == WIDTH
    assert seen == [(i + 1, 3, day) for i, day in enumerate(DAYS)]
    assert animation_bytes(page, frames, days=DAYS, fmt="gif", width=WIDTH) == gif


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="MP4 needs ffmpeg (Debian package)")
def test_mp4_opens_in_a_decoder_with_every_frame(scene, tmp_path):
    page, frames = scene
    mp4 = animation_bytes(page, frames, days=DAYS, fmt="mp4", width=WIDTH)
    assert animation_bytes(page, frames, days=DAYS, fmt="mp4", width=WIDTH) == mp4
    (tmp_path / "a.mp4").write_bytes(mp4)
    decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", str(tmp_path / "a.mp4"), "-f", "rawvideo", "-pix_fmt",
                              "rgb24", "-"], capture_output=True, check=True).stdout
    assert len(decoded) == len(DAYS) * WIDTH * 400 * 3  # 640 x 400 frames, all of them decoded


def test_a_painter_drawing_day_after_day_draws_each_day_as_a_fresh_one(scene):
    """Its kept background (the alliance outline changes on 16 Sep 2023) and kept text never leak into another day."""
    page, frames = scene
    before, after = dt.date(2023, 9, 10), dt.date(2024, 5, 3)
    with layout.drawing():
        painter = Painter(page, width=WIDTH)
        images = [painter.day({n: on_day(f, day) for n, f in frames.items()}, day) for day in (before, after, after, before)]
        fresh = Painter(page, width=WIDTH).day({n: on_day(f, before) for n, f in frames.items()}, before)
    assert (images[0] != images[1]).any() and (images[1] == images[2]).all()
    assert (images[3] == fresh).all() and (images[0] == fresh).all()


def test_unknown_format_and_no_days(scene):
    page, frames = scene
    with pytest.raises(AnimationError, match="unknown animation format"):
        animation_bytes(page, frames, days=DAYS, fmt="webm")
    with pytest.raises(AnimationError, match="no frames"):
        animation_bytes(page, frames, days=[], fmt="gif")


def test_command_writes_gif_with_a_progress_bar(seeds, tmp_path, capsys):
    out = tmp_path / "run.gif"
    code, err = run(capsys, "animate", "--from", "2024-04-30", "--to", "2024-05-04", "--step", "2", "--out", str(out),
                    "--width", str(WIDTH), "--seeds", str(seeds))
    assert code == 0 and "3/3 2024-05-04" in err and "[" + "#" * cli.PROGRESS_WIDTH + "]" in err
    assert Image.open(out).n_frames == 3


@pytest.mark.parametrize("argv, message", [
    (["--from", "2024-05-04", "--to", "2024-05-01", "--step", "1", "--out", "{tmp}/a.gif"], "is after --to"),
    (["--from", "2024-05-01", "--to", "2024-05-04", "--step", "0", "--out", "{tmp}/a.gif"], "argument --step"),
    (["--from", "2024-05-01", "--to", "2024-05-04", "--step", "1", "--out", "{tmp}/a.avi"], "must end in .gif or .mp4"),
    (["--from", "2023-01-01", "--to", "2024-05-04", "--step", "1", "--out", "{tmp}/a.gif"], "outside the timeline"),
    (["--from", "2024-05-01", "--to", "2025-05-04", "--step", "1", "--out", "{tmp}/a.mp4"], "outside the timeline"),
])
def test_bad_requests_exit_2_and_write_nothing(seeds, tmp_path, capsys, argv, message):
    code, err = run(capsys, "animate", *[a.format(tmp=tmp_path) for a in argv], "--seeds", str(seeds))
    assert code == 2 and message in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds"]


def test_existing_output_needs_force(seeds, tmp_path, capsys):
    out = tmp_path / "a.gif"
    out.write_bytes(b"old")
    code, err = run(capsys, "animate", "--from", "2024-05-01", "--to", "2024-05-01", "--step", "1", "--out", str(out),
                    "--seeds", str(seeds))
    assert code == 2 and "--force" in err and out.read_bytes() == b"old"


def test_mp4_without_ffmpeg_is_refused_before_drawing(seeds, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("geo.pictures.animate.shutil.which", lambda name: None)
    code, err = run(capsys, "animate", "--from", "2024-05-01", "--to", "2024-05-02", "--step", "1",
                    "--out", str(tmp_path / "a.mp4"), "--seeds", str(seeds))
    assert code == 2 and "needs ffmpeg" in err and not (tmp_path / "a.mp4").exists()
