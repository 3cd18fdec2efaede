"""Built values kept on disk between server starts: pickles keyed by content, in a folder only this user can write."""

from __future__ import annotations

import contextlib
import copyreg
import functools
import hashlib
import importlib.metadata
import inspect
import io
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any, ParamSpec, TypeVar

from geo import settings
from geo.data.files import write_atomically

P = ParamSpec("P")
T = TypeVar("T")
SUFFIX = ".pickle"
MISSING = object()  # read()'s answer for no entry: a stored value may be None


def cache_dir() -> Path | None:
    """$GEO_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache); None when set empty (no cache)."""
    chosen = os.environ.get("GEO_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / settings.CACHE_FOLDER_NAME


def on_disk(function: Callable[P, T]) -> Callable[P, T]:
    """`function`, its results kept on disk: keyed by its name, its arguments but those named "_..." (as Streamlit's
    caches do: the caller passes a content version instead), the code and the libraries. `function` must be pure."""
    signature = inspect.signature(function)
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def stored(*args: P.args, **kwargs: P.kwargs) -> T:
        folder = usable_folder()
        if folder is None:
            return function(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        key = repr([(arg, value) for arg, value in bound.arguments.items() if not arg.startswith("_")])
        path = folder / f"{name}-{fingerprint(name, key)}{SUFFIX}"
        found = read(path)
        if found is not MISSING:
            return found
        value = function(*args, **kwargs)
        keep(folder, path, value)
        return value

    return stored


def usable_folder() -> Path | None:
    """The cache folder, made if missing; None when turned off, not creatable, or writable by anyone else (a pickle
    runs code as it loads: only a folder this user alone can write is read)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return None
    return folder if status.st_uid == os.getuid() and not status.st_mode & 0o022 else None


@functools.cache
def code_digest() -> str:
    """sha256 over the project's Python files, the Python version and the libraries' versions the values depend on."""
    digest = hashlib.sha256(sys.version.encode())
    for library in settings.CACHE_LIBRARIES:
        digest.update(f"\0{library}={importlib.metadata.version(library)}".encode())
    for package in settings.CACHE_CODE_PACKAGES:
        for path in sorted((settings.ROOT / package).rglob("*.py")):
            digest.update(b"\0" + path.relative_to(settings.ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(name: str, key: str) -> str:
    return hashlib.sha256(f"{code_digest()}\0{name}\0{key}".encode()).hexdigest()[:24]


def read(path: Path) -> Any:
    """The value stored at path, or MISSING when there is none or it is unreadable (then it is built again)."""
    try:
        value = pickle.loads(path.read_bytes())
    except Exception:  # a missing, damaged or outdated entry, whatever it raises, is only a miss
        return MISSING
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return value


def keep(folder: Path, path: Path, value: object) -> None:
    """Store value at path (whole or not at all), then drop the least recently used entries beyond CACHE_ENTRIES."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: lambda proxy: (read_only, (dict(proxy),))}
    try:
        pickler.dump(value)
        write_atomically(path, buffer.getvalue())
        entries = sorted(folder.glob(f"*{SUFFIX}"), key=lambda entry: entry.stat().st_mtime, reverse=True)
        for entry in entries[settings.CACHE_ENTRIES:]:
            entry.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return  # a full or read-only disk, or a value that cannot be stored: the next start builds it again


def read_only(mapping: dict) -> MappingProxyType:
    """A pickled MappingProxyType (the dataset's tables) made again."""
    return MappingProxyType(mapping)
