"""The Dataset: every curated table and boundary layer, validated together, typed, frozen and versioned."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.data import files
from geo.data.files import SEED_TEXT
from geo.data.records import table_rows
from geo.data.rules import rule_problems
from geo.data.scenario import Scenario, read_scenario
from geo.data.schema import TABLES, Problem, SeedError
from geo.data.story import story_problems
from geo.data.validate import FIRST_DATA_ROW, cell_expectation, check_references, table_problems

Derived = TypeVar("Derived")


@dataclass(frozen=True)
class Dataset:
    """Curated tables (typed DataFrames keyed by table name), boundaries, and the content version."""

    tables: Mapping[str, pd.DataFrame]
    boundaries: Mapping[str, gpd.GeoDataFrame]
    version: str
    scenario: Scenario
    seeds_dir: Path = field(default=settings.SEEDS_DIR)
    # Values derived from the tables, built once (dataclasses.replace starts a new, empty one).
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, key: str, build: Callable[[Dataset], Derived]) -> Derived:
        """build(self), computed once for this dataset; the caller must not modify what it gets."""
        if key not in self._derived:
            self._derived[key] = build(self)
        return self._derived[key]

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
    scenario, problems = read_scenario(seeds_dir)
    raw, table_read_problems = read_raw_tables(seeds_dir)
    problems += table_read_problems
    problems += [p for name, frame in raw.items() for p in table_problems(name, frame)]
    if not any(p.row in (None, 1) for p in problems):  # references need every file and column present
        problems += check_references(raw)
        problems += rule_problems(raw, seeds_dir)
    boundaries, boundary_problems = read_boundaries(seeds_dir, scenario.boundaries) if scenario else ({}, [])
    problems += boundary_problems
    if boundaries and "sites" in raw and not any(p.file == "sites.csv" and p.row == 1 for p in problems):
        problems += site_country_problems(raw["sites"], boundaries["countries"])
    if not any(p.file == "story.csv" and p.row == 1 for p in problems):
        problems += story_problems(raw.get("story"), scenario)
    if problems or scenario is None:
        raise SeedError(problems)
    tables = {name: typed(name, frame) for name, frame in raw.items()}
    return Dataset(MappingProxyType(tables), MappingProxyType(boundaries), files.content_hash(seeds_dir), scenario,
                   seeds_dir)


def read_raw_tables(seeds_dir: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read every table named in the schema as text; a missing or unreadable file is a problem, not a crash."""
    frames, problems = {}, []
    for name in TABLES:
        path = seeds_dir / settings.DATA_SUBDIR / f"{name}.csv"
        try:
            frames[name] = files.read_table(path)
        except FileNotFoundError:
            problems.append(Problem(f"{name}.csv", None, "file", str(path), "this file to exist"))
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            problems.append(Problem(f"{name}.csv", None, "file", type(error).__name__, f"UTF-8 CSV with a header ({error})"))
    return frames, problems


def read_boundaries(seeds_dir: Path, paths: Mapping[str, str]) -> tuple[dict[str, gpd.GeoDataFrame], list[Problem]]:
    """The scenario's boundary layers, or no layers and the problem that stopped them being read."""
    try:
        return files.read_boundaries(seeds_dir, paths), []
    except (OSError, RuntimeError, ValueError) as error:
        expected = "readable GeoJSON files " + ", ".join(paths.values())
        return {}, [Problem("scenario.toml", None, "boundaries", str(error).splitlines()[0], expected)]


def typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Convert validated text cells to their types: dates and numbers, empty ones missing; text stays text."""
    kinds = {column.name: column.kind for column in TABLES[name]}
    # Column by column in Python, one frame built at the end: pandas' per-column string methods, replace and casts
    # cost ~0.1 s over the twelve small tables, more than reading them.
    columns = {label: typed_cells([cell.strip() for cell in frame[label].tolist()], kinds.get(label, "text"))
               for label in frame.columns}
    return pd.DataFrame(columns, index=pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame), name="row"))


def typed_cells(cells: list[str], kind: str) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """One column's stripped cells as its kind's values (the validator has checked their format)."""
    if kind == "date":
        return np.array([cell or "NaT" for cell in cells], dtype="datetime64[s]")
    if kind == "float":
        return np.array([float(cell) if cell else np.nan for cell in cells], dtype="float64")
    if kind == "int":
        return pd.array([int(cell) if cell else None for cell in cells], dtype="Int64")
    return pd.array(cells, dtype=SEED_TEXT)


def site_country_problems(sites: pd.DataFrame, countries: gpd.GeoDataFrame) -> list[Problem]:
    """Every located site must fall inside (or on the border of) the country it claims."""
    shapes = dict(zip(countries["ISO_A3"], countries.geometry))
    columns = {c.name: c for c in TABLES["sites"]}
    problems = []
    for offset, site in enumerate(table_rows(sites)):
        cells = {name: site[name].strip() for name in ("lon", "lat", "country")}
        if not all(cells.values()) or any(cell_expectation(v, columns[k]) for k, v in cells.items()):
            continue  # empty or malformed cells are reported by the cell checks
        row, shape = offset + FIRST_DATA_ROW, shapes.get(cells["country"])
        if shape is None:
            expected = "a country in the bundled boundaries: " + ", ".join(sorted(shapes))
            problems.append(Problem("sites.csv", row, "country", cells["country"], expected))
        elif not shape.covers(shapely.Point(float(cells["lon"]), float(cells["lat"]))):
            expected = f"a point inside {cells['country']} (or fix 'country')"
            problems.append(Problem("sites.csv", row, "lon/lat", f"{cells['lon']}, {cells['lat']}", expected))
    return problems
