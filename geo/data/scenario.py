"""The theatre a seeds folder describes (seeds/scenario.toml): titles, focus country, map view, timeline, file names."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from geo.data.schema import Problem

FILE = "scenario.toml"
BOUNDARIES = ("countries", "regions", "towns")


@dataclass(frozen=True)
class Scenario:
    """Everything theatre-specific: the code reads it from here and holds no theatre's literal."""

    title: str
    map_title: str
    focus_iso3: str
    center: tuple[float, float]
    zoom: int
    timeline: tuple[dt.date, dt.date]
    default_day: dt.date
    export_stem: str
    boundaries: Mapping[str, str]
    layer_titles: Mapping[str, str]

    def layer_title(self, name: str, default: str) -> str:
        """A layer's title in this theatre (e.g. "Niger's regions"), else the layer's own."""
        return self.layer_titles.get(name, default)


def read_scenario(seeds_dir: Path) -> tuple[Scenario | None, list[Problem]]:
    """The folder's scenario, or None and every problem found in it (one Problem per bad key)."""
    try:
        raw = tomllib.loads((seeds_dir / FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [Problem(FILE, None, "file", str(seeds_dir / FILE), "this file to exist")]
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return None, [Problem(FILE, None, "file", str(error), "UTF-8 TOML")]
    problems = scenario_problems({"layer_titles": {}, **raw})
    return (None if problems else parse(raw)), problems


EXPECTED: dict[str, tuple[type, str]] = {
    "title": (str, "a non-empty title"), "map_title": (str, "a non-empty title"),
    "focus_iso3": (str, "an ISO 3166 alpha-3 code like NER"), "center": (list, "[latitude, longitude] in degrees"),
    "zoom": (int, "a whole zoom level from 1 to 18"), "timeline_start": (dt.date, "a TOML date like 2023-07-26"),
    "timeline_end": (dt.date, "a TOML date after timeline_start"),
    "default_day": (dt.date, "a TOML date inside the timeline"),
    "export_stem": (str, "a file-name stem of letters, digits and _"),
    "boundaries": (dict, f"a table naming the files {', '.join(BOUNDARIES)}"), "layer_titles": (dict, "a table"),
}


def scenario_problems(raw: Mapping[str, Any]) -> list[Problem]:
    """Every key missing, of the wrong type or out of range: collected, not raised one by one."""
    problems = [Problem(FILE, None, key, repr(raw.get(key)), expected) for key, (kind, expected) in EXPECTED.items()
                if not isinstance(raw.get(key), kind) or not valid(key, raw)]
    return problems + [Problem(FILE, None, key, key, "one of " + ", ".join(EXPECTED)) for key in raw if key not in EXPECTED]


def valid(key: str, raw: Mapping[str, Any]) -> bool:
    """The range checks behind EXPECTED's messages (types are checked before)."""
    value = raw[key]
    checks = {
        "title": lambda: bool(value.strip()), "map_title": lambda: bool(value.strip()),
        "focus_iso3": lambda: len(value) == 3 and value.isalpha() and value.isupper(),
        "center": lambda: len(value) == 2 and all(isinstance(v, int | float) for v in value)
        and -90 <= value[0] <= 90 and -180 <= value[1] <= 180,
        "zoom": lambda: 1 <= value <= 18,
        "timeline_end": lambda: isinstance(raw.get("timeline_start"), dt.date) and value > raw["timeline_start"],
        "default_day": lambda: isinstance(raw.get("timeline_start"), dt.date) and isinstance(raw.get("timeline_end"), dt.date)
        and raw["timeline_start"] <= value <= raw["timeline_end"],
        "export_stem": lambda: value.replace("_", "").isalnum() and value.isascii(),
        "boundaries": lambda: set(value) == set(BOUNDARIES) and all(isinstance(v, str) for v in value.values()),
        "layer_titles": lambda: all(isinstance(v, str) for v in value.values()),
    }
    return checks.get(key, lambda: True)()


def parse(raw: Mapping[str, Any]) -> Scenario:
    """A checked scenario table as a Scenario."""
    return Scenario(
        title=raw["title"], map_title=raw["map_title"], focus_iso3=raw["focus_iso3"],
        center=(float(raw["center"][0]), float(raw["center"][1])), zoom=raw["zoom"],
        timeline=(raw["timeline_start"], raw["timeline_end"]), default_day=raw["default_day"],
        export_stem=raw["export_stem"], boundaries=MappingProxyType(dict(raw["boundaries"])),
        layer_titles=MappingProxyType(dict(raw.get("layer_titles", {}))),
    )
