"""Fuzzing the seed loader: malformed cells and files raise the project's SeedError, never anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.data.dataset import load_dataset
from geo.data.schema import TABLES, SeedError
from tests.conftest import base_tables, write_seeds

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["", " ", "2024-02-30", "-1", "1e9", "NaN", "nan", "inf", "#fff", "a;b;;", "events:", "<script>", "\ufeff", "0x10"])
fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def loads_or_reports(tables: dict | None = None, raw: dict[str, bytes] | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        seeds = write_seeds(Path(folder) / "seeds", tables or base_tables())
        for name, content in (raw or {}).items():
            (seeds / "data" / f"{name}.csv").write_bytes(content)
        try:
            load_dataset(seeds)
        except SeedError as error:
            assert error.problems and all(p.file and p.expected for p in error.problems)


@fuzz
@given(table=st.sampled_from(sorted(TABLES)), row=st.integers(0, 4), data=st.data())
def test_any_cell_value_loads_or_is_reported(table, row, data):
    tables = base_tables()
    rows = tables[table]
    target = rows[row % len(rows)]
    column = data.draw(st.sampled_from([c.name for c in TABLES[table]]))
    target[column] = data.draw(cells)
    loads_or_reports(tables)


@fuzz
@given(table=st.sampled_from(sorted(TABLES)), content=st.binary(max_size=300))
def test_any_file_bytes_load_or_are_reported(table, content):
    loads_or_reports(raw={table: content})


@fuzz
@given(table=st.sampled_from(sorted(TABLES)), lines=st.lists(st.text(max_size=40), max_size=5))
def test_any_csv_text_loads_or_is_reported(table, lines):
    header = ",".join(c.name for c in TABLES[table])
    loads_or_reports(raw={table: "\n".join([header, *lines]).encode("utf-8", "surrogatepass")})
