"""The Streamlit app under streamlit.testing: no exception, day-driven feature groups, URL state, seed errors."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import folium
import pytest
import streamlit as st
import streamlit_folium
from streamlit.testing.v1 import AppTest

from geo.data import files
from geo.web import daymap, elements
from tests.conftest import drawn_features, opened
from ui import loaders, mapview
from ui.mapparts import MapParts

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EXPORT_LABELS = ("HTML page (offline)", "GeoPackage (QGIS)", "QGIS project + GeoPackage (zip)", "KML (Google Earth)",
                 "GeoJSON (zip, a file per layer)")


@pytest.fixture
def calls(monkeypatch) -> list[dict]:
    """Every st_folium call the app makes: the base map's key and the day's feature groups, by tooltip text."""
    recorded: list[dict] = []

    def fake_st_folium(fig: folium.Map, **kwargs) -> dict:
        groups = kwargs.get("feature_group_to_add") or []
        recorded.append({"key": kwargs.get("key"), "groups": {g.layer_name: tooltips(g) for g in groups},
                         "base": sorted(tooltips(fig)),
                         "static": [c.script for c in fig._children.values() if isinstance(c, daymap.Prerendered)]})
        return {}

    def fake_show_map(parts: MapParts, groups: list[tuple[str, str]], **kwargs) -> None:
        """The app's path: the base map and the day's groups as pre-rendered strings (ui.mapparts)."""
        recorded.append({"key": kwargs.get("key"), "base": sorted(f["properties"]["tooltip"] for f in drawn_features(parts.layers)),
                         "groups": {title: [f["properties"]["tooltip"] for f in drawn_features(script)] for title, script in groups},
                         "static": [parts.layers], "parts": parts, "prelude": kwargs.get("prelude", "")})

    monkeypatch.setattr(streamlit_folium, "st_folium", fake_st_folium)  # the naive baseline's path
    monkeypatch.setattr(mapview, "show_map", fake_show_map)
    return recorded


def tooltips(element: folium.Element) -> list[str]:
    """The tooltip texts of the FeatureLayers under an element, depth first (pre-rendered ones read from their script)."""
    found = []
    if isinstance(element, daymap.Prerendered) and element.parent_token in element.script:
        found += [feature["properties"]["tooltip"] for feature in drawn_features(element.script)]
    if isinstance(element, elements.FeatureLayer):
        found += [feature["properties"]["tooltip"] for feature in json.loads(element.data_json)["features"]]
    for child in element._children.values():
        found += tooltips(child)
    return found


def first_run(monkeypatch, seeds: Path, **query: str) -> AppTest:
    """The page's first run, before its map reports (the browser's part)."""
    monkeypatch.setenv("GEO_SEEDS_DIR", str(seeds))
    test = AppTest.from_file(APP, default_timeout=60)
    test.query_params.update(query)
    return test.run()


def app(monkeypatch, seeds: Path, **query: str) -> AppTest:
    """The page once open: its first run, and the run its map's first report brings."""
    return opened(first_run(monkeypatch, seeds, **query))


def test_app_runs_without_exception(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds)
    assert not at.exception and not at.error
    assert calls[-1]["key"] == "map"
    assert "3 May 2024" in at.title[0].value
    assert any("Russians enter the base" in m.value for m in at.markdown)


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def test_the_page_opens_with_its_map_and_the_rest_follows_the_maps_first_report(monkeypatch, seeds, calls):
    at = first_run(monkeypatch, seeds, date="2024-05-03", layers="sites,deployments")
    assert not at.exception and "3 May 2024" in at.title[0].value
    groups = calls[-1]["groups"]  # the link's two layers, before their toggles are drawn: no base layer
    assert len(groups) == 2 and "Bases and sites" in groups and calls[-1]["base"] == []
    assert not at.slider and not at.sidebar.checkbox and not at.markdown and not charts(at)  # the map's scripts alone
    at.session_state["map"] = {"zoom": 5, "bounds": {"_southWest": {"lat": 10.0, "lng": 0.0},
                                                     "_northEast": {"lat": 20.0, "lng": 10.0}}}
    at.run()  # the browser's report reruns the page: the slider, the controls, the chart and the text
    assert at.slider(key="day").value == dt.date(2024, 5, 3) and len(at.sidebar.checkbox) > 2 and len(charts(at)) == 1
    assert any("Russians enter the base" in m.value for m in at.markdown)
    assert calls[-1]["parts"].hash_key == calls[0]["parts"].hash_key  # the same base map: the browser keeps it
    assert calls[-1]["groups"] == groups
    assert len(charts(at.slider(key="day").set_value(dt.date(2023, 8, 1)).run())) == 1


