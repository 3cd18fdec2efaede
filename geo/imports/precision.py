"""ACLED and UCDP GED precision columns: approximate places draw dashed, imprecise dates widen the days shown."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from geo.imports.common import Check, as_text, filled, find_columns

# Code meanings, as the ACLED codebook (acleddata.com/knowledge-base/codebook) and the UCDP GED codebook give them,
# paraphrased by the mapme.biodiversity R package (R/calc_fatalities_acled.R, R/calc_fatalities_ucdp.R), whose
# filters use these columns. The acledR package's codebook table gives time_precision 3 as "middle of week or
# weekend"; mapme.biodiversity, citing ACLED's codebook, gives a month, as issue 15 does: a month is used here.
# ACLED geo_precision 1 a particular town, with its coordinates; 2 a small part of a region or near a town, coded to a
# town standing for that area; 3 a larger region, coded to the closest natural location or a provincial capital.
# ACLED time_precision 1 the actual date; 2 some time during the week or a similar period; 3 some time during a month,
# dated to the month's mid-point.
# UCDP where_prec 1 the exact location; 2 a limited area around a named place; 3 a second-order administrative division
# (its centroid); 4 a first-order division (its centroid); 5 a part of a country larger than that, a point between two
# places, or a vaguely located place; 6 a whole country (its centroid); 7 over water or in international airspace.
# UCDP date_prec 1 the exact date; 2 a span of more than one and at most six days; 3 a known week; 4 a known month;
# 5 a known year.


class Code(NamedTuple):
    """One code's drawing (a settings.LOCATION_PRECISIONS value) or span ('day' | 'six days' | 'week' | 'month' |
    'year'), and its meaning for the popup."""

    kind: str
    meaning: str


PLACE_CODES = {
    "geo_precision": {
        "1": Code("town", "ACLED geo_precision 1: a particular town, with its coordinates"),
        "2": Code("approximate", "ACLED geo_precision 2: a small part of a region or near a town; a town stands for the area"),
        "3": Code("approximate",
                  "ACLED geo_precision 3: a larger region; a nearby natural location or provincial capital stands for it")},
    "where_prec": {
        "1": Code("exact", "UCDP where_prec 1: the exact location"),
        "2": Code("approximate", "UCDP where_prec 2: a limited area around a named place"),
        "3": Code("approximate", "UCDP where_prec 3: a district (ADM2); its centroid"),
        "4": Code("approximate", "UCDP where_prec 4: a province (ADM1); its centroid"),
        "5": Code("approximate", "UCDP where_prec 5: part of a country, between two places, or vaguely located"),
        "6": Code("approximate", "UCDP where_prec 6: a whole country; its centroid"),
        "7": Code("approximate", "UCDP where_prec 7: over water or international airspace; estimated")}}
TIME_CODES = {
    "time_precision": {
        "1": Code("day", "ACLED time_precision 1: the actual date"),
        "2": Code("week", "ACLED time_precision 2: some time during that week"),
        "3": Code("month", "ACLED time_precision 3: some time during that month")},
    "date_prec": {
        "1": Code("day", "UCDP date_prec 1: the exact date"),
        "2": Code("six days", "UCDP date_prec 2: a span of two to six days"),
        "3": Code("week", "UCDP date_prec 3: a known week"),
        "4": Code("month", "UCDP date_prec 4: a known month"),
        "5": Code("year", "UCDP date_prec 5: a known year")}}
DAY = pd.Timedelta(days=1)


class Precision(NamedTuple):
    """Per row: location_precision and its meaning (or None), the span each date stands for, and bad-code checks."""

    place: pd.Series | None
    meaning: pd.Series | None
    span: pd.Series | None
    checks: list[Check]
    columns: tuple[str, ...]


def read_precision(props: pd.DataFrame) -> Precision:
    """Recognise an ACLED or UCDP precision column of each kind (by name) and decode it; unknown codes drop the row."""
    place, place_checks, place_column = _decode(props, PLACE_CODES)
    span, span_checks, span_column = _decode(props, TIME_CODES)
    meanings = [codes for codes in (place, span) if codes is not None]
    meaning = None if not meanings else pd.concat([c.map(lambda code: code.meaning if code else "") for c in meanings],
                                                  axis=1).agg("; ".join, axis=1).str.strip("; ")
    return Precision(None if place is None else place.map(lambda code: code.kind if code else ""), meaning,
                     None if span is None else span.map(lambda code: code.kind if code else "day"),
                     place_checks + span_checks, tuple(c for c in (place_column, span_column) if c))


def _decode(props: pd.DataFrame, table: dict[str, dict[str, Code]]) -> tuple[pd.Series | None, list[Check], str | None]:
    found = find_columns(props.columns, table)
    if not found:
        return None, [], None
    column = found[0]
    codes = table[column.lower()]
    text = as_text(props[column]).str.strip().str.removesuffix(".0")  # GDAL may type the codes as reals
    decoded = text.map(codes.get)
    bad = filled(text) & decoded.isna()
    return decoded, [Check(bad, column, props[column], f"a {column} code, one of {', '.join(codes)}")], column


def widen(start: pd.Series, end: pd.Series, span: pd.Series, *, instant: bool) -> tuple[pd.Series, pd.Series]:
    """Each row's [start, end) stretched over the span its date stands for: the whole week (Monday first), month or
    year it falls in, or six days from it. An instant with a span becomes that interval; exact rows are unchanged."""
    last = start + DAY if instant else end
    floors, ceilings = start.copy(), last.copy()
    for kind, (floor, ceiling) in _SPANS.items():
        rows = span.eq(kind) & start.notna()
        floors[rows], ceilings[rows] = floor(start[rows]), ceiling(last[rows] - DAY)
    ends = ceilings.where(ceilings > last, last)
    return floors, ends.where(span.ne("day"), pd.NaT) if instant else ends


_SPANS = {
    "six days": (lambda d: d.dt.normalize(), lambda d: d.dt.normalize() + pd.Timedelta(days=6)),
    "week": (lambda d: d.dt.normalize() - pd.to_timedelta(d.dt.day_of_week, unit="D"),
             lambda d: d.dt.normalize() + pd.to_timedelta(7 - d.dt.day_of_week, unit="D")),
    "month": (lambda d: d.dt.to_period("M").dt.start_time, lambda d: (d.dt.to_period("M") + 1).dt.start_time),
    "year": (lambda d: d.dt.to_period("Y").dt.start_time, lambda d: (d.dt.to_period("Y") + 1).dt.start_time),
}
