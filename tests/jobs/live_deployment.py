"""A deployment for the live-control tests: a profile with the default settings on one
store, its runtime (the producer, and the registry the test reads), and real `ygmon
worker` processes as hosts of their own (`--host-name`)."""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from processes import worker_processes, write_profile_config

from ygmon.config import LocalProfile
from ygmon.jobs.runtime import JobRuntime, open_runtime

QUEUE = "maintenance"


def live_profile(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> LocalProfile:
    """The default settings (as users run them) on SQLite, or on Redis with Postgres;
    only a worker's stop is quicker, which no test here measures."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    urls = (
        (f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}", f"sqlite:///{tmp_path / 'queue.db'}")
        if kind == "sqlite"
        else (request.getfixturevalue("postgres_url"), request.getfixturevalue("redis_url"))
    )
    return LocalProfile(shutdown_grace=2.0).replace(
        database_url=urls[0],
        broker_url=urls[1],
        namespace=request.getfixturevalue("namespace") + kind[0],
        media_dir=str(tmp_path / "media"),
    )


class Sample(NamedTuple):
    at: float
    """time.monotonic() of the read."""
    active: int
    """The queue's active jobs as the registry counts them."""
    by_host: Counter[str]
    """Active jobs per host, from the records' worker ids."""
    completed: int


class Deployment:
    def __init__(self, profile: LocalProfile, config: Path, start: Callable[..., subprocess.Popen]):
        self.profile = profile
        self.runtime: JobRuntime = open_runtime(profile)
        self.registry = self.runtime.registry
        self.store = self.registry.store
        self._config = config
        self._start = start
        self.workers: dict[str, subprocess.Popen] = {}

    def start(self, host: str, *args: str) -> subprocess.Popen:
        """`ygmon worker` serving the queue alone, as host `host`."""
        proc = self._start(
            self._config, "--queues", QUEUE, "--no-schedule", "--host-name", host, *args
        )
        self.workers[host] = proc
        return proc

    def now(self) -> float:
        return self.registry.now()

    def sample(self) -> Sample:
        by_host: Counter[str] = Counter()
        for worker_id, n in self.registry.running_per_worker().items():
            by_host[worker_id.split(":")[0]] += n
        counts = self.registry.counts(QUEUE)
        return Sample(time.monotonic(), counts.active, by_host, counts.completed)

    def until(
        self, check: Callable[[Sample], bool], timeout: float, what: str
    ) -> tuple[float, list[Sample]]:
        """Sample until `check` holds: (seconds it took, the samples); fails past `timeout`."""
        started = time.monotonic()
        samples = [self.sample()]
        while not check(samples[-1]):
            if time.monotonic() - started > timeout:
                raise AssertionError(
                    f"timed out after {timeout:g} s waiting for {what}: {samples[-1]}"
                )
            time.sleep(0.05)
            samples.append(self.sample())
        return samples[-1].at - started, samples

    def observe(self, seconds: float) -> list[Sample]:
        """Samples over `seconds` (a measurement: what happens in that time)."""
        end = time.monotonic() + seconds
        samples = [self.sample()]
        while samples[-1].at < end:
            time.sleep(0.05)
            samples.append(self.sample())
        return samples

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the worker processes used so far."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for proc in self.workers.values():
            if proc.poll() is None:
                fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def close(self) -> None:
        self.runtime.close()


@contextmanager
def deployment(profile: LocalProfile, tmp_path: Path) -> Iterator[Deployment]:
    """A Deployment whose workers are killed, and runtime closed, on exit."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = write_profile_config(profile, tmp_path / f"{profile.namespace}.toml")
    with worker_processes() as start:
        d = Deployment(profile, config, start)
        try:
            yield d
        finally:
            d.close()
