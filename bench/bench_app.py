"""Benchmark: slider move -> markers updated in the DOM, app (feature groups) vs naive full re-render; first map time
against a one-line Streamlit page started the same way (as the page saw it, and as playwright did).

Run: python3 bench/bench_app.py [--moves N] [--starts N] [--checkout DIR ...] [--app PATH] [--bare]   (loopback only;
GEO_SEEDS_DIR or the bundled seeds; the app is started as `streamlit run serve.py` (warmed at start), the naive
baseline as `streamlit run app.py`; each --checkout (e.g. a `git worktree` of an older commit) has its serve.py timed to
the first map in turn with this one's; --app times another script instead of serve.py, run from this repo).
Each version's first map is timed twice a round: restarted (its disk cache, geo/diskcache.py, as an earlier start
left it) and started on an empty cache (a first start, or new seeds or code); the caches are the benchmark's own
folders.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._bare import bare_script  # noqa: E402
from bench._minimal import MINIMAL_TEXT, minimal_script  # noqa: E402
from bench._moves import DRAWN, PANEL_SECONDS, SECONDS, SERVED_SECONDS, WATCH  # noqa: E402
from bench._shown import READ, shown_script  # noqa: E402
from tests._browser import ROOT, browser_page, streamlit_server  # noqa: E402
from tests.test_browser import MAP_FRAME, SLIDER, open_map, rest_of_page  # noqa: E402


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass(frozen=True)
class FirstShown:
    """Seconds from server start until the page had it (bench/_shown.py), and until playwright saw it."""

    in_page: float
    seen: float


def minimal_page() -> FirstShown:
    """Server start -> a one-line Streamlit page's text shown, in the same browser set-up."""
    with minimal_script() as script:
        started, epoch = time.perf_counter(), time.time()
        with streamlit_server(script) as url, browser_page() as (page, blocked):
            page.context.add_init_script(shown_script('[data-testid="stMarkdown"]', MINIMAL_TEXT))
            page.goto(url)
            page.get_by_text(MINIMAL_TEXT).wait_for(timeout=60_000)
            seen = time.perf_counter() - started
            return FirstShown(page.evaluate(READ) - epoch, seen)


def app_first_map(app: Path, cache: Path) -> FirstShown:
    """Server start -> the app's first map shown, alone (no moves), run in the folder that holds `app`."""
    return run_mode(False, 0, app, cache)[0]


def cold_first_map(app: Path) -> FirstShown:
    """The first map of a server that finds its disk cache empty."""
    with tempfile.TemporaryDirectory(prefix="geo-bench-cache-") as empty:
        return app_first_map(app, Path(empty))


def fill_cache(app: Path, cache: Path) -> None:
    """What a start builds, left in `cache` by an untimed warm-up (as a restarted server finds it)."""
    subprocess.run([sys.executable, "-c", "from ui.loaders import warm; warm()"], cwd=app.parent, check=True,
                   env={**os.environ, "GEO_CACHE_DIR": str(cache)}, capture_output=True)


def timed_move(page, key: str, timeout_ms: float = 30_000, polling: str | float = "raf") -> tuple[float, float]:
    """Press `key` on the slider: (seconds in the page from keydown to the changed map drawn, seconds as playwright
    saw it from before the press until the page had seen the change)."""
    page.evaluate(WATCH, [MAP_FRAME, "path.leaflet-interactive"])
    started = time.perf_counter()
    page.locator(SLIDER).press(key)
    page.wait_for_function(DRAWN, timeout=timeout_ms, polling=polling)
    return page.evaluate(SECONDS), time.perf_counter() - started


def later_seconds(page) -> tuple[float | None, float | None]:
    """After a timed move and a pause: seconds in the page from its keydown to the server's groups drawn, and to the
    text panels changed."""
    return page.evaluate(SERVED_SECONDS), page.evaluate(PANEL_SECONDS)