def test_a_map_that_never_reports_holds_the_rest_back_one_wait_at_most(monkeypatch, seeds, calls):
    at = first_run(monkeypatch, seeds)
    assert not at.sidebar.checkbox
    at.run()  # the wait's next run (settings.MAP_REPORT_WAIT_S), the map still silent: the whole page
    assert len(at.sidebar.checkbox) > 2 and any("Russians enter the base" in m.value for m in at.markdown)


def test_the_chart_is_drawn_at_once_beside_the_compared_maps(monkeypatch, seeds, calls):
    at = first_run(monkeypatch, seeds, date="2024-05-03", compare="2024-06-01")
    assert at.toggle(key="compare_on").value and len(charts(at)) == 1  # no st_folium map here to wait for


def test_moving_the_slider_changes_only_the_feature_groups(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds)
    before = calls[-1]
    at.slider(key="day").set_value(dt.date(2023, 8, 1)).run()
    after = calls[-1]
    assert not at.exception
    assert any("Russia" in t for t in before["groups"]["Forces present"])
    assert not any("Russia" in t for t in after["groups"]["Forces present"])
    assert after["base"] == before["base"] and after["static"] == before["static"]
    assert "Town" in before["static"][0] and "Russia" not in before["static"][0]
    assert '"day":"2023-08-01T00:00:00"' in after["prelude"]  # what the page draws the next move from (geo.web.preview)
    assert at.query_params["date"] == "2023-08-01"


def test_step_buttons_and_milestone_jump(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds, date="2024-05-03")
    at.radio(key="step").set_value("1 week").run()
    at.sidebar.button[1].click().run()
    assert at.slider(key="day").value == dt.date(2024, 5, 10)
    at.selectbox(key="milestone").set_value(dt.date(2024, 4, 19)).run()
    assert at.slider(key="day").value == dt.date(2024, 4, 19)


def test_query_params_restore_date_layers_and_actors(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds, date="2023-09-08", layers="countries,deployments", actors="USA")
    assert at.slider(key="day").value == dt.date(2023, 9, 8)
    assert at.checkbox(key="layer:deployments").value and not at.checkbox(key="layer:events").value
    assert set(calls[-1]["groups"]) == {"Alliance members", "Forces present"}
    assert at.multiselect(key="actors").value == ["USA"]
    assert at.query_params["layers"] == "countries,deployments"


def test_actor_filter_hides_other_forces(monkeypatch, seeds, calls):
    app(monkeypatch, seeds, actors="RUS")
    forces = calls[-1]["groups"]["Forces present"]
    assert forces and all("Russia" in t for t in forces)


def test_broken_seeds_show_the_error_not_a_traceback(monkeypatch, tmp_path, calls):
    at = app(monkeypatch, tmp_path / "missing")
    assert not at.exception
    assert "not valid" in at.error[0].value
    assert "actors.csv" in at.code[0].value
    assert not calls


def test_an_edited_invalid_seed_keeps_the_last_good_dataset(monkeypatch, seeds, calls):
    at = app(monkeypatch, seeds)
    actors = seeds / "data" / "actors.csv"
    actors.write_text(actors.read_text().replace("#0072B2", "blue"))
    at.run()
    assert not at.exception
    assert "colour" in at.code[0].value
    assert at.warning and "last valid dataset" in at.warning[0].value
    assert calls[-1]["groups"]["Forces present"]


def test_naive_rerender_passes_everything_in_the_map(monkeypatch, seeds, calls):
    monkeypatch.setenv("GEO_NAIVE_RERENDER", "1")
    app(monkeypatch, seeds)
    assert calls[-1]["groups"] == {}
    assert any("Russia" in t for t in calls[-1]["base"])


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
ACLED = ("acled.csv", (FIXTURES / "acled_sample.csv").read_bytes(), "text/csv")


def plain(markdown: str) -> str:
    """Text shown for markdown escaped with app.md."""
    return markdown.replace("\\", "")


def upload(at: AppTest, *files: tuple[str, bytes, str]) -> AppTest:
    """Put files in the uploader (emptied, with a new key, once its files are layers)."""
    return at.file_uploader(key=f"uploads:{at.session_state['uploader_round']}").set_value(list(files)).run()


