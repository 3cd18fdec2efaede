"""Load benchmark: concurrent chromium pages move the date slider against one app server; latency, errors, server RSS."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shlex
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import Browser, BrowserContext, Route, async_playwright  # noqa: E402
from playwright.async_api import Error as PlaywrightError  # noqa: E402

from tests._browser import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, is_local, stop  # noqa: E402
from tests.test_browser import MAP_FRAME, PATHS_SIGNATURE, SLIDER  # noqa: E402

PATHS = "path.leaflet-interactive"
CHANGED = f"before => {{ const now = ({PATHS_SIGNATURE})([...document.querySelectorAll('{PATHS}')]); return now && now !== before; }}"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
ERROR_ELEMENTS = "[data-testid=stException], [data-testid=stAlertContentError]"
SESSION_TTL = 2  # server.disconnectedSessionTTL (default 120 s): closed pages' sessions expire before "after"
POLL_MS = 25  # in-page polling of the markers: the latency resolution
OPEN_TIMEOUT_MS = 120_000
MOVE_TIMEOUT_MS = 60_000
HARD_STOP = 60  # seconds after a level's budget before its pages are cancelled


@contextlib.contextmanager
def app_server(log: Path, timeout: float = 60) -> Iterator[tuple[str, int]]:
    """`streamlit run app.py` as tests/_browser.streamlit_server does, stderr to `log`; yields (URL, pid)."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
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


def rss_mb(pid: int) -> float:
    """The process's resident set (VmRSS) in MB."""
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process (all threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def peak_rss(pid: int, stop: asyncio.Event) -> float:
    """The highest RSS sampled every 0.2 s until `stop` is set."""
    peak = rss_mb(pid)
    while not stop.is_set():
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.2)
        peak = max(peak, rss_mb(pid))
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
    pages: int
    latencies: list[float]
    opens: list[float]
    errors: list[str]
    blocked: list[str]
    rss: tuple[float, float, float]  # before, peak during, after
    cpu: float
    seconds: float


async def session(context: BrowserContext, url: str, moves: int, deadline: float, rng: random.Random,
                  level: Level) -> None:
    """One page: open the map, then up to `moves` slider moves (Home/End alternately) started before `deadline`,
    each timed from the key press to the markers' change."""
    page = await context.new_page()
    page.on("console", lambda message: message.type == "error" and level.errors.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: level.errors.append(f"page error: {error}"))
    try:
        started = time.perf_counter()
        await page.goto(url + "/?date=2024-05-03", timeout=OPEN_TIMEOUT_MS)
        await page.frame_locator(MAP_FRAME).locator(PATHS).first.wait_for(timeout=OPEN_TIMEOUT_MS)
        level.opens.append(time.perf_counter() - started)
        frame = await (await page.locator(MAP_FRAME).element_handle()).content_frame()
        await page.locator(IDLE).wait_for(timeout=OPEN_TIMEOUT_MS)
        for index in range(moves):
            if time.perf_counter() > deadline:
                break
            before = await frame.locator(PATHS).evaluate_all(PATHS_SIGNATURE)
            start = time.perf_counter()
            await page.locator(SLIDER).press("Home" if index % 2 == 0 else "End")
            await frame.wait_for_function(CHANGED, arg=before, polling=POLL_MS, timeout=MOVE_TIMEOUT_MS)
            level.latencies.append(time.perf_counter() - start)
            await page.locator(IDLE).wait_for(timeout=MOVE_TIMEOUT_MS)
            level.errors += [f"error element: {text[:200]}" for text in await page.locator(ERROR_ELEMENTS).all_inner_texts()]
            await page.wait_for_timeout(rng.uniform(250, 750))  # think time, desynchronising the pages
    except PlaywrightError as error:
        level.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        await page.close()


