"""Property tests of the uncertain record: windows hold their certain days, figures wait for their effective day,
country-wide figures are drawn once, and the summary agrees with the Gantt on the bundled timeline."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.cli.summary import summary_state
from geo.data.dataset import Dataset, load_dataset
from geo.data.timeline import on_day, strength_steps
from geo.data.windows import presence, span
from geo.web import chart
from layers import REGISTRY
from tests.conftest import base_tables, strength, write_seeds

EPOCH = dt.date(2023, 1, 1)
days = st.integers(min_value=0, max_value=800).map(lambda n: EPOCH + dt.timedelta(days=n))
precisions = st.sampled_from(["day", "month", "year", "before", "after", "between"])


def stored(day: dt.date, precision: str) -> pd.Timestamp:
    """A day as the seeds store it for its precision (a month or year on its first day)."""
    first = {"month": day.replace(day=1), "year": day.replace(month=1, day=1)}.get(precision, day)
    return pd.Timestamp(first)


@given(start=days, start_precision=precisions, start_gap=st.integers(1, 60), length=st.integers(1, 500),
       end_precision=st.sampled_from(["", "day", "month", "before", "after", "between"]), end_gap=st.integers(1, 60),
       probe=days)
def test_earliest_before_latest_and_certain_days_inside_the_possible_ones(
        start, start_precision, start_gap, length, end_precision, end_gap, probe):
    end = start + dt.timedelta(days=length)
    stay = span(stored(start, start_precision), start_precision, pd.Timestamp(start + dt.timedelta(days=start_gap)),
                stored(end, end_precision) if end_precision else None, end_precision,
                pd.Timestamp(end + dt.timedelta(days=end_gap)))
    for side in (stay.start, stay.end):
        if side is not None and side.earliest is not None and side.latest is not None:
            assert side.earliest <= side.latest
    state = presence(stay, pd.Timestamp(probe))
    since, until = stay.possible()
    possible = (since is None or since <= pd.Timestamp(probe)) and (until is None or pd.Timestamp(probe) < until)
    assert (state is not None) == possible  # certain days lie inside the possible window; nothing outside it


figure_rows = st.lists(st.tuples(days, st.sampled_from(["day", "month"]), st.integers(-5, 60), st.integers(1, 900)),
                       min_size=1, max_size=6)


@settings(deadline=None)  # pandas per example: a loaded shared machine can miss hypothesis's 200 ms
@given(rows=figure_rows, probe=days)
def test_no_figure_is_in_effect_before_its_source_published_it(rows, probe):
    as_of = [stored(d, p) for d, p, _, _ in rows]
    reported = [a + pd.Timedelta(days=max(gap, 0)) for a, (_, _, gap, _) in zip(as_of, rows)]
    frame = pd.DataFrame({
        "actor_id": "USA", "site_id": "", "country": "NER", "as_of": as_of, "reported": reported,
        "as_of_precision": [p for _, p, _, _ in rows], "qualifier": "about", "measure": "present",
        "strength_min": pd.array([n for *_, n in rows], dtype="Int64"),
        "strength_max": pd.array([n for *_, n in rows], dtype="Int64"), "source_ids": [f"S{i}" for i in range(len(rows))],
    })
    got = strength_steps(frame, actor_id="USA", site_id="", country="NER")(pd.Timestamp(probe))
    published = [r for r in reported if r <= pd.Timestamp(probe)]  # written out by hand: the publication day rules
    if not published:
        assert got is None
        return
    assert got is not None and got.effective == max(published) and got.effective <= pd.Timestamp(probe)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wide=st.lists(st.tuples(days, st.integers(1, 3000)), min_size=1, max_size=4), probe=st.lists(days, max_size=4))
def test_a_country_wide_figure_is_drawn_once_never_at_a_site(wide, probe):
    tables = base_tables()
    tables["strengths"] = [strength(f"W{i}", "USA", "", d.isoformat(), n, n) for i, (d, n) in enumerate(wide)]
    with tempfile.TemporaryDirectory() as folder:
        dataset = load_dataset(write_seeds(Path(folder) / "seeds", tables))
    forces, figures = REGISTRY["deployments"].build(dataset), REGISTRY["figures"].build(dataset)
    assert forces["strength_min"].isna().all()  # no site has a figure of its own here
    assert len({g.wkt for g in figures.geometry}) == 1  # one place for the one actor in the one country
    for day in probe:
        assert len(on_day(figures, day)) <= 1


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return load_dataset()


def test_bundled_country_figures_are_never_at_a_site(bundled):
    forces = REGISTRY["deployments"].build(bundled)
    site_figures = bundled["strengths"][bundled["strengths"]["site_id"] != ""]
    assert set(forces["strength_scope"]) <= {"", "site"}
    assert set(forces.loc[forces["strength_scope"] == "site", "site_id"]) <= set(site_figures["site_id"])
    wide = REGISTRY["figures"].build(bundled).query("kind == 'country'")
    assert wide.groupby(["actor_id", "country"])["geometry"].apply(lambda g: len({p.wkt for p in g})).max() == 1


def gantt_on(rows: pd.DataFrame, day: dt.date) -> set[tuple[str, str]]:
    iso = day.isoformat()
    return {(r["deployment_id"], r["certainty"]) for _, r in rows.iterrows() if r["start"] <= iso < r["end"]}


def test_every_day_of_the_bundled_timeline_the_layer_agrees_with_the_gantt(bundled):
    first, last = bundled.scenario.timeline
    rows, _ = chart.deployment_rows(bundled, (first, last))
    forces = REGISTRY["deployments"].build(bundled)
    for offset in range((last - first).days):  # build(day) is this frame on the day (the layer contract)
        day = first + dt.timedelta(days=offset)
        shown = on_day(forces, day)
        assert set(zip(shown["deployment_id"], shown["certainty"])) == gantt_on(rows, day), day


SAMPLE_DAYS = ["2023-07-26", "2023-08-03", "2023-08-04", "2023-12-21", "2023-12-22", "2024-03-01", "2024-04-09",
               "2024-04-10", "2024-05-01", "2024-05-02", "2024-05-03", "2024-08-05", "2024-08-06", "2024-09-15"]


@pytest.mark.parametrize("iso", SAMPLE_DAYS)
def test_the_summary_agrees_with_the_gantt(bundled, iso):
    day = dt.date.fromisoformat(iso)
    rows, _ = chart.deployment_rows(bundled, bundled.scenario.timeline)
    state = summary_state(bundled, day)
    assert {(d["deployment_id"], d["certainty"]) for d in state["deployments"]} == gantt_on(rows, day)


@pytest.mark.parametrize(
    ("iso", "deployment_id", "expected"),
    [  # from seeds/README.md's words, not from the code
        ("2024-04-09", "DEP_RUS_AB101", None), ("2024-04-20", "DEP_RUS_AB101", "uncertain"),
        ("2024-05-02", "DEP_RUS_AB101", "certain"), ("2023-10-01", "DEP_EU_EUMPM", "uncertain"),
        ("2023-08-01", "DEP_EU_EUMPM", "certain"), ("2023-12-21", "DEP_EU_EUMPM", None),
        ("2024-09-10", "DEP_USA_EMBASSY", "uncertain"), ("2024-09-16", "DEP_USA_EMBASSY", None),
        ("2024-06-01", "DEP_EU_EUCAP", "uncertain"), ("2023-07-28", "DEP_USA_AB101", "uncertain"),
        ("2023-08-04", "DEP_USA_AB101", "certain"),
    ],
)
def test_bundled_uncertain_forces(bundled, iso, deployment_id, expected):
    shown = REGISTRY["deployments"].build(bundled, day=iso)
    mine = shown[shown["deployment_id"] == deployment_id]
    assert (mine["certainty"].iloc[0] if len(mine) else None) == expected
