"""One day's map as PNG bytes: the layers, the forces present, the day's events and their sources."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from PIL import Image

from geo import settings
from geo.data.timeline import format_day
from geo.draw.style import marker_style
from geo.pictures import layout
from geo.pictures.layout import LINE, Sheet, label, marker
from geo.pictures.mapdraw import base_names, draw_layers
from geo.pictures.page import Page, cited, cut, event_lines, listed, present_lines, sources_text

PANEL_CHARS = 56  # a panel line at 7 pt
FOOTER_CHARS = 220  # a footer line at 6.5 pt across the page, with a margin
PNG_COMPRESSION = 1  # zlib's fastest: half the encoding time, 1% larger on these flat colours
BACKGROUND = ("countries", "regions", "towns")  # under every layer that changes with the day
# Most specific first: the sources line keeps the forces' and events' sources when it has to leave some out.
CITED_ORDER = ("deployments", "events", "copresence", "movements", "sites", "countries", "regions", "towns")


def snapshot_png(page: Page, frames: Mapping[str, gpd.GeoDataFrame], *, day: dt.date,
                 width: int = settings.PICTURE_WIDTH_PX) -> bytes:
    """The day's map as PNG bytes; frames hold the day's rows of each layer, in drawing order."""
    with layout.drawing():
        return png_bytes(Painter(page, width=width).day(frames, day), dpi=width / layout.PAGE_W)


def png_bytes(image: np.ndarray, *, dpi: float) -> bytes:
    """An RGB PNG holding the picture and its resolution only: no software, date or other text chunk."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", dpi=(round(dpi), round(dpi)), compress_level=PNG_COMPRESSION)
    return buffer.getvalue()


@dataclass(frozen=True)
class DayText:
    """The day's words beside and under the map: they change far less often than the day."""

    present: tuple[tuple[str, str], ...]  # (actor colour, line) per force present
    events: tuple[str, ...]
    sources: str


def day_text(page: Page, frames: Mapping[str, gpd.GeoDataFrame]) -> DayText:
    """Forces present, events shown and the sources line (of every layer drawn) for the day's frames."""
    names = base_names(frames["sites"]) if "sites" in frames else {}
    deployments, events = frames.get("deployments"), frames.get("events")
    ids = cited(frames[name] for name in CITED_ORDER if name in frames)
    return DayText(tuple(present_lines(deployments, names)) if deployments is not None and len(deployments) else (),
                   tuple(event_lines(events, width=PANEL_CHARS)) if events is not None and len(events) else (),
                   sources_text(ids, page, width=FOOTER_CHARS))


class Painter:
    """A page drawn day after day, each part again only when it changed: its background (page, boundaries, towns),
    then the day's text (lists, sources), then the layers that move and the date.

    Text is most of the drawing time, and most text changes far less often than the day. Use it inside
    layout.drawing().
    """

    def __init__(self, page: Page, *, width: int):
        self.page, self.sheet = page, layout.sheet(page, width=width)
        self.key: tuple | None = None
        self.background: object = None
        self.ground: list = []
        self.text: DayText | None = None
        self.text_pixels: list = []

    def day(self, frames: Mapping[str, gpd.GeoDataFrame], day: dt.date) -> np.ndarray:
        """The day's picture as height x width x 3 RGB bytes."""
        order = {name: index for index, name in enumerate(frames)}
        self.lay_background({name: frame for name, frame in frames.items() if name in BACKGROUND}, order)
        canvas = self.sheet.figure.canvas
        canvas.restore_region(self.background)
        self.lay_text(day_text(self.page, frames))
        artists = draw_moving(self.sheet, frames, day, order=order)
        self.paint(artists)
        image = np.asarray(canvas.buffer_rgba())[:, :, :3].copy()
        for artist in artists:
            artist.remove()
        return image

    def paint(self, artists: list[Artist]) -> None:
        for artist in sorted(artists, key=lambda a: a.get_zorder()):
            (artist.axes or self.sheet.figure).draw_artist(artist)

    def lay_background(self, ground: Mapping[str, gpd.GeoDataFrame], order: Mapping[str, int]) -> None:
        key = tuple((name, tuple(frame.index)) for name, frame in ground.items())
        if key == self.key:
            return
        for artist in self.ground:
            artist.remove()
        self.ground = draw_layers(self.sheet.map, ground, self.sheet.box, layout.FONT, order=order)
        self.sheet.figure.canvas.draw()
        self.background, self.key = self.sheet.figure.canvas.copy_from_bbox(self.sheet.figure.bbox), key
        self.text = None  # drawn over the old background: draw it again

    def lay_text(self, text: DayText) -> None:
        """Restore the panel and footer as last drawn, or draw them (over the restored background) and keep them."""
        canvas = self.sheet.figure.canvas
        if text == self.text:
            for pixels in self.text_pixels:
                canvas.restore_region(pixels)
            return
        artists = draw_text(self.sheet, text)
        self.paint(artists)
        self.text_pixels = [canvas.copy_from_bbox(box) for box in layout.text_boxes(self.sheet)]
        self.text = text
        for artist in artists:
            artist.remove()


def draw_moving(sheet: Sheet, frames: Mapping[str, gpd.GeoDataFrame], day: dt.date, *,
                order: Mapping[str, int]) -> list[Artist]:
    """The layers above the background, and the date."""
    moving = {name: frame for name, frame in frames.items() if name not in BACKGROUND}
    artists = draw_layers(sheet.map, moving, sheet.box, layout.FONT, order=order)
    artists.append(sheet.figure.text(0.2 / layout.PAGE_W, 1 - 0.5 / layout.PAGE_H, format_day(pd.Timestamp(day)),
                                     fontsize=13, va="top", **{**layout.TEXT, "color": "#7a3e00"}))
    return artists


def draw_text(sheet: Sheet, text: DayText) -> list[Artist]:
    """Beside the legend, who is present where with what reported strength, then the events shown; the sources line."""
    ax, y, artists = sheet.panel, sheet.day_top, []
    artists.append(label(ax, 0, y, f"Forces present ({len(text.present)})", fontsize=8.5, fontweight="bold"))
    limit = settings.PICTURE_MAX_LISTED
    rows = text.present if len(text.present) <= limit else text.present[: limit - 1]
    for colour, line in rows:
        y += LINE
        look = marker_style({"layer": "deployments", "colour": colour, "radius": 4, "confidence": "high"})
        artists += [marker(ax, 5, y, look), label(ax, 14, y, cut(line, PANEL_CHARS))]
    if len(rows) < len(text.present):
        y += LINE
        artists.append(label(ax, 14, y, f"\u2026 and {len(text.present) - len(rows)} more"))
    y += LINE * 1.8
    title = f"Events in the last {settings.EVENT_WINDOW_DAYS} days ({len(text.events)})"
    artists.append(label(ax, 0, y, title, fontsize=8.5, fontweight="bold"))
    if text.events:
        artists.append(ax.text(0, y + LINE / 2, "\n".join(listed(list(text.events))), va="top", fontsize=7,
                               linespacing=1.25, **layout.TEXT))
    artists.append(sheet.figure.text(0.2 / layout.PAGE_W, 0.08 / layout.PAGE_H, text.sources, fontsize=6.5,
                                     va="bottom", linespacing=1.3, **layout.TEXT))
    return artists
