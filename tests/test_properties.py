"""Property tests: the timeline on any day equals a brute-force recomputation; intervals are half-open."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.data.dataset import load_dataset
from geo.data.timeline import active_mask, active_on, segments, strength_steps
from layers import REGISTRY
from tests.conftest import base_tables, deployment, strength, write_seeds

EPOCH = dt.date(2023, 1, 1)
days = st.integers(min_value=0, max_value=800).map(lambda n: EPOCH + dt.timedelta(days=n))
optional_days = st.none() | days


@given(start=optional_days, end=optional_days, day=days)
def test_active_mask_matches_brute_force(start, end, day):
    expected = (start is None or start <= day) and (end is None or day < end)
    mask = active_mask(pd.Series([pd.Timestamp(start)]), pd.Series([pd.Timestamp(end)]), day)
    assert bool(mask.iloc[0]) == expected
    assert active_on(pd.Timestamp(start), pd.Timestamp(end), pd.Timestamp(day)) == expected  # one row's test


@given(cuts=st.lists(days, max_size=6), start=days, length=st.integers(1, 400))
def test_segments_partition_the_interval(cuts, start, length):
    end = start + dt.timedelta(days=length)
    pieces = segments([pd.Timestamp(c) for c in cuts], pd.Timestamp(start), pd.Timestamp(end))
    assert pieces[0][0] == pd.Timestamp(start) and pieces[-1][1] == pd.Timestamp(end)
    assert all(a < b for a, b in pieces) and all(p[1] == q[0] for p, q in zip(pieces, pieces[1:]))


reports = st.lists(st.tuples(days, st.integers(0, 3000), st.integers(0, 500)), min_size=0, max_size=6)


@settings(deadline=None)  # pandas per example; the shared machine missed 200 ms under load (DeadlineExceeded, flaky)
@given(rows=reports, day=days)
def test_strength_is_the_latest_report_on_or_before_the_day(rows, day):
    stamps = pd.to_datetime([r[0] for r in rows]).astype("datetime64[s]")
    frame = pd.DataFrame({
        "actor_id": "USA", "site_id": "", "country": "NER", "as_of_precision": "day", "qualifier": "exact",
        "measure": "present", "as_of": stamps, "reported": stamps,
        "strength_min": pd.array([r[1] for r in rows], dtype="Int64"),
        "strength_max": pd.array([r[1] + r[2] for r in rows], dtype="Int64"),
        "source_ids": [f"S{i}" for i in range(len(rows))],
    })
    got = strength_steps(frame, actor_id="USA", site_id="", country="NER")(pd.Timestamp(day))
    known = [r[0] for r in rows if r[0] <= day]
    if not known:
        assert got is None
    else:  # readings of the last day, side by side: the widest range they allow
        last = [r for r in rows if r[0] == max(known)]
        assert (got.low, got.high) == (min(r[1] for r in last), max(r[1] + r[2] for r in last))


intervals = st.lists(st.tuples(days, st.integers(1, 500)), min_size=1, max_size=4)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spans=intervals, report_days=st.lists(days, max_size=4), probe=st.lists(days, min_size=1, max_size=5))
def test_deployments_layer_matches_brute_force(spans, report_days, probe):
    tables = base_tables()
    tables["deployments"] = [
        deployment(f"D{i}", "USA", "BASE", start.isoformat(), (start + dt.timedelta(days=n)).isoformat())
        for i, (start, n) in enumerate(spans)
    ]
    tables["strengths"] = [strength(f"S{i}", "USA", "BASE", d.isoformat(), 10 * i, 10 * i)
                           for i, d in enumerate(report_days)]
    with tempfile.TemporaryDirectory() as folder:
        dataset = load_dataset(write_seeds(Path(folder) / "seeds", tables))
    for day in probe:
        built = REGISTRY["deployments"].build(dataset, day=day)
        active = {f"D{i}" for i, (s, n) in enumerate(spans) if s <= day < s + dt.timedelta(days=n)}
        assert set(built["deployment_id"]) == active
        reported = [(d, 10 * i) for i, d in enumerate(report_days) if d <= day]
        expected = max(reported)[1] if reported else None
        assert all((None if pd.isna(v) else v) == expected for v in built["strength_max"])
