"""Project rules that code review would otherwise have to remember: commands, import direction, offline."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def readme_commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_starts_with_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    run, test = readme_commands()[:2]
    assert readme.index(run) < readme.index(test) < readme.index("\n\nThe first command")
    assert "streamlit run serve.py" in run and "pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_only_the_app_imports_streamlit():
    offenders = [p for p in [*python_files("geo"), *python_files("layers")] if "streamlit" in imports_of(p)]
    assert offenders == []  # app.py and ui/ are the app


def test_layers_never_import_folium_and_core_never_imports_layers():
    assert [p for p in python_files("layers") if {"folium", "branca"} & imports_of(p)] == []
    core = [p for p in python_files("geo") if not p.relative_to(ROOT).as_posix().startswith("geo/cli/")]
    assert [p for p in core if "layers" in imports_of(p)] == []


def test_every_module_has_a_one_line_docstring():
    for path in [*python_files("geo"), *python_files("layers"), *python_files("ui"), ROOT / "app.py"]:
        if path.exists() and path.stat().st_size:
            docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            assert docstring and "\n" not in docstring.strip(), path


def test_no_cdn_urls_in_code():
    pattern = re.compile(r"https?://(cdn|unpkg|code\.jquery|cdnjs|netdna|maxcdn)", re.I)
    files = [*python_files("geo"), *python_files("layers"), *python_files("ui"), ROOT / "app.py", *sorted((ROOT / "geo").rglob("*.html")),
             *sorted((ROOT / "geo").rglob("*.js"))]
    assert [p for p in files if p.exists() and pattern.search(p.read_text(encoding="utf-8"))] == []


# Which packages each part of the house may import: arrows run one way (see docs/design.md).
ALLOWED = {
    "geo/data": {"geo.settings", "geo.data"},
    "geo/imports": {"geo.settings", "geo.data", "geo.imports"},
    "geo/draw": {"geo.settings", "geo.data", "geo.draw"},
    "geo/web": {"geo.settings", "geo.data", "geo.imports", "geo.draw", "geo.web"},
    "geo/exports": {"geo.settings", "geo.data", "geo.imports", "geo.draw", "geo.exports"},
    "geo/pictures": {"geo.settings", "geo.data", "geo.draw", "geo.pictures"},
    "layers": {"geo.settings", "geo.data", "layers"},
}


def project_imports(path: Path) -> set[str]:
    """The project packages a file imports, as 'geo.<package>' (or 'geo.settings') and 'layers'."""
    tree, found = ast.parse(path.read_text(encoding="utf-8")), set()
    for node in ast.walk(tree):
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module] if node.module != "geo" else [f"geo.{a.name}" for a in node.names]
        found |= {".".join(m.split(".")[:2]) if m.startswith("geo.") else m.split(".")[0] for m in modules}
    return {m for m in found if m.split(".")[0] in ("geo", "layers", "ui")}


def test_imports_run_one_way_between_packages():
    offenders = {}
    for folder, allowed in ALLOWED.items():
        for path in python_files(folder):
            if extra := project_imports(path) - allowed:
                offenders[path.relative_to(ROOT).as_posix()] = sorted(extra)
    assert offenders == {}


def test_ci_installs_every_tool_without_fallback_and_runs_strict():
    """A tool CI failed to install must fail the run, not skip its tests: no `||` fallback, and CI=true."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    installs = [line for line in script.splitlines() if "apt-get install" in line]
    assert any("qgis" in line for line in installs) and any("gdal-bin" in line and "chromium" in line for line in installs)
    assert not [line for line in installs if "||" in line]
    assert "export CI=true" in script


def test_a_missing_tool_fails_in_ci_and_skips_elsewhere(monkeypatch):
    import pytest

    from tests.conftest import missing_tool

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        missing_tool("QGIS is not installed")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="QGIS is not installed"):
        missing_tool("QGIS is not installed")


def test_every_benchmark_script_starts():
    """A benchmark whose imports broke in a refactor fails here, not the day someone re-measures (its --help only).
    Helpers (`_*.py`) are not scripts; the scripts that import them check them."""
    import subprocess
    import sys

    for script in (s for s in python_files("bench") if not s.name.startswith("_")):
        result = subprocess.run([sys.executable, str(script), "--help"], cwd=ROOT, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, (script.name, result.stderr[-500:])
