"""The seed document on screen: its text with each claim's quote marked, each claim with its rows as markdown."""

from __future__ import annotations

import html

import pandas as pd

from geo.data.dataset import Dataset
from geo.data.refs import RowRef
from geo.web.text import md, source_links


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


def ref_line(ref: RowRef, dataset: Dataset) -> str:
    """One row as a markdown list item: date, title and sources."""
    when = f"**{md(ref.day_label)}** " if ref.day_label else ""
    return f"- {when}{md(ref.title)}: {source_links(ref.source_ids, dataset.sources)}"


def claim_markdown(claim: pd.Series, refs: list[RowRef], dataset: Dataset) -> str:
    """A claim in our words, its quote and the rows that carry it, as escaped markdown."""
    lines = [f"**{md(claim['claim_id'])}** {md(claim['claim'])}", f"> {md(claim['quote'])}", ""]
    return "\n".join(lines + [ref_line(ref, dataset) for ref in refs])
