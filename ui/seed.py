"""The seed article on screen: its text with every claim marked, each claim's rows with sources and a jump to its day."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo.data.dataset import Dataset
from geo.data.narrative import claim_day, seed_document
from geo.data.refs import resolve_all
from geo.web.claims import claim_markdown, marked_html
from geo.web.text import md
from geo.web.url import Bounds, clamp


def go_to(day: dt.date, bounds: Bounds) -> None:
    st.session_state["day"] = clamp(day, bounds)


def seed_ui(dataset: Dataset, bounds: Bounds) -> None:
    """An expander with the seed document (quotes marked), its errata and every claim with the rows that carry it."""
    document, text = seed_document(dataset)
    with st.expander(f"The seed article: {md(document['title'])}", icon=":material/article:"):
        if document["errata"]:
            st.warning(f"Errata: {md(document['errata'])}")
        article, listed = st.columns(2)
        if text is None:
            article.caption(f"The document file {md(document['file'])} is not in the seeds.")
        else:
            article.html(f"<div class='seed-article'>{marked_html(text, dataset['claims'])}</div>")
        for _, claim in dataset["claims"].iterrows():
            refs = resolve_all(dataset, claim["rows"])
            listed.markdown(claim_markdown(claim, refs, dataset))
            if (day := claim_day(refs)) is not None:
                listed.button(f"Show {day:%-d %b %Y} on the map", key=f"claim:{claim['claim_id']}", on_click=go_to,
                              args=(day, bounds), icon=":material/event:")
