"""The baseline page: a one-line Streamlit script, started and opened the way the app is."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

MINIMAL_TEXT = "minimal page"
MINIMAL_PAGE = f'import streamlit as st\n\nst.write("{MINIMAL_TEXT}")\n'


@contextlib.contextmanager
def minimal_script() -> Iterator[Path]:
    """The one-line script, in a folder of its own while in use."""
    with tempfile.TemporaryDirectory(prefix="geo-minimal-") as folder:
        script = Path(folder) / "minimal.py"
        script.write_text(MINIMAL_PAGE)
        yield script
