"""Export formats, each writing layer frames to files that GIS tools and browsers open offline; FORMATS lists them."""

from __future__ import annotations

from geo.exports import geojson, gpkg, html, kml, qgis
from geo.exports.common import Format

# A new format is one module defining FORMAT and one entry here: the command line's --format choices and help and
# the app's download buttons come from this registry.
FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in (html.FORMAT, gpkg.FORMAT, qgis.FORMAT, kml.FORMAT, geojson.FORMAT)}
