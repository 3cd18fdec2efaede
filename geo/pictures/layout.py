"""The page every picture shares: map box, side panel with the legend, title and footer, at any pixel width."""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import matplotlib as mpl
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from geo import settings
from geo.draw.style import OPACITY_BY_CONFIDENCE, marker_style, style
from geo.pictures.mapdraw import circles, draw_scale_bar, stroke
from geo.pictures.page import Extent, Page, fit

FONT = settings.PICTURE_FONT
PAGE_W, PAGE_H = settings.PICTURE_SIZE_IN
MAP_BOX = (0.2, 0.62, 8.4, 6.0)  # left, bottom, width, height in inches
PANEL_BOX = (8.85, 0.62, 2.95, 6.7)
FOOTER_TOP = 0.55  # inches: the attribution and sources lines, under the map's frame
LINE = 10.5  # points between panel lines
TEXT = {"fontfamily": FONT, "color": "#222222"}
# Matplotlib is not thread-safe and the app renders in one thread per session; rcParams are global.
LOCK = threading.Lock()
RC = {key: value for key, value in mpl.rcParamsDefault.items() if key != "backend"}


@contextlib.contextmanager
def drawing() -> Iterator[None]:
    """Matplotlib's own defaults (never a local matplotlibrc), one picture at a time."""
    with LOCK, mpl.rc_context(RC):
        yield


@dataclass(frozen=True)
class Sheet:
    """A page ready for a day: the figure, its map and panel axes, the map's extent and where the day's text starts."""

    figure: Figure
    map: Axes
    panel: Axes
    box: Extent
    day_top: float  # panel y (points from its top) below the legend


def sheet(page: Page, *, width: int) -> Sheet:
    """A figure `width` pixels wide (height in proportion): map box true to scale at mid-latitude, legend, title."""
    figure = Figure(figsize=(PAGE_W, PAGE_H), dpi=width / PAGE_W, facecolor="white")
    FigureCanvasAgg(figure)
    box = fit(page.extent, MAP_BOX[3] / MAP_BOX[2])
    map_ax = figure.add_axes(inches(MAP_BOX))
    west, south, east, north = box
    map_ax.set_xlim(west, east)
    map_ax.set_ylim(south, north)
    map_ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="datalim")
    map_ax.set_xticks([])
    map_ax.set_yticks([])
    map_ax.set_facecolor("#eef1f4")
    panel = figure.add_axes(inches(PANEL_BOX))
    panel.set_xlim(0, PANEL_BOX[2] * 72)
    panel.set_ylim(PANEL_BOX[3] * 72, 0)
    panel.axis("off")
    draw_scale_bar(map_ax, box, FONT)
    figure.text(0.2 / PAGE_W, 1 - 0.2 / PAGE_H, page.title, fontsize=16, fontweight="bold", va="top", **TEXT)
    figure.text(0.2 / PAGE_W, 0.36 / PAGE_H, f"Boundaries: Natural Earth; dataset {page.version}", fontsize=6.5,
                va="bottom", **TEXT)
    return Sheet(figure, map_ax, panel, box, legend(panel, page))


def text_boxes(sheet_: Sheet) -> list[Bbox]:
    """Where the day's text goes, in pixels: the panel to the page's right edge, and the footer under the map."""
    scale = sheet_.figure.dpi
    left, bottom, _, height = PANEL_BOX
    return [Bbox([[left * scale, bottom * scale], [PAGE_W * scale, (bottom + height) * scale]]),
            Bbox([[0, 0], [PAGE_W * scale, FOOTER_TOP * scale]])]


def inches(box: tuple[float, float, float, float]) -> list[float]:
    left, bottom, width, height = box
    return [left / PAGE_W, bottom / PAGE_H, width / PAGE_W, height / PAGE_H]


def marker(ax: Axes, x: float, y: float, look: Mapping, *, scale: float = 1.0) -> Artist:
    """One legend circle drawn as the map draws a marker with this style."""
    return circles(ax, [look], [x], [y], zorder=2, scale=scale)


def label(ax: Axes, x: float, y: float, text: str, **options) -> Artist:
    return ax.text(x, y, text, va="center", fontsize=options.pop("fontsize", 7), **{**TEXT, **options})


def legend(ax: Axes, page: Page) -> float:
    """Forces, sizes, confidence and the other marks; returns the y below it."""
    y = 8.0
    label(ax, 0, y, "Forces", fontsize=8.5, fontweight="bold")
    for name, colour in page.actors:
        y += LINE
        marker(ax, 6, y, marker_style({"layer": "deployments", "colour": colour, "radius": 5, "confidence": "high"}))
        label(ax, 16, y, name)
    y += LINE * 1.6
    label(ax, 0, y, "Size = reported strength", fontsize=8.5, fontweight="bold")
    y += 4 + max(r for _, r in page.sizes) * settings.PICTURE_PT_PER_PX
    x = 4.0
    for text, radius in page.sizes:
        half = radius * settings.PICTURE_PT_PER_PX
        marker(ax, x + half, y, marker_style({"layer": "deployments", "colour": "#777777", "radius": radius}))
        label(ax, x + 2 * half + 3, y, text)
        x += 2 * half + 38
    y += LINE * 2.2
    label(ax, 0, y, "Opacity = confidence", fontsize=8.5, fontweight="bold")
    y += LINE
    for index, (level, _) in enumerate(OPACITY_BY_CONFIDENCE.items()):
        marker(ax, 6 + 55 * index, y, marker_style({"layer": "deployments", "colour": "#777777", "radius": 5,
                                                     "confidence": level}))
        label(ax, 16 + 55 * index, y, level)
    return marks(ax, y + LINE * 1.3)


def marks(ax: Axes, y: float) -> float:
    """Dashed edge, co-presence ring, event and movement, each as the map draws it."""
    rows = [
        (marker_style({"layer": "deployments", "colour": "#777777", "radius": 5, "location_precision": "approximate"}),
         "approximate location or country-wide figure", 1.0),
        (marker_style({"layer": "copresence"}), "two or more foreign forces at one base", 0.25),
        (marker_style({"layer": "events", "colour": "#555555", "confidence": "high"}),
         f"event in the last {settings.EVENT_WINDOW_DAYS} days (first actor's colour)", 1.0),
    ]
    for look, text, scale in rows:
        marker(ax, 6, y, look, scale=scale)
        label(ax, 16, y, text)
        y += LINE * 1.2
    lines = [(style({"layer": "movements", "colour": "#555555"}), "movement (straight line between its ends)"),
             (style({"layer": "countries", "group_member": True}), "alliance member on the day")]
    for look, text in lines:
        colour, width, dash = stroke(look)
        ax.add_line(Line2D([0, 13], [y, y], color=colour, linewidth=width, linestyle=dash))
        label(ax, 16, y, text)
        y += LINE * 1.2
    return y + LINE * 0.8

