"""A day's layer frames on a matplotlib map, styled by the app's own style(feature) and marker_style(props)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform, Transform

from geo import settings
from geo.draw.style import marker_style, style
from geo.pictures.page import Extent, short

PT = settings.PICTURE_PT_PER_PX
LEAFLET_WEIGHT, LEAFLET_FILL_OPACITY = 3, 0.2  # Leaflet's defaults where a style leaves them out
KM_PER_DEG = 111.32
CIRCLE = MarkerStyle("o").get_path().transformed(MarkerStyle("o").get_transform())  # diameter 1 point
IDLE_KINDS = ("air_base",)  # named even without a force (forward bases, often beside a town of the same name, are not)
IDLE_LABEL_CLEARANCE = 1.0  # degrees from a bold label within which a base without forces stays unnamed
SCALE_ZORDER = 4.9  # over the boundaries, under every layer that changes with the day


def dashes(dash_array: str | None, width_pt: float) -> str | tuple:
    """Leaflet's dashArray (pixels) as a matplotlib dash pattern, which matplotlib scales by the line width."""
    if not dash_array:
        return "solid"
    return 0, tuple(float(v) * PT / max(width_pt, 0.1) for v in str(dash_array).split())


def stroke(look: Mapping) -> tuple[tuple, float, str | tuple]:
    """Edge colour, width in points and dashes of a Leaflet style."""
    width = look.get("weight", LEAFLET_WEIGHT) * PT
    return to_rgba(look.get("color", "#3388ff"), look.get("opacity", 1.0)), width, dashes(look.get("dashArray"), width)


def fill(look: Mapping) -> tuple:
    """Fill colour of a Leaflet style; transparent when it has none."""
    if look.get("fill") is False:
        return 0, 0, 0, 0
    return to_rgba(look.get("fillColor", look.get("color", "#3388ff")), look.get("fillOpacity", LEAFLET_FILL_OPACITY))


def shape_path(geometry: shapely.Geometry) -> Path:
    """Polygons (with holes) and lines of any multiplicity as one matplotlib path."""
    parts = []
    for part in shapely.get_parts(geometry):
        if isinstance(part, shapely.Polygon):
            parts += [Path(np.asarray(ring.coords)[:, :2], closed=True) for ring in (part.exterior, *part.interiors)]
        elif isinstance(part, shapely.LineString):
            parts.append(Path(np.asarray(part.coords)[:, :2]))
    return Path.make_compound_path(*parts) if parts else Path(np.empty((0, 2)))


def located(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    shapes = frame.geometry.array
    return frame[~(shapely.is_missing(shapes) | shapely.is_empty(shapes))]


def draw_shapes(ax: Axes, rows: gpd.GeoDataFrame, box: Extent, zorder: float) -> list[Artist]:
    """Located polygons and lines, clipped to the map (fewer vertices to draw), each in style(feature)."""
    if rows.empty:
        return []
    looks = [style(props) for props in rows.drop(columns=rows.geometry.name).to_dict("records")]
    lines = rows.geom_type.str.contains("LineString").to_numpy()
    clipped = shapely.orient_polygons(shapely.clip_by_rect(rows.geometry.array, *box))  # holes wind against: unfilled
    strokes = [stroke(look) for look in looks]
    collection = PathCollection(
        [shape_path(g) for g in clipped],
        facecolors=[(0, 0, 0, 0) if line else fill(look) for look, line in zip(looks, lines)],
        edgecolors=[s[0] for s in strokes], linewidths=[s[1] for s in strokes], linestyles=[s[2] for s in strokes],
        zorder=zorder, capstyle="round", joinstyle="round")
    ax.add_collection(collection, autolim=False)
    return [collection]


def circles(ax: Axes, looks: list[Mapping], xs: list[float], ys: list[float], *, zorder: float, scale: float = 1.0,
            transform: Transform | None = None) -> Artist:
    """Circle markers, one per Leaflet marker style, as one collection (what scatter makes, without its overhead)."""
    strokes = [stroke(look) for look in looks]
    collection = PathCollection([CIRCLE], sizes=[(2 * look.get("radius", 10) * PT * scale) ** 2 for look in looks],
                                offsets=np.column_stack([xs, ys]), offset_transform=transform or ax.transData,
                                facecolors=[fill(look) for look in looks], edgecolors=[s[0] for s in strokes],
                                linewidths=[s[1] for s in strokes], linestyles=[s[2] for s in strokes], zorder=zorder,
                                transform=IdentityTransform())  # sizes in points, only the centres in data
    ax.add_collection(collection, autolim=False)
    return collection


def draw_points(ax: Axes, rows: gpd.GeoDataFrame, zorder: float) -> list[Artist]:
    """Located points as circle markers in marker_style(props), largest first so a small force is never hidden."""
    if rows.empty:
        return []
    props = rows.drop(columns=rows.geometry.name).to_dict("records")
    ordered = sorted(zip((marker_style(p) for p in props), rows.geometry.x, rows.geometry.y),
                     key=lambda item: -item[0].get("radius", 10))
    looks, xs, ys = zip(*ordered)
    return [circles(ax, list(looks), list(xs), list(ys), zorder=zorder)]


def base_names(sites: gpd.GeoDataFrame) -> dict[tuple[float, float], str]:
    """Short name of the base at each coordinate (compounds share their base's): (lon, lat) -> 'Air Base 101'."""
    bases = sites[~sites["displaced"].astype(bool) & sites["lon"].notna()]
    return {(lon, lat): short(name) for lon, lat, name in zip(bases["lon"], bases["lat"], bases["name"])}


def draw_town_labels(ax: Axes, towns: gpd.GeoDataFrame, font: str, *, zorder: float) -> list[Artist]:
    """Town names in grey, up and right of their dot."""
    return [ax.annotate(town["name"], (town.geometry.x, town.geometry.y), xytext=(3, 3), textcoords="offset points",
                        fontsize=6.5, color="#555555", fontfamily=font, zorder=zorder)
            for _, town in located(towns).iterrows()]


def draw_base_labels(ax: Axes, sites: gpd.GeoDataFrame, deployments: gpd.GeoDataFrame, font: str) -> list[Artist]:
    """The short name of each base where a force is, in bold under its largest marker (above it when a base is close
    below, so two labels never meet); air bases without a force, in grey, where no bold label is near."""
    names, artists = base_names(sites), []
    largest = deployments.dropna(subset=["lon"]).groupby(["lon", "lat"])["radius"].max()
    for (lon, lat), radius in largest.items():
        if (lon, lat) not in names:
            continue
        above = any(lat - 1.5 < other_lat < lat and abs(lon - other_lon) < 2 for other_lon, other_lat in largest.index)
        offset = (float(radius) * PT + 3) * (1 if above else -1)
        artists.append(ax.annotate(names[(lon, lat)], (lon, lat), xytext=(0, offset), textcoords="offset points",
                                   ha="center", va="bottom" if above else "top", fontsize=7.5, fontweight="bold",
                                   color="#222222", fontfamily=font, zorder=21, annotation_clip=False,
                                   bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}))
    idle = sites[sites["kind"].isin(IDLE_KINDS) & ~sites["displaced"].astype(bool) & sites["lon"].notna()]
    for name, lon, lat in zip(idle["name"], idle["lon"], idle["lat"]):
        if all(abs(lon - x) > IDLE_LABEL_CLEARANCE or abs(lat - y) > IDLE_LABEL_CLEARANCE for x, y in largest.index):
            artists.append(ax.annotate(short(name), (lon, lat), xytext=(0, -6), textcoords="offset points", ha="center",
                                       va="top", fontsize=6.5, color="#444444", fontfamily=font, zorder=20))
    return artists


