"""The choice an import problem leaves open (coordinate columns, a file's layer), read from its message."""

from __future__ import annotations

import ast
import re

from geo.imports.common import ImportProblem

CANDIDATES = re.compile(r"found candidates (.+): choose with (?:lat|lon)=")
NO_COORDINATES = re.compile(r"or a WKT column \(.*\); columns are ")
LAYER_CHOICE = re.compile(r"layer= naming one of the (?:layer|shapefile)s: (.+)")


def coordinate_candidates(error: ImportProblem) -> list[str] | None:
    """When a CSV needs its coordinate columns named: the ambiguous candidates, [] if none has a usual name; else None."""
    if found := CANDIDATES.search(error.expected):
        return list(ast.literal_eval(f"[{found.group(1)}]"))
    return [] if NO_COORDINATES.search(error.expected) else None


def layer_options(error: ImportProblem) -> list[str] | None:
    """The layers (GeoPackage) or shapefiles (zip) to choose from (None when the error is something else)."""
    # The message says which choice is open; the names come from `options`, since a name may itself hold ", ".
    return list(error.options) if LAYER_CHOICE.fullmatch(error.expected) else None
