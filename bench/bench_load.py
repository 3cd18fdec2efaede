"""Load benchmark: concurrent chromium pages move the date slider against the app (one process, or several behind nginx:
deploy/cluster.py); latency, errors, server RSS."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import Browser, Route, async_playwright  # noqa: E402
from playwright.async_api import Error as PlaywrightError  # noqa: E402

from bench._minimal import MINIMAL_TEXT, minimal_script  # noqa: E402
from bench._moves import DRAWN, SECONDS, WATCH  # noqa: E402
from deploy.cluster import running  # noqa: E402
from tests._browser import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, is_local, stop  # noqa: E402
from tests.test_browser import MAP_FRAME, SLIDER  # noqa: E402

PATHS = "path.leaflet-interactive"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
ERROR_ELEMENTS = "[data-testid=stException], [data-testid=stAlertContentError]"
SESSION_TTL = 2  # server.disconnectedSessionTTL (default 120 s): closed pages' sessions expire before "after"
POLL_MS = 100  # how often playwright asks whether the page has seen the change (the page times it itself)
OPEN_TIMEOUT_MS = 120_000
MOVE_TIMEOUT_MS = 60_000
HARD_STOP = 60  # seconds after a level's budget before its pages are cancelled


@contextlib.contextmanager
def serve(processes: int, nginx: bool, log: Path) -> Iterator[tuple[str, list[str], list[int]]]:
    """The app as one process, or `processes` behind nginx: yields (URL, each process's own URL, their pids)."""
    if not nginx:
        with app_server(log) as (url, pid):
            yield url, [url], [pid]
        return
    extra, run_dir = ["--server.disconnectedSessionTTL", str(SESSION_TTL)], log.with_name(f"{log.stem}-cluster{processes}")
    shutil.rmtree(run_dir, ignore_errors=True)  # a previous run's logs are not this run's errors
    with running(processes, free_port(), app_ports=[free_port() for _ in range(processes)],
                 run_dir=run_dir, extra=extra) as cluster:
        yield cluster.url, cluster.backends, [p.pid for p in cluster.processes[:processes]]


@contextlib.contextmanager
def app_server(log: Path, timeout: float = 60, script: Path = ROOT / "serve.py") -> Iterator[tuple[str, int]]:
    """`streamlit run script` as tests/_browser.streamlit_server does, stderr to `log`; yields (URL, pid)."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.disconnectedSessionTTL", str(SESSION_TTL)]
    url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + timeout
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        while not healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.3)
        yield url, process.pid
    finally:
        stop(process)


def healthy(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
        return response.status == 200
    return False


def rss_mb(pids: list[int]) -> float:
    """The processes' resident sets (VmRSS) added up, in MB."""
    total = 0
    for pid in pids:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS:"))
        total += int(line.split()[1])
    return total / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes (all threads), added up."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def peak_rss(pids: list[int], stop: asyncio.Event) -> float:
    """The highest total RSS sampled every 0.2 s until `stop` is set."""
    peak = rss_mb(pids)
    while not stop.is_set():
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.2)
        peak = max(peak, rss_mb(pids))
    return peak


def guard(blocked: list[str]) -> Callable[[Route], Awaitable[None]]:
    """A route handler letting loopback through and aborting (and listing) everything else."""
    async def handle(route: Route) -> None:
        if is_local(route.request.url):
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort()
    return handle


@dataclass
class Level:
    server: str  # "1", "2" app processes, or "minimal page"
    pages: int
    latencies: list[float]
    opens: list[float]
    errors: list[str]
    blocked: list[str]
    rss: tuple[float, float, float]  # before, peak during, after
    cpu: float
    seconds: float


