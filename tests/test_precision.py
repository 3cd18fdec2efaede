"""geo.imports.precision: ACLED and UCDP precision codes draw approximate places dashed and widen imprecise dates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.draw.style import marker_style, popup_html
from geo.imports.precision import widen
from geo.imports.reader import on_day, read_layer

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def test_acled_codes_are_decoded_and_unknown_codes_dropped():
    layer = read_layer(FIXTURES / "acled_precision.csv")
    frame = layer.frame.set_index("orig_event_id_cnty" if "orig_event_id_cnty" in layer.frame else "event_id_cnty")
    assert frame["location_precision"].to_dict() == {"NIG1": "town", "NIG2": "approximate", "NIG3": "approximate"}
    assert layer.dropped[0].column == "time_precision" and layer.dropped[0].value == "9"
    assert ("precision columns", "geo_precision, time_precision") in layer.reading


def test_acled_week_and_month_widen_the_days_shown():
    layer = read_layer(FIXTURES / "acled_precision.csv")
    shown = {day: on_day(layer, day, window_days=1)["name"].tolist() for day in
             ["2024-04-01", "2024-04-30", "2024-05-03", "2024-05-06", "2024-05-12", "2024-05-13"]}
    assert shown == {"2024-04-01": ["Agadez"], "2024-04-30": ["Agadez"], "2024-05-03": ["Niamey"],
                     "2024-05-06": ["Tillaberi"], "2024-05-12": ["Tillaberi"], "2024-05-13": []}


def test_ucdp_codes_and_month_span():
    layer = read_layer(FIXTURES / "ucdp_sample.csv")
    assert layer.dropped_count == 0 and layer.frame["location_precision"].tolist() == ["exact", "approximate", "approximate"]
    assert on_day(layer, "2024-04-15")["id"].tolist() == ["2"] and on_day(layer, "2024-05-12")["id"].tolist() == ["3"]


def test_approximate_places_draw_dashed_with_the_meaning_in_the_popup():
    row = read_layer(FIXTURES / "acled_precision.csv").frame.iloc[1].to_dict()
    assert marker_style(row).get("dashArray") and not marker_style({**row, "location_precision": "town"}).get("dashArray")
    assert "ACLED geo_precision 2: a small part of a region or near a town" in popup_html(row, {})


def test_widen_spans():
    start = pd.Series(pd.to_datetime(["2024-05-08", "2024-05-08", "2024-05-08", "2024-05-08"]))
    end = pd.Series(pd.NaT, index=start.index, dtype="datetime64[ns]")
    floors, ends = widen(start, end, pd.Series(["day", "week", "month", "six days"]), instant=True)
    assert floors.dt.strftime("%Y-%m-%d").tolist() == ["2024-05-08", "2024-05-06", "2024-05-01", "2024-05-08"]
    assert ends.dt.strftime("%Y-%m-%d").fillna("-").tolist() == ["-", "2024-05-13", "2024-06-01", "2024-05-14"]
