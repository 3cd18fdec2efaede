"""One day's map as PNG bytes: the layers, the forces present, the day's events and their sources."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

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
FOOTER_CHARS = 230  # a footer line at 6.5 pt across the page
# Most specific first: the sources line keeps the forces' and events' sources when it has to leave some out.
BACKGROUND = ("countries", "regions", "towns")  # under every layer that changes with the day
CITED_ORDER = ("deployments", "events", "copresence", "movements", "sites", "countries", "regions", "towns")


def snapshot_png(page: Page, frames: Mapping[str, gpd.GeoDataFrame], *, day: dt.date,
                 width: int = settings.PICTURE_WIDTH_PX) -> bytes:
    """The day's map as PNG bytes; frames hold the day's rows of each layer, in drawing order."""
    with layout.drawing():
        return png_bytes(Painter(page, width=width).day(frames, day), dpi=width / layout.PAGE_W)


def png_bytes(image: np.ndarray, *, dpi: float) -> bytes:
    """An RGB PNG holding the picture and its resolution only: no software, date or other text chunk."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", dpi=(round(dpi), round(dpi)))
    return buffer.getvalue()


class Painter:
    """A page drawn day after day: its background (page, boundaries, towns) is drawn again only when it changes.

    Text is most of the drawing time; most of it (legend, country and town names) belongs to the background.
    """

    def __init__(self, page: Page, *, width: int):
        self.page, self.sheet = page, layout.sheet(page, width=width)
        self.key: tuple | None = None
        self.background, self.ground = None, []

    def day(self, frames: Mapping[str, gpd.GeoDataFrame], day: dt.date) -> np.ndarray:
        """The day's picture as height x width x 3 RGB bytes."""
        order = {name: index for index, name in enumerate(frames)}
        ground = {name: frame for name, frame in frames.items() if name in BACKGROUND}
        self.lay_background(ground, order)
        canvas, sheet = self.sheet.figure.canvas, self.sheet
        canvas.restore_region(self.background)
        artists = draw_day(sheet, self.page, frames, day, order=order)
        for artist in sorted(artists, key=lambda a: a.get_zorder()):
            (artist.axes or sheet.figure).draw_artist(artist)
        image = np.asarray(canvas.buffer_rgba())[:, :, :3].copy()
        for artist in artists:
            artist.remove()
        return image

    def lay_background(self, ground: Mapping[str, gpd.GeoDataFrame], order: Mapping[str, int]) -> None:
        key = tuple((name, tuple(frame.index)) for name, frame in ground.items())
        if key == self.key:
            return
        for artist in self.ground:
            artist.remove()
        self.ground = draw_layers(self.sheet.map, ground, self.sheet.box, layout.FONT, order=order)
        self.sheet.figure.canvas.draw()
        self.background, self.key = self.sheet.figure.canvas.copy_from_bbox(self.sheet.figure.bbox), key


def draw_day(sheet: Sheet, page: Page, frames: Mapping[str, gpd.GeoDataFrame], day: dt.date, *,
             order: Mapping[str, int]) -> list[Artist]:
    """Everything that changes with the day: the layers above the background, the date, the forces and events lists,
    the sources line (of every layer)."""
    figure, moving = sheet.figure, {name: frame for name, frame in frames.items() if name not in BACKGROUND}
    artists = draw_layers(sheet.map, moving, sheet.box, layout.FONT, order=order)
    artists.append(figure.text(0.2 / layout.PAGE_W, 1 - 0.5 / layout.PAGE_H, format_day(pd.Timestamp(day)),
                               fontsize=13, va="top", **{**layout.TEXT, "color": "#7a3e00"}))
    artists += day_lists(sheet, frames)
    ids = cited(frames[name] for name in CITED_ORDER if name in frames)
    artists.append(figure.text(0.2 / layout.PAGE_W, 0.08 / layout.PAGE_H, sources_text(ids, page, width=FOOTER_CHARS),
                               fontsize=6.5, va="bottom", linespacing=1.3, **layout.TEXT))
    return artists


def day_lists(sheet: Sheet, frames: Mapping[str, gpd.GeoDataFrame]) -> list[Artist]:
    """Beside the legend: who is present where with what reported strength, then the events shown."""
    ax, y, artists = sheet.panel, sheet.day_top, []
    empty = gpd.GeoDataFrame(columns=["source_ids", "geometry"], geometry="geometry")
    deployments, events = frames.get("deployments", empty), frames.get("events", empty)
    names = base_names(frames["sites"]) if "sites" in frames else {}
    present = present_lines(deployments, names) if len(deployments) else []
    artists.append(label(ax, 0, y, f"Forces present ({len(present)})", fontsize=8.5, fontweight="bold"))
    rows = present if len(present) <= settings.PICTURE_MAX_LISTED else present[: settings.PICTURE_MAX_LISTED - 1]
    for colour, text in rows:
        y += LINE
        look = marker_style({"layer": "deployments", "colour": colour, "radius": 4, "confidence": "high"})
        artists += [marker(ax, 5, y, look), label(ax, 14, y, cut(text, PANEL_CHARS))]
    if len(rows) < len(present):
        y += LINE
        artists.append(label(ax, 14, y, f"\u2026 and {len(present) - len(rows)} more"))
    y += LINE * 1.8
    shown = event_lines(events, width=PANEL_CHARS) if len(events) else []
    title = f"Events in the last {settings.EVENT_WINDOW_DAYS} days ({len(shown)})"
    artists.append(label(ax, 0, y, title, fontsize=8.5, fontweight="bold"))
    if shown:
        artists.append(ax.text(0, y + LINE / 2, "\n".join(listed(shown)), va="top", fontsize=7, linespacing=1.25,
                               **layout.TEXT))
    return artists
