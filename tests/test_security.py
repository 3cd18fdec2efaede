"""Security checks of issue 6: escaped markup, no path traversal, upload limits, no network code (docs/security.md)."""

from __future__ import annotations

import ast
import html
import zipfile
from pathlib import Path

import pytest

from geo import settings
from geo.exports.frames import export_frames, export_name
from geo.exports.write import export
from geo.imports.reader import ImportedLayer, ImportProblem, read_layer
from geo.web import elements
from geo.web.uploads import safe_filename, save
from tests.conftest import drawn_features, tiny_scenario

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = ["<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", "`${alert(3)}`", "]]><x/>",
            "{{ lipsum.__globals__.os.getcwd() }}", "{{ 'ssti' ~ 'probe' }}"]  # Jinja: would run if templated again
NETWORK_MODULES = {"urllib", "urllib3", "requests", "http", "httpx", "aiohttp", "socket", "ftplib", "smtplib"}


def hostile_layer(folder: Path) -> ImportedLayer:
    path = folder / "hostile.csv"
    header = "lat,lon,name,notes,<b>col</b>"
    path.write_text(header + "\n" + "\n".join(f'13.5,2.1,"{p.replace(chr(34), 2 * chr(34))}",x,y' for p in PAYLOADS)
                    + '\n14,3,ok,"<img src=x onerror=alert(1)>","</script>"\n', encoding="utf-8")
    return read_layer(path)


def test_map_html_escapes_imported_text(tmp_path):
    fmap = elements.base_map(center=(15.0, 5.0), zoom=6)
    elements.overlay_group(hostile_layer(tmp_path).frame, "<img src=x onerror=alert(9)>").add_to(fmap)
    page = fmap.get_root().render()
    for payload in [p for p in PAYLOADS if "<" in p] + ["<img src=x onerror=alert(9)>", "<b>col</b>"]:
        assert payload not in page
    assert "&lt;img src=x onerror=alert(9)&gt;" in page  # the legend
    tooltips = {feature["properties"]["tooltip"] for feature in drawn_features(page)}
    assert {"hostile: `${alert(3)}`", "hostile: &lt;img src=x onerror=alert(1)&gt;"} <= tooltips  # JSON strings: inert
    assert "sstiprobe" not in page and str(Path.cwd()) not in page and "hostile: " + html.escape(PAYLOADS[-1]) in tooltips


@pytest.mark.parametrize("fmt", ["html", "kml"])
def test_exports_escape_imported_text(tmp_path, fmt):
    frames, titles = export_frames({tmp_path / "hostile.csv": hostile_layer(tmp_path)}, day=None, taken=[])
    out = tmp_path / "out"
    out.mkdir()
    names = export(frames, elements.NO_SOURCES, "v1", out_dir=out, formats=[fmt], titles=titles,
                   scenario=tiny_scenario())
    text = names[0].read_text(encoding="utf-8")
    for payload in ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>"]:
        assert payload not in text
    assert "alert(1)" in text  # the text is kept, escaped, not dropped


@pytest.mark.parametrize("member", ["../evil.shp", "/tmp/evil.shp", "C:/evil.shp", "a/../../evil.shp", "..\\evil.shp"])
def test_zip_members_outside_the_archive_are_refused(tmp_path, member):
    path = tmp_path / "trap.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, b"x")
        archive.writestr("ok.shp", b"x")
    with pytest.raises(ImportProblem) as caught:
        read_layer(path)
    assert caught.value.value == member and "relative paths" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trap.zip"]  # nothing extracted


