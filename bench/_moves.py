"""A slider move timed inside the page: from the keydown event to the first frame whose drawn map differs."""

from __future__ import annotations

# In the page, not through playwright: its round trips (~25 ms a press, and each poll of the map) would be counted
# and, polling the page, would slow what is measured. The map iframe is same-origin, so the page reads its paths at
# each animation frame; a replaced iframe (the naive re-render) is read as soon as it has drawn.
WATCH = """([frameSelector, pathSelector]) => {
    const read = () => {
        const frame = document.querySelector(frameSelector), doc = frame && frame.contentDocument;
        return doc ? Array.from(doc.querySelectorAll(pathSelector), p => p.getAttribute('d')).join('|') : '';
    };
    const before = read(), move = {key: null, drawn: null};
    window.__geoMove = move;
    document.addEventListener('keydown', () => { move.key = Date.now(); }, {capture: true, once: true});
    const tick = () => {
        const now = read();
        if (move.key !== null && now && now !== before) move.drawn = Date.now(); else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
}"""
DRAWN = "() => window.__geoMove.drawn !== null"
SECONDS = "() => (window.__geoMove.drawn - window.__geoMove.key) / 1000"
