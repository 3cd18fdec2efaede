"""The app in Debian chromium: what the map draws on a day (read from the page), the slider, play, links; offline."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from geo import settings
from tests._browser import ROOT, Drawn, browser_page, drawn_features, record_dialogs, streamlit_server

pytestmark = pytest.mark.browser
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
SLIDER = "[data-testid=stSlider] input[type=range]"
PATHS_SIGNATURE = "paths => paths.map(p => p.getAttribute('d')).join('|')"
SEEDS = ROOT / "seeds"
T = TypeVar("T")

# Facts of the record, written by hand from seeds/README.md and seeds/data/deployments.csv (not computed by the app):
# (actor_id, site_id) drawn, and not drawn, on three days of the bundled seeds.
FACTS = {
    # Three weeks after the coup: France at Air Base 101 and Ouallam, the US at AB 101 and AB 201; no Russians in Niger.
    # (The US embassy team is only "possibly" there before 5 Aug 2024: its start is sourced as "on or before".)
    "2023-08-15": ({("FRA", "SITE_AB101_FRA"), ("FRA", "SITE_OUALLAM"), ("USA", "SITE_AB101_USA"), ("USA", "SITE_AB201")},
                   {("RUS", "SITE_AB101_RUS")}),
    # The README's picture: US and Russian forces both at Air Base 101; France gone (22 Dec 2023).
    "2024-05-03": ({("USA", "SITE_AB101_USA"), ("RUS", "SITE_AB101_RUS"), ("USA", "SITE_AB201")},
                   {("FRA", "SITE_AB101_FRA"), ("FRA", "SITE_OUALLAM")}),
    # After the AB 101 (7 Jul) and AB 201 (5 Aug 2024) handovers: a few US troops at the embassy, Russians stay.
    "2024-08-10": ({("USA", "SITE_US_EMBASSY"), ("RUS", "SITE_AB101_RUS")},
                   {("USA", "SITE_AB101_USA"), ("USA", "SITE_AB201"), ("FRA", "SITE_AB101_FRA")}),
}


def open_map(page, url: str, timeout_ms: float = 60_000) -> None:
    """Open the app and wait until the Leaflet map has drawn its shapes and markers."""
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=timeout_ms)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=timeout_ms)


def rest_of_page(page, timeout_ms: float = 60_000) -> None:
    """Wait for what the map's first report brings (ui/opening.py): the controls, the chart and the events."""
    page.locator('[data-testid="stVegaLiteChart"]').wait_for(timeout=timeout_ms)
    page.get_by_text("Events within").first.wait_for(timeout=timeout_ms)


def map_frame(page, timeout: float = 30):
    """The map iframe now in the page, once any it replaces is gone (a naive re-render, or new static layers)."""
    frames, deadline = page.locator(MAP_FRAME), time.monotonic() + timeout
    while frames.count() != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    return frames.element_handle().content_frame()


def signature(page) -> str:
    """Every drawn path's geometry: changes when markers are added, removed or resized."""
    try:
        return page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").evaluate_all(PATHS_SIGNATURE)
    except Exception:  # the map iframe is being replaced (naive re-render)
        return ""


def move_slider(page, key: str, before: str, timeout: float = 30) -> float:
    """Press a key on the date slider; return seconds until the drawn paths differ from `before`."""
    start = time.perf_counter()
    page.locator(SLIDER).press(key)
    while time.perf_counter() - start < timeout:
        now = signature(page)
        if now and now != before:
            return time.perf_counter() - start
        time.sleep(0.01)
    raise TimeoutError(f"markers unchanged {timeout} s after pressing {key}")


def zoom(page) -> int:
    return map_frame(page).evaluate("() => window.map.getZoom()")


def eventually(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 30) -> T:
    """Read until `done` holds (the map updates a moment after the page) or the time is up; the last reading."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = read()
        except Exception:  # the iframe or its map is being replaced between reruns
            if time.monotonic() > deadline:
                raise
        else:
            if done(value) or time.monotonic() > deadline:
                return value
        time.sleep(0.25)


def forces(page) -> list[Drawn]:
    """The force markers drawn: the features whose popup has "Force" and "Status" rows (figure badges have no status)."""
    return [d for d in drawn_features(map_frame(page)) if d.row("Force") is not None and d.row("Status") is not None]


def checkbox(page, label: str):
    """A sidebar checkbox or toggle's input, by its label."""
    box = page.locator("[data-testid=stSidebar] [data-testid=stCheckbox]")
    return box.filter(has=page.get_by_text(label, exact=True)).locator("input")


