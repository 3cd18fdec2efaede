"""Rules across cells and tables: date windows, figures' wording and publication, claims' quotes, the confidence rule."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from geo import settings
from geo.data.records import table_rows
from geo.data.schema import Problem
from geo.data.validate import FIRST_DATA_ROW, parse_date, split_list

WINDOWED = ("deployments", "movements")
# Qualifiers that give one bound only, and the column that must then stay empty.
ONE_SIDED = {"fewer_than": "strength_min", "up_to": "strength_min", "more_than": "strength_max",
             "at_least": "strength_max"}
CONFIDENCE_RULED = ("sites", "deployments", "strengths", "events", "movements", "people")


def _rows(frame: pd.DataFrame) -> Iterator[tuple[int, Mapping[str, str]]]:
    for offset, row in enumerate(table_rows(frame)):
        yield offset + FIRST_DATA_ROW, {k: str(v).strip() for k, v in row.items()}


def window_problems(name: str, frame: pd.DataFrame) -> Iterator[Problem]:
    """`between` needs its `_latest` day, after the date; `_latest` goes only with `between`."""
    if name not in WINDOWED:
        return
    for line, row in _rows(frame):
        for field in ("start", "end"):
            precision, latest = row.get(f"{field}_precision", ""), row.get(f"{field}_latest", "")
            date, last = parse_date(row.get(field, "")), parse_date(latest)
            if precision == "between" and not latest:
                yield Problem(f"{name}.csv", line, f"{field}_latest", "", f"the latest day when {field}_precision is 'between'")
            elif precision != "between" and latest:
                yield Problem(f"{name}.csv", line, f"{field}_latest", latest,
                              f"empty unless {field}_precision is 'between' (it is {precision!r})")
            elif date and last and last <= date:
                yield Problem(f"{name}.csv", line, f"{field}_latest", latest, f"a day after {field} {date.isoformat()}")


def figure_problems(name: str, frame: pd.DataFrame) -> Iterator[Problem]:
    """A figure is reported no earlier than the first day it can describe; one-sided qualifiers give one bound."""
    if name != "strengths":
        return
    for line, row in _rows(frame):
        as_of, reported = parse_date(row.get("as_of", "")), parse_date(row.get("reported", ""))
        if as_of and reported and reported < as_of:
            yield Problem("strengths.csv", line, "reported", row["reported"],
                          f"a day on or after as_of {as_of.isoformat()} (a figure cannot be published before it)")
        empty = ONE_SIDED.get(row.get("qualifier", ""))
        if empty and row.get(empty):
            yield Problem("strengths.csv", line, empty, row[empty], f"empty when qualifier is {row['qualifier']!r}")


def allowed_confidence(cited: list[tuple[str, str]]) -> str:
    """The highest confidence a row may have, from its cited sources' (kind, outlet) (seeds/README.md)."""
    kinds = [kind for kind, _ in cited]
    if "official" in kinds or len({outlet for kind, outlet in cited if kind != "state_media"}) >= 2:
        return "high"
    if any(kind not in ("state_media", "aggregator") for kind in kinds):
        return "medium"
    return "low"


def confidence_problems(frames: Mapping[str, pd.DataFrame]) -> Iterator[Problem]:
    """Every row rated higher than its sources allow."""
    sources = frames["sources"]
    known = {row["source_id"]: (row["kind"], row["outlet"]) for row in table_rows(sources)}
    rank = {level: index for index, level in enumerate(settings.CONFIDENCES)}
    for name in (n for n in CONFIDENCE_RULED if n in frames):
        for line, row in _rows(frames[name]):
            cited = [known[s] for s in split_list(row.get("source_ids", "")) if s in known]
            if not cited:
                continue  # no source at all is reported by the cell and reference checks
            allowed, rated = allowed_confidence(cited), row.get("confidence", "")
            if rated in rank and rank[rated] < rank[allowed]:
                expected = f"{allowed} or lower (the confidence rule, seeds/README.md, for sources {row['source_ids']})"
                yield Problem(f"{name}.csv", line, "confidence", rated, expected)


def quote_problems(frames: Mapping[str, pd.DataFrame], seeds_dir: Path) -> Iterator[Problem]:
    """Each claim's quote occurs exactly once in each document its sources have."""
    documents: dict[str, list[tuple[str, str]]] = {}
    for document in table_rows(frames["documents"]):
        path = (seeds_dir / document["file"]).resolve()
        inside = path.is_relative_to(seeds_dir.resolve()) and path.is_file()  # a document never lies outside the seeds
        text = path.read_text(encoding="utf-8") if inside else ""
        documents.setdefault(document["source_id"], []).append((document["file"], text))
    for line, row in _rows(frames["claims"]):
        texts = [doc for s in split_list(row.get("source_ids", "")) for doc in documents.get(s, [])]
        if not texts:
            yield Problem("claims.csv", line, "source_ids", row.get("source_ids", ""),
                          "a source with a document in documents.csv")
        for file, text in texts:
            count = text.count(row.get("quote", ""))
            if count != 1:
                yield Problem("claims.csv", line, "quote", row.get("quote", ""),
                              f"text found exactly once in {file} (found {count} times)")


def rule_problems(frames: Mapping[str, pd.DataFrame], seeds_dir: Path) -> list[Problem]:
    """Every rule problem across the tables (the tables' own cells and references are already valid)."""
    problems = [p for name, frame in frames.items() for p in (*window_problems(name, frame),
                                                                *figure_problems(name, frame))]
    if "sources" in frames:
        problems += confidence_problems(frames)
    if "claims" in frames and "documents" in frames:
        problems += quote_problems(frames, seeds_dir)
    return problems
