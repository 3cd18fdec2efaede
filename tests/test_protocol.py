"""bench/_protocol.py: a chromium page's traffic recorded once, then replayed by clients over Streamlit's protocol."""

from __future__ import annotations

import asyncio
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench._protocol import BROWSER_CONNECTIONS, Recording, Timings, record
from bench.bench_sessions import analyst
from tests._browser import ROOT, streamlit_server


async def replay(url: str, recording: Recording, clients: int, moves: int) -> Timings:
    timings = Timings()
    with ThreadPoolExecutor(clients * BROWSER_CONNECTIONS) as pool:
        await asyncio.gather(*(analyst(url, recording, pool, moves, time.perf_counter() + 60, random.Random(i), timings)
                               for i in range(clients)))
    return timings


@pytest.mark.browser
def test_a_recorded_page_is_replayed_by_clients_without_a_browser(seeds: Path):
    with streamlit_server(ROOT / "serve.py", env={"GEO_SEEDS_DIR": str(seeds)}) as url:
        recording = record(url, "/?date=2024-05-03")
        timings = asyncio.run(replay(url, recording, clients=2, moves=2))
    assert recording.fetched_first[0] == "/?date=2024-05-03"
    assert any(path.startswith("/component/streamlit_folium.st_folium/") for path in recording.fetched_after)
    assert recording.opening and recording.home and recording.end
    assert timings.errors == [] and len(timings.opens) == 2
    assert len(timings.finished) == 4 and len(timings.maps) == 4  # every move reran the day's view, its map included
