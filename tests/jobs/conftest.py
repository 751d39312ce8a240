"""Fixtures of the job runtime tests: every test runs on SQLite storage and on Redis +
Postgres, each with its own namespace (and file or database)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from processes import worker_processes, write_profile_config

from ygmon.config import LocalProfile
from ygmon.jobs.runtime import JobRuntime, open_runtime


@pytest.fixture(params=["sqlite", "redis"])
def job_profile(request: pytest.FixtureRequest, tmp_path: Path, namespace: str) -> LocalProfile:
    """A local profile whose broker is an SQLite file, or Redis with Postgres beside it."""
    # 3 s, not the default 30: a SIGKILLed worker's jobs come back within a test's
    # time, and a heartbeat late by a second on a loaded machine is no stall (at 1 s it was).
    if request.param == "sqlite":
        return LocalProfile(
            database_url=request.getfixturevalue("sqlite_url"),
            broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
            namespace=namespace,
            stalled_after=3.0,
            shutdown_grace=2.0,
            media_dir=str(tmp_path / "media"),
        )
    return LocalProfile(
        database_url=request.getfixturevalue("postgres_url"),
        broker_url=request.getfixturevalue("redis_url"),
        namespace=namespace,
        stalled_after=3.0,
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
    return write_profile_config(job_profile, tmp_path / "ygmon.toml")


@pytest.fixture
def spawn_worker(worker_config: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start real `ygmon worker` processes (each returned once it says it runs); any
    still alive at the end of the test is killed."""
    with worker_processes() as start:
        yield lambda *extra: start(worker_config, *extra)
