"""Fixtures of the notification tests: a real SMTP server on loopback (aiosmtpd) that
counts what it accepted, profiles that send to it on SQLite and on Redis + Postgres,
users with preferences, and real `ygmon worker` processes."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from servers import worker_processes, write_profile_config

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.db.models import DigestFrequency, NotificationPreference, User


class SmtpSink:
    """aiosmtpd's handler: keeps every message it accepted; `hold_after(n)` makes the
    (n+1)th DATA wait, unanswered, until `release()` (then refuses it with a 451)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self._hold_after: int | None = None
        self.holding = threading.Event()
        self._released = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self._hold_after is not None and len(self.messages) >= self._hold_after:
            self.holding.set()
            while not self._released.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def hold_after(self, count: int) -> None:
        self._hold_after = count

    def release(self) -> None:
        self._hold_after = None
        self._released.set()

    def ids(self) -> list[str]:
        with self._lock:
            return [str(m["Message-ID"]).strip() for m in self.messages]

    def to(self) -> list[str]:
        with self._lock:
            return [str(m["To"]) for m in self.messages]

    def wait_for(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.messages)} messages of {count}")
            time.sleep(0.02)


class SmtpServer:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.sink = SmtpSink()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.sink.release()
        server.stop()


def smtp_settings(server: SmtpServer) -> dict[str, Any]:
    return {
        "mail_backend": "smtp",
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_security": "none",
        "mail_from": "ygmon <noreply@ygmon.test>",
        "mail_breaker_failures": 2,
        "mail_breaker_reset": 1.0,
    }


@pytest.fixture(params=["sqlite", "redis"])
def mail_profile(
    request: pytest.FixtureRequest, tmp_path: Path, namespace: str, smtp: SmtpServer
) -> LocalProfile:
    """A profile sending to `smtp`: SQLite database and broker, or Postgres + Redis."""
    common = {
        "namespace": namespace,
        "stalled_after": 1.0,
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


async def add_user(
    db: Database,
    email: str,
    frequency: DigestFrequency | None = DigestFrequency.IMMEDIATE,
    *,
    email_enabled: bool = True,
    types: list[str] | None = None,
    last_digest: datetime | None = None,
) -> str:
    """A user and, unless `frequency` is None, their preference row; the user's id."""
    async with db.writer() as session:
        user = User(email=email, name=email.split("@")[0].title())
        session.add(user)
        await session.flush()
        if frequency is not None:
            session.add(
                NotificationPreference(
                    user_id=user.id,
                    digest_frequency=frequency,
                    email_enabled=email_enabled,
                    enabled_types=types or [],
                    last_digest_sent_at=last_digest,
                )
            )
        return user.id


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def spawn_worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start a real `ygmon worker` on a profile (returned once it says it runs)."""
    with worker_processes() as start:
        yield lambda profile, *extra: start(
            write_profile_config(profile, tmp_path / "ygmon.toml"), *extra
        )
