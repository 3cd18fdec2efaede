"""Offline web assets: Leaflet from its installed XStatic package, as files or inline data: URIs."""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import re
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

from geo.data.files import write_atomically

LEAFLET_DIR = Path(xleaflet.BASE_DIR)
LEAFLET_JS = LEAFLET_DIR / "leaflet.js"
LEAFLET_CSS = LEAFLET_DIR / "leaflet.css"


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
    """folium `default_js` entries (name, data: URI): Leaflet alone, nothing fetched from a CDN. folium lists jQuery too,
    for its Popup and keep_in_front only; no element drawn here uses them."""
    return [("leaflet", data_uri(LEAFLET_JS, "text/javascript"))]


@functools.cache
def offline_css() -> list[tuple[str, str]]:
    """folium `default_css` entries (name, data: URI): Leaflet's stylesheet with its images inlined."""
    encoded = base64.b64encode(leaflet_css_inline().encode()).decode()
    return [("leaflet_css", f"data:text/css;base64,{encoded}")]


def publish(folder: Path, url: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Copy Leaflet (with its images) into `folder`, served at `url`: folium (default_js, default_css).

    For the app: the browser fetches them once and caches them, instead of ~300 kB of data: URIs in every rerun's
    message. Each URL carries its file's content hash (a new XStatic version is a new URL). Copies are atomic and
    skipped when identical, so several server processes can publish into the same folder.
    """
    files = {"leaflet.js": LEAFLET_JS, "leaflet.css": LEAFLET_CSS,
             **{f"images/{p.name}": p for p in sorted((LEAFLET_DIR / "images").glob("*.png"))}}
    versions = {name: copy_if_changed(source, folder / name) for name, source in files.items()}

    def link(name: str) -> str:
        return f"{url}/{name}?v={versions[name]}"

    return [("leaflet", link("leaflet.js"))], [("leaflet_css", link("leaflet.css"))]


def copy_if_changed(source: Path, target: Path) -> str:
    """Copy source to target atomically unless it already holds the same bytes; returns their short hash."""
    data = source.read_bytes()
    write_if_changed(target, data)
    return hashlib.sha256(data).hexdigest()[:12]


def write_if_changed(target: Path, data: bytes) -> None:
    """Write bytes to target through a temporary file and os.replace, unless it already holds them."""
    if target.exists() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, data)
    os.chmod(target, 0o644)  # readable as the web server's own user, whatever the umask (nginx serves static/)
