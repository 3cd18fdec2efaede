"""The code checks CI runs: ruff (style, imports, bugs) and mypy (types) over the app, ui/, geo/ and layers/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_passes():
    result = run("ruff", "check", "app.py", "serve.py", "ui", "geo", "layers", "deploy", "tests", "bench", "tools")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_passes():
    result = run("mypy")  # files and options: pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