async def session(browser: Browser, url: str, moves: int, deadline: float, rng: random.Random,
                  level: Level) -> None:
    """One page in its own browser context (its own cookies: an analyst's browser, routed to its own process):
    open the map, then up to `moves` slider moves (Home/End alternately) started before `deadline`, each timed in the
    page from the keydown to the first frame with the changed markers (bench/_moves.py)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.route("**/*", guard(level.blocked))
    page = await context.new_page()
    page.on("console", lambda message: message.type == "error" and level.errors.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: level.errors.append(f"page error: {error}"))
    try:
        started = time.perf_counter()
        await page.goto(url + "/?date=2024-05-03", timeout=OPEN_TIMEOUT_MS)
        await page.frame_locator(MAP_FRAME).locator(PATHS).first.wait_for(timeout=OPEN_TIMEOUT_MS)
        level.opens.append(time.perf_counter() - started)
        await page.locator(IDLE).wait_for(timeout=OPEN_TIMEOUT_MS)
        for index in range(moves):
            if time.perf_counter() > deadline:
                break
            await page.evaluate(WATCH, [MAP_FRAME, PATHS])
            await page.locator(SLIDER).press("Home" if index % 2 == 0 else "End")
            await page.wait_for_function(DRAWN, polling=POLL_MS, timeout=MOVE_TIMEOUT_MS)
            level.latencies.append(await page.evaluate(SECONDS))
            await page.locator(IDLE).wait_for(timeout=MOVE_TIMEOUT_MS)
            level.errors += [f"error element: {text[:200]}" for text in await page.locator(ERROR_ELEMENTS).all_inner_texts()]
            await page.wait_for_timeout(rng.uniform(250, 750))  # think time, desynchronising the pages
    except PlaywrightError as error:
        level.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        await context.close()


async def run_level(browser: Browser, url: str, backends: list[str], pids: list[int], pages: int, moves: int,
                    seed: int, budget: float) -> Level:
    """`pages` concurrent sessions; RSS (all app processes) before, peak during, and after their sessions expired."""
    level = Level(str(len(pids)), pages, [], [], [], [], (0.0, 0.0, 0.0), 0.0, 0.0)
    before, cpu, started, stop = rss_mb(pids), cpu_seconds(pids), time.perf_counter(), asyncio.Event()
    sampler = asyncio.create_task(peak_rss(pids, stop))
    try:
        deadline = started + budget
        runs = [session(browser, url, moves, deadline, random.Random(seed * 1000 + i), level) for i in range(pages)]
        await asyncio.wait_for(asyncio.gather(*runs), budget + HARD_STOP)
    except TimeoutError:
        level.errors.append(f"level timeout: {pages} pages still busy {HARD_STOP} s after the budget")
    finally:
        stop.set()
        level.seconds, level.cpu = time.perf_counter() - started, cpu_seconds(pids) - cpu
        peak = await sampler
    await asyncio.sleep(SESSION_TTL + 1)
    for backend in backends:  # Streamlit drops expired sessions only when another one disconnects, in each process
        await expire_sessions(browser, backend, level.blocked)
    await asyncio.sleep(2)
    level.rss = (before, peak, rss_mb(pids))
    return level


async def expire_sessions(browser: Browser, url: str, blocked: list[str]) -> None:
    """Open and close one page so the server's session storage evicts the expired sessions."""
    context = await browser.new_context()
    await context.route("**/*", guard(blocked))
    page = await context.new_page()
    await page.goto(url, timeout=OPEN_TIMEOUT_MS)
    await page.locator(IDLE).wait_for(timeout=OPEN_TIMEOUT_MS)
    await context.close()


async def minimal_levels(levels: list[int], log: Path) -> list[Level]:
    """The same numbers of pages opening together on a one-line Streamlit page: what the browsers alone take here."""
    with minimal_script() as script, app_server(log, script=script) as (url, pid):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return [await minimal_level(browser, url, pid, pages) for pages in levels]
            finally:
                await browser.close()


async def minimal_level(browser: Browser, url: str, pid: int, pages: int) -> Level:
    level, started = Level("minimal page", pages, [], [], [], [], (rss_mb([pid]),) * 3, 0.0, 0.0), time.perf_counter()

    async def page_open() -> None:
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        await context.route("**/*", guard(level.blocked))
        try:
            opened = time.perf_counter()
            page = await context.new_page()
            await page.goto(url, timeout=OPEN_TIMEOUT_MS)
            await page.get_by_text(MINIMAL_TEXT).wait_for(timeout=OPEN_TIMEOUT_MS)
            level.opens.append(time.perf_counter() - opened)
        except PlaywrightError as error:
            level.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
        finally:
            await context.close()
    await asyncio.gather(*(page_open() for _ in range(pages)))
    level.seconds = time.perf_counter() - started
    return level


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


