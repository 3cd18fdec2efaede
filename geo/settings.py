"""Project-wide constants: paths, CRS, vocabularies and display settings, in one place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
DATA_SUBDIR = "data"
BOUNDARIES_SUBDIR = "boundaries"

CRS = "EPSG:4326"

PRECISIONS = ("day", "month", "year")
START_PRECISIONS = PRECISIONS + ("before",)
CONFIDENCES = ("high", "medium", "low")
LOCATION_PRECISIONS = ("exact", "airport", "town", "approximate")
SOURCE_KINDS = ("seed", "official", "wire", "press", "reference", "aggregator", "state_media")
ACTOR_KINDS = ("state", "organisation", "group")

# The timeline the app opens on: the coup to after the US completion announcement.
TIMELINE_START = dt.date(2023, 7, 26)
TIMELINE_END = dt.date(2024, 9, 30)
DEFAULT_DAY = dt.date(2024, 5, 3)

# Events are shown on the map for this many days from their date (the summary's look-back too).
EVENT_WINDOW_DAYS = 30

# Compounds that share one coordinate are spread on a ring of this radius (degrees) so none hides another.
COMPOUND_SPREAD_DEG = 0.012

# Marker radius in pixels: sqrt-scaled by reported strength, clamped.
RADIUS_MIN_PX = 6
RADIUS_MAX_PX = 26
RADIUS_REFERENCE_STRENGTH = 1500

AES_GROUP_PREFIX = "Alliance of Sahel States"
FOCUS_COUNTRY = "NER"

# Imported layers: refuse files and tables larger than this (each a clear error, nothing partial).
MAX_IMPORT_BYTES = 200 * 1024 * 1024
MAX_IMPORT_ROWS = 2_000_000
# Browsers stall near 3,000 folium markers (BENCHMARKS.md, "Imported layers"): aggregate above this.
AGGREGATE_THRESHOLD = 2000
# The map opens at this zoom; aggregated layers use cells of CELL_DEG (~55 km in Niger) there, halved per zoom level in.
MAP_ZOOM = 6
CELL_DEG = 0.5
# An aggregated or filtered layer covers the view widened by this share of its size on each side: panning shows no gap.
VIEW_PAD = 0.25

# Imported layers on the command line: exported as "import_<name>" (a-z, 0-9, _ only), the summary lists this many.
IMPORT_EXPORT_PREFIX = "import_"
MAX_EXPORT_NAME_CHARS = 40
SUMMARY_MAX_FEATURES = 50

# Pictures (python -m geo snapshot | animate): one page layout in inches, scaled to the requested width in pixels.
PICTURE_TITLE = "Foreign forces in Niger"  # until seeds/scenario.toml carries the dataset's own title
PICTURE_SIZE_IN = (12.0, 7.5)
PICTURE_WIDTH_PX = 1600
ANIMATION_WIDTH_PX = 1200
PICTURE_MIN_WIDTH_PX, PICTURE_MAX_WIDTH_PX = 640, 4000
PICTURE_FONT = "DejaVu Sans"  # matplotlib ships it: the same glyphs, so the same bytes, on every machine
PICTURE_PT_PER_PX = 0.75  # a Leaflet (CSS) pixel in points: markers keep the app's size relative to the text
PICTURE_PAD_DEG = 0.8  # around Niger and every located force, so the extent never changes between frames
PICTURE_MAX_SOURCE_LINES = 2
PICTURE_LEGEND_STRENGTHS = (100, 500, RADIUS_REFERENCE_STRENGTH)  # the app's legend sizes
PICTURE_MAX_LISTED = 8  # forces present and events listed beside the map; the rest are counted
ANIMATION_FPS = 4
# x264 output depends on its thread count: fixed, so an MP4 is the same bytes on any machine with this ffmpeg.
FFMPEG = "ffmpeg"
FFMPEG_THREADS = 2
