"""One function over many items in forked worker processes that inherit the caller's objects instead of pickling them."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# In each worker: the function, inherited through fork with everything it refers to (a bundle of frames is never
# pickled).
_INHERITED: dict[str, Any] = {}


def can_fork() -> bool:
    """True where forking is safe: POSIX, and this process runs no other thread (a server's threads may hold a lock
    that the child would then wait on forever)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def die_with(parent: int) -> None:
    """On Linux, have the kernel end this worker when `parent` dies: a killed export leaves nothing writing behind it
    (a worker otherwise waits forever on a queue whose other end it holds itself)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before prctl
        os._exit(1)


def _inherit(function: Callable[[Any], Any], parent: int) -> None:
    die_with(parent)
    _INHERITED.update(function=function)


def _call(item: Any) -> Any:
    return _INHERITED["function"](item)


def forked_map(function: Callable[[Item], Result], items: Sequence[Item], *, workers: int,
               started: Callable[[Item], None] = lambda item: None) -> list[Result]:
    """[function(item) for item in items], in up to `workers` forked processes where forking is safe; the workers
    inherit `function` and what it refers to (a closure's objects are never pickled).

    Each item goes to the next free worker, in order (put the slowest first); `started(item)` runs in this process as
    it does, so progress is reported here (a worker's writes to a captured sys.stderr would be lost). Results come
    back pickled.
    """
    workers = min(workers, len(items))
    if workers < 2 or not can_fork():
        return [one(function, item, started) for item in items]
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_inherit,
                                 initargs=(function, os.getpid())) as pool:
            return dispatched(pool, items, workers, started)
    except BrokenProcessPool as error:
        raise ChildProcessError(f"a worker process ended abruptly ({error})") from error


def one(function: Callable[[Item], Result], item: Item, started: Callable[[Item], None]) -> Result:
    started(item)
    return function(item)


def dispatched(pool: ProcessPoolExecutor, items: Sequence[Item], workers: int,
               started: Callable[[Item], None]) -> list[Any]:
    """Hand each item to the pool as a worker frees up (never queued ahead), results in the items' order."""
    results: dict[int, Any] = {}
    running: dict[Future, int] = {}
    for index, item in enumerate(items):
        if len(running) == workers:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            results.update((running.pop(future), future.result()) for future in done)
        started(item)
        running[pool.submit(_call, item)] = index
    results.update((running[future], future.result()) for future in wait(running).done)
    return [results[index] for index in range(len(items))]
