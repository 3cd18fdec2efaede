"""The Dataset: every curated table and boundary layer, validated together, typed, frozen and versioned."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd
import shapely

from geo import io, settings
from geo.schema import TABLES, Problem, SeedError
from geo.validate import FIRST_DATA_ROW, check_references, table_problems


@dataclass(frozen=True)
class Dataset:
    """Curated tables (typed DataFrames keyed by table name), boundaries, and the content version."""

    tables: Mapping[str, pd.DataFrame]
    boundaries: Mapping[str, gpd.GeoDataFrame]
    version: str
    seeds_dir: Path = field(default=settings.SEEDS_DIR)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def sources(self) -> pd.DataFrame:
        return self.tables["sources"]

    @property
    def actors(self) -> pd.DataFrame:
        return self.tables["actors"]

    def sites_frame(self) -> gpd.GeoDataFrame:
        """Every site as a point; a site whose coordinates are not sourced has no geometry (None)."""
        sites = self.tables["sites"]
        points = [None if pd.isna(x) else shapely.Point(x, y) for x, y in zip(sites["lon"], sites["lat"])]
        return gpd.GeoDataFrame(sites, geometry=gpd.GeoSeries(points, index=sites.index, crs=settings.CRS))


def load_dataset(seeds_dir: Path | str = settings.SEEDS_DIR) -> Dataset:
    """Read, validate and type every table under seeds_dir; raise one SeedError listing every problem."""
    seeds_dir = Path(seeds_dir)
    raw, problems = read_raw_tables(seeds_dir)
    problems += [p for name, frame in raw.items() for p in table_problems(name, frame)]
    if problems:
        raise SeedError(problems)
    problems = list(check_references(raw))
    tables = {name: typed(name, frame) for name, frame in raw.items()}
    boundaries = io.read_boundaries(seeds_dir)
    problems += site_country_problems(tables["sites"], boundaries["countries"])
    if problems:
        raise SeedError(problems)
    frozen = MappingProxyType(tables)
    return Dataset(frozen, MappingProxyType(boundaries), io.content_hash(seeds_dir), seeds_dir)


def read_raw_tables(seeds_dir: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read every table named in the schema as text; a missing or unreadable file is a problem, not a crash."""
    frames, problems = {}, []
    for name in TABLES:
        path = seeds_dir / settings.DATA_SUBDIR / f"{name}.csv"
        try:
            frames[name] = io.read_table(path)
        except FileNotFoundError:
            problems.append(Problem(f"{name}.csv", None, "file", str(path), "this file to exist"))
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            problems.append(Problem(f"{name}.csv", None, "file", type(error).__name__, f"UTF-8 CSV with a header ({error})"))
    return frames, problems


def typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Convert validated text cells to their types: dates and numbers, empty ones missing; text stays text."""
    frame = frame.apply(lambda column: column.str.strip())
    for column in TABLES[name]:
        cells = frame[column.name].replace("", None)
        if column.kind == "date":
            frame[column.name] = pd.to_datetime(cells, format="%Y-%m-%d").astype("datetime64[s]")
        elif column.kind == "float":
            frame[column.name] = pd.to_numeric(cells).astype("float64")
        elif column.kind == "int":
            frame[column.name] = pd.to_numeric(cells).astype("Int64")
    frame.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame), name="row")
    return frame


def site_country_problems(sites: pd.DataFrame, countries: gpd.GeoDataFrame) -> list[Problem]:
    """Every located site must fall inside (or on the border of) the country it claims."""
    shapes = dict(zip(countries["ISO_A3"], countries.geometry))
    problems = []
    for row, site in sites.dropna(subset=["lon", "lat"]).iterrows():
        shape = shapes.get(site["country"])
        point = shapely.Point(site["lon"], site["lat"])
        if shape is None:
            expected = "a country in the bundled boundaries: " + ", ".join(sorted(shapes))
            problems.append(Problem("sites.csv", row, "country", site["country"], expected))
        elif not shape.covers(point):
            expected = f"a point inside {site['country']} (or fix 'country')"
            problems.append(Problem("sites.csv", row, "lon/lat", f"{site['lon']}, {site['lat']}", expected))
    return problems
