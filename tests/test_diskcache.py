"""The disk cache: a value built once is read back by the next process, keyed by content; never a folder others write."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pytest

from geo import diskcache, settings


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def counted(calls: list[str]):
    """A cached function that records every real build (a second process is a second call: nothing is held in memory)."""
    @diskcache.on_disk
    def build(_big: object, version: str, *, scale: int = 1) -> dict:
        calls.append(version)
        return {"version": version, "rows": list(range(3 * scale))}
    return build


def test_a_value_is_built_once_then_read_from_disk(folder: Path) -> None:
    calls: list[str] = []
    build = counted(calls)
    assert build(object(), "v1") == build(object(), "v1") == {"version": "v1", "rows": [0, 1, 2]}
    assert calls == ["v1"]  # "_big" differs between the calls and is not in the key: the version stands for it
    assert len(list(folder.glob("*.pickle"))) == 1
    assert folder.stat().st_mode & 0o777 == 0o700


def test_other_arguments_or_code_are_other_entries(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    build = counted(calls)
    build(None, "v1")
    build(None, "v2")
    build(None, "v1", scale=2)
    monkeypatch.setattr(diskcache, "code_digest", lambda: "an edited module")
    build(None, "v1")
    assert calls == ["v1", "v2", "v1", "v1"]


def test_a_damaged_entry_is_built_again_and_replaced(folder: Path) -> None:
    calls: list[str] = []
    build = counted(calls)
    build(None, "v1")
    [entry] = folder.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:20])
    assert build(None, "v1")["version"] == "v1"
    assert build(None, "v1")["version"] == "v1"
    assert calls == ["v1", "v1"]


def test_a_folder_others_can_write_is_neither_read_nor_written(folder: Path) -> None:
    calls: list[str] = []
    build = counted(calls)
    folder.mkdir(mode=0o700)
    (folder / "planted.pickle").write_bytes(pickle.dumps("planted"))
    folder.chmod(0o777)
    build(None, "v1")
    build(None, "v1")
    assert calls == ["v1", "v1"]
    assert [path.name for path in folder.iterdir()] == ["planted.pickle"]


def test_an_empty_setting_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    calls: list[str] = []
    build = counted(calls)
    build(None, "v1")
    build(None, "v1")
    assert calls == ["v1", "v1"]
    assert list(tmp_path.iterdir()) == []


def test_the_least_recently_used_entries_go_beyond_the_limit(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "CACHE_ENTRIES", 2)
    calls: list[str] = []
    build = counted(calls)
    for version in ("v1", "v2"):
        build(None, version)
    [older] = [path for path in folder.glob("*.pickle") if pickle.loads(path.read_bytes())["version"] == "v1"]
    os.utime(older, (0, 0))
    build(None, "v2")  # read: v2 is now the most recent
    build(None, "v3")
    kept = sorted(pickle.loads(path.read_bytes())["version"] for path in folder.glob("*.pickle"))
    assert kept == ["v2", "v3"]


def test_the_dataset_comes_back_whole(folder: Path, dataset) -> None:
    """The dataset's tables are read-only mappings (MappingProxyType, which pickle alone refuses)."""
    stored = diskcache.on_disk(lambda _dataset, version: _dataset)
    stored(dataset, dataset.version)
    [entry] = folder.glob("*.pickle")
    back = pickle.loads(entry.read_bytes())
    assert isinstance(back.tables, MappingProxyType) and isinstance(back.boundaries, MappingProxyType)
    assert back.tables.keys() == dataset.tables.keys() and back.version == dataset.version
    for name, table in dataset.tables.items():
        pd.testing.assert_frame_equal(back[name], table)
    assert back.scenario == dataset.scenario


def test_none_is_a_value_like_any_other(folder: Path) -> None:
    calls: list[str] = []

    @diskcache.on_disk
    def nothing(version: str) -> None:
        calls.append(version)

    nothing("v1")
    nothing("v1")
    assert calls == ["v1"]
