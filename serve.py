"""The app, its shared data built as the server starts: `streamlit run serve.py` (app.py's page, the first map sooner)."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
from collections.abc import AsyncIterator

import pyarrow
import streamlit as st


def warm() -> None:
    """Import the app's modules and build the shared data; imported here, so the server answers meanwhile."""
    try:
        import streamlit_folium
        from streamlit.runtime import get_instance

        # A component registers itself only when imported inside a script run; imported here first, it would not be.
        get_instance().component_registry.register_component(streamlit_folium._component_func)
        from ui.loaders import warm as build

        build()
    finally:
        # Streamlit runs gc.collect() after every script run (runner.postScriptGC): ~120 ms a rerun over the shared
        # dataset, layers and strings. Frozen, they are skipped; a collection scans the sessions' own, newer objects.
        gc.freeze()
        gc.enable()


# Arrow's own pool (mimalloc) keeps what it frees; the system allocator hands big blocks back, so the server shrinks
# again once an upload is parsed or a slider move's filtered copies of an uploaded layer are gone.
pyarrow.set_memory_pool(pyarrow.system_memory_pool())

# glibc raises its mmap threshold (up to 32 MB) each time a big block is freed; from then on a parse's big temporary
# arrays come from the heap and stay in it. A fixed threshold keeps them mapped, each returned when freed
# (a 1M-point upload: +460 -> +365 MB above idle; BENCHMARKS.md).
M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES = -3, 256 * 1024  # <malloc.h>
with contextlib.suppress(OSError, AttributeError):  # mallopt is glibc's
    ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


# The server's start, the imports and the build make long-lived objects, not garbage: the collections their
# allocations set off cost ~0.3 s of the first map's CPU (BENCHMARKS.md, "Eleventh round"). warm() turns them on again.
gc.disable()


@contextlib.asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    threading.Thread(target=warm, name="geo-warm", daemon=True).start()
    yield


app = st.App("app.py", lifespan=lifespan)