def test_zip_bomb_is_refused_by_unpacked_size(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.shp", b"\0" * 200_000)
    with pytest.raises(ImportProblem, match="at most 100,000 bytes unpacked"):
        read_layer(path, max_bytes=100_000)


def test_size_and_row_limits_are_refused_clearly(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("lat,lon\n" + "13,2\n" * 20)
    with pytest.raises(ImportProblem, match=r"big\.csv: got '108 bytes': expected a file of at most 100 bytes"):
        read_layer(path, max_bytes=100)
    with pytest.raises(ImportProblem, match=r"big\.csv, row 12: expected at most 10 data rows"):
        read_layer(path, max_rows=10)


def test_limits_match_the_upload_widget():
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    # The upload widget refuses what the importer would refuse anyway: one limit, stated twice.
    assert f"maxUploadSize = {settings.MAX_IMPORT_BYTES // (1024 * 1024)}" in config


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "..\\..\\win.ini", "....//x.csv", ".hidden.csv",
                                  "a\x00b.csv", "<img src=x>.csv"])
def test_upload_and_export_names_stay_inside(tmp_path, name):
    saved = save(b"x", tmp_path, "key", safe_filename(name))
    assert saved.resolve().parent == (tmp_path / "key").resolve() and not saved.name.startswith(".")
    assert all(c.isalnum() or c == "_" for c in export_name(name, set()))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("path", sorted([*ROOT.glob("geo/*.py"), *ROOT.glob("layers/*.py"), ROOT / "app.py"]),
                         ids=lambda p: p.name)
def test_no_network_modules(path):
    assert not imported_modules(path) & NETWORK_MODULES


# `streamlit run app.py --server.port N` as the README runs it, every DNS lookup and connect printed by an audit hook.
AUDITED_RUN = """
import sys
def hook(event, args):
    if event in ("socket.getaddrinfo", "socket.connect"):
        print("AUDIT", event, repr(args[0] if event == "socket.getaddrinfo" else args[1]), file=sys.stderr, flush=True)
sys.addaudithook(hook)
from streamlit.web.cli import main
sys.argv = ["streamlit", "run", "app.py", "--server.port", sys.argv[1]]
main()
"""


def test_starting_the_app_as_the_readme_does_contacts_no_other_machine(tmp_path):
    import subprocess
    import sys
    import time

    from tests._browser import free_port, stop, tail, wait_for

    port = free_port()
    with open(tmp_path / "server.log", "w+b") as log:
        process = subprocess.Popen([sys.executable, "-c", AUDITED_RUN, str(port)], cwd=ROOT, stdout=log, stderr=log)
        try:
            wait_for(f"http://localhost:{port}/_stcore/health", process, 60, log)
            deadline = time.monotonic() + 20
            while "URL: " not in tail(log, 100_000) and time.monotonic() < deadline:  # the banner, after any lookup
                time.sleep(0.2)
        finally:
            stop(process)
        audited = [line for line in tail(log, 100_000).splitlines() if line.startswith("AUDIT")]
    assert audited == [] or all(any(host in line for host in ("localhost", "127.0.0.1", "::1")) for line in audited), audited


def test_no_remote_urls_in_the_page_templates():
    for template in (ROOT / "geo" / "exports" / "templates").iterdir():
        text = template.read_text(encoding="utf-8")
        assert "src=\"http" not in text and "href=\"http" not in text and "url(http" not in text


def vrt(folder: Path) -> bytes:
    """An OGR VRT reading a file elsewhere on the server (a URL would do the same through /vsicurl/)."""
    secret = folder / "secret" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text("lat,lon,password\n13,2,hunter2\n")
    return (f"<OGRVRTDataSource><OGRVRTLayer name='secret'><SrcDataSource>{secret}</SrcDataSource>"
            "</OGRVRTLayer></OGRVRTDataSource>").encode()


@pytest.mark.parametrize("name", ["x.json", "x.geojson", "x.kml", "x.gpkg", "x.zip", "y.kml"])
def test_other_gdal_sources_in_disguise_are_refused(tmp_path, name):
    content = vrt(tmp_path)
    if name == "y.kml":
        content = b"<kml><!--" + content + b"--></kml>"
    path = tmp_path / name
    if name.endswith(".zip"):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("a.shp", content)
    else:
        path.write_bytes(content)
    with pytest.raises(ImportProblem) as caught:
        read_layer(path)
    assert "hunter2" not in str(caught.value) and caught.value.file == name