def slider_label(page) -> str | None:
    return page.locator(SLIDER).get_attribute("aria-valuetext")


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def record_ids(seeds: Path = SEEDS) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """From the CSV tables themselves: actor name -> id, site name -> id, actor id -> colour."""
    actors, sites = read_csv(seeds / "data" / "actors.csv"), read_csv(seeds / "data" / "sites.csv")
    return ({a["name"]: a["actor_id"] for a in actors}, {s["name"]: s["site_id"] for s in sites},
            {a["actor_id"]: a["colour"] for a in actors})


def who_where(marker: Drawn, actor_ids: dict[str, str], site_ids: dict[str, str]) -> tuple[str, str]:
    """(actor_id, site_id) of a force marker, from its popup: "Force" row and its "<force> at <site>" title."""
    force = marker.row("Force") or ""
    return actor_ids[force], site_ids[marker.title.removeprefix(f"{force} at ")]


def cli_summary(day: str, *actors: str) -> list[dict]:
    """`python -m geo summary --date DAY --json` on the bundled seeds: its deployments (of `actors` if given)."""
    result = subprocess.run([sys.executable, "-m", "geo", "summary", "--date", day, "--json"], cwd=ROOT,
                            capture_output=True, text=True, check=True, timeout=120)
    listed = json.loads(result.stdout)["deployments"]
    return [d for d in listed if not actors or d["actor_id"] in actors]


def assert_forces_match_summary(drawn: list[Drawn], listed: list[dict]) -> None:
    """Each located deployment the summary lists is drawn once, by actor and site, with its status, strength, colour
    and place (compounds sharing a base are spread by a few hundredths of a degree); nothing else is drawn."""
    actor_ids, site_ids, colours = record_ids()
    got = {who_where(m, actor_ids, site_ids): m for m in drawn}
    located = [d for d in listed if d["lon"] is not None]
    assert Counter(who_where(m, actor_ids, site_ids) for m in drawn) == Counter((d["actor_id"], d["site_id"]) for d in located)
    for d in located:
        marker = got[d["actor_id"], d["site_id"]]
        assert (marker.row("Status"), marker.row("Figure for this site")) == (d["status"], d["strength_label"]), d
        assert marker.fill == colours[d["actor_id"]]
        assert abs(marker.lat - d["lat"]) < 0.05 and abs(marker.lon - d["lon"]) < 0.05, (marker, d)


@pytest.fixture(scope="module")
def bundled():
    """The app on the bundled seeds."""
    with streamlit_server() as url:
        yield url


@pytest.fixture
def tiny(seeds: Path):
    """The app on the tiny synthetic seeds (tests/conftest.py)."""
    with streamlit_server(env={"GEO_SEEDS_DIR": str(seeds)}) as url:
        yield url


@pytest.mark.parametrize("day", sorted(FACTS))
def test_forces_drawn_on_a_day_are_those_the_summary_lists(bundled, day):
    listed = cli_summary(day)
    actor_ids, site_ids, _ = record_ids()
    with browser_page() as (page, blocked):
        open_map(page, f"{bundled}/?date={day}")
        wanted = Counter((d["actor_id"], d["site_id"]) for d in listed if d["lon"] is not None)
        drawn = eventually(lambda: forces(page), lambda m: Counter(who_where(x, actor_ids, site_ids) for x in m) == wanted)
        assert_forces_match_summary(drawn, listed)
        present, absent = FACTS[day]
        pairs = {who_where(m, actor_ids, site_ids) for m in drawn}
        assert present <= pairs and not absent & pairs, pairs
        assert blocked == []


def run_endings(page) -> list[int]:
    """From now on, how each script run the server reports ends (ForwardMsg.ScriptFinishedStatus values)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    endings: list[int] = []

    def received(payload: bytes | str) -> None:
        message = ForwardMsg()
        message.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
        if message.WhichOneof("type") == "script_finished":
            endings.append(message.script_finished)

    page.on("websocket", lambda socket: socket.on("framereceived", received))
    return endings


def test_a_slider_move_reruns_only_the_days_view(tiny):
    """The slider belongs to the day's fragment (ui.dayview): a move reruns the map, title and text, not the page."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    with browser_page() as (page, blocked):
        endings = run_endings(page)
        open_map(page, f"{tiny}/?date=2024-05-03")
        page.wait_for_timeout(1000)
        endings.clear()
        move_slider(page, "Home", signature(page))
        eventually(lambda: page.locator("h1").first.inner_text(), lambda title: "26 Jul 2023" in title)
        page.wait_for_timeout(1000)
        assert endings == [ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY], endings
        assert "26 Jul 2023" in page.locator("h1").first.inner_text()
        assert blocked == []


