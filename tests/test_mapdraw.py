"""Drawing layer frames: Leaflet styles in matplotlib terms, holes left open, a round scale bar."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.pictures.mapdraw import dashes, draw_shapes, fill, nice_km, stroke


def test_leaflet_styles_in_points():
    colour, width, dash = stroke({"color": "#ff0000", "weight": 2, "dashArray": "4 4"})
    assert colour == (1.0, 0.0, 0.0, 1.0) and width == 1.5 and dash == (0, (2.0, 2.0))  # 4 px = 3 pt = 2 widths
    assert dashes(None, 1.0) == "solid" and fill({"fill": False}) == (0, 0, 0, 0)
    assert fill({"color": "#000000"}) == (0.0, 0.0, 0.0, 0.2)  # Leaflet's default fill opacity


def test_a_hole_stays_open_whatever_its_winding():
    ring, hole = [(0, 0), (10, 0), (10, 10), (0, 10)], [(3, 3), (7, 3), (7, 7), (3, 7)]  # both counter-clockwise
    frame = gpd.GeoDataFrame({"layer": ["other"], "colour": ["#000000"]}, geometry=[shapely.Polygon(ring, holes=[hole])],
                             crs="EPSG:4326")
    figure = Figure(figsize=(1, 1), dpi=50)
    FigureCanvasAgg(figure)
    ax = figure.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")
    draw_shapes(ax, frame, (0, 0, 10, 10), 1)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())
    assert tuple(pixels[25, 25, :3]) == (255, 255, 255) and tuple(pixels[45, 5, :3]) != (255, 255, 255)


def test_scale_bar_lengths_are_round():
    assert [nice_km(km) for km in (2600, 1000, 300, 90)] == [500, 200, 50, 10]
