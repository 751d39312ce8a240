"""The peers as the harness sees them: how each one's worker starts (in its own
environment, its own session so a SIGKILL takes its whole process tree), how many of
the bench's jobs it has finished, and what its worker costs (CPU, peak memory)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import redis

from bench.peers import venvs

APPS = Path(__file__).resolve().parent / "apps"
CONCURRENCY = 8
"""Job slots per worker for the throughput and latency figures: I/O-bound jobs on 2
cores, so threads where the peer has them (one process), processes for RQ (it has
no threads; its worker pool runs one process per slot, each forking a horse per job)."""


@dataclass(frozen=True)
class Peer:
    name: str
    app: str
    """Module of bench/peers/apps/ holding its jobs (ygmon: its own canary task)."""
    layout: str
    """How its CONCURRENCY slots run, as printed."""
    argv: Callable[[int], list[str]]
    env: dict[str, str]

    def done(self, r: redis.Redis) -> int:
        """No-op jobs it has finished (RQ: its finished-job registry; the others: the
        batched counter of bench/peers/apps/marks.py)."""
        if self.app == "rq_app":
            return int(r.zcard("rq:finished:bench"))
        return int(r.get("bench:done") or 0)


def _bin(venv: str, name: str) -> str:
    return str(venvs.python_of(venv).parent / name)


PEERS = {
    "huey": Peer(
        "bare Huey",
        "huey_app",
        "1 process x {c} threads",
        lambda c: [_bin("huey", "huey_consumer"), "huey_app.huey", "-w", str(c), "-k", "thread"],
        {},
    ),
    "celery": Peer(
        "Celery",
        "celery_app",
        "1 process x {c} threads (--pool threads)",
        lambda c: [
            _bin("celery", "celery"),
            "-A",
            "celery_app",
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            str(c),
            "--loglevel",
            "WARNING",
        ],
        {},
    ),
    "rq": Peer(
        "RQ",
        "rq_app",
        "worker-pool of {c} processes",
        lambda c: [_bin("rq", "rq"), "worker-pool", "-n", str(c), "-q", "bench"],
        {},
    ),
    "dramatiq": Peer(
        "Dramatiq",
        "dramatiq_app",
        "1 process x {c} threads",
        lambda c: [
            _bin("dramatiq", "dramatiq"),
            "dramatiq_app",
            "--processes",
            "1",
            "--threads",
            str(c),
        ],
        {},
    ),
}


def venv_of(peer: Peer) -> str:
    return peer.app.removesuffix("_app")


def peer_env(url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YGMON_", "VIRTUAL_ENV"))}
    env.update(BENCH_REDIS_URL=url, PYTHONPATH=str(APPS), RQ_REDIS_URL=url, **(extra or {}))
    return env


def start(argv: list[str], env: dict[str, str], cwd: Path = APPS) -> subprocess.Popen[bytes]:
    """`argv` in a session of its own (stop() signals its whole tree), output discarded."""
    return subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """`sig` to the worker's whole process tree; SIGKILL after 20 s. The tree, not just
    the group: RQ's work horses start sessions of their own, and a crash of the machine
    or container would take them too."""
    try:
        tree = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        tree = []
    try:
        os.killpg(proc.pid, sig)
        for child in tree:
            with contextlib.suppress(psutil.Error):
                child.send_signal(sig)
        proc.wait(20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def drive(
    python: Path | str, module_args: list[str], env: dict[str, str], cwd: Path = APPS
) -> dict[str, Any]:
    """One run of a driver (bench/peers/apps/driver.py, or ygmon's), its JSON line."""
    out = subprocess.run(
        [str(python), *module_args], cwd=cwd, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(f"{module_args[:3]} failed: {out.stderr[-1500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def peer_drive(peer: Peer, url: str, *args: object, extra: dict[str, str] | None = None) -> dict:
    return drive(
        venvs.python_of(venv_of(peer)),
        ["driver.py", peer.app, *map(str, args)],
        peer_env(url, extra),
    )


def wait_for(check: Callable[[], bool], seconds: float, what: str, every: float = 0.005) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(every)


class Watch:
    """CPU and peak resident memory of a worker's process tree, sampled every 50 ms.
    Memory is the sum of the tree's RSS (RQ's forked horses share pages with their
    parent, so its sum overstates what it really holds)."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _tree(self) -> list[psutil.Process]:
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            total = 0
            for proc in self._tree():
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)

    def cpu(self) -> float:
        """CPU seconds of the tree so far, reaped children included."""
        used = 0.0
        for proc in self._tree():
            try:
                t = proc.cpu_times()
                used += t.user + t.system + t.children_user + t.children_system
            except psutil.Error:
                pass
        return used

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())
