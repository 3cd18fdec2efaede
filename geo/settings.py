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
# A figure's label keeps its wording: "~1,000", "< 1,000", "≥ 100" ("{}" is the figure or range).
QUALIFIER_LABELS = {"exact": "{}", "about": "~{}", "nearly": "nearly {}", "fewer_than": "< {}", "more_than": "> {}",
                    "up_to": "≤ {}", "at_least": "≥ {}"}
# A figure fades as it ages: full opacity when new, FIGURE_FADE_FLOOR of it after FIGURE_FADE_DAYS or more. Features
# are cut every FIGURE_AGE_STEP_DAYS of a figure's age (frames stay day-free; the HTML export fades day by day).
FIGURE_FADE_DAYS = 180
FIGURE_FADE_FLOOR = 0.3
FIGURE_AGE_STEP_DAYS = 60
# Country-wide figures sit on a ring of this radius (degrees) around the country's representative point, one per actor.
FIGURE_SPREAD_DEG = 0.8
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


# The app draws the day's map, then waits this long before sending the title, chart and text: the map iframe and the
# page share the browser's main thread, and panels arriving with the map were drawn first, delaying it (a slider
# move: map 160-184 -> 90 ms, panels 158 -> 202 ms; BENCHMARKS.md).
MAP_FIRST_PAUSE_S = 0.08

# A page opens map first (ui/opening.py): its title and map alone, the rest with the map's first report. A map
# that has not reported after this long (its scripts failed) no longer holds the rest back.
MAP_REPORT_WAIT_S = 4.0

# The app: slider steps, play speed, map height, and boundaries drawn lighter (~1 km; the data keeps full detail).
STEPS = {"1 day": 1, "1 week": 7, "1 month": 30}
PLAY_SECONDS = 1.0
MAP_HEIGHT = 620
DISPLAY_TOLERANCE_DEG = 0.01

# The QGIS project opens on the focus country's bounds widened by this much on each side (degrees).
QGIS_EXTENT_PAD_DEG = 1.0

# `python -m geo export` writes its files in up to this many processes (one per core below it); more gains nothing, the
# largest file (the KML) sets the pace.
MAX_EXPORT_WORKERS = 4

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

# Pictures (python -m geo snapshot | animate): one page layout in inches, scaled to the requested width in pixels.
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
APP_ANIMATION_STEP_DAYS = 7  # the app's animation download: the whole timeline, a frame a week
# x264 output depends on its thread count: fixed, so an MP4 is the same bytes on any machine with this ffmpeg.
FFMPEG = "ffmpeg"
FFMPEG_THREADS = 2
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
# Story steps (seeds/data/story.csv): the map zoom a step may ask for.
STORY_MAX_ZOOM = 18
# The rows a story step highlights: a ring around each (Leaflet circle-marker options).
STORY_HIGHLIGHT_STYLE = {"radius": 24, "color": "#b00020", "weight": 4, "fill": False, "dashArray": "2 6"}
# Two dates side by side: room above each map for its date.
COMPARE_LABEL_PX = 30
# The app's static files (Streamlit's static serving, server.enableStaticServing): Leaflet copied there at
# start, and the pre-rendered static layers, each fetched once and cached by the browser.
STATIC_DIR = ROOT / "static"
STATIC_URL = "/app/static"
# Cached map scripts per dataset version: a day's feature groups (time-dependent layers, chosen layers and forces).
DAY_SCRIPTS_CACHED = 256
# What a server builds as it starts (the dataset, its layers, the first map's scripts) is kept on disk between starts,
# keyed by the seeds', the code's and the libraries' content (geo/diskcache.py): a restart skips ~1.3 s of CPU
# (BENCHMARKS.md). $GEO_CACHE_DIR names the folder; set it empty to keep nothing. The code hashed for the key:
CACHE_FOLDER_NAME = "geo-deployments"
CACHE_CODE_PACKAGES = ("geo", "layers", "ui")
CACHE_LIBRARIES = ("numpy", "pandas", "pyarrow", "shapely", "pyproj", "geopandas", "folium", "branca", "streamlit")
CACHE_ENTRIES = 64  # files kept, the least recently used removed first (~2 MB a seeds version)
