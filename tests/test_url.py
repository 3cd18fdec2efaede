"""geo.web.url: a link's day (clamped, with a default), layers and forces."""

from __future__ import annotations

import datetime as dt

from geo.web import url

BOUNDS = (dt.date(2023, 7, 26), dt.date(2024, 9, 30))
DEFAULT = dt.date(2024, 5, 3)


def test_parse_day_clamps_and_falls_back_to_the_default():
    assert url.parse_day("2020-01-01", BOUNDS, DEFAULT) == BOUNDS[0]
    assert url.parse_day("2024-02-03", BOUNDS, DEFAULT) == dt.date(2024, 2, 3)
    assert url.parse_day("not a day", BOUNDS, DEFAULT) == DEFAULT


def test_url_state_restores_a_link_and_defaults_to_everything():
    state = url.url_state({"date": "2023-09-08", "layers": "deployments", "actors": "RUS,XXX"}, BOUNDS,
                           DEFAULT, ["countries", "deployments"], ["USA", "RUS"])
    assert state == {"day": dt.date(2023, 9, 8), "layer:countries": False, "layer:deployments": True, "actors": ["RUS"]}
    state = url.url_state({}, BOUNDS, DEFAULT, ["countries"], ["USA"])
    assert state == {"day": DEFAULT, "layer:countries": True, "actors": ["USA"]}
