"""The day drawn in the page as the slider moves (geo/web/preview.py), in Debian chromium on the bundled seeds: the
page's filter against the server's, and a move's first drawing against the rerun's."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.data.dataset import load_dataset
from geo.web import preview
from tests._browser import browser_page, streamlit_server
from tests.test_browser import MAP_FRAME, SEEDS, SLIDER, map_frame, open_map, rest_of_page, slider_label
from tests.test_preview import DATED, all_time, change_days, server_ids

pytestmark = pytest.mark.browser

# A document's drawn map: every path's shape, colours, opacities and dashes, in a stable order.
DRAWING_OF = """doc => Array.from(doc.querySelectorAll('path.leaflet-interactive'), path =>
    ['d', 'fill', 'stroke', 'fill-opacity', 'stroke-opacity', 'stroke-dasharray', 'stroke-width']
        .map(name => path.getAttribute(name)).join(' ')).sort().join('|')"""
DRAWING = f"() => ({DRAWING_OF})(document)"
# In the page, at each animation frame after the keydown: the first drawing that differs from the one before, and
# whether the server's groups (streamlit_folium's last evaluated script) had arrived by then.
WATCH = """frameSelector => {
    const frame = document.querySelector(frameSelector), win = frame.contentWindow, doc = frame.contentDocument;
    const drawing = () => (DRAWING_OF)(doc);
    const served = () => win.__GLOBAL_DATA__.last_feature_group;
    const before = drawing(), groups = served(), seen = {first: null, servedFirst: null, served: false};
    window.__geoSeen = seen;
    const tick = () => {
        if (seen.first === null && drawing() !== before) {
            seen.first = drawing();
            seen.servedFirst = served() !== groups;
        }
        seen.served = served() !== groups;
        if (seen.first === null || !seen.served) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    return before;
}""".replace("DRAWING_OF", DRAWING_OF)


@pytest.fixture(scope="module")
def bundled():
    with streamlit_server() as url:
        yield url


def test_the_page_filters_the_timeline_as_the_server_does_on_every_change(bundled):
    dataset = load_dataset(SEEDS)
    frames = all_time(dataset)
    everyone = list(dataset.actors["actor_id"])
    with browser_page() as (page, blocked):
        open_map(page, f"{bundled}/?date=2024-05-03")
        frame = map_frame(page)
        frame.wait_for_function("() => window.geoPreview !== undefined", timeout=30_000)
        days = change_days(frames, dataset.scenario.timeline)
        for actors in (everyone, ["RUS"], ["USA", "FRA"]):
            drawn = frame.evaluate("([layers, days, actors]) => days.map(day => layers.map(name => "
                                   "geoPreview.rows(name, day, actors).map(row => row[0])))",
                                   [DATED, [preview.day_text(day) for day in days], actors])
            for day, ids, expected in zip(days, drawn, server_ids(frames, days, actors), strict=True):
                assert ids == expected, (day, actors)
        assert blocked == []


@pytest.mark.parametrize(("key", "label"), [("Home", "26 Jul 2023"), ("End", "30 Sep 2024")])
def test_a_move_is_drawn_before_the_rerun_arrives_and_the_rerun_draws_the_same(bundled, key, label):
    with browser_page() as (page, blocked):
        open_map(page, f"{bundled}/?date=2024-05-03")
        rest_of_page(page)
        map_frame(page).wait_for_function("() => window.geoPreview !== undefined", timeout=30_000)
        before = page.evaluate(WATCH, MAP_FRAME)
        page.locator(SLIDER).press(key)
        page.wait_for_function("() => window.__geoSeen.served", timeout=30_000)
        page.wait_for_timeout(1500)
        seen, after = page.evaluate("() => window.__geoSeen"), map_frame(page).evaluate(DRAWING)
        assert slider_label(page) == label
        assert seen["servedFirst"] is False  # drawn in the page, before the server's groups
        assert seen["first"] == after != before  # the same paths, places, colours, opacities and dashes
        assert map_frame(page).evaluate("() => window.geoDayShown.day") == preview.day_text(dt.datetime.strptime(label, "%d %b %Y").date())
        assert blocked == []


def test_a_rerun_for_a_day_the_slider_has_left_gives_way_to_the_slider_day(bundled):
    """A rerun's groups for Home arriving once the slider is at End (pressed in between): the page draws End again
    at once (follow(), queued by the rerun's first script), the same drawing as End's own rerun."""
    with browser_page() as (page, blocked):
        open_map(page, f"{bundled}/?date=2024-05-03")
        rest_of_page(page)
        frame = map_frame(page)
        frame.wait_for_function("() => window.geoPreview !== undefined", timeout=30_000)
        page.locator(SLIDER).press("End")
        frame.wait_for_function("() => window.geoDayShown.day === '2024-09-30T00:00:00'", timeout=30_000)
        page.wait_for_timeout(1000)
        end = frame.evaluate(DRAWING)
        drawn = frame.evaluate("""() => {
            window.geoDayShown = {...window.geoDayShown, day: '2023-07-26T00:00:00'};  // as Home's rerun would say
            geoPreview.follow();
            return window.geoDayShown.drawn;
        }""")
        assert drawn == "2024-09-30T00:00:00" and frame.evaluate(DRAWING) == end
        assert blocked == []
