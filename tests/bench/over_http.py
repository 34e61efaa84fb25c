"""Requests/s and p99 latency over HTTP: gunicorn (2 workers) on 127.0.0.1, measured by wrk.

wrk comes from the Debian package `wrk`; `make bench` installs it when it is missing and it
runs as root, and otherwise these rows are skipped with the reason. Traffic stays on loopback.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from .processes import ROOT
from .report import Results

GROUP = "HTTP"
WORKERS = 2
CONNECTIONS = 10
THREADS = 2
JSON_TARGET_SHARE = 0.4
SEARCH_QUERY = "reinforcement learning"
_LATENCY = re.compile(r"^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)")
_TO_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = WORKERS) -> Iterator[str]:
    """Serve the app with production settings; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "apps.wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_serving(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/bench/trivial", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 30 s:\n{log.read_text()[-3000:]}")


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def static_url(path: str) -> str:
    """The hashed URL collectstatic gave `path` (whitenoise serves it from memory)."""
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"][path]


def wrk(url: str, seconds: int, headers: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Requests/s, p99 in ms, and any errors wrk reports."""
    command = [
        "wrk",
        f"--threads={THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={seconds}s",
        "--timeout=30s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    latency, rate = _LATENCY.search(output), _RATE.search(output)
    if not latency or not rate:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    errors = "; ".join(
        f"{m[1]} non-2xx answers" if m[1] else f"socket errors: {m[2]}"
        for m in _ERRORS.finditer(output)
    )
    return float(rate[1]), float(latency[1]) * _TO_MS[latency[2]], errors


def measure_http(base_url: str, seconds: int, results: Results) -> None:
    if shutil.which("wrk") is None:
        results.skip(GROUP, "requests/s", "wrk is not installed (Debian: apt-get install wrk)")
        return
    search = f"/search/?q={SEARCH_QUERY.replace(' ', '+')}"
    if status_of(base_url + search) != 200:
        search = f"/api/search?q={SEARCH_QUERY.replace(' ', '+')}"
    urls = {
        "trivial view": ("/bench/trivial", {}),
        "episode page": ("/episodes/Wo95ob_s_NI/", {}),
        "episode JSON": ("/api/episodes/Wo95ob_s_NI", {}),
        f"search {search.split('?')[0]}": (search, {}),
        "static site.css": (static_url("css/site.css"), {"Accept-Encoding": "gzip, br"}),
    }
    measured: dict[str, tuple[float, float, str]] = {}
    for name, (path, headers) in urls.items():
        status = status_of(base_url + path)
        if status != 200:
            results.skip(GROUP, f"{name} requests/s", f"{path} answers {status}")
            continue
        measured[name] = wrk(base_url + path, seconds, headers)
    floor = measured.get("trivial view", (0.0, 0.0, ""))[0]
    for name, (rate, p99, errors) in measured.items():
        path = urls[name][0]
        is_json = name == "episode JSON"
        results.add(
            GROUP,
            f"{name} requests/s",
            rate,
            "req/s",
            baseline=floor if name != "trivial view" else None,
            baseline_name="trivial view",
            target=f"≥ {JSON_TARGET_SHARE:.0%} of trivial" if is_json else "",
            met=(rate >= JSON_TARGET_SHARE * floor) if is_json else None,
            note=f"{path}" + (f"; {errors}" if errors else ""),
        )
        results.add(GROUP, f"{name} p99 latency", p99, "ms")
