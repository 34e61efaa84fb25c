"""Running the project's commands as child processes, and watching their memory."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
SECRET_KEY = "bench-only-" + "k" * 50


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production deployment, with the benchmark's URLs added."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        # Served over plain HTTP on loopback, with no proxy in front to say it was HTTPS.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    }


def manage(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PYTHON), "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


@dataclass
class Measured:
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_tree_bytes: int  # the largest sum of resident memory of the process and its children
    peak_main_bytes: int  # the main process's own high-water mark


def run_measured(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> Measured:
    """Run `command`, timing it and sampling its process tree's memory every 20 ms."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peaks = {"tree": 0, "main": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = _tree(process.pid)
            peaks["tree"] = max(peaks["tree"], sum(_status_bytes(pid, "VmRSS") for pid in pids))
            peaks["main"] = max(peaks["main"], _status_bytes(process.pid, "VmHWM"))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return Measured(seconds, process.returncode, stdout, stderr, peaks["tree"], peaks["main"])


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pending.extend(int(child) for child in children)
    return found


def _status_bytes(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0
