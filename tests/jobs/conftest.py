"""Fixtures of the job runtime tests: every test runs on SQLite storage and on Redis +
Postgres, each with its own namespace (and file or database)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ygmon.config import LocalProfile
from ygmon.jobs.runtime import JobRuntime, open_runtime


@pytest.fixture(params=["sqlite", "redis"])
def job_profile(request: pytest.FixtureRequest, tmp_path: Path, namespace: str) -> LocalProfile:
    """A local profile whose broker is an SQLite file, or Redis with Postgres beside it."""
    if request.param == "sqlite":
        return LocalProfile(
            database_url=request.getfixturevalue("sqlite_url"),
            broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
            namespace=namespace,
            stalled_after=1.0,
            shutdown_grace=2.0,
            media_dir=str(tmp_path / "media"),
        )
    return LocalProfile(
        database_url=request.getfixturevalue("postgres_url"),
        broker_url=request.getfixturevalue("redis_url"),
        namespace=namespace,
        stalled_after=1.0,
        shutdown_grace=2.0,
        media_dir=str(tmp_path / "media"),
    )


@pytest.fixture
def runtime(job_profile: LocalProfile) -> Iterator[JobRuntime]:
    rt = open_runtime(job_profile)
    try:
        yield rt
    finally:
        rt.close()


@pytest.fixture
def worker_config(job_profile: LocalProfile, tmp_path: Path) -> Path:
    """A ygmon.toml holding the test's profile as its default, for `ygmon` subprocesses."""
    path = tmp_path / "ygmon.toml"
    profile = job_profile
    lines = ["default_profile = 'test'", "", "[profiles.test]"]
    for key, value in profile.table().items():
        if key in ("concurrency", "kind"):
            continue
        if value is None:
            continue
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int | float):
            lines.append(f"{key} = {value!r}")
        else:
            lines.append(f"{key} = {str(value)!r}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def spawn_worker(worker_config: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start real `ygmon worker` processes (each returned once it says it runs); any
    still alive at the end of the test is killed."""
    procs: list[subprocess.Popen[str]] = []

    def spawn(*extra: str) -> subprocess.Popen[str]:
        proc = _start(worker_config, *extra)
        procs.append(proc)
        return proc

    yield spawn
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _start(config: Path, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ygmon.cli", "--config", str(config), "worker", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "running" in line, line + proc.stderr.read()
    return proc
