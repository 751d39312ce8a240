"""The terminal app's answer to a screen key: key press to the new screen painted with
data, p95 over SWITCHES switches across every screen, on the demo database, locally and
over a remote API, beside a bare Textual app switching as many screens by the same keys
in the same run (targets: < 100 ms locally, < 150 ms remote).

Each side runs in a process of its own (bench/switch_child.py) under Textual's Pilot at
120x40; the app is built as `ygmon` builds it, with the default UI settings, and
switched from once its first data is painted and its idle warm-up is over. The remote
side reads a real `ygmon serve` (uvicorn) over the same database, in another process.
"""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.bench_tui import _demo_database
from bench.child_env import child_env
from bench.figure import Figure

SWITCHES = 50
SECRET = "bench-switch-secret-" + "x" * 40
_SERVER = """
import sys, uvicorn
from ygmon.api.app import create_app
from ygmon.config import LocalProfile
profile = LocalProfile(database_url=sys.argv[1], broker_url=sys.argv[2],
                       namespace="benchswitch", jwt_secret=sys.argv[3])
uvicorn.run(create_app(profile, per_minute=10_000_000), host="127.0.0.1",
            port=int(sys.argv[4]), log_level="warning", access_log=False)
"""


def _samples(*args: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.switch_child", *args, str(SWITCHES)],
        capture_output=True,
        text=True,
        timeout=600,
        env=child_env(),
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"switch child failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


@contextmanager
def _server(url: str, broker: str) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", _SERVER, url, broker, SECRET, str(port)], env=child_env()
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/admin/jobs/health", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers (401 without a token): it is up
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("ygmon serve did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def _figure(where: str, app: list[float], bare: list[float], target_ms: float) -> Figure:
    app_p95, bare_p95 = _p95(app), _p95(bare)
    return Figure(
        f"key press to screen painted with data, p95 of {len(app)} switches ({where})",
        app_p95,
        "ms",
        "bare Textual app switching screens",
        bare_p95,
        target=f"< {target_ms:g} ms",
        ok=app_p95 < target_ms,
    )


def run() -> list[Figure]:
    from ygmon.api.auth import issue_token

    with tempfile.TemporaryDirectory(prefix="ygmon-bench-switch-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}"
        broker = f"sqlite:///{Path(tmp) / 'queue.db'}"
        asyncio.run(_demo_database(url))
        bare_local = _samples("bare")
        local = _samples("app", url, broker)
        with _server(url, broker) as base:
            token = issue_token(SECRET, "ADMIN", "bench", 3600)
            bare_remote = _samples("bare")
            remote = _samples("remote", base, token)
    return [
        _figure("local", local, bare_local, 100),
        _figure("remote API", remote, bare_remote, 150),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
