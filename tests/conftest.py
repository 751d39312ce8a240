"""Fixtures shared by every test: real SQLite files, real Postgres and Redis.

Postgres and Redis come from YGMON_TEST_POSTGRES_URL and YGMON_TEST_REDIS_URL. Without
them a test that needs one skips with a one-line reason; with YGMON_REQUIRE_SERVICES=1
(as CI sets) it fails instead, so a CI run can never pass by skipping them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from ygmon.db import Database
from ygmon.db.migrate import upgrade

PG_ENV = "YGMON_TEST_POSTGRES_URL"
REDIS_ENV = "YGMON_TEST_REDIS_URL"


def need_service(env: str, what: str) -> str:
    """The URL in `env`, or skip (fail under YGMON_REQUIRE_SERVICES=1)."""
    url = os.environ.get(env)
    if url:
        return url
    reason = f"{what} not configured: set {env} to run this test"
    if os.environ.get("YGMON_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (YGMON_REQUIRE_SERVICES=1 forbids skipping)")
    pytest.skip(reason)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty Postgres database (asyncpg URL), dropped afterwards."""
    from servers import postgres_database

    with postgres_database(need_service(PG_ENV, "PostgreSQL")) as url:
        yield url


@pytest.fixture
def redis_url() -> str:
    """The test Redis; isolate keys with `namespace` (see the fixture of that name)."""
    url = need_service(REDIS_ENV, "Redis")
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as exc:
        if os.environ.get("YGMON_REQUIRE_SERVICES") == "1":
            pytest.fail(f"Redis at {url} does not answer: {exc}")
        pytest.skip(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture
def namespace() -> str:
    """A key prefix no other test (or concurrent test run) uses."""
    return f"t{uuid.uuid4().hex[:10]}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test on the embedded SQLite file and on Postgres."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A migrated database on each backend."""
    db = Database(database_url)
    await upgrade(db)
    try:
        yield db
    finally:
        await db.dispose()
