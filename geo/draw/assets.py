"""Offline web assets: Leaflet and jQuery from installed XStatic packages, as files or inline data: URIs."""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

import xstatic.pkg.jquery as xjquery
import xstatic.pkg.leaflet as xleaflet

LEAFLET_DIR = Path(xleaflet.BASE_DIR)
JQUERY_DIR = Path(xjquery.BASE_DIR)
LEAFLET_JS = LEAFLET_DIR / "leaflet.js"
LEAFLET_CSS = LEAFLET_DIR / "leaflet.css"
JQUERY_JS = JQUERY_DIR / "jquery.min.js"


def data_uri(path: Path, mime: str) -> str:
    """A file as a base64 data: URI, so a page needs no request to load it."""
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


@functools.cache
def leaflet_css_inline() -> str:
    """leaflet.css with its images (layer-control icon, markers) inlined as data: URIs."""
    css = LEAFLET_CSS.read_text(encoding="utf-8")
    return re.sub(r"url\((images/[^)]+\.png)\)", lambda m: f"url({data_uri(LEAFLET_DIR / m.group(1), 'image/png')})", css)


@functools.cache
def offline_js() -> list[tuple[str, str]]:
    """folium `default_js` entries (name, data: URI) for Leaflet and jQuery: nothing fetched from a CDN."""
    return [("leaflet", data_uri(LEAFLET_JS, "text/javascript")), ("jquery", data_uri(JQUERY_JS, "text/javascript"))]


@functools.cache
def offline_css() -> list[tuple[str, str]]:
    """folium `default_css` entries (name, data: URI): Leaflet's stylesheet with its images inlined."""
    encoded = base64.b64encode(leaflet_css_inline().encode()).decode()
    return [("leaflet_css", f"data:text/css;base64,{encoded}")]
