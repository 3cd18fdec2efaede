"""Analysts' own layers: the uploader, the questions a file leaves open, and each loaded layer's controls."""

from __future__ import annotations

import contextlib
import ctypes
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pyarrow
import streamlit as st
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFile

from geo import settings
from geo.imports.reader import ImportedLayer, ImportProblem
from geo.web import uploads
from geo.web.text import md


@st.cache_resource(max_entries=8, show_spinner="Reading the layer...")
def read_upload(_path: Path, content_hash: str, filename: str,
                options: tuple[tuple[str, str], ...]) -> ImportedLayer | ImportProblem:
    """An upload read once per content, file name and options; the path (per session) is not part of the key."""
    return uploads.read(_path, **dict(options))


def uploads_ui() -> int:
    """The uploader, the window for dated points and each imported layer; returns the window in days."""
    bar, state = st.sidebar, st.session_state
    bar.subheader("Your layers")
    files = bar.file_uploader("Add layers", type=list(uploads.UPLOAD_TYPES), accept_multiple_files=True,
                              key=f"uploads:{state.setdefault('uploader_round', 0)}",
                              help="CSV/TSV with latitude/longitude or WKT, GeoJSON, GeoPackage, KML, zipped Shapefile")
    bar.number_input("Window (days)", min_value=1, max_value=3650, value=settings.EVENT_WINDOW_DAYS, key="window_days",
                     help="A dated point shows for this many days up to the selected day")
    state.setdefault("imported", {})
    state.setdefault("loaded_files", set())
    for file in files or []:
        if file.file_id not in state["loaded_files"]:
            upload_ui(file.file_id, file.name, file.getvalue())
    if files and all(file.file_id in state["loaded_files"] for file in files):
        release(files)
    for key, layer in state["imported"].items():
        imported_ui(key, layer)
    return window_days()


def window_days() -> int:
    """The window for dated points, as its input holds it (its default before it is drawn)."""
    return int(st.session_state.get("window_days", settings.EVENT_WINDOW_DAYS))


def release(files: list[UploadedFile]) -> None:
    """Every file is a layer now: drop Streamlit's copy of their bytes (a 1M-row CSV is ~100 MB a session) and show a
    fresh, empty uploader; the layers stay listed below it. A file with an open question or an error stays."""
    context = get_script_run_ctx()
    if context is not None and isinstance(manager := context.uploaded_file_mgr, MemoryUploadedFileManager):
        for file in files:
            manager.remove_file(context.session_id, file.file_id)
    return_free_memory()
    st.session_state["uploader_round"] += 1
    st.rerun()


def return_free_memory() -> None:
    """Hand the memory freed while parsing back to the system: Arrow's pool (text columns) and glibc's heap keep it
    otherwise (a 1M-row CSV: the server stayed ~300 MB larger than the layer it holds)."""
    pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # malloc_trim is glibc's
        ctypes.CDLL(None).malloc_trim(0)


def upload_ui(file_id: str, name: str, data: bytes) -> None:
    """Read one new upload, asking each choice the file leaves open (columns, layer, separator...) in turn; a problem
    keeps the rest."""
    key = uploads.digest(data)
    path = save_upload(data, key, uploads.safe_filename(name))
    slot, options = st.sidebar.empty(), dict[str, str]()
    with slot.container():
        result = read_upload(path, key, path.name, ())
        while isinstance(result, ImportProblem) and not uploads.answered(result, options):
            if (chosen := choice_ui(result, key)) is None:
                return  # asked: the answer comes with the next run
            options |= chosen
            result = read_upload(path, key, path.name, tuple(sorted(options.items())))
        if isinstance(result, ImportProblem):
            st.error(md(result))
    if isinstance(result, ImportedLayer):
        slot.empty()  # the questions are answered
        st.session_state["imported"] = {**st.session_state["imported"], key: result}
        st.session_state["loaded_files"].add(file_id)


def save_upload(data: bytes, key: str, filename: str) -> Path:
    """Write an upload into the session's temporary folder, which goes with the session."""
    if "upload_dir" not in st.session_state:
        st.session_state["upload_dir"] = tempfile.TemporaryDirectory(prefix="geo-upload-")
    return uploads.save(data, Path(st.session_state["upload_dir"].name), key, filename)


def choice_ui(problem: ImportProblem, key: str) -> dict[str, str] | None:
    """Ask what the problem's question needs: the read options chosen, None until every one is."""
    if (asked := uploads.question(problem)) is None:
        return None
    note, fields = asked
    st.info(md(note))
    chosen: dict[str, str | None] = {}
    for field in fields:
        def shown(choice: str, names: Mapping[str, str] = field.shown) -> str:
            return md(names.get(choice, choice))
        chosen[field.option] = st.selectbox(md(field.label), field.choices, index=None, key=f"{field.option}:{key}",
                                            format_func=shown)
    answers = {option: value for option, value in chosen.items() if value is not None}
    return answers if len(answers) == len(chosen) else None


def imported_ui(key: str, layer: ImportedLayer) -> None:
    """One imported layer: a toggle, a remove button and the first reasons rows were dropped."""
    show, remove = st.sidebar.columns([5, 1], vertical_alignment="center")
    count = len(layer.frame)
    show.checkbox(f"{md(layer.name)} ({count:,} feature{'s' * (count != 1)})", value=True, key=f"show:{key}")
    remove.button("", icon=":material/close:", key=f"remove:{key}", help=f"Remove {md(layer.name)}",
                  on_click=remove_layer, args=(key,))
    if reading := uploads.reading_line(layer):
        st.sidebar.caption(md(f"Read with {reading}"))
    if layer.dropped_count:
        with st.sidebar.expander(f"{layer.dropped_count:,} rows dropped", icon=":material/warning:"):
            st.markdown("\n".join(f"- {md(line)}" for line in uploads.dropped_lines(layer)))


def remove_layer(key: str) -> None:
    st.session_state["imported"] = {k: v for k, v in st.session_state["imported"].items() if k != key}


def shown_imports() -> dict[str, ImportedLayer]:
    """The imported layers whose toggle is on, by content key."""
    state = st.session_state
    return {key: layer for key, layer in state.get("imported", {}).items() if state.get(f"show:{key}", True)}
