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

# Files made to hurt: each limit refuses the file with one message before the costly part (README, "Limits").
MAX_IMPORT_COLUMNS = 2_000  # a header of 200,000 columns took 83 s and 1.5 GB in pandas before it was refused
MAX_LINE_BYTES = 10 * 1024 * 1024  # one CSV row (a long WKT polygon fits); a 100 MB single line is refused
# CSV/TSV text: UTF-8 (BOM or not) first, else the likeliest of these legacy encodings (charset-normalizer).
# cp1252 reads Latin-1 text alike (bar unused C1 controls); other Western code pages (iso8859-15, cp850, cp1250) give
# the same bytes other letters (0xA4 is ¤ or €, 0xE8 è or č), which no detector can settle on a short file.
LEGACY_ENCODINGS = ("cp1252",)
ENCODING_SAMPLE_BYTES = 1024 * 1024  # what charset-normalizer looks at, from the first non-UTF-8 byte
SEPARATOR_CANDIDATES = (",", ";", "\t", "|")
SNIFF_LINES = 50  # lines of a table the separator and decimal mark are judged on
