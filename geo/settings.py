"""Project-wide constants: paths, CRS, vocabularies and display settings, in one place."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
DATA_SUBDIR = "data"

CRS = "EPSG:4326"

PRECISIONS = ("day", "month", "year")
START_PRECISIONS = PRECISIONS + ("before",)
# A deployment's or movement's start and end: a day, month or year is that whole window; "before D" / "after D" are open
# on one side; "between" gives its latest day in <column>_latest (seeds/README.md, "Dates").
WINDOW_PRECISIONS = PRECISIONS + ("before", "after", "between")
# How a reported figure was worded ("fewer than 1,000" is fewer_than) and what it counts.
QUALIFIERS = ("exact", "about", "nearly", "fewer_than", "more_than", "up_to", "at_least")
MEASURES = ("present", "departed")
CONFIDENCES = ("high", "medium", "low")
LOCATION_PRECISIONS = ("exact", "airport", "town", "approximate")
SOURCE_KINDS = ("seed", "official", "wire", "press", "reference", "aggregator", "state_media")
ACTOR_KINDS = ("state", "organisation", "group")

# The app's overlay of countries in a group (memberships.csv) on the day.
GROUP_MEMBERS_TITLE = "Alliance members"

# Event kinds listed as milestones (quick jumps, chart ticks, "what changed since").
MILESTONE_KINDS = ("coup", "agreement", "handover", "departure", "deadline")

# Events are shown on the map for this many days from their date (the summary's look-back too).
EVENT_WINDOW_DAYS = 30

# Compounds that share one coordinate are spread on a ring of this radius (degrees) so none hides another.
COMPOUND_SPREAD_DEG = 0.012

# Marker radius in pixels: sqrt-scaled by reported strength, clamped.
RADIUS_MIN_PX = 6
RADIUS_MAX_PX = 26
RADIUS_REFERENCE_STRENGTH = 1500


# The app: slider steps, play speed, map height, and boundaries drawn lighter (~1 km; the data keeps full detail).
STEPS = {"1 day": 1, "1 week": 7, "1 month": 30}
PLAY_SECONDS = 1.0
MAP_HEIGHT = 620
DISPLAY_TOLERANCE_DEG = 0.01

# The QGIS project opens on the focus country's bounds widened by this much on each side (degrees).
QGIS_EXTENT_PAD_DEG = 1.0

# Imported layers: refuse files and tables larger than this (each a clear error, nothing partial).
MAX_IMPORT_BYTES = 200 * 1024 * 1024
MAX_IMPORT_ROWS = 2_000_000
# Browsers stall near 3,000 folium markers (BENCHMARKS.md, "Imported layers"): aggregate above this.
AGGREGATE_THRESHOLD = 2000
# Aggregated layers use cells of CELL_DEG (~55 km at 15°N) at zoom CELL_ZOOM, halved per zoom level in.
CELL_ZOOM = 6
CELL_DEG = 0.5
# An aggregated or filtered layer covers the view widened by this share of its size on each side: panning shows no gap.
VIEW_PAD = 0.25

# Imported layers on the command line: exported as "import_<name>" (a-z, 0-9, _ only), the summary lists this many.
IMPORT_EXPORT_PREFIX = "import_"
MAX_EXPORT_NAME_CHARS = 40
SUMMARY_MAX_FEATURES = 50

# The app's static files (Streamlit's static serving, server.enableStaticServing): Leaflet and jQuery copied there at
# start, and the pre-rendered static layers, each fetched once and cached by the browser.
STATIC_DIR = ROOT / "static"
STATIC_URL = "/app/static"
# Cached map scripts per dataset version: a day's feature groups (time-dependent layers, chosen layers and forces).
DAY_SCRIPTS_CACHED = 256
