"""Snapshots: PNG size and bytes, what the page says, and the command's refusals (nothing written on a refusal)."""

from __future__ import annotations

import datetime as dt
import io
import struct

import pytest
from PIL import Image

from geo import settings
from geo.cli import pictures as cli
from geo.data.timeline import on_day
from geo.pictures.page import Layers, Page, fit, page_for, short, sources_text, timeline_frames
from geo.pictures.snapshot import snapshot_png
from layers import REGISTRY
from layers._common import radius_for
from tests.conftest import run_command as run

DAY = dt.date(2024, 5, 3)
WIDTH = 640
LAYERS = Layers(REGISTRY, radius_for)


@pytest.fixture
def scene(dataset):
    frames = timeline_frames(dataset, LAYERS)
    return page_for(dataset, frames, LAYERS, title="Test title"), frames


def day_frames(frames, day):
    return {name: on_day(frame, day) for name, frame in frames.items()}


def chunks(png: bytes) -> list[bytes]:
    """The PNG's chunk types, in order."""
    found, offset = [], 8
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        found.append(kind)
        offset += 12 + length
    return found


def test_png_size_and_only_picture_chunks(scene):
    page, frames = scene
    png = snapshot_png(page, day_frames(frames, DAY), day=DAY, width=WIDTH)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode == "RGB"
    assert image.size == (WIDTH, round(WIDTH * settings.PICTURE_SIZE_IN[1] / settings.PICTURE_SIZE_IN[0]))
    assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(chunks(png))


def test_same_input_same_bytes_and_the_day_shows(scene):
    page, frames = scene
    first = snapshot_png(page, day_frames(frames, DAY), day=DAY, width=WIDTH)
    assert snapshot_png(page, day_frames(frames, DAY), day=DAY, width=WIDTH) == first
    later = dt.date(2024, 8, 1)  # the US force has left: a different map
    assert snapshot_png(page, day_frames(frames, later), day=later, width=WIDTH) != first


def test_draws_from_tiny_synthetic_frames(scene):
    """No deployments, no events: the page still draws (empty lists), from frames alone."""
    page, frames = scene
    empty = {name: frame.iloc[:0] for name, frame in day_frames(frames, DAY).items()}
    assert snapshot_png(page, empty, day=DAY, width=WIDTH).startswith(b"\x89PNG")


def test_page_for_the_tiny_dataset(dataset, scene):
    page, _ = scene
    assert [name for name, _ in page.actors] == ["United States", "Russia"]  # actors.csv order, those that deploy
    assert page.version == dataset.version and page.skip_sources == {"NE"}
    west, south, east, north = page.extent
    assert west < 0 and east > 10 and south < 10 and north > 20  # Niger's square and every force, padded


def test_sources_line_keeps_to_its_lines_and_counts_the_rest():
    page = Page("t", "v", (), (), {f"S{i}": "A long source title " * 3 for i in range(40)}, (0, 0, 1, 1), frozenset({"NE"}))
    text = sources_text(["NE", *(f"S{i}" for i in range(40))], page, width=120, lines=2)
    assert len(text.splitlines()) == 2 and text.startswith("Sources: S0 ") and "NE" not in text
    assert text.endswith("more in the dataset's sources.csv")
    assert sources_text(["NE"], page, width=120) == ""


def test_short_labels_and_fitted_extent():
    assert short("Air Base 101 / Diori Hamani International Airport, Niamey") == "Air Base 101"
    assert short("Bamako, Modibo Keita International Airport (Mali)") == "Bamako"
    west, south, east, north = fit((0, 10, 20, 20), 0.75)
    assert (west, east) == (0, 20) and north - south > 10 and (south + north) / 2 == 15


def test_command_writes_png_atomically(seeds, tmp_path, capsys):
    out = tmp_path / "map.png"
    code, err = run(capsys, "snapshot", "--date", "2024-05-03", "--out", str(out), "--width", str(WIDTH), "--seeds", str(seeds))
    assert code == 0 and "wrote" in err
    assert Image.open(out).size[0] == WIDTH and sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "seeds"]


@pytest.mark.parametrize("argv, message", [
    (["--date", "2024-05-03", "--out", "{tmp}/map.jpg"], "must end in .png"),
    (["--date", "2022-01-01", "--out", "{tmp}/map.png"], "outside the timeline"),
    (["--date", "2024-05-03", "--out", "{tmp}/missing/map.png"], "does not exist"),
    (["--date", "2024-05-03", "--out", "{tmp}/map.png", "--width", "5"], "argument --width"),
    (["--date", "2024-13-03", "--out", "{tmp}/map.png"], "expected a date as YYYY-MM-DD"),
])
def test_bad_requests_exit_2_and_write_nothing(seeds, tmp_path, capsys, argv, message):
    code, err = run(capsys, "snapshot", *[a.format(tmp=tmp_path) for a in argv], "--seeds", str(seeds))
    assert code == 2 and message in err and "Traceback" not in err
    assert not list(tmp_path.glob("**/*.png")) and not list(tmp_path.glob("**/*.jpg"))


def test_existing_output_needs_force(seeds, tmp_path, capsys):
    out = tmp_path / "map.png"
    out.write_bytes(b"old")
    code, err = run(capsys, "snapshot", "--date", "2024-05-03", "--out", str(out), "--seeds", str(seeds))
    assert code == 2 and "--force" in err and out.read_bytes() == b"old"
    code, _ = run(capsys, "snapshot", "--date", "2024-05-03", "--out", str(out), "--width", str(WIDTH), "--force",
                  "--seeds", str(seeds))
    assert code == 0 and out.read_bytes().startswith(b"\x89PNG")


def test_invalid_seeds_exit_1_and_write_nothing(tmp_path, tables, capsys):
    from tests.conftest import write_seeds

    tables["deployments"][0]["start"] = "2024-02-30"
    seeds = write_seeds(tmp_path / "seeds", tables)
    code, err = run(capsys, "snapshot", "--date", "2024-05-03", "--out", str(tmp_path / "map.png"), "--seeds", str(seeds))
    assert code == 1 and "deployments.csv" in err and not (tmp_path / "map.png").exists()


def test_failed_write_exits_2_and_keeps_the_old_file(seeds, tmp_path, monkeypatch, capsys):
    out = tmp_path / "map.png"
    out.write_bytes(b"old")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(cli.os, "replace", broken)
    code, err = run(capsys, "snapshot", "--date", "2024-05-03", "--out", str(out), "--width", str(WIDTH), "--force",
                    "--seeds", str(seeds))
    assert code == 2 and "disk full" in err
    assert out.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "seeds"]