def test_the_uploader_is_emptied_once_its_files_are_layers(monkeypatch, seeds, calls):
    at = upload(app(monkeypatch, seeds), ACLED)
    assert at.session_state["uploader_round"] == 1 and at.file_uploader(key="uploads:1").value in (None, [])
    assert "acled" in calls[-1]["groups"] and len(at.session_state["imported"]) == 1


def test_an_uploaded_layer_is_drawn_for_the_day_with_its_dropped_rows(monkeypatch, seeds, calls):
    at = upload(app(monkeypatch, seeds, date="2024-05-03"), ACLED)
    assert not at.exception and not at.error
    assert calls[-1]["groups"]["acled"] == ["acled: Ayorou"]  # 1 May is in the 30-day window, 12 May is not yet
    assert at.checkbox(key=f"show:{next(iter(at.session_state['imported']))}").value
    assert at.sidebar.expander[0].label == "3 rows dropped"
    assert "row 4, column 'event_date': got 'not a date'" in plain(at.sidebar.expander[0].markdown[0].value)
    at.slider(key="day").set_value(dt.date(2024, 5, 12)).run()
    assert calls[-1]["groups"]["acled"] == ["acled: Ayorou", "acled: Niamey"]
    at.number_input(key="window_days").set_value(5).run()
    assert calls[-1]["groups"]["acled"] == ["acled: Niamey"]
    assert calls[-1]["base"] == calls[0]["base"]


def test_a_bad_upload_shows_one_error_and_keeps_the_loaded_layers(monkeypatch, seeds, calls):
    at = upload(app(monkeypatch, seeds), ACLED)
    garbled = "café".encode().decode("cp1252").encode()  # UTF-8 read as cp1252 and saved again
    at = upload(at, ACLED, ("../../evil.csv", b"lat,lon,notes\n13,2,<img src=x onerror=alert(1)>\n13,2," + garbled + b"\n",
                            "text/csv"))
    assert not at.exception
    assert len(at.error) == 1
    assert plain(at.error[0].value) == ("evil.csv, row 3, column 'notes': got 'cafÃ©': expected text saved once in one "
                                        "encoding; this reads 'é' garbled as 'Ã©' (UTF-8 read as cp1252 and saved "
                                        "again): re-export the file as UTF-8")
    assert "acled" in calls[-1]["groups"]
    at = upload(at)  # the files taken out of the uploader: the layer stays
    assert not at.error and "acled" in calls[-1]["groups"]


def test_ambiguous_coordinates_are_asked_then_read(monkeypatch, seeds, calls):
    at = upload(app(monkeypatch, seeds), ("ambiguous.csv", (FIXTURES / "ambiguous.csv").read_bytes(), "text/csv"))
    assert not at.error and "found candidates 'latitude', 'lat'" in plain(at.info[0].value)
    key = at.selectbox[-2].key.split(":", 1)[1]
    at.selectbox(key=f"lat:{key}").set_value("latitude").run()
    assert "ambiguous" not in calls[-1]["groups"]
    at.selectbox(key=f"lon:{key}").set_value("lon").run()
    assert calls[-1]["groups"]["ambiguous"] == ["ambiguous: 2"] and not at.info


def test_coordinates_without_usual_names_are_asked(monkeypatch, seeds, calls):
    at = upload(app(monkeypatch, seeds), ("places.csv", b"place,y_coord,x_coord\nNiamey,13.5,2.1\n", "text/csv"))
    assert not at.error and "columns are place, y_coord, x_coord" in plain(at.info[0].value)
    at.selectbox[-2].set_value("y_coord")
    at.selectbox[-1].set_value("x_coord").run()
    assert calls[-1]["groups"]["places"] == ["places: Niamey"]


def test_ambiguous_dates_are_asked_with_both_readings_and_loaded_layers_kept(monkeypatch, seeds, calls):
    at = upload(app(monkeypatch, seeds, date="2024-04-20"), ACLED)
    dates = ("dates.csv", (FIXTURES / "ambiguous_dates.csv").read_bytes(), "text/csv")
    at = upload(at, ACLED, dates)
    assert not at.error and "every value fits both orders" in plain(at.info[0].value)
    assert [plain(o) for o in at.selectbox[-1].options] == ["day first: 03/04/2024 = 3 April 2024",
                                                            "month first: 03/04/2024 = 4 March 2024"]
    assert "acled" in calls[-1]["groups"] and "dates" not in calls[-1]["groups"]
    at.selectbox[-1].set_value("dayfirst").run()
    assert calls[-1]["groups"]["dates"] == ["dates: Niamey"]  # 3 April is in the 30 days up to 20 April, 5 June is not
    assert "acled" in calls[-1]["groups"] and not at.info


