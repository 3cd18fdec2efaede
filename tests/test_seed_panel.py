"""The seed article on screen: every claim marked and listed with its rows, a jump to its day, errata, people, notes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo import settings
from geo.data.dataset import load_dataset
from geo.data.narrative import claims_payload
from geo.web.claims import marked_html
from geo.web.text import event_lines, md
from tests.conftest import opened

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def real_app(monkeypatch, **query: str) -> AppTest:
    monkeypatch.setenv("GEO_SEEDS_DIR", str(settings.SEEDS_DIR))
    test = AppTest.from_file(APP, default_timeout=90)
    test.query_params.update(query)
    return opened(test.run())


def test_every_claim_is_marked_listed_and_jumps_to_its_day(monkeypatch):
    dataset = load_dataset(settings.SEEDS_DIR)
    claims = dataset["claims"]
    assert len(claims) >= 14
    at = real_app(monkeypatch)
    assert not at.exception and not at.get("html")  # drawn only once opened
    at.session_state["seed_open"] = True
    at.run()
    shown = "\n".join(m.value for m in at.markdown)
    article = "".join(h.proto.body for h in at.get("html"))
    for _, claim in claims.iterrows():
        assert md(claim["claim"]) in shown and md(claim["quote"]) in shown
        assert claim["claim_id"] in article
    assert article.count("<mark>") == len(claims)
    assert "Maier" in "".join(w.value for w in at.warning) and "Nigerien" in "".join(w.value for w in at.warning)
    at.button(key="claim:CLM017").click().run()
    assert at.session_state["day"] == dt.date(2024, 4, 10)  # the Russian deployment, its first row


def test_marked_article_escapes_the_document():
    import pandas as pd

    claims = pd.DataFrame({"claim_id": ["C<1>"], "quote": ["<b>bold</b>"]})
    marked = marked_html("Say <b>bold</b> & <script>x</script>", claims)
    assert "<mark>&lt;b&gt;bold&lt;/b&gt;</mark> <sup>C&lt;1&gt;</sup>" in marked and "<script>" not in marked


def test_events_list_and_payload_carry_people_notes_and_claims():
    dataset = load_dataset(settings.SEEDS_DIR)
    lines = "\n".join(event_lines(dataset, dt.date(2024, 5, 19)))
    assert md("Christopher P. Maier") in lines and "Notes:" in lines
    payload = claims_payload(dataset)
    assert len(payload["claims"]) == len(dataset["claims"]) and "Maier" in payload["errata"]
    assert all(claim["rows"] and claim["day"] for claim in payload["claims"])


def test_event_popups_name_their_people_with_roles_and_notes():
    from geo.draw.style import popup_html
    from layers import events

    dataset = load_dataset(settings.SEEDS_DIR)
    frame = events.build(dataset)
    row = frame[frame["event_id"] == "EVT029"].iloc[0].to_dict()
    popup = popup_html(row, dataset.sources)
    assert "<th>People</th>" in popup and "Christopher P. Maier (US Assistant Secretary" in popup
    assert "<th>Notes</th>" in popup and "Joint statement of 19 May" in popup
