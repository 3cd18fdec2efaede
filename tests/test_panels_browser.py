"""Every download button in Debian chromium: each file, read back with GDAL or parsed, holds the day or timeline it says."""

from __future__ import annotations

import json
import re
import tomllib
import zipfile
from pathlib import Path

import pyogrio
import pytest

from tests._browser import browser_page, streamlit_server
from tests.test_browser import SEEDS, cli_summary, open_map, read_csv

pytestmark = pytest.mark.browser
DAY = "2024-05-03"
BUTTONS = {"html": "HTML page (offline)", "gpkg": "GeoPackage (QGIS)", "kml": "KML (Google Earth)",
           "geojson": "GeoJSON (zip, a file per layer)"}
Row = tuple[str, str | None, str | None]  # deployment_id, first day, first day gone (ISO, None when open)


def iso(value: object) -> str | None:
    """A date or date-time as read back (string, Timestamp, None or NaT) -> YYYY-MM-DD or None."""
    if value is None or value != value or value == "":
        return None
    return str(value)[:10]


def deployment_rows(fmt: str, path: Path, folder: Path) -> tuple[list[Row], tuple[str, str] | None]:
    """The deployments layer's rows in a downloaded file, and (for the HTML page) the timeline it offers."""
    if fmt == "html":
        text = path.read_text(encoding="utf-8")
        found = re.search(r'<script type="application/json" id="geo-data">(.*?)</script>', text, re.S)
        assert found, "no geo-data script in the page"
        data = json.loads(found.group(1))
        [layer] = [layer for layer in data["layers"] if layer["name"] == "deployments"]
        return [(f["id"].split("#")[0], iso(f["s"]), iso(f["e"])) for f in layer["features"]], (data["start"], data["end"])
    if fmt == "geojson":
        with zipfile.ZipFile(path) as archive:
            [name] = [n for n in archive.namelist() if n.endswith("_deployments.geojson")]
            document = json.loads(archive.read(name))
        return [(f["properties"]["feature_id"].split("#")[0], iso(f["properties"]["start_date"]),
                 iso(f["properties"]["end_date"])) for f in document["features"]], None
    start, end = ("begin", "end") if fmt == "kml" else ("start_date", "end_date")
    frame = pyogrio.read_dataframe(path, layer="deployments")
    return [(str(i).split("#")[0], iso(s), iso(e)) for i, s, e in zip(frame["feature_id"], frame[start], frame[end])], None


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


def download(page, label: str, folder: Path) -> tuple[str, Path]:
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=label).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return info.value.suggested_filename, path


def test_every_download_button_holds_the_day_or_the_whole_timeline(server, tmp_path):
    present = {d["deployment_id"] for d in cli_summary(DAY)}  # `python -m geo summary`, not the export code
    every = {row["deployment_id"] for row in read_csv(SEEDS / "data" / "deployments.csv")}
    scenario = tomllib.loads((SEEDS / "scenario.toml").read_text(encoding="utf-8"))
    timeline = (str(scenario["timeline_start"]), str(scenario["timeline_end"]))
    assert present and present < every
    with browser_page() as (page, blocked):
        open_map(page, f"{server}/?date={DAY}")
        page.get_by_text("Download", exact=True).click()
        for scope in ("This day", "Whole timeline"):
            page.locator("[data-testid=stSidebar]").get_by_text(scope, exact=True).click()
            page.wait_for_timeout(1500)  # the rerun gives the buttons their new files
            for fmt, label in BUTTONS.items():
                folder = tmp_path / scope.replace(" ", "_") / fmt
                folder.mkdir(parents=True)
                name, path = download(page, label, folder)
                rows, offered = deployment_rows(fmt, path, folder)
                ids = {row[0] for row in rows}
                if scope == "This day":
                    assert name == f"niger_forces_{DAY}.{path.suffix[1:]}", name
                    assert ids == present, (fmt, ids ^ present)
                    assert all((s is None or s <= DAY) and (e is None or e > DAY) for _, s, e in rows), (fmt, rows)
                    assert offered in (None, (DAY, DAY))
                else:
                    assert DAY not in name and name.startswith("niger_forces."), name
                    assert ids == every, (fmt, ids ^ every)
                    assert len(rows) > len(present)  # every step of every deployment, not one day's
                    assert offered in (None, timeline)
        assert blocked == []