async def run_level(browser: Browser, url: str, pid: int, pages: int, moves: int, seed: int, budget: float) -> Level:
    """`pages` concurrent sessions; RSS before, peak during, and after their sessions expired on the server."""
    level = Level(pages, [], [], [], [], (0.0, 0.0, 0.0), 0.0, 0.0)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.route("**/*", guard(level.blocked))
    before, cpu, started, stop = rss_mb(pid), cpu_seconds(pid), time.perf_counter(), asyncio.Event()
    sampler = asyncio.create_task(peak_rss(pid, stop))
    try:
        deadline = started + budget
        runs = [session(context, url, moves, deadline, random.Random(seed * 1000 + i), level) for i in range(pages)]
        await asyncio.wait_for(asyncio.gather(*runs), budget + HARD_STOP)
    except TimeoutError:
        level.errors.append(f"level timeout: {pages} pages still busy {HARD_STOP} s after the budget")
    finally:
        stop.set()
        level.seconds, level.cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu
        peak = await sampler
        await context.close()
    await asyncio.sleep(SESSION_TTL + 1)
    await expire_sessions(browser, url, level.blocked)  # Streamlit drops expired sessions only when another one disconnects
    await asyncio.sleep(2)
    level.rss = (before, peak, rss_mb(pid))
    return level


async def expire_sessions(browser: Browser, url: str, blocked: list[str]) -> None:
    """Open and close one page so the server's session storage evicts the expired sessions."""
    context = await browser.new_context()
    await context.route("**/*", guard(blocked))
    page = await context.new_page()
    await page.goto(url, timeout=OPEN_TIMEOUT_MS)
    await page.locator(IDLE).wait_for(timeout=OPEN_TIMEOUT_MS)
    await context.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


async def run(levels: list[int], moves: int, seed: int, budget: float, log: Path) -> list[Level]:
    with app_server(log) as (url, pid):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return [await run_level(browser, url, pid, pages, moves, seed, budget * pages / sum(levels))
                        for pages in levels]
            finally:
                await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, nargs="+", default=[10, 20], help="concurrent pages per level (10 20)")
    parser.add_argument("--moves", type=int, default=30, help="slider moves per page (30)")
    parser.add_argument("--seed", type=int, default=6, help="seed of the think times (6)")
    parser.add_argument("--budget", type=float, default=360,
                        help="seconds for all levels, shared in proportion to pages; no move starts after (360)")
    parser.add_argument("--log", type=Path, default=Path("/tmp/bench_load_server.log"), help="the server's stderr")
    args = parser.parse_args()
    started = time.perf_counter()
    levels = asyncio.run(run(args.pages, args.moves, args.seed, args.budget, args.log))
    server_errors = [line for line in args.log.read_text(errors="replace").splitlines()
                     if "Traceback" in line or "Error" in line or "Exception" in line]
    print(f"command: python3 bench/bench_load.py {shlex.join(sys.argv[1:])}")
    print("| pages | moves timed | p50 ms | p95 ms | max ms | first map p50 / max s | errors | blocked | "
          "server RSS MB before / peak / after | server CPU s | wall s | moves/s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for lv in levels:
        ms = [1000 * x for x in lv.latencies]
        print(f"| {lv.pages} | {len(ms)}/{lv.pages * args.moves} | {statistics.median(ms) if ms else float('nan'):.0f} | "
              f"{percentile(ms, 0.95):.0f} | {max(ms, default=float('nan')):.0f} | "
              f"{percentile(lv.opens, 0.5):.1f} / {max(lv.opens, default=float('nan')):.1f} | {len(lv.errors)} | "
              f"{len(lv.blocked)} | {lv.rss[0]:.0f} / {lv.rss[1]:.0f} / {lv.rss[2]:.0f} | {lv.cpu:.0f} | {lv.seconds:.0f} | {len(ms) / lv.seconds:.2f} |")
    if len(levels) > 1:
        print(f"RSS after growth {levels[0].pages} -> {levels[-1].pages} pages: {levels[-1].rss[2] - levels[0].rss[2]:+.0f} MB")
    for lv in levels:
        for message in sorted(set(lv.errors + [f"blocked: {u}" for u in lv.blocked])):
            print(f"{lv.pages} pages: {message}")
    print(f"server log lines with errors: {len(server_errors)}", *server_errors[:10], sep="\n  ")
    print(f"total {time.perf_counter() - started:.0f} s")
    if any(lv.errors or lv.blocked for lv in levels) or server_errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