def test_separator_then_decimal_mark_are_asked_in_turn(monkeypatch, seeds, calls):
    at = upload(app(monkeypatch, seeds), ("both.csv", b"name|alias;lat;lon\nA|a;13,5;2,1\nB|b;13.6;2.2\n", "text/csv"))
    assert [plain(o) for o in at.selectbox[-1].options] == ["semicolon ';': 3 columns", "pipe '|': 2 columns"]
    at.selectbox[-1].set_value(";").run()
    assert [plain(o) for o in at.selectbox[-1].options] == ["point: 13.51", "comma: 13,51"]
    assert "one decimal mark" in plain(at.info[-1].value)
    at.selectbox[-1].set_value(",").run()
    layer = next(iter(at.session_state["imported"].values()))
    assert len(layer.frame) == 1 and layer.dropped_count == 1 and ("decimal mark", "comma") in layer.reading
    assert any("separator: semicolon ';'; decimal mark: comma" in plain(c.value) for c in at.caption)


def test_a_legacy_encoding_is_read_and_named(monkeypatch, seeds, calls):
    at = upload(app(monkeypatch, seeds), ("excel.csv", (FIXTURES / "excel_fr.csv").read_bytes(), "text/csv"))
    assert not at.error and not at.info
    assert any("encoding: cp1252; separator: semicolon ';'; decimal mark: comma; date order: day first" in plain(c.value)
               for c in at.caption)


def test_a_hostile_file_is_refused_and_loaded_layers_kept(monkeypatch, seeds, calls):
    at = upload(app(monkeypatch, seeds), ACLED)
    wide = ",".join(f"c{i}" for i in range(200_000)).encode() + b"\n"
    at = upload(at, ACLED, ("wide.csv", wide, "text/csv"))
    assert [plain(e.value) for e in at.error] == ["wide.csv, row 1: got '200,000 columns': expected at most 2,000 columns"]
    assert "acled" in calls[-1]["groups"]


