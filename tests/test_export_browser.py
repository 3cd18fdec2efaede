"""The exported HTML in a real browser from file://: Leaflet runs, features draw, the timeline changes them, offline."""

from __future__ import annotations

import pytest

from geo.exports.write import export
from layers import REGISTRY
from tests._browser import browser_page

pytestmark = pytest.mark.browser


def visible(page) -> tuple[str, int, int]:
    """(day shown, features the script counts visible, circle and path elements drawn)."""
    drawn = page.locator("path.leaflet-interactive").count()
    return page.get_attribute("body", "data-day"), int(page.get_attribute("body", "data-visible")), drawn


def test_exported_page_draws_and_timeline_changes_features(dataset, tmp_path):
    frames = {name: module.build(dataset) for name, module in REGISTRY.items()}
    path = export(frames, dataset.sources, dataset.version, out_dir=tmp_path / "out", formats=["html"],
                  scenario=dataset.scenario)[0]
    with browser_page() as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_selector("path.leaflet-interactive")
        assert page.evaluate("typeof L") == "object" and errors == []
        day, count, drawn = visible(page)
        assert day == dataset.scenario.default_day.isoformat() and count > 0 and drawn > 0
        slider = page.locator(".geo-timeline input[type=range]")
        slider.focus()
        slider.press("Home")
        before = visible(page)
        assert before[0] == dataset.scenario.timeline[0].isoformat() and before[1:] != (count, drawn)
        page.click(".geo-timeline [data-step='1']")
        after = visible(page)
        assert after[0] > before[0] and after[1:] != before[1:]
        page.locator(".leaflet-interactive").first.click(force=True)
        assert page.locator(".leaflet-popup-content .sources").count() == 1
    assert blocked == []


def test_imported_layer_draws_with_its_markup_shown_as_text(seeds, tmp_path):
    """A --layer file's names and columns are text on the page: the layer control, tooltip and popup never run them."""
    from tests.test_frames import NASTY_NAME, export_cli, nasty_csv

    export_cli(seeds, tmp_path / "out", nasty_csv(tmp_path / "in"), fmt="html")
    with browser_page() as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((tmp_path / "out" / "niger_forces.html").as_uri() + "#2024-05-10")
        page.wait_for_selector("path.leaflet-interactive")
        assert page.evaluate("window.geoExport.items.filter(i => i.layer.startsWith('import_')).length") == 2
        assert "Imported: we ird<name> (we ird<name>.csv)" in page.text_content(".leaflet-control-layers")
        page.evaluate("window.geoExport.items.find(i => i.layer.startsWith('import_')).drawn.openPopup()")
        popup = page.locator(".leaflet-popup-content")
        assert NASTY_NAME.replace("\x01", "") in popup.inner_text().replace("\x01", "")
        assert popup.locator("b b, script, i").count() == 0 and errors == []
    assert blocked == []


def test_possibly_present_forces_are_counted_and_drawn_hollow(tmp_path):
    """On 20 Apr 2024 the Russian arrival at AB 101 lies inside its window (between 10 Apr and 2 May): drawn hollow."""
    from geo.data.dataset import load_dataset

    dataset = load_dataset()
    frames = {name: module.build(dataset) for name, module in REGISTRY.items()}
    path = export(frames, dataset.sources, dataset.version, out_dir=tmp_path / "out", formats=["html"],
                  scenario=dataset.scenario)[0]
    with browser_page() as (page, blocked):
        page.goto(path.as_uri() + "#2024-04-20")
        page.wait_for_selector("path.leaflet-interactive")
        assert int(page.get_attribute("body", "data-possible")) >= 1
        russian = "window.geoExport.items.find(i => i.id.startsWith('DEP_RUS_AB101') && i.possible && "
        assert page.evaluate(russian + "i.group.hasLayer(i.drawn)).drawn.options.dashArray") == "2 5"
        assert "Uncertainty" in page.text_content(".geo-legend")
    assert blocked == []
