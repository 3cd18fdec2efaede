"""Serve the app from several processes behind nginx with sticky sessions: `python3 deploy/cluster.py`; Ctrl-C stops all."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX = "nginx"
COOKIE = "geo_route"
MAX_BODY_MB = 200  # .streamlit/config.toml server.maxUploadSize
START_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0


@dataclass
class Cluster:
    """A running cluster: nginx's URL, the app processes' URLs, and every process started."""

    url: str
    backends: list[str]
    processes: list[subprocess.Popen] = field(default_factory=list)


def package_folder(package: str, *parts: str) -> Path:
    """A folder inside an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{package} is not installed: pip install -r requirements.txt")
    return Path(spec.origin).parent.joinpath(*parts)


def nginx_config(listen: str, backends: list[str], run: Path, static: Path) -> str:
    """The nginx configuration for these backends (host:port), its files under `run`. nginx serves the files that
    need no session itself: the app's static folder, Streamlit's frontend and the map component's files."""
    values = {"{run}": str(run), "{listen}": listen, "{static}": str(static), "{cookie}": COOKIE,
              "{streamlit_static}": str(package_folder("streamlit", "static", "static")),
              "{map_component}": str(package_folder("streamlit_folium", "frontend", "build")),
              "{user}": pwd.getpwuid(os.getuid()).pw_name,
              "{max_body_mb}": str(MAX_BODY_MB),
              "{servers}": "\n".join(f"        server {backend} max_fails=0;" for backend in backends)}
    text = TEMPLATE.read_text(encoding="utf-8")
    for token, value in values.items():
        text = text.replace(token, value)
    return text


def app_process(port: int, address: str, cookie_secret: str, log: Path, extra: list[str]) -> subprocess.Popen:
    """One `streamlit run serve.py` (the app, warmed at start) on address:port; all share the cookie secret (XSRF)."""
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port),
               "--server.address", address, "--server.headless", "true", "--browser.gatherUsageStats", "false", *extra]
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret}
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(url: str, processes: list[subprocess.Popen], deadline: float) -> None:
    while True:
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            if response.status == 200:
                return
        if any(p.poll() is not None for p in processes) or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy")
        time.sleep(0.3)


def stop_all(processes: list[subprocess.Popen]) -> None:
    """SIGTERM (nginx: SIGQUIT, a graceful stop) to each process we started, SIGKILL after STOP_TIMEOUT."""
    for process in processes:
        if process.poll() is None:
            program = process.args[0] if isinstance(process.args, list) else process.args
            process.send_signal(signal.SIGQUIT if Path(str(program)).name == NGINX else signal.SIGTERM)
    for process in processes:
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running(processes: int = 2, port: int = 8500, app_ports: list[int] | None = None, remote: list[str] | None = None,
            run_dir: Path | None = None, extra: list[str] | None = None) -> Iterator[Cluster]:
    """Start `processes` app servers on 127.0.0.1 and nginx on 127.0.0.1:port in front of them (and of `remote`
    host:port servers started elsewhere); yield once all answer; stop everything on exit."""
    ports = app_ports or [port + 1 + i for i in range(processes)]
    run = run_dir or Path(tempfile.mkdtemp(prefix="geo-cluster-"))
    run.mkdir(parents=True, exist_ok=True)
    run.chmod(0o755)  # nginx workers (another user when started as root) create their temporary folders here
    local = [f"127.0.0.1:{p}" for p in ports]
    cluster = Cluster(f"http://127.0.0.1:{port}", [f"http://{b}" for b in local])
    secret = secrets.token_hex(32)
    try:
        cluster.processes += [app_process(p, "127.0.0.1", secret, run / f"app-{p}.log", extra or []) for p in ports]
        (run / "nginx.conf").write_text(nginx_config(f"127.0.0.1:{port}", local + (remote or []), run, ROOT / "static"))
        with (run / "nginx.out").open("ab") as out:
            cluster.processes.append(subprocess.Popen([NGINX, "-c", str(run / "nginx.conf"), "-p", str(run)],
                                                      stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + START_TIMEOUT
        for url in [*cluster.backends, cluster.url]:
            wait_healthy(url, cluster.processes, deadline)
        yield cluster
    finally:
        stop_all(cluster.processes)
        if run_dir is None:
            shutil.rmtree(run, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, default=2, help="app processes on this machine (2; one per core)")
    parser.add_argument("--port", type=int, default=8500, help="nginx's port on 127.0.0.1 (8500); apps on the next ones")
    parser.add_argument("--remote", nargs="*", default=[], metavar="HOST:PORT",
                        help="app processes on other machines to add behind nginx (started there with `streamlit run`)")
    args = parser.parse_args()
    if shutil.which(NGINX) is None:
        sys.exit("nginx not found: apt-get install nginx")
    stop = {"now": False}
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.update(now=True))
    with running(args.processes, args.port, remote=args.remote) as cluster:
        print(f"serving {cluster.url} -> {', '.join(cluster.backends + args.remote)}; Ctrl-C stops", flush=True)
        while not stop["now"] and all(p.poll() is None for p in cluster.processes):
            time.sleep(0.5)
    print("stopped", flush=True)


if __name__ == "__main__":
    main()
