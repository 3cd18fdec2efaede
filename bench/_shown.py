"""When a page first showed something, as the page itself saw it (epoch seconds), for first-map timings."""

from __future__ import annotations

import json

# Run in every frame from its start (playwright's add_init_script): every 10 ms, look for the element; once there,
# note the time in this frame and in the top page (the map's iframe is same-origin). Playwright's own wait_for polls
# through the browser's busy processes and saw the map 0.3-0.5 s after the page had it (BENCHMARKS.md); a one-line
# page, idle by then, was seen at once, so the lag counted against the app only.
SHOWN = """(([selector, text]) => {
    const seen = () => Array.from(document.querySelectorAll(selector)).some(e => !text || e.textContent.includes(text));
    const timer = setInterval(() => {
        if (!seen()) return;
        clearInterval(timer);
        const now = Date.now();
        window.__geoShown = window.__geoShown || now;
        try { window.top.__geoShown = window.top.__geoShown || now; } catch (error) {}
    }, 10);
})(%s);"""
READ = "() => window.__geoShown ? window.__geoShown / 1000 : null"


def shown_script(selector: str, text: str | None = None) -> str:
    """The init script noting when an element matching `selector` (containing `text`, if given) first appeared."""
    return SHOWN % json.dumps([selector, text])