async def run(levels: list[int], moves: int, seed: int, budget: float, processes: int, nginx: bool,
              log: Path) -> list[Level]:
    with serve(processes, nginx, log) as (url, backends, pids):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return [await run_level(browser, url, backends, pids, pages, moves, seed, budget * pages / sum(levels))
                        for pages in levels]
            finally:
                await browser.close()


def server_errors(log: Path, processes: int, nginx: bool) -> list[str]:
    """Lines of the app processes' output that mention an error."""
    logs = sorted(log.with_name(f"{log.stem}-cluster{processes}").glob("app-*.log")) if nginx else [log]
    return [line for path in logs for line in path.read_text(errors="replace").splitlines()
            if "Traceback" in line or "Error" in line or "Exception" in line]


def report(levels: list[Level], moves: int) -> None:
    print("| processes | pages | moves timed | p50 ms | p95 ms | max ms | first map p50 / max s | errors | blocked | "
          "server RSS MB before / peak / after | server CPU s | wall s | moves/s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for lv in levels:
        ms = [1000 * x for x in lv.latencies]
        print(f"| {lv.server} | {lv.pages} | {len(ms)}/{lv.pages * moves} | "
              f"{statistics.median(ms) if ms else float('nan'):.0f} | {percentile(ms, 0.95):.0f} | "
              f"{max(ms, default=float('nan')):.0f} | {percentile(lv.opens, 0.5):.1f} / "
              f"{max(lv.opens, default=float('nan')):.1f} | {len(lv.errors)} | {len(lv.blocked)} | "
              f"{lv.rss[0]:.0f} / {lv.rss[1]:.0f} / {lv.rss[2]:.0f} | {lv.cpu:.0f} | {lv.seconds:.0f} | "
              f"{len(ms) / lv.seconds:.2f} |")


def add_level_options(parser: argparse.ArgumentParser, unit: str, levels: list[int], budget: float) -> None:
    """The options of a load run's levels: `unit`s (page, session) at once per level, moves each, think times,
    budget, app processes."""
    parser.add_argument(f"--{unit}s", type=int, nargs="+", default=levels,
                        help=f"concurrent {unit}s per level ({' '.join(map(str, levels))})")
    parser.add_argument("--moves", type=int, default=30, help=f"slider moves per {unit} (30)")
    parser.add_argument("--seed", type=int, default=6, help="seed of the think times (6)")
    parser.add_argument("--budget", type=float, default=budget,
                        help=f"seconds for all levels, shared in proportion to {unit}s; no move starts after ({budget:g})")
    parser.add_argument("--processes", type=int, nargs="+", default=[1],
                        help="app processes, one server per value in turn (1); with any value above 1, every server "
                             "runs behind nginx (deploy/cluster.py), one process included, for a like-for-like gain")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_level_options(parser, "page", [10, 20], 360)
    parser.add_argument("--minimal", action="store_true",
                        help="first, the same numbers of pages opening a one-line Streamlit page (the browsers' share)")
    parser.add_argument("--log", type=Path, default=Path("/tmp/bench_load_server.log"), help="the server's stderr")
    args = parser.parse_args()
    started, nginx = time.perf_counter(), max(args.processes) > 1
    levels, errors = asyncio.run(minimal_levels(args.pages, args.log)) if args.minimal else [], []
    for processes in args.processes:
        levels += asyncio.run(run(args.pages, args.moves, args.seed, args.budget, processes, nginx, args.log))
        errors += server_errors(args.log, processes, nginx)
    print(f"command: python3 bench/bench_load.py {shlex.join(sys.argv[1:])}")
    report(levels, args.moves)
    for lv in levels:
        for message in sorted(set(lv.errors + [f"blocked: {u}" for u in lv.blocked])):
            print(f"{lv.server} processes, {lv.pages} pages: {message}")
    print(f"server log lines with errors: {len(errors)}", *errors[:10], sep="\n  ")
    print(f"total {time.perf_counter() - started:.0f} s")
    if any(lv.errors or lv.blocked for lv in levels) or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
