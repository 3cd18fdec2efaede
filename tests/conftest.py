"""Tiny synthetic seeds: two square countries, one region, one town, and a handful of sourced rows."""

from __future__ import annotations

import csv
import json
import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from geo.data.schema import TABLES

# Property tests check behaviour, not speed: no per-example deadline (a loaded 2-core machine is slow, not wrong).
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")


def missing_tool(reason: str) -> None:
    """Skip a test whose tool (chromium, ogrinfo, QGIS) is missing; in CI (CI=true) fail instead: green means it ran."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: a missing tool fails the run)")
    pytest.skip(reason)


SQUARE_NER = [[[0, 10], [10, 10], [10, 20], [0, 20], [0, 10]]]
SQUARE_TCD = [[[10, 10], [20, 10], [20, 20], [10, 20], [10, 10]]]


def base_tables() -> dict[str, list[dict]]:
    """A minimal valid dataset: US and Russian forces sharing one base, a strength step, an event, a movement."""
    src = {"title": "A report", "publisher": "Wire", "outlet": "Wire", "published": "2024-05-02", "url": "https://example.org/a",
           "kind": "wire", "notes": ""}
    return {
        "sources": [
            {**src, "source_id": "SRC1", "kind": "official"},  # one official source allows 'high' (the confidence rule)
            {**src, "source_id": "SRC2", "url": "https://example.org/b", "publisher": "Paper", "outlet": "Paper"},
            {**src, "source_id": "NE", "title": "Natural Earth 1:10m", "kind": "reference", "url": ""},
        ],
        "actors": [
            {"actor_id": "USA", "name": "United States", "kind": "state", "colour": "#0072B2", "notes": ""},
            {"actor_id": "RUS", "name": "Russia", "kind": "state", "colour": "#D55E00", "notes": ""},
            {"actor_id": "NER", "name": "Niger", "kind": "state", "colour": "#56B4E9", "notes": ""},
        ],
        "sites": [
            site("BASE", "Base One", "air_base", "", 5, 15, "airport"),
            site("US_C", "US compound", "compound", "BASE", 5, 15, "approximate"),
            site("RU_C", "Russian compound", "compound", "BASE", 5, 15, "approximate"),
            site("FAR", "Far base", "air_base", "", 15, 15, "exact", country="TCD"),
            site("NOWHERE", "Unlocated", "town", "", "", "", "town"),
        ],
        "deployments": [
            deployment("D_US", "USA", "US_C", "2023-01-01", "2024-07-07", drawdown_from="2024-03-16"),
            deployment("D_RU", "RUS", "RU_C", "2024-05-02", ""),
        ],
        "strengths": [
            strength("S1", "USA", "", "2023-09-07", 1100, 1100),
            strength("S2", "USA", "", "2024-04-01", 946, 1000, precision="month", sources="SRC1;SRC2"),
            strength("S3", "USA", "US_C", "2024-06-01", "", 500, precision="month", qualifier="up_to"),
        ],
        "events": [
            {"event_id": "E1", "date": "2024-05-02", "date_precision": "day", "end": "", "kind": "arrival",
             "title": "Russians enter the base", "actor_ids": "RUS;USA", "site_id": "BASE", "confidence": "high",
             "source_ids": "SRC1", "notes": ""},
            {"event_id": "E2", "date": "2024-04-19", "date_precision": "day", "end": "", "kind": "agreement",
             "title": "Agreement in Washington", "actor_ids": "USA", "site_id": "", "confidence": "medium",
             "source_ids": "SRC2", "notes": ""},
        ],
        "movements": [
            {"movement_id": "M1", "actor_id": "USA", "from_site": "BASE", "to_site": "FAR", "start": "2023-09-07",
             "start_precision": "day", "end": "2023-09-10", "end_precision": "day", "mode": "military airlift",
             "title": "Repositioning", "confidence": "high", "source_ids": "SRC1", "notes": ""},
        ],
        "memberships": [
            {"membership_id": "AES_NER", "country": "NER", "group": "Alliance of Sahel States", "start": "2023-09-16",
             "start_precision": "day", "end": "", "end_precision": "", "source_ids": "SRC1", "notes": ""},
        ],
        "people": [
            {"person_id": "P1", "name": "A. Person", "role": "Envoy", "actor_id": "USA", "start": "", "start_precision": "",
             "end": "", "end_precision": "", "confidence": "high", "source_ids": "SRC1", "notes": ""},
        ],
        "claims": [{"claim_id": "C1", "claim": "Russians share the base", "quote": "Russians arrived", "rows": "events:E1",
                    "source_ids": "SRC1"}],
        "documents": [{"document_id": "DOC1", "file": "documents/a.txt", "title": "A report", "publisher": "Wire",
                       "published": "2024-05-02", "source_id": "SRC1", "errata": ""}],
        "story": [
            {"step": "1", "date": "2024-04-19", "title": "The agreement", "text": "They agree.", "source_ids": "SRC2",
             "lat": "15", "lon": "5", "zoom": "6", "layers": "deployments;events", "rows": "events:E2"},
            {"step": "2", "date": "2024-05-02", "title": "Russians arrive", "text": "They share the base.",
             "source_ids": "SRC1", "lat": "15", "lon": "5", "zoom": "9", "layers": "deployments", "rows": "events:E1"},
        ],
    }


def site(site_id, name, kind, within, lon, lat, precision, country="NER") -> dict:
    return {"site_id": site_id, "name": name, "kind": kind, "country": country, "within": within, "lon": lon,
            "lat": lat, "location_precision": precision, "confidence": "high", "source_ids": "SRC1", "notes": ""}


def deployment(dep_id, actor, site_id, start, end, drawdown_from="") -> dict:
    return {"deployment_id": dep_id, "actor_id": actor, "site_id": site_id, "start": start, "start_precision": "day",
            "end": end, "end_precision": "day" if end else "", "drawdown_from": drawdown_from, "mission": "training",
            "assets": "", "confidence": "high", "source_ids": "SRC1", "notes": ""}


def strength(sid, actor, site_id, as_of, low, high, precision="day", sources="SRC1", reported="", qualifier="exact",
             measure="present") -> dict:
    return {"strength_id": sid, "actor_id": actor, "site_id": site_id, "country": "NER", "as_of": as_of,
            "as_of_precision": precision, "reported": reported or as_of, "strength_min": low, "strength_max": high,
            "qualifier": qualifier, "measure": measure, "confidence": "high", "source_ids": sources, "notes": ""}


def feature(geometry_type: str, coordinates, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": {"type": geometry_type, "coordinates": coordinates}}


def opened(test):
    """An AppTest's page as a browser opens it: the first run draws the title and map alone, and the map's
    first report brings the rest (this report names no view, so layers draw as at the map's opening view)."""
    if "map" not in test.session_state:
        test.session_state["map"] = {}
    return test.run()


def drawn_features(script: str) -> list[dict]:
    """The features of every FeatureLayer (L.geoJson) in a rendered script or page, as the browser parses them."""
    decoder, found, start = json.JSONDecoder(), [], script.find("L.geoJson(")
    while start != -1:
        found += decoder.raw_decode(script, start + len("L.geoJson("))[0]["features"]
        start = script.find("L.geoJson(", start + 1)
    return found


# The tiny seeds' theatre: the bundled one's names and timeline over two made-up square countries.
SCENARIO_TOML = """title = "Tiny test theatre (made-up data)"
map_title = "Foreign forces in Niger"
focus_iso3 = "NER"
center = [15.0, 5.0]
zoom = 6
timeline_start = 2023-07-26
timeline_end = 2024-09-30
default_day = 2024-05-03
export_stem = "niger_forces"

[boundaries]
countries = "boundaries/admin0.geojson"
regions = "boundaries/admin1_niger.geojson"
towns = "boundaries/places_niger.geojson"
"""


# The tiny seeds' one document: each claim's quote occurs in it exactly once.
DOCUMENT_TEXT = "Reportedly, Russians arrived at the base in May.\n"


def tiny_scenario():
    """The tiny seeds' Scenario, for tests that export frames without a dataset."""
    from geo.data.scenario import parse

    return parse(tomllib.loads(SCENARIO_TOML))


def write_seeds(folder: Path, tables: dict[str, list[dict]]) -> Path:
    """Write tables as CSV (columns in schema order), the scenario and tiny boundaries; return the seeds folder."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "scenario.toml").write_text(SCENARIO_TOML, encoding="utf-8")
    for name, rows in tables.items():
        columns = [c.name for c in TABLES[name]] if name in TABLES else list(rows[0])
        with open(folder / "data" / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    write_boundaries(folder / "boundaries")
    (folder / "documents").mkdir(exist_ok=True)
    (folder / "documents" / "a.txt").write_text(DOCUMENT_TEXT, encoding="utf-8")
    return folder


def write_boundaries(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    countries = [
        feature("Polygon", SQUARE_NER, ISO_A3="NER", NAME="Niger", ROLE="focus"),
        feature("Polygon", SQUARE_TCD, ISO_A3="TCD", NAME="Chad", ROLE="neighbour"),
    ]
    regions = [feature("Polygon", SQUARE_NER, name="Everywhere", iso_3166_2="NE-1", name_fr="Partout")]
    towns = [feature("Point", [2, 12], name="Town", role="town", region="Everywhere", pop_max=1000, ne_id=7)]
    for filename, features in (("admin0.geojson", countries), ("admin1_niger.geojson", regions),
                               ("places_niger.geojson", towns)):
        (folder / filename).write_text(json.dumps({"type": "FeatureCollection", "features": features}))


@pytest.fixture(scope="session", autouse=True)
def no_disk_cache():
    """The app's disk cache (geo/diskcache.py) off, for this process and the servers tests start: a test builds what
    it uses, never the user's cache nor a value another test left; the cache's own tests choose a folder."""
    previous = os.environ.get("GEO_CACHE_DIR")
    os.environ["GEO_CACHE_DIR"] = ""
    yield
    if previous is None:
        os.environ.pop("GEO_CACHE_DIR")
    else:
        os.environ["GEO_CACHE_DIR"] = previous


@pytest.fixture
def tables() -> dict[str, list[dict]]:
    return base_tables()


@pytest.fixture
def seeds(tmp_path: Path, tables: dict[str, list[dict]]) -> Path:
    return write_seeds(tmp_path / "seeds", tables)


@pytest.fixture
def dataset(seeds: Path):
    from geo.data.dataset import load_dataset

    return load_dataset(seeds)


def run_command(capsys, *argv: str) -> tuple[int, str]:
    """`python -m geo ARGV` in process: its exit code (argparse's too) and what it printed to stderr."""
    from geo.cli import main

    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    return code, capsys.readouterr().err
