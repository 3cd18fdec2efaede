"""Table specs for the curated seeds, and a validator that collects every problem before raising one error."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo import settings

ID_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]+$")
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
URL_PATTERN = re.compile(r"^https?://\S+$")
ISO3_PATTERN = re.compile(r"^[A-Z]{3}$")
ISO_DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one cell (or one row, or one file)."""

    file: str
    row: int | None
    field: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row is not None else self.file
        return f"{where}, field '{self.field}': got {self.value!r}, expected {self.expected}"


class SeedError(ValueError):
    """Raised once with every problem found in the seeds."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the seeds:"]
        lines += [f"  - {p}" for p in self.problems]
        lines.append("Fix these cells (rows count the header as row 1) and run `python -m geo validate` again.")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Column:
    """One column of a curated table: its kind, whether it may be empty, and kind-specific options."""

    name: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    table: str = ""
    low: float | None = None
    high: float | None = None


def _id(name: str) -> Column:
    return Column(name, "id")


def _ref(name: str, table: str, required: bool = True) -> Column:
    return Column(name, "ref", required, table=table)


def _refs(name: str, table: str, required: bool = True) -> Column:
    return Column(name, "refs", required, table=table)


def _enum(name: str, choices: tuple[str, ...], required: bool = True) -> Column:
    return Column(name, "enum", required, choices=choices)


def _date(name: str, required: bool = True) -> Column:
    return Column(name, "date", required)


def _text(name: str, required: bool = False) -> Column:
    return Column(name, "text", required)


SOURCES = _refs("source_ids", "sources")
CONFIDENCE = _enum("confidence", settings.CONFIDENCES)
NOTES = _text("notes")

TABLES: dict[str, tuple[Column, ...]] = {
    "sources": (
        _id("source_id"), _text("title", True), _text("publisher", True), _text("outlet", True), _date("published", False),
        Column("url", "url", False), _enum("kind", settings.SOURCE_KINDS), NOTES,
    ),
    "actors": (
        _id("actor_id"), _text("name", True), _enum("kind", settings.ACTOR_KINDS), Column("colour", "colour"), NOTES,
    ),
    "sites": (
        _id("site_id"), _text("name", True), _text("kind", True), Column("country", "iso3"),
        _ref("within", "sites", False),
        Column("lon", "float", False, low=-180, high=180), Column("lat", "float", False, low=-90, high=90),
        _enum("location_precision", settings.LOCATION_PRECISIONS), CONFIDENCE, SOURCES, NOTES,
    ),
    "deployments": (
        _id("deployment_id"), _ref("actor_id", "actors"), _ref("site_id", "sites"),
        _date("start"), _enum("start_precision", settings.WINDOW_PRECISIONS), _date("start_latest", False),
        _date("end", False), _enum("end_precision", settings.WINDOW_PRECISIONS, False), _date("end_latest", False),
        _date("drawdown_from", False),
        _text("mission"), _text("assets"), CONFIDENCE, SOURCES, NOTES,
    ),
    "strengths": (
        _id("strength_id"), _ref("actor_id", "actors"), _ref("site_id", "sites", False), Column("country", "iso3"),
        _date("as_of"), _enum("as_of_precision", settings.PRECISIONS), _date("reported"),
        Column("strength_min", "int", False), Column("strength_max", "int", False), _enum("qualifier", settings.QUALIFIERS),
        _enum("measure", settings.MEASURES), CONFIDENCE, SOURCES, NOTES,
    ),
    "events": (
        _id("event_id"), _date("date"), _enum("date_precision", settings.PRECISIONS), _date("end", False),
        _text("kind", True), _text("title", True), _refs("actor_ids", "actors", False),
        _refs("person_ids", "people", False), _ref("site_id", "sites", False),
        CONFIDENCE, SOURCES, NOTES,
    ),
    "movements": (
        _id("movement_id"), _ref("actor_id", "actors"), _ref("from_site", "sites", False), _ref("to_site", "sites", False),
        _date("start"), _enum("start_precision", settings.WINDOW_PRECISIONS), _date("start_latest", False),
        _date("end", False), _enum("end_precision", settings.WINDOW_PRECISIONS, False), _date("end_latest", False),
        _text("mode", True), _text("title", True),
        CONFIDENCE, SOURCES, NOTES,
    ),
    "memberships": (
        _id("membership_id"), Column("country", "iso3"), _text("group", True), _date("start"),
        _enum("start_precision", settings.PRECISIONS), _date("end", False),
        _enum("end_precision", settings.PRECISIONS, False), SOURCES, NOTES,
    ),
    "people": (
        _id("person_id"), _text("name", True), _text("role", True), _ref("actor_id", "actors", False),
        _date("start", False), _enum("start_precision", settings.START_PRECISIONS, False), _date("end", False),
        _enum("end_precision", settings.PRECISIONS, False), CONFIDENCE, SOURCES, NOTES,
    ),
    "claims": (_id("claim_id"), _text("claim", True), _text("quote", True), Column("rows", "rows"), SOURCES),
    "documents": (
        _id("document_id"), _text("file", True), _text("title", True), _text("publisher", True), _date("published"),
        _ref("source_id", "sources"), _text("errata"),
    ),
    "story": (
        Column("step", "int"), _date("date"), _text("title", True), _text("text", True), SOURCES,
        Column("lat", "float", low=-90, high=90), Column("lon", "float", low=-180, high=180),
        Column("zoom", "int"), _text("layers"), Column("rows", "rows", False),
    ),
}

# Pairs (start, end) that must satisfy start < end when both are given: intervals are half-open.
INTERVALS = {
    "deployments": ("start", "end"), "movements": ("start", "end"), "memberships": ("start", "end"),
    "people": ("start", "end"), "events": ("date", "end"),
}
