"""Job profiles for the analytics tests that run real workers: an SQLite broker with an
SQLite database, and Redis with Postgres."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ygmon.config import LocalProfile

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(params=["sqlite", "redis"])
def job_profile(request: pytest.FixtureRequest, tmp_path: Path, namespace: str) -> LocalProfile:
    if request.param == "sqlite":
        database, broker = request.getfixturevalue("sqlite_url"), f"sqlite:///{tmp_path / 'q.db'}"
    else:
        database, broker = (
            request.getfixturevalue("postgres_url"),
            request.getfixturevalue("redis_url"),
        )
    return LocalProfile(
        database_url=database,
        broker_url=broker,
        namespace=namespace,
        stalled_after=5.0,
        shutdown_grace=2.0,
        media_dir=str(tmp_path / "media"),
    )
