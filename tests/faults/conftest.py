"""Fixtures of the fault tests: real worker processes that write their logs to files
(a test reads them for tracebacks afterwards), and profiles on the real services."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from processes import write_profile_config

from ygmon.config import LocalProfile


@dataclass
class Worker:
    proc: subprocess.Popen[bytes]
    log: Path
    worker_id: str

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """`start(profile, *args, env=None)` runs `ygmon worker ARGS` with its output in a
    file, returning once the worker says it runs; every one still alive is killed."""
    workers: list[Worker] = []
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}

    def start(profile: LocalProfile, *args: str, env: dict[str, str] | None = None) -> Worker:
        n = len(workers)
        config = write_profile_config(profile, tmp_path / f"worker-{n}.toml")
        log = tmp_path / f"worker-{n}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "ygmon.cli", "--config", str(config), "worker", *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**base_env, **(env or {})},
            )
        deadline = time.monotonic() + 30
        while "running" not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"worker did not start: {log.read_text()}")
            time.sleep(0.05)
        first = log.read_text().split("running")[0]
        worker = Worker(proc, log, first.split("worker ")[-1].strip())
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        for w in workers:
            if w.proc.poll() is None:
                w.proc.kill()
                w.proc.wait(10)
