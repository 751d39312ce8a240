"""Fixtures of the blog tests: a migrated profile on SQLite, and on Redis + Postgres."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade


@pytest.fixture(params=["sqlite", "redis"])
def blog_profile(request: pytest.FixtureRequest, tmp_path: Path, namespace: str) -> LocalProfile:
    if request.param == "sqlite":
        urls = (request.getfixturevalue("sqlite_url"), f"sqlite:///{tmp_path / 'queue.db'}")
    else:
        urls = (request.getfixturevalue("postgres_url"), request.getfixturevalue("redis_url"))
    profile = LocalProfile(
        database_url=urls[0],
        broker_url=urls[1],
        namespace=namespace,
        # The default stalled_after: at 1 s a loaded machine's late heartbeat made a
        # running publish look stalled, and it ran twice (the suite under two CPU hogs).
        shutdown_grace=2.0,
        outbox_dir=str(tmp_path / "outbox"),
    )

    async def migrate() -> None:
        db = Database(profile.database_url)
        await upgrade(db)
        await db.dispose()

    asyncio.run(migrate())
    return profile