def draw_country_names(ax: Axes, countries: gpd.GeoDataFrame, box: Extent, font: str) -> list[Artist]:
    """Each country's name in light capitals at a point inside its visible part."""
    artists = []
    for name, shape in zip(countries["name"], shapely.clip_by_rect(countries.geometry.array, *box)):
        if shape is not None and not shape.is_empty and shape.area > 1.5:
            point = shape.representative_point()
            artists.append(ax.text(point.x, point.y, str(name).upper(), ha="center", va="center", fontsize=8,
                                   color="#9a9a9a", fontfamily=font, zorder=2.5))
    return artists


def draw_layers(ax: Axes, frames: Mapping[str, gpd.GeoDataFrame], box: Extent, font: str, *,
                order: Mapping[str, int]) -> list[Artist]:
    """Each frame stacked by its place in `order` (the REGISTRY's drawing order), with its names."""
    artists = []
    for name, frame in frames.items():
        rows = located(frame)
        point = bool((shapely.get_type_id(rows.geometry.array) == 0).all())  # type 0: Point
        artists += draw_points(ax, rows, 2 + order[name]) if point else draw_shapes(ax, rows, box, 2 + order[name])
        if name == "countries":
            artists += draw_country_names(ax, frame.drop_duplicates("iso_a3"), box, font)
        if name == "towns":
            artists += draw_town_labels(ax, frame, font, zorder=2.5 + order[name])
    if "sites" in frames and "deployments" in frames:
        artists += draw_base_labels(ax, frames["sites"], frames["deployments"], font)
    return artists


def nice_km(span_km: float) -> int:
    """A round bar length near a fifth of the map's width: 50, 100, 200, 250, 500 km..."""
    target = span_km / 5
    magnitude = 10 ** math.floor(math.log10(target))
    return int(max(m * magnitude for m in (1, 2, 2.5, 5) if m * magnitude <= target))


def draw_scale_bar(ax: Axes, box: Extent, font: str) -> None:
    """A two-segment bar in km at the map's mid-latitude (the map is drawn true to scale there)."""
    west, south, east, north = box
    km_per_deg = KM_PER_DEG * math.cos(math.radians((south + north) / 2))
    length = nice_km((east - west) * km_per_deg)
    x0, y0, height = west + (east - west) * 0.03, north - (north - south) * 0.06, (north - south) * 0.008
    step = length / 2 / km_per_deg
    for index, colour in enumerate(("#222222", "#ffffff")):
        ax.add_patch(Rectangle((x0 + index * step, y0), step, height, facecolor=colour, edgecolor="#222222",
                               linewidth=0.6, zorder=SCALE_ZORDER))
    for index, label in enumerate(("0", f"{length / 2:g}", f"{length:g} km")):
        ax.text(x0 + index * step, y0 + height * 1.8, label, ha="center", va="bottom", fontsize=6.5,
                fontfamily=font, zorder=SCALE_ZORDER)
