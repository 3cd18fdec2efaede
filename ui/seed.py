"""The seed article on screen: its text with every claim marked, each claim's rows with sources and a jump to its day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from geo.data.dataset import Dataset
from geo.data.narrative import claim_day, seed_document
from geo.data.refs import resolve_all
from geo.web.claims import claim_markdown, marked_html
from geo.web.text import md
from geo.web.url import Bounds, clamp


def go_to(day: dt.date, bounds: Bounds) -> None:
    st.session_state["day"] = clamp(day, bounds)


@dataclass(frozen=True)
class SeedPanel:
    """The seed panel's text, built once per dataset version when first opened (immutable: shared by sessions)."""

    errata: str
    file: str
    article: str | None  # the document as marked HTML; None when its file is missing
    claims: tuple[tuple[str, str, dt.date | None], ...]  # (claim id, markdown, the day it is about)


@st.cache_resource(max_entries=4, show_spinner=False)
def seed_panel(_dataset: Dataset, version: str) -> SeedPanel:
    document, text = seed_document(_dataset)
    claims = []
    for _, claim in _dataset["claims"].iterrows():
        refs = resolve_all(_dataset, claim["rows"])
        claims.append((claim["claim_id"], claim_markdown(claim, refs, _dataset), claim_day(refs)))
    article = None if text is None else marked_html(text, _dataset["claims"])
    return SeedPanel(document["errata"], document["file"], article, tuple(claims))


def seed_ui(dataset: Dataset, bounds: Bounds) -> None:
    """An expander with the seed document (quotes marked), its errata and every claim with the rows that carry it;
    its content is built and drawn only while open (a long article in the page slows every redraw of it; resolving
    its claims' rows took ~0.2 s of a new server's first page)."""
    title = dataset["documents"]["title"].iloc[0]
    box = st.expander(f"The seed article: {md(title)}", icon=":material/article:", key="seed_open", on_change="rerun")
    if not box.open:
        return
    panel = seed_panel(dataset, dataset.version)
    with box:
        if panel.errata:
            st.warning(f"Errata: {md(panel.errata)}")
        article, listed = st.columns(2)
        if panel.article is None:
            article.caption(f"The document file {md(panel.file)} is not in the seeds.")
        else:
            article.html(f"<div class='seed-article'>{panel.article}</div>")
        for claim_id, markdown, day in panel.claims:
            listed.markdown(markdown)
            if day is not None:
                listed.button(f"Show {day:%-d %b %Y} on the map", key=f"claim:{claim_id}", on_click=go_to,
                              args=(day, bounds), icon=":material/event:")
