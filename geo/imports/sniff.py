"""Check that a vector upload looks like its suffix before GDAL opens it: GDAL picks drivers by content, not name."""

from __future__ import annotations

import mmap
import re
import zipfile
from pathlib import Path

from geo.imports.common import fail

# A ".json" or ".kml" holding an OGR VRT or WFS description would make GDAL read any file on the server or fetch a
# URL while opening it, so each format's first bytes are checked here and its driver after GDAL opens it.
SIGNATURES = {
    ".geojson": re.compile(rb"(\xef\xbb\xbf)?\s*\{"),
    ".json": re.compile(rb"(\xef\xbb\xbf)?\s*\{"),
    ".kml": re.compile(rb"(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<([\w.-]+:)?kml\b", re.DOTALL),
    ".gpkg": re.compile(rb"SQLite format 3\x00"),
    ".shp": re.compile(rb"\x00\x00\x27\x0a"),
}
DESCRIBED = {".geojson": "a GeoJSON object starting with '{'", ".json": "a GeoJSON object starting with '{'",
             ".kml": "a KML document (root element <kml>)", ".gpkg": "a GeoPackage (an SQLite database)",
             ".shp": "a Shapefile (.shp header code 9994)"}
JSON_DRIVERS = {"GeoJSON", "ESRIJSON", "TopoJSON"}  # local files only, unlike a VRT or WFS description
DRIVERS = {".geojson": JSON_DRIVERS, ".json": JSON_DRIVERS, ".kml": {"LIBKML", "KML"}, ".gpkg": {"GPKG"},
           ".zip": {"ESRI Shapefile"}}
FOREIGN = re.compile(rb"OGRVRTDataSource|OGRWFSDataSource|/vsi[a-z]", re.IGNORECASE)
# A KML NetworkLink loads another document (a URL, a file): searched for in the whole file, not its first bytes.
NETWORK_LINK = re.compile(rb"<([\w.-]+:)?NetworkLink\b")
HEAD_BYTES = 64 * 1024


def check_signature(file: str, suffix: str, head: bytes) -> None:
    """Refuse bytes that do not start like `suffix` or that name another GDAL source (a VRT, a WFS, a /vsi path)."""
    if not SIGNATURES[suffix].match(head):
        raise fail(file, f"{DESCRIBED[suffix]}, the content is something else",
                   value=head[:20].decode("utf-8", "replace"))
    if suffix == ".kml" and (found := FOREIGN.search(head)):
        raise fail(file, "a KML document that references no other data source", value=found.group().decode())


def check_file(path: Path) -> None:
    """Check a GeoJSON, KML or GeoPackage file's first bytes, and a KML for network links anywhere."""
    with open(path, "rb") as handle:
        check_signature(path.name, path.suffix.lower(), handle.read(HEAD_BYTES))
    if path.suffix.lower() == ".kml":
        check_links(path)


def check_links(path: Path) -> None:
    """Refuse a KML holding <NetworkLink> elements, counted without reading the file into memory."""
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        links = sum(1 for _ in NETWORK_LINK.finditer(data))
        if links and (first := NETWORK_LINK.search(data)):
            line = data[:first.start()].count(b"\n") + 1
            raise fail(path.name, "a KML document without <NetworkLink> elements (they load other documents, which "
                                  "is refused)", row=line, value=f"{links:,} network link(s)")


def check_member(path: Path, member: str) -> None:
    """Check the first bytes of the Shapefile `member` of the zip at path."""
    with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
        check_signature(path.name, ".shp", handle.read(HEAD_BYTES))


def check_driver(file: str, suffix: str, driver: str) -> None:
    """Refuse a file GDAL opened with a driver other than its suffix's."""
    if driver not in DRIVERS[suffix]:
        raise fail(file, f"a file read by GDAL's {' or '.join(sorted(DRIVERS[suffix]))} driver", value=driver)
