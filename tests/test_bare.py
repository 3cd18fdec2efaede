"""bench/_bare.py: the bare page is the app's own slider and map, and nothing else, run beside the app's files."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench._bare import BARE_PAGE, bare_script
from tests._browser import ROOT


def test_the_bare_page_draws_the_slider_and_the_map_alone(monkeypatch, seeds: Path):
    monkeypatch.setenv("GEO_SEEDS_DIR", str(seeds))
    at = AppTest.from_string(BARE_PAGE, default_timeout=60)
    at.query_params["date"] = "2024-05-03"
    at.run()
    assert not at.exception
    assert [slider.key for slider in at.sidebar.slider] == ["day"] and at.slider(key="day").value.isoformat() == "2024-05-03"
    assert len(at.get("component_instance")) == 1  # the map
    assert not at.checkbox and not at.markdown and not at.title and not at.get("arrow_vega_lite_chart")


def test_the_bare_page_runs_beside_the_apps_served_files_and_settings():
    with bare_script(ROOT) as script:
        folder = script.parent
        assert script.read_text() == BARE_PAGE
        assert (folder / "static").resolve() == ROOT / "static"  # Streamlit serves static/ beside the script
        assert (folder / ".streamlit" / "config.toml").read_bytes() == (ROOT / ".streamlit" / "config.toml").read_bytes()
    assert not folder.exists()