def test_the_page_opens_with_its_map_and_keeps_that_map_when_the_rest_arrives(tiny):
    """The first run draws the title and map (ui.opening); the map's first report brings the slider, the controls,
    the chart and the text. The map stays the same frame, loaded once, its view kept."""
    with browser_page() as (page, blocked):
        loads: list[str] = []
        page.on("framenavigated", lambda frame: loads.append(frame.url) if "st_folium" in frame.url else None)
        page.goto(f"{tiny}/?date=2024-05-03")
        page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
        map_frame(page).evaluate("() => { window.firstMap = true; window.map.setZoom(7); }")
        rest_of_page(page)
        checkbox(page, "Bases and sites").wait_for(state="attached", timeout=30_000)
        assert page.locator(MAP_FRAME).count() == 1 and len(loads) == 1, loads
        assert map_frame(page).evaluate("() => window.firstMap") is True and zoom(page) == 7
        assert blocked == []


def test_a_map_that_never_reports_holds_the_controls_back_one_wait_at_most(tiny):
    """Leaflet refused: the map never draws or reports, and the controls come after settings.MAP_REPORT_WAIT_S."""
    with browser_page() as (page, blocked):
        page.route("**/vendor/leaflet.js*", lambda route: route.abort())
        started = time.monotonic()
        page.goto(f"{tiny}/?date=2024-05-03")
        checkbox(page, "Bases and sites").wait_for(state="attached", timeout=30_000)
        assert time.monotonic() - started >= settings.MAP_REPORT_WAIT_S
        assert page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").count() == 0
        page.get_by_text("Events within").first.wait_for(timeout=10_000)
        assert blocked == []


def test_slider_redraws_the_day_and_keeps_the_zoom(tiny):
    """Tiny seeds: the US from 2023-01-01 (withdrawing from 16 Mar 2024; its figures are country-wide, so its site has
    none), Russia from 2024-05-02."""
    with browser_page() as (page, blocked):
        open_map(page, f"{tiny}/?date=2024-05-03")
        expected_may = {("United States", "withdrawing", "not reported"), ("Russia", "present", "not reported")}

        def seen() -> set[tuple[str | None, ...]]:
            return {(m.row("Force"), m.row("Status"), m.row("Figure for this site")) for m in forces(page)}

        assert eventually(seen, lambda s: s == expected_may) == expected_may
        map_frame(page).evaluate("() => { window.map.setZoom(7); }")
        page.wait_for_timeout(500)
        move_slider(page, "Home", signature(page))
        assert slider_label(page) == "26 Jul 2023"
        expected_july = {("United States", "present", "not reported")}
        assert eventually(seen, lambda s: s == expected_july) == expected_july
        assert zoom(page) == 7
        assert blocked == []


def test_play_advances_a_day_a_step_and_stops_at_the_end(tiny):
    with browser_page() as (page, blocked):
        open_map(page, f"{tiny}/?date=2024-09-27")
        toggle = checkbox(page, "Play")
        page.locator("[data-testid=stSidebar]").get_by_text("Play", exact=True).click()
        labels = [slider_label(page)]
        deadline = time.monotonic() + 30
        while labels[-1] != "30 Sep 2024" and time.monotonic() < deadline:
            if (label := slider_label(page)) != labels[-1]:
                labels.append(label)
            time.sleep(0.05)
        assert labels == ["27 Sep 2024", "28 Sep 2024", "29 Sep 2024", "30 Sep 2024"]
        eventually(lambda: toggle.is_checked(), lambda checked: not checked, timeout=10)
        assert not toggle.is_checked()  # switched itself off at the timeline's end
        page.wait_for_timeout(2500)  # two more play intervals: nothing moves
        assert slider_label(page) == "30 Sep 2024" and "30 Sep 2024" in page.locator("h1").inner_text()
        assert {m.row("Force") for m in forces(page)} == {"Russia"}  # the US left on 7 Jul 2024
        assert blocked == []


