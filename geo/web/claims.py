"""The seed document on screen: its text with each claim's quote marked, and each claim's rows, days and sources."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from geo.data.dataset import Dataset
from geo.web.refs import RowRef, resolve_all
from geo.web.text import md, source_links


def seed_document(dataset: Dataset) -> tuple[dict, str | None]:
    """The first document row and its text (None when the file is missing or unreadable)."""
    document = dataset["documents"].iloc[0].to_dict()
    try:
        return document, (dataset.seeds_dir / document["file"]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return document, None


def marked_html(text: str, claims: pd.DataFrame) -> str:
    """The document escaped as HTML, each claim's quote (where found) in <mark> with its claim id after it."""
    found = sorted((text.find(q), q, cid) for q, cid in zip(claims["quote"], claims["claim_id"]) if q and q in text)
    parts, at = [], 0
    for start, quote, claim_id in found:
        if start < at:
            continue  # quotes are distinct and never overlap in valid seeds; an overlap is shown unmarked
        parts += [html.escape(text[at:start]), f"<mark>{html.escape(quote)}</mark> <sup>{html.escape(claim_id)}</sup>"]
        at = start + len(quote)
    return "".join([*parts, html.escape(text[at:])]).replace("\n", "<br>")


def claim_day(refs: list[RowRef]) -> dt.date | None:
    """The day a claim is about: that of its first dated row."""
    return next((ref.day.date() for ref in refs if ref.day is not None), None)


def ref_line(ref: RowRef, dataset: Dataset) -> str:
    """One row as a markdown list item: date, title and sources."""
    when = f"**{md(ref.day_label)}** " if ref.day_label else ""
    return f"- {when}{md(ref.title)}: {source_links(ref.source_ids, dataset.sources)}"


def claim_markdown(claim: pd.Series, refs: list[RowRef], dataset: Dataset) -> str:
    """A claim in our words, its quote and the rows that carry it, as escaped markdown."""
    lines = [f"**{md(claim['claim_id'])}** {md(claim['claim'])}", f"> {md(claim['quote'])}", ""]
    return "\n".join(lines + [ref_line(ref, dataset) for ref in refs])


def source_entries(source_ids: str, sources: pd.DataFrame) -> list[dict]:
    table = sources.set_index("source_id")
    return [{"title": f"{table.at[s, 'title']} ({table.at[s, 'publisher']})", "url": table.at[s, "url"]}
            for s in source_ids.split(";") if s in table.index]


def claims_payload(dataset: Dataset) -> dict:
    """Document, errata and claims as plain data for the offline page (shown there as text, never as markup)."""
    document, text = seed_document(dataset)
    claims = []
    for _, claim in dataset["claims"].iterrows():
        refs = resolve_all(dataset, claim["rows"])
        day = claim_day(refs)
        claims.append({"id": claim["claim_id"], "claim": claim["claim"], "quote": claim["quote"],
                       "day": day.isoformat() if day else None,
                       "rows": [{"title": r.title, "day": r.day_label, "sources": source_entries(r.source_ids, dataset.sources)}
                                for r in refs]})
    return {"title": document["title"], "errata": document["errata"], "text": text or "", "claims": claims}
