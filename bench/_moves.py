"""A slider move timed inside the page: from the keydown event to the first frame whose drawn map differs, to the first
where the map holds the server's rerun (the same day drawn by the page first, geo/web/preview.py, or not), and to the
first whose text panels (every markdown element outside the map) differ."""

from __future__ import annotations

# In the page, not through playwright: its round trips (~25 ms a press, and each poll of the map) would be counted
# and, polling the page, would slow what is measured. The map iframe is same-origin, so the page reads its paths at
# each animation frame; a replaced iframe (the naive re-render) is read as soon as it has drawn.
WATCH = """([frameSelector, pathSelector]) => {
    const read = () => {
        const frame = document.querySelector(frameSelector), doc = frame && frame.contentDocument;
        return doc ? Array.from(doc.querySelectorAll(pathSelector), p => p.getAttribute('d')).join('|') : '';
    };
    const text = () => Array.from(document.querySelectorAll('[data-testid="stMarkdown"]'), m => m.innerText).join('|');
    // The server's groups as streamlit_folium last drew them; a replaced iframe (naive re-render) is a new map.
    const served = () => {
        const frame = document.querySelector(frameSelector), data = frame && frame.contentWindow.__GLOBAL_DATA__;
        return [frame, data ? data.last_feature_group : null];
    };
    const before = read(), beforeText = text(), [beforeFrame, beforeGroups] = served();
    const move = {key: null, drawn: null, served: null, panels: null};
    window.__geoMove = move;
    document.addEventListener('keydown', () => { move.key = Date.now(); }, {capture: true, once: true});
    const tick = () => {
        if (move.key !== null) {
            const now = read();
            if (move.drawn === null && now && now !== before) move.drawn = Date.now();
            if (move.panels === null && text() !== beforeText) move.panels = Date.now();
            const [frame, groups] = served();
            if (move.served === null && move.drawn !== null && (frame !== beforeFrame || groups !== beforeGroups)) {
                move.served = Date.now();
            }
        }
        if (move.drawn === null || move.served === null || move.panels === null) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
}"""
DRAWN = "() => window.__geoMove.drawn !== null"
SECONDS = "() => (window.__geoMove.drawn - window.__geoMove.key) / 1000"
# The server's groups drawn, once they have been (None if not yet).
SERVED_SECONDS = ("() => window.__geoMove.served === null ? null"
                  " : (window.__geoMove.served - window.__geoMove.key) / 1000")
# The text panels, once they too have changed (None if they had not by the time this is read).
PANEL_SECONDS = ("() => window.__geoMove.panels === null ? null"
                 " : (window.__geoMove.panels - window.__geoMove.key) / 1000")