def test_a_link_restores_the_date_layers_and_forces_as_drawn(bundled):
    """Change the view with the controls, open the link the app wrote in a new browser: the same map."""
    with browser_page() as (page, blocked):
        open_map(page, f"{bundled}/?date=2024-05-03")
        bar = page.locator("[data-testid=stSidebar]")
        bar.get_by_text("Events (last 30 days)", exact=True).click()
        bar.get_by_text("Towns", exact=True).click()
        page.get_by_role("button", name="Remove Italy (MISIN)").click()
        page.wait_for_function("() => new URL(location.href).searchParams.get('layers') !== null "
                               "&& !new URL(location.href).searchParams.get('layers').includes('events')"
                               "&& !new URL(location.href).searchParams.get('actors').includes('ITA')", timeout=30_000)
        link = page.url
        listed = cli_summary("2024-05-03", *(a for a in record_ids()[2] if a != "ITA"))
        before = eventually(lambda: sorted(drawn_features(map_frame(page)), key=repr),  # the new map, towns gone
                            lambda drawn: len([d for d in drawn if d.row("Force") and d.row("Status")]) == len(listed)
                            and not any(d.row("Population (max)") for d in drawn))
        assert len([d for d in before if d.row("Force") and d.row("Status")]) == len(listed) > 0
    with browser_page() as (page, more_blocked):
        open_map(page, link)
        assert slider_label(page) == "3 May 2024"
        for title, shown in (("Events (last 30 days)", False), ("Towns", False), ("Forces present", True),
                             ("Bases and sites", True)):
            assert checkbox(page, title).is_checked() is shown, title
        assert "Italy" not in page.locator("[data-testid=stMultiSelect]").inner_text()
        after = eventually(lambda: sorted(drawn_features(map_frame(page)), key=repr), lambda drawn: drawn == before)
        assert after == before
        assert_forces_match_summary([d for d in after if d.row("Force") and d.row("Status")], listed)
        assert not [d for d in after if d.row("Date") or d.row("Population (max)")]  # no events, no towns
        assert blocked == more_blocked == []


def test_markup_in_event_titles_and_force_names_shows_as_text(tables, tmp_path):
    """Events and changes beside the map are Streamlit markdown built from the record: its text is shown as typed."""
    from tests.conftest import write_seeds
    from tests.test_upload_browser import MARKDOWN

    tables["events"][0]["title"] = f"Title {MARKDOWN}"
    tables["actors"][1]["name"] = f"Force {MARKDOWN}"  # RUS: arrives on 2024-05-02, listed under "What changed"
    seeds = write_seeds(tmp_path / "seeds", tables)
    with streamlit_server(env={"GEO_SEEDS_DIR": str(seeds)}) as url, browser_page() as (page, blocked):
        dialogs = record_dialogs(page)
        open_map(page, f"{url}/?date=2024-05-03")
        texts = page.locator("[data-testid=stMain] [data-testid=stMarkdownContainer]")
        event = texts.filter(has_text="(arrival)")
        change = texts.filter(has_text="Arrived:")
        event.wait_for(timeout=30_000)
        assert f"Title {MARKDOWN}: A report" in event.inner_text(), event.inner_text()
        assert f"Arrived: Force {MARKDOWN} at Russian compound" in change.inner_text(), change.inner_text()
        for shown in (event, change):
            for element in ("img", "em", "h1", ".katex", "[data-testid=stIconMaterial]", "span[style]"):
                assert shown.locator(element).count() == 0, element
        hrefs = event.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert set(hrefs) <= {"https://example.org/a", "https://example.org/b", "http://evil.example/x.png"}, hrefs
        assert "javascript:alert(2)" not in hrefs and change.locator("a").count() <= 1
        tips = {m.tooltip for m in forces(page)}
        assert f"Force {MARKDOWN} at Russian compound: present, not reported" in tips  # Leaflet text, not HTML
        frame = map_frame(page)  # the same features drawn by the page itself as the slider moves (geo/web/preview.py)
        frame.wait_for_function("() => window.geoPreview !== undefined", timeout=30_000)
        frame.evaluate("() => geoPreview.draw('2024-05-04T00:00:00')")
        assert frame.evaluate("() => window.geoDayShown.drawn") == "2024-05-04T00:00:00"
        assert f"Force {MARKDOWN} at Russian compound: present, not reported" in {m.tooltip for m in forces(page)}
        assert dialogs == [] and blocked == []


def test_a_restarted_server_draws_the_same_map_from_its_disk_cache(seeds: Path, tmp_path: Path):
    """serve.py's warm-up keeps what it built on disk; started again on that folder it reads every entry back (the
    same files, only marked used) and the page draws the same features."""
    cache = tmp_path / "cache"
    env, drawn, entries = {"GEO_SEEDS_DIR": str(seeds), "GEO_CACHE_DIR": str(cache)}, [], []
    for _ in range(2):
        with streamlit_server(ROOT / "serve.py", env=env) as url, browser_page() as (page, blocked):
            open_map(page, f"{url}/?date=2024-05-03")
            drawn.append(sorted(eventually(lambda: drawn_features(map_frame(page)), bool), key=repr))
            assert blocked == []
        entries.append({path.name: path.stat().st_ino for path in cache.glob("*.pickle")})
    assert len(entries[0]) >= 3  # a rebuilt entry would be a new file, renamed over the old one
    assert {name: entries[1].get(name) for name in entries[0]} == entries[0]
    assert drawn[0] and drawn[1] == drawn[0]
