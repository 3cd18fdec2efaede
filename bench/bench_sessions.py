"""Load benchmark, the server's share: many clients replay one chromium page's traffic (bench/_protocol.py) against the
app, one process or several behind nginx, once it has served a first page: they open together, then move the date
slider. No browser runs meanwhile, so the two cores are the server's, as when the analysts' browsers run on their own
machines."""

from __future__ import annotations

import argparse
import asyncio
import random
import shlex
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from websockets.exceptions import WebSocketException  # noqa: E402

from bench._protocol import BROWSER_CONNECTIONS, Client, Recording, Timings, record  # noqa: E402
from bench.bench_load import (  # noqa: E402
    SESSION_TTL,
    add_level_options,
    cpu_seconds,
    peak_rss,
    percentile,
    rss_mb,
    serve,
    server_errors,
)

QUERY = "/?date=2024-05-03"
HARD_STOP = 60  # seconds after a level's budget before its clients are cancelled


@dataclass
class Level:
    server: str  # "1 direct", "2 behind nginx"
    sessions: int
    timings: Timings
    rss: tuple[float, float, float]  # before, peak during, after
    cpu: float  # the app processes'
    client_cpu: float  # this process's: the clients share the two cores with the server
    seconds: float


async def analyst(url: str, recording: Recording, pool: ThreadPoolExecutor, moves: int, deadline: float,
                  rng: random.Random, timings: Timings) -> None:
    """Open the page, then up to `moves` slider moves (Home/End alternately) started before `deadline`, each
    followed by 250-750 ms of think time (as bench_load.py's pages)."""
    client = Client(url, recording, pool)
    try:
        await client.open(timings)
        for index in range(moves):
            if time.perf_counter() > deadline:
                break
            await client.move(index, timings)
            await asyncio.sleep(rng.uniform(0.25, 0.75))
    except (OSError, WebSocketException) as error:  # urllib's errors are OSErrors
        timings.errors.append(f"{type(error).__name__}: {error}")
    finally:
        await client.close()


async def run_level(server: str, url: str, backends: list[str], pids: list[int], recording: Recording,
                    sessions: int, moves: int, seed: int, budget: float) -> Level:
    """`sessions` clients at once; RSS (all app processes) before, peak during, and after their sessions expired."""
    timings = Timings()
    before, cpu, own, started, stop = rss_mb(pids), cpu_seconds(pids), time.process_time(), time.perf_counter(), \
        asyncio.Event()
    sampler = asyncio.create_task(peak_rss(pids, stop))
    with ThreadPoolExecutor(sessions * BROWSER_CONNECTIONS) as pool:
        try:
            runs = [analyst(url, recording, pool, moves, started + budget, random.Random(seed * 1000 + i), timings)
                    for i in range(sessions)]
            await asyncio.wait_for(asyncio.gather(*runs), budget + HARD_STOP)
        except TimeoutError:
            timings.errors.append(f"level timeout: {sessions} sessions still busy {HARD_STOP} s after the budget")
        finally:
            stop.set()
            seconds, cpu, own = time.perf_counter() - started, cpu_seconds(pids) - cpu, time.process_time() - own
            peak = await sampler
        await asyncio.sleep(SESSION_TTL + 1)
        for backend in backends:  # Streamlit drops expired sessions only when another one disconnects
            await open_and_close(backend, recording, pool)
    await asyncio.sleep(2)
    return Level(server, sessions, timings, (before, peak, rss_mb(pids)), cpu, own, seconds)


async def open_and_close(url: str, recording: Recording, pool: ThreadPoolExecutor) -> None:
    """Open and close one session: a first page served, or the expired sessions evicted (on the next disconnect)."""
    client = Client(url, recording, pool)
    await client.open(Timings())
    await client.close()


async def run(recording: Recording, levels: list[int], moves: int, seed: int, budget: float, processes: int,
              nginx: bool, log: Path) -> list[Level]:
    with serve(processes, nginx, log) as (url, backends, pids):
        with ThreadPoolExecutor(BROWSER_CONNECTIONS) as pool:
            for backend in backends:  # warmed: the analysts open a page on a running server
                await open_and_close(backend, recording, pool)
        await asyncio.sleep(SESSION_TTL + 1)
        server = f"{processes} {'behind nginx' if nginx else 'direct'}"
        return [await run_level(server, url, backends, pids, recording, sessions, moves, seed,
                                budget * sessions / sum(levels))
                for sessions in levels]


def recorded(log: Path) -> Recording:
    """One chromium page's traffic, against a server of its own (it is gone before any level starts)."""
    with serve(1, False, log) as (url, _backends, _pids):
        return record(url, QUERY)


def report(levels: list[Level], moves: int) -> None:
    print("| app processes | sessions | moves timed | map sent p50 / p95 / max ms | run ended p50 / p95 ms | "
          "first map p50 / max s | errors | server RSS MB before / peak / after | server CPU s | clients' CPU s | "
          "wall s | moves/s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for lv in levels:
        maps, ends, opens = ([1000 * x for x in lv.timings.maps], [1000 * x for x in lv.timings.finished],
                             lv.timings.opens)
        print(f"| {lv.server} | {lv.sessions} | {len(ends)}/{lv.sessions * moves} | "
              f"{statistics.median(maps or [float('nan')]):.0f} / {percentile(maps, 0.95):.0f} / "
              f"{max(maps, default=float('nan')):.0f} | {statistics.median(ends or [float('nan')]):.0f} / "
              f"{percentile(ends, 0.95):.0f} | {percentile(opens, 0.5):.2f} / {max(opens, default=float('nan')):.2f} | "
              f"{len(lv.timings.errors)} | {lv.rss[0]:.0f} / {lv.rss[1]:.0f} / {lv.rss[2]:.0f} | {lv.cpu:.0f} | "
              f"{lv.client_cpu:.0f} | {lv.seconds:.0f} | {len(ends) / lv.seconds:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_level_options(parser, "session", [10, 20, 20, 20], 600)
    parser.add_argument("--direct", action="store_true",
                        help="first, one process without nginx (Streamlit serving its own frontend files) as a baseline")
    parser.add_argument("--log", type=Path, default=Path("/tmp/bench_sessions_server.log"), help="the server's stderr")
    args = parser.parse_args()
    started, nginx = time.perf_counter(), max(args.processes) > 1
    recording = recorded(args.log)
    levels, errors = [], []
    for processes, behind in [(1, False)] * args.direct + [(p, nginx) for p in args.processes]:
        levels += asyncio.run(run(recording, args.sessions, args.moves, args.seed, args.budget, processes, behind,
                                  args.log))
        errors += server_errors(args.log, processes, behind)
    print(f"command: python3 bench/bench_sessions.py {shlex.join(sys.argv[1:])}")
    print(f"replayed per session: {len(recording.fetched_first)} + {len(recording.fetched_after)} files fetched, "
          f"{len(recording.opening)} reruns to open, {len(recording.home)} and {len(recording.end)} per move")
    report(levels, args.moves)
    for lv in levels:
        for message in sorted(set(lv.timings.errors)):
            print(f"{lv.server}, {lv.sessions} sessions: {message}")
    print(f"server log lines with errors: {len(errors)}", *errors[:10], sep="\n  ")
    print(f"total {time.perf_counter() - started:.0f} s")
    if any(lv.timings.errors for lv in levels) or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
