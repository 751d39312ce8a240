"""Fixtures of the notification tests: a real SMTP server on loopback (aiosmtpd, see
notify_helpers), profiles that send to it on SQLite and on Redis + Postgres, and real
`ygmon worker` processes."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from notify_helpers import SmtpServer, smtp_settings
from processes import worker_processes, write_profile_config

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.sink.release()
        server.stop()


@pytest.fixture(params=["sqlite", "redis"])
def mail_profile(
    request: pytest.FixtureRequest, tmp_path: Path, namespace: str, smtp: SmtpServer
) -> LocalProfile:
    """A profile sending to `smtp`: SQLite database and broker, or Postgres + Redis."""
    # 3 s, not the default 30: a SIGKILLed worker's jobs come back within a test's
    # time, and a heartbeat late by a second on a loaded machine is no stall (at 1 s it was).
    common = {
        "namespace": namespace,
        "stalled_after": 3.0,
        "shutdown_grace": 2.0,
        "media_dir": str(tmp_path / "media"),
        **smtp_settings(smtp),
    }
    if request.param == "sqlite":
        profile = LocalProfile(
            database_url=request.getfixturevalue("sqlite_url"),
            broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
            **common,
        )
    else:
        profile = LocalProfile(
            database_url=request.getfixturevalue("postgres_url"),
            broker_url=request.getfixturevalue("redis_url"),
            **common,
        )
    asyncio.run(_migrate(profile.database_url))
    return profile


async def _migrate(url: str) -> None:
    db = Database(url)
    await upgrade(db)
    await db.dispose()


@pytest.fixture
def spawn_worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start a real `ygmon worker` on a profile (returned once it says it runs)."""
    with worker_processes() as start:
        yield lambda profile, *extra: start(
            write_profile_config(profile, tmp_path / "ygmon.toml"), *extra
        )
