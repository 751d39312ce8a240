"""Fixtures of the search pipeline tests: a migrated database and a job runtime on
each backend (SQLite file + SQLite broker; Postgres + Redis), real workers."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from processes import worker_processes, write_profile_config
from search_helpers import SEARCH_QUEUES
from servers import TEST_SECRET

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.jobs.runtime import JobRuntime, open_runtime
from ygmon.jobs.worker import WorkerProcess, in_process_worker
from ygmon.pipelines.search.content import ContentService


@pytest.fixture(params=["sqlite", "postgres"])
def search_profile(request: pytest.FixtureRequest, tmp_path: Path, namespace: str) -> LocalProfile:
    if request.param == "sqlite":
        database_url = request.getfixturevalue("sqlite_url")
        broker_url = f"sqlite:///{tmp_path / 'queue.db'}"
    else:
        database_url = request.getfixturevalue("postgres_url")
        broker_url = request.getfixturevalue("redis_url")
    # 3 s, not the default 30: a SIGKILLed worker's jobs come back within a test's
    # time, and a heartbeat late by a second on a loaded machine is no stall (at 1 s it was).
    return LocalProfile(
        database_url=database_url,
        broker_url=broker_url,
        namespace=namespace,
        stalled_after=3.0,
        shutdown_grace=2.0,
        media_dir=str(tmp_path / "media"),
        jwt_secret=TEST_SECRET,
    )


@pytest.fixture
async def db(search_profile: LocalProfile) -> AsyncIterator[Database]:
    database = Database(search_profile.database_url)
    await upgrade(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def runtime(search_profile: LocalProfile) -> Iterator[JobRuntime]:
    rt = open_runtime(search_profile)
    try:
        yield rt
    finally:
        rt.close()


@pytest.fixture
def worker(
    search_profile: LocalProfile, runtime: JobRuntime, db: Database
) -> Iterator[WorkerProcess]:
    with in_process_worker(search_profile, SEARCH_QUEUES, runtime=runtime) as proc:
        yield proc


@pytest.fixture
def content(db: Database, runtime: JobRuntime) -> ContentService:
    return ContentService(db, runtime.enqueue)


@pytest.fixture
def worker_config(search_profile: LocalProfile, tmp_path: Path) -> Path:
    """A ygmon.toml holding the test's profile, for `ygmon` subprocesses."""
    return write_profile_config(search_profile, tmp_path / "ygmon.toml")


@pytest.fixture
def spawn_worker(worker_config: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start real `ygmon worker` processes; any still alive at the end is killed."""
    with worker_processes() as start:
        yield lambda *extra: start(worker_config, *extra)
