"""Benchmark: server memory for one big upload, and for a second session uploading the same file (one shared copy).

Run: python3 bench/bench_upload_memory.py [--rows 1000000]   (loopback only; a fresh `streamlit run serve.py`)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_import import acled_csv  # noqa: E402  (this script's folder is on sys.path)
from bench_import_browser import SPAN, TIMEOUT_MS, peak_rss_mb, upload  # noqa: E402
from bench_load import IDLE, app_server, rss_mb  # noqa: E402

from tests._browser import browser_sessions  # noqa: E402
from tests.test_browser import open_map  # noqa: E402

SETTLE_S = 5  # after a page goes idle: Streamlit drops an emptied uploader's files at the end of the next run


def settled_rss(pid: int) -> float:
    time.sleep(SETTLE_S)
    return rss_mb([pid])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="points in the uploaded CSV (default 1,000,000)")
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder, app_server(Path(folder) / "server.log") as (url, pid):
        path = acled_csv(rows, Path(folder), days=SPAN)
        megabytes = path.stat().st_size / 1e6
        with browser_sessions(2) as [(first, blocked_a), (second, blocked_b)]:
            for page in (first, second):
                open_map(page, f"{url}/?date=2024-05-03", timeout_ms=TIMEOUT_MS)
                page.locator(IDLE).wait_for(timeout=TIMEOUT_MS)
            idle = settled_rss(pid)
            first_s = upload(first, path, rows)
            one = settled_rss(pid)
            second_s = upload(second, path, rows)
            two = settled_rss(pid)
            if blocked_a or blocked_b:
                raise RuntimeError(f"off-machine requests: {blocked_a + blocked_b}")
        peak = peak_rss_mb(pid)
    print(f"{rows:,} points, {megabytes:.0f} MB CSV; server RSS (VmRSS, {SETTLE_S} s after each page "
          f"went idle), two sessions open:")
    print(f"idle {idle:.0f} MB; after session 1's upload ({first_s:.1f} s) {one:.0f} MB (+{one - idle:.0f}); after "
          f"session 2 uploads the same file ({second_s:.1f} s) {two:.0f} MB (+{two - one:.0f} more); peak {peak:.0f} MB "
          f"(+{peak - idle:.0f} above idle)")


if __name__ == "__main__":
    main()
