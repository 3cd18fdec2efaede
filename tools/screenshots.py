"""Make the README's screenshots (docs/screenshot.png, docs/screenshot-upload.png) on purpose: `python3 tools/screenshots.py`.

The app on the bundled seeds in Debian chromium (the tests' helpers: loopback only, every other request aborted).
Tests never write into docs/; run this after a change that shows on the map and commit the pictures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests._browser import browser_page, streamlit_server  # noqa: E402
from tests.test_browser import MAP_FRAME, open_map, rest_of_page  # noqa: E402
from tests.test_upload_browser import UPLOADER, many_csv, marker, xss_csv  # noqa: E402


def main_map(url: str, out: Path) -> None:
    """3 May 2024: US and Russian forces both at Air Base 101."""
    with browser_page({"width": 1400, "height": 1100}) as (page, blocked):
        open_map(page, f"{url}/?date=2024-05-03")
        rest_of_page(page)  # the page opens map first; the controls, chart and events follow
        page.wait_for_timeout(1500)
        page.screenshot(path=str(out))
        assert blocked == [], blocked


def upload_map(url: str, out: Path) -> None:
    """Points with an open popup, and a large layer as count cells with its legend."""
    with tempfile.TemporaryDirectory(prefix="geo-shots-") as folder, \
            browser_page({"width": 1400, "height": 1100}) as (page, blocked):
        open_map(page, f"{url}/?date=2024-05-03")
        page.locator(UPLOADER).set_input_files([str(many_csv(Path(folder))), str(xss_csv(Path(folder)))])
        page.frame_locator(MAP_FRAME).locator(".geo-legend", has_text="features per cell").wait_for(timeout=60_000)
        marker(page, "reports").first.wait_for(timeout=60_000)
        marker(page, "reports").first.click(force=True)
        page.mouse.move(5, 5)
        page.locator("[data-testid=stSidebarContent]").evaluate("bar => bar.scrollTop = bar.scrollHeight")
        page.wait_for_timeout(1000)
        page.screenshot(path=str(out))
        assert blocked == [], blocked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNG files (default: docs/)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url:
        main_map(url, args.out / "screenshot.png")
        upload_map(url, args.out / "screenshot-upload.png")
    print(f"wrote {args.out / 'screenshot.png'} and {args.out / 'screenshot-upload.png'}")


if __name__ == "__main__":
    main()
