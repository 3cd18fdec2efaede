"""The bundled data: it validates, answers the key questions right, and carries every claim of the seed article."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.cli.summary import summary_state
from geo.data.dataset import load_dataset
from geo.data.validate import split_list
from geo.settings import SEEDS_DIR


@pytest.fixture(scope="module")
def real():
    return load_dataset(SEEDS_DIR)


def base_id(real, name_fragment: str) -> str:
    sites = real["sites"]
    match = sites[sites["name"].str.contains(name_fragment, regex=False) & (sites["within"] == "")]
    assert len(match) == 1, f"one base named like {name_fragment!r}"
    return match["site_id"].iloc[0]


def present_at(real, day: str, base: str) -> dict[str, list[dict]]:
    """Deployments on a day at a base or any compound inside it, by actor."""
    sites = real["sites"].set_index("site_id")
    by_actor: dict[str, list[dict]] = {}
    for deployment in summary_state(real, dt.date.fromisoformat(day))["deployments"]:
        site = sites.loc[deployment["site_id"]]
        if base in (deployment["site_id"], site["within"]):
            by_actor.setdefault(deployment["actor_id"], []).append(deployment)
    return by_actor


def test_us_and_russians_share_air_base_101_on_3_may_2024(real):
    present = present_at(real, "2024-05-03", base_id(real, "Air Base 101"))
    assert {"USA", "RUS"} <= set(present)
    assert all(d["source_ids"] for actor in ("USA", "RUS") for d in present[actor])


@pytest.mark.parametrize(
    ("day", "base", "actor"),
    [("2024-07-08", "Air Base 101", "USA"), ("2024-08-06", "Air Base 201", "USA")],
)
def test_handed_over_bases_are_empty_of_us_forces(real, day, base, actor):
    assert actor not in present_at(real, day, base_id(real, base))


def test_us_present_at_both_bases_the_day_before_each_handover(real):
    assert "USA" in present_at(real, "2024-07-06", base_id(real, "Air Base 101"))
    assert "USA" in present_at(real, "2024-08-04", base_id(real, "Air Base 201"))


def test_no_french_forces_in_niger_on_23_december_2023(real):
    sites = real["sites"].set_index("site_id")
    state = summary_state(real, dt.date(2023, 12, 23))
    french = [d for d in state["deployments"] if d["actor_id"] == "FRA" and sites.loc[d["site_id"], "country"] == "NER"]
    assert french == []


def test_every_fact_row_cites_an_existing_source(real):
    known = set(real["sources"]["source_id"])
    for name, table in real.tables.items():
        if "source_ids" in table:
            cited = table["source_ids"].map(split_list)
            assert cited.map(len).gt(0).all(), name
            assert set().union(*cited) <= known, name


def test_seed_document_kept_verbatim_with_errata(real):
    document = real["documents"].iloc[0]
    text = (SEEDS_DIR / document["file"]).read_text(encoding="utf-8")
    assert "Chris Meier" in text and "Chief of Staff of the Nigerian army" in text
    assert "Maier" in document["errata"] and "Nigerien" in document["errata"]


def test_every_claim_cites_the_seed_and_points_at_rows(real):
    seed_ids = set(real["sources"].query("kind == 'seed'")["source_id"])
    claims = real["claims"]
    assert len(claims) >= 12
    for _, claim in claims.iterrows():
        assert seed_ids & set(split_list(claim["source_ids"])), claim["claim_id"]
        assert split_list(claim["rows"]), claim["claim_id"]


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [("events", "date", "2024-09-15"), ("events", "date", "2024-03-16"), ("events", "date", "2024-07-07"),
     ("events", "date", "2024-08-05"), ("events", "date", "2023-07-26")],
)
def test_key_dates_are_in_the_data(real, table, column, value):
    assert (real[table][column] == value).any()


def test_conflicting_reports_stay_a_range_with_both_sources(real):
    ranges = real["strengths"].query("strength_min < strength_max")
    assert set(ranges["actor_id"]) >= {"FRA", "DEU"}  # French and German totals conflict between sources
    assert ranges["source_ids"].map(split_list).map(len).ge(2).all()


def test_seed_people_are_corrected(real):
    names = " ".join(real["people"]["name"])
    assert "Christopher P. Maier" in names and "Mamane Sani Kiaou" in names
