"""forked_map: the same results as a loop, items handed out in order, errors raised here, serial where forking is unsafe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from geo import settings
from geo.exports.forked import can_fork, forked_map


def in_fresh_python(code: str) -> str:
    """Run `code` in a new interpreter (this one may run threads left by other tests, which turns forking off)."""
    done = subprocess.run([sys.executable, "-c", "from geo.exports.forked import forked_map\n" + code],
                          cwd=settings.ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_workers_share_the_callers_objects_and_return_results_in_order():
    got = in_fresh_python(
        "import os\n"
        "big = list(range(100_000))  # inherited, never pickled\n"
        "started = []\n"
        "out = forked_map(lambda i: (sum(big) + i, os.getpid()), [3, 1, 2, 0], workers=2,\n"
        "                 started=started.append)\n"
        "print([v for v, _ in out], started, len({p for _, p in out} - {os.getpid()}))")
    assert got == f"{[sum(range(100_000)) + i for i in (3, 1, 2, 0)]} [3, 1, 2, 0] 2"


def test_an_error_in_a_worker_is_raised_here_with_its_type():
    got = in_fresh_python(
        "def fail(i):\n"
        "    if i == 2:\n"
        "        raise OSError(28, 'No space left on device')\n"
        "try:\n"
        "    forked_map(fail, [1, 2, 3], workers=2)\n"
        "except OSError as error:\n"
        "    print(type(error).__name__, error.strerror)")
    assert got == "OSError No space left on device"


def test_a_worker_that_dies_is_one_clear_error():
    got = in_fresh_python(
        "import os\n"
        "try:\n"
        "    forked_map(lambda i: os._exit(9) if i else i, [0, 1], workers=2)\n"
        "except ChildProcessError as error:\n"
        "    print(str(error).split(' (')[0])")
    assert got == "a worker process ended abruptly"


def test_a_process_with_threads_runs_the_items_here_one_by_one():
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert not can_fork()
        started: list[int] = []
        assert forked_map(lambda i: (i, os.getpid()), [1, 2], workers=2, started=started.append) == [
            (1, os.getpid()), (2, os.getpid())]
        assert started == [1, 2]
    finally:
        stop.set()
        helper.join()


@pytest.mark.parametrize("workers", [1, 2])
def test_one_worker_or_one_item_never_forks(workers):
    items = [5] if workers == 2 else [5, 6]
    assert forked_map(lambda i: (i, os.getpid()), items, workers=workers) == [(i, os.getpid()) for i in items]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_workers_end_with_a_killed_parent(tmp_path):
    """A SIGKILLed export must leave no worker behind, writing or waiting."""
    code = ("import os, sys, time\nfrom pathlib import Path\nfrom geo.exports.forked import forked_map\n"
            "def park(i):\n"
            "    (Path(sys.argv[1]) / str(os.getpid())).touch()\n"
            "    time.sleep(60)\n"
            "forked_map(park, [1, 2], workers=2)\n")
    parent = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], cwd=settings.ROOT)
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p.name) for p in tmp_path.iterdir()]
    assert len(workers) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(pid) for pid in workers)


def running(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False
