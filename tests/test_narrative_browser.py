"""The exported page's narrative in chromium from file://: every claim shown as text, #story=N opens step N, offline."""

from __future__ import annotations

import pytest

from geo import settings
from geo.data.dataset import load_dataset
from geo.data.narrative import narrative
from geo.data.story import steps
from geo.exports.write import export
from layers import REGISTRY
from tests._browser import browser_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    dataset = load_dataset(settings.SEEDS_DIR)
    frames = {name: module.build(dataset) for name, module in REGISTRY.items()}
    out = tmp_path_factory.mktemp("out")
    return dataset, export(frames, dataset.sources, dataset.version, out_dir=out, formats=["html"],
                           scenario=dataset.scenario, narrative=narrative(dataset))[0]


def test_every_claim_and_the_errata_are_on_the_page_as_text(page_path):
    dataset, path = page_path
    with browser_page() as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_selector("#geo-seed")
        text = page.inner_text("#geo-seed")
        for _, claim in dataset["claims"].iterrows():
            assert claim["claim"] in text and page.locator(f"[data-claim='{claim['claim_id']}']").count() == 1
        assert page.locator("#geo-seed mark").count() == len(dataset["claims"])
        assert "Maier" in page.inner_text("#geo-seed .errata") and errors == []
        page.locator("[data-claim='CLM017'] button").click()
        assert page.get_attribute("body", "data-day") == "2024-04-10"
    assert blocked == []


def test_story_hash_opens_its_step_and_next_follows(page_path):
    dataset, path = page_path
    story = steps(dataset["story"])
    with browser_page() as (page, blocked):
        page.goto(path.as_uri() + "#story=2")
        page.wait_for_selector("#geo-story h2")
        second = page.get_attribute("body", "data-day")
        assert second == story[1].day.isoformat() and story[1].title in page.inner_text("#geo-story h2")
        page.goto(path.as_uri() + "#story=3")
        page.reload()
        page.wait_for_selector("#geo-story h2")
        assert page.get_attribute("body", "data-day") == story[2].day.isoformat() != second
        assert page.evaluate("window.geoExport.map.getZoom()") == story[2].zoom
        page.click("#geo-story [data-story='4']")
        page.wait_for_selector("body[data-story='4']")
        assert page.get_attribute("body", "data-day") == story[3].day.isoformat()
        ring = settings.STORY_HIGHLIGHT_STYLE["color"]
        assert page.locator(f"path.leaflet-interactive[stroke='{ring}']").count() >= 1
    assert blocked == []


def test_narrative_markup_in_the_data_is_shown_as_text(tables, tmp_path):
    """Claims, errata and story text that look like HTML stay text on the page: nothing in them runs or renders."""
    from tests.conftest import write_seeds

    nasty = "<img src=x onerror=window.pwned=1><b>bold</b>"
    tables["claims"][0].update(claim=nasty, quote=nasty)
    tables["documents"][0]["errata"] = nasty
    tables["story"][0].update(title=nasty, text=nasty)
    seeds = write_seeds(tmp_path / "seeds", tables)
    document = seeds / "documents" / "a.txt"
    document.write_text(document.read_text(encoding="utf-8") + "\n" + nasty + "\n", encoding="utf-8")  # the quote's text
    dataset = load_dataset(seeds)
    frames = {name: module.build(dataset) for name, module in REGISTRY.items()}
    path = export(frames, dataset.sources, dataset.version, out_dir=tmp_path / "out", formats=["html"],
                  scenario=dataset.scenario, narrative=narrative(dataset))[0]
    with browser_page() as (page, blocked):
        page.goto(path.as_uri() + "#story=1")
        page.wait_for_selector("#geo-story h2")
        assert page.locator("#geo-narrative img, #geo-narrative b:text('bold')").count() == 0
        assert nasty in page.inner_text("#geo-story") and nasty in page.inner_text("#geo-seed")
        assert page.evaluate("window.pwned === undefined")
    assert blocked == []