def run_mode(naive: bool, moves: int, app: Path, cache: Path, *,
             bare: bool = False) -> tuple[FirstShown, list[float], list[float], list[float], list[float]]:
    """Start a server, time its first visible map, then time `moves` slider moves (alternating ends); bare: the bare
    page (bench/_bare.py), run with this repo's modules and without a rest of the page to wait for."""
    env = {"GEO_NAIVE_RERENDER": "1" if naive else "0", "GEO_CACHE_DIR": str(cache),
           **({"PYTHONPATH": str(ROOT)} if bare else {})}
    started, epoch = time.perf_counter(), time.time()
    with streamlit_server(app, env=env, cwd=app.parent) as url, browser_page() as (page, blocked):
        page.context.add_init_script(shown_script("path.leaflet-interactive"))
        open_map(page, f"{url}/?date=2024-05-03")
        first_map = FirstShown(page.evaluate(READ) - epoch, time.perf_counter() - started)
        if not bare:
            rest_of_page(page)  # the page opens map first: the moves start once the rest is drawn
        page.wait_for_timeout(500)
        timings, walls, served, panels = [], [], [], []
        for index in range(moves):
            in_page, wall = timed_move(page, "Home" if index % 2 == 0 else "End")
            timings.append(in_page)
            walls.append(wall)
            page.wait_for_timeout(1000)  # let the rerun finish before the next move
            for seconds, found in zip(later_seconds(page), (served, panels)):
                if seconds is not None:
                    found.append(seconds)
        if blocked:
            raise RuntimeError(f"off-machine requests: {blocked}")
    return first_map, timings, walls, served, panels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="slider moves per mode (default 20)")
    parser.add_argument("--starts", type=int, default=1,
                        help="server starts timed to the first map, the one-line page's and the app's in turn "
                             "(default 1; medians shown)")
    parser.add_argument("--checkout", type=Path, action="append", default=[], metavar="DIR",
                        help="another work tree whose serve.py is timed to the first map at each start")
    parser.add_argument("--bare", action="store_true",
                        help="also time the moves on the bare page: the app's slider and map alone (bench/_bare.py)")
    parser.add_argument("--app", type=Path, default=ROOT / "serve.py", help="the app script (default: serve.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="geo-bench-cache-") as folder:
        cache = Path(folder)
        for app in (args.app, *(checkout / "serve.py" for checkout in args.checkout)):
            fill_cache(app, cache)  # each version's own entries (its code is part of the key)
        minimal = [minimal_page()]
        results = {"app": run_mode(False, args.moves, args.app, cache)}
        if args.bare:  # next to the app's moves: the machine as it was for them
            with bare_script(ROOT) as script:
                results["bare"] = run_mode(False, args.moves, script, cache, bare=True)
        results["naive"] = run_mode(True, args.moves, ROOT / "app.py", cache)
        firsts, colds = [results["app"][0]], [cold_first_map(args.app)]
        others: dict[str, list[FirstShown]] = {}
        for start in range(args.starts):
            if start:  # the first round's came with the slider moves
                minimal.append(minimal_page())
                firsts.append(app_first_map(args.app, cache))
                colds.append(cold_first_map(args.app))
            for checkout in args.checkout:
                others.setdefault(f"{checkout} restarted", []).append(app_first_map(checkout / "serve.py", cache))
                others.setdefault(f"{checkout} on an empty disk cache", []).append(cold_first_map(checkout / "serve.py"))
    report(args, results, firsts, colds, minimal, others)


def report(args: argparse.Namespace, results: dict, firsts: list[FirstShown], colds: list[FirstShown],
           minimal: list[FirstShown], others: dict[str, list[FirstShown]]) -> None:
    for name, (first_map, timings, walls, served, panels) in results.items():
        print(f"{name:>5}: keydown -> changed map drawn (in the page) median {1000 * statistics.median(timings):.0f} ms, "
              f"p95 {1000 * p95(timings):.0f} ms over {len(timings)} moves (as playwright saw it: median "
              f"{1000 * statistics.median(walls):.0f} ms); "
              + (f"keydown -> the server's map drawn median {1000 * statistics.median(served):.0f} ms; " if served else "")
              + (f"keydown -> text panels changed median {1000 * statistics.median(panels):.0f} ms ({len(panels)} "
                 f"moves); " if panels else "")
              + f"server start -> first map {first_map.in_page:.1f} s in the page ({first_map.seen:.1f} s as playwright "
              f"saw it)")
    app, naive = (statistics.median(results[n][1]) for n in ("app", "naive"))
    print(f"ratio naive/app (median): {naive / app:.2f}x")
    if "bare" in results:
        print(f"the rest of the page, a move (median app - bare): {1000 * (app - statistics.median(results['bare'][1])):.0f} ms")
    one_line = median_shown(minimal)
    print(f"server start -> shown, median of {len(firsts)}: minimal Streamlit page's text {one_line.in_page:.2f} s in "
          f"the page ({one_line.seen:.2f} s as playwright saw it); each start {in_page(minimal)}")
    series = {"app restarted (disk cache filled)": firsts, "app on an empty disk cache": colds, **others}
    for name, samples in series.items():
        first = median_shown(samples)
        print(f"{name}: first map {first.in_page:.2f} s in the page ({first.seen:.2f} s), "
              f"{first.in_page / one_line.in_page:.2f}x the minimal page ({first.seen / one_line.seen:.2f}x); "
              f"each start {in_page(samples)}")


def in_page(samples: list[FirstShown]) -> str:
    return " ".join(f"{sample.in_page:.2f}" for sample in samples)


def median_shown(samples: list[FirstShown]) -> FirstShown:
    return FirstShown(statistics.median(s.in_page for s in samples), statistics.median(s.seen for s in samples))


if __name__ == "__main__":
    main()
