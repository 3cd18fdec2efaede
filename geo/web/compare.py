"""Two days side by side: one page with two Leaflet maps whose pan and zoom follow each other, data as safe JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd

from geo.data.scenario import Scenario
from geo.data.timeline import format_day
from geo.draw.assets import LEAFLET_JS, leaflet_css_inline
from geo.draw.style import safe_json

TEMPLATE = Path(__file__).resolve().parent / "templates" / "compare.html"


def order_problem(first: dt.date, second: dt.date) -> str | None:
    """Why a pair of days cannot be compared (the second must come after the first), or None."""
    if second == first:
        return f"The two dates are the same ({format_day_text(first)}): pick a second date after the first."
    if second < first:
        return (f"The second date ({format_day_text(second)}) is before the first ({format_day_text(first)}): "
                "pick a second date after the first.")
    return None


def format_day_text(day: dt.date) -> str:
    return format_day(pd.Timestamp(day))


def compare_html(scenario: Scenario, base: list[str], sides: list[tuple[dt.date, list[str]]]) -> str:
    """The page: base features (serialised, shared) and, per day, its label and serialised features."""
    data = ('{"center":' + safe_json(list(scenario.center)) + ',"zoom":' + json.dumps(scenario.zoom)
            + ',"base":[' + ",".join(base) + '],"sides":['
            + ",".join('{"id":' + safe_json(side_id) + ',"label":' + safe_json(format_day_text(day))
                       + ',"features":[' + ",".join(features) + "]}"
                       for side_id, (day, features) in zip(("a", "b"), sides)) + "]}")
    parts = {"LEAFLET_CSS": leaflet_css_inline().replace("</", "<\\/"),
             "LEAFLET_JS": LEAFLET_JS.read_text(encoding="utf-8").replace("</script", "<\\/script"), "DATA": data}
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda match: parts[match.group(1)], TEMPLATE.read_text(encoding="utf-8"))