def test_a_geopackage_layer_is_chosen(monkeypatch, seeds, calls, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "two.gpkg"
    for layer, name in (("alpha", "A"), ("beta", "B")):
        gpd.GeoDataFrame({"name": [name]}, geometry=[Point(2, 13)], crs="EPSG:4326").to_file(path, layer=layer)
    at = upload(app(monkeypatch, seeds), ("two.gpkg", path.read_bytes(), "application/octet-stream"))
    assert not at.error and at.selectbox[-1].options == ["alpha", "beta"]
    at.selectbox[-1].set_value("beta").run()
    assert calls[-1]["groups"]["two"] == ["two: B"]


def test_remove_and_toggle_an_imported_layer(monkeypatch, seeds, calls):
    at = upload(app(monkeypatch, seeds), ACLED)
    key = next(iter(at.session_state["imported"]))
    at.checkbox(key=f"show:{key}").uncheck().run()
    assert "acled" not in calls[-1]["groups"]
    at.checkbox(key=f"show:{key}").check().run()
    at.button(key=f"remove:{key}").click().run()
    assert "acled" not in calls[-1]["groups"] and not at.session_state["imported"]


def test_a_large_layer_is_drawn_as_count_cells(monkeypatch, seeds, calls):
    rows = "".join(f"13.{i:04d},2.{i:04d}\n" for i in range(2500))
    at = upload(app(monkeypatch, seeds), ("many.csv", f"lat,lon\n{rows}".encode(), "text/csv"))
    assert calls[-1]["groups"]["many"] == ["many: 2,500 features"]
    # The browser reports a zoom into lon 2.0-2.1, lat 13.0-13.1 (padded: 1.975-2.125, 12.975-13.125): 1,251 points.
    at.session_state["map"] = {"zoom": 12, "bounds": {"_southWest": {"lat": 13.0, "lng": 2.0},
                                                      "_northEast": {"lat": 13.1, "lng": 2.1}}}
    at.run()
    assert len(calls[-1]["groups"]["many"]) == 1251 and not any(t.endswith("features") for t in calls[-1]["groups"]["many"])


@pytest.fixture
def deferred(monkeypatch) -> dict[str, object]:
    """The download buttons' deferred callables, by button label (what a click would run)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    recorded: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        recorded[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return recorded


def open_downloads(at: AppTest) -> AppTest:
    """Open the Download expander (its buttons are drawn only while it is open)."""
    assert not at.get("download_button")
    at.session_state["downloads_open"] = True
    return at.run()


def downloads(at: AppTest, deferred: dict) -> dict[str, tuple[str, object]]:
    return {b.proto.label: deferred[b.proto.deferred_file_id] for b in at.get("download_button")}


def test_download_buttons_build_valid_files_on_click(monkeypatch, seeds, calls, deferred, tmp_path):
    import zipfile

    import pyogrio

    at = open_downloads(upload(app(monkeypatch, seeds, date="2024-05-03"), ACLED))
    buttons = downloads(at, deferred)
    assert list(buttons) == [*EXPORT_LABELS, "Picture of this day (PNG)", "Animation, a frame a week (GIF)"]
    page = buttons["HTML page (offline)"]().decode()
    assert "2024-05-03" in page and not re.search(r"<script[^>]+src=[\"']?https?:", page)
    gpkg = tmp_path / "out.gpkg"
    gpkg.write_bytes(buttons["GeoPackage (QGIS)"]())
    assert {"deployments", "import_acled"} <= set(pyogrio.list_layers(gpkg)[:, 0])
    assert buttons["KML (Google Earth)"]().startswith(b"<?xml")
    with zipfile.ZipFile(io.BytesIO(buttons["GeoJSON (zip, a file per layer)"]())) as archive:
        assert "niger_forces_2024-05-03_deployments.geojson" in archive.namelist()
    with zipfile.ZipFile(io.BytesIO(buttons["QGIS project + GeoPackage (zip)"]())) as archive:
        assert archive.namelist() == ["niger_forces_2024-05-03.gpkg", "niger_forces_2024-05-03.qgz"]
    at.radio(key="export_scope").set_value("Whole timeline").run()
    whole = downloads(at, deferred)["HTML page (offline)"]().decode()
    assert whole != page and "2023-07-26" in whole


def test_every_new_session_keeps_the_last_valid_dataset(monkeypatch, seeds, calls):
    app(monkeypatch, seeds)
    actors = seeds / "data" / "actors.csv"
    actors.write_text(actors.read_text().replace("#0072B2", "blue"))
    at = app(monkeypatch, seeds)  # a new session, first run on the broken seeds
    assert not at.exception
    assert "colour" in at.code[0].value and "last valid dataset" in at.warning[0].value
    assert calls[-1]["groups"]["Forces present"]


def test_picture_downloads_are_offered_and_draw_the_day(monkeypatch, seeds, calls):
    from ui import loaders

    at = open_downloads(app(monkeypatch, seeds, date="2024-05-03"))
    labels = [button.proto.label for button in at.get("download_button")]
    assert {"Picture of this day (PNG)", "Animation, a frame a week (GIF)"} <= set(labels)
    dataset = loaders.cached_dataset(str(seeds), at.session_state["day"].isoformat())  # any version key: a fresh load
    png = loaders.picture_file(dataset, "test", "png", dt.date(2024, 5, 3))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_a_restarted_server_reads_what_the_last_one_built(seeds: Path, tmp_path: Path, monkeypatch) -> None:
    """The warm-up's dataset, layers and map strings come from the disk cache after a restart (Streamlit's caches
    emptied): nothing is loaded or built again, and the same values come back."""
    monkeypatch.setenv("GEO_SEEDS_DIR", str(seeds))
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    st.cache_resource.clear()
    loaders.warm()
    dataset = loaders.cached_dataset(str(seeds), files.content_hash(seeds))
    built = (loaders.all_time_layers(dataset, dataset.version), loaders.day_features(dataset, dataset.version))
    st.cache_resource.clear()  # the restart
    monkeypatch.setattr(loaders, "load_dataset", lambda *_: pytest.fail("the dataset was loaded again"))
    monkeypatch.setattr(loaders.daymap, "day_features", lambda *_: pytest.fail("the features were encoded again"))
    for module in loaders.REGISTRY.values():
        monkeypatch.setattr(module, "build", lambda *_: pytest.fail("a layer was built again"))
    loaders.warm()
    again = loaders.cached_dataset(str(seeds), files.content_hash(seeds))
    layers, features = loaders.all_time_layers(again, again.version), loaders.day_features(again, again.version)
    assert again.version == dataset.version and layers.keys() == built[0].keys()
    for name, frame in built[0].items():
        assert layers[name].equals(frame)
    assert all(features[name].equals(series) for name, series in built[1].items())
    st.cache_resource.clear()
