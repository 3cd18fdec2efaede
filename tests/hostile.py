"""Files made to hurt the importers, generated on demand (never committed): shared by the tests and bench_hostile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

WIDE_COLUMNS = 200_000
LONG_LINE_BYTES = 100 * 1024 * 1024
BLANK_LINES, EMPTY_ROWS = 3_000_000, 1_000_000
NESTING = 1_000_000
NETWORK_LINKS = 100_000
GEOJSON_FIELDS = 200_000


def wide_csv(folder: Path) -> Path:
    """A 1.7 MB CSV whose header has 200,000 columns."""
    path = folder / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(WIDE_COLUMNS)) + "\n" + ",".join("1" * WIDE_COLUMNS) + "\n")
    return path


def long_line_csv(folder: Path) -> Path:
    """A header, then one line of 100 MB."""
    path = folder / "long_line.csv"
    with open(path, "wb") as handle:
        handle.write(b"lat,lon,notes\n13.5,2.1,")
        handle.write(b"x" * LONG_LINE_BYTES)
    return path


def empty_rows_csv(folder: Path) -> Path:
    """One good row, then 3 million blank lines and a million rows of empty cells."""
    path = folder / "empty_rows.csv"
    with open(path, "wb") as handle:
        handle.write(b"lat,lon,date\n13.5,2.1,2024-05-03\n" + b"\n" * BLANK_LINES + b",,\n" * EMPTY_ROWS)
    return path


def deep_geojson(folder: Path) -> Path:
    """A feature whose property nests arrays a million levels deep."""
    path = folder / "deep.geojson"
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":'
                    + "[" * NESTING + "]" * NESTING + '},"geometry":{"type":"Point","coordinates":[2.1,13.5]}}]}')
    return path


def links_kml(folder: Path) -> Path:
    """A KML whose one placemark comes after 100,000 network links (past the first bytes the signature check reads)."""
    path = folder / "links.kml"
    links = "".join(f"<NetworkLink><Link><href>http://127.0.0.1:9/{i}.kml</href></Link></NetworkLink>"
                    for i in range(NETWORK_LINKS))
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
                    f"<Placemark><name>a</name><Point><coordinates>2.1,13.5</coordinates></Point></Placemark>{links}"
                    "</Document></kml>")
    return path


def fields_geojson(folder: Path) -> Path:
    """A feature with 200,000 properties."""
    path = folder / "fields.geojson"
    properties = ",".join(f'"p{i}":{i}' for i in range(GEOJSON_FIELDS))
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{' + properties
                    + '},"geometry":{"type":"Point","coordinates":[2.1,13.5]}}]}')
    return path


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "200,000-column header (CSV)": wide_csv, "one 100 MB line (CSV)": long_line_csv,
    "3 M blank lines + 1 M empty rows (CSV)": empty_rows_csv, "1 M-deep nesting (GeoJSON)": deep_geojson,
    "100,000 network links (KML)": links_kml, "200,000 properties (GeoJSON)": fields_geojson,
}
